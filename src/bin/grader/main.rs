//! O corretor (`grader`): confere um trabalho, em qualquer linguagem
//! (normalmente Python), contra o que o enunciado pede, seção por seção.
//!
//! | modo | arquivo | parte do enunciado | o corretor faz o papel de |
//! |---|---|---|---|
//! | `ping-server` | [`ping_server`] | 2, "Código do Servidor" e "Perda de Pacotes" | cliente |
//! | `ping-client` | [`ping_client`] | 2, "Código do Cliente" | servidor com roteiro |
//! | `3a`, `3b` | [`web_server`] | 3a e 3b | navegador, e vários clientes |
//! | `3c` | [`http_client`] | 3c | servidor (o deste repositório) |
//!
//! O trabalho roda como processo filho ([`child`]), numa pasta temporária
//! preparada, a partir da linha de comando dada depois de `--`; é sempre
//! morto e esperado no fim. O resultado é um relatório ([`report`]) com uma
//! linha por conferência, separando o que o enunciado exige do que é boa
//! prática. Rode com `make grade` ou `cargo grade`; a aula de cada seção
//! termina com o comando ("Conferir o seu trabalho").
//!
//! Invariante: o corretor só usa o loopback e portas que ele mesmo
//! escolheu ou recebeu; nenhuma conferência passa de alguns segundos.
//!
//! Este é o programa `grader`: a ferramenta fica fora da biblioteca
//! `pratica_sockets` (a solução de referência que os alunos leem) e só a usa.

#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, UsageError};
mod child;
mod grade;
mod http_client;
mod ping_client;
mod ping_server;
mod report;
mod web_server;

use grade::{Mode, NotRun, Options, Transport, addresses, choose_port, port_free, spawn_error};
use pratica_sockets::output;
use report::EXIT_NOT_RUN;

const USAGE: &str = "\
uso: grader MODO [opções] -- COMANDO [ARGUMENTOS...]

Corretor: roda o seu trabalho (Python ou qualquer outra linguagem) numa
pasta temporária e confere, uma linha por item, o que o enunciado pede e
o que é boa prática. Sempre encerra o programa no fim.

modos:
  ping-server   seção 2, \"Código do Servidor\" e \"Perda de Pacotes\" (o corretor é o cliente)
  ping-client   seção 2, \"Código do Cliente\" (o corretor é um servidor com roteiro)
  3a            seção 3a, servidor web, uma requisição por vez
  3b            seção 3b, servidor web com uma thread por conexão
  3c            seção 3c, cliente HTTP (o corretor é o servidor deste repositório)

no COMANDO, estes marcadores são trocados:
  {host}  o host (padrão: localhost; em 3c, 127.0.0.1)
  {port}  a porta: a de --port; sem --port, uma porta livre
  {file}  em 3c, o arquivo requisitado (pagina.html, depois nao-existe.html)
sem {port} e sem --port, vale a porta do enunciado: 12000 no ping, 6789 na web.
em 3c, sem nenhum marcador, \"{host} {port} {file}\" vão no fim do comando.
o programa roda dentro da pasta servida; arquivos do comando (servidor.py)
são achados a partir da pasta atual.

opções:
  --port PORTA   a porta do trabalho (ou, em 3c, a do corretor)
  --host HOST    onde o trabalho escuta ou para onde o cliente manda
  --seed N       semente do roteiro de perdas do ping-client (padrão: 1)
  --strict       falhas de boa prática também reprovam
  -h, --help     mostra esta ajuda

exemplos:
  grader ping-server -- python3 UDPPingerServer.py
  grader ping-client -- python3 UDPPingerClient.py
  grader 3b --port 6789 -- python3 servidor_web.py
  grader 3c -- python3 cliente.py {host} {port} {file}

códigos de saída: 0 tudo o que o enunciado pede passou; 1 algo falhou;
2 uso errado; 3 o trabalho não pôde ser rodado (comando não existe, porta
ocupada, nunca escutou, terminou antes de começar).
";

/// O que a linha de comando pediu.
enum Request {
    Run { options: Options, strict: bool },
    Help,
}

fn parse(raw: Vec<OsString>) -> Result<Request, UsageError> {
    // Tudo depois do primeiro `--` é o comando do aluno, intocado.
    let split = raw.iter().position(|a| a == "--");
    let (ours, command) = match split {
        Some(at) => (raw[..at].to_vec(), raw[at + 1..].to_vec()),
        None => (raw, Vec::new()),
    };
    let mut args = Args::new(ours);
    let mut mode = None;
    let mut host = None;
    let mut port = None;
    let mut seed = 1;
    let mut strict = false;
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Request::Help),
            Arg::Flag(f) if f == "--host" => host = Some(args.value(&f)?),
            Arg::Flag(f) if f == "--port" => port = Some(cli::parse_port(&f, &args.value(&f)?)?),
            Arg::Flag(f) if f == "--seed" => seed = args.parsed(&f)?,
            Arg::Flag(f) if f == "--strict" => {
                args.no_value(&f)?;
                strict = true;
            }
            Arg::Positional(p) if mode.is_none() => {
                mode = Some(Mode::parse(&p).ok_or_else(|| {
                    UsageError(format!(
                        "modo desconhecido: `{p}` (use ping-server, ping-client, 3a, 3b ou 3c)"
                    ))
                })?)
            }
            other => return Err(cli::unknown(other)),
        }
    }
    let mode = mode.ok_or_else(|| {
        UsageError("falta o MODO (ping-server, ping-client, 3a, 3b ou 3c)".into())
    })?;
    if command.is_empty() {
        return Err(UsageError(
            "falta o comando do trabalho depois de `--` (ex.: -- python3 servidor.py)".into(),
        ));
    }
    let command = command
        .into_iter()
        .map(|w| {
            w.into_string()
                .map_err(|w| UsageError(format!("argumento não é UTF-8 válido: {w:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let base =
        std::env::current_dir().map_err(|e| UsageError(format!("pasta atual inacessível: {e}")))?;
    Ok(Request::Run {
        options: Options {
            mode,
            host,
            port,
            seed,
            command,
            base,
        },
        strict,
    })
}

fn run(options: Options, strict: bool) -> ExitCode {
    // Saída fechada (`| head`) termina o corretor ali mesmo (veja `output`).
    let mut out = output::stdout();
    let _ = writeln!(out, "Corretor: {}", options.mode.title());
    let _ = writeln!(out, "Comando: {}\n", options.command.join(" "));
    let _ = out.flush();
    match grade::run(&options) {
        Ok(report) => {
            let _ = out.write_all(report.render(strict).as_bytes());
            ExitCode::from(report.exit_code(strict))
        }
        Err(err) => {
            let _ = writeln!(out, "Não deu para conferir: {err}");
            ExitCode::from(EXIT_NOT_RUN)
        }
    }
}

fn main() -> ExitCode {
    match parse(std::env::args_os().skip(1).collect()) {
        // Só conferir os argumentos (tests/commands.rs), sem rodar nada.
        Ok(Request::Run { .. }) if std::env::var_os(cli::CHECK_ARGS_ENV).is_some() => {
            ExitCode::SUCCESS
        }
        Ok(Request::Run { options, strict }) => run(options, strict),
        Ok(Request::Help) => {
            let _ = std::io::stdout().write_all(USAGE.as_bytes());
            ExitCode::SUCCESS
        }
        Err(err) => {
            output::line(&format!("erro: {err}\n\n{USAGE}"));
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
