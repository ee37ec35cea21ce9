//! As aulas citam o código de verdade: todo bloco ```rust em `lessons/`
//! precisa aparecer, linha por linha (ignorando a indentação), em algum
//! arquivo de `src/`. Uma linha `// ...` separa trechos citados em sequência.
//! Vale também para `lessons/aprofundamento/`.

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<(String, Vec<String>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            let lines = text.lines().map(|l| l.trim().to_string()).collect();
            out.push((path.display().to_string(), lines));
        }
    }
}

fn snippets(markdown: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```rust") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.push(current.take().unwrap()),
            (Some(block), l) => block.push(l.trim().to_string()),
            _ => {}
        }
    }
    blocks
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn every_rust_snippet_in_the_lessons_is_copied_from_src() {
    let mut sources = Vec::new();
    rust_files(Path::new("src"), &mut sources);
    let mut checked = 0;
    // Todos os trechos desatualizados de uma vez, não só o primeiro.
    let mut missing = Vec::new();
    // As aulas e o aprofundamento; `lessons/capturas/` guarda saídas e
    // scripts, não aulas.
    let mut paths = Vec::new();
    for dir in ["lessons", "lessons/aprofundamento"] {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                paths.push(path);
            }
        }
    }
    for path in paths {
        let text = fs::read_to_string(&path).unwrap();
        for block in snippets(&text) {
            for chunk in block.split(|l| l == "// ...") {
                let chunk: Vec<String> = chunk.iter().filter(|l| !l.is_empty()).cloned().collect();
                let found = sources.iter().any(|(_, lines)| {
                    let lines: Vec<String> =
                        lines.iter().filter(|l| !l.is_empty()).cloned().collect();
                    contains_run(&lines, &chunk)
                });
                if !found {
                    missing.push(format!(
                        "{}: trecho que não está em src/:\n{}",
                        path.display(),
                        chunk.join("\n")
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n\n"));
    assert!(
        checked >= 3,
        "as aulas deveriam citar código ({checked} trechos)"
    );
}
