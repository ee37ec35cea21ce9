//! O teto do modelo "uma thread por conexão", medido na mesma execução que
//! o 3b (`benches/comparar.sh`, `make compare`).
//!
//! Um servidor propositalmente **nu**: `accept`, uma thread nova (com a
//! mesma pilha do 3b), um `read` até a linha em branco, uma resposta fixa
//! (o arquivo dado, lido uma vez na partida), `close`. Sem parser, sem
//! arquivos por requisição, sem prazos, sem log, sem limite de conexões: nada do
//! que um servidor de verdade precisa. A razão 3b ÷ esta referência diz
//! quanto do tempo do 3b é do modelo (criar a thread, o TCP) e quanto é do
//! nosso código. Não é exemplo de como escrever um servidor.
//!
//! ```console
//! $ cargo bench --bench referencia -- --port 8080 --file www/estilo.css [--keep-alive]
//! ```
//!
//! Sob `cargo test` (sem `--port`), atende uma requisição a si mesma e confere a
//! resposta, só para provar que o código funciona.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

use pratica_sockets::s3_web_server::b_threaded::STACK_SIZE;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let keep_alive = args.iter().any(|a| a == "--keep-alive");
    let body = match value("--file") {
        Some(path) => std::fs::read(path).expect("--file: arquivo legível"),
        None => b"referencia\n".to_vec(),
    };
    let response = Arc::new(response(&body, keep_alive));
    let Some(port) = value("--port") else {
        return self_check(&response);
    };
    let listener =
        TcpListener::bind(("127.0.0.1", port.parse().expect("--port: número"))).expect("bind");
    eprintln!(
        "referencia: escutando em {}",
        listener.local_addr().expect("endereço")
    );
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let response = Arc::clone(&response);
        let _ = thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn(move || serve(stream, &response, keep_alive));
    }
}

fn response(body: &[u8], keep_alive: bool) -> Vec<u8> {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nServer: referencia\r\nContent-Type: text/css\r\n\
         Content-Length: {}\r\nConnection: {connection}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

/// Lê até a linha em branco e responde; com `keep_alive`, repete até o
/// cliente fechar (supõe requisições sem corpo, como as do wrk).
fn serve(mut stream: TcpStream, response: &[u8], keep_alive: bool) {
    if keep_alive {
        let _ = stream.set_nodelay(true);
    }
    let mut buf = [0u8; 4096];
    let mut have = 0;
    loop {
        let Ok(n) = stream.read(&mut buf[have..]) else {
            return;
        };
        if n == 0 {
            return;
        }
        have += n;
        // Responde a cada cabeçalho completo já no buffer (pipelining do wrk).
        while let Some(end) = buf[..have].windows(4).position(|w| w == b"\r\n\r\n") {
            if stream.write_all(response).is_err() || !keep_alive {
                return;
            }
            buf.copy_within(end + 4..have, 0);
            have -= end + 4;
        }
        if have == buf.len() {
            return;
        }
    }
}

fn self_check(response: &Arc<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("endereço");
    let expected = Arc::clone(response);
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        serve(stream, &expected, false);
    });
    let mut client = TcpStream::connect(addr).expect("connect");
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let mut got = Vec::new();
    client.read_to_end(&mut got).expect("read");
    server.join().expect("servidor");
    assert_eq!(&got, response.as_ref());
    println!("referencia: ok ({} bytes)", got.len());
}
