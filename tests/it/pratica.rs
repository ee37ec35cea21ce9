//! `cargo ping` e `cargo heartbeat` (`src/bin/pratica.rs`): servidor numa
//! thread e cliente, num processo só, que sai com o código do cliente.

use crate::support;

use std::net::UdpSocket;
use std::time::Duration;

use support::run;

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn ping_runs_server_and_client_together_and_exits_zero() {
    let out = run(
        "pratica",
        &[
            "ping",
            "--port",
            "0",
            "--count",
            "3",
            "--loss",
            "0",
            "--timeout",
            "5",
        ],
        LIMIT,
    );
    let text = out.stdout_text();
    assert_eq!(out.code(), Some(0), "{text}\n{}", out.stderr);
    assert_eq!(
        text.matches("Mensagem do servidor: PING").count(),
        3,
        "{text}"
    );
    assert!(
        text.contains("3 pacotes transmitidos, 3 recebidos"),
        "{text}"
    );
    assert!(out.stderr.contains("ping-server.log"), "{}", out.stderr);
}

#[test]
fn ping_with_total_loss_still_prints_statistics_and_exits_zero() {
    let out = run(
        "pratica",
        &[
            "ping",
            "--port",
            "0",
            "--count",
            "2",
            "--loss",
            "1",
            "--timeout",
            "0.2",
        ],
        LIMIT,
    );
    let text = out.stdout_text();
    assert_eq!(out.code(), Some(0), "{text}\n{}", out.stderr);
    assert!(text.contains("100% de perda"), "{text}");
}

#[test]
fn ping_on_a_busy_port_exits_one_without_running_the_client() {
    let busy = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = run("pratica", &["ping", "--port", &port, "--count", "1"], LIMIT);
    assert_eq!(out.code(), Some(1), "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "o cliente rodou: {}",
        out.stdout_text()
    );
    assert!(out.stderr.contains(&port), "{}", out.stderr);
}

#[test]
fn unknown_command_or_flag_of_the_other_command_exits_two() {
    for args in [
        &["nada"][..],
        &["ping", "--dead-after", "1"],
        &["heartbeat", "--timeout", "1"],
        &["ping", "--seed", "sete"],
    ] {
        let out = run("pratica", args, LIMIT);
        assert_eq!(out.code(), Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("uso: pratica"), "{}", out.stderr);
    }
}

#[test]
fn without_a_command_it_lists_the_commands_and_exits_zero() {
    let out = run("pratica", &[], LIMIT);
    assert_eq!(out.code(), Some(0));
    let text = out.stdout_text();
    assert!(
        text.contains("ping") && text.contains("heartbeat"),
        "{text}"
    );
}

#[test]
fn heartbeat_reports_every_beat_and_then_the_silence() {
    let out = run(
        "pratica",
        &[
            "heartbeat",
            "--port",
            "0",
            "--count",
            "3",
            "--interval",
            "0.05",
            "--loss",
            "0",
            "--dead-after",
            "0.3",
        ],
        LIMIT,
    );
    let text = out.stdout_text();
    assert_eq!(out.code(), Some(0), "{text}\n{}", out.stderr);
    for seq in 1..=3 {
        assert!(text.contains(&format!("batimento {seq},")), "{text}");
    }
    assert!(text.contains("parou"), "{text}");
}

#[test]
fn closed_stdout_ends_quietly_without_panic() {
    // `cargo ping | head -1` e `cargo heartbeat | head -1`: a linha seguinte
    // encontra o pipe fechado; código 1, sem pânico e sem culpar a rede.
    // 2000 pings dão uns 200 KB de saída, mais do que cabe no buffer do pipe
    // (64 KiB no Linux): o programa não consegue terminar antes de o teste
    // fechar a ponta de leitura, por mais carregada que esteja a máquina.
    let ping = [
        "ping",
        "--port",
        "0",
        "--count",
        "2000",
        "--loss",
        "0",
        "--timeout",
        "5",
    ];
    support::close_output("pratica", &ping, support::Close::StdoutAfterLines(1))
        .assert_exit(1, LIMIT);
    let heartbeat = [
        "heartbeat",
        "--port",
        "0",
        "--count",
        "100",
        "--loss",
        "0",
        "--interval",
        "0.01",
    ];
    support::close_output("pratica", &heartbeat, support::Close::StdoutAfterLines(1))
        .assert_exit(1, LIMIT);
}
