//! O parser HTTP/1.1 da seção 3, usado nos dois sentidos: pelo servidor
//! (3a e 3b) para ler requisições e pelo cliente (3c) para ler respostas.
//!
//! Segue a gramática da RFC 9112 (seções 2 a 7), um arquivo por ideia:
//! [`request`] (a requisição que o servidor lê), [`response_head`] (o
//! cabeçalho da resposta que o cliente lê), [`chunked`] (o corpo em *chunks*), [`error`]
//! (o que pode estar errado, e o status de cada erro) e `syntax` (linhas,
//! campos e classes de caracteres, comuns aos dois sentidos). Roda dentro
//! de `cargo serve` e de `cargo get index.html`; explicado em
//! `lessons/03-web-server.md`.
//!
//! Invariante: este módulo não faz E/S. Entram bytes, sai uma requisição, uma
//! resposta, "preciso de mais bytes" ([`Parse::Partial`]) ou um [`HttpError`]
//! tipado. Nenhuma entrada, por pior que seja, causa pânico.

pub mod chunked;
pub mod error;
pub mod request;
pub mod response_head;
mod syntax;

pub use chunked::{Chunk, ChunkedDecoder};
pub use error::HttpError;
pub use request::{MAX_FIELDS, MAX_HEADER_SECTION, MAX_TARGET_LEN, Request, parse_request};
pub use response_head::{MAX_RESPONSE_HEAD, ResponseHead, parse_response_head};

use syntax::trim_ows;

/// O resultado de tentar ler uma mensagem de um buffer que pode estar incompleto.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parse<T> {
    /// O cabeçalho está completo e ocupou os primeiros `usize` bytes do buffer.
    Complete(T, usize),
    /// Ainda não chegou a linha em branco que termina o cabeçalho.
    Partial,
}

/// A versão do protocolo, `HTTP/1.1` = `Version(1, 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(pub u8, pub u8);

/// Um campo de cabeçalho. O valor fica em bytes: a RFC permite bytes acima
/// de 127 ("obs-text"), que não são necessariamente UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub value: Vec<u8>,
}

/// Como o corpo de uma mensagem termina (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// Sem corpo.
    None,
    /// Exatamente este número de bytes.
    Length(u64),
    /// Uma sequência de *chunks* que termina num *chunk* de tamanho zero.
    Chunked,
    /// Até o servidor fechar a conexão (só em respostas).
    UntilClose,
}

/// O primeiro valor de um campo, procurando o nome sem diferenciar maiúsculas.
pub fn header<'a>(headers: &'a [Header], name: &str) -> Option<&'a [u8]> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_slice())
}

/// HTTP/1.1 sim, a menos que algum `Connection` traga `close`; em HTTP/1.0
/// só se algum `Connection` trouxer `keep-alive`. Vale para requisições (o que o
/// cliente quer) e para respostas (o que o servidor vai fazer).
///
/// # Exemplos
/// ```
/// use pratica_sockets::s3_web_server::http::{Header, Version, persistent};
///
/// let close = [Header { name: "Connection".into(), value: b"Close".to_vec() }];
/// assert!(persistent(Version(1, 1), &[]));
/// assert!(!persistent(Version(1, 1), &close));
/// assert!(!persistent(Version(1, 0), &[]));
/// ```
pub fn persistent(version: Version, headers: &[Header]) -> bool {
    let says = |token: &str| has_token(headers, "connection", token);
    if says("close") {
        false
    } else if version == Version(1, 0) {
        says("keep-alive")
    } else {
        true
    }
}

/// Algum campo `name` (pode haver vários) tem `token` na sua lista
/// separada por vírgulas, sem diferenciar maiúsculas?
fn has_token(headers: &[Header], name: &str, token: &str) -> bool {
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case(name))
        .flat_map(|h| h.value.split(|&b| b == b','))
        .any(|part| trim_ows(part).eq_ignore_ascii_case(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3_web_server::http::request::tests::req;

    #[test]
    fn persistence_follows_rfc_9112_section_9_3() {
        let persistent_req = |raw: &[u8]| {
            let r = req(raw).unwrap();
            persistent(r.version, &r.headers)
        };
        assert!(persistent_req(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assert!(!persistent_req(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        ));
        // Listas, maiúsculas, espaços e campos repetidos contam.
        assert!(!persistent_req(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: x\r\nConnection: Upgrade , CLOSE\r\n\r\n"
        ));
        // Um token que só contém "close" não é "close".
        assert!(persistent_req(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n"
        ));
        assert!(!persistent_req(b"GET / HTTP/1.0\r\n\r\n"));
        assert!(persistent_req(
            b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
        ));
        assert!(!persistent_req(
            b"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"
        ));
    }
}
