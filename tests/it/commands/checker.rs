//! A conferência de um comando: make, cargo e `target/release`, com a opção sentinela.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use pratica_sockets::cli;

use super::parse::{Shell, is_cargo, split_commands, target_binary};
use super::project::{CARGO_BUILTINS, Project};
use super::{SENTINEL, root};

/// Palavras que só "embrulham" o comando de verdade.
const WRAPPERS: &[&str] = &["sudo", "time", "env", "nohup", "exec", "command"];

pub(super) struct Checker<'a> {
    pub(super) project: &'a Project,
    pub(super) skips: BTreeSet<String>,
}

impl Checker<'_> {
    /// Os problemas de uma linha de comando (vazio = pode ser colada).
    pub(super) fn problems(&mut self, text: &str, shell: Shell) -> Vec<String> {
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
pub(super) fn with_sentinel(args: &[String]) -> Vec<String> {
    let at = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let mut out = args[..at].to_vec();
    out.push(SENTINEL.to_string());
    out.extend_from_slice(&args[at..]);
    out
}

/// Por que o programa recusou as opções, ou `None` se só o sentinela foi
/// recusado (ou se ele mostrou a ajuda e saiu com 0, como com `--help`).
pub(super) fn refusal(code: Option<i32>, stderr: &str) -> Option<String> {
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
pub(super) fn say_skip(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// Onde o cargo pôs o programa `name` para este teste: ele compila todos os
/// programas do pacote antes dos testes de integração, na pasta acima de
/// `deps/` (a mesma de `CARGO_BIN_EXE_<nome>`, que só existe para nomes fixos).
pub(super) fn program_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("caminho do teste");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<perfil>/deps/teste");
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}
