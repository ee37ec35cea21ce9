//! Testes de integração do UDP Heartbeat (extra da seção 2), em 127.0.0.1:0.

use crate::support;

use std::net::UdpSocket;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

fn send(sock: &UdpSocket, to: std::net::SocketAddr, seq: u64) {
    let now = pratica_sockets::clock::unix_now();
    let msg = pratica_sockets::s2_udp_pinger::heartbeat::heartbeat_message(seq, now);
    sock.send_to(msg.as_bytes(), to).unwrap();
}

/// Sobe o binário, sem perda simulada (a perda padrão é 30%), e devolve um
/// leitor das linhas de **stdout**.
fn start(args: &[&str]) -> (support::Running, std::sync::mpsc::Receiver<String>) {
    let mut all = vec!["--port", "0", "--loss", "0"];
    all.extend_from_slice(args);
    support::spawn_server_with_stdout("heartbeat-server", &all)
}

#[test]
fn names_lost_beats_recognises_reordering_duplicates_and_stops_once() {
    let (server, out) = start(&["--dead-after", "1"]);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let me = sock.local_addr().unwrap();
    for seq in [1, 2, 5, 3, 5] {
        send(&sock, server.addr, seq);
    }
    let expect = [
        "batimento 1, atraso de ida",
        "batimento 2, atraso de ida",
        "batimento 3 perdido",
        "batimento 4 perdido",
        "batimento 5, atraso de ida",
        "batimento 3 chegou fora de ordem",
        "batimento 5 duplicado",
        "parou (nenhum batimento há",
    ];
    for want in expect {
        let line = out
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("faltou «{want}»"));
        assert!(line.contains(want), "esperava «{want}», veio «{line}»");
        assert!(
            line.contains(&me.to_string()),
            "cada linha diz de qual cliente: {line}"
        );
    }
    // Volta, e o servidor percebe; a parada só foi anunciada uma vez.
    send(&sock, server.addr, 6);
    assert!(out.recv_timeout(WAIT).unwrap().ends_with("voltou"));
    assert!(
        out.recv_timeout(WAIT)
            .unwrap()
            .contains("batimento 6, atraso de ida")
    );
}

#[test]
fn two_clients_are_told_apart() {
    let (server, out) = start(&["--dead-after", "30"]);
    let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    send(&a, server.addr, 1);
    assert!(
        out.recv_timeout(WAIT)
            .unwrap()
            .contains(&format!("{}: batimento 1,", a.local_addr().unwrap()))
    );
    send(&b, server.addr, 3);
    let lines: Vec<String> = (0..3).map(|_| out.recv_timeout(WAIT).unwrap()).collect();
    let b_addr = b.local_addr().unwrap().to_string();
    assert!(lines.iter().all(|l| l.contains(&b_addr)), "{lines:?}");
    send(&a, server.addr, 2);
    let line = out.recv_timeout(WAIT).unwrap();
    assert!(
        line.contains("batimento 2, atraso") && line.contains(&a.local_addr().unwrap().to_string()),
        "{line}"
    );
}

#[test]
fn client_and_server_binaries_run_end_to_end_with_loss() {
    let (server, out) = start(&["--loss", "0.3", "--seed", "4", "--dead-after", "2"]);
    let port = server.addr.port().to_string();
    let client = support::run(
        "heartbeat-client",
        &[
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--count",
            "20",
            "--interval",
            "0.02",
        ],
        WAIT,
    );
    assert_eq!(client.code(), Some(0));
    assert_eq!(client.stdout_text().lines().count(), 20);
    let mut lines = Vec::new();
    while let Ok(line) = out.recv_timeout(WAIT) {
        let stop = line.contains("parou");
        lines.push(line);
        if stop {
            break;
        }
    }
    let beats = lines.iter().filter(|l| l.contains("atraso de ida")).count();
    let lost = lines.iter().filter(|l| l.ends_with("perdido")).count();
    assert!(lines.last().unwrap().contains("parou"), "{lines:?}");
    assert!(
        beats > 5 && lost > 0,
        "com 30% de perda: {beats} recebidos, {lost} perdidos"
    );
}

#[test]
fn bad_flags_exit_2() {
    for (bin, args) in [
        ("heartbeat-server", &["--dead-after", "0"][..]),
        ("heartbeat-server", &["--loss", "2"]),
        ("heartbeat-client", &["--interval", "-1"]),
        ("heartbeat-client", &["--count", "x"]),
    ] {
        let out = support::run(bin, args, WAIT);
        assert_eq!(out.code(), Some(2), "{bin} {args:?}");
        assert!(out.stderr.contains("uso: "));
    }
    for (bin, args, expected) in [
        ("heartbeat-server", &["--loss", "2"][..], "de 0 a 1"),
        ("heartbeat-server", &["--port", "-1"], "de 0 a 65535"),
        ("heartbeat-client", &["--port", "0"], "de 1 a 65535"),
        ("heartbeat-client", &["--count", "-1"], "a partir de 0"),
        ("heartbeat-client", &["--interval", "0"], "maior que 0"),
    ] {
        let out = support::run(bin, args, WAIT);
        assert_eq!(out.code(), Some(2), "{bin} {args:?}");
        assert!(
            out.stderr.contains(expected),
            "{bin} {args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_very_short_dead_after_works_and_is_shown_in_milliseconds() {
    // Antes: pânico em `Duration::clamp` (mínimo 10 ms > máximo 5 ms).
    let (server, out) = start(&["--dead-after", "0.005"]);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    send(&sock, server.addr, 1);
    let mut lines = Vec::new();
    while let Ok(line) = out.recv_timeout(WAIT) {
        let stopped = line.contains("parou");
        lines.push(line);
        if stopped {
            break;
        }
    }
    let last = lines.last().expect("alguma linha");
    assert!(last.contains("parou") && last.contains(" ms)"), "{lines:?}");
    // Abaixo de 1 ms: recusado como uso errado, não pânico.
    let out = support::run("heartbeat-server", &["--dead-after", "0.0001"], WAIT);
    assert_eq!(out.code(), Some(2), "{}", out.stderr);
}

#[test]
fn closed_output_pipes_end_both_programs_quietly_without_panic() {
    use support::Close;
    // `heartbeat-server 2>&1 | head -1`: o relatório do primeiro batimento
    // encontra o pipe fechado.
    let server = support::close_output(
        "heartbeat-server",
        &["--port", "0", "--loss", "0"],
        Close::BothAfterAnnouncement,
    );
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = server.addr.expect("anúncio com endereço");
    let beat = pratica_sockets::s2_udp_pinger::heartbeat::heartbeat_message(
        1,
        pratica_sockets::clock::unix_now(),
    );
    server.assert_exit_while(1, WAIT, || {
        let _ = sock.send_to(beat.as_bytes(), addr);
    });
    // `heartbeat-client | head -1` (nenhum socket na porta: o UDP não se importa).
    let port = sock.local_addr().unwrap().port().to_string();
    support::close_output(
        "heartbeat-client",
        &["--port", &port, "--count", "100", "--interval", "0.01"],
        support::Close::StdoutAfterLines(1),
    )
    .assert_exit(1, WAIT);
}

/// A primeira linha do stderr de `name args` (o anúncio); o programa é
/// encerrado logo depois.
fn announcement(name: &str, args: &[&str]) -> String {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(support::bin(name))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("o programa roda");
    let mut line = String::new();
    let stderr = child.stderr.take().expect("stderr foi pedido");
    let _ = std::io::BufReader::new(stderr).read_line(&mut line);
    let _ = child.kill();
    let _ = child.wait();
    line
}

#[test]
fn heartbeat_defaults_are_the_same_from_every_entry_point() {
    // `heartbeat-server` sozinho e `cargo heartbeat` (pratica): mesma perda, mesmo silêncio.
    let same = "perda simulada de 30%, parado após 2.0 s de silêncio";
    let alone = announcement("heartbeat-server", &["--port", "0"]);
    assert!(alone.contains(same), "{alone}");
    let together = announcement("pratica", &["heartbeat", "--port", "0"]);
    assert!(together.contains(same), "{together}");
    assert!(
        together.contains("20 batimentos, um a cada 200.0 ms"),
        "{together}"
    );
    // O cliente não anuncia nada: a ajuda dele mostra os mesmos padrões.
    let help = support::run("heartbeat-client", &["--help"], WAIT).stdout_text();
    for want in ["(padrão: 0.2)", "(padrão: 20)"] {
        assert!(help.contains(want), "{want}: {help}");
    }
}
