//! Todo comando mostrado no README e nas aulas pode ser colado e roda.
//!
//! Lemos `README.pt-BR.md`, `ARCHITECTURE.md`, `lessons/*.md` e
//! `lessons/aprofundamento/*.md`: as linhas dos blocos de código
//! que começam com `$ ` (bash, zsh) ou `PS> ` (PowerShell), todas as linhas
//! de um bloco ```` ```powershell ```` (sem o prompt, para colar), e os trechos
//! `make …`, `cargo …` e `target/release/…` citados no texto. Para cada
//! comando (um `cmd1 | cmd2 && cmd3` vira três), conferimos:
//!
//! - `make ALVO VAR=valor`: o alvo existe no Makefile e a variável é usada
//!   por ele. Opções do programa não podem ir soltas para o make (`make
//!   ping-server --seed 7` é uma opção do make!): vão em `ARGS="--seed 7"`.
//!   Com o make instalado, `make -n` mostra o comando do cargo que o alvo
//!   roda, e esse comando é conferido também.
//! - `cargo X`: X é um comando do próprio cargo ou um apelido de
//!   `.cargo/config.toml`; o apelido é expandido e conferido.
//! - `target/release/NOME` (ou `.\target\release\NOME.exe`): NOME é um
//!   programa de `src/bin/`.
//! - Em todos os casos, as opções chegam ao programa e ele as aceita. Para
//!   saber isso sem abrir socket nem pedir ajuda ao código de produção,
//!   rodamos o programa com uma opção que nenhum programa conhece
//!   ([`SENTINEL`]) logo depois das opções mostradas: os programas leem os
//!   argumentos da esquerda para a direita e param no primeiro erro, então
//!   "opção desconhecida: --sentinela" com código 2 quer dizer que tudo antes
//!   dela foi aceito, e qualquer outro erro de uso quer dizer que não. (O que
//!   só se confere depois de ler tudo, como "faltam argumentos", fica de fora.)
//! - Um programa do projeto chamado só pelo nome (`ping-server --port 1`)
//!   falha: ele não está no PATH de ninguém.
//!
//! Comandos de outras ferramentas (curl, ss, nc, python3, wrk…) passam sem
//! conferência. Linhas de saída (sem `$ ` / `PS> `) não são comandos.
//!
//! Um comando mostrado para exibir um erro (uma opção recusada, um código de
//! saída 2) leva o comentário `# de propósito` no fim da linha: aí o teste
//! exige o contrário, que a conferência **falhe**.

use crate::support;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use pratica_sockets::cli;

/// A opção que nenhum programa aceita, posta depois das opções conferidas.
const SENTINEL: &str = "--sentinela-da-conferencia";

/// Um comando como aparece no texto: arquivo, linha e o que o aluno cola.
struct Shown {
    place: String,
    text: String,
    shell: Shell,
    /// Marcado com `# de propósito`: tem de ser recusado.
    on_purpose: bool,
}

/// O marcador de "este comando falha de propósito".
const ON_PURPOSE: &str = "de propósito";

/// O comentário do fim de uma linha de shell tem o marcador?
fn marked_on_purpose(text: &str) -> bool {
    text.rsplit_once('#')
        .is_some_and(|(_, comment)| comment.contains(ON_PURPOSE))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shell {
    /// bash e zsh: `\` escapa, aspas simples e duplas.
    Posix,
    /// PowerShell: `\` é só um caractere (caminhos do Windows).
    PowerShell,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Os comandos de um arquivo Markdown.
fn shown_commands(file: &str, markdown: &str) -> Vec<Shown> {
    let mut out = Vec::new();
    let mut in_block = false;
    // Bloco ```powershell: cada linha é um comando, sem prompt.
    let mut powershell_block = false;
    let mut pending: Option<(usize, String, Shell)> = None;
    // O parágrafo de texto corrente (linha onde começa, texto): um trecho
    // entre crases pode atravessar a quebra de linha.
    let mut paragraph: Option<(usize, String)> = None;
    for (n, line) in markdown.lines().enumerate() {
        let number = n + 1;
        let fence = line.trim_start().starts_with("```");
        if (fence || in_block || line.trim().is_empty())
            && let Some((first, text)) = paragraph.take()
        {
            inline_commands(file, first, &text, &mut out);
        }
        if fence {
            in_block = !in_block;
            let lang = line.trim_start().trim_start_matches('`').trim();
            powershell_block = in_block && matches!(lang, "powershell" | "pwsh" | "ps1");
            continue;
        }
        if !in_block {
            if !line.trim().is_empty() {
                let (_, text) = paragraph.get_or_insert((number, String::new()));
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        let trimmed = line.trim_start();
        let (start, text, shell) = match pending.take() {
            Some((start, so_far, shell)) => (start, format!("{so_far} {trimmed}"), shell),
            None => {
                if let Some(rest) = trimmed.strip_prefix("$ ") {
                    (number, rest.to_string(), Shell::Posix)
                } else if let Some(rest) = trimmed.strip_prefix("PS> ") {
                    (number, rest.to_string(), Shell::PowerShell)
                } else if powershell_block && !trimmed.is_empty() && !trimmed.starts_with('#') {
                    (number, trimmed.to_string(), Shell::PowerShell)
                } else {
                    continue;
                }
            }
        };
        // Continuação de linha: `\` no bash, crase no PowerShell.
        let continuation = if shell == Shell::Posix { '\\' } else { '`' };
        if let Some(cut) = text.trim_end().strip_suffix(continuation) {
            pending = Some((start, cut.trim_end().to_string(), shell));
        } else {
            out.push(Shown {
                place: format!("{file}:{start}"),
                on_purpose: marked_on_purpose(&text),
                text,
                shell,
            });
        }
    }
    if let Some((first, text)) = paragraph {
        inline_commands(file, first, &text, &mut out);
    }
    out
}

/// Os `make …`, `cargo …` e `target/release/…` citados num parágrafo.
fn inline_commands(file: &str, first_line: usize, paragraph: &str, out: &mut Vec<Shown>) {
    for (offset, span) in inline_spans(paragraph) {
        let span = span.split_whitespace().collect::<Vec<_>>().join(" ");
        let looks_runnable = span == "make"
            || span.starts_with("make ")
            || span.starts_with("cargo ")
            || is_target_path(span.split(' ').next().unwrap_or(""));
        if !looks_runnable {
            continue;
        }
        let line = first_line + paragraph[..offset].matches('\n').count();
        // `.\target\release\x.exe` citado no texto é do PowerShell.
        let windows = span.starts_with(".\\") || span.starts_with("target\\");
        out.push(Shown {
            place: format!("{file}:{line}"),
            text: span,
            on_purpose: false,
            shell: if windows {
                Shell::PowerShell
            } else {
                Shell::Posix
            },
        });
    }
}

/// Os trechos entre crases simples de um texto, com a posição de cada um.
fn inline_spans(text: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find('`').map(|i| at + i) {
        let after = open + 1;
        if text[after..].starts_with('`') {
            // ``…`` ou ```: não são comandos citados; pula as crases.
            at = after + text[after..].len() - text[after..].trim_start_matches('`').len();
            continue;
        }
        let Some(close) = text[after..].find('`').map(|i| after + i) else {
            break;
        };
        spans.push((open, &text[after..close]));
        at = close + 1;
    }
    spans
}

/// Divide uma linha de shell em comandos (em `|`, `||`, `&&`, `;`, `&`),
/// cada um em palavras, sem redirecionamentos nem comentários.
fn split_commands(text: &str, shell: Shell) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    // `quoted`: a palavra teve aspas, então `>` dentro dela é texto.
    let mut quoted = false;
    let mut skip_next_word = false;
    let finish = |word: &mut String,
                  in_word: &mut bool,
                  quoted: &mut bool,
                  words: &mut Vec<String>,
                  skip: &mut bool| {
        if *in_word {
            let w = std::mem::take(word);
            if *skip {
                *skip = false;
            } else if !*quoted && is_redirection(&w) {
                // `> arquivo`: o nome vem na próxima palavra.
                *skip = w.ends_with('>') || w.ends_with('<');
            } else {
                words.push(w);
            }
            *in_word = false;
            *quoted = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '#' if !in_word => break,
            ' ' | '\t' => finish(
                &mut word,
                &mut in_word,
                &mut quoted,
                &mut words,
                &mut skip_next_word,
            ),
            '|' | ';' | '&' => {
                // `2>&1` é redirecionamento, não separador.
                if c == '&' && word.ends_with('>') {
                    word.push(c);
                    continue;
                }
                finish(
                    &mut word,
                    &mut in_word,
                    &mut quoted,
                    &mut words,
                    &mut skip_next_word,
                );
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            '\'' => {
                in_word = true;
                quoted = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                quoted = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' if shell == Shell::Posix
                            && matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) =>
                        {
                            word.extend(chars.next());
                        }
                        _ => word.push(q),
                    }
                }
            }
            '\\' if shell == Shell::Posix => {
                in_word = true;
                word.extend(chars.next());
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(
        &mut word,
        &mut in_word,
        &mut quoted,
        &mut words,
        &mut skip_next_word,
    );
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// `cargo`, `cargo.exe` ou o caminho até ele.
fn is_cargo(word: &str) -> bool {
    let name = Path::new(word).file_name().and_then(|n| n.to_str());
    matches!(name, Some("cargo" | "cargo.exe"))
}

/// `>`, `>>`, `2>`, `2>&1`, `<`, `>arquivo`…
fn is_redirection(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
    rest.starts_with('>') || rest.starts_with('<')
}

/// `target/release/NOME`, `./target/debug/NOME`, `.\target\release\NOME.exe`.
fn target_binary(word: &str) -> Option<String> {
    let path = word.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let rest = path.strip_prefix("target/")?;
    let (profile, name) = rest.split_once('/')?;
    if profile != "release" && profile != "debug" {
        return None;
    }
    Some(name.strip_suffix(".exe").unwrap_or(name).to_string())
}

/// Um caminho de programa citado no texto; `target/release/` sozinho, ou com
/// reticências no lugar do nome, é só a pasta.
fn is_target_path(word: &str) -> bool {
    target_binary(word).is_some_and(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// O que o repositório oferece: programas, alvos, variáveis e apelidos.
struct Project {
    bins: BTreeSet<String>,
    default_run: Option<String>,
    makefile: String,
    targets: BTreeSet<String>,
    aliases: Vec<(String, Vec<String>)>,
    make_available: bool,
}

impl Project {
    fn load() -> Project {
        let root = root();
        let bins = std::fs::read_dir(root.join("src/bin"))
            .expect("src/bin existe")
            .filter_map(|e| {
                // `src/bin/NOME.rs`, ou `src/bin/NOME/main.rs` (o corretor).
                let path = e.ok()?.path();
                // `src/bin/NOME.rs`, ou `src/bin/NOME/main.rs` (o corretor).
                if path.join("main.rs").is_file() {
                    return path.file_name()?.to_str().map(String::from);
                }
                (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(String::from))?
            })
            .collect();
        let cargo_toml = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
        let default_run = toml_string(&cargo_toml, "default-run");
        let makefile = std::fs::read_to_string(root.join("Makefile")).expect("Makefile");
        let targets = makefile_targets(&makefile);
        let config = std::fs::read_to_string(root.join(".cargo/config.toml")).unwrap_or_default();
        let aliases = cargo_aliases(&config);
        let make_available = Command::new("make")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        Project {
            bins,
            default_run,
            makefile,
            targets,
            aliases,
            make_available,
        }
    }

    fn uses_variable(&self, name: &str) -> bool {
        self.makefile.contains(&format!("$({name})"))
            || self.makefile.lines().any(|line| {
                line.strip_prefix(name)
                    .map(str::trim_start)
                    .is_some_and(|r| {
                        r.starts_with("?=") || r.starts_with(":=") || r.starts_with('=')
                    })
            })
    }
}

/// `chave = "valor"` numa linha de um arquivo TOML simples.
fn toml_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Os alvos do Makefile: `nome:` no começo da linha (não `nome :=`).
fn makefile_targets(makefile: &str) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    for line in makefile.lines() {
        if line.starts_with(['\t', ' ', '#', '.']) {
            continue;
        }
        let Some((names, after)) = line.split_once(':') else {
            continue;
        };
        if names.contains('=') || after.starts_with('=') || names.contains('$') {
            continue;
        }
        targets.extend(names.split_whitespace().map(String::from));
    }
    targets
}

/// A seção `[alias]` de `.cargo/config.toml` (só a forma `nome = "palavras"`).
fn cargo_aliases(config: &str) -> Vec<(String, Vec<String>)> {
    let mut aliases = Vec::new();
    let mut in_alias = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_alias = line == "[alias]";
            continue;
        }
        if !in_alias || line.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = line.split_once('=') {
            let words = value
                .trim()
                .trim_matches('"')
                .split_whitespace()
                .map(String::from)
                .collect();
            aliases.push((name.trim().to_string(), words));
        }
    }
    aliases
}

/// Comandos que o próprio cargo tem (não podem ser apelidos).
const CARGO_BUILTINS: &[&str] = &[
    "add",
    "b",
    "bench",
    "build",
    "c",
    "check",
    "clean",
    "clippy",
    "config",
    "d",
    "doc",
    "fetch",
    "fix",
    "fmt",
    "generate-lockfile",
    "help",
    "info",
    "init",
    "install",
    "locate-project",
    "login",
    "logout",
    "metadata",
    "new",
    "owner",
    "package",
    "pkgid",
    "publish",
    "r",
    "remove",
    "report",
    "run",
    "rustc",
    "rustdoc",
    "search",
    "t",
    "test",
    "tree",
    "uninstall",
    "update",
    "vendor",
    "version",
    "yank",
];

/// Palavras que só "embrulham" o comando de verdade.
const WRAPPERS: &[&str] = &["sudo", "time", "env", "nohup", "exec", "command"];

struct Checker<'a> {
    project: &'a Project,
    skips: BTreeSet<String>,
}

impl Checker<'_> {
    /// Os problemas de uma linha de comando (vazio = pode ser colada).
    fn problems(&mut self, text: &str, shell: Shell) -> Vec<String> {
        let mut problems = Vec::new();
        for words in split_commands(text, shell) {
            self.check_words(&words, &mut problems);
        }
        problems
    }

    fn check_words(&mut self, words: &[String], problems: &mut Vec<String>) {
        let mut rest = words;
        // `VAR=valor cmd`, `sudo cmd`, `$env:TZ = "…"` (PowerShell).
        while let Some((first, tail)) = rest.split_first() {
            let is_assignment = first
                .split_once('=')
                .is_some_and(|(name, _)| !name.is_empty() && !name.starts_with('-'));
            if first.starts_with("$env:") {
                return;
            } else if is_assignment || WRAPPERS.contains(&first.as_str()) {
                rest = tail;
            } else {
                break;
            }
        }
        let Some((program, args)) = rest.split_first() else {
            return;
        };
        let bare = program.strip_suffix(".exe").unwrap_or(program);
        let bare = bare.strip_prefix("./").unwrap_or(bare);
        if program == "make" {
            self.check_make(args, problems);
        } else if is_cargo(program) {
            self.check_cargo(args, problems, 0);
        } else if let Some(name) = target_binary(program) {
            self.check_program(&name, args, problems);
        } else if self.project.bins.contains(bare) {
            problems.push(format!(
                "`{program}` não está no PATH: escreva `cargo {bare} …` (ou `make …`), ou o \
                 caminho de verdade, `target/release/{bare}` (`target\\release\\{bare}.exe` no Windows)"
            ));
        }
    }

    fn check_make(&mut self, args: &[String], problems: &mut Vec<String>) {
        let before = problems.len();
        for arg in args {
            if arg.starts_with('-') {
                if !matches!(arg.as_str(), "-n" | "-s" | "-k" | "--no-print-directory")
                    && !arg.starts_with("-j")
                {
                    problems.push(format!(
                        "`{arg}` iria para o próprio make, não para o programa: \
                         escreva ARGS=\"{arg} …\" (ex.: make ping-server ARGS=\"--seed 7\")"
                    ));
                }
            } else if let Some((name, _)) = arg.split_once('=') {
                if !self.project.uses_variable(name) {
                    problems.push(format!("o Makefile não usa a variável {name}"));
                }
            } else if !self.project.targets.contains(arg.as_str()) {
                problems.push(format!("o Makefile não tem o alvo `{arg}`"));
            }
        }
        if problems.len() > before {
            return;
        }
        if !self.project.make_available {
            self.skips.insert(
                "SKIP: make não encontrado; em `make …` conferi só alvos e variáveis, \
                 não as opções que chegam ao programa"
                    .into(),
            );
            return;
        }
        // O make mostra (sem rodar) o que o alvo executaria.
        let output = Command::new("make")
            .args(["-n", "-s", "--no-print-directory"])
            .args(args)
            .current_dir(root())
            .env_remove("MAKEFLAGS")
            .env_remove("MFLAGS")
            .env_remove("MAKELEVEL")
            .stdin(Stdio::null())
            .output()
            .expect("make roda");
        if !output.status.success() {
            problems.push(format!(
                "make -n recusou: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
            return;
        }
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            for words in split_commands(line, Shell::Posix) {
                // Sob o `cargo test`, CARGO traz o caminho completo do cargo.
                if words.first().is_some_and(|w| is_cargo(w)) {
                    let count = problems.len();
                    self.check_cargo(&words[1..], problems, 0);
                    for p in &mut problems[count..] {
                        *p = format!("o make roda `{line}`: {p}");
                    }
                }
            }
        }
    }

    fn check_cargo(&mut self, args: &[String], problems: &mut Vec<String>, depth: usize) {
        let Some(at) = args.iter().position(|a| !a.starts_with(['-', '+'])) else {
            return; // `cargo`, `cargo --version`
        };
        let (sub, rest) = (args[at].as_str(), &args[at + 1..]);
        if let Some((_, expansion)) = self.project.aliases.iter().find(|(name, _)| name == sub) {
            if depth > 4 {
                problems.push(format!("apelido `{sub}` recursivo"));
                return;
            }
            let expanded: Vec<String> = expansion.iter().chain(rest).cloned().collect();
            self.check_cargo(&expanded, problems, depth + 1);
            return;
        }
        if !CARGO_BUILTINS.contains(&sub) {
            problems.push(format!(
                "`cargo {sub}` não é comando do cargo nem apelido de .cargo/config.toml"
            ));
            return;
        }
        let (options, program_args) = match rest.iter().position(|a| a == "--") {
            Some(dashes) => (&rest[..dashes], &rest[dashes + 1..]),
            None => (rest, &[][..]),
        };
        let option = |name: &str| -> Option<String> {
            let flag = format!("--{name}");
            let inline = format!("--{name}=");
            options.iter().enumerate().find_map(|(i, o)| {
                if *o == flag {
                    options.get(i + 1).cloned()
                } else {
                    o.strip_prefix(&inline).map(String::from)
                }
            })
        };
        match sub {
            "run" | "r" => {
                let bin = option("bin").or_else(|| self.project.default_run.clone());
                match bin {
                    Some(bin) => self.check_program(&bin, program_args, problems),
                    None => problems.push("`cargo run` sem --bin e sem default-run".into()),
                }
            }
            "test" | "t" | "bench" => {
                for (kind, dir) in [("test", "tests"), ("bench", "benches")] {
                    // `tests/NOME.rs` ou `tests/NOME/main.rs` (o binário `it`).
                    if let Some(name) = option(kind)
                        && !root().join(dir).join(format!("{name}.rs")).exists()
                        && !root().join(dir).join(&name).join("main.rs").exists()
                    {
                        problems.push(format!("não existe {dir}/{name}.rs (--{kind} {name})"));
                    }
                }
            }
            _ => {}
        }
    }

    /// O programa existe e aceita `args`: recusa só o [`SENTINEL`] que vem
    /// depois deles (veja o começo deste arquivo).
    fn check_program(&mut self, name: &str, args: &[String], problems: &mut Vec<String>) {
        if !self.project.bins.contains(name) {
            problems.push(format!("não há programa `{name}` em src/bin/"));
            return;
        }
        let exe = program_path(name);
        if !exe.exists() {
            problems.push(format!("o cargo não compilou {}", exe.display()));
            return;
        }
        let mut child = Command::new(exe)
            .args(with_sentinel(args))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("o programa existe");
        let mut stderr = child.stderr.take().expect("stderr foi pedido");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            let _ = tx.send(text);
        });
        // O stderr fecha quando o programa termina: é o nosso evento. Um
        // programa que não para no sentinela está rodando de verdade.
        let Ok(text) = rx.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            let _ = child.wait();
            problems.push(format!(
                "{name} {args:?} não parou na opção {SENTINEL}: ignorou o resto da linha?"
            ));
            return;
        };
        let status = child.wait().expect("wait");
        if let Some(reason) = refusal(status.code(), &text) {
            problems.push(format!("{name} recusa {args:?}: {reason}"));
        }
    }
}

/// `args` com o [`SENTINEL`] depois das opções do programa: antes de um
/// `--` (o que vem depois é o comando do aluno, no corretor), ou no fim.
fn with_sentinel(args: &[String]) -> Vec<String> {
    let at = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let mut out = args[..at].to_vec();
    out.push(SENTINEL.to_string());
    out.extend_from_slice(&args[at..]);
    out
}

/// Por que o programa recusou as opções, ou `None` se só o sentinela foi
/// recusado (ou se ele mostrou a ajuda e saiu com 0, como com `--help`).
fn refusal(code: Option<i32>, stderr: &str) -> Option<String> {
    let first = stderr.lines().next().unwrap_or("").trim();
    let only_the_sentinel = first == format!("erro: opção desconhecida: {SENTINEL}");
    match code {
        Some(0) => None,
        Some(c) if c == i32::from(cli::EXIT_USAGE) && only_the_sentinel => None,
        Some(c) if c == i32::from(cli::EXIT_USAGE) => Some(first.to_string()),
        other => Some(format!("saiu com {other:?}: {first}")),
    }
}

/// Escreve direto no stderr, por fora da captura do `cargo test`, para que o
/// SKIP apareça mesmo quando o teste passa.
fn say_skip(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// Onde o cargo pôs o programa `name` para este teste: ele compila todos os
/// programas do pacote antes dos testes de integração, na pasta acima de
/// `deps/` (a mesma de `CARGO_BIN_EXE_<nome>`, que só existe para nomes fixos).
fn program_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("caminho do teste");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<perfil>/deps/teste");
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn documents() -> Vec<(String, String)> {
    let root = root();
    let mut files = vec![root.join("README.pt-BR.md"), root.join("ARCHITECTURE.md")];
    files.retain(|p| p.exists());
    let mut lessons: Vec<PathBuf> = ["lessons", "lessons/aprofundamento"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(root.join(dir)).ok())
        .flatten()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    // Os aprofundamentos das aulas também mostram comandos.
    if let Ok(deep) = std::fs::read_dir(root.join("lessons/aprofundamento")) {
        lessons.extend(
            deep.filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    lessons.sort();
    files.extend(lessons);
    files
        .iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            let text = std::fs::read_to_string(path).expect("arquivo legível");
            (name, text)
        })
        .collect()
}

#[test]
fn every_command_in_the_readme_and_the_lessons_can_be_pasted_and_runs() {
    let project = Project::load();
    let mut checker = Checker {
        project: &project,
        skips: BTreeSet::new(),
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, text) in documents() {
        for shown in shown_commands(&file, &text) {
            checked += 1;
            let problems = checker.problems(&shown.text, shown.shell);
            if shown.on_purpose && problems.is_empty() {
                failures.push(format!(
                    "{}: `{}`\n    está marcado `# {ON_PURPOSE}`, mas roda sem erro: tire a marca",
                    shown.place, shown.text
                ));
            } else if !shown.on_purpose {
                for problem in problems {
                    failures.push(format!("{}: `{}`\n    {problem}", shown.place, shown.text));
                }
            }
        }
    }
    for skip in &checker.skips {
        say_skip(skip);
    }
    assert!(
        checked >= 10,
        "só {checked} comandos encontrados: o leitor quebrou?"
    );
    assert!(
        failures.is_empty(),
        "\n{} comando(s) do README ou das aulas não rodam como estão escritos:\n\n{}\n\n\
         Cada linha `$ …` / `PS> …` de um bloco de código, cada linha de um bloco ```powershell, e cada `make …` / `cargo …` citado \
         no texto, precisa funcionar colado no terminal. Use `cargo PROGRAMA opções` ou \
         `make ALVO ARGS=\"opções\"` (os programas não estão no PATH), ou o caminho \
         target/release/PROGRAMA. Um comando que mostra um erro de propósito leva o \
         comentário `# {ON_PURPOSE}` no fim da linha. As regras estão no começo de \
         tests/it/commands.rs.\n",
        failures.len(),
        failures.join("\n")
    );
}

// O próprio verificador: cada regra acima precisa conseguir falhar.

fn problems_of(line: &str, shell: Shell) -> Vec<String> {
    let project = Project::load();
    let mut checker = Checker {
        project: &project,
        skips: BTreeSet::new(),
    };
    // Os SKIPs daqui já aparecem no teste principal.
    checker.problems(line, shell)
}

#[test]
fn checker_accepts_options_through_args_cargo_and_the_binary_path() {
    for line in [
        "make ping-server ARGS=\"--seed 7\"",
        "make ping LOSS=0.5 COUNT=20",
        "make get FILE=index.html   # com make serve em outro terminal",
        "make",
        "cargo ping-server --seed 7",
        "cargo get index.html",
        "cargo run --release --bin http-client -- localhost 6789 index.html",
        "cargo test",
        "target/release/ping-server --seed 7 2> log.txt",
        "CARGO_TARGET_DIR=/tmp/x make ping",
        "curl -si http://127.0.0.1:6789/ | head -1",
    ] {
        assert_eq!(
            problems_of(line, Shell::Posix),
            Vec::<String>::new(),
            "{line}"
        );
    }
    let windows = ".\\target\\release\\ping-server.exe --seed 7";
    assert_eq!(
        problems_of(windows, Shell::PowerShell),
        Vec::<String>::new()
    );
    assert_eq!(
        problems_of("$env:TZ = \"<-03>3\"; cargo ping", Shell::PowerShell),
        Vec::<String>::new()
    );
}

#[test]
fn checker_rejects_what_a_student_could_not_paste() {
    for line in [
        "make ping-server --seed 7",
        "make nada",
        "make ping NADA=1",
        "cargo pingg",
        "cargo ping-server --sed 7",
        "cargo ping-client --loss 0.3",
        "cargo ping --count 0",
        "cargo serve --port 70000",
        "cargo grade 3z -- python3 x.py",
        "cargo run --release --bin nada",
        "target/release/nada",
        "ping-server --port 12000",
        "curl -s http://127.0.0.1:6789/ && http-client localhost 6789 index.html",
    ] {
        assert!(
            !problems_of(line, Shell::Posix).is_empty(),
            "aceitou: {line}"
        );
    }
}

#[test]
fn checker_follows_make_into_the_program_flags() {
    let problems = problems_of("make ping-server ARGS=\"--sed 7\"", Shell::Posix);
    if Project::load().make_available {
        assert!(!problems.is_empty(), "make -n não foi seguido");
    } else {
        say_skip("SKIP: make não encontrado; ARGS passado pelo make não foi conferido");
    }
}

#[test]
fn reads_commands_from_blocks_and_inline_spans_but_not_outputs() {
    let markdown = "texto com `make ping` e `ss -uln`\n\
                    ```console\n\
                    $ cargo serve --port 8080 \\\n  --root www\n\
                    saída: ping-server --nada\n\
                    PS> cargo ping\n\
                    ```\n";
    let shown: Vec<String> = shown_commands("x.md", markdown)
        .into_iter()
        .map(|s| format!("{} {}", s.place, s.text))
        .collect();
    assert!(
        shown_commands("x.md", markdown)
            .iter()
            .all(|s| !s.on_purpose)
    );
    let marked = "```console\n$ cargo ping --count 0; echo $?   # erro de propósito\n```\n";
    assert!(shown_commands("x.md", marked)[0].on_purpose);
    assert_eq!(
        shown,
        [
            "x.md:1 make ping",
            "x.md:3 cargo serve --port 8080 --root www",
            "x.md:6 cargo ping"
        ]
    );
}

#[test]
fn every_line_of_a_powershell_block_is_a_command() {
    let markdown = "```powershell\n# comentário\ncargo grade 3a -- python a.py '{port}'\n\n\
                    cargo ping `\n  --count 3\n```\n```text\ncargo ping --nada\n```\n";
    let shown: Vec<String> = shown_commands("x.md", markdown)
        .into_iter()
        .map(|s| format!("{} {:?} {}", s.place, s.shell, s.text))
        .collect();
    assert_eq!(
        shown,
        [
            "x.md:3 PowerShell cargo grade 3a -- python a.py '{port}'",
            "x.md:5 PowerShell cargo ping --count 3"
        ]
    );
}

#[test]
fn a_quoted_command_may_cross_a_line_break() {
    let markdown =
        "primeira linha\nrode `cargo ping\n--count 3` e depois `make\nping`\n\noutro `cargo test`";
    let shown: Vec<String> = shown_commands("x.md", markdown)
        .into_iter()
        .map(|s| format!("{} {}", s.place, s.text))
        .collect();
    assert_eq!(
        shown,
        [
            "x.md:2 cargo ping --count 3",
            "x.md:3 make ping",
            "x.md:6 cargo test"
        ]
    );
}

#[test]
fn a_windows_path_quoted_in_the_text_is_read_as_powershell() {
    let shown = shown_commands("x.md", "rode `.\\target\\release\\ping-server.exe --sed 7`");
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].shell, Shell::PowerShell);
    assert!(!problems_of(&shown[0].text, shown[0].shell).is_empty());
}

#[test]
fn splits_pipelines_and_drops_redirections() {
    assert_eq!(
        split_commands(
            "a -x 'b c' 2>&1 | d > out.txt && e \"f\\\"g\" # comentário",
            Shell::Posix
        ),
        [
            vec!["a".to_string(), "-x".into(), "b c".into()],
            vec!["d".into()],
            vec!["e".into(), "f\"g".into()],
        ]
    );
    assert!(Path::new(&root()).join("Makefile").exists());
}

#[test]
fn the_sentinel_goes_before_the_students_command_and_only_it_may_be_refused() {
    let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(
        with_sentinel(&words(&["3b", "--", "python3", "x.py"])),
        words(&["3b", SENTINEL, "--", "python3", "x.py"])
    );
    assert_eq!(
        with_sentinel(&words(&["--seed", "7"])),
        words(&["--seed", "7", SENTINEL])
    );
    let usage = i32::from(cli::EXIT_USAGE);
    let sentinel = format!("erro: opção desconhecida: {SENTINEL}\n\nuso: x");
    assert_eq!(refusal(Some(usage), &sentinel), None);
    assert_eq!(refusal(Some(0), "uso: x"), None);
    assert!(refusal(Some(usage), "erro: opção desconhecida: --sed\n").is_some());
    assert!(refusal(Some(usage), "erro: valor inválido para --port: `x`").is_some());
    assert!(refusal(Some(1), "ping-server: não foi possível associar").is_some());
}

#[test]
fn help_texts_and_shortcuts_show_the_default_ports_of_the_library() {
    let help = |name: &str| {
        let out = Command::new(program_path(name))
            .arg("--help")
            .output()
            .expect("o programa roda");
        assert!(out.status.success(), "{name} --help");
        String::from_utf8(out.stdout).expect("ajuda em UTF-8")
    };
    for (name, port) in [
        ("ping-server", cli::PING_PORT),
        ("ping-client", cli::PING_PORT),
        ("heartbeat-server", cli::HEARTBEAT_PORT),
        ("heartbeat-client", cli::HEARTBEAT_PORT),
        ("web-server", cli::WEB_PORT),
    ] {
        let text = help(name);
        assert!(
            text.contains(&format!("(padrão: {port})")),
            "{name}:\n{text}"
        );
    }
    let pratica = help("pratica");
    let both = format!(
        "{} no ping, {} no heartbeat",
        cli::PING_PORT,
        cli::HEARTBEAT_PORT
    );
    assert!(pratica.contains(&both), "{pratica}");
    // `cargo get` e `make get` passam a porta como argumento (o enunciado quer `client host porta arquivo`).
    let config = std::fs::read_to_string(root().join(".cargo/config.toml")).unwrap();
    assert!(config.contains(&format!("http-client -- localhost {}\"", cli::WEB_PORT)));
    let makefile = std::fs::read_to_string(root().join("Makefile")).unwrap();
    assert!(makefile.contains(&format!("$(or $(PORT),{})", cli::WEB_PORT)));
}

#[test]
fn finds_the_programs_where_cargo_put_them() {
    assert_eq!(program_path("ping-server"), support::bin("ping-server"));
}
