//! Julga a execução: os pings que chegaram, a espera e a saída do cliente.

use std::time::Duration;

use super::output::{Output, PingLine, parse_output};
use super::server::Run;
use super::{Action, LATE, PINGS, Plan, WAIT_RANGE};
use crate::report::{Check, decimal, plural};

fn seconds(x: f64) -> String {
    format!("{} s", decimal(x, 2))
}

/// "5", "5 e 9", "1, 2 e 3": como se escreve uma lista em português.
fn list(pings: &[usize]) -> String {
    let words: Vec<String> = pings.iter().map(usize::to_string).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} e {last}", rest.join(", ")),
    }
}

pub(super) fn judge(plan: &Plan, run: &Run, output: &str, exit: &str) -> Vec<Check> {
    let mut out = Vec::new();
    let count = run.arrivals.len();
    let hung_at = run.hung.then_some(count);
    let silence = run.silence.map(secs).unwrap_or_default();

    // 1. Dez pings.
    out.push(match hung_at {
        Some(at) if at < PINGS => Check::skipped(
            "ping.dez",
            format!(
                "o cliente travou depois do ping {at} (veja a espera abaixo), então não dá para contar"
            ),
        ),
        _ if count == PINGS => Check::pass("ping.dez", format!("chegaram os {count} pings")),
        _ => Check::fail(
            "ping.dez",
            format!(
                "chegaram {}; o enunciado pede 10: for pings in range(1, 11)",
                plural(count, "ping", "pings")
            ),
        ),
    });

    // 1b. Termina sozinho depois do último ping.
    out.push(match hung_at {
        Some(at) if at < PINGS => Check::skipped(
            "ping.termina",
            format!("o cliente travou antes, depois do ping {at}"),
        ),
        Some(_) => Check::fail(
            "ping.termina",
            format!(
                "depois do último ping respondido, o cliente passou {silence} sem terminar e foi encerrado pelo corretor; o programa deve acabar depois do 10º ping"
            ),
        ),
        None if count > PINGS => Check::skipped(
            "ping.termina",
            "o cliente não parou de mandar pings (veja acima)",
        ),
        None => Check::pass("ping.termina", format!("{exit}, sozinho")),
    });

    // 2. A espera antes de declarar a perda.
    let gap = |i: usize| -> Option<f64> {
        Some((*run.arrivals.get(i)? - *run.arrivals.get(i - 1)?).as_secs_f64())
    };
    let mut normal: Vec<f64> = (1..count.min(PINGS))
        .filter(|&i| plan.action(i) == Action::Answer)
        .filter_map(gap)
        .collect();
    normal.sort_by(f64::total_cmp);
    let baseline = normal.get(normal.len() / 2).copied().unwrap_or(0.0);
    // Esperou demais (ou para sempre)? Então a resposta atrasada chega
    // dentro da espera e vale como resposta: isso é culpa do prazo, já
    // apontada aqui, e as conferências da saída não contam de novo.
    let mut long_wait = false;
    if let Some(at) = hung_at.filter(|&at| at < PINGS) {
        let detail = if plan.action(at) == Action::Answer {
            format!(
                "depois do ping {at} (respondido na hora), o cliente passou {silence} sem mandar o seguinte nem terminar"
            )
        } else {
            format!(
                "o ping {at} não foi respondido e o cliente ficou {silence} esperando, sem desistir, até o corretor encerrá-lo; use client_socket.settimeout(1) e trate socket.timeout como perda"
            )
        };
        out.push(Check::fail("ping.espera", detail));
        long_wait = true;
    } else {
        let waits: Vec<(usize, f64)> = [plan.drop, plan.late]
            .into_iter()
            .filter_map(|p| gap(p).map(|g| (p, g - baseline)))
            .collect();
        let shown = waits
            .iter()
            .map(|(p, w)| format!("{} depois do ping {p}", seconds(*w)))
            .collect::<Vec<_>>()
            .join(" e ");
        out.push(if waits.is_empty() {
            Check::skipped("ping.espera", "não chegaram pings depois dos descartados")
        } else if let Some((p, w)) = waits.iter().find(|(_, w)| *w < WAIT_RANGE.0) {
            Check::fail(
                "ping.espera",
                format!(
                    "desistiu do ping {p} depois de só {}; o enunciado pede esperar até 1 s: settimeout(1)",
                    seconds(*w)
                ),
            )
        } else if let Some((p, w)) = waits.iter().find(|(_, w)| *w > WAIT_RANGE.1) {
            long_wait = true;
            Check::fail(
                "ping.espera",
                format!(
                    "esperou {} pelo ping {p}; o enunciado pede 1 s: settimeout(1)",
                    seconds(*w)
                ),
            )
        } else {
            Check::pass(
                "ping.espera",
                format!(
                    "esperou {shown} (medido entre a chegada de um ping descartado e a do seguinte)"
                ),
            )
        });
    }

    // 3 a 5. A saída.
    let lines = match parse_output(output, count) {
        Output::Read(lines) => lines,
        Output::Unreadable(why) => {
            let excerpt: String = output.lines().take(4).collect::<Vec<_>>().join(" | ");
            let detail = format!(
                "não consegui ler a saída: {why} («{}»); escreva uma linha por ping: com o RTT (um número) quando houver resposta, e sem número de RTT quando o ping se perder, como no enunciado",
                pratica_sockets::net::printable(excerpt.as_bytes())
            );
            out.push(Check::fail("ping.rtt", detail.clone()));
            out.push(Check::fail("ping.perdido", detail));
            out.push(Check::skipped(
                "ping.atrasada",
                "depende de ler a saída (veja acima)",
            ));
            return out;
        }
    };
    let line_for = |ping: usize| lines.iter().find(|(i, _)| *i == ping).map(|(_, l)| l);
    let answered: Vec<usize> = (1..=count.min(PINGS))
        .filter(|&p| plan.action(p) == Action::Answer)
        .collect();
    let missing_rtt: Vec<usize> = answered
        .iter()
        .copied()
        .filter(|&p| !matches!(line_for(p), Some(PingLine::Answered { .. })))
        .collect();
    let no_rtt_at_all = !lines
        .iter()
        .any(|(_, l)| matches!(l, PingLine::Answered { .. }));
    out.push(if missing_rtt.is_empty() {
        Check::pass(
            "ping.rtt",
            format!(
                "os pings respondidos ({}) aparecem com RTT",
                list(&answered)
            ),
        )
    } else if no_rtt_at_all {
        Check::fail(
            "ping.rtt",
            format!(
                "nenhuma linha da saída tem um número de RTT, e os pings {} foram respondidos na hora; imprima uma linha por resposta com «RTT: <segundos>» (RTT = time.time() - start)",
                list(&missing_rtt)
            ),
        )
    } else {
        Check::fail(
            "ping.rtt",
            format!(
                "{} na hora ({}), mas a saída não mostra o RTT; imprima uma linha por resposta com «RTT: <segundos>»",
                plural(missing_rtt.len(), "ping foi respondido", "pings foram respondidos"),
                list(&missing_rtt)
            ),
        )
    });

    // O ping seguinte ao atrasado só conta como perda se o cliente não tomou
    // a resposta atrasada por ele (isso é boa prática, conferida abaixo).
    let next = plan.late + 1;
    let took_late = matches!(line_for(next), Some(PingLine::Answered { .. }));
    let mut dropped: Vec<usize> = [plan.drop, plan.late]
        .into_iter()
        .chain((!took_late).then_some(next))
        .filter(|&p| p <= count)
        .collect();
    dropped.sort_unstable();
    let not_lost: Vec<usize> = dropped
        .iter()
        .copied()
        .filter(|&p| !matches!(line_for(p), Some(PingLine::Lost { .. })))
        .collect();
    out.push(if long_wait {
        Check::skipped("ping.perdido", "depende do prazo de 1 s (veja a espera acima)")
    } else if dropped.is_empty() {
        Check::skipped("ping.perdido", "o cliente parou antes dos pings descartados")
    } else if not_lost.is_empty() {
        Check::pass(
            "ping.perdido",
            if dropped.len() == 1 {
                format!(
                    "o ping {} (sem resposta dentro de 1 s) aparece como perdido",
                    list(&dropped)
                )
            } else {
                format!(
                    "os pings {} (sem resposta dentro de 1 s) aparecem como perdidos",
                    list(&dropped)
                )
            },
        )
    } else {
        Check::fail(
            "ping.perdido",
            format!(
                "{} sem resposta dentro de 1 s ({}), mas a saída não diz que se perdeu; no except socket.timeout, imprima que o pacote foi perdido",
                plural(not_lost.len(), "ping ficou", "pings ficaram"),
                list(&not_lost)
            ),
        )
    });

    out.push(match line_for(next) {
        _ if long_wait => Check::skipped(
            "ping.atrasada",
            "depende do prazo de 1 s (veja a espera acima)",
        ),
        _ if next > count => Check::skipped("ping.atrasada", format!("o ping {next} não chegou")),
        Some(PingLine::Lost { .. }) => Check::pass(
            "ping.atrasada",
            format!(
                "a resposta do ping {} chegou {} depois, durante a espera do {next}, e o {next} foi relatado como perdido",
                plan.late,
                seconds(LATE.as_secs_f64())
            ),
        ),
        Some(PingLine::Answered { rtt, .. }) => Check::fail(
            "ping.atrasada",
            format!(
                "o ping {next} aparece como respondido (RTT {}), mas ele foi descartado: o que chegou foi a resposta atrasada do ping {}. O enunciado não pede conferir isso; um ping de verdade confere se a resposta é do ping atual (o número na mensagem) ou usa um socket novo por ping",
                pratica_sockets::net::printable(rtt.to_string().as_bytes()),
                plan.late
            ),
        ),
        None => Check::skipped(
            "ping.atrasada",
            format!("a saída não tem linha para o ping {next}"),
        ),
    });
    out
}

/// "4,0 s": uma duração medida.
fn secs(d: Duration) -> String {
    format!("{} s", decimal(d.as_secs_f64(), 1))
}
