//! Leitura dos comandos no Markdown: blocos, trechos citados, shells e a divisão em comandos.

use std::path::Path;

/// Um comando como aparece no texto: arquivo, linha e o que o aluno cola.
pub(super) struct Shown {
    pub(super) place: String,
    pub(super) text: String,
    pub(super) shell: Shell,
    /// Marcado com `# de propósito`: tem de ser recusado.
    pub(super) on_purpose: bool,
}

/// O marcador de "este comando falha de propósito".
pub(super) const ON_PURPOSE: &str = "de propósito";

/// O comentário do fim de uma linha de shell tem o marcador?
fn marked_on_purpose(text: &str) -> bool {
    text.rsplit_once('#')
        .is_some_and(|(_, comment)| comment.contains(ON_PURPOSE))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shell {
    /// bash e zsh: `\` escapa, aspas simples e duplas.
    Posix,
    /// PowerShell: `\` é só um caractere (caminhos do Windows).
    PowerShell,
}

/// Os comandos de um arquivo Markdown.
pub(super) fn shown_commands(file: &str, markdown: &str) -> Vec<Shown> {
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
pub(super) fn split_commands(text: &str, shell: Shell) -> Vec<Vec<String>> {
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
pub(super) fn is_cargo(word: &str) -> bool {
    let name = Path::new(word).file_name().and_then(|n| n.to_str());
    matches!(name, Some("cargo" | "cargo.exe"))
}

/// `>`, `>>`, `2>`, `2>&1`, `<`, `>arquivo`…
fn is_redirection(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
    rest.starts_with('>') || rest.starts_with('<')
}

/// `target/release/NOME`, `./target/debug/NOME`, `.\target\release\NOME.exe`.
pub(super) fn target_binary(word: &str) -> Option<String> {
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
