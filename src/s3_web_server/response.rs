//! A resposta do servidor (3a e 3b): um valor que diz o status, os campos
//! e o corpo, e **um** lugar que o escreve no socket e conta os bytes.
//!
//! ```text
//! HTTP/1.1 404 Not Found\r\n            ← linha de status
//! Date: Wed, 25 Nov 2026 16:40:00 GMT\r\n
//! Server: pratica-sockets/0.1.0\r\n
//! Content-Type: text/html; charset=utf-8\r\n
//! Content-Length: 250\r\n
//! Connection: close\r\n
//! \r\n                                   ← a linha em branco: fim do cabeçalho
//! <!DOCTYPE html>…                       ← o corpo
//! ```
//!
//! Parte de 3a e 3b (`cargo serve-single`, `cargo serve`); explicado em
//! `lessons/03-web-server.md`.
//!
//! Invariante: montar uma resposta não toca em sockets; só
//! [`Response::write_to`] escreve.

use std::fmt::{Display, Write as _};
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::TcpStream;

use crate::clock::{http_date, unix_now};

/// O nome e a versão do programa: o `Server` das respostas do servidor e o
/// `User-Agent` das requisições do cliente (3c).
pub const PRODUCT: &str = concat!("pratica-sockets/", env!("CARGO_PKG_VERSION"));

/// Os métodos que o servidor atende: o valor do `Allow` na resposta a
/// `OPTIONS` e nas respostas 405 (RFC 9110 §10.2.1 e §15.5.6).
pub const ALLOW: &str = "GET, HEAD, OPTIONS";

/// Arquivos até este tamanho vão junto com o cabeçalho numa escrita só;
/// maiores vão pelo `io::copy`, em pedaços.
const SMALL_FILE: u64 = 64 * 1024;

/// Uma resposta pronta para sair: o cabeçalho (menos `Connection`, que
/// depende da conexão) e o corpo.
///
/// ```
/// use pratica_sockets::s3_web_server::response::Response;
/// let response = Response::error(404, "não existe");
/// assert_eq!(response.status, 404);
/// assert!(response.head().starts_with("HTTP/1.1 404 Not Found\r\n"));
/// ```
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    head: String,
    body: Body,
    keep_alive: bool,
}

#[derive(Debug)]
enum Body {
    None,
    Bytes(Vec<u8>),
    /// Um arquivo aberto, e quantos bytes dele enviar.
    File(File, u64),
}

impl Response {
    /// A linha de status e os campos que toda resposta tem: `Date` e `Server`.
    pub fn new(status: u16) -> Response {
        let mut head = String::with_capacity(256);
        // `write!` numa `String` nunca falha; o `let _` só diz isso ao compilador.
        let _ = write!(
            head,
            "HTTP/1.1 {status} {}\r\nDate: {}\r\nServer: {PRODUCT}\r\n",
            reason_phrase(status),
            http_date(unix_now().as_secs() as i64)
        );
        Response {
            status,
            head,
            body: Body::None,
            keep_alive: false,
        }
    }

    /// Mais um campo, `Nome: valor`.
    pub fn field(mut self, name: &str, value: impl Display) -> Response {
        let _ = write!(self.head, "{name}: {value}\r\n");
        self
    }

    /// Uma página de erro (ou de aviso) em português, com os campos que o
    /// status pede: `Allow` no 405 e `Retry-After` no 503.
    pub fn error(status: u16, detail: &str) -> Response {
        let response = Response::new(status);
        let response = match status {
            405 => response.field("Allow", ALLOW),
            503 => response.field("Retry-After", "1"),
            _ => response,
        };
        response.html_page(detail)
    }

    /// O corpo: uma página HTML pequena sobre o status, com `detail`.
    pub fn html_page(self, detail: &str) -> Response {
        let body = error_page(self.status, detail);
        let mut response = self
            .field("Content-Type", "text/html; charset=utf-8")
            .field("Content-Length", body.len());
        response.body = Body::Bytes(body.into_bytes());
        response
    }

    /// O corpo: `len` bytes de `file` (o `Content-Length` fica com quem chama).
    pub fn file(mut self, file: File, len: u64) -> Response {
        self.body = Body::File(file, len);
        self
    }

    /// O mesmo cabeçalho, sem o corpo: a resposta a um HEAD (RFC 9110 §9.3.2).
    pub fn without_body(mut self) -> Response {
        self.body = Body::None;
        self
    }

    /// A resposta diz `Connection: keep-alive` em vez de `close`: só o extra
    /// de conexões persistentes ([`super::keep_alive`]) pede isto.
    pub fn keep_alive(mut self) -> Response {
        self.keep_alive = true;
        self
    }

    /// O cabeçalho até aqui (sem `Connection` e sem a linha em branco).
    pub fn head(&self) -> &str {
        &self.head
    }

    /// Escreve a resposta inteira em `stream`: o único lugar que envia uma
    /// resposta. Devolve quantos bytes saíram (para o log) e se deu certo.
    ///
    /// O último campo é `Connection: close` (uma conexão TCP por par
    /// requisição/resposta, como pede o enunciado), salvo depois de
    /// [`Response::keep_alive`]: `keep-alive` vai explícito mesmo em HTTP/1.1
    /// (onde é o padrão), como faz o nginx, porque um cliente HTTP/1.0 precisa ver.
    pub fn write_to(self, stream: &mut TcpStream) -> (u64, io::Result<()>) {
        let mut bytes = self.head.into_bytes();
        bytes.extend_from_slice(if self.keep_alive {
            b"Connection: keep-alive\r\n\r\n"
        } else {
            b"Connection: close\r\n\r\n"
        });
        let head_len = bytes.len();
        match self.body {
            Body::None => write_counted(stream, &bytes),
            Body::Bytes(body) => {
                bytes.extend_from_slice(&body);
                write_counted(stream, &bytes)
            }
            Body::File(file, len) if len <= SMALL_FILE => {
                // Uma escrita só: um segmento TCP a menos e uma chamada ao
                // kernel a menos. Sabemos o tamanho, então um `read` basta.
                bytes.resize(head_len + len as usize, 0);
                match file.take(len).read_exact(&mut bytes[head_len..]) {
                    Ok(()) => write_counted(stream, &bytes),
                    Err(err) => (0, Err(err)),
                }
            }
            Body::File(file, len) => {
                let (sent, result) = write_counted(stream, &bytes);
                if result.is_err() {
                    return (sent, result);
                }
                // `io::copy` lê o arquivo em pedaços e os manda com `sendto`,
                // sem carregar o arquivo inteiro na memória.
                match io::copy(&mut file.take(len), stream) {
                    Ok(n) => (sent + n, Ok(())),
                    Err(err) => (sent, Err(err)),
                }
            }
        }
    }
}

/// `write_all`, e quantos bytes isso conta para o log: todos, ou nenhum.
fn write_counted(stream: &mut TcpStream, bytes: &[u8]) -> (u64, io::Result<()>) {
    match stream.write_all(bytes) {
        Ok(()) => (bytes.len() as u64, Ok(())),
        Err(err) => (0, Err(err)),
    }
}

/// Uma página HTML pequena, em português, para respostas de erro.
fn error_page(status: u16, detail: &str) -> String {
    let reason = reason_phrase(status);
    format!(
        "<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head><meta charset=\"utf-8\"><title>{status} {reason}</title></head>\n\
         <body>\n<h1>{status} {reason}</h1>\n<p>{detail}.</p>\n<hr><address>{PRODUCT}</address>\n</body>\n</html>\n"
    )
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
    fn status_line_common_fields_then_extra_fields_in_order() {
        let response = Response::new(200)
            .field("Content-Type", "text/plain")
            .field("Content-Length", 5);
        let lines: Vec<&str> = response.head().split("\r\n").collect();
        assert_eq!(lines[0], "HTTP/1.1 200 OK");
        assert!(lines[1].starts_with("Date: ") && lines[1].ends_with(" GMT"));
        assert_eq!(lines[2], format!("Server: {PRODUCT}"));
        assert_eq!(
            &lines[3..],
            ["Content-Type: text/plain", "Content-Length: 5", ""]
        );
    }

    #[test]
    fn error_pages_carry_the_fields_their_status_needs() {
        assert!(
            Response::error(405, "x")
                .head()
                .contains("Allow: GET, HEAD, OPTIONS\r\n")
        );
        assert!(
            Response::error(503, "x")
                .head()
                .contains("Retry-After: 1\r\n")
        );
        let page = Response::error(404, "não existe");
        assert!(
            page.head()
                .contains("Content-Type: text/html; charset=utf-8\r\n")
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
