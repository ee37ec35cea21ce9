//! `ping-server`: o servidor da seção 2 (UDP Pinger). Veja `src/s2_udp_pinger/server.rs`.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UsageError};
use pratica_sockets::net;
use pratica_sockets::output;
use pratica_sockets::s2_udp_pinger::server;
use pratica_sockets::s2_udp_pinger::xorshift::Loss;

const USAGE: &str = "\
uso: ping-server [opções]

Servidor de ping UDP (seção 2 do enunciado): devolve cada datagrama em
maiúsculas e simula perda de pacotes.

opções:
  --host ENDEREÇO    endereço onde aguardar datagramas (padrão: 127.0.0.1)
  --port PORTA       porta UDP, de 0 a 65535; 0 = o sistema escolhe (padrão: 12000)
  --loss FRAÇÃO      probabilidade de descartar cada pacote, de 0 a 1;
                     aceita 0.3 ou 0,3 (padrão: 0.30)
  --seed N           semente do sorteio, para perdas reproduzíveis
  -h, --help         mostra esta ajuda
";

struct Config {
    host: String,
    port: u16,
    loss: f64,
    seed: Option<u64>,
}

fn parse(mut args: Args) -> Result<Parsed<Config>, UsageError> {
    let mut config = Config {
        host: "127.0.0.1".into(),
        port: 12000,
        loss: 0.30,
        seed: None,
    };
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "--host" => config.host = args.value(&f)?,
            Arg::Flag(f) if f == "--port" => {
                config.port = cli::parse_listen_port(&f, &args.value(&f)?)?
            }
            Arg::Flag(f) if f == "--loss" => {
                config.loss = cli::parse_fraction(&f, &args.value(&f)?)?
            }
            Arg::Flag(f) if f == "--seed" => {
                config.seed = Some(cli::parse_int_in(&f, &args.value(&f)?, 0, u64::MAX)?);
            }
            other => return Err(cli::unknown(other)),
        }
    }
    Ok(Parsed::Run(config))
}

fn run(config: Config) -> ExitCode {
    let socket = match server::bind(&config.host, config.port) {
        Ok(socket) => socket,
        Err(err) => {
            cli::report_bind_error("ping-server", &config.host, config.port, &err);
            return ExitCode::FAILURE;
        }
    };
    // "Escutando" é palavra do TCP (`listen`); um socket UDP só espera datagramas.
    match socket.local_addr() {
        Ok(addr) => {
            output::line(&format!(
                "ping-server: aguardando datagramas em {addr} (UDP), perda simulada de {:.0}%",
                config.loss * 100.0
            ));
            if let Some(note) = cli::all_interfaces_note("ping-server", addr) {
                output::line(&note);
            }
        }
        Err(_) => output::line("ping-server: aguardando datagramas (UDP)"),
    }
    let result = server::serve(
        &socket,
        Loss::with_seed(config.loss, config.seed),
        &mut output::stderr(),
    );
    if let Err(err) = result {
        output::line(&format!(
            "ping-server: o socket falhou: {}",
            net::pt_br(&err)
        ));
    }
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    cli::run_main(USAGE, parse, run)
}
