//! O extra das conexões persistentes (Kurose §2.2.2): `web-server --keep-alive`
//! e `http-client` com vários caminhos. TCP de verdade em 127.0.0.1:0; as
//! esperas são por eventos (bytes, EOF), sempre com prazo.

use crate::support;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use pratica_sockets::s3_web_server::keep_alive::KeepAlive;
use pratica_sockets::s3_web_server::site::Site;
use support::{Mode, Reply, TempDir, split_reply, start_web, test_site};

const THREADED: Mode = Mode::Threaded {
    max_connections: 64,
};

/// Conexões persistentes com uma ociosidade longa (os testes não dependem dela).
fn keep_alive(site: &mut Site) {
    site.keep_alive = Some(KeepAlive {
        idle_timeout: Duration::from_secs(30),
        max_requests: 1000,
    });
}

fn keep_alive_server(mode: Mode) -> (TempDir, SocketAddr) {
    let (dir, root) = test_site();
    let addr = start_web(mode, &root, keep_alive);
    (dir, addr)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: teste\r\n\r\n")
}

/// Lê **uma** resposta (cabeçalho + `Content-Length` bytes) sem esperar o
/// fechamento; o que vier depois fica em `pending`, para a próxima.
fn read_one(stream: &mut TcpStream, pending: &mut Vec<u8>) -> Reply {
    read_one_of(stream, pending, false)
}

/// Como [`read_one`]; `head`: a resposta a um HEAD não tem corpo.
fn read_one_of(stream: &mut TcpStream, pending: &mut Vec<u8>, head: bool) -> Reply {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            let len: usize = split_reply(&pending[..end + 4])
                .header("content-length")
                .map_or(0, |v| v.parse().unwrap());
            let len = if head || reply_has_no_body(&pending[..end]) {
                0
            } else {
                len
            };
            if pending.len() >= end + 4 + len {
                let reply = split_reply(&pending[..end + 4 + len]);
                pending.drain(..end + 4 + len);
                return reply;
            }
        }
        let n = stream.read(&mut chunk).expect("resposta chega no prazo");
        assert!(
            n > 0,
            "o servidor fechou no meio: {:?}",
            String::from_utf8_lossy(pending)
        );
        pending.extend_from_slice(&chunk[..n]);
    }
}

fn reply_has_no_body(head: &[u8]) -> bool {
    head.starts_with(b"HTTP/1.1 304")
}

/// Espera o fim da conexão (até 10 s) e devolve o que chegou antes dele.
fn read_until_eof(stream: &mut TcpStream) -> Vec<u8> {
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => rest,
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            panic!("a conexão não fechou em 10 s")
        }
        Err(e) => panic!("esperava FIN, veio {e}"),
    }
}

#[test]
fn without_the_flag_every_response_says_close_and_the_connection_ends() {
    let (_dir, root) = test_site();
    for mode in [Mode::Single, THREADED] {
        let addr = start_web(mode, &root, |_| {});
        for request in [
            "GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\n\r\n",
            "GET /nao-existe HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        ] {
            let mut stream = connect(addr);
            // Duas requisições de uma vez: só a primeira é respondida.
            stream
                .write_all(format!("{request}{request}").as_bytes())
                .unwrap();
            let raw = read_until_eof(&mut stream);
            let reply = split_reply(&raw);
            assert_eq!(
                reply.header("connection").as_deref(),
                Some("close"),
                "{mode:?} {request:?}"
            );
            assert_eq!(
                reply.header("content-length"),
                Some(reply.body.len().to_string()),
                "uma resposta só"
            );
        }
    }
}

#[test]
fn sequential_and_pipelined_requests_are_answered_in_order_on_one_connection() {
    for mode in [Mode::Single, THREADED] {
        let (_dir, addr) = keep_alive_server(mode);
        let mut stream = connect(addr);
        let mut pending = Vec::new();
        // Um por vez: pede, lê a resposta inteira, pede de novo.
        for (path, body) in [
            ("/a.txt", &b"texto simples\n"[..]),
            ("/", b"<h1>ola</h1>\n"),
            ("/sub/", b"<p>sub</p>\n"),
        ] {
            stream.write_all(get_request(path).as_bytes()).unwrap();
            let reply = read_one(&mut stream, &mut pending);
            assert_eq!((reply.status, reply.body.as_slice()), (200, body), "{path}");
            assert_eq!(reply.header("connection").as_deref(), Some("keep-alive"));
        }
        // Pipelining: quatro requisições num `write` só, uma delas um 404 e outra um HEAD.
        let burst = [
            get_request("/sub/"),
            get_request("/nao-existe"),
            "HEAD /a.txt HTTP/1.1\r\nHost: t\r\n\r\n".to_string(),
            get_request("/a.txt"),
        ]
        .concat();
        stream.write_all(burst.as_bytes()).unwrap();
        let statuses: Vec<(u16, Vec<u8>)> = (0..4)
            .map(|i| {
                let r = read_one_of(&mut stream, &mut pending, i == 2);
                let body =
                    if r.header("content-type").as_deref() == Some("text/plain; charset=utf-8") {
                        r.body
                    } else {
                        r.body.iter().take(11).copied().collect()
                    };
                (r.status, body)
            })
            .collect();
        assert_eq!(statuses[0], (200, b"<p>sub</p>\n".to_vec()), "{mode:?}");
        assert_eq!(statuses[1].0, 404);
        assert_eq!(statuses[2], (200, Vec::new()), "HEAD sem corpo");
        assert_eq!(statuses[3], (200, b"texto simples\n".to_vec()));
        assert!(pending.is_empty(), "nada além das quatro respostas");
        // O cliente diz `close`: a resposta diz `close` e a conexão acaba.
        stream
            .write_all(b"GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            .unwrap();
        let last = read_one(&mut stream, &mut pending);
        assert_eq!(last.header("connection").as_deref(), Some("close"));
        assert!(read_until_eof(&mut stream).is_empty(), "{mode:?}");
    }
}

#[test]
fn idle_connection_is_closed_quietly_without_408() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |site| {
        site.keep_alive = Some(KeepAlive {
            idle_timeout: Duration::from_millis(200),
            max_requests: 1000,
        });
    });
    let mut stream = connect(addr);
    stream.write_all(get_request("/a.txt").as_bytes()).unwrap();
    let mut pending = Vec::new();
    assert_eq!(read_one(&mut stream, &mut pending).status, 200);
    // Nada mais é pedido: depois de 0,2 s o servidor fecha, sem mandar nada.
    let rest = read_until_eof(&mut stream);
    assert!(
        rest.is_empty(),
        "fechou calado, sem 408: {:?}",
        String::from_utf8_lossy(&rest)
    );
}

#[test]
fn a_request_begun_before_the_idle_timeout_gets_the_head_timeout() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |site| {
        // Curto para o teste ser rápido; longo o bastante para a primeira
        // requisição (escrita logo depois do connect) chegar numa máquina carregada.
        site.head_timeout = Duration::from_secs(1);
        site.keep_alive = Some(KeepAlive {
            idle_timeout: Duration::from_secs(30),
            max_requests: 1000,
        });
    });
    let mut stream = connect(addr);
    stream.write_all(get_request("/a.txt").as_bytes()).unwrap();
    let mut pending = Vec::new();
    assert_eq!(read_one(&mut stream, &mut pending).status, 200);
    // Meia requisição e silêncio: isso sim é uma requisição que não chegou a tempo.
    stream.write_all(b"GET /a.txt HT").unwrap();
    let rest = read_until_eof(&mut stream);
    assert_eq!(split_reply(&rest).status, 408);
}

#[test]
fn http_1_0_keeps_the_connection_only_when_it_asks_for_keep_alive() {
    let (_dir, addr) = keep_alive_server(THREADED);
    let mut stream = connect(addr);
    stream.write_all(b"GET /a.txt HTTP/1.0\r\n\r\n").unwrap();
    let raw = read_until_eof(&mut stream);
    assert_eq!(
        split_reply(&raw).header("connection").as_deref(),
        Some("close")
    );

    let mut stream = connect(addr);
    let mut pending = Vec::new();
    for _ in 0..2 {
        stream
            .write_all(b"GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap();
        let reply = read_one(&mut stream, &mut pending);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("connection").as_deref(), Some("keep-alive"));
    }
}

#[test]
fn the_last_allowed_request_is_answered_with_close() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |site| {
        site.keep_alive = Some(KeepAlive {
            idle_timeout: Duration::from_secs(30),
            max_requests: 3,
        });
    });
    let mut stream = connect(addr);
    stream
        .write_all(get_request("/a.txt").repeat(4).as_bytes())
        .unwrap();
    let mut pending = Vec::new();
    let connection: Vec<String> = (0..3)
        .map(|_| {
            read_one(&mut stream, &mut pending)
                .header("connection")
                .unwrap()
        })
        .collect();
    assert_eq!(connection, ["keep-alive", "keep-alive", "close"]);
    // A quarta requisição não é respondida: a conexão acabou.
    let rest = read_until_eof(&mut stream);
    assert!(pending.is_empty() && rest.is_empty());
}

#[test]
fn refused_post_and_malformed_request_close_the_persistent_connection() {
    let (_dir, addr) = keep_alive_server(THREADED);
    for (request, status) in [
        (
            &b"POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nxxxxxGET / HTTP/1.1\r\nHost: t\r\n\r\n"[..],
            405,
        ),
        (b"GET /a.txt HTTP/9.9\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n", 505),
        (b"GET /a.txt\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n", 400),
    ] {
        let mut stream = connect(addr);
        stream.write_all(request).unwrap();
        let raw = read_until_eof(&mut stream);
        let reply = split_reply(&raw);
        assert_eq!(reply.status, status);
        assert_eq!(reply.header("connection").as_deref(), Some("close"));
        assert_eq!(
            reply.header("content-length"),
            Some(reply.body.len().to_string()),
            "a requisição seguinte não é respondida: {:?}",
            String::from_utf8_lossy(&raw)
        );
    }
}

#[test]
fn idle_persistent_connections_count_against_the_3b_limit() {
    let (_dir, addr) = keep_alive_server(Mode::Threaded { max_connections: 1 });
    let mut holder = connect(addr);
    let mut pending = Vec::new();
    holder.write_all(get_request("/a.txt").as_bytes()).unwrap();
    assert_eq!(read_one(&mut holder, &mut pending).status, 200);
    // `holder` está ocioso, mas a thread dele continua esperando a próxima requisição.
    let mut other = connect(addr);
    other.write_all(get_request("/a.txt").as_bytes()).unwrap();
    assert_eq!(split_reply(&read_until_eof(&mut other)).status, 503);
    // Quando o ocioso diz `close`, a vaga volta.
    holder
        .write_all(b"GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert_eq!(read_one(&mut holder, &mut pending).status, 200);
    read_until_eof(&mut holder);
    // A thread do `holder` termina logo depois do FIN; pedimos até haver
    // vaga (com prazo de 10 s, para uma máquina carregada).
    let close = b"GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut status = 0;
    while status != 200 && std::time::Instant::now() < deadline {
        status = split_reply(&support::send_raw(addr, close)).status;
    }
    assert_eq!(status, 200, "a vaga do ocioso voltou");
}

#[test]
fn keep_alive_flags_are_checked() {
    for args in [
        &["--idle-timeout", "1"][..],
        &["--max-requests", "5"],
        &["--keep-alive", "--max-requests", "0"],
        &["--keep-alive", "--idle-timeout", "0"],
        &["--keep-alive=sim"],
    ] {
        let out = support::run("web-server", args, Duration::from_secs(20));
        assert_eq!(out.code(), Some(2), "{args:?}: {}", out.stderr);
    }
}

// ---------------------------------------------------------------------------
// O cliente (3c) com vários caminhos
// ---------------------------------------------------------------------------

/// Sobe o binário `web-server` (com log) servindo o site de teste.
fn logged_server(root: &std::path::Path, extra: &[&str]) -> support::Running {
    let root = root.to_str().unwrap();
    let mut args = vec!["--port", "0", "--root", root];
    args.extend_from_slice(extra);
    support::spawn_server("web-server", &args)
}

/// As próximas `n` linhas de log do servidor: quem (thread) atendeu o quê.
fn log_lines(server: &support::Running, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            server
                .next_line(Duration::from_secs(10))
                .expect("uma linha de log por requisição")
        })
        .collect()
}

fn thread_of(line: &str) -> &str {
    line.split_whitespace()
        .find(|w| w.starts_with("conexao-"))
        .unwrap_or_else(|| panic!("linha sem thread: {line}"))
}

#[test]
fn client_with_three_paths_uses_exactly_one_connection_against_keep_alive() {
    let (_dir, root) = test_site();
    for pipeline in [false, true] {
        let server = logged_server(&root, &["--keep-alive"]);
        let port = server.addr.port().to_string();
        let mut args = vec!["127.0.0.1", &port, "a.txt", "sub/", "index.html"];
        if pipeline {
            args.push("--pipeline");
        }
        let out = support::run("http-client", &args, Duration::from_secs(30));
        assert_eq!(out.code(), Some(0), "{}", out.stderr);
        assert!(!out.stderr.contains("nova conexão"), "{}", out.stderr);
        let text = out.stdout_text();
        let a = text.find("texto simples").unwrap();
        let sub = text.find("<p>sub</p>").unwrap();
        let index = text.find("<h1>ola</h1>").unwrap();
        assert!(a < sub && sub < index, "na ordem: {text}");
        assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3);
        let lines = log_lines(&server, 3);
        // O 3b dá um nome a cada conexão (uma thread cada): um nome só, uma conexão só.
        assert!(
            lines.iter().all(|l| thread_of(l) == "conexao-1"),
            "pipeline={pipeline}: {lines:#?}"
        );
    }
}

#[test]
fn client_with_three_paths_reconnects_when_the_server_closes_and_says_so() {
    let (_dir, root) = test_site();
    let server = logged_server(&root, &[]);
    let port = server.addr.port().to_string();
    for pipeline in [false, true] {
        let mut args = vec!["127.0.0.1", &port, "a.txt", "sub/", "nao-existe"];
        if pipeline {
            args.push("--pipeline");
        }
        let out = support::run("http-client", &args, Duration::from_secs(30));
        // O pior status foi 404: código 1, mas as três respostas saíram.
        assert_eq!(out.code(), Some(1), "{}", out.stderr);
        let text = out.stdout_text();
        assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 2, "{text}");
        assert_eq!(text.matches("HTTP/1.1 404 Not Found").count(), 1);
        assert_eq!(
            out.stderr.matches("nova conexão").count(),
            2,
            "{}",
            out.stderr
        );
        let lines = log_lines(&server, 3);
        let mut threads: Vec<&str> = lines.iter().map(|l| thread_of(l)).collect();
        threads.dedup();
        assert_eq!(threads.len(), 3, "três conexões: {lines:#?}");
    }
}

/// Um servidor roteirizado que responde **uma** requisição por conexão, dizendo
/// que a mantém, e fecha ao receber a segunda sem responder: é o que o
/// cliente vê quando a ociosidade do servidor vence bem na hora errada.
fn answers_one_then_hangs_up() -> (SocketAddr, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut seen = Vec::new();
            let mut byte = [0u8; 1];
            while !seen.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                seen.push(byte[0]);
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n",
            );
            // Espera a próxima requisição começar a chegar e fecha sem responder.
            let _ = stream.read(&mut byte);
        }
    });
    (addr, accepted)
}

#[test]
fn client_reconnects_when_a_kept_connection_is_closed_without_an_answer() {
    let (addr, accepted) = answers_one_then_hangs_up();
    let port = addr.port().to_string();
    let out = support::run(
        "http-client",
        &["127.0.0.1", &port, "a", "b", "c"],
        Duration::from_secs(30),
    );
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert_eq!(out.stdout_text().matches("ok\n").count(), 3);
    assert_eq!(
        out.stderr.matches("sem responder").count(),
        2,
        "{}",
        out.stderr
    );
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[test]
fn client_output_file_needs_a_single_path() {
    let out = support::run(
        "http-client",
        &["127.0.0.1", "1", "a", "b", "-o", "/dev/null"],
        Duration::from_secs(20),
    );
    assert_eq!(out.code(), Some(2), "{}", out.stderr);
}
