//! `minimal-web-server`: o servidor mínimo da aula 3 (3a, ou 3b com
//! `--threads`), com os defeitos do esqueleto do livro-texto. Para ler e
//! comparar, não para usar. Veja `src/s3_web_server/minimal.rs`.

#![forbid(unsafe_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, Listen, Parsed, UsageError};
use pratica_sockets::output;
use pratica_sockets::s3_web_server::minimal;

const USAGE: &str = "\
uso: minimal-web-server [opções]

O servidor web mínimo da aula 3: faz o que o esqueleto do livro-texto faz,
com os mesmos defeitos (um `read` só, `..` sai da raiz, sem 404, sem prazos).
Para comparar com o web-server, não para usar.

opções:
  --port PORTA     porta TCP em 127.0.0.1 (padrão: 6790)
  --root PASTA     pasta servida (padrão: www)
  --threads        3b mínimo: uma thread por conexão
  -h, --help       mostra esta ajuda
";

struct Config {
    port: u16,
    root: PathBuf,
    threads: bool,
}

fn parse(mut args: Args) -> Result<Parsed<Config>, UsageError> {
    let mut config = Config {
        port: cli::MINIMAL_WEB_PORT,
        root: PathBuf::from("www"),
        threads: false,
    };
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "--port" => config.port = cli::parse_port(&f, &args.value(&f)?)?,
            Arg::Flag(f) if f == "--root" => config.root = args.value(&f)?.into(),
            Arg::Flag(f) if f == "--threads" => {
                args.no_value(&f)?;
                config.threads = true;
            }
            other => return Err(cli::unknown(other)),
        }
    }
    Ok(Parsed::Run(config))
}

fn run(config: Config) -> ExitCode {
    let listen = Listen::new(config.port);
    let bind = |host: &str, port| TcpListener::bind((host, port));
    let mode = if config.threads {
        "3b mínimo"
    } else {
        "3a mínimo"
    };
    let Some(listener) = cli::start_server("minimal-web-server", &listen, bind, |addr| {
        format!("escutando em {addr} ({mode})")
    }) else {
        return ExitCode::FAILURE;
    };
    let result = if config.threads {
        minimal::serve_threaded(&listener, &config.root)
    } else {
        minimal::serve(&listener, &config.root)
    };
    if let Err(err) = result {
        output::line(&format!("minimal-web-server: accept falhou: {err}"));
    }
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    cli::run_main(USAGE, parse, run)
}
