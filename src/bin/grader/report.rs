//! O relatório do corretor: uma linha por conferência, separando o que o
//! enunciado exige do que é só boa prática, e o código de saída que resume.
//!
//! Invariante: só monta texto; não faz E/S nem olha o relógio.

use std::fmt::Write as _;

use crate::checks::{self, Spec};

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

/// O resultado de uma conferência, que cada uma devolve: o id (da lista em
/// [`crate::checks`]), o veredito e o que se observou (com o conserto, se falhou).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub spec: &'static Spec,
    pub verdict: Verdict,
    pub detail: String,
}

impl Check {
    fn new(id: &str, verdict: Verdict, detail: impl Into<String>) -> Check {
        Check {
            spec: checks::spec(id),
            verdict,
            detail: detail.into(),
        }
    }
    pub fn pass(id: &str, detail: impl Into<String>) -> Check {
        Check::new(id, Verdict::Pass, detail)
    }
    pub fn fail(id: &str, detail: impl Into<String>) -> Check {
        Check::new(id, Verdict::Fail, detail)
    }
    pub fn warn(id: &str, detail: impl Into<String>) -> Check {
        Check::new(id, Verdict::Warn, detail)
    }
    pub fn skipped(id: &str, detail: impl Into<String>) -> Check {
        Check::new(id, Verdict::Skipped, detail)
    }
}

/// As escolhas do professor: `--strict`, `--exigir ID`, `--tolerar ID`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub strict: bool,
    pub require: Vec<String>,
    pub tolerate: Vec<String>,
}

impl Policy {
    /// O tipo que vale para o veredito: o da lista, mudado pelo professor.
    pub fn kind(&self, spec: &Spec) -> Kind {
        if self.tolerate.iter().any(|t| t == spec.id) {
            Kind::Practice
        } else if self.strict || self.require.iter().any(|r| r == spec.id) {
            Kind::Required
        } else {
            spec.kind
        }
    }
}

/// O relatório inteiro de uma execução.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub checks: Vec<Check>,
    /// Observações que não são conferências (o programa foi reiniciado…).
    pub notes: Vec<String>,
}

impl Report {
    /// Acrescenta o resultado de uma conferência.
    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Acrescenta vários resultados.
    pub fn extend(&mut self, checks: impl IntoIterator<Item = Check>) {
        self.checks.extend(checks);
    }

    /// A conferência conta para o veredito e não foi cumprida? Um aviso
    /// numa conferência exigida pelo professor conta como falha.
    fn counts_as_failure(c: &Check, policy: &Policy) -> bool {
        policy.kind(c.spec) == Kind::Required
            && (c.verdict == Verdict::Fail
                || (c.verdict == Verdict::Warn && c.spec.kind == Kind::Practice))
    }

    /// Alguma conferência que conta falhou?
    pub fn failed(&self, policy: &Policy) -> bool {
        self.checks
            .iter()
            .any(|c| Self::counts_as_failure(c, policy))
    }

    /// Quantas conferências do tipo `kind` (o que vale, com as escolhas
    /// do professor) terminaram em `verdict`.
    pub fn count(&self, policy: &Policy, kind: Kind, verdict: Verdict) -> usize {
        self.checks
            .iter()
            .filter(|c| policy.kind(c.spec) == kind && c.verdict == verdict)
            .count()
    }

    /// O código de saída: [`EXIT_PASSED`], [`EXIT_FAILED`] ou, se nenhuma
    /// exigência chegou a ser conferida, [`EXIT_NOT_RUN`]. Uma exigência que
    /// não rodou nunca dá "aprovado": não se aprova o que não se viu.
    pub fn exit_code(&self, policy: &Policy) -> u8 {
        let not_run = self.count(policy, Kind::Required, Verdict::Skipped);
        let ran = self
            .checks
            .iter()
            .filter(|c| policy.kind(c.spec) == Kind::Required && c.verdict != Verdict::Skipped)
            .count();
        if self.failed(policy) {
            EXIT_FAILED
        } else if ran == 0 && not_run > 0 {
            EXIT_NOT_RUN
        } else if not_run > 0 {
            EXIT_FAILED
        } else {
            EXIT_PASSED
        }
    }

    /// O resumo de máquina (`--resumo`): linhas `chave=valor` que o
    /// `grader turma` lê de cada aluno, com o mesmo veredito do código de saída.
    pub fn summary(&self, mode: &str, policy: &Policy) -> String {
        let verdict = match self.exit_code(policy) {
            EXIT_PASSED => "aprovado",
            EXIT_FAILED => "reprovado",
            _ => "nao-rodou",
        };
        let reason = self
            .checks
            .iter()
            .find(|c| Self::counts_as_failure(c, policy))
            .or_else(|| {
                self.checks.iter().find(|c| {
                    policy.kind(c.spec) == Kind::Required && c.verdict == Verdict::Skipped
                })
            })
            .map(|c| {
                let reason = format!("{} ({}): {}", c.spec.name, c.spec.id, c.detail);
                // O erro que derrubou o programa vem primeiro: na planilha,
                // é o que o professor precisa ver, e a conferência que
                // falhou depois dele é consequência.
                match self.crash() {
                    Some(error) => format!("o programa caiu com «{error}»; {reason}"),
                    None => reason,
                }
            })
            .unwrap_or_default();
        let failed = self
            .checks
            .iter()
            .filter(|c| Self::counts_as_failure(c, policy))
            .count();
        let practice = |v: Verdict| self.count(policy, Kind::Practice, v);
        summary_lines(
            mode,
            [
                self.count(policy, Kind::Required, Verdict::Pass)
                    + self.count(policy, Kind::Required, Verdict::Warn)
                        * usize::from(!policy.strict),
                failed,
                self.count(policy, Kind::Required, Verdict::Skipped),
                practice(Verdict::Pass),
                practice(Verdict::Fail) + practice(Verdict::Warn),
            ],
            verdict,
            &reason,
        )
    }

    /// O erro que derrubou o programa do aluno pela primeira vez (a última
    /// linha que importa do stderr, `TypeError: ...`), tirado das
    /// observações de reinício e das conferências que citam a saída dele.
    fn crash(&self) -> Option<String> {
        let texts = self
            .notes
            .iter()
            .chain(self.checks.iter().map(|c| &c.detail));
        texts
            .filter(|t| t.contains("terminou com código") || t.contains("terminou por um sinal"))
            .find_map(|t| crash_line(t))
    }

    /// O texto do relatório: exigências do enunciado, as que o professor
    /// acrescentou, boa prática, as observações e o resultado.
    pub fn render(&self, policy: &Policy) -> String {
        let mut out = String::new();
        // Cada seção: o título, o tipo da lista e o tipo que vale.
        let sections = [
            (
                "O que o enunciado pede:",
                Some(Kind::Required),
                Kind::Required,
            ),
            (
                "Exigido pelo professor (--exigir/--strict), além do enunciado:",
                Some(Kind::Practice),
                Kind::Required,
            ),
            (
                "Boa prática (o enunciado não pede; não reprova sem --strict):",
                None,
                Kind::Practice,
            ),
        ];
        for (title, listed, effective) in sections {
            let belongs = |c: &Check| {
                policy.kind(c.spec) == effective && listed.is_none_or(|k| c.spec.kind == k)
            };
            let checks: Vec<&Check> = self.checks.iter().filter(|c| belongs(c)).collect();
            if checks.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{title}");
            for c in checks {
                let _ = writeln!(
                    out,
                    "  [{}] {} · {}: {}",
                    c.verdict.label(),
                    c.spec.id,
                    c.spec.name,
                    c.detail
                );
                if c.spec.kind == Kind::Required {
                    let tolerated = if policy.kind(c.spec) == Kind::Practice {
                        " (tolerada com --tolerar)"
                    } else {
                        ""
                    };
                    let _ = writeln!(out, "           enunciado {}{tolerated}", c.spec.source);
                }
            }
            out.push('\n');
        }
        for note in &self.notes {
            let _ = writeln!(out, "Obs.: {note}");
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        let count = |kind: Kind, verdict: Verdict| self.count(policy, kind, verdict);
        let required_fail = self
            .checks
            .iter()
            .filter(|c| Self::counts_as_failure(c, policy))
            .count();
        let not_run = count(Kind::Required, Verdict::Skipped);
        let practice_open =
            count(Kind::Practice, Verdict::Fail) + count(Kind::Practice, Verdict::Warn);
        let _ = write!(
            out,
            "Resultado: exigido {} passou, {} falhou, {} não conferido; boa prática {} passou, {}",
            count(Kind::Required, Verdict::Pass) + count(Kind::Required, Verdict::Warn),
            required_fail,
            not_run,
            count(Kind::Practice, Verdict::Pass),
            plural(practice_open, "a melhorar", "a melhorar"),
        );
        let verdict = match self.exit_code(policy) {
            EXIT_NOT_RUN => " → nada pôde ser conferido.".to_string(),
            EXIT_FAILED if required_fail == 0 => {
                " → reprovado: uma exigência não pôde ser conferida (veja acima por quê)."
                    .to_string()
            }
            EXIT_FAILED => " → reprovado.".to_string(),
            _ if practice_open == 0 => " → aprovado.".to_string(),
            _ => " → aprovado (boa prática não reprova sem --strict).".to_string(),
        };
        let _ = writeln!(out, "{verdict}");
        out
    }
}

/// De um texto com `(stderr: a | b | c)`: a linha de exceção (`Nome: ...`,
/// com `Nome` terminado em `Error`, `Exception`, `Exit` ou `Interrupt`),
/// ou, sem ela, a última linha.
fn crash_line(text: &str) -> Option<String> {
    let start = text.find("(stderr: ")? + "(stderr: ".len();
    let rest = &text[start..];
    // O `)` que fecha o stderr é o último antes de « e foi», «)» ou o fim.
    let end = rest
        .find(")) ")
        .or_else(|| rest.rfind(')'))
        .unwrap_or(rest.len());
    let lines: Vec<&str> = rest[..end].split(" | ").map(str::trim).collect();
    let is_exception = |l: &&&str| {
        let head = l.split(':').next().unwrap_or("");
        !head.is_empty()
            && !head.contains(' ')
            && l.contains(':')
            && ["Error", "Exception", "Exit", "Interrupt"]
                .iter()
                .any(|e| head.ends_with(e))
    };
    lines
        .iter()
        .rev()
        .find(is_exception)
        .or(lines.last())
        .filter(|l| !l.is_empty())
        .map(|l| l.to_string())
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

/// "1 linha", "0 linhas", "2 linhas": em português, só o 1 é singular.
/// `one` e `many` são as duas formas da palavra (`"linha"`, `"linhas"`).
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
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
    fn plurals_are_singular_only_for_one() {
        assert_eq!(plural(0, "linha", "linhas"), "0 linhas");
        assert_eq!(plural(1, "linha", "linhas"), "1 linha");
        assert_eq!(plural(2, "aviso", "avisos"), "2 avisos");
    }

    #[test]
    fn practice_failures_count_only_when_strict_or_required() {
        let mut r = Report::default();
        r.push(Check::pass("web.status", "ok"));
        r.push(Check::fail("web.fora-da-pasta", "vazou"));
        let default = Policy::default();
        assert_eq!(r.exit_code(&default), EXIT_PASSED);
        let strict = Policy {
            strict: true,
            ..Policy::default()
        };
        assert_eq!(r.exit_code(&strict), EXIT_FAILED);
        let require = Policy {
            require: vec!["web.fora-da-pasta".into()],
            ..Policy::default()
        };
        assert_eq!(r.exit_code(&require), EXIT_FAILED);
        let text = r.render(&default);
        assert!(
            text.contains("  [passou] web.status · linha de status"),
            "{text}"
        );
        assert!(text.contains("  [falhou] web.fora-da-pasta · "), "{text}");
        assert!(text.contains("aprovado (boa prática"), "{text}");
        assert!(r.render(&strict).contains("reprovado"));
    }

    #[test]
    fn a_tolerated_failure_passes_and_a_skipped_requirement_never_passes() {
        let mut r = Report::default();
        r.push(Check::pass("web.status", "200"));
        r.push(Check::fail("web.404", "veio 200"));
        assert_eq!(r.exit_code(&Policy::default()), EXIT_FAILED);
        let tolerate = Policy {
            tolerate: vec!["web.404".into()],
            ..Policy::default()
        };
        assert_eq!(r.exit_code(&tolerate), EXIT_PASSED);
        r.push(Check::skipped("web.continua", "o servidor caiu"));
        assert_eq!(r.exit_code(&tolerate), EXIT_FAILED);
        let mut none = Report::default();
        none.push(Check::skipped("web.status", "nada"));
        assert_eq!(none.exit_code(&Policy::default()), EXIT_NOT_RUN);
        assert!(
            none.summary("3a", &Policy::default())
                .contains("veredito=nao-rodou")
        );
        assert_eq!(decimal(36.3636, 1), "36,4");
    }

    #[test]
    fn the_crash_line_is_the_exception_in_the_stderr_tail() {
        let note = "o programa parou durante «x» (terminou com código 1 (stderr:   File \"s.py\", line 4 |     c.send('x') | TypeError: a bytes-like object is required, not 'str')) e foi reiniciado";
        assert_eq!(
            crash_line(note).as_deref(),
            Some("TypeError: a bytes-like object is required, not 'str'")
        );
        assert_eq!(crash_line("sem stderr"), None);
    }
}
