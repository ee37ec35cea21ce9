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
use std::path::PathBuf;
use std::process::ExitCode;

use pratica_sockets::cli::{self, Arg, Args, UsageError};
mod checks;
mod child;
mod grade;
mod http_client;
mod ping_client;
mod ping_server;
mod report;
mod turma;
mod web_server;

use grade::{Mode, NotRun, Options, Transport, addresses, choose_port, exit_hint, spawn_error};
use pratica_sockets::output;
use report::{EXIT_NOT_RUN, Policy};

/// A linha que acompanha um erro de uso.
pub const HELP_HINT: &str = "veja as opções com `grader --help` (e `grader turma --help`)";

const USAGE: &str = "\
uso: grader MODO [opções] -- COMANDO [ARGUMENTOS...]
     grader turma PASTA MODO [opções] --csv ARQUIVO -- COMANDO [ARGUMENTOS...]
     (uma turma inteira, uma pasta por aluno e uma planilha: grader turma --help)

Corretor: roda o seu trabalho (Python ou qualquer outra linguagem) numa
pasta temporária e confere, uma linha por item, o que o enunciado pede e
o que é boa prática. Sempre encerra o programa no fim.

modos:
  ping-server   seção 2, \"Código do Servidor\" e \"Perda de Pacotes\" (o corretor é o cliente)
  ping-client   seção 2, \"Código do Cliente\" (o corretor é um servidor com roteiro)
  3a            seção 3a, servidor web, uma requisição por vez
  3b            seção 3b, servidor web com uma thread por conexão
  3c            seção 3c, cliente HTTP (o corretor é o servidor deste repositório)

no COMANDO, estes marcadores são trocados (as duas formas valem):
  _HOST_ ou {host}  o host (padrão: localhost; em 3c, 127.0.0.1)
  _PORT_ ou {port}  a porta: a de --port; sem --port, uma porta livre
  _FILE_ ou {file}  em 3c, o arquivo requisitado (pagina.html, depois nao-existe.html)
no PowerShell, {port} sem aspas vira um bloco de script: use _PORT_ (ou '{port}').
sem marcador de porta e sem --port, vale a porta do enunciado: 12000 no ping, 6789 na web.
em 3c, sem nenhum marcador, \"{host} {port} {file}\" vão no fim do comando.
o programa roda dentro da pasta servida; arquivos do comando (servidor.py)
são achados a partir da pasta atual. Antes de iniciá-lo, o corretor copia
para a pasta servida os arquivos comuns e as subpastas da pasta do aluno
(a do arquivo que os argumentos nomeiam; sem arquivo, a pasta atual): até
50 MiB, sem seguir links simbólicos e sem sobrescrever os arquivos do
corretor (index.html, HelloWorld.html, a.txt, pagina.html valem os dele;
nao-existe-corretor.html, o do 404, nunca é copiado).

opções:
  --port PORTA   a porta do trabalho (ou, em 3c, a do corretor)
  --host HOST    onde o trabalho escuta ou para onde o cliente manda
  --seed N       semente do roteiro de perdas do ping-client (padrão: 1)
  --listar       lista as conferências do MODO: id, tipo e a frase do enunciado
  --exigir ID    a conferência de boa prática ID passa a reprovar (repita para várias)
  --tolerar ID   a conferência exigida ID deixa de reprovar (repita para várias)
  --strict       todas as conferências de boa prática também reprovam
  --resumo ARQ   grava em ARQ, no fim, um resumo chave=valor (modo=,
                 exigidos_ok=, exigidos_falhos=, exigidos_nao_rodados=,
                 boa_pratica_ok=, boa_pratica_avisos=, veredito=, motivo=)
  -h, --help     mostra esta ajuda

exemplos (Linux/macOS; no Windows, troque python3 por python):
  grader ping-server -- python3 UDPPingerServer.py
  grader ping-client -- python3 UDPPingerClient.py
  grader 3b --port 6789 -- python3 servidor_web.py
  grader 3c -- python3 cliente.py {host} {port} {file}
  grader 3a --listar
no PowerShell (e no cmd.exe):
  grader 3a -- python servidor_web.py _PORT_
  grader 3c -- python cliente.py _HOST_ _PORT_ _FILE_

códigos de saída: 0 aprovado (tudo o que é exigido passou); 1 reprovado
(algo exigido falhou ou não pôde ser conferido); 2 uso errado; 3 nada pôde
ser conferido (comando não existe, porta ocupada, nunca escutou, terminou
antes de começar).
";

/// Os marcadores que passam intactos pelo PowerShell, pelo cmd.exe e pelos
/// shells POSIX: `_PORT_`, `_HOST_`, `_FILE_`. Sublinhado e letras não são
/// especiais em nenhum dos três (`{port}` é um bloco de script no
/// PowerShell, `%port%` é expandido pelo cmd, `$port` pelo sh e pelo
/// PowerShell, `@port` é splatting no PowerShell). Viram `{port}` etc. aqui.
fn unify_placeholders(word: &str) -> String {
    word.replace("_HOST_", "{host}")
        .replace("_PORT_", "{port}")
        .replace("_FILE_", "{file}")
}

/// O sintoma de `{port}` sem aspas no PowerShell: o bloco de script chega
/// ao programa como `-encodedCommand <base64>`.
const POWERSHELL_BLOCK: &str = "\
o comando chegou com `-encodedCommand`: no PowerShell, {port} sem aspas é um
bloco de script, e o PowerShell o troca por `-encodedCommand ...`. Use _PORT_
(e _HOST_, _FILE_), que passam intactos em qualquer shell, ou ponha aspas:
  grader 3a -- python servidor.py _PORT_
  grader 3a -- python servidor.py '{port}'";

/// O que a linha de comando pediu.
enum Request {
    Run {
        options: Options,
        policy: Policy,
        /// `--resumo ARQUIVO`: onde gravar o resumo `chave=valor`.
        summary: Option<PathBuf>,
    },
    Help,
    /// `grader MODO --listar`.
    List(Mode),
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
    let mut policy = Policy::default();
    let mut summary = None;
    let mut list = false;
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Request::Help),
            Arg::Flag(f) if f == "--host" => host = Some(args.value(&f)?),
            Arg::Flag(f) if f == "--port" => port = Some(cli::parse_port(&f, &args.value(&f)?)?),
            Arg::Flag(f) if f == "--seed" => seed = args.parsed(&f)?,
            Arg::Flag(f) if f == "--resumo" => summary = Some(PathBuf::from(args.value(&f)?)),
            Arg::Flag(f) if f == "--strict" => {
                args.no_value(&f)?;
                policy.strict = true;
            }
            Arg::Flag(f) if f == "--listar" => {
                args.no_value(&f)?;
                list = true;
            }
            Arg::Flag(f) if f == "--exigir" => policy.require.push(check_id(&f, args.value(&f)?)?),
            Arg::Flag(f) if f == "--tolerar" => {
                policy.tolerate.push(check_id(&f, args.value(&f)?)?)
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
    if list {
        return Ok(Request::List(mode));
    }
    if command.is_empty() {
        return Err(UsageError(
            "falta o comando do trabalho depois de `--` (ex.: -- python3 servidor.py)".into(),
        ));
    }
    let command = command
        .into_iter()
        .map(|w| {
            w.into_string()
                .map(|w| unify_placeholders(&w))
                .map_err(|w| UsageError(format!("argumento não é UTF-8 válido: {w:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if command
        .iter()
        .any(|w| w.eq_ignore_ascii_case("-encodedCommand"))
    {
        return Err(UsageError(POWERSHELL_BLOCK.into()));
    }
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
        policy,
        summary,
    })
}

/// O id de `--exigir`/`--tolerar`, que precisa existir (um erro de digitação
/// não pode passar calado: o professor acharia que exigiu algo).
fn check_id(flag: &str, id: String) -> Result<String, UsageError> {
    if checks::known(&id) {
        Ok(id)
    } else {
        Err(UsageError(format!(
            "{flag}: não existe conferência com o id `{id}`; veja os ids com `grader MODO --listar`"
        )))
    }
}

fn run(options: Options, policy: Policy, summary: Option<PathBuf>) -> ExitCode {
    // Saída fechada (`| head`) termina o corretor ali mesmo (veja `output`).
    let mut out = output::stdout();
    let _ = writeln!(out, "Corretor: {}", options.mode.title());
    let _ = writeln!(out, "Comando: {}\n", options.command.join(" "));
    let _ = out.flush();
    let mode = options.mode.name();
    let (code, lines) = match grade::run(&options) {
        Ok(report) => {
            let _ = out.write_all(report.render(&policy).as_bytes());
            (report.exit_code(&policy), report.summary(mode, &policy))
        }
        Err(err) => {
            let _ = writeln!(out, "Não deu para conferir: {err}");
            (EXIT_NOT_RUN, report::summary_not_run(mode, &err.0))
        }
    };
    let _ = out.flush();
    if let Some(path) = summary
        && let Err(err) = std::fs::write(&path, lines)
    {
        output::line(&format!(
            "erro: não consegui gravar o resumo em {}: {}",
            path.display(),
            pratica_sockets::net::pt_br(&err)
        ));
        return ExitCode::from(cli::EXIT_USAGE);
    }
    ExitCode::from(code)
}

fn main() -> ExitCode {
    let raw: Vec<OsString> = std::env::args_os().skip(1).collect();
    if raw.first().is_some_and(|a| a == "turma") {
        return turma::main(raw[1..].to_vec());
    }
    let bare = raw.is_empty();
    match parse(raw) {
        Ok(Request::Run {
            options,
            policy,
            summary,
        }) => run(options, policy, summary),
        Ok(Request::List(mode)) => {
            let _ = std::io::stdout().write_all(checks::listing(mode).as_bytes());
            ExitCode::SUCCESS
        }
        Ok(Request::Help) => {
            let _ = std::io::stdout().write_all(USAGE.as_bytes());
            ExitCode::SUCCESS
        }
        // Sem argumento nenhum, a ajuda inteira; com um erro de digitação,
        // o erro e uma linha (a ajuda inteira esconderia o erro).
        Err(err) if bare => {
            output::line(&format!("erro: {err}\n\n{USAGE}"));
            ExitCode::from(cli::EXIT_USAGE)
        }
        Err(err) => {
            output::line(&format!("erro: {err}\n{HELP_HINT}"));
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
