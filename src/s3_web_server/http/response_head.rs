//! O cabeçalho de uma resposta HTTP/1.1, que o cliente (3c) lê (RFC 9112
//! §4 e §6.3).
//!
//! Parte de 3c (`cargo get`); explicado em `lessons/03-web-server.md`.

use super::syntax::{
    content_length, is_field_value_char, next_line, parse_fields, parse_version, transfer_codings,
};
use super::{BodyKind, Header, HttpError, Parse, Version, header};

/// Limites mais folgados para respostas (o cliente 3c conversa com
/// servidores que não controlamos, com cookies grandes e afins).
pub const MAX_RESPONSE_HEAD: usize = 64 * 1024;
const MAX_RESPONSE_FIELDS: usize = 256;

/// O cabeçalho de uma resposta HTTP já analisado.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    pub version: Version,
    pub status: u16,
    pub reason: String,
    pub headers: Vec<Header>,
}

impl ResponseHead {
    /// O primeiro valor do campo `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        header(&self.headers, name)
    }

    /// Como o corpo desta resposta termina, pela ordem da RFC 9112 §6.3.
    ///
    /// `head_request`: a resposta a um HEAD nunca tem corpo.
    ///
    /// # Erros
    /// `Content-Length` inválido ou conflitante (sem `Transfer-Encoding`): a
    /// RFC manda tratar como erro irrecuperável.
    pub fn body_kind(&self, head_request: bool) -> Result<BodyKind, HttpError> {
        // 1. HEAD, 1xx, 204 e 304 nunca têm corpo.
        if head_request || (100..200).contains(&self.status) || matches!(self.status, 204 | 304) {
            return Ok(BodyKind::None);
        }
        // 3. Transfer-Encoding: se chunked é a última, chunks; senão, até fechar.
        if let Some(codings) = transfer_codings(&self.headers) {
            return Ok(match codings.last() {
                Some(last) if last.eq_ignore_ascii_case("chunked") => BodyKind::Chunked,
                _ => BodyKind::UntilClose,
            });
        }
        // 5. Content-Length; 7. senão, até o servidor fechar.
        Ok(match content_length(&self.headers)? {
            Some(len) => BodyKind::Length(len),
            None => BodyKind::UntilClose,
        })
    }
}

/// Lê o cabeçalho de uma resposta HTTP do começo de `buf`.
///
/// # Erros
/// [`HttpError::MalformedStatusLine`] se não parecer HTTP; os erros de
/// campo são os mesmos das requisições (o mesmo código lê as duas).
pub fn parse_response_head(buf: &[u8]) -> Result<Parse<ResponseHead>, HttpError> {
    let Some((line, after_line)) = next_line(buf, 0) else {
        // Não dá para esperar para sempre por uma linha de status.
        if buf.len() > MAX_RESPONSE_HEAD || (buf.len() >= 5 && !buf.starts_with(b"HTTP/")) {
            return Err(HttpError::MalformedStatusLine);
        }
        return Ok(Parse::Partial);
    };
    let line = &buf[line];
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    let (version, rest) = line.split_at(line.len().min(8));
    let version = parse_version(version).map_err(|_| HttpError::MalformedStatusLine)?;
    let (code, reason) = match rest {
        [b' ', a, b, c] => ([*a, *b, *c], &b""[..]),
        [b' ', a, b, c, b' ', reason @ ..] => ([*a, *b, *c], reason),
        _ => return Err(HttpError::MalformedStatusLine),
    };
    if !code.iter().all(u8::is_ascii_digit) || !reason.iter().all(|&b| is_field_value_char(b)) {
        return Err(HttpError::MalformedStatusLine);
    }
    let status = code
        .iter()
        .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
    if !(100..=999).contains(&status) {
        return Err(HttpError::MalformedStatusLine);
    }
    let Some((headers, used)) =
        parse_fields(buf, after_line, MAX_RESPONSE_HEAD, MAX_RESPONSE_FIELDS)?
    else {
        return Ok(Parse::Partial);
    };
    Ok(Parse::Complete(
        ResponseHead {
            version,
            status,
            reason: String::from_utf8_lossy(reason).into_owned(),
            headers,
        },
        used,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_response_status_line_and_fields() {
        let raw = b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc";
        let Ok(Parse::Complete(head, used)) = parse_response_head(raw) else {
            panic!()
        };
        assert_eq!(
            (head.status, head.reason.as_str(), used),
            (404, "Not Found", raw.len() - 3)
        );
        assert_eq!(head.body_kind(false), Ok(BodyKind::Length(3)));
        assert_eq!(head.body_kind(true), Ok(BodyKind::None));
        let Ok(Parse::Complete(no_reason, _)) = parse_response_head(b"HTTP/1.0 200\r\n\r\n") else {
            panic!()
        };
        assert_eq!(no_reason.body_kind(false), Ok(BodyKind::UntilClose));
    }

    #[test]
    fn response_framing_follows_rfc_9112_section_6_3() {
        let kind = |raw: &str| match parse_response_head(raw.as_bytes()) {
            Ok(Parse::Complete(h, _)) => h.body_kind(false),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            kind("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n"),
            Ok(BodyKind::None)
        );
        assert_eq!(
            kind("HTTP/1.1 304 Not Modified\r\n\r\n"),
            Ok(BodyKind::None)
        );
        assert_eq!(kind("HTTP/1.1 100 Continue\r\n\r\n"), Ok(BodyKind::None));
        assert_eq!(
            kind("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n"),
            Ok(BodyKind::Chunked),
            "Transfer-Encoding vence Content-Length"
        );
        assert_eq!(
            kind("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"),
            Ok(BodyKind::UntilClose)
        );
        assert_eq!(
            kind("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            Err(HttpError::ConflictingContentLength)
        );
    }

    #[test]
    fn rejects_responses_that_are_not_http() {
        for bad in [
            &b"SSH-2.0-OpenSSH\r\n"[..],
            b"HTTP/1.1 20 OK\r\n\r\n",
            b"HTTP/1.1 abc OK\r\n\r\n",
            b"<html>",
        ] {
            assert_eq!(
                parse_response_head(bad),
                Err(HttpError::MalformedStatusLine),
                "{bad:?}"
            );
        }
        assert_eq!(parse_response_head(b"HTT"), Ok(Parse::Partial));
    }
}
