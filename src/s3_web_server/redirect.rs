//! Extra: o redirecionamento `301` de uma pasta pedida sem a barra final
//! (`/sub` → `/sub/`), para que os links relativos do `index.html` dela
//! funcionem. Quem descobre que o alvo é uma pasta é
//! [`super::files::locate`]; aqui se monta a resposta.
//!
//! Chamado de um lugar só: o GET em [`super::a_single`]. Experimente com
//! `cargo serve` e `curl -i http://127.0.0.1:6789/sobre`; explicado em
//! `lessons/03-web-server.md`.

use super::response::Response;

/// `301 Moved Permanently` para `location`, com uma página que explica.
pub fn add_slash(location: &str) -> Response {
    Response::new(301)
        .field("Location", location)
        .html_page("esta pasta está no endereço com barra no fim")
}
