//! Seção 3 do enunciado: o Web Server.
//!
//! | arquivo | o que faz | parte do enunciado |
//! |---|---|---|
//! | [`http`] | lê requisições e respostas HTTP/1.1 (puro: bytes entram, nada de sockets) | 3a, 3b, 3c |
//! | [`response`] | o cabeçalho de toda resposta: status, frase, `Date`, `Server`, `Connection` | 3a, 3b |
//! | [`files`] | do alvo da requisição a um arquivo dentro da raiz, e o `Content-Type` | 3a, 3b |
//! | [`connection`] | o tratador de uma conexão, o mesmo em 3a e 3b | 3a, 3b |
//! | [`a_single`] | uma requisição por vez, na thread principal | 3a |
//! | [`b_threaded`] | uma thread por conexão, com limite | 3b |
//! | [`c_client`] | o cliente HTTP `client host porta arquivo` | 3c |
//! | [`minimal`] | o menor servidor que funciona, com os defeitos do esqueleto do livro (para ler primeiro) | 3a, 3b |
//!
//! Rode com `cargo serve` (3b), `cargo serve-single` (3a) e `cargo get
//! index.html` (3c), em qualquer sistema; no Linux e no macOS, também com
//! `make serve` (3b), `make serve-single` (3a) e
//! `make get FILE=index.html` (3c). A aula é `lessons/03-web-server.md`.

pub mod a_single;
pub mod b_threaded;
pub mod c_client;
pub mod connection;
pub mod files;
pub mod http;
pub mod minimal;
pub mod response;
