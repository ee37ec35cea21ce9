//! Seção 3b: o servidor web com **uma thread por conexão**.
//!
//! A thread principal só faz `accept`; cada conexão aceita ganha uma thread
//! nova (com nome e pilha pequena) que chama o mesmo `handle_connection` da
//! 3a. Roda com `make serve`; explicado em `lessons/03-web-server.md`.
//!
//! Invariantes: nunca há mais de `max_connections` threads atendendo; a
//! conexão que passaria do limite (ou cuja thread o sistema recusou criar)
//! recebe `503 Service Unavailable` e é fechada; um cliente parado prende
//! só a própria thread, nunca o `accept`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use super::connection::{Site, accept_failed, busy_response, handle_connection};
use crate::output;

/// Pilha de cada thread de conexão. O padrão do Rust é 2 MiB; o tratador
/// não usa recursão nem buffers grandes na pilha, e com 1000 conexões a
/// diferença aparece na memória.
pub const STACK_SIZE: usize = 128 * 1024;

/// Conta as conexões em atendimento; o `Drop` desconta, mesmo se a thread
/// terminar por pânico.
struct Active(Arc<AtomicUsize>);

impl Drop for Active {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Release);
    }
}

/// Atende conexões para sempre, cada uma na sua thread.
pub fn serve(listener: &TcpListener, site: Site, max_connections: usize) -> ! {
    let site = Arc::new(site);
    let active = Arc::new(AtomicUsize::new(0));
    let busy = busy_response();
    let mut next_id: u64 = 0;
    loop {
        let (stream, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(err) => {
                accept_failed(&err);
                continue;
            }
        };
        if active.load(Ordering::Acquire) >= max_connections {
            reject(stream, &busy);
            continue;
        }
        active.fetch_add(1, Ordering::AcqRel);
        let guard = Active(Arc::clone(&active));
        next_id += 1;
        // A conexão vai para a thread por esta "caixa": se o sistema recusar
        // criar a thread, ela continua aqui e ainda podemos responder 503.
        let slot = Arc::new(Mutex::new(Some(stream)));
        let theirs = Arc::clone(&slot);
        let site = Arc::clone(&site);
        let spawned = thread::Builder::new()
            .name(format!("conexao-{next_id}"))
            .stack_size(STACK_SIZE)
            .spawn(move || {
                let _guard = guard;
                let stream = theirs.lock().ok().and_then(|mut s| s.take());
                if let Some(stream) = stream {
                    handle_connection(stream, peer, &site);
                }
            });
        if let Err(err) = spawned {
            output::line(&format!(
                "web-server: não foi possível criar a thread (503): {}",
                crate::net::pt_br(&err)
            ));
            let stream = slot.lock().ok().and_then(|mut s| s.take());
            if let Some(stream) = stream {
                reject(stream, &busy);
            }
        }
    }
}

/// Responde 503 e fecha, sem nunca esperar pelo cliente: o `accept` não
/// pode parar por causa de quem ele está recusando.
///
/// O socket fica não bloqueante: a resposta (menos de 1 KB) cabe inteira no
/// buffer de envio de uma conexão nova; depois do FIN (`shutdown`) lemos só
/// o que o cliente já tiver mandado, para que o `close` não vire RST por
/// causa de bytes não lidos.
fn reject(stream: TcpStream, response: &[u8]) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    let _ = (&stream).write_all(response);
    let _ = stream.shutdown(Shutdown::Write);
    let mut buf = [0u8; 4096];
    while let Ok(n) = (&stream).read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}
