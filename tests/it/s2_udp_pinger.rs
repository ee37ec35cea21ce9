//! Testes de integração da seção 2 (UDP Pinger): sockets reais em 127.0.0.1:0.

use crate::support;

use std::io::{self, Write};
use std::net::UdpSocket;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use pratica_sockets::s2_udp_pinger::client::{self, PingConfig};
use pratica_sockets::s2_udp_pinger::server;
use pratica_sockets::s2_udp_pinger::xorshift::{Loss, Xorshift64};

/// Um log compartilhado que avisa (Condvar) a cada linha escrita.
#[derive(Clone, Default)]
struct SharedLog(Arc<(Mutex<Vec<u8>>, Condvar)>);

impl Write for SharedLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (lock, cvar) = &*self.0;
        lock.lock().unwrap().extend_from_slice(buf);
        cvar.notify_all();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl SharedLog {
    /// Espera até o log ter `n` linhas (ou o prazo vencer) e devolve o texto.
    fn wait_lines(&self, n: usize, limit: Duration) -> String {
        let (lock, cvar) = &*self.0;
        let guard = lock.lock().unwrap();
        let (guard, _) = cvar
            .wait_timeout_while(guard, limit, |log| {
                log.iter().filter(|&&b| b == b'\n').count() < n
            })
            .unwrap();
        String::from_utf8_lossy(&guard).into_owned()
    }
}

/// Sobe o servidor de ping numa thread, em 127.0.0.1:0, e devolve a porta.
fn start_server(loss: f64) -> (u16, SharedLog) {
    let socket = server::bind("127.0.0.1", 0).expect("bind em porta efêmera");
    let port = socket.local_addr().unwrap().port();
    let log = SharedLog::default();
    let mut writer = log.clone();
    thread::spawn(move || {
        server::serve(&socket, Loss::new(loss, Xorshift64::seeded(9)), &mut writer)
    });
    (port, log)
}

fn config(port: u16, count: u32, timeout_ms: u64) -> PingConfig {
    PingConfig {
        host: "127.0.0.1".into(),
        port,
        count,
        timeout: Duration::from_millis(timeout_ms),
    }
}

#[test]
fn server_echoes_in_upper_case_only_ascii_letters() {
    let (port, _log) = start_server(0.0);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sock.send_to("ping abc é 1".as_bytes(), ("127.0.0.1", port))
        .unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = sock.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], "PING ABC é 1".as_bytes());
    assert_eq!(from.port(), port);
}

/// O grande volta cortado em 1024 bytes (Linux, macOS) ou não volta
/// (Windows: `WSAEMSGSIZE`); nos dois casos o servidor segue atendendo, e o
/// `ping` do fim, ecoado, é o evento que diz que todos já foram tratados.
#[test]
fn server_survives_empty_oversized_and_binary_datagrams() {
    let (port, log) = start_server(0.0);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let big = vec![b'a'; 4000];
    for payload in [&b""[..], &big, &[0xff, 0xfe, 0x00, b'x'], b"ping"] {
        sock.send_to(payload, ("127.0.0.1", port)).unwrap();
    }
    let mut buf = [0u8; 8192];
    let mut replies = Vec::new();
    while replies.last().is_none_or(|r: &Vec<u8>| r != b"PING") {
        let (n, _) = sock
            .recv_from(&mut buf)
            .unwrap_or_else(|e| panic!("resposta que faltou ({e}); vieram {replies:?}"));
        replies.push(buf[..n].to_vec());
    }
    let sizes: Vec<usize> = replies.iter().map(Vec::len).collect();
    let binary = vec![0xff, 0xfe, 0x00, b'X'];
    let log = log.wait_lines(4, Duration::from_secs(5));
    if support::OVERSIZED_DATAGRAM_IS_ECHOED {
        assert_eq!(
            sizes,
            [0, server::BUFFER_SIZE, 4, 4],
            "o grande volta cortado"
        );
        assert_eq!(replies[1], vec![b'A'; server::BUFFER_SIZE]);
        assert_eq!(replies[2], binary);
        assert!(
            log.contains("enviou 1024 bytes (pode ter sido truncado): respondido"),
            "{log}"
        );
    } else {
        assert_eq!(sizes, [0, 4, 4], "o grande não volta (WSAEMSGSIZE)");
        assert_eq!(replies[1], binary);
        assert!(log.contains("não há a quem responder; seguindo"), "{log}");
    }
}

#[test]
fn loss_zero_means_every_ping_is_answered() {
    let (port, _log) = start_server(0.0);
    let mut out = Vec::new();
    let stats = client::run(&config(port, 10, 2000), &mut out, &mut io::sink()).unwrap();
    assert_eq!(stats.received(), 10);
    let text = String::from_utf8(out).unwrap();
    for seq in 1..=10 {
        let line = format!("Ping: {seq} Data e Hora: ");
        assert!(text.contains(&line), "falta {line:?} em {text}");
        assert!(text.contains(&format!("Mensagem do servidor: PING {seq} ")));
    }
    assert!(text.contains("10 pacotes transmitidos, 10 recebidos, 0% de perda"));
    assert!(text.contains("rtt mín/méd/máx/desvio = "));
}

#[test]
fn loss_one_loses_every_ping_and_waits_about_count_times_timeout() {
    let (port, _log) = start_server(1.0);
    let mut out = Vec::new();
    let started = Instant::now();
    let stats = client::run(&config(port, 3, 200), &mut out, &mut io::sink()).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(stats.received(), 0);
    // Limites folgados: o mínimo é garantido pelo timeout; o máximo só pega travamentos.
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text.matches("Pacote foi perdido durante a transmissão")
            .count(),
        3
    );
    assert!(text.contains("3 pacotes transmitidos, 0 recebidos, 100% de perda"));
    assert!(!text.contains("rtt mín"), "sem RTTs, sem linha de rtt");
}

#[test]
fn late_reply_to_an_earlier_ping_is_not_counted_for_the_next_one() {
    // Um servidor com roteiro: não responde o ping 1 a tempo; quando chega o
    // ping 2, responde o ping 1 (atrasado) e nunca responde o 2.
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    thread::spawn(move || {
        let mut buf = [0u8; 1024];
        let (n1, _) = sock.recv_from(&mut buf).unwrap();
        let first = buf[..n1].to_ascii_uppercase();
        let (_, peer) = sock.recv_from(&mut buf).unwrap();
        sock.send_to(&first, peer).unwrap();
    });
    let mut out = Vec::new();
    let mut err = Vec::new();
    let stats = client::run(&config(port, 2, 300), &mut out, &mut err).unwrap();
    assert_eq!(
        stats.received(),
        0,
        "a resposta do ping 1 não vale pelo ping 2"
    );
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("resposta atrasada do ping 1 ignorada"),
        "{err}"
    );
}

#[test]
fn unreachable_server_counts_as_loss_and_says_so() {
    // Uma porta que acabou de ficar livre: o kernel responde com ICMP "porta inalcançável".
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut out = Vec::new();
    let mut err = Vec::new();
    let stats = client::run(&config(port, 2, 500), &mut out, &mut err).unwrap();
    assert_eq!(stats.received(), 0);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("2 pacotes transmitidos, 0 recebidos")
    );
    if cfg!(target_os = "linux") {
        assert!(
            String::from_utf8(err)
                .unwrap()
                .contains("porta inalcançável")
        );
    }
}

#[test]
fn default_loss_of_the_real_binary_is_thirty_percent() {
    let server = support::spawn_server("ping-server", &["--port", "0", "--seed", "2024"]);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let total = 2000;
    let (mut answered, mut dropped) = (0, 0);
    // Em lotes de 100, para não estourar o buffer de recepção do kernel.
    for batch in 0..total / 100 {
        for i in 0..100 {
            sock.send_to(format!("ping {}", batch * 100 + i).as_bytes(), server.addr)
                .unwrap();
        }
        for _ in 0..100 {
            let line = server
                .next_line(Duration::from_secs(10))
                .expect("uma linha por datagrama");
            if line.ends_with("respondido") {
                answered += 1;
            } else if line.contains("descartado") {
                dropped += 1;
            }
        }
    }
    assert_eq!(answered + dropped, total);
    let rate = f64::from(dropped) / f64::from(total);
    assert!((rate - 0.30).abs() <= 0.03, "perda medida: {rate}");
}

#[test]
fn client_binary_prints_ten_pings_and_statistics() {
    let server = support::spawn_server("ping-server", &["--port", "0", "--loss", "0"]);
    let port = server.addr.port().to_string();
    let out = support::run(
        "ping-client",
        &["--host", "127.0.0.1", "--port", &port],
        Duration::from_secs(60),
    );
    assert_eq!(out.code(), Some(0));
    let text = out.stdout_text();
    assert_eq!(text.lines().filter(|l| l.starts_with("Ping: ")).count(), 10);
    assert!(text.contains(&format!(
        "--- estatísticas do ping para 127.0.0.1:{port} ---"
    )));
}

#[test]
fn bad_flags_exit_with_code_two_and_usage_in_portuguese() {
    let cases: &[(&str, &[&str])] = &[
        ("ping-server", &["--loss", "1.5"]),
        ("ping-server", &["--port", "abc"]),
        ("ping-server", &["--seed", "-3"]),
        ("ping-server", &["--desconhecida"]),
        ("ping-client", &["--timeout", "0"]),
        ("ping-client", &["--count", "-1"]),
        ("ping-client", &["--port"]),
        ("ping-client", &["sobrando"]),
    ];
    for (bin, args) in cases {
        let out = support::run(bin, args, Duration::from_secs(20));
        assert_eq!(out.code(), Some(2), "{bin} {args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("erro: "), "{}", out.stderr);
        assert!(out.stderr.contains("uso: "), "{}", out.stderr);
    }
}

#[test]
fn bad_numbers_get_the_real_valid_range_in_the_message() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "ping-client",
            &["--timeout", "0"],
            "maior que 0 e no máximo 86400",
        ),
        ("ping-client", &["--timeout", "dez"], "ex.: 0.5 ou 0,5"),
        (
            "ping-client",
            &["--port", "70000"],
            "--port deve ser um número de 1 a 65535",
        ),
        ("ping-client", &["--port", "0"], "de 1 a 65535"),
        (
            "ping-client",
            &["--count", "0"],
            "--count deve ser um número inteiro a partir de 1",
        ),
        (
            "ping-server",
            &["--port", "70000"],
            "--port deve ser um número de 0 a 65535",
        ),
        (
            "ping-server",
            &["--loss", "1,5"],
            "--loss deve ser um número de 0 a 1",
        ),
        (
            "ping-server",
            &["--loss", "1.000,5"],
            "valor inválido para --loss",
        ),
        (
            "ping-server",
            &["--seed", "-3"],
            "--seed deve ser um número inteiro a partir de 0",
        ),
    ];
    for (bin, args, expected) in cases {
        let out = support::run(bin, args, Duration::from_secs(20));
        assert_eq!(out.code(), Some(2), "{bin} {args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(expected),
            "{bin} {args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn decimal_comma_is_accepted_and_udp_server_waits_for_datagrams() {
    let server = support::spawn_server("ping-server", &["--port", "0", "--loss", "0,0"]);
    let port = server.addr.port().to_string();
    let out = support::run(
        "ping-client",
        &["--port", &port, "--count", "1", "--timeout", "2,5"],
        Duration::from_secs(20),
    );
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    // Uma resposta só: singular.
    assert!(
        out.stdout_text()
            .contains("\n1 pacote transmitido, 1 recebido, 0% de perda\n"),
        "{}",
        out.stdout_text()
    );
}

#[test]
fn help_goes_to_stdout_with_exit_zero() {
    let out = support::run("ping-client", &["--help"], Duration::from_secs(20));
    assert_eq!(out.code(), Some(0));
    assert!(out.stdout_text().contains("--timeout SEG"));
}

#[test]
fn closed_output_pipes_end_both_programs_quietly_without_panic() {
    use support::Close;
    let limit = Duration::from_secs(20);
    // `ping-server 2>&1 | head -1`: o primeiro datagrama gera uma linha de
    // log num stderr fechado.
    let server = support::close_output(
        "ping-server",
        &["--port", "0", "--loss", "0"],
        Close::BothAfterAnnouncement,
    );
    let addr = server.addr.expect("anúncio com endereço");
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    server.assert_exit_while(1, limit, || {
        let _ = sock.send_to(b"ping 1", addr);
    });

    // `ping-client | head -1`, com um servidor que responde tudo: a segunda
    // linha encontra o pipe fechado. Não é erro de rede, e nada é culpado
    // no endereço do servidor.
    let server = support::spawn_server("ping-server", &["--port", "0", "--loss", "0"]);
    let port = server.addr.port().to_string();
    let client = support::close_output(
        "ping-client",
        // 2000 linhas passam dos 64 KiB do buffer do pipe: o cliente não
        // termina antes de o teste fechar a ponta de leitura.
        &["--port", &port, "--count", "2000", "--timeout", "5"],
        Close::StdoutAfterLines(1),
    );
    client.assert_exit(1, limit);
    // `--help | head -0`: a ajuda era só para ser lida; sai com 0.
    support::close_output("ping-client", &["--help"], Close::StdoutAfterLines(0))
        .assert_exit(0, limit);
}

#[test]
fn busy_port_gives_a_message_and_exit_one() {
    let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = support::run("ping-server", &["--port", &port], Duration::from_secs(20));
    assert_eq!(out.code(), Some(1));
    assert!(out.stderr.contains("já está em uso"), "{}", out.stderr);
    assert!(
        out.stderr.contains("endereço já em uso ("),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("ex.: --port "), "{}", out.stderr);
    // Pelo make, a porta se escolhe com PORT=.
    let out = support::run_with_env(
        "ping-server",
        &["--port", &port],
        &[("PRATICA_FRONTEND", "make")],
        Duration::from_secs(20),
    );
    assert_eq!(out.code(), Some(1));
    assert!(out.stderr.contains("ex.: PORT="), "{}", out.stderr);
    assert!(!out.stderr.contains("--port"), "{}", out.stderr);
}

#[test]
fn client_reaches_a_server_over_ipv6_when_available() {
    let Ok(socket) = server::bind("::1", 0) else {
        support::skip("máquina sem IPv6 no loopback (::1)");
        return;
    };
    let port = socket.local_addr().unwrap().port();
    thread::spawn(move || {
        server::serve(
            &socket,
            Loss::new(0.0, Xorshift64::seeded(1)),
            &mut io::sink(),
        )
    });
    let mut cfg = config(port, 2, 2000);
    cfg.host = "::1".into();
    let mut out = Vec::new();
    let stats = client::run(&cfg, &mut out, &mut io::sink()).unwrap();
    assert_eq!(stats.received(), 2);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains(&format!("para [::1]:{port}"))
    );
}

/// O servidor do enunciado ("Código do Servidor"), só que na porta 0 e com
/// perda 0, para o teste ser determinístico. Imprime a porta e atende.
const PYTHON_SERVER: &str = r#"
import socket, sys
server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server_socket.bind(('127.0.0.1', 0))
print(server_socket.getsockname()[1], flush=True)
while True:
    message, address = server_socket.recvfrom(1024)
    server_socket.sendto(message.upper(), address)
"#;

/// O cliente do enunciado ("Código do Cliente"): um socket novo por ping,
/// `settimeout(1)`, `recvfrom(1024)`, e a mesma linha de saída.
const PYTHON_CLIENT: &str = r#"
import socket, sys, time
port = int(sys.argv[1])
for pings in range(1, 11):
    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client_socket.settimeout(1)
    start = time.time()
    client_socket.sendto('ping do enunciado'.encode(), ("127.0.0.1", port))
    try:
        mensagem, server = client_socket.recvfrom(1024)
        print("Ping: " + str(pings) + " Mensagem do servidor: " + str(mensagem) + " RTT: " + str(time.time() - start))
    except socket.timeout:
        print("Pacote foi perdido durante a transmissão")
"#;

fn python3() -> Option<std::process::Command> {
    support::python3_or_skip("o teste roda o programa do enunciado")
        .then(|| std::process::Command::new("python3"))
}

#[test]
fn our_client_interoperates_with_the_assignments_python_server() {
    let Some(mut python) = python3() else {
        return;
    };
    let mut child = python
        .args(["-c", PYTHON_SERVER])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut port_line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut port_line,
    )
    .unwrap();
    let port: u16 = port_line.trim().parse().unwrap();
    let mut out = Vec::new();
    let stats = client::run(&config(port, 10, 2000), &mut out, &mut io::sink());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(stats.unwrap().received(), 10);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("Mensagem do servidor: PING 10 ")
    );
}

#[test]
fn the_assignments_python_client_interoperates_with_our_server() {
    let Some(mut python) = python3() else {
        return;
    };
    let (port, _log) = start_server(0.0);
    let out = python
        .args(["-c", PYTHON_CLIENT, &port.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("Mensagem do servidor: b'PING DO ENUNCIADO'")
            .count(),
        10,
        "{text}"
    );
}
