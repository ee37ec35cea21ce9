//! A requisição HTTP/1.1 que o servidor (3a e 3b) lê (RFC 9112 §2, §3, §5 e §6).
//!
//! Parte de 3a e 3b (`cargo serve-single`, `cargo serve`); explicado em
//! `lessons/03-web-server.md`.

use super::syntax::{
    content_length, is_target_char, is_token, next_line, parse_fields, parse_version,
    transfer_codings,
};
use super::{BodyKind, Header, HttpError, Parse, Version, header};

/// Tamanho máximo do alvo da requisição (`/caminho?consulta`): acima disso, 414.
pub const MAX_TARGET_LEN: usize = 8 * 1024;
/// Tamanho máximo da seção de cabeçalhos de uma requisição: acima disso, 431.
pub const MAX_HEADER_SECTION: usize = 16 * 1024;
/// Número máximo de campos de cabeçalho numa requisição: acima disso, 431.
pub const MAX_FIELDS: usize = 100;

/// Uma requisição HTTP já analisada.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub version: Version,
    pub headers: Vec<Header>,
    /// Como o corpo da requisição (se houver) termina.
    pub body: BodyKind,
}

impl Request {
    /// O primeiro valor do campo `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        header(&self.headers, name)
    }
}

/// Lê o cabeçalho de uma requisição HTTP do começo de `buf`.
///
/// Pode ser chamada de novo a cada pedaço que chega pelo TCP: enquanto a
/// linha em branco não chegar, devolve [`Parse::Partial`], e os limites de
/// tamanho são conferidos mesmo assim (uma requisição infinita vira 414 ou 431).
///
/// # Erros
/// Qualquer coisa fora da gramática da RFC 9112, como um [`HttpError`].
///
/// # Exemplos
/// ```
/// use pratica_sockets::s3_web_server::http::{parse_request, HttpError, Parse};
///
/// let Ok(Parse::Complete(req, used)) = parse_request(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n") else {
///     panic!("requisição válida");
/// };
/// assert_eq!((req.method.as_str(), req.target.as_str(), used), ("GET", "/", 27));
/// assert_eq!(parse_request(b"GET / HTTP/1.1\r\n\r\n"), Err(HttpError::MissingHost));
/// assert_eq!(parse_request(b"GET / HT"), Ok(Parse::Partial));
/// ```
pub fn parse_request(buf: &[u8]) -> Result<Parse<Request>, HttpError> {
    // RFC 9112 §2.2: ignorar pelo menos uma linha vazia antes da linha de requisição.
    let mut start = 0;
    while let Some((line, next)) = next_line(buf, start) {
        if !line.is_empty() {
            break;
        }
        start = next;
        if start > MAX_HEADER_SECTION {
            return Err(HttpError::HeadersTooLarge);
        }
    }
    let Some((line, after_line)) = next_line(buf, start) else {
        return partial_request_line(&buf[start..]);
    };
    let line = &buf[line];
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HttpError::MalformedRequestLine);
    };
    if method.is_empty() || target.is_empty() {
        return Err(HttpError::MalformedRequestLine);
    }
    if !is_token(method) {
        return Err(HttpError::InvalidMethod);
    }
    if target.len() > MAX_TARGET_LEN {
        return Err(HttpError::TargetTooLong);
    }
    if !target.iter().all(|&b| is_target_char(b)) || !valid_percent_encoding(target) {
        return Err(HttpError::InvalidTarget);
    }
    let version = parse_version(version)?;
    if version.0 != 1 {
        return Err(HttpError::UnsupportedVersion);
    }
    let Some((headers, used)) = parse_fields(buf, after_line, MAX_HEADER_SECTION, MAX_FIELDS)?
    else {
        return Ok(Parse::Partial);
    };
    check_host(&headers, version)?;
    let body = request_body_kind(&headers)?;
    Ok(Parse::Complete(
        Request {
            // Método e alvo já foram validados como ASCII.
            method: String::from_utf8_lossy(method).into_owned(),
            target: String::from_utf8_lossy(target).into_owned(),
            version,
            headers,
            body,
        },
        used,
    ))
}

/// A linha de requisição ainda não terminou: ela já passou do tamanho possível?
fn partial_request_line(line: &[u8]) -> Result<Parse<Request>, HttpError> {
    // método + SP + alvo + SP + "HTTP/1.1" + CRLF: o alvo é o que pode crescer.
    if line.len() > MAX_TARGET_LEN + 64 {
        return Err(match line.iter().position(|&b| b == b' ') {
            Some(sp) if sp < 64 => HttpError::TargetTooLong,
            _ => HttpError::MalformedRequestLine,
        });
    }
    Ok(Parse::Partial)
}

/// Todo `%` precisa vir seguido de dois dígitos hexadecimais (RFC 3986 §2.1).
fn valid_percent_encoding(target: &[u8]) -> bool {
    let mut i = 0;
    while i < target.len() {
        if target[i] == b'%' {
            match target.get(i + 1..i + 3) {
                Some([a, b]) if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => i += 3,
                _ => return false,
            }
        } else {
            i += 1;
        }
    }
    true
}

/// RFC 9112 §3.2: HTTP/1.1 exige exatamente um `Host`, e ele precisa ser válido.
fn check_host(headers: &[Header], version: Version) -> Result<(), HttpError> {
    let mut hosts = headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"));
    match (hosts.next(), hosts.next()) {
        (_, Some(_)) => Err(HttpError::DuplicateHost),
        (None, None) if version == Version(1, 0) => Ok(()),
        (None, None) => Err(HttpError::MissingHost),
        (Some(host), None) if valid_host(&host.value) => Ok(()),
        (Some(_), None) => Err(HttpError::InvalidHost),
    }
}

/// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2), com o host não vazio.
///
/// A §7.2 aceita `Host:` vazio para alvos sem autoridade (um URN, por
/// exemplo), mas este servidor só serve `http`, e um URI `http` com host
/// vazio é inválido: "A recipient that processes such a URI reference MUST
/// reject it as invalid" (RFC 9110 §4.2.1; e RFC 9112 §3.2: Host inválido → 400).
fn valid_host(value: &[u8]) -> bool {
    if let Some(rest) = value.strip_prefix(b"[") {
        // IP literal: [::1]:8080
        let Some(close) = rest.iter().position(|&b| b == b']') else {
            return false;
        };
        let inside = &rest[..close];
        let ok = !inside.is_empty()
            && inside
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b":.vV".contains(&b));
        if !ok {
            return false;
        }
        return match &rest[close + 1..] {
            [] => true,
            [b':', port @ ..] => port.iter().all(u8::is_ascii_digit),
            _ => false,
        };
    }
    let (host, port) = match value.iter().rposition(|&b| b == b':') {
        Some(colon) => (&value[..colon], &value[colon + 1..]),
        None => (value, &b""[..]),
    };
    let host_ok = !host.is_empty()
        && host
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=%".contains(&b));
    host_ok && port.iter().all(u8::is_ascii_digit)
}

/// Como o corpo de uma requisição termina (RFC 9112 §6.1 e §6.3).
fn request_body_kind(headers: &[Header]) -> Result<BodyKind, HttpError> {
    let length = content_length(headers)?;
    let Some(codings) = transfer_codings(headers) else {
        return Ok(match length {
            Some(0) | None => BodyKind::None,
            Some(n) => BodyKind::Length(n),
        });
    };
    if length.is_some() {
        return Err(HttpError::ContentLengthWithTransferEncoding);
    }
    if codings.last().map(String::as_str) != Some("chunked") {
        return Err(HttpError::ChunkedNotFinal);
    }
    if codings.len() > 1 {
        // gzip, deflate… antes do chunked: não sabemos decodificar.
        return Err(HttpError::UnsupportedTransferCoding);
    }
    Ok(BodyKind::Chunked)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::s3_web_server::http::MAX_FIELDS;

    pub(in crate::s3_web_server::http) fn req(raw: &[u8]) -> Result<Request, HttpError> {
        match parse_request(raw)? {
            Parse::Complete(r, used) => {
                assert_eq!(used, raw.len(), "consumiu o cabeçalho inteiro");
                Ok(r)
            }
            Parse::Partial => panic!("esperava requisição completa: {raw:?}"),
        }
    }

    #[test]
    fn parses_a_simple_get_with_host() {
        let r = req(b"GET /index.html?x=1 HTTP/1.1\r\nHost: localhost:6789\r\nAccept: */*\r\n\r\n")
            .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/index.html?x=1");
        assert_eq!(r.version, Version(1, 1));
        assert_eq!(r.header("host"), Some(&b"localhost:6789"[..]));
        assert_eq!(r.header("ACCEPT"), Some(&b"*/*"[..]));
        assert_eq!(r.body, BodyKind::None);
    }

    #[test]
    fn partial_until_the_blank_line_arrives() {
        let full = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        for cut in 0..full.len() {
            assert_eq!(
                parse_request(&full[..cut]),
                Ok(Parse::Partial),
                "corte em {cut}"
            );
        }
        assert!(matches!(parse_request(full), Ok(Parse::Complete(_, 27))));
    }

    #[test]
    fn accepts_bare_lf_line_endings() {
        assert_eq!(req(b"GET / HTTP/1.1\nHost: a\n\n").unwrap().target, "/");
    }

    #[test]
    fn ignores_empty_lines_before_the_request_line() {
        assert_eq!(
            req(b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
                .unwrap()
                .method,
            "GET"
        );
    }

    #[test]
    fn accepts_absolute_form_targets() {
        let r = req(b"GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n").unwrap();
        assert_eq!(r.target, "http://example.com/a?b");
    }

    #[test]
    fn http10_request_without_host_is_accepted() {
        assert_eq!(
            req(b"GET / HTTP/1.0\r\n\r\n").unwrap().version,
            Version(1, 0)
        );
    }

    #[test]
    fn rejects_http11_request_without_host() {
        assert_eq!(req(b"GET / HTTP/1.1\r\n\r\n"), Err(HttpError::MissingHost));
    }

    #[test]
    fn rejects_two_host_fields() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
            Err(HttpError::DuplicateHost)
        );
    }

    #[test]
    fn rejects_invalid_host_values() {
        for bad in [&b"a b"[..], b"a/b", b"[::1", b"host:8x", b"a@b"] {
            let mut raw = b"GET / HTTP/1.1\r\nHost: ".to_vec();
            raw.extend_from_slice(bad);
            raw.extend_from_slice(b"\r\n\r\n");
            assert_eq!(req(&raw), Err(HttpError::InvalidHost), "{bad:?}");
        }
        assert!(req(b"GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n").is_ok());
        // Um `http` com host vazio é inválido (RFC 9110 §4.2.1): 400.
        for empty in [&b""[..], b" ", b":80"] {
            let mut raw = b"GET / HTTP/1.1\r\nHost:".to_vec();
            raw.extend_from_slice(empty);
            raw.extend_from_slice(b"\r\n\r\n");
            assert_eq!(req(&raw), Err(HttpError::InvalidHost), "{empty:?}");
        }
    }

    #[test]
    fn rejects_whitespace_between_field_name_and_colon() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
            Err(HttpError::WhitespaceBeforeColon)
        );
    }

    #[test]
    fn rejects_invalid_characters_in_field_name() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n"),
            Err(HttpError::InvalidFieldName)
        );
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nsem-dois-pontos\r\n\r\n"),
            Err(HttpError::InvalidFieldName)
        );
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\n: vazio\r\n\r\n"),
            Err(HttpError::InvalidFieldName)
        );
    }

    #[test]
    fn rejects_control_characters_in_field_values() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n"),
            Err(HttpError::InvalidFieldValue)
        );
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"),
            Err(HttpError::InvalidFieldValue),
            "CR solto"
        );
    }

    #[test]
    fn accepts_obs_text_in_field_values() {
        let r = req(b"GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n").unwrap();
        assert_eq!(r.header("x"), Some("café".as_bytes()));
    }

    #[test]
    fn rejects_obs_fold() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n"),
            Err(HttpError::ObsFold)
        );
    }

    #[test]
    fn rejects_whitespace_before_the_first_field() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\n Host: a\r\n\r\n"),
            Err(HttpError::WhitespaceAfterStartLine)
        );
    }

    #[test]
    fn rejects_invalid_characters_in_method() {
        assert_eq!(
            req(b"G(T / HTTP/1.1\r\nHost: a\r\n\r\n"),
            Err(HttpError::InvalidMethod)
        );
    }

    #[test]
    fn rejects_malformed_request_lines() {
        for bad in [
            &b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n"[..],
            b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
            b"GET /\r\nHost: a\r\n\r\n",
            b"GET\r\n\r\n",
            b" GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n",
        ] {
            assert_eq!(req(bad), Err(HttpError::MalformedRequestLine), "{bad:?}");
        }
    }

    #[test]
    fn rejects_malformed_versions() {
        for bad in [
            "http/1.1",
            "HTTP/1",
            "HTTP/1.1.1",
            "HTTP/11",
            "HTTP/1.x",
            "HTTP/10.0",
        ] {
            let raw = format!("GET / {bad}\r\nHost: a\r\n\r\n");
            assert_eq!(req(raw.as_bytes()), Err(HttpError::InvalidVersion), "{bad}");
        }
    }

    #[test]
    fn unsupported_major_version_is_505() {
        for v in ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"] {
            let raw = format!("GET / {v}\r\nHost: a\r\n\r\n");
            let err = req(raw.as_bytes()).unwrap_err();
            assert_eq!((err, err.status()), (HttpError::UnsupportedVersion, 505));
        }
        assert_eq!(
            req(b"GET / HTTP/1.9\r\nHost: a\r\n\r\n").unwrap().version,
            Version(1, 9)
        );
    }

    #[test]
    fn rejects_targets_with_spaces_controls_or_bad_percent_encoding() {
        for bad in [
            &b"/a%zz"[..],
            b"/a%4",
            b"/a\x01",
            b"/a\"b",
            b"/a<b>",
            b"/a\\b",
            b"/a#b",
            b"/\xc3\xa9",
        ] {
            let mut raw = b"GET ".to_vec();
            raw.extend_from_slice(bad);
            raw.extend_from_slice(b" HTTP/1.1\r\nHost: a\r\n\r\n");
            assert_eq!(req(&raw), Err(HttpError::InvalidTarget), "{bad:?}");
        }
    }

    #[test]
    fn target_over_8_kib_is_414_even_before_the_line_ends() {
        let long = format!(
            "GET /{} HTTP/1.1\r\nHost: a\r\n\r\n",
            "a".repeat(MAX_TARGET_LEN)
        );
        assert_eq!(req(long.as_bytes()).unwrap_err().status(), 414);
        let unfinished = format!("GET /{}", "a".repeat(MAX_TARGET_LEN + 100));
        assert_eq!(
            parse_request(unfinished.as_bytes()),
            Err(HttpError::TargetTooLong)
        );
    }

    #[test]
    fn header_section_over_16_kib_is_431() {
        let raw = format!(
            "GET / HTTP/1.1\r\nHost: a\r\nX: {}\r\n\r\n",
            "b".repeat(MAX_HEADER_SECTION)
        );
        assert_eq!(req(raw.as_bytes()).unwrap_err().status(), 431);
        let unfinished = format!(
            "GET / HTTP/1.1\r\nX: {}",
            "b".repeat(MAX_HEADER_SECTION + 1)
        );
        assert_eq!(
            parse_request(unfinished.as_bytes()),
            Err(HttpError::HeadersTooLarge)
        );
    }

    #[test]
    fn more_than_100_fields_is_431() {
        let mut raw = String::from("GET / HTTP/1.1\r\nHost: a\r\n");
        for i in 0..MAX_FIELDS {
            raw.push_str(&format!("X-{i}: 1\r\n"));
        }
        raw.push_str("\r\n");
        assert_eq!(req(raw.as_bytes()), Err(HttpError::TooManyFields));
    }

    #[test]
    fn rejects_invalid_content_length() {
        for bad in ["abc", "-1", "1 2", "", "+5", "99999999999999999999999"] {
            let raw = format!("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {bad}\r\n\r\n");
            assert_eq!(
                req(raw.as_bytes()),
                Err(HttpError::InvalidContentLength),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_conflicting_content_length_but_accepts_repeated_equal_values() {
        assert_eq!(
            req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            Err(HttpError::ConflictingContentLength)
        );
        assert_eq!(
            req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n"),
            Err(HttpError::ConflictingContentLength)
        );
        let ok = req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n").unwrap();
        assert_eq!(ok.body, BodyKind::Length(5));
    }

    #[test]
    fn content_length_with_transfer_encoding_is_400() {
        assert_eq!(
            req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(HttpError::ContentLengthWithTransferEncoding)
        );
    }

    #[test]
    fn transfer_coding_rules() {
        let te = |v: &str| {
            req(format!("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: {v}\r\n\r\n").as_bytes())
                .map(|r| r.body)
        };
        assert_eq!(te("chunked"), Ok(BodyKind::Chunked));
        assert_eq!(te("Chunked"), Ok(BodyKind::Chunked));
        assert_eq!(te("gzip"), Err(HttpError::ChunkedNotFinal));
        assert_eq!(te("chunked, gzip"), Err(HttpError::ChunkedNotFinal));
        assert_eq!(te("gzip, chunked").unwrap_err().status(), 501);
        assert_eq!(te("").unwrap_err(), HttpError::ChunkedNotFinal);
    }
}
