//! `ping-server`: o servidor da seção 2 (UDP Pinger), que ecoa em maiúsculas
//! e simula perda. Roda com `cargo ping-server` (ou `make ping-server`); o
//! código está em `src/s2_udp_pinger/server.rs` e a aula é
//! `lessons/02-udp-pinger.md`.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UdpServerFlags, UsageError};
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

fn parse(mut args: Args) -> Result<Parsed<UdpServerFlags>, UsageError> {
    let mut config = UdpServerFlags::new(cli::PING_PORT, server::DEFAULT_LOSS);
    while let Some(arg) = args.next_arg()? {
        let Some(arg) = config.read(arg, &mut args)? else {
            continue;
        };
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            other => return Err(cli::unknown(other)),
        }
    }
    Ok(Parsed::Run(config))
}

fn run(config: UdpServerFlags) -> ExitCode {
    // "Aguardando" e não "escutando": `listen` é do TCP; um socket UDP só espera datagramas.
    let Some(socket) = cli::start_server("ping-server", &config.listen, server::bind, |addr| {
        format!(
            "aguardando datagramas em {addr} (UDP), perda simulada de {:.0}%",
            config.loss.rate * 100.0
        )
    }) else {
        return ExitCode::FAILURE;
    };
    let result = server::serve(
        &socket,
        Loss::with_seed(config.loss.rate, config.loss.seed),
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
