//! Seção 3 do enunciado: o Web Server.
//!
//! O caminho do enunciado está nos arquivos com a letra da seção; os extras
//! ficam ao lado, cada um no seu arquivo, chamados de um lugar só.
//!
//! | arquivo | o que faz | parte do enunciado |
//! |---|---|---|
//! | [`a_single`] | aceitar → ler o cabeçalho → analisar → achar o arquivo → enviar → registrar; uma requisição por vez | 3a |
//! | [`b_threaded`] | aceitar → uma thread por conexão (com limite) → o mesmo tratador da 3a | 3b |
//! | [`c_client`] | o cliente HTTP `client host porta arquivo` | 3c |
//! | [`http`] | lê requisições e respostas HTTP/1.1 (puro: bytes entram, nada de sockets) | 3a, 3b, 3c |
//! | [`files`] | do alvo da requisição a um arquivo dentro da raiz, e o `Content-Type` | 3a, 3b |
//! | [`response`] | a resposta (status, campos, corpo) e o único lugar que a envia | 3a, 3b |
//! | [`site`] | a raiz servida e os prazos de cada conexão | 3a, 3b |
//! | `connection.rs` | a conexão aceita: `read_more` com o prazo de leitura (`ReadDeadline`) e o fechamento | 3a, 3b |
//! | [`keep_alive`] | extra: conexões persistentes e pipelining (`--keep-alive`) | — |
//! | [`conditional`] | extra: GET condicional (304 e 412) | — |
//! | [`options`] | extra: o método `OPTIONS` | — |
//! | [`redirect`] | extra: `301` de uma pasta pedida sem a barra final | — |
//! | [`minimal`] | o menor servidor que funciona, com os defeitos do esqueleto do livro (para ler primeiro) | 3a, 3b |
//!
//! Rode com `cargo serve` (3b), `cargo serve-single` (3a) e `cargo get
//! index.html` (3c), em qualquer sistema; no Linux e no macOS, também com
//! `make serve` (3b), `make serve-single` (3a) e
//! `make get FILE=index.html` (3c). A aula é `lessons/03-web-server.md`.

pub mod a_single;
pub mod b_threaded;
pub mod c_client;
pub mod conditional;
mod connection;
pub mod files;
pub mod http;
pub mod keep_alive;
pub mod minimal;
pub mod options;
pub mod redirect;
pub mod response;
pub mod site;
