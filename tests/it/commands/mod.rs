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
use std::path::{Path, PathBuf};
use std::process::Command;

use pratica_sockets::cli;

mod checker;
mod parse;
mod project;

use checker::{Checker, program_path, refusal, say_skip, with_sentinel};
use parse::{ON_PURPOSE, Shell, shown_commands, split_commands};
use project::Project;

/// A opção que nenhum programa aceita, posta depois das opções conferidas.
const SENTINEL: &str = "--sentinela-da-conferencia";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
         tests/it/commands/mod.rs.\n",
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
