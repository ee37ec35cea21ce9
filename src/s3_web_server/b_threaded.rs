//! Seção 3b: o servidor web com **uma thread por conexão**.
//!
//! A thread principal só faz `accept`; cada conexão aceita ganha uma thread
//! nova (com nome e pilha pequena) que chama o mesmo
//! [`handle_connection`] da 3a: aceitar →
//! criar a thread → (na thread) ler o cabeçalho, analisar, achar o arquivo,
//! enviar, registrar. Roda com `cargo serve` (ou `make serve`); explicado em
//! `lessons/03-web-server.md`.
//!
//! Invariantes: nunca há mais de `max_connections` threads atendendo; a
//! conexão que passaria do limite recebe `503 Service Unavailable` e é
//! fechada (se o sistema recusa criar a thread, ela só é fechada); um
//! cliente parado prende só a própria thread, nunca o `accept`.

use std::io::Read;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use super::a_single::{accept_failed, handle_connection};
use super::response::Response;
use super::site::Site;
use crate::{net, output};

/// O teto padrão de conexões atendidas ao mesmo tempo (`--max-connections`).
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// Pilha de cada thread de conexão. O padrão do Rust é 2 MiB; o tratador
/// não usa recursão nem buffers grandes na pilha, e com 1000 conexões a
/// diferença aparece na memória.
pub const STACK_SIZE: usize = 128 * 1024;

/// Atende conexões para sempre, cada uma na sua thread.
///
/// A ideia da 3b inteira está no `match`: aceitar, e passar a conexão para
/// uma thread nova; com o limite atingido, a conexão volta e recebe 503.
/// O resto do arquivo é o limite.
pub fn serve(listener: &TcpListener, site: Site, max_connections: usize) -> ! {
    let mut workers = Workers::new(site, max_connections);
    loop {
        match listener.accept() {
            Ok((stream, peer)) => {
                if let Err(stream) = workers.try_spawn(stream, peer) {
                    reject(stream);
                }
            }
            Err(err) => accept_failed(&err),
        }
    }
}

/// As threads de conexão: quantas estão atendendo, e o limite.
struct Workers {
    site: Arc<Site>,
    active: Arc<AtomicUsize>,
    max_connections: usize,
    next_id: u64,
}

impl Workers {
    fn new(site: Site, max_connections: usize) -> Workers {
        Workers {
            site: Arc::new(site),
            active: Arc::new(AtomicUsize::new(0)),
            max_connections,
            next_id: 0,
        }
    }

    /// Atende `stream` numa thread nova, que chama o mesmo
    /// `handle_connection` da 3a. Devolve a conexão (`Err`) quando o limite
    /// foi atingido.
    ///
    /// `Relaxed` basta: o contador só limita quantas threads existem e não
    /// publica dados para outra thread. Só esta thread (a do `accept`) soma,
    /// então o `load` seguido do `fetch_add` nunca passa do limite.
    fn try_spawn(&mut self, stream: TcpStream, peer: SocketAddr) -> Result<(), TcpStream> {
        if self.active.load(Ordering::Relaxed) >= self.max_connections {
            return Err(stream);
        }
        self.active.fetch_add(1, Ordering::Relaxed);
        let guard = Active(Arc::clone(&self.active));
        self.next_id += 1;
        let site = Arc::clone(&self.site);
        let spawned = thread::Builder::new()
            .name(format!("conexao-{}", self.next_id))
            .stack_size(STACK_SIZE)
            .spawn(move || {
                let _guard = guard;
                handle_connection(stream, peer, &site);
            });
        if let Err(err) = spawned {
            // O sistema não criou a thread (falta memória ou threads): a
            // conexão ia na closure, que o `spawn` descartou, e já fechou.
            output::line(&format!(
                "web-server: não foi possível criar a thread (conexão fechada): {}",
                net::pt_br(&err)
            ));
        }
        Ok(())
    }
}

/// Conta as conexões em atendimento; o `Drop` desconta quando a thread
/// termina, mesmo se terminar por pânico.
struct Active(Arc<AtomicUsize>);

impl Drop for Active {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Responde 503 e fecha, sem nunca esperar pelo cliente: o `accept` não
/// pode parar por causa de quem ele está recusando.
///
/// O socket fica não bloqueante: a resposta (menos de 1 KB) cabe no buffer
/// de envio de uma conexão nova; depois do FIN lemos só o que o cliente já
/// mandou, para que o `close` não vire RST por causa de bytes não lidos.
fn reject(mut stream: TcpStream) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    let busy = Response::error(503, "o servidor está ocupado; tente de novo em instantes");
    let _ = busy.write_to(&mut stream);
    let _ = stream.shutdown(Shutdown::Write);
    let mut buf = [0u8; 4096];
    while let Ok(n) = (&stream).read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}
