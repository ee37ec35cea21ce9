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
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use pratica_sockets::cli::{self, Arg, Args, Parsed, UsageError};
use pratica_sockets::output;

use crate::grade::Mode;
use crate::report::decimal;

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
                         é encerrado e fica com tempo-esgotado
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
/// O resumo `chave=valor` tem oito linhas curtas; mais que isso é lixo.
const SUMMARY_LIMIT: u64 = 64 * 1024;

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

/// Como cada aluno é separado dos outros.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Isolation {
    /// Namespaces de rede e de processos (`unshare`); `map_root` quando
    /// não somos root e precisamos de um namespace de usuário também.
    Namespaces { map_root: bool, ip: PathBuf },
    /// Nenhum: um aluno por vez, com o motivo.
    Off(String),
}

impl Isolation {
    fn is_namespace(&self) -> bool {
        matches!(self, Isolation::Namespaces { .. })
    }

    /// O valor da coluna `isolamento` da planilha.
    fn label(&self) -> &'static str {
        match self {
            Isolation::Namespaces { .. } => "namespace",
            Isolation::Off(_) => "nenhum",
        }
    }

    /// As opções do `unshare` (as mesmas na sondagem e nos alunos).
    fn unshare_args(map_root: bool) -> Vec<&'static str> {
        // --kill-child: se o lote matar o `unshare` (tempo esgotado), o
        // kernel mata o primeiro processo do namespace, e com ele todos.
        let mut args = vec!["--net", "--pid", "--fork", "--kill-child"];
        if map_root {
            args.push("--map-root-user");
        }
        args
    }
}

/// O processo 1 de cada namespace de aluno: liga o loopback (`$1` é o
/// caminho do `ip`), roda o corretor (o resto) e sai com o código dele.
const NAMESPACE_INIT: &str = "\
trap 'exit 130' INT TERM HUP
ip=$1; shift
\"$ip\" link set lo up || exit 3
\"$@\" &
wait $!";

/// Descobre se dá para dar a cada aluno um namespace de rede próprio:
/// tenta de verdade (`unshare` + ligar o loopback), primeiro sem namespace
/// de usuário (root) e depois com ele.
fn detect_isolation() -> Isolation {
    if !cfg!(target_os = "linux") {
        return Isolation::Off("namespaces de rede só existem no Linux".into());
    }
    let Some(ip) = find_program("ip") else {
        return Isolation::Off(
            "o comando ip (pacote iproute2) não foi encontrado para ligar o loopback".into(),
        );
    };
    let mut why = String::new();
    for map_root in [false, true] {
        let probe = Command::new("unshare")
            .args(Isolation::unshare_args(map_root))
            .arg(&ip)
            .args(["link", "set", "lo", "up"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        match probe {
            Ok(out) if out.status.success() => return Isolation::Namespaces { map_root, ip },
            Ok(out) => {
                why = String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
            }
            Err(_) => {
                return Isolation::Off(
                    "o comando unshare (pacote util-linux) não foi encontrado".into(),
                );
            }
        }
    }
    Isolation::Off(format!(
        "o unshare não conseguiu criar um namespace de rede ({why}); rode como root ou libere namespaces de usuário"
    ))
}

/// O caminho de um programa: no PATH, ou nas pastas de administração
/// (`/usr/sbin` costuma ficar fora do PATH de quem não é root).
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
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
    /// O relatório do aluno, como a planilha o cita (relativo à planilha).
    report: Option<PathBuf>,
}

/// O que os trabalhadores contam ao laço principal.
enum Event {
    Started(usize),
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

/// O `setpriv` (util-linux), se ele existe e aceita `--pdeathsig`.
///
/// Sem `unsafe`, o lote não trata sinais nem chama `prctl`; quem pede ao
/// kernel "mate-me quando meu pai morrer" é o `setpriv`, antes do `exec`.
/// Assim, um lote morto (SIGKILL, ou SIGTERM só nele) leva junto o corretor
/// de cada aluno, e com ele o namespace inteiro (`--kill-child`).
fn detect_setpriv() -> Option<PathBuf> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let setpriv = find_program("setpriv")?;
    Command::new(&setpriv)
        .args(["--pdeathsig", "KILL", "true"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()
        .filter(|s| s.success())
        .map(|_| setpriv)
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

/// O arquivo das linhas prontas, ao lado da planilha: `.notas.csv.parcial`
/// (o ponto o esconde da lista de alunos, se a planilha ficar na PASTA).
fn partial_path(csv: &Path) -> PathBuf {
    let name = csv
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "turma.csv".into());
    csv.with_file_name(format!(".{name}.parcial"))
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

/// Corrige todos, `parallel` de cada vez, mostrando o andamento.
fn run_all(context: &Arc<Context>, parallel: usize, rows: &mut impl Write) -> Vec<Outcome> {
    let total = context.students.len();
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    let workers: Vec<_> = (0..parallel.max(1))
        .map(|_| {
            let context = Arc::clone(context);
            let next = Arc::clone(&next);
            let tx = tx.clone();
            thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= context.students.len() {
                        break;
                    }
                    let _ = tx.send(Event::Started(i));
                    let outcome = grade_student(&context, i);
                    let _ = tx.send(Event::Finished(i, outcome));
                }
            })
        })
        .collect();
    drop(tx);

    let mut outcomes: Vec<Option<Outcome>> = vec![None; total];
    let mut progress = Progress::new(total);
    // O número k de "aluno k de N" é a ordem de início.
    let mut order = vec![0; total];
    let mut started = 0;
    for event in rx {
        match event {
            Event::Started(i) => {
                started += 1;
                order[i] = started;
                progress.started(started, &context.students[i].name);
            }
            Event::Finished(i, outcome) => {
                progress.finished(order[i], &context.students[i].name, &outcome);
                // Cada linha vai ao disco logo: um lote interrompido guarda
                // o que já terminou.
                let _ = rows.write_all(csv_row(context, &context.students[i], &outcome).as_bytes());
                let _ = rows.flush();
                outcomes[i] = Some(outcome);
            }
        }
    }
    progress.clear();
    for worker in workers {
        let _ = worker.join();
    }
    outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| Outcome {
                verdict: "nao-rodou".into(),
                reason: "a correção deste aluno não terminou (erro interno do corretor)".into(),
                ..Outcome::default()
            })
        })
        .collect()
}

/// A linha de andamento no stderr: reescrita no lugar (`\r`) num
/// terminal; uma linha por evento quando o stderr vai para um arquivo.
struct Progress {
    total: usize,
    done: usize,
    live: bool,
    width: usize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            live: io::stderr().is_terminal(),
            width: 0,
        }
    }

    fn started(&mut self, k: usize, name: &str) {
        let text = format!("aluno {k} de {}: {name}", self.total);
        if self.live {
            self.show(&format!(
                "{text} (concluídos: {} de {})",
                self.done, self.total
            ));
        } else {
            self.line(&text);
        }
    }

    fn finished(&mut self, k: usize, name: &str, outcome: &Outcome) {
        self.done += 1;
        let text = format!(
            "aluno {k} de {}: {name}: {} em {} s",
            self.total,
            outcome.verdict,
            decimal(outcome.elapsed.as_secs_f64(), 1)
        );
        if self.live {
            self.show(&format!(
                "{text} (concluídos: {} de {})",
                self.done, self.total
            ));
        } else {
            self.line(&text);
        }
    }

    /// Reescreve a linha viva, apagando com espaços o que sobrar da
    /// anterior (sem códigos ANSI, que o console antigo do Windows não entende).
    fn show(&mut self, text: &str) {
        let text: String = text.chars().take(100).collect();
        let len = text.chars().count();
        let pad = " ".repeat(self.width.saturating_sub(len));
        self.width = len;
        let _ = io::stderr().write_all(format!("\r{text}{pad}").as_bytes());
    }

    fn line(&mut self, text: &str) {
        let _ = io::stderr().write_all(format!("{text}\n").as_bytes());
    }

    fn clear(&mut self) {
        if self.live && self.width > 0 {
            let blank = " ".repeat(self.width);
            let _ = io::stderr().write_all(format!("\r{blank}\r").as_bytes());
            self.width = 0;
        }
    }
}

/// Corrige um aluno: roda o corretor individual, com prazo e saída
/// limitada, e grava o relatório dele.
fn grade_student(context: &Context, i: usize) -> Outcome {
    let student = &context.students[i];
    let batch = &context.batch;
    let summary = context.scratch.join(format!("{i}.resumo"));
    // Uma pasta temporária por aluno: num namespace de processos próprio,
    // todo corretor é o processo 1, e as pastas que ele nomeia pelo pid
    // (`pratica-sockets-corretor-1-0`) colidiriam entre alunos paralelos.
    let tmp = context.scratch.join(format!("{i}-tmp"));
    let _ = std::fs::create_dir_all(&tmp);
    let mut command = student_command(context, &summary);
    command
        .current_dir(&student.dir)
        .env("TMPDIR", &tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let (mut outcome, stdout, stderr) = match command.spawn() {
        Ok(child) => {
            let mut run = Watched::new(child, batch.output_limit);
            let timed_out = run.wait_or_kill(start + batch.time_limit).is_none();
            let (stdout, stderr) = run.finish(!context.isolation.is_namespace());
            let outcome = if timed_out {
                Outcome {
                    verdict: "tempo-esgotado".into(),
                    reason: format!(
                        "a correção passou de {} s e foi encerrada",
                        seconds(batch.time_limit)
                    ),
                    ..Outcome::default()
                }
            } else {
                read_summary(&summary, run.status, &stderr)
            };
            (outcome, stdout, stderr)
        }
        Err(err) => (
            Outcome {
                verdict: "nao-rodou".into(),
                reason: format!("não consegui iniciar o corretor: {err}"),
                ..Outcome::default()
            },
            Captured::default(),
            Captured::default(),
        ),
    };
    outcome.elapsed = start.elapsed();
    let _ = std::fs::remove_file(&summary);
    let _ = std::fs::remove_dir_all(&tmp);

    let mut text = String::new();
    let _ = writeln!(text, "Aluno: {}", student.name);
    let _ = writeln!(text, "Pasta: {}", student.dir.display());
    let _ = writeln!(text, "Modo: {}", batch.mode);
    let _ = writeln!(text, "Isolamento: {}", context.isolation.label());
    let _ = writeln!(
        text,
        "Duração: {} s",
        decimal(outcome.elapsed.as_secs_f64(), 1)
    );
    let _ = writeln!(text, "Veredito: {}", outcome.verdict);
    if !outcome.reason.is_empty() {
        let _ = writeln!(text, "Motivo: {}", outcome.reason);
    }
    if outcome.verdict == "tempo-esgotado" {
        // O corretor escreve as conferências no fim: encerrado antes, o
        // relatório abaixo fica só com o cabeçalho.
        let _ = writeln!(
            text,
            "O corretor escreve o relatório no fim, e foi encerrado antes. Para vê-lo, aumente --tempo-limite, ou rode na pasta do aluno: grader {}",
            single_args_shown(batch)
        );
    }
    text.push('\n');
    text.push_str(&stdout.text("relatório"));
    if !stderr.bytes.is_empty() {
        let _ = write!(
            text,
            "\n--- saída de erros do corretor ---\n{}",
            stderr.text("saída de erros")
        );
    }
    let file = format!("{}.txt", student.name);
    match std::fs::write(context.reports.join(&file), text) {
        Ok(()) => outcome.report = Some(context.reports_name.join(&file)),
        Err(err) => {
            let _ = write!(
                outcome.reason,
                "{}relatório não gravado: {err}",
                if outcome.reason.is_empty() { "" } else { "; " }
            );
        }
    }
    outcome
}

/// O corretor individual de um aluno, dentro dos namespaces se houver.
fn student_command(context: &Context, summary: &Path) -> Command {
    let args = single_args(&context.batch, summary);
    match &context.isolation {
        Isolation::Namespaces { map_root, ip } => {
            // Dentro do namespace novo só há o loopback, desligado: o `sh`
            // liga, e fica como processo 1 enquanto o corretor roda. Quando
            // o processo 1 sai, o kernel mata o namespace inteiro. O `trap`
            // existe por causa do Ctrl-C: o `unshare` o bloqueia, e o
            // processo 1 de um namespace ignora sinais de fora para os quais
            // não tem tratador; com o `trap`, o Ctrl-C (que chega a todo o
            // grupo de processos do lote) derruba o namespace na hora.
            let mut c = match &context.setpriv {
                Some(setpriv) => {
                    let mut c = Command::new(setpriv);
                    c.args(["--pdeathsig", "KILL", "unshare"]);
                    c
                }
                None => Command::new("unshare"),
            };
            c.args(Isolation::unshare_args(*map_root))
                .args(["sh", "-c", NAMESPACE_INIT, "sh"])
                .arg(ip)
                .arg(&context.exe)
                .args(args);
            c
        }
        Isolation::Off(_) => {
            // Sem namespace, o `setpriv` só leva junto o corretor do aluno:
            // o programa do aluno, filho dele, sobrevive a um lote morto.
            let mut c = match &context.setpriv {
                Some(setpriv) => {
                    let mut c = Command::new(setpriv);
                    c.args(["--pdeathsig", "KILL"]).arg(&context.exe);
                    c
                }
                None => Command::new(&context.exe),
            };
            c.args(args);
            // Sem namespace, um grupo de processos por aluno: no fim, o
            // grupo inteiro é morto, e o servidor de um aluno que estourou o
            // tempo (ou o neto que ele deixou) não segura a porta do próximo.
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                c.process_group(0);
            }
            c
        }
    }
}

/// O veredito a partir do `--resumo`. Sem ele, o corretor do aluno não
/// chegou ao fim (erro de uso, pânico, o `unshare` falhou): `nao-rodou`,
/// com o código de saída e a última linha do stderr, e nunca "aprovado".
fn read_summary(path: &Path, status: Option<ExitStatus>, stderr: &Captured) -> Outcome {
    let mut text = String::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(SUMMARY_LIMIT).read_to_string(&mut text);
    }
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
    };
    let number = |key: &str| field(key).and_then(|v| v.parse::<u64>().ok());
    if let Some(verdict) = field("veredito").filter(|v| !v.is_empty()) {
        let counts = [
            "exigidos_ok",
            "exigidos_falhos",
            "exigidos_nao_rodados",
            "boa_pratica_ok",
            "boa_pratica_avisos",
        ]
        .map(number);
        return Outcome {
            verdict: verdict.to_string(),
            reason: field("motivo").unwrap_or("").to_string(),
            counts: counts
                .iter()
                .all(Option::is_some)
                .then(|| counts.map(Option::unwrap_or_default)),
            ..Outcome::default()
        };
    }
    let how = match status.and_then(|s| s.code()) {
        Some(code) => format!("terminou com código {code}"),
        None => "terminou por um sinal".into(),
    };
    let errors = String::from_utf8_lossy(&stderr.bytes);
    let last = errors
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| format!(": {}", l.trim()))
        .unwrap_or_default();
    Outcome {
        verdict: "nao-rodou".into(),
        reason: format!("o corretor {how} sem gravar o resumo{last}"),
        ..Outcome::default()
    }
}

/// O que um pipe entregou, até o limite.
#[derive(Debug, Default, Clone)]
struct Captured {
    bytes: Vec<u8>,
    /// Quantos bytes vieram além do limite (descartados).
    dropped: u64,
}

impl Captured {
    fn text(&self, what: &str) -> String {
        let mut text = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.dropped > 0 {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let _ = writeln!(
                text,
                "[{what} cortado aqui: mais {} bytes descartados (--limite-saida)]",
                self.dropped
            );
        }
        text
    }
}

/// O corretor de um aluno rodando, com stdout e stderr lidos por threads.
struct Watched {
    child: Child,
    status: Option<ExitStatus>,
    outputs: [Arc<Mutex<Captured>>; 2],
    eof: mpsc::Receiver<()>,
}

impl Watched {
    fn new(mut child: Child, limit: usize) -> Watched {
        let outputs = [
            Arc::new(Mutex::new(Captured::default())),
            Arc::new(Mutex::new(Captured::default())),
        ];
        let (tx, eof) = mpsc::channel();
        if let Some(pipe) = child.stdout.take() {
            drain(pipe, Arc::clone(&outputs[0]), limit, tx.clone());
        }
        if let Some(pipe) = child.stderr.take() {
            drain(pipe, Arc::clone(&outputs[1]), limit, tx);
        }
        Watched {
            child,
            status: None,
            outputs,
            eof,
        }
    }

    /// Espera o fim até `deadline`; passou, mata. `None` = foi morto por tempo.
    ///
    /// A biblioteca padrão não tem `wait` com prazo: perguntamos a cada
    /// 20 ms (`try_wait` não bloqueia).
    fn wait_or_kill(&mut self, deadline: Instant) -> Option<ExitStatus> {
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.status = Some(status);
                return Some(status);
            }
            let now = Instant::now();
            if now >= deadline {
                let _ = self.child.kill();
                self.status = self.child.wait().ok();
                return None;
            }
            thread::sleep((deadline - now).min(Duration::from_millis(20)));
        }
    }

    /// Mata o que sobrou do grupo (se o aluno tem um grupo só dele), espera os pipes fecharem (no máximo
    /// 2 s) e devolve stdout e stderr.
    fn finish(&mut self, own_group: bool) -> (Captured, Captured) {
        if own_group {
            kill_group(self.child.id());
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut closed = 0;
        while closed < 2 {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.eof.recv_timeout(left) {
                Ok(()) => closed += 1,
                Err(_) => break,
            }
        }
        let take = |o: &Arc<Mutex<Captured>>| o.lock().map(|c| c.clone()).unwrap_or_default();
        (take(&self.outputs[0]), take(&self.outputs[1]))
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Mata (SIGKILL) o grupo de processos `group`, se ainda tiver alguém.
/// A biblioteca padrão não manda sinal a um grupo; o comando `kill` manda.
#[cfg(unix)]
fn kill_group(group: u32) {
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{group}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(not(unix))]
fn kill_group(_group: u32) {}

/// Lê um pipe até o fim, guardando até `limit` bytes e contando o resto:
/// continuar lendo impede que um programa que inunda a saída trave.
fn drain(
    mut pipe: impl Read + Send + 'static,
    into: Arc<Mutex<Captured>>,
    limit: usize,
    done: mpsc::Sender<()>,
) {
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if let Ok(mut c) = into.lock() {
                        let room = limit.saturating_sub(c.bytes.len()).min(n);
                        c.bytes.extend_from_slice(&buf[..room]);
                        c.dropped += (n - room) as u64;
                    }
                }
            }
        }
        let _ = done.send(());
    });
}

/// A tabela do fim, alinhada pela contagem de caracteres.
fn table(context: &Context, outcomes: &[Outcome]) -> String {
    let mut rows = vec![[
        "aluno".to_string(),
        "veredito".into(),
        "exigidos ok/falhos".into(),
        "boa prática ok/avisos".into(),
        "relatório".into(),
    ]];
    for (student, o) in context.students.iter().zip(outcomes) {
        let (required, practice) = match o.counts {
            Some([ok, fail, not_run, bp_ok, bp_warn]) => {
                let required = match not_run {
                    0 => format!("{ok}/{fail}"),
                    1 => format!("{ok}/{fail} (1 não conferido)"),
                    n => format!("{ok}/{fail} ({n} não conferidos)"),
                };
                (required, format!("{bp_ok}/{bp_warn}"))
            }
            None => ("-".into(), "-".into()),
        };
        rows.push([
            student.name.clone(),
            o.verdict.clone(),
            required,
            practice,
            o.report
                .as_ref()
                .map(|r| context.reports.join(r.file_name().unwrap_or_default()))
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (cell, w) in row.iter().zip(widths) {
            let pad = w - cell.chars().count();
            let _ = write!(line, "{cell}{}  ", " ".repeat(pad));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let count = |v: &str| outcomes.iter().filter(|o| o.verdict == v).count();
    let _ = writeln!(
        out,
        "\naprovado: {} · reprovado: {} · nao-rodou: {} · tempo-esgotado: {}\n",
        count("aprovado"),
        count("reprovado"),
        count("nao-rodou"),
        count("tempo-esgotado")
    );
    out
}

/// A planilha.
///
/// Separador `;` e não `,`: o Excel em português do Brasil usa a vírgula
/// como separador decimal, e por isso abre um `.csv` (com dois cliques)
/// separando as colunas por `;`; com `,`, cada linha cairia inteira numa
/// coluna só. O LibreOffice detecta o `;` na importação, e o Moodle deixa
/// escolher o separador. O BOM no início faz o Excel ler UTF-8 (sem ele,
/// "João" vira "JoÃ£o"); as linhas terminam em CRLF, como pede o RFC 4180.
fn csv(context: &Context, outcomes: &[Outcome]) -> String {
    let mut out = csv_header();
    for (student, o) in context.students.iter().zip(outcomes) {
        out.push_str(&csv_row(context, student, o));
    }
    out
}

/// O BOM e a linha dos nomes das colunas.
fn csv_header() -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "aluno",
        "modo",
        "exigidos_ok",
        "exigidos_falhos",
        "exigidos_nao_rodados",
        "boa_pratica_ok",
        "boa_pratica_avisos",
        "veredito",
        "motivo",
        "isolamento",
        "tempo_s",
        "relatorio",
        "opcoes",
    ];
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    out
}

/// A linha de um aluno, com CRLF.
fn csv_row(context: &Context, student: &Student, o: &Outcome) -> String {
    let mut out = String::new();
    {
        let counts = match o.counts {
            Some(c) => c.map(|n| n.to_string()),
            None => Default::default(),
        };
        let mut row = vec![csv_text(&student.name), csv_text(&context.batch.mode)];
        row.extend(counts);
        row.extend([
            csv_text(&o.verdict),
            csv_text(&o.reason),
            context.isolation.label().to_string(),
            // Vírgula decimal: o Excel em português lê 12,3 como número.
            decimal(o.elapsed.as_secs_f64(), 1),
            csv_text(
                &o.report
                    .as_ref()
                    .map(|r| r.display().to_string())
                    .unwrap_or_default(),
            ),
            // As escolhas do professor que valeram (--strict, --exigir…).
            csv_text(&options_used(&context.batch)),
        ]);
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// As opções repassadas ao corretor de cada aluno, numa linha.
fn options_used(batch: &Batch) -> String {
    batch
        .passed
        .iter()
        .map(|o| o.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Um campo de texto da planilha: entre aspas (com `"` dobradas) quando
/// tem separador, aspas ou quebra de linha. Um texto que começa com `=`,
/// `+`, `-` ou `@` ganha um `'` na frente: a planilha o leria como fórmula,
/// e o nome da pasta quem escolhe é o aluno.
fn csv_text(field: &str) -> String {
    let mut field = field.to_string();
    if field.starts_with(['=', '+', '-', '@']) {
        field.insert(0, '\'');
    }
    if field.contains([';', ',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &[&str]) -> Result<Parsed<Batch>, UsageError> {
        parse(words.iter().map(OsString::from).collect())
    }

    #[test]
    fn parses_the_exact_form_and_passes_single_mode_options_through() {
        let Ok(Parsed::Run(batch)) = parse_words(&[
            "entregas",
            "3a",
            "--strict",
            "--port",
            "6789",
            "--csv",
            "notas.csv",
            "--paralelo=2",
            "--tempo-limite",
            "30",
            "--",
            "python3",
            "servidor.py",
            "--csv",
        ]) else {
            panic!("devia aceitar");
        };
        assert_eq!(batch.folder, PathBuf::from("entregas"));
        assert_eq!(batch.mode, "3a");
        assert_eq!(batch.passed, ["--strict", "--port", "6789"]);
        assert_eq!(batch.csv, PathBuf::from("notas.csv"));
        assert_eq!(batch.parallel, Some(2));
        assert_eq!(batch.time_limit, Duration::from_secs(30));
        assert_eq!(batch.command, ["python3", "servidor.py", "--csv"]);
        assert_eq!(batch.output_limit, DEFAULT_OUTPUT_KIB * 1024);
    }

    #[test]
    fn refuses_missing_pieces() {
        for words in [
            &["entregas", "3a", "--", "python3"][..],
            &["entregas", "--csv", "n.csv", "--", "python3"],
            &["entregas", "4z", "--csv", "n.csv", "--", "python3"],
            &["entregas", "3a", "--csv", "n.csv"],
            &[
                "entregas",
                "3a",
                "--csv",
                "n.csv",
                "--paralelo",
                "0",
                "--",
                "p",
            ],
            &[
                "entregas", "3a", "--csv", "n.csv", "--resumo", "r", "--", "p",
            ],
            &["a", "3a", "b", "--csv", "n.csv", "--", "p"],
        ] {
            assert!(parse_words(words).is_err(), "{words:?}");
        }
        assert!(matches!(parse_words(&["--help"]), Ok(Parsed::Help)));
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_text("ana"), "ana");
        assert_eq!(csv_text("Silva; Ana"), "\"Silva; Ana\"");
        assert_eq!(csv_text("disse \"oi\""), "\"disse \"\"oi\"\"\"");
        assert_eq!(csv_text("=1+1"), "'=1+1");
        assert_eq!(csv_text("linha\nduas"), "\"linha\nduas\"");
    }

    #[test]
    fn summary_gives_the_verdict_and_without_it_the_student_did_not_run() {
        let dir = std::env::temp_dir().join(format!(
            "pratica-sockets-turma-teste-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r");
        std::fs::write(
            &path,
            "modo=3a\nexigidos_ok=5\nexigidos_falhos=1\nexigidos_nao_rodados=0\nboa_pratica_ok=2\nboa_pratica_avisos=1\nveredito=reprovado\nmotivo=404: veio 200\n",
        )
        .unwrap();
        let o = read_summary(&path, None, &Captured::default());
        assert_eq!(o.verdict, "reprovado");
        assert_eq!(o.reason, "404: veio 200");
        assert_eq!(o.counts, Some([5, 1, 0, 2, 1]));
        let stderr = Captured {
            bytes: b"erro: opcao desconhecida\n\n".to_vec(),
            dropped: 0,
        };
        let o = read_summary(&dir.join("nao-existe"), None, &stderr);
        assert_eq!(o.verdict, "nao-rodou");
        assert!(
            o.reason.ends_with(": erro: opcao desconhecida"),
            "{}",
            o.reason
        );
        assert_eq!(o.counts, None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_flood_is_cut_at_the_limit_and_read_to_the_end() {
        // O processo só termina depois de escrever tudo: se a leitura
        // parasse no limite, o pipe encheria e ele travaria.
        let child = Command::new("sh")
            .args(["-c", "head -c 300000 /dev/zero; echo fim >&2"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut run = Watched::new(child, 1024);
        assert!(
            run.wait_or_kill(Instant::now() + Duration::from_secs(60))
                .is_some()
        );
        let (out, err) = run.finish(false);
        assert_eq!(out.bytes.len(), 1024);
        assert_eq!(out.dropped, 300_000 - 1024);
        assert!(
            out.text("relatório")
                .contains("mais 298976 bytes descartados")
        );
        assert_eq!(err.bytes, b"fim\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_run_past_its_deadline_is_killed_and_reaped() {
        let child = Command::new("sleep")
            .arg("600")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut run = Watched::new(child, 1024);
        assert_eq!(run.wait_or_kill(Instant::now()), None);
        assert!(run.status.is_some(), "morto e esperado");
        let (out, _) = run.finish(false);
        assert!(out.bytes.is_empty());
    }
}
