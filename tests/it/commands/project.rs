//! O que o projeto oferece a um comando: alvos do Makefile, apelidos do cargo e comandos do próprio cargo.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};

use super::root;

/// O que o repositório oferece: programas, alvos, variáveis e apelidos.
pub(super) struct Project {
    pub(super) bins: BTreeSet<String>,
    pub(super) default_run: Option<String>,
    makefile: String,
    pub(super) targets: BTreeSet<String>,
    pub(super) aliases: Vec<(String, Vec<String>)>,
    pub(super) make_available: bool,
}

impl Project {
    pub(super) fn load() -> Project {
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

    pub(super) fn uses_variable(&self, name: &str) -> bool {
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
pub(super) const CARGO_BUILTINS: &[&str] = &[
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
