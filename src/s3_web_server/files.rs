//! Do alvo da requisição a um arquivo dentro da raiz servida, sem nunca sair dela.
//!
//! O esqueleto do livro abre `filename[1:]` direto da requisição, e aí
//! `GET /../../etc/passwd` funciona. Aqui o caminho passa por quatro
//! barreiras: (1) a consulta `?…` sai; (2) cada segmento é decodificado
//! (`%41` → `A`) e recusado se virar `.`, `..`, ou tiver `/`, `\` ou NUL;
//! (3) cada componente abaixo da raiz é examinado com `lstat`, que não
//! segue links simbólicos; (4) se algum for um link, o caminho é canonicalizado
//! (o kernel resolve os links) e precisa continuar dentro da raiz canônica.
//!
//! Parte de 3a e 3b (`cargo serve-single`, `cargo serve`); explicado em
//! `lessons/03-web-server.md`.
//!
//! Invariante: nenhum caminho devolvido por [`locate`] está fora da raiz.

use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};

/// Por que um alvo não virou um arquivo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileError {
    /// O caminho é inválido (`..`, separador codificado, NUL, UTF-8 ruim): 400.
    BadPath,
    /// Não existe: 404.
    NotFound,
    /// Existe mas não pode ser lido, ou escapa da raiz por um link: 403.
    Forbidden,
}

impl FileError {
    pub fn status(self) -> u16 {
        match self {
            FileError::BadPath => 400,
            FileError::NotFound => 404,
            FileError::Forbidden => 403,
        }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileError::BadPath => "o caminho requisitado é inválido",
            FileError::NotFound => "o arquivo requisitado não existe neste servidor",
            FileError::Forbidden => "o arquivo requisitado não pode ser lido",
        })
    }
}

impl std::error::Error for FileError {}

/// O que fazer com um alvo válido.
#[derive(Debug)]
pub enum Located {
    /// Servir este arquivo (dentro da raiz), com os metadados já lidos.
    File(PathBuf, Metadata),
    /// É uma pasta requisitada sem a barra final: redirecionar para este `Location`.
    AddSlash(String),
}

/// A parte de caminho de um alvo: tira `?consulta` e, na forma absoluta
/// (`http://host/a`), o esquema e a autoridade.
fn target_path(target: &str) -> &str {
    let without_query = target.split('?').next().unwrap_or(target);
    if without_query.starts_with('/') {
        return without_query;
    }
    // Forma absoluta: esquema "://" autoridade caminho.
    match without_query.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |slash| &rest[slash..]),
        None => without_query,
    }
}

/// Decodifica `%XX`. Devolve `None` se um `%` não vier com dois dígitos hexadecimais.
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Transforma o alvo da requisição num arquivo dentro de `root` (que já deve ser canônica).
///
/// # Erros
/// [`FileError`], que vira 400, 403 ou 404.
pub fn locate(root: &Path, target: &str) -> Result<Located, FileError> {
    let path = target_path(target);
    if !path.starts_with('/') {
        return Err(FileError::BadPath);
    }
    let mut full = root.to_path_buf();
    let mut depth = 0;
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let decoded = percent_decode(raw).ok_or(FileError::BadPath)?;
        let segment = String::from_utf8(decoded).map_err(|_| FileError::BadPath)?;
        let forbidden = segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0'])
            || (cfg!(windows) && segment.contains(':'));
        if forbidden {
            return Err(FileError::BadPath);
        }
        full.push(segment);
        depth += 1;
    }
    let (full, meta) = inside_root(root, full, depth)?;
    if !meta.is_dir() {
        // `/a.txt/` não é `/a.txt`: para o kernel, `a.txt/` é "não é pasta".
        if path.ends_with('/') {
            return Err(FileError::NotFound);
        }
        return Ok(Located::File(full, meta));
    }
    if !path.ends_with('/') {
        // `/sub` → `/sub/`, para que links relativos do index.html funcionem.
        let query = target.split_once('?').map(|(_, q)| q);
        return Ok(Located::AddSlash(match query {
            Some(q) => format!("{path}/?{q}"),
            None => format!("{path}/"),
        }));
    }
    match inside_root(root, full.join("index.html"), 1)? {
        (index, m) if m.is_file() => Ok(Located::File(index, m)),
        _ => Err(FileError::NotFound),
    }
}

/// Confere que `path` (a raiz mais `depth` componentes) não sai da raiz, e
/// devolve os metadados do que ele aponta.
///
/// `lstat` (`fs::symlink_metadata`) em cada componente abaixo da raiz: sem
/// links, e sem `..` (já recusados), o caminho não tem como sair. Só quando
/// aparece um link pagamos o `canonicalize` completo, que pergunta ao kernel
/// o caminho real, e conferimos que ele começa com a raiz canônica.
fn inside_root(root: &Path, path: PathBuf, depth: usize) -> Result<(PathBuf, Metadata), FileError> {
    let mut ancestors: Vec<&Path> = path.ancestors().take(depth).collect();
    ancestors.reverse();
    let mut meta = None;
    for component in ancestors {
        let m = fs::symlink_metadata(component).map_err(io_error)?;
        if m.file_type().is_symlink() {
            let canonical = fs::canonicalize(&path).map_err(io_error)?;
            if !canonical.starts_with(root) {
                // Um link simbólico que aponta para fora da raiz.
                return Err(FileError::Forbidden);
            }
            let m = fs::metadata(&canonical).map_err(io_error)?;
            return Ok((canonical, m));
        }
        meta = Some(m);
    }
    match meta {
        Some(m) => Ok((path, m)),
        // A própria raiz (requisição de `/`).
        None => fs::metadata(&path).map(|m| (path, m)).map_err(io_error),
    }
}

/// Erros do sistema de arquivos viram 403 (sem permissão) ou 404 (o resto).
pub fn io_error(err: io::Error) -> FileError {
    match err.kind() {
        io::ErrorKind::PermissionDenied => FileError::Forbidden,
        _ => FileError::NotFound,
    }
}

/// O `Content-Type` pela extensão. Texto leva `charset=utf-8`.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("svg") => "image/svg+xml; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("pdf") => "application/pdf",
        Some("wasm") => "application/wasm",
        Some("mp4") => "video/mp4",
        Some("mp3") => "audio/mpeg",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_path_drops_query_and_absolute_form_prefix() {
        assert_eq!(target_path("/a/b?x=1"), "/a/b");
        assert_eq!(target_path("http://h:1/a?b"), "/a");
        assert_eq!(target_path("http://h"), "/");
        assert_eq!(target_path("*"), "*");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2F"), Some(b"a b/".to_vec()));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type(Path::new("a.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.png")), "image/png");
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("semextensao")),
            "application/octet-stream"
        );
    }

    /// O caminho EACCES → 403 sem depender de permissões de verdade (que
    /// root, e portanto a CI, ignora): o mesmo `io_error(e).status()` que
    /// o GET de `a_single.rs` usa quando o `open` falha.
    #[test]
    fn permission_denied_is_403_and_other_io_errors_are_404() {
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(io_error(denied), FileError::Forbidden);
        assert_eq!(FileError::Forbidden.status(), 403);
        #[cfg(unix)]
        {
            // EACCES, como o `open` devolve num arquivo com chmod 000.
            let eacces = io::Error::from_raw_os_error(13);
            assert_eq!(io_error(eacces).status(), 403);
        }
        let missing = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(io_error(missing).status(), 404);
    }

    #[test]
    fn dot_segments_and_encoded_separators_are_bad_paths() {
        let root = Path::new("/nao/importa");
        for bad in [
            "/..",
            "/a/../b",
            "/%2e%2e/x",
            "/.%2E/x",
            "/a%2fb",
            "/a%5cb",
            "/a%00b",
            "/%c0%ae",
            "/./a",
        ] {
            assert!(
                matches!(locate(root, bad), Err(FileError::BadPath)),
                "{bad}"
            );
        }
    }
}
