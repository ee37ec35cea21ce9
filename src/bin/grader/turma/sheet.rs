//! A planilha (CSV com `;`, BOM e CRLF, o arquivo `.parcial`) e a tabela do fim.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::report::decimal;

use super::{Batch, Context, Outcome, Student};

/// O arquivo das linhas prontas, ao lado da planilha: `.notas.csv.parcial`
/// (o ponto o esconde da lista de alunos, se a planilha ficar na PASTA).
pub(super) fn partial_path(csv: &Path) -> PathBuf {
    let name = csv
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "turma.csv".into());
    csv.with_file_name(format!(".{name}.parcial"))
}

/// A tabela do fim, alinhada pela contagem de caracteres.
pub(super) fn table(context: &Context, outcomes: &[Outcome]) -> String {
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
pub(super) fn csv(context: &Context, outcomes: &[Outcome]) -> String {
    let mut out = csv_header();
    for (student, o) in context.students.iter().zip(outcomes) {
        out.push_str(&csv_row(context, student, o));
    }
    out
}

/// O BOM e a linha dos nomes das colunas.
pub(super) fn csv_header() -> String {
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
pub(super) fn csv_row(context: &Context, student: &Student, o: &Outcome) -> String {
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
pub(super) fn csv_text(field: &str) -> String {
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
