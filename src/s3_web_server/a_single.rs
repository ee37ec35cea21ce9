//! Seção 3a: o servidor web que atende **uma requisição por vez**.
//!
//! A thread principal faz `accept` e atende a conexão ela mesma; só volta
//! ao `accept` quando a resposta terminou. Roda com `cargo serve-single` (ou
//! `make serve-single`);
//! explicado em `lessons/03-web-server.md`.
//!
//! Invariante: um erro numa conexão (ou no `accept`) nunca para o laço.

use std::net::TcpListener;

use super::connection::{Site, accept_failed, handle_connection};

/// Atende conexões para sempre, uma de cada vez.
pub fn serve(listener: &TcpListener, site: &Site) -> ! {
    loop {
        // `accept` tira da fila do kernel uma conexão que já completou a
        // apresentação de três vias e devolve um socket novo só para ela.
        match listener.accept() {
            Ok((stream, peer)) => handle_connection(stream, peer, site),
            Err(err) => accept_failed(&err),
        }
    }
}
