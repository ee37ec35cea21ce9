//! O cabeçalho de toda resposta do servidor (3a e 3b), montado num lugar só:
//! a linha de status com a frase de cada código, os campos que toda
//! resposta leva (`Date`, `Server`), os do caso (`Content-Type`,
//! `Content-Length`, `Location`…) e, por último, `Connection` e a linha em
//! branco que termina o cabeçalho.
//!
//! ```text
//! HTTP/1.1 404 Not Found\r\n            ← linha de status
//! Date: Wed, 25 Nov 2026 16:40:00 GMT\r\n
//! Server: pratica-sockets/0.1.0\r\n
//! Content-Type: text/html; charset=utf-8\r\n
//! Content-Length: 250\r\n
//! Connection: close\r\n
//! \r\n                                   ← a linha em branco: fim do cabeçalho
//! ```
//!
//! Invariante: puro, como `http.rs`: monta bytes, não toca em sockets.

use std::fmt::{Display, Write as _};

use crate::clock::{http_date, unix_now};

/// O nome e a versão do programa: o `Server` das respostas do servidor e o
/// `User-Agent` das requisições do cliente (3c).
pub const PRODUCT: &str = concat!("pratica-sockets/", env!("CARGO_PKG_VERSION"));

/// Os métodos que o servidor atende: o valor do `Allow` na resposta a
/// `OPTIONS` e nas respostas 405 (RFC 9110 §10.2.1 e §15.5.6).
pub const ALLOW: &str = "GET, HEAD, OPTIONS";

/// Um cabeçalho de resposta em construção.
///
/// ```
/// use pratica_sockets::s3_web_server::response::Head;
/// let head = Head::new(404).field("Content-Length", 0).finish(false);
/// assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"));
/// assert!(head.ends_with("Content-Length: 0\r\nConnection: close\r\n\r\n"));
/// ```
pub struct Head {
    text: String,
}

impl Head {
    /// A linha de status e os campos que toda resposta tem: `Date` e `Server`.
    pub fn new(status: u16) -> Head {
        let mut text = String::with_capacity(256);
        // `write!` numa `String` nunca falha; o `let _` só diz isso ao compilador.
        let _ = write!(
            text,
            "HTTP/1.1 {status} {}\r\nDate: {}\r\nServer: {PRODUCT}\r\n",
            reason_phrase(status),
            http_date(unix_now().as_secs() as i64)
        );
        Head { text }
    }

    /// Mais um campo, `Nome: valor`.
    pub fn field(mut self, name: &str, value: impl Display) -> Head {
        let _ = write!(self.text, "{name}: {value}\r\n");
        self
    }

    /// O último campo, `Connection`, e a linha em branco que termina o cabeçalho.
    ///
    /// Sem `--keep-alive`, sempre `close`: uma conexão TCP por par
    /// requisição/resposta, como pede o enunciado. `keep-alive` vai explícito
    /// mesmo em HTTP/1.1 (onde é o padrão), como faz o nginx: é o que um
    /// cliente HTTP/1.0 precisa ver, e o que um aluno procura.
    pub fn finish(mut self, keep_alive: bool) -> String {
        self.text.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        self.text
    }
}

/// A frase de motivo padrão de cada código que o servidor usa (RFC 9110 §15).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        412 => "Precondition Failed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line_common_fields_extra_fields_and_connection_in_order() {
        let head = Head::new(200)
            .field("Content-Type", "text/plain")
            .field("Content-Length", 5)
            .finish(true);
        let lines: Vec<&str> = head.split("\r\n").collect();
        assert_eq!(lines[0], "HTTP/1.1 200 OK");
        assert!(lines[1].starts_with("Date: ") && lines[1].ends_with(" GMT"));
        assert_eq!(lines[2], format!("Server: {PRODUCT}"));
        assert_eq!(
            &lines[3..],
            [
                "Content-Type: text/plain",
                "Content-Length: 5",
                "Connection: keep-alive",
                "",
                ""
            ]
        );
    }

    #[test]
    fn every_status_the_server_sends_has_its_own_reason_phrase() {
        for status in [
            200, 204, 301, 304, 400, 403, 404, 405, 408, 412, 414, 431, 500, 501, 503, 505,
        ] {
            assert_ne!(reason_phrase(status), "Unknown", "{status}");
        }
        // E todo status que um erro do parser produz também.
        for err in crate::s3_web_server::http::HttpError::ALL {
            assert_ne!(reason_phrase(err.status()), "Unknown", "{err:?}");
        }
    }
}
