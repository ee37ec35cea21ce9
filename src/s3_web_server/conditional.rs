//! Extra: o GET condicional (RFC 9110 §13). Um navegador que já tem o
//! arquivo manda `If-Modified-Since` com o `Last-Modified` que recebeu; se
//! o arquivo não mudou, a resposta é `304 Not Modified`, só o cabeçalho.
//! `If-Unmodified-Since` e `If-Match` pedem o contrário: `412` se mudou.
//!
//! Chamado de um lugar só: o GET de um arquivo em [`super::a_single`].
//! Experimente com `cargo serve` e `curl -z www/index.html
//! http://127.0.0.1:6789/index.html`. Explicado em `lessons/03-web-server.md`.

use super::http::Request;
use super::response::Response;
use crate::clock::{http_date, parse_http_date, unix_now};

/// A resposta que as pré-condições de `request` pedem para um arquivo
/// modificado em `mtime` (segundos Unix): 304, 412, ou `None` para
/// responder 200 normalmente.
pub fn check(request: &Request, mtime: i64) -> Option<Response> {
    match precondition(request, mtime)? {
        // O cliente já tem esta versão: vai só o cabeçalho.
        304 => Some(Response::new(304).field("Last-Modified", http_date(mtime))),
        status => Some(Response::error(
            status,
            "o arquivo mudou depois da data indicada na requisição",
        )),
    }
}

/// As pré-condições de um GET ou HEAD, na ordem da RFC 9110 §13.2.2, para
/// um servidor que só tem `Last-Modified` (nenhum `ETag`): `Some(412)`,
/// `Some(304)`, ou `None` para responder 200 normalmente.
fn precondition(request: &Request, mtime: i64) -> Option<u16> {
    let date = |name| {
        let value = request.header(name)?;
        // Data inválida: o campo é ignorado (RFC 9110 §13.1.3 e §13.1.4).
        std::str::from_utf8(value).ok().and_then(parse_http_date)
    };
    let is_star = |value: &[u8]| value.trim_ascii() == b"*";
    // 1. If-Match: `*` vale para qualquer arquivo existente; uma lista de
    //    ETags nunca casa, porque não geramos ETags.
    if let Some(value) = request.header("if-match") {
        if !is_star(value) {
            return Some(412);
        }
    } else if date("if-unmodified-since").is_some_and(|since| mtime > since) {
        // 2. If-Unmodified-Since: o arquivo mudou depois da data.
        return Some(412);
    }
    // 3. If-None-Match: `*` casa com qualquer arquivo existente (→ 304);
    //    uma lista de ETags nunca casa. Com ele, If-Modified-Since é ignorado.
    if let Some(value) = request.header("if-none-match") {
        return is_star(value).then_some(304);
    }
    // 4. If-Modified-Since: 304 se o arquivo não mudou desde a data. Uma
    //    data no futuro não pode ter vindo de um Last-Modified nosso: é
    //    ignorada, para não prender um cache numa cópia velha.
    let now = unix_now().as_secs() as i64;
    date("if-modified-since")
        .is_some_and(|since| mtime <= since && since <= now)
        .then_some(304)
}
