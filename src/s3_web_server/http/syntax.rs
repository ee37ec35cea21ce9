//! A gramática comum a requisições e respostas (RFC 9110 §5 e RFC 9112
//! §2 a §6): classes de caracteres, linhas, campos de cabeçalho, a versão e
//! os campos que dizem como o corpo termina.
//!
//! Parte de 3a, 3b e 3c (`cargo serve`, `cargo get`); explicado em
//! `lessons/03-web-server.md`.

use std::ops::Range;

use super::{Header, HttpError, Version};

// ---------------------------------------------------------------------------
// Classes de caracteres (RFC 9110 §5.6.2 e RFC 3986)
// ---------------------------------------------------------------------------

/// `tchar`: os caracteres de um *token* (métodos, nomes de campo).
pub(super) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

pub(super) fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| is_tchar(b))
}

/// Caracteres aceitos num alvo de requisição: os da RFC 3986 (não reservados,
/// reservados e `%`), mais `{ } | ^ [ ]`, que navegadores às vezes mandam
/// sem codificar. Espaço, controles, `"`, `<`, `>`, `\`, `` ` `` e `#` não.
pub(super) fn is_target_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?@!$&'()*+,;=%{}|^[]".contains(&b)
}

/// Valor de campo: texto visível, espaço, tab e bytes ≥ 0x80 (obs-text).
pub(super) fn is_field_value_char(b: u8) -> bool {
    b == b'\t' || b == b' ' || (0x21..=0x7E).contains(&b) || b >= 0x80
}

pub(super) fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

pub(super) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_ows(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_ows(*last) {
            break;
        }
        s = rest;
    }
    s
}

// ---------------------------------------------------------------------------
// Linhas
// ---------------------------------------------------------------------------

/// A próxima linha a partir de `start`: (conteúdo sem CRLF/LF, início da seguinte).
///
/// Aceita LF sozinho como fim de linha (a RFC 9112 §2.2 permite: "MAY
/// recognize a single LF"). Um CR que não vem antes de um LF fica no
/// conteúdo, e quem chama o recusa como caractere inválido.
pub(super) fn next_line(buf: &[u8], start: usize) -> Option<(Range<usize>, usize)> {
    let lf = start + buf.get(start..)?.iter().position(|&b| b == b'\n')?;
    let end = if lf > start && buf[lf - 1] == b'\r' {
        lf - 1
    } else {
        lf
    };
    Some((start..end, lf + 1))
}

/// Lê os campos de cabeçalho a partir de `start` até a linha em branco.
///
/// Devolve os campos e a posição logo depois da linha em branco, ou `None`
/// se a linha em branco ainda não chegou.
pub(super) fn parse_fields(
    buf: &[u8],
    start: usize,
    max_len: usize,
    max_fields: usize,
) -> Result<Option<(Vec<Header>, usize)>, HttpError> {
    let mut headers = Vec::new();
    let mut pos = start;
    loop {
        let Some((line, next)) = next_line(buf, pos) else {
            if buf.len() - start > max_len {
                return Err(HttpError::HeadersTooLarge);
            }
            return Ok(None);
        };
        if next - start > max_len {
            return Err(HttpError::HeadersTooLarge);
        }
        let line = &buf[line];
        if line.is_empty() {
            return Ok(Some((headers, next)));
        }
        if is_ows(line[0]) {
            // RFC 9112 §2.2 (antes do primeiro campo) e §5.2 (obs-fold).
            return Err(if pos == start {
                HttpError::WhitespaceAfterStartLine
            } else {
                HttpError::ObsFold
            });
        }
        if headers.len() == max_fields {
            return Err(HttpError::TooManyFields);
        }
        headers.push(parse_field_line(line)?);
        pos = next;
    }
}

/// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5).
pub(super) fn parse_field_line(line: &[u8]) -> Result<Header, HttpError> {
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or(HttpError::InvalidFieldName)?;
    let name = &line[..colon];
    if name.last().is_some_and(|&b| is_ows(b)) {
        return Err(HttpError::WhitespaceBeforeColon);
    }
    if !is_token(name) {
        return Err(HttpError::InvalidFieldName);
    }
    let value = trim_ows(&line[colon + 1..]);
    if !value.iter().all(|&b| is_field_value_char(b)) {
        return Err(HttpError::InvalidFieldValue);
    }
    Ok(Header {
        // `is_token` garante ASCII, então a conversão nunca falha.
        name: String::from_utf8_lossy(name).into_owned(),
        value: value.to_vec(),
    })
}

/// `HTTP-version = "HTTP/" DIGIT "." DIGIT`, com maiúsculas (RFC 9112 §2.3).
pub(super) fn parse_version(bytes: &[u8]) -> Result<Version, HttpError> {
    match bytes {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            Ok(Version(major - b'0', minor - b'0'))
        }
        _ => Err(HttpError::InvalidVersion),
    }
}

/// As codificações de `Transfer-Encoding` (todas as linhas, separadas por vírgula).
pub(super) fn transfer_codings(headers: &[Header]) -> Option<Vec<String>> {
    let mut found = false;
    let mut codings = Vec::new();
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("transfer-encoding"))
    {
        found = true;
        for part in h.value.split(|&b| b == b',') {
            let part = trim_ows(part);
            // Parâmetros (`;q=…`) não importam para saber qual é a codificação.
            let name = part.split(|&b| b == b';').next().unwrap_or(part);
            let name = trim_ows(name);
            if !name.is_empty() {
                codings.push(String::from_utf8_lossy(name).to_ascii_lowercase());
            }
        }
    }
    found.then_some(codings)
}

/// `Content-Length`: todas as linhas e itens de lista precisam ser o mesmo número.
pub(super) fn content_length(headers: &[Header]) -> Result<Option<u64>, HttpError> {
    let mut length = None;
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("content-length"))
    {
        for part in h.value.split(|&b| b == b',') {
            let part = trim_ows(part);
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err(HttpError::InvalidContentLength);
            }
            let n: u64 = std::str::from_utf8(part)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or(HttpError::InvalidContentLength)?;
            if length.is_some_and(|old| old != n) {
                return Err(HttpError::ConflictingContentLength);
            }
            length = Some(n);
        }
    }
    Ok(length)
}
