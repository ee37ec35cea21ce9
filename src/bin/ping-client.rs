//! `ping-client`: o cliente da seção 2 (UDP Pinger): 10 pings, timeout de
//! 1 s, o RTT de cada um. Roda com `cargo ping-client` (ou `make
//! ping-client`); o código está em `src/s2_udp_pinger/client.rs` e a aula é
//! `lessons/02-udp-pinger.md`.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UsageError};
use pratica_sockets::net;
use pratica_sockets::output;
use pratica_sockets::s2_udp_pinger::client::{self, PingConfig};

const USAGE: &str = "\
uso: ping-client [opções]

Cliente de ping UDP (seção 2 do enunciado): envia pings, espera cada
resposta até o timeout e mostra o RTT e as estatísticas.

opções:
  --host HOST        nome, IPv4 ou IPv6 do servidor (padrão: localhost)
  --port PORTA       porta UDP do servidor, de 1 a 65535 (padrão: 12000)
  --count N          quantos pings enviar, pelo menos 1 (padrão: 10)
  --timeout SEG      quanto esperar cada resposta, em segundos, maior que 0 e
                     no máximo 86400; aceita 0.5 ou 0,5 (padrão: 1)
  -h, --help         mostra esta ajuda
";

fn parse(mut args: Args) -> Result<Parsed<PingConfig>, UsageError> {
    let mut config = PingConfig::new(cli::CLIENT_HOST, cli::PING_PORT);
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "--host" => config.host = args.value(&f)?,
            Arg::Flag(f) if f == "--port" => config.port = cli::parse_port(&f, &args.value(&f)?)?,
            Arg::Flag(f) if f == "--count" => {
                config.count = cli::parse_int_in(&f, &args.value(&f)?, 1, u32::MAX)?;
            }
            Arg::Flag(f) if f == "--timeout" => {
                config.timeout = cli::parse_seconds(&f, &args.value(&f)?)?
            }
            other => return Err(cli::unknown(other)),
        }
    }
    Ok(Parsed::Run(config))
}

fn run(config: PingConfig) -> ExitCode {
    let mut out = output::stdout();
    match client::run(&config, &mut out, &mut output::stderr()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            output::line(&format!(
                "ping-client: {}: {}",
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
