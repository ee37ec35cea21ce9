//! O `--help` de cada programa mostra os padrões que ele usa de verdade: os
//! números do texto vêm das mesmas constantes que o código usa.

use std::time::Duration;

use pratica_sockets::cli::{
    CLIENT_HOST, HEARTBEAT_PORT, MINIMAL_WEB_PORT, PING_PORT, SERVER_HOST, WEB_PORT,
};
use pratica_sockets::s2_udp_pinger::client::PingConfig;
use pratica_sockets::s2_udp_pinger::heartbeat::{
    DEFAULT_COUNT, DEFAULT_DEAD_AFTER, DEFAULT_INTERVAL,
};
use pratica_sockets::s2_udp_pinger::server::DEFAULT_LOSS;
use pratica_sockets::s3_web_server::b_threaded::DEFAULT_MAX_CONNECTIONS;
use pratica_sockets::s3_web_server::c_client::ClientConfig;
use pratica_sockets::s3_web_server::keep_alive::KeepAlive;

use crate::support;

/// Segundos como o `--help` os escreve: `1`, `0.2`.
fn secs(d: Duration) -> String {
    d.as_secs_f64().to_string()
}

fn help_of(program: &str) -> String {
    let out = support::run(program, &["--help"], Duration::from_secs(20));
    assert_eq!(out.code(), Some(0), "{program} --help: {}", out.stderr);
    out.stdout_text()
}

#[test]
fn every_help_shows_the_defaults_the_program_uses() {
    let ping = PingConfig::new(CLIENT_HOST, PING_PORT);
    let http = ClientConfig::new(CLIENT_HOST, WEB_PORT);
    let keep_alive = KeepAlive::default();
    let loss = format!("(padrão: {DEFAULT_LOSS:.2})");
    let cases: [(&str, Vec<String>); 8] = [
        (
            "ping-server",
            vec![
                format!("(padrão: {SERVER_HOST})"),
                format!("(padrão: {PING_PORT})"),
                loss.clone(),
            ],
        ),
        (
            "heartbeat-server",
            vec![
                format!("(padrão: {SERVER_HOST})"),
                format!("(padrão: {HEARTBEAT_PORT})"),
                loss.clone(),
                format!("(padrão: {})", secs(DEFAULT_DEAD_AFTER)),
            ],
        ),
        (
            "pratica",
            vec![
                format!("(padrão: {SERVER_HOST})"),
                format!("(padrão: {PING_PORT} no ping, {HEARTBEAT_PORT} no heartbeat;"),
                loss,
                format!(
                    "(padrão: {}) ou batimentos (padrão: {DEFAULT_COUNT})",
                    ping.count
                ),
                format!("(padrão: {})", secs(ping.timeout)),
                format!("(padrão: {})", secs(DEFAULT_INTERVAL)),
                format!("(padrão: {})", secs(DEFAULT_DEAD_AFTER)),
            ],
        ),
        (
            "ping-client",
            vec![
                format!("(padrão: {CLIENT_HOST})"),
                format!("(padrão: {PING_PORT})"),
                format!("(padrão: {})", ping.count),
                format!("(padrão: {})", secs(ping.timeout)),
            ],
        ),
        (
            "heartbeat-client",
            vec![
                format!("(padrão: {CLIENT_HOST})"),
                format!("(padrão: {HEARTBEAT_PORT})"),
                format!("(padrão: {})", secs(DEFAULT_INTERVAL)),
                format!("(padrão: {DEFAULT_COUNT})"),
            ],
        ),
        (
            "web-server",
            vec![
                format!("(padrão: {SERVER_HOST};"),
                format!("(padrão: {WEB_PORT})"),
                format!("(padrão: {DEFAULT_MAX_CONNECTIONS};"),
                format!("(padrão: {})", secs(keep_alive.idle_timeout)),
                format!("(padrão: {})", keep_alive.max_requests),
            ],
        ),
        (
            "http-client",
            vec![format!(
                "(padrão: {} e {})",
                secs(http.connect_timeout),
                secs(http.read_timeout)
            )],
        ),
        (
            "minimal-web-server",
            vec![format!("(padrão: {MINIMAL_WEB_PORT})")],
        ),
    ];
    for (program, needles) in cases {
        let help = help_of(program);
        for needle in needles {
            assert!(
                help.contains(&needle),
                "{program} --help não mostra `{needle}`:\n{help}"
            );
        }
    }
}
