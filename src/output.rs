//! A saída dos programas (stdout e stderr), e o que fazer quando ela fecha.
//!
//! `ping-client | head -2`: depois de duas linhas o `head` termina e fecha o
//! pipe. Um programa em C morreria com o sinal SIGPIPE na escrita seguinte;
//! um programa em Rust ignora esse sinal e recebe o erro `EPIPE`
//! (`ErrorKind::BrokenPipe`), e `println!`/`eprintln!` transformam esse erro
//! em pânico. Por isso nenhum programa daqui usa `println!` nem `eprintln!`:
//! toda escrita passa por este módulo, que aplica uma regra só:
//!
//! **se a saída não aceita mais bytes, o programa termina com o código 1**,
//! em silêncio quando quem lia fechou o pipe (não há a quem avisar, e o
//! leitor foi embora de propósito), com uma linha em stderr nos outros
//! casos (disco cheio, por exemplo). Um erro de saída é local: nunca é
//! relatado como erro de rede. A exceção é o log de um servidor
//! ([`log_line`]): sem leitor, o log se desliga e o servidor segue.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::process;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Código de saída quando stdout ou stderr deixam de aceitar escrita.
const EXIT_OUTPUT: i32 = 1;

/// Escreve uma linha em stderr (avisos, logs, erros), numa escrita só:
/// linhas de threads diferentes não se misturam.
pub fn line(text: &str) {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(b'\n');
    if let Err(err) = io::stderr().write_all(&bytes) {
        closed("stderr", &err);
    }
}

/// Uma linha do log de um servidor em stderr, numa escrita só.
///
/// Se quem lia fechou o pipe (`web-server 2>&1 | head -1`), o log se
/// desliga e o servidor continua atendendo: parar de servir porque ninguém
/// lê o log seria pior. Outros erros seguem a regra do módulo.
pub fn log_line(mut line: String) {
    static OFF: AtomicBool = AtomicBool::new(false);
    // Uma cópia do descritor de stderr, sem a trava que `io::stderr()` põe
    // em cada escrita: com muitas conexões, as threads esperavam nela.
    static STDERR: OnceLock<Option<File>> = OnceLock::new();
    if OFF.load(Ordering::Relaxed) {
        return;
    }
    // Uma linha do servidor web tem menos de 1,5 KB (a requisição entra
    // cortada em 200 bytes), abaixo de `PIPE_BUF` (4 KB no Linux): num pipe,
    // um `write` desse tamanho é atômico e linhas de threads não se misturam.
    line.push('\n');
    let bytes = line.into_bytes();
    let written = match STDERR.get_or_init(stderr_copy) {
        Some(file) => {
            let mut file: &File = file;
            file.write_all(&bytes)
        }
        None => io::stderr().write_all(&bytes),
    };
    match written {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => OFF.store(true, Ordering::Relaxed),
        Err(err) => closed("stderr", &err),
    }
}

/// Uma cópia (`dup`) do descritor de stderr. No Windows, `None`: lá
/// `io::stderr()` converte o texto para o console, e uma cópia crua não.
fn stderr_copy() -> Option<File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        io::stderr()
            .as_fd()
            .try_clone_to_owned()
            .ok()
            .map(File::from)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Um caminho como uma pessoa o digitaria. No Windows, `canonicalize`
/// devolve a forma "verbatim" (`\\?\C:\www`), que ninguém digitaria; só
/// para mostrar, tiramos o prefixo. Nos outros sistemas o caminho fica
/// como está.
pub fn typed_path(path: &Path) -> String {
    let text = path.display().to_string();
    if cfg!(windows) {
        without_verbatim_prefix(&text).unwrap_or(text)
    } else {
        text
    }
}

/// `\\?\C:\x` → `C:\x` e `\\?\UNC\máquina\pasta` → `\\máquina\pasta`;
/// `None` se `text` não é um caminho verbatim de disco ou de rede (esses
/// outros, como `\\?\Volume{…}`, não têm forma curta).
fn without_verbatim_prefix(text: &str) -> Option<String> {
    let rest = text.strip_prefix(r"\\?\")?;
    if let Some(share) = rest.strip_prefix(r"UNC\") {
        return Some(format!(r"\\{share}"));
    }
    let bytes = rest.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    drive.then(|| rest.to_string())
}

/// Um `Write` sobre stdout ou stderr que aplica a regra deste módulo: uma
/// escrita que falha termina o programa em vez de voltar como erro.
///
/// Assim o `io::Error` que uma função da biblioteca devolve é sempre da
/// rede ou do sistema de arquivos, nunca da saída do terminal.
pub struct Guarded<W> {
    name: &'static str,
    inner: W,
}

/// A saída padrão, protegida.
pub fn stdout() -> Guarded<io::StdoutLock<'static>> {
    Guarded {
        name: "stdout",
        inner: io::stdout().lock(),
    }
}

/// A saída de erros, protegida (para funções que recebem um `Write` de log).
pub fn stderr() -> Guarded<io::Stderr> {
    Guarded {
        name: "stderr",
        inner: io::stderr(),
    }
}

impl<W: Write> Write for Guarded<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.inner.write(buf) {
            // `Interrupted` volta para `write_all`, que tenta de novo.
            Err(err) if err.kind() != io::ErrorKind::Interrupted => closed(self.name, &err),
            result => result,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.inner.flush() {
            Err(err) if err.kind() != io::ErrorKind::Interrupted => closed(self.name, &err),
            result => result,
        }
    }
}

/// A regra, num lugar só: termina com [`EXIT_OUTPUT`]; avisa em stderr só
/// quando o erro não é um pipe fechado (e se o próprio stderr ainda aceitar).
fn closed(name: &str, err: &io::Error) -> ! {
    if err.kind() != io::ErrorKind::BrokenPipe {
        let _ = writeln!(io::stderr(), "erro ao escrever em {name}: {err}");
    }
    process::exit(EXIT_OUTPUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_windows_verbatim_prefix_is_not_shown() {
        // A forma que `canonicalize` devolve no Windows, montada como texto.
        let verbatim = format!(r"{}C:\Users\aluna\pratica\www", r"\\?\");
        assert_eq!(
            without_verbatim_prefix(&verbatim).as_deref(),
            Some(r"C:\Users\aluna\pratica\www")
        );
        assert_eq!(
            without_verbatim_prefix(r"\\?\UNC\servidor\turma\www").as_deref(),
            Some(r"\\servidor\turma\www")
        );
        assert_eq!(without_verbatim_prefix(r"\\?\Volume{abc}\www"), None);
        assert_eq!(without_verbatim_prefix(r"C:\www"), None);
        assert_eq!(without_verbatim_prefix("/home/aluna/www"), None);
        let shown = typed_path(Path::new(&verbatim));
        if cfg!(windows) {
            assert_eq!(shown, r"C:\Users\aluna\pratica\www");
        } else {
            assert_eq!(shown, verbatim, "fora do Windows, fica como está");
        }
        assert_eq!(typed_path(Path::new("/srv/www")), "/srv/www");
    }
}
