//! Os trabalhadores do lote: correção em paralelo, linha de andamento e relatório de cada aluno.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crate::report::decimal;

use super::capture::{Captured, Watched, read_summary};
use super::isolation::{student_command, wait_time_wait, worth_waiting};
use super::sheet::csv_row;
use super::{Context, Event, Outcome, seconds, single_args_shown};

/// Corrige todos, `parallel` de cada vez, mostrando o andamento.
pub(super) fn run_all(
    context: &Arc<Context>,
    parallel: usize,
    rows: &mut impl Write,
) -> Vec<Outcome> {
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
                    let outcome = grade_student(&context, i, &tx);
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
            Event::Waiting(i, port) => progress.waiting(order[i], &context.students[i].name, port),
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

    fn waiting(&mut self, k: usize, name: &str, port: u16) {
        let text = format!(
            "aluno {k} de {}: {name}: a porta {port} tem conexões em TIME_WAIT de uma execução anterior; esperando (até 1 min) para rodar de novo",
            self.total
        );
        if self.live {
            // Longa demais para a linha viva: uma linha própria, e a viva volta.
            self.clear();
        }
        self.line(&text);
    }

    fn finished(&mut self, k: usize, name: &str, outcome: &Outcome) {
        self.done += 1;
        let text = format!(
            "aluno {k} de {}: {name}: {} em {} s{}",
            self.total,
            outcome.verdict,
            decimal(outcome.elapsed.as_secs_f64(), 1),
            waited_text(outcome)
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
fn grade_student(context: &Context, i: usize, events: &mpsc::Sender<Event>) -> Outcome {
    let student = &context.students[i];
    let batch = &context.batch;
    let (mut outcome, mut stdout, mut stderr) = run_once(context, i);
    let mut repeated = None;
    if let Some(port) = time_wait_port(context, &outcome) {
        let _ = events.send(Event::Waiting(i, port));
        let first = outcome.elapsed;
        let waited = wait_time_wait(port);
        (outcome, stdout, stderr) = run_once(context, i);
        outcome.elapsed += first;
        outcome.waited = Some(waited);
        repeated = Some(explain_repetition(&mut outcome, port, waited));
    }

    let mut text = String::new();
    let _ = writeln!(text, "Aluno: {}", student.name);
    let _ = writeln!(text, "Pasta: {}", student.dir.display());
    let _ = writeln!(text, "Modo: {}", batch.mode);
    let _ = writeln!(text, "Isolamento: {}", context.isolation.label());
    let _ = writeln!(
        text,
        "Duração: {} s{}",
        decimal(outcome.elapsed.as_secs_f64(), 1),
        waited_text(&outcome)
    );
    let _ = writeln!(text, "Veredito: {}", outcome.verdict);
    if let Some(note) = &repeated {
        let _ = writeln!(text, "Repetição: {note}");
    }
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
        Err(err) => add_reason(
            &mut outcome.reason,
            &format!("relatório não gravado: {err}"),
        ),
    }
    outcome
}

/// Sem isolamento, o `bind` pode falhar pelo TIME_WAIT que uma execução
/// anterior (o aluno anterior) deixou na porta: não é culpa deste aluno.
/// Devolve a porta, se vale esperar o TIME_WAIT e rodá-lo de novo.
fn time_wait_port(context: &Context, outcome: &Outcome) -> Option<u16> {
    let port = context.batch.server_tcp_port()?;
    let failed_bind =
        outcome.verdict == "nao-rodou" && crate::grade::address_in_use(&outcome.reason);
    (failed_bind && !context.isolation.is_namespace() && worth_waiting(port)).then_some(port)
}

/// Depois da 2ª execução: a linha `Repetição:` do relatório, e o motivo
/// da planilha ajustado.
fn explain_repetition(outcome: &mut Outcome, port: u16, waited: Duration) -> String {
    let seconds_waited = decimal(waited.as_secs_f64(), 0);
    if outcome.verdict == "nao-rodou" && crate::grade::address_in_use(&outcome.reason) {
        // De novo, já sem TIME_WAIT: a dica de "espere e rode de novo" do
        // corretor individual não serve mais.
        let hint = crate::grade::bind_hint(&outcome.reason, port);
        outcome.reason = outcome.reason.replace(&hint, "");
        let note = format!(
            "a 2ª execução (depois de {seconds_waited} s esperando o TIME_WAIT) falhou igual: a porta que o programa tenta usar está ocupada por outro programa, ou não é a {port} (porta fixa no código?)"
        );
        add_reason(&mut outcome.reason, &note);
        note
    } else {
        add_reason(
            &mut outcome.reason,
            &format!("repetido: esperou {seconds_waited} s pelo TIME_WAIT da porta {port}"),
        );
        format!(
            "a 1ª execução falhou no bind da porta {port} («Address already in use»): a porta tinha conexões em TIME_WAIT de uma execução anterior; o corretor esperou {seconds_waited} s até elas acabarem e rodou de novo; este relatório é o da 2ª execução"
        )
    }
}

/// Acrescenta `text` ao motivo, separado por `; `.
fn add_reason(reason: &mut String, text: &str) {
    if !reason.is_empty() {
        reason.push_str("; ");
    }
    reason.push_str(text);
}

/// Uma execução do corretor individual de um aluno: o veredito, e o que
/// ele escreveu no stdout e no stderr.
fn run_once(context: &Context, i: usize) -> (Outcome, Captured, Captured) {
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
    let result = match command.spawn() {
        Ok(child) => {
            let mut run = Watched::new(child, batch.output_limit);
            let timed_out = run.wait_or_kill(start + batch.time_limit).is_none();
            let (stdout, stderr) = run.finish(!context.isolation.is_namespace());
            let mut outcome = if timed_out {
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
            if run.group_survived {
                add_reason(
                    &mut outcome.reason,
                    "processos do aluno sobreviveram 5 s ao SIGKILL; o próximo aluno pode achar a porta ocupada",
                );
            }
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
    let _ = std::fs::remove_file(&summary);
    let _ = std::fs::remove_dir_all(&tmp);
    let (mut outcome, stdout, stderr) = result;
    outcome.elapsed = start.elapsed();
    (outcome, stdout, stderr)
}

/// " (mais N s esperando o TIME_WAIT)", se o lote esperou.
fn waited_text(outcome: &Outcome) -> String {
    match outcome.waited {
        Some(waited) => format!(
            " (mais {} s esperando o TIME_WAIT)",
            decimal(waited.as_secs_f64(), 0)
        ),
        None => String::new(),
    }
}
