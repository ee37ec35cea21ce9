//! As conferências de 3b: um segundo cliente e muitos clientes ao mesmo tempo.

use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use super::exchange::{Exchange, exchange, get, open, quote_status, request, secs};
use super::{CROWD, RESPONSE_LIMIT, SECOND_CLIENT_LIMIT};
use crate::child::Server;
use crate::report::Check;

/// O cliente foi atendido? Em 3b só importa a concorrência: qualquer
/// resposta conta, seja qual for o corpo (o formato é de outras conferências).
fn answered(ex: &Exchange) -> bool {
    !ex.raw.is_empty()
}

pub(super) fn second_client(
    server: &mut Server,
    addr: SocketAddr,
    host: &str,
    limit: Duration,
) -> Check {
    const ID: &str = "web.concorrente";
    // O primeiro cliente conecta e não manda nada: um servidor de uma requisição
    // por vez fica preso no recv dele.
    let mut idle = match open(server, addr) {
        Ok(stream) => stream,
        Err(why) => return Check::skipped(ID, why),
    };
    let request_bytes = get("/index.html", host);
    let started = Instant::now();
    let mut second = TcpStream::connect_timeout(&addr, Duration::from_secs(2));
    let ex = match &mut second {
        Ok(stream) => exchange(
            stream,
            &[&request_bytes],
            SECOND_CLIENT_LIMIT.max(limit - RESPONSE_LIMIT + SECOND_CLIENT_LIMIT),
        ),
        Err(_) => Exchange::default(),
    };
    let took = started.elapsed();
    if answered(&ex) {
        // O primeiro também tem de ser atendido: uma thread que usa a
        // variável global da conexão (e não a sua) responde no socket do
        // último cliente aceito, e o primeiro fica sem resposta.
        drop(second);
        let first = exchange(&mut idle, &[&request_bytes], limit);
        if !answered(&first) {
            return Check::fail(
                ID,
                format!(
                    "com um cliente conectado sem mandar nada, o segundo foi atendido em {} ms, mas depois o primeiro mandou a requisição e {}; cada thread deve usar a sua conexão (o argumento que recebeu), não uma variável global que o próximo accept troca",
                    took.as_millis(),
                    quote_status(&first)
                ),
            );
        }
        return Check::pass(
            ID,
            format!(
                "com um cliente conectado sem mandar nada, o segundo foi atendido em {} ms; depois, o primeiro também",
                took.as_millis()
            ),
        );
    }
    // Antes de fechar, o primeiro manda a requisição e o segundo espera a
    // vez: um servidor 3a atende os dois em ordem, sem cair por causa
    // de uma conexão fechada vazia.
    let _ = exchange(&mut idle, &[&request_bytes], limit);
    let after = match &mut second {
        Ok(stream) => exchange(stream, &[], limit),
        Err(_) => Exchange::default(),
    };
    let (then, what) = if answered(&after) {
        (
            "; ele só foi atendido depois que o primeiro mandou a requisição",
            "o servidor atende um cliente por vez (isso é 3a)",
        )
    } else {
        ("", "o servidor não atendeu o segundo cliente")
    };
    Check::fail(
        ID,
        format!(
            "com um cliente conectado sem mandar nada, o segundo esperou {} sem resposta{then}: {what}; crie uma thread por conexão: threading.Thread(target=atender, args=(connectionSocket,)).start()",
            secs(took)
        ),
    )
}

/// `per_request`: quanto a primeira requisição levou. O prazo de cada
/// cliente cresce com ele: um servidor lento (um `send` por caractere, numa
/// máquina ocupada) não é um servidor que deixa clientes sem resposta.
pub(super) fn crowd(
    server: &mut Server,
    addr: SocketAddr,
    host: &str,
    per_request: Duration,
) -> Check {
    const ID: &str = "web.muitos";
    // O primeiro dos clientes confirma que o servidor está de pé.
    let first = match open(server, addr) {
        Ok(stream) => stream,
        Err(why) => return Check::skipped(ID, why),
    };
    let barrier = Arc::new(Barrier::new(CROWD));
    let request_bytes = get("/index.html", host);
    let mut first = Some(first);
    let started = Instant::now();
    let handles: Vec<_> = (0..CROWD)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let request_bytes = request_bytes.clone();
            let mine = first.take();
            thread::spawn(move || {
                barrier.wait();
                // Pelo menos 16 s: com a fila do `listen` cheia, o Linux
                // descarta o SYN e o cliente o reenvia depois de 1, 3, 7 e
                // 15 s; um servidor correto não pode reprovar por isso.
                let limit = (per_request * (4 * CROWD as u32))
                    .clamp(Duration::from_secs(16), Duration::from_secs(30));
                let ex = match mine {
                    Some(mut stream) => exchange(&mut stream, &[&request_bytes], limit),
                    None => request(addr, &[&request_bytes], limit),
                };
                answered(&ex)
            })
        })
        .collect();
    let ok = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(false))
        .filter(|&b| b)
        .count();
    let took = started.elapsed();
    if ok == CROWD {
        Check::pass(
            ID,
            format!(
                "{CROWD} clientes conectaram ao mesmo tempo e todos foram atendidos em {}",
                secs(took)
            ),
        )
    } else {
        Check::fail(
            ID,
            format!(
                "{CROWD} clientes conectaram ao mesmo tempo e só {ok} tiveram resposta (esperei {}); confira o listen() e se cada thread atende e fecha a sua conexão",
                secs(took)
            ),
        )
    }
}
