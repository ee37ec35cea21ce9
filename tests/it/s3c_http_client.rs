//! Testes de integração da seção 3c: o binário `http-client` contra o nosso
//! servidor e contra servidores roteirizados aqui mesmo, em 127.0.0.1:0.

use crate::support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use support::{Mode, Output, TempDir, start_web, test_site};

const LIMIT: Duration = Duration::from_secs(30);

fn client(args: &[&str]) -> Output {
    support::run("http-client", args, LIMIT)
}

/// Um servidor de uma conexão só: lê a requisição até a linha em branco, manda
/// `response`, e depois fecha (`hold_open = false`) ou espera o cliente
/// fechar. Devolve o endereço e um canal com os bytes da requisição recebida.
fn scripted(response: Vec<u8>, hold_open: bool) -> (SocketAddr, mpsc::Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(LIMIT)).unwrap();
        let mut request = Vec::new();
        let mut byte = [0u8; 1];
        while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            request.push(byte[0]);
        }
        let _ = tx.send(request);
        let _ = stream.write_all(&response);
        if hold_open {
            // Segura a conexão até o cliente desistir dela.
            let mut sink = Vec::new();
            let _ = stream.read_to_end(&mut sink);
        }
    });
    (addr, rx)
}

/// O nosso servidor (3b) sobre o site de teste.
fn our_server() -> (support::TempDir, std::path::PathBuf, SocketAddr) {
    let (dir, root) = test_site();
    let addr = start_web(
        Mode::Threaded {
            max_connections: 16,
        },
        &root,
        |_| {},
    );
    (dir, root, addr)
}

fn port(addr: SocketAddr) -> String {
    addr.port().to_string()
}

#[test]
fn sends_exactly_the_documented_request_bytes() {
    let (addr, request) = scripted(b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(), false);
    let out = client(&["127.0.0.1", &port(addr), "pasta/com espaço.txt"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let sent = request.recv_timeout(LIMIT).unwrap();
    let expected = format!(
        "GET /pasta/com%20espa%C3%A7o.txt HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: pratica-sockets/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        addr.port(),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(String::from_utf8(sent).unwrap(), expected);
}

#[test]
fn prints_head_then_blank_line_then_body_from_our_server() {
    let (_dir, _root, addr) = our_server();
    let out = client(&["127.0.0.1", &port(addr), "a.txt"]);
    assert_eq!(out.code(), Some(0));
    let text = out.stdout_text();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\ntexto simples\n"), "{text}");
}

#[test]
fn not_found_is_printed_and_exits_1() {
    let (_dir, root) = test_site();
    let addr = start_web(Mode::Single, &root, |_| {});
    let out = client(&["127.0.0.1", &port(addr), "/nao-existe"]);
    assert_eq!(out.code(), Some(1));
    assert!(out.stdout_text().starts_with("HTTP/1.1 404 Not Found\r\n"));
    assert!(out.stdout_text().contains("não existe"));
}

#[test]
fn binary_file_with_output_flag_is_byte_exact() {
    let (_dir, root, addr) = our_server();
    let tmp = TempDir::new("saida");
    let target = tmp.0.join("baixado.bin");
    let out = client(&[
        "127.0.0.1",
        &port(addr),
        "dados.bin",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(root.join("dados.bin")).unwrap()
    );
    let head = out.stdout_text();
    assert!(
        head.starts_with("HTTP/1.1 200 OK") && head.ends_with("\r\n\r\n"),
        "só o cabeçalho: {head}"
    );
}

#[test]
fn file_name_with_a_space_is_fetched() {
    let (_dir, _root, addr) = our_server();
    let out = client(&["127.0.0.1", &port(addr), "com espaço.txt"]);
    assert_eq!(out.code(), Some(0));
    assert!(out.stdout_text().ends_with("\r\n\r\nespaço\n"));
}

#[test]
fn decodes_chunked_with_extensions_and_trailers_and_stops_at_the_last_chunk() {
    let response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
        4;nome=valor\r\nWiki\r\n6\r\npedia \r\nE;a=1;b=\"2\"\r\n in\r\n\r\nchunks.\r\n0\r\nX-Fim: sim\r\n\r\n"
        .to_vec();
    // O servidor segura a conexão aberta depois do último chunk.
    let (addr, _) = scripted(response, true);
    let out = client(&["127.0.0.1", &port(addr), "/", "--timeout", "20"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let text = out.stdout_text();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    assert_eq!(body, "Wikipedia  in\r\n\r\nchunks.");
}

#[test]
fn close_delimited_body_runs_until_the_server_closes() {
    let mut response =
        b"HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n".to_vec();
    let body: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    response.extend_from_slice(&body);
    let (addr, _) = scripted(response, false);
    let tmp = TempDir::new("fechamento");
    let target = tmp.0.join("corpo");
    let out = client(&[
        "127.0.0.1",
        &port(addr),
        "/",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert_eq!(std::fs::read(target).unwrap(), body);
}

#[test]
fn content_length_body_ignores_bytes_after_it_and_does_not_wait_for_close() {
    let (addr, _) = scripted(
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcEXTRA".to_vec(),
        true,
    );
    let out = client(&["127.0.0.1", &port(addr), "/", "--timeout", "20"]);
    assert_eq!(out.code(), Some(0));
    assert!(out.stdout_text().ends_with("\r\n\r\nabc"));
}

#[test]
fn no_body_after_304_even_with_content_length_and_interim_100_is_skipped() {
    let (addr, _) = scripted(
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n".to_vec(),
        true,
    );
    let out = client(&["127.0.0.1", &port(addr), "/", "--timeout", "20"]);
    assert_eq!(out.code(), Some(0));
    let (addr, _) = scripted(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".to_vec(),
        false,
    );
    let out = client(&["127.0.0.1", &port(addr), "/"]);
    assert_eq!(out.code(), Some(0));
    assert!(
        out.stdout_text()
            .ends_with("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    );
}

#[test]
fn redirect_is_printed_not_followed_and_location_goes_to_stderr() {
    let (addr, _) = scripted(
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: /outro/\r\nContent-Length: 0\r\n\r\n"
            .to_vec(),
        false,
    );
    let out = client(&["127.0.0.1", &port(addr), "/x"]);
    assert_eq!(out.code(), Some(0));
    assert!(out.stdout_text().starts_with("HTTP/1.1 301"));
    assert!(out.stderr.contains("/outro/"), "{}", out.stderr);
}

/// Falhas de rede e de protocolo: sempre código 3 e uma mensagem.
fn assert_network_failure(out: &Output, words: &str) {
    assert_eq!(out.code(), Some(3), "{}", out.stderr);
    assert!(
        out.stderr.contains(words),
        "esperava «{words}» em: {}",
        out.stderr
    );
}

#[test]
fn truncated_content_length_body_is_a_failure() {
    let (addr, _) = scripted(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nso isto".to_vec(),
        false,
    );
    assert_network_failure(&client(&["127.0.0.1", &port(addr), "/"]), "truncada");
}

#[test]
fn chunked_body_without_last_chunk_is_a_failure() {
    let (addr, _) = scripted(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n".to_vec(),
        false,
    );
    assert_network_failure(&client(&["127.0.0.1", &port(addr), "/"]), "último chunk");
}

#[test]
fn a_peer_that_is_not_http_is_a_failure() {
    let (addr, _) = scripted(b"SSH-2.0-OpenSSH_9.2\r\n".to_vec(), true);
    assert_network_failure(
        &client(&["127.0.0.1", &port(addr), "/", "--timeout", "20"]),
        "inválida",
    );
    let (addr, _) = scripted(Vec::new(), false);
    assert_network_failure(
        &client(&["127.0.0.1", &port(addr), "/"]),
        "fechou sem responder",
    );
}

#[test]
fn a_silent_server_times_out() {
    let (addr, _) = scripted(Vec::new(), true);
    assert_network_failure(
        &client(&["127.0.0.1", &port(addr), "/", "--timeout", "0.5"]),
        "tempo esgotado",
    );
}

#[test]
fn refused_and_unresolvable_are_failures() {
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    assert_network_failure(&client(&["127.0.0.1", &port(free), "/"]), "conectar");
    assert_network_failure(
        &client(&["nome-que-nao-existe.invalid", "80", "/"]),
        "resolver",
    );
}

#[test]
fn works_over_ipv6_when_available() {
    let (_dir, root) = test_site();
    let Ok(addr) = support::start_web_on(
        "[::1]:0",
        Mode::Threaded { max_connections: 8 },
        &root,
        |_| {},
    ) else {
        support::skip("máquina sem IPv6 no loopback (::1)");
        return;
    };
    let out = client(&["::1", &port(addr), "a.txt"]);
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert!(out.stdout_text().ends_with("texto simples\n"));
}

#[test]
fn refused_connection_is_explained_in_portuguese() {
    // Uma porta que acabou de ficar livre: ninguém escuta nela.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let out = client(&["127.0.0.1", &port, "/"]);
    assert_eq!(out.code(), Some(3), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("não foi possível conectar: conexão recusada"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_port_says_the_valid_range() {
    for port in ["0", "70000", "porta"] {
        let out = client(&["localhost", port, "/"]);
        assert_eq!(out.code(), Some(2), "{port}: {}", out.stderr);
        assert!(
            out.stderr.contains("PORTA deve ser um número de 1 a 65535"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    for args in [
        &[][..],
        &["localhost", "6789"],
        &["localhost", "porta", "/"],
        &["localhost", "6789", "/", "extra", "-o", "saida"],
        &["localhost", "6789", "/", "--timeout", "0"],
        &["localhost", "6789", "/", "-o"],
        &["", "6789", "/"],
        &["localhost", "6789", "/", "--nada"],
    ] {
        let out = client(args);
        assert_eq!(out.code(), Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("uso: http-client"), "{}", out.stderr);
    }
}

#[test]
fn output_file_that_cannot_be_written_is_a_local_error_exit_1() {
    // `/dev/full` aceita o `open` e recusa toda escrita (ENOSPC, disco cheio).
    if !std::path::Path::new("/dev/full").exists() {
        support::skip("sem /dev/full (não é Linux)");
        return;
    }
    let (_dir, root) = test_site();
    let addr = start_web(Mode::Threaded { max_connections: 8 }, &root, |_| {});
    let out = client(&["127.0.0.1", &port(addr), "dados.bin", "-o", "/dev/full"]);
    assert_eq!(out.code(), Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains("não foi possível gravar /dev/full")
            && !out.stderr.contains(&port(addr)),
        "não culpa o servidor: {}",
        out.stderr
    );
}

#[test]
fn closed_stdout_ends_quietly_and_is_not_a_network_error() {
    // `http-client … dados.bin | head -1`: 300 KB não cabem no pipe; a
    // escrita seguinte encontra o pipe fechado. Código 1, não 3 (rede).
    let (_dir, root) = test_site();
    let addr = start_web(Mode::Threaded { max_connections: 8 }, &root, |_| {});
    support::close_output(
        "http-client",
        &["127.0.0.1", &port(addr), "dados.bin"],
        support::Close::StdoutAfterLines(1),
    )
    .assert_exit(1, LIMIT);
}
