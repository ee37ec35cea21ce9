//! Modo `ping-client`: confere o cliente da seção 2 ("Código do Cliente"),
//! com o corretor no papel de servidor, e um servidor que sabe o que fez.
//!
//! O roteiro ([`Plan`], sorteado com `--seed`) responde na hora a quase
//! todos os pings, descarta um (o ping `d`), e responde ao ping `k` só
//! [`LATE`] depois, quando o cliente já desistiu dele e espera o `k + 1`,
//! que também é descartado. Um cliente correto relata `d`, `k` e `k + 1`
//! como perdidos; um que usa um socket só sem conferir o número toma a
//! resposta atrasada do `k` pela do `k + 1`.
//!
//! A espera antes de declarar a perda é medida pelo intervalo entre a
//! chegada de um ping descartado e a do seguinte, descontado o intervalo
//! normal depois de um ping respondido (o cliente pode esperar entre pings).

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::child::{self, Submission, Workspace};
use super::report::{Kind, Report, Verdict, decimal};
use super::{NotRun, Options, Transport};
use pratica_sockets::s2_udp_pinger::xorshift::Xorshift64;

/// Quantos pings o enunciado pede.
pub const PINGS: usize = 10;
/// Quando a resposta do ping `k` sai: depois do prazo de 1 s do cliente,
/// mas antes de o prazo do ping seguinte vencer.
pub const LATE: Duration = Duration::from_millis(1300);
/// Sem ping novo por este tempo, o cliente travou (não tem timeout).
const HANG: Duration = Duration::from_secs(4);
/// Prazo para o primeiro ping chegar (a partida de um Python é lenta).
const STARTUP: Duration = Duration::from_secs(10);
/// A espera aceita como "cerca de 1 s".
const WAIT_RANGE: (f64, f64) = (0.8, 1.5);

const SECTION: &str = "Código do Cliente";

/// O que o servidor com roteiro faz com um ping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Answer,
    Drop,
    Late,
}

/// O roteiro: qual ping é descartado (`drop`) e qual é respondido tarde (`late`;
/// o seguinte a ele também é descartado). Os pings contam a partir de 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub drop: usize,
    pub late: usize,
}

impl Plan {
    /// Sorteia com a semente: `late` entre 3 e 8, `drop` entre 2 e 9, longe
    /// de `late` e do seguinte (todos têm um ping depois, para medir a espera).
    pub fn from_seed(seed: u64) -> Plan {
        let mut rng = Xorshift64::seeded(seed);
        let late = 3 + rng.below(6) as usize;
        let choices: Vec<usize> = (2..=9).filter(|&d| d + 1 < late || d > late + 1).collect();
        let drop = choices[rng.below(choices.len() as u64) as usize];
        Plan { drop, late }
    }

    pub fn action(&self, ping: usize) -> Action {
        if ping == self.late {
            Action::Late
        } else if ping == self.drop || ping == self.late + 1 {
            Action::Drop
        } else {
            Action::Answer
        }
    }
}

/// Uma linha da saída do cliente, já reconhecida.
#[derive(Debug, Clone, PartialEq)]
pub enum PingLine {
    /// Respondido, com o número do ping (se a linha tem) e o RTT como escrito.
    Answered { seq: Option<usize>, rtt: f64 },
    /// Perdido.
    Lost { seq: Option<usize> },
}

impl PingLine {
    fn seq(&self) -> Option<usize> {
        match self {
            PingLine::Answered { seq, .. } | PingLine::Lost { seq } => *seq,
        }
    }
}

/// Linhas de resumo (estatísticas no fim) não são de um ping.
const SUMMARY_WORDS: [&str; 9] = [
    "estatística",
    "estatistica",
    "statistic",
    "transmitid",
    "transmitted",
    "mín/",
    "min/",
    "média",
    "average",
];
/// O que anuncia uma perda, em português e em inglês.
const LOST_WORDS: [&str; 10] = [
    "perdid",
    "perdeu",
    "perda",
    "lost",
    "timed out",
    "timeout",
    "esgot",
    "sem resposta",
    "no reply",
    "não respondeu",
];

/// Uma linha do resumo do fim (estatísticas), que não é de um ping.
fn is_summary(line: &str) -> bool {
    let lower = line.to_lowercase();
    SUMMARY_WORDS.iter().any(|w| lower.contains(w))
}

/// O primeiro número logo depois de `key` (pulando espaço, `:`, `=`, `#`).
fn number_after(line: &str, key: &str) -> Option<(f64, usize)> {
    let mut from = 0;
    while let Some(pos) = line[from..].find(key) {
        let start = from + pos + key.len();
        let rest = &line[start..];
        let trimmed = rest.trim_start_matches([' ', ':', '=', '#', '\t']);
        let skipped = rest.len() - trimmed.len();
        let digits: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == 'e' || *c == '-')
            .collect();
        let digits = digits
            .trim_end_matches(['.', ',', 'e', '-'])
            .replace(',', ".");
        if digits.starts_with(|c: char| c.is_ascii_digit())
            && let Ok(value) = digits.parse::<f64>()
        {
            return Some((value, start + skipped));
        }
        from = start;
    }
    None
}

/// Reconhece uma linha: o formato do enunciado (`Ping: 3 ... RTT: 0.0001`,
/// `Pacote foi perdido...`) e variações razoáveis (`rtt=`, `time=`,
/// `tempo:`, `seq=`, `timeout`, `lost`...). `None` se não é de um ping.
pub fn classify(line: &str) -> Option<PingLine> {
    if is_summary(line) {
        return None;
    }
    let lower = line.to_lowercase();
    let seq = ["icmp_seq", "seq", "ping"]
        .iter()
        .find_map(|key| number_after(&lower, key))
        .filter(|(v, _)| v.fract() == 0.0 && *v >= 0.0 && *v < 1e6)
        .map(|(v, _)| v as usize);
    let rtt = ["rtt", "time", "tempo"]
        .iter()
        .find_map(|key| number_after(&lower, key));
    if let Some((rtt, _)) = rtt {
        return Some(PingLine::Answered { seq, rtt });
    }
    if LOST_WORDS.iter().any(|w| lower.contains(w)) {
        return Some(PingLine::Lost { seq });
    }
    None
}

/// As linhas reconhecidas, cada uma com o número do ping a que se refere:
/// o número escrito na linha, ou o seguinte ao da linha anterior (o
/// enunciado não numera as perdas). Numeração a partir de 0 é aceita.
pub fn parse_output(text: &str) -> Vec<(usize, PingLine)> {
    // Exatamente uma linha (não vazia, fora o resumo) por ping, como no
    // enunciado? Então a posição diz o ping, mesmo para as linhas que não
    // reconhecemos (uma resposta sem RTT continua ocupando o seu lugar).
    let candidates: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !is_summary(l))
        .collect();
    if candidates.len() == PINGS && candidates.iter().any(|l| classify(l).is_some()) {
        return candidates
            .iter()
            .enumerate()
            .filter_map(|(i, l)| classify(l).map(|line| (i + 1, line)))
            .collect();
    }
    let lines: Vec<PingLine> = text.lines().filter_map(classify).collect();
    let offset = usize::from(lines.first().and_then(PingLine::seq) == Some(0));
    let mut previous = 0;
    lines
        .into_iter()
        .map(|line| {
            let index = line
                .seq()
                .map(|s| s + offset)
                .filter(|&s| s > previous && s <= PINGS + 5)
                .unwrap_or(previous + 1);
            previous = index;
            (index, line)
        })
        .collect()
}

/// Um datagrama que chegou ao servidor com roteiro.
struct Arrival {
    at: Instant,
    data: Vec<u8>,
    peer: SocketAddr,
    socket: usize,
}

/// Roda as conferências do cliente de ping.
///
/// # Erros
/// A porta está ocupada, o programa não inicia, ou nenhum ping chega.
pub fn check(options: &Options, report: &mut Report) -> Result<(), NotRun> {
    let port = super::choose_port(options, 12000, Transport::Udp);
    let addrs = super::addresses(options.host(), port)?;
    // O servidor com roteiro tem um socket em cada endereço do nome: o cliente
    // pode mandar para 127.0.0.1 ou para ::1.
    let mut sockets = Vec::new();
    for addr in &addrs {
        match UdpSocket::bind(addr) {
            Ok(s) => sockets.push(s),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                return Err(NotRun(format!(
                    "a porta {port} (UDP) já está em uso em {addr}: feche o outro programa (um servidor de ping rodando?) ou use --port e {{port}} no comando"
                )));
            }
            Err(_) => {}
        }
    }
    if sockets.is_empty() {
        return Err(NotRun(format!(
            "não consegui associar um socket UDP a {}:{port}",
            options.host()
        )));
    }
    let plan = Plan::from_seed(options.seed);
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let mut receivers = Vec::new();
    let mut senders = Vec::new();
    for (index, socket) in sockets.into_iter().enumerate() {
        let sender = socket
            .try_clone()
            .map_err(|e| NotRun(format!("socket: {e}")))?;
        senders.push(sender);
        receivers.push(receive(socket, index, tx.clone(), Arc::clone(&stop)));
    }
    drop(tx);

    let workspace = Workspace::new().map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
    let words = child::expand(&options.command, options.host(), port, "", &options.base);
    let mut client =
        Submission::start(&words, &workspace.served).map_err(|e| super::spawn_error(&words, &e))?;
    let run = serve(&mut client, &plan, &senders, &rx);
    stop.store(true, Ordering::Relaxed);
    for r in receivers {
        let _ = r.join();
    }
    let output = String::from_utf8_lossy(&client.stdout()).into_owned();

    if run.arrivals.is_empty() {
        let why = client.describe_exit();
        let tail = client.stderr_tail();
        return Err(NotRun(format!(
            "nenhum ping chegou em {}:{port} (UDP); o programa {why}{tail}. O cliente manda para esta porta? (mude com --port, ou {{port}} no comando)",
            options.host()
        )));
    }
    judge(&plan, &run, &output, report);
    Ok(())
}

/// Uma thread por socket: cada datagrama vira um [`Arrival`] no canal.
fn receive(
    socket: UdpSocket,
    index: usize,
    tx: mpsc::Sender<Arrival>,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        // O prazo curto só serve para a thread ver `stop` e soltar a porta.
        let _ = socket.set_read_timeout(Some(Duration::from_millis(50)));
        let mut buf = [0u8; 65536];
        while !stop.load(Ordering::Relaxed) {
            if let Ok((n, peer)) = socket.recv_from(&mut buf) {
                let arrival = Arrival {
                    at: Instant::now(),
                    data: buf[..n].to_vec(),
                    peer,
                    socket: index,
                };
                if tx.send(arrival).is_err() {
                    break;
                }
            }
            // Erros (tempo esgotado, ICMP de uma resposta a um socket já
            // fechado, no Windows) não interessam: seguimos.
        }
    })
}

/// O que aconteceu na execução.
struct Run {
    arrivals: Vec<Instant>,
    /// O cliente travou: depois do último ping, mais de [`HANG`] sem nada.
    hung: bool,
}

/// O laço do servidor com roteiro: responde, descarta ou agenda, até o
/// cliente terminar ou travar.
fn serve(
    client: &mut Submission,
    plan: &Plan,
    senders: &[UdpSocket],
    rx: &mpsc::Receiver<Arrival>,
) -> Run {
    let started = Instant::now();
    let mut arrivals = Vec::new();
    let mut late: Vec<(Instant, usize, SocketAddr, Vec<u8>)> = Vec::new();
    let mut hung = false;
    loop {
        let now = Instant::now();
        if client.exited().is_some() {
            break;
        }
        let silence_limit = match arrivals.last() {
            None => started + STARTUP,
            Some(&last) => last + HANG,
        };
        if now >= silence_limit {
            hung = !arrivals.is_empty();
            break;
        }
        // Um cliente que não para de mandar já mostrou o que precisávamos.
        if arrivals.len() > PINGS + 5 {
            break;
        }
        let mut wake = silence_limit.min(now + Duration::from_millis(50));
        if let Some(&(at, ..)) = late.first() {
            wake = wake.min(at);
        }
        if let Ok(arrival) = rx.recv_timeout(wake.saturating_duration_since(now)) {
            arrivals.push(arrival.at);
            let reply = arrival.data.to_ascii_uppercase();
            match plan.action(arrivals.len()) {
                Action::Answer => {
                    let _ = senders[arrival.socket].send_to(&reply, arrival.peer);
                }
                Action::Drop => {}
                Action::Late => late.push((arrival.at + LATE, arrival.socket, arrival.peer, reply)),
            }
        }
        let now = Instant::now();
        while let Some(&(at, socket, peer, _)) = late.first() {
            if at > now {
                break;
            }
            let (.., reply) = late.remove(0);
            let _ = senders[socket].send_to(&reply, peer);
        }
    }
    client.stop();
    // Pings que chegaram enquanto o cliente terminava ainda contam.
    while let Ok(arrival) = rx.try_recv() {
        arrivals.push(arrival.at);
    }
    Run { arrivals, hung }
}

fn seconds(x: f64) -> String {
    format!("{} s", decimal(x, 2))
}

fn list(pings: &[usize]) -> String {
    pings
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn judge(plan: &Plan, run: &Run, output: &str, report: &mut Report) {
    let count = run.arrivals.len();
    let hung_at = run.hung.then_some(count);

    // 1. Dez pings.
    let (verdict, detail) = match hung_at {
        Some(at) if at < PINGS => (
            Verdict::Skipped,
            format!(
                "o cliente travou depois do ping {at} (veja a espera abaixo), então não dá para contar"
            ),
        ),
        _ if count == PINGS => (Verdict::Pass, format!("chegaram {count} pings")),
        _ => (
            Verdict::Fail,
            format!("chegaram {count} pings; o enunciado pede 10: for pings in range(1, 11)"),
        ),
    };
    report.add(SECTION, Kind::Required, verdict, "envia 10 pings", detail);

    // 1b. Termina sozinho depois do último ping.
    let name = "termina sozinho depois do último ping";
    let (verdict, detail) = match hung_at {
        Some(at) if at < PINGS => (
            Verdict::Skipped,
            format!("o cliente travou antes, depois do ping {at}"),
        ),
        Some(_) => (
            Verdict::Fail,
            format!(
                "depois do último ping respondido, o cliente passou {} s sem terminar e foi encerrado pelo corretor; o programa deve acabar depois do 10º ping",
                HANG.as_secs()
            ),
        ),
        None if count > PINGS => (
            Verdict::Skipped,
            "o cliente não parou de mandar pings (veja acima)".to_string(),
        ),
        None => (Verdict::Pass, "terminou sozinho".to_string()),
    };
    report.add(SECTION, Kind::Required, verdict, name, detail);

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
    let name = "espera cerca de 1 s antes de declarar a perda";
    // Esperou demais (ou para sempre)? Então a resposta atrasada chega
    // dentro da espera e vale como resposta: isso é culpa do prazo, já
    // apontada aqui, e as conferências da saída não contam de novo.
    let mut long_wait = false;
    if let Some(at) = hung_at.filter(|&at| at < PINGS) {
        let detail = if plan.action(at) == Action::Answer {
            format!(
                "depois do ping {at} (respondido na hora), o cliente passou mais de {} s sem mandar o seguinte nem terminar",
                HANG.as_secs()
            )
        } else {
            format!(
                "o ping {at} não foi respondido e o cliente ficou mais de {} s esperando, sem desistir; use client_socket.settimeout(1) e trate socket.timeout como perda",
                HANG.as_secs()
            )
        };
        report.add(SECTION, Kind::Required, Verdict::Fail, name, detail);
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
        let (verdict, detail) = if waits.is_empty() {
            (
                Verdict::Skipped,
                "não chegaram pings depois dos descartados".to_string(),
            )
        } else if let Some((p, w)) = waits.iter().find(|(_, w)| *w < WAIT_RANGE.0) {
            (
                Verdict::Fail,
                format!(
                    "desistiu do ping {p} depois de só {}; o enunciado pede esperar até 1 s: settimeout(1)",
                    seconds(*w)
                ),
            )
        } else if let Some((p, w)) = waits.iter().find(|(_, w)| *w > WAIT_RANGE.1) {
            long_wait = true;
            (
                Verdict::Fail,
                format!(
                    "esperou {} pelo ping {p}; o enunciado pede 1 s: settimeout(1)",
                    seconds(*w)
                ),
            )
        } else {
            (
                Verdict::Pass,
                format!(
                    "esperou {shown} (medido entre a chegada de um ping descartado e a do seguinte)"
                ),
            )
        };
        report.add(SECTION, Kind::Required, verdict, name, detail);
    }

    // 3 a 5. A saída.
    let lines = parse_output(output);
    let excerpt: String = output.lines().take(3).collect::<Vec<_>>().join(" | ");
    if lines.is_empty() {
        report.add(
            SECTION,
            Kind::Required,
            Verdict::Fail,
            "saída reconhecível",
            format!(
                "não reconheci nenhuma linha de ping na saída («{}»); escreva uma linha por ping, com «RTT: <número>» quando houver resposta e «perdido» (ou «timeout») quando não houver, como no enunciado",
                pratica_sockets::net::printable(excerpt.as_bytes())
            ),
        );
        return;
    }
    let line_for = |ping: usize| lines.iter().find(|(i, _)| *i == ping).map(|(_, l)| l);
    let answered: Vec<usize> = (1..=count.min(PINGS))
        .filter(|&p| plan.action(p) == Action::Answer)
        .collect();
    let missing_rtt: Vec<usize> = answered
        .iter()
        .copied()
        .filter(|&p| !matches!(line_for(p), Some(PingLine::Answered { .. })))
        .collect();
    let (verdict, detail) = if missing_rtt.is_empty() {
        (
            Verdict::Pass,
            format!(
                "os pings respondidos ({}) aparecem com RTT",
                list(&answered)
            ),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "os pings {} foram respondidos na hora, mas a saída não mostra o RTT deles; imprima uma linha por resposta com «RTT: <segundos>»",
                list(&missing_rtt)
            ),
        )
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "mostra o RTT de cada ping respondido",
        detail,
    );

    let mut dropped: Vec<usize> = [plan.drop, plan.late]
        .into_iter()
        .filter(|&p| p <= count)
        .collect();
    dropped.sort_unstable();
    let not_lost: Vec<usize> = dropped
        .iter()
        .copied()
        .filter(|&p| !matches!(line_for(p), Some(PingLine::Lost { .. })))
        .collect();
    let (verdict, detail) = if long_wait {
        (
            Verdict::Skipped,
            "depende do prazo de 1 s (veja a espera acima)".to_string(),
        )
    } else if dropped.is_empty() {
        (
            Verdict::Skipped,
            "o cliente parou antes dos pings descartados".to_string(),
        )
    } else if not_lost.is_empty() {
        (
            Verdict::Pass,
            format!(
                "os pings {} (sem resposta dentro de 1 s) aparecem como perdidos",
                list(&dropped)
            ),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "os pings {} não tiveram resposta dentro de 1 s, mas a saída não diz que se perderam; no except socket.timeout, imprima que o pacote foi perdido",
                list(&not_lost)
            ),
        )
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "relata cada ping perdido",
        detail,
    );

    let next = plan.late + 1;
    let name = "resposta atrasada não vale para o ping seguinte";
    let (verdict, detail) = match line_for(next) {
        _ if long_wait => (
            Verdict::Skipped,
            "depende do prazo de 1 s (veja a espera acima)".to_string(),
        ),
        _ if next > count => (Verdict::Skipped, format!("o ping {next} não chegou")),
        Some(PingLine::Lost { .. }) => (
            Verdict::Pass,
            format!(
                "a resposta do ping {} chegou {} depois, durante a espera do {next}, e o {next} foi relatado como perdido",
                plan.late,
                seconds(LATE.as_secs_f64())
            ),
        ),
        Some(PingLine::Answered { rtt, .. }) => (
            Verdict::Fail,
            format!(
                "o ping {next} aparece como respondido (RTT {}), mas ele foi descartado: o que chegou foi a resposta atrasada do ping {}; confira se a resposta é do ping atual (o número de sequência) ou use um socket novo por ping",
                pratica_sockets::net::printable(rtt.to_string().as_bytes()),
                plan.late
            ),
        ),
        None => (
            Verdict::Skipped,
            format!("a saída não tem linha para o ping {next} (veja «relata cada ping perdido»)"),
        ),
    };
    report.add(SECTION, Kind::Required, verdict, name, detail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_assignment_format_and_variants() {
        let a =
            "Ping: 1 Data e Hora: 25/11/2026 10:00 Mensagem do servidor: b'PACOTE' RTT: 0.000123";
        assert_eq!(
            classify(a),
            Some(PingLine::Answered {
                seq: Some(1),
                rtt: 0.000123
            })
        );
        assert_eq!(
            classify("Pacote foi perdido durante a transmissão"),
            Some(PingLine::Lost { seq: None })
        );
        assert_eq!(
            classify("Ping: 4 Pacote foi perdido durante a transmissão"),
            Some(PingLine::Lost { seq: Some(4) })
        );
        assert_eq!(
            classify("Resposta de 127.0.0.1: seq=3 time=0,52 ms"),
            Some(PingLine::Answered {
                seq: Some(3),
                rtt: 0.52
            })
        );
        assert_eq!(
            classify("Request timed out."),
            Some(PingLine::Lost { seq: None })
        );
        assert_eq!(
            classify("rtt mín/méd/máx/desvio = 0.1/0.2/0.3/0.0 ms"),
            None
        );
        assert_eq!(
            classify("10 pacotes transmitidos, 7 recebidos, 30% de perda"),
            None
        );
        assert_eq!(classify("olá"), None);
    }

    #[test]
    fn unnumbered_lost_lines_take_the_next_number() {
        let text = "Ping: 1 RTT: 0.1\nPacote foi perdido\nPing: 3 RTT: 0.1\n";
        let lines = parse_output(text);
        assert_eq!(
            lines.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        let zero = parse_output("ping 0 rtt 1\nping 1 rtt 1\n");
        assert_eq!(zero.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn every_seed_gives_a_plan_with_a_ping_after_each_loss() {
        for seed in 0..200 {
            let plan = Plan::from_seed(seed);
            assert!(
                (3..=8).contains(&plan.late) && (2..=9).contains(&plan.drop),
                "{plan:?}"
            );
            assert!(
                plan.drop + 1 < plan.late || plan.drop > plan.late + 1,
                "{plan:?}"
            );
            assert_eq!(plan.action(plan.late + 1), Action::Drop);
            assert_eq!(plan.action(PINGS), Action::Answer);
        }
    }
}
