//! `heartbeat-server`: o servidor do UDP Heartbeat (extra da seção 2), que
//! nomeia batimentos perdidos e avisa quando um cliente para. Roda com
//! `cargo heartbeat-server`; o código está em `src/s2_udp_pinger/heartbeat.rs`
//! e a aula é `lessons/02-udp-pinger.md`.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UdpServerFlags, UsageError};
use pratica_sockets::net;
use pratica_sockets::output;
use pratica_sockets::s2_udp_pinger::heartbeat;
use pratica_sockets::s2_udp_pinger::server::{DEFAULT_LOSS, bind};
use pratica_sockets::s2_udp_pinger::xorshift::Loss;

const USAGE: &str = "\
uso: heartbeat-server [opções]

Servidor do UDP Heartbeat (extra da seção 2): para cada batimento mostra o
atraso de ida, nomeia os perdidos, reconhece duplicados e fora de ordem, e
avisa quando um cliente para de mandar batimentos.

opções:
  --host ENDEREÇO      endereço onde aguardar batimentos (padrão: 127.0.0.1)
  --port PORTA         porta UDP, de 0 a 65535; 0 = o sistema escolhe (padrão: 12001)
  --loss FRAÇÃO        perda simulada de 0 a 1, como no ping-server; aceita
                       0.3 ou 0,3 (padrão: 0.30)
  --seed N             semente do sorteio da perda
  --dead-after SEG     silêncio que significa \"o cliente parou\"; aceita frações,
                       com ponto ou vírgula, a partir de 0.001 (padrão: 2)
  -h, --help           mostra esta ajuda
";

struct Config {
    server: UdpServerFlags,
    dead_after: Duration,
}

fn parse(mut args: Args) -> Result<Parsed<Config>, UsageError> {
    let mut config = Config {
        server: UdpServerFlags::new(cli::HEARTBEAT_PORT, DEFAULT_LOSS),
        dead_after: heartbeat::DEFAULT_DEAD_AFTER,
    };
    while let Some(arg) = args.next_arg()? {
        let Some(arg) = config.server.read(arg, &mut args)? else {
            continue;
        };
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "--dead-after" => {
                config.dead_after = heartbeat::parse_dead_after(&f, &args.value(&f)?)?;
            }
            other => return Err(cli::unknown(other)),
        }
    }
    Ok(Parsed::Run(config))
}

fn run(config: Config) -> ExitCode {
    let Some(socket) = cli::start_server("heartbeat-server", &config.server.listen, bind, |addr| {
        format!(
            "aguardando batimentos em {addr} (UDP), perda simulada de {:.0}%, parado após {} de silêncio",
            config.server.loss.rate * 100.0,
            heartbeat::Seconds(config.dead_after)
        )
    }) else {
        return ExitCode::FAILURE;
    };
    let mut out = output::stdout();
    if let Err(err) = heartbeat::serve(
        &socket,
        Loss::with_seed(config.server.loss.rate, config.server.loss.seed),
        config.dead_after,
        &mut out,
        &mut output::stderr(),
    ) {
        output::line(&format!("heartbeat-server: {}", net::pt_br(&err)));
    }
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    cli::run_main(USAGE, parse, run)
}
