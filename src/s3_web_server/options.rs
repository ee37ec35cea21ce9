//! Extra: o método `OPTIONS` (RFC 9110 §9.3.7). `OPTIONS *` (o servidor) ou
//! `OPTIONS /caminho` pergunta o que se pode pedir aqui; a resposta é a
//! mesma para todo alvo, então nenhum arquivo é olhado.
//!
//! Chamado de um lugar só: a escolha do método em [`super::a_single`].
//! Experimente com `cargo serve` e `curl -X OPTIONS -i
//! http://127.0.0.1:6789/`; explicado em `lessons/03-web-server.md`.

use super::response::{ALLOW, Response};

/// `204 No Content` com `Allow`. Sem corpo, e por isso sem `Content-Length`
/// (RFC 9110 §8.6).
pub fn respond() -> Response {
    Response::new(204).field("Allow", ALLOW)
}
