//! `http-client`: o cliente HTTP da seção 3c, `client host porta arquivo`.
//! Roda com `cargo get index.html` (ou `make get FILE=index.html`); o código
//! está em `src/s3_web_server/c_client.rs` (o extra de vários caminhos, em
//! `c_client/persistent.rs`) e a aula é `lessons/03-web-server.md`.

#![forbid(unsafe_code)]

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UsageError};
use pratica_sockets::net;
use pratica_sockets::output;
use pratica_sockets::s3_web_server::c_client::{
    self, ClientConfig, ClientError, Fetched, persistent,
};

const USAGE: &str = "\
uso: http-client HOST PORTA CAMINHO [CAMINHO...] [-o ARQUIVO] [--pipeline] [--timeout SEG]

Cliente HTTP (seção 3c do enunciado): conecta por TCP, envia um GET e
mostra o cabeçalho da resposta como chegou, uma linha em branco e o corpo.
Com vários caminhos (extra: conexões persistentes, Kurose §2.2.2), pede
todos em ordem na mesma conexão e mostra as respostas uma depois da outra;
se o servidor fechar a conexão, abre outra para os que faltam e avisa.

argumentos:
  HOST               nome, IPv4 ou IPv6 do servidor (ex.: localhost, 127.0.0.1, ::1)
  PORTA              porta TCP do servidor, de 1 a 65535 (ex.: 6789)
  CAMINHO            o arquivo requisitado, com ou sem a barra inicial (ex.: index.html);
                     vários caminhos vão pela mesma conexão

opções:
  -o, --output ARQ   grava o corpo em ARQ; só o cabeçalho vai para a saída padrão
                     (só com um CAMINHO)
  --pipeline         com vários caminhos: manda todas as requisições antes de ler
                     a primeira resposta
  --timeout SEG      prazo para conectar e para cada espera por dados; aceita
                     0.5 ou 0,5 (padrão: 10 e 15)
  -h, --help         mostra esta ajuda

códigos de saída (o pior entre os caminhos): 0 status < 400; 1 status >= 400,
ou a saída não pôde ser gravada; 2 uso errado; 3 falha de rede ou de protocolo (recusado, nome desconhecido,
prazo, truncado, não é HTTP).
";

/// Código de saída para falhas de rede e de protocolo.
const EXIT_NETWORK: u8 = 3;

struct Config {
    client: ClientConfig,
    /// Os caminhos, na ordem; o enunciado pede um só.
    paths: Vec<String>,
    pipeline: bool,
    output: Option<PathBuf>,
}

fn parse(mut args: Args) -> Result<Parsed<Config>, UsageError> {
    let mut positionals = Vec::new();
    let mut output = None;
    let mut timeout = None;
    let mut pipeline = false;
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "-o" || f == "--output" => {
                output = Some(PathBuf::from(args.value(&f)?))
            }
            Arg::Flag(f) if f == "--timeout" => {
                timeout = Some(cli::parse_seconds(&f, &args.value(&f)?)?)
            }
            Arg::Flag(f) if f == "--pipeline" => {
                args.no_value(&f)?;
                pipeline = true;
            }
            Arg::Positional(p) => positionals.push(p),
            other => return Err(cli::unknown(other)),
        }
    }
    let [host, port, _path, more @ ..] = positionals.as_slice() else {
        return Err(UsageError(format!(
            "esperava pelo menos 3 argumentos (HOST PORTA CAMINHO), recebi {}",
            positionals.len()
        )));
    };
    if !more.is_empty() && output.is_some() {
        return Err(UsageError("-o só vale com um CAMINHO".into()));
    }
    if host.is_empty() {
        return Err(UsageError("HOST não pode ser vazio".into()));
    }
    let port = cli::parse_port("PORTA", port)?;
    let mut client = ClientConfig::new(host, port);
    if let Some(t) = timeout {
        client.connect_timeout = t;
        client.read_timeout = t;
    }
    Ok(Parsed::Run(Config {
        client,
        paths: positionals[2..].to_vec(),
        pipeline,
        output,
    }))
}

fn run(config: Config) -> ExitCode {
    // Saída padrão fechada (`| head`) termina o programa ali mesmo, em
    // silêncio (veja `output`): não é um erro de rede.
    let mut out = output::stdout();
    let mut file = match &config.output {
        Some(path) => match File::create(path) {
            Ok(f) => Some(f),
            Err(err) => {
                output::line(&format!(
                    "http-client: não foi possível criar {}: {}",
                    path.display(),
                    net::pt_br(&err)
                ));
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let (fetched, error) = match config.paths.as_slice() {
        // O enunciado: um arquivo, uma conexão.
        [path] => {
            let body_out = file.as_mut().map(|f| f as &mut dyn Write);
            match c_client::get(&config.client, path, &mut out, body_out) {
                Ok(fetched) => (vec![fetched], None),
                Err(err) => (Vec::new(), Some(err)),
            }
        }
        // O extra: vários arquivos numa conexão persistente.
        paths => {
            let session = persistent::fetch_all(
                &config.client,
                paths,
                config.pipeline,
                &mut out,
                &mut output::stderr(),
            );
            (session.fetched, session.error)
        }
    };
    report(&config, &fetched, error, &mut out)
}

/// Os avisos de redirecionamento e o código de saída, o do pior caminho:
/// rede > status >= 400 > sucesso.
fn report(
    config: &Config,
    fetched: &[Fetched],
    error: Option<ClientError>,
    out: &mut impl Write,
) -> ExitCode {
    for fetched in fetched {
        if let Some(location) = &fetched.location
            && (300..400).contains(&fetched.status)
        {
            output::line(&format!(
                "http-client: redirecionamento para {location} (não seguido)"
            ));
        }
    }
    if let Some(ClientError::Output(err)) = &error {
        // Não deu para gravar o arquivo de `-o` (disco cheio…): um erro
        // local, não da rede nem do servidor. (A saída padrão fechada já
        // terminou o programa em silêncio, dentro de `output`.)
        let path = config.output.as_deref().unwrap_or(Path::new("-"));
        output::line(&format!(
            "http-client: não foi possível gravar {}: {}",
            path.display(),
            net::pt_br(err)
        ));
        ExitCode::FAILURE
    } else if let Some(err) = error {
        let _ = out.flush();
        let target = net::host_port(&config.client.host, config.client.port);
        output::line(&format!("http-client: {target}: {err}"));
        ExitCode::from(EXIT_NETWORK)
    } else if fetched.iter().any(|f| f.status >= 400) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    cli::run_main(USAGE, parse, run)
}
