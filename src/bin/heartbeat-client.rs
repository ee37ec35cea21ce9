//! `heartbeat-client`: o cliente do UDP Heartbeat (extra da seção 2), que
//! manda batimentos sem esperar resposta. Roda com `cargo heartbeat-client`;
//! o código está em `src/s2_udp_pinger/heartbeat.rs` e a aula é
//! `lessons/02-udp-pinger.md`.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UsageError};
use pratica_sockets::net;
use pratica_sockets::output;
use pratica_sockets::s2_udp_pinger::heartbeat;

const USAGE: &str = "\
uso: heartbeat-client [opções]

Cliente do UDP Heartbeat (extra da seção 2): manda `<seq> <instante>` a
intervalos regulares, sem esperar resposta.

opções:
  --host HOST          nome, IPv4 ou IPv6 do servidor (padrão: localhost)
  --port PORTA         porta UDP do servidor, de 1 a 65535 (padrão: 12001)
  --interval SEG       intervalo entre batimentos; aceita 0.5 ou 0,5 (padrão: 0.2)
  --count N            quantos batimentos; 0 = até ser interrompido (padrão: 20)
  -h, --help           mostra esta ajuda
";

struct Config {
    host: String,
    port: u16,
    interval: Duration,
    count: u64,
}

fn parse(mut args: Args) -> Result<Parsed<Config>, UsageError> {
    let mut config = Config {
        host: cli::CLIENT_HOST.into(),
        port: cli::HEARTBEAT_PORT,
        interval: heartbeat::DEFAULT_INTERVAL,
        count: heartbeat::DEFAULT_COUNT,
    };
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "--host" => config.host = args.value(&f)?,
            Arg::Flag(f) if f == "--port" => config.port = cli::parse_port(&f, &args.value(&f)?)?,
            Arg::Flag(f) if f == "--interval" => {
                config.interval = cli::parse_seconds(&f, &args.value(&f)?)?;
            }
            Arg::Flag(f) if f == "--count" => {
                config.count = cli::parse_int_in(&f, &args.value(&f)?, 0, u64::MAX)?;
            }
            other => return Err(cli::unknown(other)),
        }
    }
    Ok(Parsed::Run(config))
}

fn run(config: Config) -> ExitCode {
    let mut out = output::stdout();
    match heartbeat::run_client(
        &config.host,
        config.port,
        config.interval,
        config.count,
        &mut out,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            output::line(&format!(
                "heartbeat-client: {}: {}",
                net::host_port(&config.host, config.port),
                net::pt_br(&err)
            ));
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    cli::run_main(USAGE, parse, run)
}
