//! `pratica`: servidor e cliente da seção 2 de uma vez, num processo só. É o
//! que está por trás de `cargo ping` / `make ping` e `cargo heartbeat` /
//! `make heartbeat`; a aula é `lessons/02-udp-pinger.md`.
//!
//! O servidor roda numa thread, com o socket já associado antes de o cliente
//! começar: quando o cliente termina (ou no Ctrl-C), o processo sai e leva o
//! servidor junto, em qualquer terminal. O código de saída é o do cliente.

#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{LineWriter, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UdpServerFlags, UsageError};
use pratica_sockets::net;
use pratica_sockets::output;
use pratica_sockets::s2_udp_pinger::client::{self, PingConfig};
use pratica_sockets::s2_udp_pinger::heartbeat;
use pratica_sockets::s2_udp_pinger::server;
use pratica_sockets::s2_udp_pinger::xorshift::Loss;

const USAGE: &str = "\
uso: pratica COMANDO [opções]

Roda servidor e cliente de uma vez, no mesmo processo (o servidor numa
thread). Normalmente chamado por `cargo ping` / `make ping` e
`cargo heartbeat` / `make heartbeat`.

comandos:
  ping        seção 2: servidor de ping + cliente (10 pings, 30% de perda)
  heartbeat   extra da seção 2: servidor do Heartbeat + cliente (20 batimentos)

opções dos dois comandos:
  --host ENDEREÇO    onde o servidor escuta; o cliente manda para lá (padrão: 127.0.0.1)
  --port PORTA       porta UDP (padrão: 12000 no ping, 12001 no heartbeat; 0 = o sistema escolhe)
  --loss FRAÇÃO      perda simulada no servidor, de 0 a 1 (padrão: 0.30)
  --seed N           semente do sorteio da perda, para perdas reproduzíveis
  --count N          quantos pings (padrão: 10) ou batimentos (padrão: 20)

só do ping:
  --timeout SEG      quanto esperar cada resposta; aceita frações (padrão: 1)

só do heartbeat:
  --interval SEG     intervalo entre batimentos (padrão: 0.2)
  --dead-after SEG   silêncio que quer dizer \"o cliente parou\", de 0.001 em diante (padrão: 2)

  -h, --help         mostra esta ajuda

Os outros programas rodam sozinhos (cargo ping-server, cargo serve,
cargo get index.html…); a lista completa está no README e em `make`.
";

enum Command {
    Ping {
        common: UdpServerFlags,
        count: u32,
        timeout: Duration,
    },
    Heartbeat {
        common: UdpServerFlags,
        count: u64,
        interval: Duration,
        dead_after: Duration,
    },
}

fn parse(mut args: Args) -> Result<Parsed<Command>, UsageError> {
    let name = match args.next_arg()? {
        None => return Ok(Parsed::Help),
        Some(Arg::Flag(f)) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
        Some(Arg::Positional(name)) if name == "ping" || name == "heartbeat" => name,
        Some(Arg::Positional(other)) => {
            return Err(UsageError(format!(
                "comando desconhecido: `{other}` (use ping ou heartbeat)"
            )));
        }
        Some(other) => return Err(cli::unknown(other)),
    };
    let ping = name == "ping";
    // Os mesmos padrões dos programas avulsos (ping-server e ping-client,
    // heartbeat-server e heartbeat-client).
    let port = if ping {
        cli::PING_PORT
    } else {
        cli::HEARTBEAT_PORT
    };
    let mut common = UdpServerFlags::new(port, server::DEFAULT_LOSS);
    let ping_defaults = PingConfig::new(cli::CLIENT_HOST, cli::PING_PORT);
    let mut count: u64 = if ping {
        u64::from(ping_defaults.count)
    } else {
        heartbeat::DEFAULT_COUNT
    };
    let mut timeout = ping_defaults.timeout;
    let mut interval = heartbeat::DEFAULT_INTERVAL;
    let mut dead_after = heartbeat::DEFAULT_DEAD_AFTER;
    while let Some(arg) = args.next_arg()? {
        let Some(arg) = common.read(arg, &mut args)? else {
            continue;
        };
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "--count" && ping => {
                count = u64::from(cli::parse_int_in(&f, &args.value(&f)?, 1, u32::MAX)?)
            }
            Arg::Flag(f) if f == "--count" => {
                count = cli::parse_int_in(&f, &args.value(&f)?, 0, u64::MAX)?
            }
            Arg::Flag(f) if f == "--timeout" && ping => {
                timeout = cli::parse_seconds(&f, &args.value(&f)?)?
            }
            Arg::Flag(f) if f == "--interval" && !ping => {
                interval = cli::parse_seconds(&f, &args.value(&f)?)?
            }
            Arg::Flag(f) if f == "--dead-after" && !ping => {
                dead_after = heartbeat::parse_dead_after(&f, &args.value(&f)?)?
            }
            other => return Err(cli::unknown(other)),
        }
    }
    Ok(Parsed::Run(if ping {
        Command::Ping {
            common,
            // `count` veio de um u32 quando o comando é ping.
            count: u32::try_from(count).unwrap_or(u32::MAX),
            timeout,
        }
    } else {
        Command::Heartbeat {
            common,
            count,
            interval,
            dead_after,
        }
    }))
}

/// O endereço para onde o cliente manda: o do socket do servidor, trocando
/// `0.0.0.0` / `::` (que querem dizer "todas as interfaces" e não são
/// destino) pelo loopback da mesma família.
fn reachable(addr: SocketAddr) -> SocketAddr {
    net::loopback_for(addr).unwrap_or(addr)
}

/// Um arquivo de log na pasta de compilação do cargo (`target/`, ou a de
/// `CARGO_TARGET_DIR`): este programa fica em `target/release/`, então o log
/// vai para a pasta acima dele. Sem arquivo, o log vai para o stderr.
fn open_log(name: &str) -> (Box<dyn Write + Send>, String) {
    let dir = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(std::env::temp_dir);
    let path = dir.join(name);
    match File::create(&path) {
        Ok(file) => (Box::new(LineWriter::new(file)), shown(path)),
        Err(err) => {
            output::line(&format!(
                "pratica: não foi possível criar {}: {}; o log vai para o terminal",
                path.display(),
                net::pt_br(&err)
            ));
            (Box::new(output::stderr()), "o terminal (stderr)".into())
        }
    }
}

/// O caminho como o usuário o digitaria: relativo à pasta atual, se estiver dentro dela.
fn shown(path: PathBuf) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}

fn ping(common: UdpServerFlags, count: u32, timeout: Duration) -> ExitCode {
    let Some((socket, addr)) = cli::bind_or_explain("ping-server", &common.listen, server::bind)
    else {
        return ExitCode::FAILURE;
    };
    let (mut log, log_name) = open_log("ping-server.log");
    let banner = format!(
        "servidor de ping em {addr} (UDP), perda simulada de {:.0}%, numa thread deste processo",
        common.loss.rate * 100.0
    );
    let _ = writeln!(log, "ping-server: {banner}");
    output::line(&format!("pratica ping: {banner}; log em {log_name}"));
    let loss = Loss::with_seed(common.loss.rate, common.loss.seed);
    // A thread não é esperada: ela morre com o processo, quando o cliente acabar.
    thread::spawn(move || {
        if let Err(err) = server::serve(&socket, loss, &mut log) {
            let _ = writeln!(log, "ping-server: o socket falhou: {}", net::pt_br(&err));
        }
    });

    let target = reachable(addr);
    let config = PingConfig {
        count,
        timeout,
        ..PingConfig::new(&target.ip().to_string(), target.port())
    };
    let status = match client::run(&config, &mut output::stdout(), &mut output::stderr()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            output::line(&format!("ping-client: {target}: {}", net::pt_br(&err)));
            ExitCode::FAILURE
        }
    };
    output::line(&format!("(o log do servidor está em {log_name})"));
    status
}

fn heartbeat(
    common: UdpServerFlags,
    count: u64,
    interval: Duration,
    dead_after: Duration,
) -> ExitCode {
    let Some((socket, addr)) =
        cli::bind_or_explain("heartbeat-server", &common.listen, server::bind)
    else {
        return ExitCode::FAILURE;
    };
    let (mut drops, drops_name) = open_log("heartbeat-server.log");
    let (mut sent, sent_name) = open_log("heartbeat-client.log");
    let banner = format!(
        "servidor do Heartbeat em {addr} (UDP), perda simulada de {:.0}%, parado após {} de silêncio",
        common.loss.rate * 100.0,
        heartbeat::Seconds(dead_after)
    );
    let _ = writeln!(drops, "heartbeat-server: {banner}");
    output::line(&format!(
        "pratica heartbeat: {banner}; {count} batimentos, um a cada {}",
        heartbeat::Seconds(interval)
    ));
    let loss = Loss::with_seed(common.loss.rate, common.loss.seed);
    // O relatório do servidor vai para o terminal; a thread morre com o processo.
    thread::spawn(move || {
        let mut out = output::stdout();
        if let Err(err) = heartbeat::serve(&socket, loss, dead_after, &mut out, &mut drops) {
            let _ = writeln!(drops, "heartbeat-server: {}", net::pt_br(&err));
        }
    });

    let target = reachable(addr);
    let status = match heartbeat::run_client(
        &target.ip().to_string(),
        target.port(),
        interval,
        count,
        &mut sent,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            output::line(&format!("heartbeat-client: {target}: {}", net::pt_br(&err)));
            ExitCode::FAILURE
        }
    };
    // O cliente parou de mandar: damos ao servidor o silêncio de que ele
    // precisa para declarar "o cliente parou" (mais uma folga), e saímos.
    thread::sleep(dead_after + Duration::from_secs(1));
    output::line(&format!(
        "(cliente: {sent_name}; descartes simulados: {drops_name})"
    ));
    status
}

fn run(command: Command) -> ExitCode {
    match command {
        Command::Ping {
            common,
            count,
            timeout,
        } => ping(common, count, timeout),
        Command::Heartbeat {
            common,
            count,
            interval,
            dead_after,
        } => heartbeat(common, count, interval, dead_after),
    }
}

fn main() -> ExitCode {
    cli::run_main(USAGE, parse, run)
}
