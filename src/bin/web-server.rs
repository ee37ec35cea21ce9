//! `web-server`: o servidor web da seção 3 (3a com `--single`, 3b por
//! padrão). Roda com `cargo serve` ou `cargo serve-single` (ou `make serve`);
//! o código está em `src/s3_web_server/` e a aula é `lessons/03-web-server.md`.

#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, Listen, Parsed, UsageError};
use pratica_sockets::net;
use pratica_sockets::output;
use pratica_sockets::s3_web_server::keep_alive::KeepAlive;
use pratica_sockets::s3_web_server::site::Site;
use pratica_sockets::s3_web_server::{a_single, b_threaded};

const USAGE: &str = "\
uso: web-server [opções]

Servidor web estático (seção 3 do enunciado). Por padrão atende cada
conexão numa thread própria (3b); com --single, uma requisição por vez (3a).

opções:
  --host ENDEREÇO          endereço onde escutar (padrão: 127.0.0.1; ::1 e 0.0.0.0 funcionam)
  --port PORTA             porta TCP, de 0 a 65535; 0 = o sistema escolhe (padrão: 6789)
  --root PASTA             pasta servida (padrão: www)
  --single                 3a: atende uma conexão por vez, na thread principal
  --max-connections N      3b: máximo de conexões atendidas ao mesmo tempo (padrão: 1024;
                           conexões persistentes ociosas também contam)
  --keep-alive             extra (Kurose §2.2.2): conexões persistentes (só na 3b); sem esta
                           opção, toda resposta diz `Connection: close`, como pede o enunciado
  --idle-timeout SEG       com --keep-alive: fecha a conexão depois de SEG segundos sem
                           uma nova requisição (padrão: 5)
  --max-requests N         com --keep-alive: requisições por conexão; a última resposta diz
                           `Connection: close` (padrão: 1000)
  -h, --help               mostra esta ajuda
";

struct Config {
    listen: Listen,
    root: PathBuf,
    single: bool,
    max_connections: usize,
    keep_alive: Option<KeepAlive>,
}

fn parse(mut args: Args) -> Result<Parsed<Config>, UsageError> {
    let mut config = Config {
        listen: Listen::new(cli::WEB_PORT),
        root: PathBuf::from("www"),
        single: false,
        max_connections: b_threaded::DEFAULT_MAX_CONNECTIONS,
        keep_alive: None,
    };
    // `--idle-timeout` e `--max-requests` sem `--keep-alive` não fariam nada:
    // melhor dizer isso do que ignorar em silêncio.
    let mut tuning = KeepAlive::default();
    let mut tuned = None;
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if Listen::FLAGS.contains(&f.as_str()) => {
                config.listen.read(&f, &mut args)?
            }
            Arg::Flag(f) if f == "--root" => config.root = args.value(&f)?.into(),
            Arg::Flag(f) if f == "--single" => {
                args.no_value(&f)?;
                config.single = true;
            }
            Arg::Flag(f) if f == "--max-connections" => {
                config.max_connections = cli::parse_int_in(&f, &args.value(&f)?, 1, usize::MAX)?;
            }
            Arg::Flag(f) if f == "--keep-alive" => {
                args.no_value(&f)?;
                config.keep_alive = Some(tuning);
            }
            Arg::Flag(f) if f == "--idle-timeout" => {
                tuning.idle_timeout = cli::parse_seconds(&f, &args.value(&f)?)?;
                tuned = Some(f);
            }
            Arg::Flag(f) if f == "--max-requests" => {
                tuning.max_requests = cli::parse_int_in(&f, &args.value(&f)?, 1, usize::MAX)?;
                tuned = Some(f);
            }
            other => return Err(cli::unknown(other)),
        }
    }
    if config.single && config.keep_alive.is_some() {
        // Na 3a, uma conexão ociosa prenderia o servidor inteiro até o
        // `--idle-timeout` vencer.
        return Err(UsageError(
            "--keep-alive não vale com --single: na 3a, um cliente ocioso faria todos \
             os outros esperarem; use --keep-alive sem --single (3b)"
                .to_string(),
        ));
    }
    match (&mut config.keep_alive, tuned) {
        (Some(keep_alive), _) => *keep_alive = tuning,
        (None, Some(flag)) => return Err(UsageError(format!("{flag} só vale com --keep-alive"))),
        (None, None) => {}
    }
    Ok(Parsed::Run(config))
}

fn run(config: Config) -> ExitCode {
    let site = match Site::new(&config.root) {
        Ok(site) => Site {
            keep_alive: config.keep_alive,
            ..site
        },
        Err(err) => {
            output::line(&format!(
                "web-server: a pasta {} não pode ser servida: {}",
                config.root.display(),
                net::pt_br(&err)
            ));
            return ExitCode::FAILURE;
        }
    };
    let mut mode = if config.single {
        "3a: uma requisição por vez".to_string()
    } else {
        format!("3b: uma thread por conexão, até {}", config.max_connections)
    };
    if let Some(k) = config.keep_alive {
        let _ = write!(
            mode,
            "; conexões persistentes: {} s ociosa, {} requisições",
            k.idle_timeout.as_secs_f64(),
            k.max_requests
        );
    }
    // `bind` reserva a porta; `listen` (feito pelo `TcpListener::bind`) abre
    // a fila onde o kernel guarda as conexões que completam a apresentação
    // de três vias (SYN, SYN-ACK, ACK).
    let bind = |host: &str, port| {
        net::resolve_all(host, port).and_then(|addrs| TcpListener::bind(addrs.as_slice()))
    };
    let Some(listener) = cli::start_server("web-server", &config.listen, bind, |addr| {
        // Em 0.0.0.0/:: o navegador precisa de um endereço de verdade.
        let open = net::loopback_for(addr).unwrap_or(addr);
        format!(
            "escutando em {addr} ({mode}), servindo {}; abra http://{open}/",
            output::typed_path(&site.root)
        )
    }) else {
        return ExitCode::FAILURE;
    };
    if config.single {
        a_single::serve(&listener, &site)
    } else {
        b_threaded::serve(&listener, site, config.max_connections)
    }
}

fn main() -> ExitCode {
    cli::run_main(USAGE, parse, run)
}
