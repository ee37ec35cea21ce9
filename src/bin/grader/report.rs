//! O relatório do corretor: uma linha por conferência, separando o que o
//! enunciado exige do que é só boa prática, e o código de saída que resume.
//!
//! Invariante: só monta texto; não faz E/S nem olha o relógio.

use std::fmt::Write as _;

/// Código de saída: tudo o que o enunciado exige passou.
pub const EXIT_PASSED: u8 = 0;
/// Código de saída: alguma exigência falhou (ou boa prática, com `--strict`).
pub const EXIT_FAILED: u8 = 1;
/// Código de saída: o trabalho nem chegou a rodar (comando não existe,
/// porta ocupada, nunca escutou, terminou antes de começar).
pub const EXIT_NOT_RUN: u8 = 3;

/// De onde vem a conferência.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// O enunciado pede.
    Required,
    /// O enunciado não pede, mas um programa de rede de verdade precisa
    /// (segurança, robustez). Só conta para o código de saída com `--strict`.
    Practice,
}

/// O resultado de uma conferência.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// Funciona, mas algo merece atenção; nunca conta como falha.
    Warn,
    /// Não deu para conferir (outra conferência já explica por quê).
    Skipped,
}

impl Verdict {
    fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "passou",
            Verdict::Fail => "falhou",
            Verdict::Warn => "aviso ",
            Verdict::Skipped => "  --  ",
        }
    }
}

/// Uma linha do relatório.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// A parte do enunciado, com as palavras dele: "Código do Servidor", "3a"…
    pub section: &'static str,
    pub kind: Kind,
    pub verdict: Verdict,
    /// O que foi conferido, em poucas palavras.
    pub name: String,
    /// O que se observou e, se falhou, como consertar.
    pub detail: String,
}

/// O relatório inteiro de uma execução.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub checks: Vec<Check>,
    /// Observações que não são conferências (o programa foi reiniciado…).
    pub notes: Vec<String>,
}

impl Report {
    /// Acrescenta uma conferência.
    pub fn add(
        &mut self,
        section: &'static str,
        kind: Kind,
        verdict: Verdict,
        name: &str,
        detail: impl Into<String>,
    ) {
        self.checks.push(Check {
            section,
            kind,
            verdict,
            name: name.to_string(),
            detail: detail.into(),
        });
    }

    /// Alguma conferência que conta falhou? Com `strict`, as de boa prática contam.
    pub fn failed(&self, strict: bool) -> bool {
        self.checks
            .iter()
            .any(|c| c.verdict == Verdict::Fail && (c.kind == Kind::Required || strict))
    }

    /// O código de saída: [`EXIT_PASSED`], [`EXIT_FAILED`] ou, se nenhuma
    /// exigência chegou a ser conferida, [`EXIT_NOT_RUN`]. Uma exigência que
    /// não rodou nunca dá "aprovado": não se aprova o que não se viu.
    pub fn exit_code(&self, strict: bool) -> u8 {
        let ran = self.count(Kind::Required, Verdict::Pass)
            + self.count(Kind::Required, Verdict::Fail)
            + self.count(Kind::Required, Verdict::Warn);
        let not_run = self.count(Kind::Required, Verdict::Skipped);
        if self.failed(strict) {
            EXIT_FAILED
        } else if ran == 0 && not_run > 0 {
            EXIT_NOT_RUN
        } else if not_run > 0 {
            EXIT_FAILED
        } else {
            EXIT_PASSED
        }
    }

    /// Quantas conferências de `kind` terminaram em `verdict`.
    pub fn count(&self, kind: Kind, verdict: Verdict) -> usize {
        self.checks
            .iter()
            .filter(|c| c.kind == kind && c.verdict == verdict)
            .count()
    }

    /// O resumo de máquina (`--resumo`): linhas `chave=valor` que o
    /// `grader turma` lê de cada aluno. `strict` decide o veredito como no
    /// código de saída.
    pub fn summary(&self, mode: &str, strict: bool) -> String {
        let verdict = match self.exit_code(strict) {
            EXIT_PASSED => "aprovado",
            EXIT_FAILED => "reprovado",
            _ => "nao-rodou",
        };
        let reason = self
            .checks
            .iter()
            .find(|c| c.verdict == Verdict::Fail && (c.kind == Kind::Required || strict))
            .or_else(|| {
                self.checks
                    .iter()
                    .find(|c| c.kind == Kind::Required && c.verdict == Verdict::Skipped)
            })
            .map(|c| format!("{}: {}", c.name, c.detail))
            .unwrap_or_default();
        summary_lines(
            mode,
            [
                self.count(Kind::Required, Verdict::Pass),
                self.count(Kind::Required, Verdict::Fail),
                self.count(Kind::Required, Verdict::Skipped),
                self.count(Kind::Practice, Verdict::Pass),
                self.count(Kind::Practice, Verdict::Fail)
                    + self.count(Kind::Practice, Verdict::Warn),
            ],
            verdict,
            &reason,
        )
    }

    /// O texto do relatório: exigências primeiro, boa prática depois, e o resumo.
    pub fn render(&self, strict: bool) -> String {
        let mut out = String::new();
        for (kind, title) in [
            (Kind::Required, "O que o enunciado pede:"),
            (Kind::Practice, "Boa prática (o enunciado não pede):"),
        ] {
            let checks: Vec<&Check> = self.checks.iter().filter(|c| c.kind == kind).collect();
            if checks.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{title}");
            for c in checks {
                let _ = writeln!(
                    out,
                    "  [{}] {} · {}: {}",
                    c.verdict.label(),
                    c.section,
                    c.name,
                    c.detail
                );
            }
            out.push('\n');
        }
        for note in &self.notes {
            let _ = writeln!(out, "Obs.: {note}");
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        let count = |kind: Kind, verdict: Verdict| {
            self.checks
                .iter()
                .filter(|c| c.kind == kind && c.verdict == verdict)
                .count()
        };
        let required_fail = count(Kind::Required, Verdict::Fail);
        let practice_fail = count(Kind::Practice, Verdict::Fail);
        let _ = write!(
            out,
            "Resultado: enunciado {} passou, {} falhou, {}; boa prática {} passou, {} falhou, {}",
            count(Kind::Required, Verdict::Pass),
            required_fail,
            warnings(count(Kind::Required, Verdict::Warn)),
            count(Kind::Practice, Verdict::Pass),
            practice_fail,
            warnings(count(Kind::Practice, Verdict::Warn)),
        );
        let not_run = self.count(Kind::Required, Verdict::Skipped);
        let verdict = match (self.exit_code(strict), practice_fail) {
            (EXIT_NOT_RUN, _) => " → nada pôde ser conferido.",
            (EXIT_FAILED, _) if required_fail == 0 && not_run > 0 && !strict => {
                " → reprovado (uma exigência não pôde ser conferida)."
            }
            (EXIT_FAILED, _) => " → reprovado.",
            (_, 0) => " → aprovado.",
            _ => " → aprovado (boa prática não conta sem --strict).",
        };
        let _ = writeln!(out, "{verdict}");
        out
    }
}

/// O resumo de uma execução que nem chegou a conferir nada (código 3).
pub fn summary_not_run(mode: &str, reason: &str) -> String {
    summary_lines(mode, [0; 5], "nao-rodou", reason)
}

/// As oito linhas do resumo, na ordem fixa que o `grader turma` espera.
/// `motivo` vira uma linha só (quebras de linha viram espaço).
fn summary_lines(mode: &str, counts: [usize; 5], verdict: &str, reason: &str) -> String {
    let [req_ok, req_fail, req_not_run, prac_ok, prac_warn] = counts;
    let reason: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!(
        "modo={mode}\nexigidos_ok={req_ok}\nexigidos_falhos={req_fail}\nexigidos_nao_rodados={req_not_run}\nboa_pratica_ok={prac_ok}\nboa_pratica_avisos={prac_warn}\nveredito={verdict}\nmotivo={}\n",
        reason.trim()
    )
}

/// "1 aviso", mas "0 avisos" e "2 avisos": em português, só o 1 é singular.
fn warnings(n: usize) -> String {
    if n == 1 {
        "1 aviso".to_string()
    } else {
        format!("{n} avisos")
    }
}

/// Um número com vírgula decimal, como se escreve em português: `36,4`.
pub fn decimal(value: f64, places: usize) -> String {
    format!("{value:.places$}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_plural_except_one() {
        assert_eq!(warnings(0), "0 avisos");
        assert_eq!(warnings(1), "1 aviso");
        assert_eq!(warnings(2), "2 avisos");
    }

    #[test]
    fn practice_failures_count_only_when_strict() {
        let mut r = Report::default();
        r.add("3a", Kind::Required, Verdict::Pass, "200", "ok");
        r.add("3a", Kind::Practice, Verdict::Fail, "..", "vazou");
        r.add("3a", Kind::Required, Verdict::Warn, "corpo", "CRLF a mais");
        assert_eq!(r.exit_code(false), EXIT_PASSED);
        assert_eq!(r.exit_code(true), EXIT_FAILED);
        let text = r.render(false);
        assert!(text.contains("O que o enunciado pede:\n  [passou] 3a · 200: ok"));
        assert!(text.contains("Boa prática (o enunciado não pede):\n  [falhou] 3a · ..: vazou"));
        assert!(text.contains("aprovado (boa prática não conta sem --strict)"));
        assert!(r.render(true).contains("reprovado"));
    }

    #[test]
    fn a_required_failure_fails_the_run() {
        let mut r = Report::default();
        r.add("3c", Kind::Required, Verdict::Fail, "404", "veio 200");
        assert_eq!(r.exit_code(false), EXIT_FAILED);
        assert_eq!(decimal(36.3636, 1), "36,4");
    }
}
