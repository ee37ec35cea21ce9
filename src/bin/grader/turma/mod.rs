//! `grader turma`: corrige uma turma inteira de uma vez, uma pasta por aluno.
//!
//! Cada aluno é corrigido pelo próprio `grader` no modo de um trabalho só
//! (o executável chama a si mesmo, com `--resumo`), com a pasta do aluno
//! como pasta atual: `python3 servidor.py` acha o `servidor.py` **daquele**
//! aluno, e as conferências são exatamente as do modo individual. Daqui só
//! saem a ordem, os limites, o isolamento e a planilha.
//!
//! Isolamento: no Linux, quando o `unshare` consegue (root, ou namespaces
//! de usuário liberados), cada aluno roda num namespace de rede próprio (só
//! com o loopback, ligado aqui) e num namespace de processos próprio. Assim
//! dois alunos podem usar a porta fixa 6789 ao mesmo tempo, e quando o
//! corretor daquele aluno termina (ou é morto por tempo), o kernel mata
//! todos os processos que o trabalho criou, netos inclusive. Sem isso, os
//! alunos rodam um por vez, nas portas do próprio computador, e os
//! processos que sobram são mortos pelo grupo de processos (Unix).
//!
//! Invariante: todo processo iniciado aqui é morto e esperado antes do fim
//! do lote; nenhum aluno passa do tempo limite mais alguns segundos.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use pratica_sockets::cli::{self, Arg, Args, Parsed, UsageError};
use pratica_sockets::output;

use crate::grade::Mode;
use crate::report::decimal;

mod capture;
mod isolation;
mod sheet;
#[cfg(test)]
mod tests;
mod workers;

use isolation::{Isolation, detect_isolation, detect_setpriv};
use sheet::{csv, csv_header, partial_path, table};
use workers::run_all;

pub const USAGE: &str = "\
uso: grader turma PASTA MODO [opções] --csv ARQUIVO -- COMANDO [ARGUMENTOS...]

Corrige uma turma: PASTA tem uma pasta por aluno, e o COMANDO roda dentro
da pasta de cada um (python3 servidor.py acha o servidor.py daquele aluno),
com as mesmas conferências de `grader MODO -- COMANDO`: os arquivos da
pasta do aluno (erro404.html, HelloWorld.html…) são copiados para a pasta
servida, sem sobrescrever os do corretor (veja grader --help).

Escreve uma tabela no terminal, a planilha ARQUIVO (uma linha por aluno:
pasta, modo, exigidos ok/falhos, boa prática, veredito, relatório) e um
relatório por aluno numa pasta ao lado da planilha (--csv notas.csv:
notas-relatorios/NOME-DA-PASTA.txt). Vereditos: aprovado, reprovado,
nao-rodou, tempo-esgotado. A planilha só é trocada no fim: até lá, as
linhas prontas vão para .ARQUIVO.parcial, ao lado, e um lote interrompido
deixa a planilha anterior inteira.

No Linux, se der (root, ou namespaces de usuário liberados), cada aluno
roda num namespace de rede e de processos próprio: portas fixas (12000,
6789) não colidem, os alunos rodam em paralelo, e nada do aluno sobrevive
ao fim da correção dele. Senão, um aluno por vez. A saída diz qual valeu.

opções da turma:
  --csv ARQUIVO          a planilha (obrigatória): UTF-8, separada por `;`
  --tempo-limite SEG     tempo máximo por aluno (padrão: 120); quem passa
                         é encerrado e fica com tempo-esgotado (a espera
                         de um TIME_WAIT, sem isolamento, não conta)
  --limite-saida KIB     quanto do relatório e da saída de cada aluno é
                         guardado (padrão: 256 KiB; o resto é cortado)
  --paralelo N           alunos ao mesmo tempo (padrão: até 4 com
                         isolamento, conforme os núcleos; 1 sem ele)
  --sem-isolamento       não usa namespaces: um aluno por vez
  -h, --help             mostra esta ajuda

repassadas ao corretor de cada aluno (veja grader --help):
  --strict, --exigir ID, --tolerar ID, --seed N, --port PORTA, --host HOST

exemplos:
  grader turma entregas 3a --csv notas.csv -- python3 servidor.py
  grader turma entregas ping-server --csv ping.csv -- python3 UDPPingerServer.py

códigos de saída: 0 o lote rodou (mesmo com alunos reprovados); 1 o lote
não pôde rodar (PASTA ilegível, sem alunos, planilha sem permissão);
2 uso errado.

Atenção: o corretor roda o código dos alunos com as suas permissões (o
namespace separa a rede e os processos, não os arquivos). Rode numa conta
descartável ou num contêiner (lessons/corretor.md, \"Segurança\").
";

/// Tempo máximo de um aluno, sem `--tempo-limite`: folga sobre a correção
/// mais lenta medida (69,6 s, um servidor 3b que aceita conexões e nunca
/// responde: cada conferência espera uns 3 s pela resposta; 30,2 s em 3a).
const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(120);
/// Quanto guardamos da saída de cada aluno, sem `--limite-saida`.
const DEFAULT_OUTPUT_KIB: usize = 256;
/// O máximo de alunos ao mesmo tempo, sem `--paralelo`: as conferências
/// medem atrasos, e um computador sobrecarregado atrasa os alunos.
const DEFAULT_MAX_PARALLEL: usize = 4;
/// Flags do modo individual que levam um valor e passam adiante.
const PASSED_WITH_VALUE: [&str; 5] = ["--exigir", "--tolerar", "--seed", "--port", "--host"];

/// O que a linha de comando da turma pediu.
#[derive(Debug, Clone, PartialEq)]
struct Batch {
    folder: PathBuf,
    /// O nome canônico do modo (`3a`, `ping-server`…).
    mode: String,
    /// Opções do modo individual, repassadas a cada aluno.
    passed: Vec<OsString>,
    command: Vec<OsString>,
    csv: PathBuf,
    parallel: Option<usize>,
    time_limit: Duration,
    output_limit: usize,
    isolate: bool,
}

impl Batch {
    /// A porta TCP em que o programa de cada aluno escuta (só 3a e 3b): a
    /// de `--port`, ou a do enunciado.
    fn server_tcp_port(&self) -> Option<u16> {
        if !matches!(self.mode.as_str(), "3a" | "3b") {
            return None;
        }
        let given = self
            .passed
            .windows(2)
            .find(|w| w[0] == "--port")
            .and_then(|w| w[1].to_str()?.parse().ok());
        Some(given.unwrap_or(cli::WEB_PORT))
    }
}

fn parse(raw: Vec<OsString>) -> Result<Parsed<Batch>, UsageError> {
    // Tudo depois do primeiro `--` é o comando do aluno, intocado.
    let (ours, command) = match raw.iter().position(|a| a == "--") {
        Some(at) => (raw[..at].to_vec(), raw[at + 1..].to_vec()),
        None => (raw, Vec::new()),
    };
    let mut args = Args::new(ours);
    let mut positionals = Vec::new();
    let mut passed = Vec::new();
    let mut csv = None;
    let mut parallel = None;
    let mut time_limit = DEFAULT_TIME_LIMIT;
    let mut output_limit = DEFAULT_OUTPUT_KIB;
    let mut isolate = true;
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Flag(f) if f == "-h" || f == "--help" => return Ok(Parsed::Help),
            Arg::Flag(f) if f == "--csv" => csv = Some(PathBuf::from(args.value(&f)?)),
            Arg::Flag(f) if f == "--paralelo" => {
                parallel = Some(cli::parse_int_in(&f, &args.value(&f)?, 1, 64)?)
            }
            Arg::Flag(f) if f == "--tempo-limite" => {
                time_limit = cli::parse_seconds(&f, &args.value(&f)?)?
            }
            Arg::Flag(f) if f == "--limite-saida" => {
                output_limit = cli::parse_int_in(&f, &args.value(&f)?, 1, 1024 * 1024)?
            }
            Arg::Flag(f) if f == "--sem-isolamento" => {
                args.no_value(&f)?;
                isolate = false;
            }
            Arg::Flag(f) if f == "--strict" => {
                args.no_value(&f)?;
                passed.push(OsString::from(f));
            }
            Arg::Flag(f) if PASSED_WITH_VALUE.contains(&f.as_str()) => {
                let value = args.value(&f)?;
                passed.push(OsString::from(f));
                passed.push(OsString::from(value));
            }
            Arg::Flag(f) if f == "--resumo" => {
                return Err(UsageError(
                    "--resumo é do modo individual; na turma, a planilha (--csv) faz esse papel"
                        .into(),
                ));
            }
            Arg::Positional(p) if positionals.len() < 2 => positionals.push(p),
            other => return Err(cli::unknown(other)),
        }
    }
    let mut positionals = positionals.into_iter();
    let folder = positionals
        .next()
        .ok_or_else(|| UsageError("falta a PASTA da turma (uma pasta por aluno)".into()))?;
    let mode = positionals.next().ok_or_else(|| {
        UsageError("falta o MODO (ping-server, ping-client, 3a, 3b ou 3c)".into())
    })?;
    let mode = Mode::parse(&mode).ok_or_else(|| {
        UsageError(format!(
            "modo desconhecido: `{mode}` (use ping-server, ping-client, 3a, 3b ou 3c)"
        ))
    })?;
    let csv = csv.ok_or_else(|| {
        UsageError("falta --csv ARQUIVO (a planilha com uma linha por aluno)".into())
    })?;
    if command.is_empty() {
        return Err(UsageError(
            "falta o comando do trabalho depois de `--` (ex.: -- python3 servidor.py)".into(),
        ));
    }
    Ok(Parsed::Run(Batch {
        folder: PathBuf::from(folder),
        mode: mode.name().to_string(),
        passed,
        command,
        csv,
        parallel,
        time_limit,
        output_limit: output_limit * 1024,
        isolate,
    }))
}

/// `grader turma …`: `raw` são os argumentos depois de `turma`.
pub fn main(raw: Vec<OsString>) -> ExitCode {
    let batch = match parse(raw) {
        Ok(Parsed::Help) => {
            let _ = io::stdout().write_all(USAGE.as_bytes());
            return ExitCode::SUCCESS;
        }
        Ok(Parsed::Run(batch)) => batch,
        Err(err) => return usage_error(&err.0),
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(err) => {
            output::line(&format!(
                "erro: não achei o próprio executável do corretor: {err}"
            ));
            return ExitCode::from(1);
        }
    };
    // As opções repassadas passam pela análise do modo individual (um --exigir
    // com ID que não existe, por exemplo) antes de o lote começar: um erro
    // de uso vira código 2 aqui, e não 40 alunos "nao-rodou".
    if let Err(refused) = crate::parse(single_args(&batch, Path::new("resumo.txt"))) {
        return usage_error(&refused.0);
    }
    match run(&exe, &batch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            output::line(&format!("erro: {err}"));
            ExitCode::from(1)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    output::line(&format!("erro: {message}\n{}", crate::HELP_HINT));
    ExitCode::from(cli::EXIT_USAGE)
}

/// Os argumentos do corretor individual de um aluno.
fn single_args(batch: &Batch, summary: &Path) -> Vec<OsString> {
    let mut args = vec![OsString::from(&batch.mode)];
    args.extend(batch.passed.iter().cloned());
    args.push("--resumo".into());
    args.push(summary.into());
    args.push("--".into());
    args.extend(batch.command.iter().cloned());
    args
}

/// `MODO [opções] -- COMANDO`, para o professor repetir um aluno sozinho.
fn single_args_shown(batch: &Batch) -> String {
    let mut words = vec![batch.mode.clone()];
    words.extend(
        batch
            .passed
            .iter()
            .map(|w| w.to_string_lossy().into_owned()),
    );
    words.push("--".into());
    words.extend(
        batch
            .command
            .iter()
            .map(|w| w.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

/// Um aluno: o nome da pasta e o caminho.
struct Student {
    name: String,
    dir: PathBuf,
}

/// O que deu a correção de um aluno.
#[derive(Debug, Clone, Default)]
struct Outcome {
    verdict: String,
    reason: String,
    /// exigidos ok, falhos, não rodados; boa prática ok, avisos (do `--resumo`).
    counts: Option<[u64; 5]>,
    elapsed: Duration,
    /// Quanto o lote esperou o TIME_WAIT da porta antes de repetir o aluno
    /// (não entra em `elapsed` nem no `--tempo-limite`).
    waited: Option<Duration>,
    /// O relatório do aluno, como a planilha o cita (relativo à planilha).
    report: Option<PathBuf>,
}

/// O que os trabalhadores contam ao laço principal.
enum Event {
    Started(usize),
    /// Sem isolamento: esperando o TIME_WAIT da porta para rodar de novo.
    Waiting(usize, u16),
    Finished(usize, Outcome),
}

/// Tudo o que cada trabalhador precisa, compartilhado.
struct Context {
    exe: PathBuf,
    batch: Batch,
    isolation: Isolation,
    students: Vec<Student>,
    /// A pasta dos relatórios, e o nome dela visto da pasta da planilha.
    reports: PathBuf,
    reports_name: PathBuf,
    /// Pasta temporária dos resumos `chave=valor`.
    scratch: PathBuf,
    /// O `setpriv` que faz o corretor de cada aluno morrer junto com o
    /// lote (`--pdeathsig KILL`), se existir aqui.
    setpriv: Option<PathBuf>,
}

/// Apaga as pastas temporárias de lotes anteriores que morreram sem
/// limpar (`pratica-sockets-turma-PID-N` de um PID que não existe mais).
/// Só no Linux, onde `/proc` diz quem está vivo.
fn remove_stale_scratch() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("pratica-sockets-turma-")
            .and_then(|rest| rest.split('-').next())
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn run(exe: &Path, batch: &Batch) -> Result<(), String> {
    // `notas.csv` tem a pasta-mãe "" (a atual), e "".join(x) é só x.
    let csv_dir = batch.csv.parent().unwrap_or(Path::new(""));
    let stem = batch
        .csv
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "turma".into());
    let reports_name = PathBuf::from(format!("{stem}-relatorios"));
    let reports = csv_dir.join(&reports_name);
    let (students, ignored) = list_students(&batch.folder, &reports, &batch.csv)?;
    if students.is_empty() {
        return Err(format!(
            "nenhuma pasta de aluno em {} (cada aluno precisa da sua pasta)",
            batch.folder.display()
        ));
    }
    std::fs::create_dir_all(&reports)
        .map_err(|e| format!("não consegui criar {}: {e}", reports.display()))?;
    // As linhas vão para um arquivo ao lado da planilha, à medida que
    // cada aluno termina; a planilha só é trocada (rename) no fim. Um lote
    // interrompido deixa a planilha anterior inteira, e o parcial ao lado.
    // Criado já: sem permissão, o lote nem começa.
    let partial = partial_path(&batch.csv);
    let mut partial_file = std::fs::File::create(&partial)
        .map_err(|e| format!("não consegui criar {}: {e}", partial.display()))?;
    remove_stale_scratch();
    let scratch = std::env::temp_dir().join(format!(
        "pratica-sockets-turma-{}-{}",
        std::process::id(),
        unique()
    ));
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("não consegui criar {}: {e}", scratch.display()))?;

    let isolation = if batch.isolate {
        detect_isolation()
    } else {
        Isolation::Off("--sem-isolamento".into())
    };
    let parallel = match &isolation {
        Isolation::Namespaces { .. } => batch.parallel.unwrap_or_else(|| {
            thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .min(DEFAULT_MAX_PARALLEL)
        }),
        // Sem namespaces, dois alunos na porta fixa 6789 colidiriam.
        Isolation::Off(_) => 1,
    }
    .min(students.len());

    let mut head = String::new();
    let _ = writeln!(
        head,
        "Turma: {} em {}, modo {}",
        students_count(students.len()),
        batch.folder.display(),
        batch.mode
    );
    for name in &ignored {
        let _ = writeln!(head, "Ignorado (não é pasta): {name}");
    }
    let _ = match &isolation {
        Isolation::Namespaces { map_root, .. } => writeln!(
            head,
            "Isolamento: cada aluno num namespace de rede e de processos próprio (unshare{}); {} por vez",
            if *map_root {
                ", com namespace de usuário"
            } else {
                ""
            },
            students_count(parallel)
        ),
        Isolation::Off(why) => writeln!(
            head,
            "Isolamento: nenhum ({why}); um aluno por vez, nas portas deste computador{}",
            if batch.parallel.is_some_and(|n| n > 1) {
                " (--paralelo ignorado)"
            } else {
                ""
            }
        ),
    };
    let _ = writeln!(
        head,
        "Limites por aluno: {} s, {} KiB de saída guardada",
        seconds(batch.time_limit),
        batch.output_limit / 1024
    );
    let _ = writeln!(
        head,
        "Planilha: {} só é trocada no fim; até lá, as linhas prontas ficam em {}\n",
        batch.csv.display(),
        partial.display()
    );
    say(&head);

    let context = Arc::new(Context {
        exe: exe.to_path_buf(),
        batch: batch.clone(),
        isolation,
        students,
        reports,
        reports_name,
        scratch,
        setpriv: detect_setpriv(),
    });
    let _ = partial_file.write_all(csv_header().as_bytes());
    let outcomes = run_all(&context, parallel, &mut partial_file);
    let _ = std::fs::remove_dir_all(&context.scratch);

    say(&table(&context, &outcomes));
    // No fim, o parcial é reescrito na ordem dos alunos e vira a planilha.
    let bytes = csv(&context, &outcomes);
    drop(partial_file);
    std::fs::write(&partial, bytes.as_bytes())
        .and_then(|()| std::fs::rename(&partial, &batch.csv))
        .map_err(|e| format!("não consegui gravar {}: {e}", batch.csv.display()))?;
    say(&format!(
        "Planilha: {}\nRelatórios: {}\n",
        batch.csv.display(),
        context.reports.display()
    ));
    Ok(())
}

/// "1 aluno", "2 alunos": em português, só o 1 é singular.
fn students_count(n: usize) -> String {
    if n == 1 {
        "1 aluno".into()
    } else {
        format!("{n} alunos")
    }
}

/// "120", "0,5": segundos com vírgula, sem ",0" à toa.
fn seconds(d: Duration) -> String {
    let text = decimal(d.as_secs_f64(), 1);
    text.strip_suffix(",0").map(str::to_string).unwrap_or(text)
}

/// Escreve no stdout, ignorando erro: um terminal fechado no meio do lote
/// não pode impedir que a planilha seja gravada.
fn say(text: &str) {
    let mut out = io::stdout();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Um número diferente a cada chamada (nomes de pastas temporárias).
fn unique() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// As pastas de aluno (em ordem de nome), e os nomes do que não é pasta.
/// Pastas ocultas, a pasta dos relatórios e a planilha (se estiverem
/// dentro da turma) não são alunos.
fn list_students(
    folder: &Path,
    reports: &Path,
    csv: &Path,
) -> Result<(Vec<Student>, Vec<String>), String> {
    let entries = std::fs::read_dir(folder)
        .map_err(|e| format!("não consegui ler a pasta {}: {e}", folder.display()))?;
    let reports = reports.canonicalize().ok();
    let csv = csv.canonicalize().ok();
    let mut students = Vec::new();
    let mut ignored = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("erro lendo {}: {e}", folder.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = entry.path();
        if name.starts_with('.') || (csv.is_some() && dir.canonicalize().ok() == csv) {
            continue;
        }
        if !dir.is_dir() {
            ignored.push(name);
            continue;
        }
        if reports.is_some() && dir.canonicalize().ok() == reports {
            continue;
        }
        students.push(Student { name, dir });
    }
    // "ana" antes de "Bruno": a ordem da lista de chamada, não a dos bytes.
    students.sort_by_key(|s| (s.name.to_lowercase(), s.name.clone()));
    ignored.sort();
    Ok((students, ignored))
}
