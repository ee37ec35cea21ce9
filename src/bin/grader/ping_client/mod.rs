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
use super::report::{Check, Report, decimal, plural};
use super::{NotRun, Options, Transport};
use pratica_sockets::cli;
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

/// Linhas de resumo (estatísticas no fim) não são de um ping.
/// Só palavras que uma linha de um ping não teria ("máximo" teria: "tempo
/// máximo excedido"); o resto do resumo é achado pela posição, no fim.
const SUMMARY_WORDS: [&str; 11] = [
    "médio",
    "avg",
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

/// O RTT escrito sem rótulo (`b'PING', 0, 0.000216`): o último número
/// com casas decimais da linha, se for pequeno (um RTT em segundos ou em
/// milissegundos; um horário `time.time()` ecoado passa de um milhão).
fn unlabeled_rtt(line: &str) -> Option<f64> {
    let mut found = None;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || bytes[i] == b'.'
                    || bytes[i] == b'e'
                    || (bytes[i] == b'-' && bytes[i - 1] == b'e'))
            {
                i += 1;
            }
            let text = line[start..i].trim_end_matches(['.', 'e', '-']);
            if text.contains('.')
                && let Ok(value) = text.parse::<f64>()
                && value < 1e6
            {
                found = Some(value);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// O RTT de uma linha: depois de `rtt`, `time` ou `tempo` (o formato do
/// enunciado, `RTT: 0.0001`, e `time=0,52 ms`), ou sem rótulo.
fn rtt_of(line: &str) -> Option<f64> {
    let lower = line.to_lowercase();
    ["rtt", "time", "tempo"]
        .iter()
        .find_map(|key| number_after(&lower, key))
        .map(|(v, _)| v)
        .or_else(|| unlabeled_rtt(&lower))
}

/// O número do ping escrito na linha (`Ping: 3`, `seq=3`), se houver.
fn seq_of(line: &str) -> Option<usize> {
    let lower = line.to_lowercase();
    ["icmp_seq", "seq", "ping"]
        .iter()
        .find_map(|key| number_after(&lower, key))
        .filter(|(v, _)| v.fract() == 0.0 && *v >= 0.0 && *v < 1e6)
        .map(|(v, _)| v as usize)
}

/// Reconhece uma linha: com RTT, é de um ping respondido; sem RTT, é de um
/// ping perdido, com as palavras que o aluno quiser ("Request timed out",
/// "Solicitação 3 expirada", "esgotado"...): não há lista de palavras. Qual
/// linha é de um ping quem decide é [`parse_output`]. `None`: resumo do fim.
pub fn classify(line: &str) -> Option<PingLine> {
    if is_summary(line) {
        return None;
    }
    let seq = seq_of(line);
    Some(match rtt_of(line) {
        Some(rtt) => PingLine::Answered { seq, rtt },
        None => PingLine::Lost { seq },
    })
}

/// A forma de uma linha, sem os números: linhas da mesma forma são o mesmo
/// `print` do programa.
fn shape(line: &str) -> String {
    let mut out = String::new();
    for c in line.trim().to_lowercase().chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else if !(c == '.' || c == ',') || !out.ends_with('#') {
            out.push(c);
        }
    }
    out
}

/// Lê pelos números escritos nas linhas (`Ping: 3 ... RTT: 0.0001`), quando
/// toda linha com RTT tem o seu número: uma linha sem RTT com número é de um
/// ping perdido (a não ser que o mesmo ping tenha uma linha com RTT); uma
/// sem número, entre duas respostas, é do ping seguinte ao anterior.
fn by_number(candidates: &[&str]) -> Option<Vec<(usize, PingLine)>> {
    // Uma linha numerada sem RTT seguida de linhas com RTT sem número
    // («Message Received PING 1» e depois «RTT 0.0003», «Min RTT…») é um
    // ping só: o número de uma com o RTT da primeira das outras.
    let mut parsed: Vec<PingLine> = Vec::new();
    let mut origin: Vec<usize> = Vec::new();
    let mut attach = false;
    for (i, line) in candidates.iter().enumerate() {
        let Some(line) = classify(line) else {
            continue;
        };
        if attach && let PingLine::Answered { seq: None, rtt } = line {
            if let Some(last) = parsed.last_mut()
                && let PingLine::Lost { seq: Some(s) } = *last
            {
                *last = PingLine::Answered { seq: Some(s), rtt };
            }
            continue;
        }
        attach = matches!(line, PingLine::Lost { seq: Some(_) });
        parsed.push(line);
        origin.push(i);
    }
    let seq_of_line = |l: &PingLine| match l {
        PingLine::Answered { seq, .. } | PingLine::Lost { seq } => *seq,
    };
    // Depois da última resposta numerada vem o resumo do programa
    // ("RTT mínimo 0.0001..."), que não é de um ping.
    let last = parsed
        .iter()
        .rposition(|l| matches!(l, PingLine::Answered { seq: Some(_), .. }))?;
    let answered: Vec<Option<usize>> = parsed[..=last]
        .iter()
        .filter(|l| matches!(l, PingLine::Answered { .. }))
        .map(seq_of_line)
        .collect();
    if answered.len() < 2 || answered.iter().any(Option::is_none) {
        return None;
    }
    let offset = usize::from(answered.first().copied().flatten() == Some(0));
    // A forma de uma linha numerada sem RTT que aparece também num ping
    // respondido ("Enviando ping 3") é enfeite, não perda: num ping perdido
    // ela só diz qual ping vem agora.
    let answered_seqs: Vec<usize> = answered.iter().flatten().copied().collect();
    // Em pelo menos dois pings respondidos: num só, pode ser a perda de um
    // ping cuja resposta atrasada foi ecoada com o mesmo número.
    let mut decoration: Vec<String> = Vec::new();
    for (i, l) in parsed[..=last].iter().enumerate() {
        if matches!(l, PingLine::Lost { seq: Some(s) } if answered_seqs.contains(s)) {
            decoration.push(shape(candidates[origin[i]]));
        }
    }
    let decoration: Vec<String> = decoration
        .iter()
        .filter(|s| decoration.iter().filter(|t| t == s).count() >= 2)
        .cloned()
        .collect();
    let mut found: std::collections::BTreeMap<usize, PingLine> = Default::default();
    let mut current = 0;
    let mut same_ping = false;
    // A linha anterior foi o enfeite do ping atual ("Ping 6 enviado").
    let mut after_header = false;
    for (i, line) in parsed[..=last].iter().enumerate() {
        let seq = seq_of_line(line);
        let index = match seq {
            // Uma resposta com o número de um ping que já tem linha de
            // perda é a resposta atrasada dele, ecoada com o número antigo,
            // chegando na espera do ping atual (um socket só para todos).
            Some(s)
                if matches!(line, PingLine::Answered { .. })
                    && s + offset <= current
                    && matches!(found.get(&(s + offset)), Some(PingLine::Lost { .. })) =>
            {
                if after_header {
                    current
                } else {
                    current + 1
                }
            }
            Some(s) if s + offset > 0 && s + offset <= PINGS + 5 => s + offset,
            Some(_) => continue,
            // Sem número, antes da primeira linha de ping: cabeçalho.
            None if current == 0 => continue,
            // Sem número, logo depois de "Enviando ping 5" ou "Ping 5" sem
            // RTT: é o mesmo ping (e "Tempo esgotado" diz o que houve).
            None if same_ping => current,
            None => current + 1,
        };
        let is_loss = matches!(line, PingLine::Lost { .. });
        same_ping = seq.is_some() && is_loss;
        current = index;
        after_header =
            seq.is_some() && is_loss && decoration.contains(&shape(candidates[origin[i]]));
        if after_header {
            continue;
        }
        let keep = matches!(
            (found.get(&index), line),
            (None, _) | (Some(PingLine::Lost { .. }), PingLine::Answered { .. })
        );
        if keep {
            found.insert(index, line.clone());
        }
    }
    Some(found.into_iter().collect())
}

/// A saída, lida: uma entrada por ping reconhecido, com o número do ping.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Read(Vec<(usize, PingLine)>),
    /// Não deu para saber qual linha é de qual ping: o porquê.
    Unreadable(String),
}

/// Lê a saída do cliente, sem lista de palavras:
///
/// - com exatamente uma linha (não vazia, fora o resumo) por ping, como no
///   enunciado, a posição diz o ping: com RTT, respondido; sem, perdido;
/// - senão, as linhas com RTT são as respostas; entre a primeira e a última
///   delas (o primeiro e o último ping do roteiro são sempre respondidos),
///   uma linha sem RTT é de um ping perdido, a não ser que a forma dela se
///   repita em todo ping (um "Enviando ping 3..." antes de cada um).
///
/// `sent` é quantos pings chegaram ao corretor; se as linhas não fecham com
/// eles, a saída é [`Output::Unreadable`], em vez de numerar errado.
pub fn parse_output(text: &str, sent: usize) -> Output {
    let candidates: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !is_summary(l))
        .collect();
    if candidates.len() == sent.min(PINGS) {
        return Output::Read(
            candidates
                .iter()
                .enumerate()
                .filter_map(|(i, l)| classify(l).map(|line| (i + 1, line)))
                .collect(),
        );
    }
    if let Some(lines) = by_number(&candidates) {
        return Output::Read(lines);
    }
    let rtt_at: Vec<usize> = (0..candidates.len())
        .filter(|&i| rtt_of(candidates[i]).is_some())
        .collect();
    // Uma linha com RTT de forma única depois de todas as outras é o resumo
    // do fim ("RTT médio: 0.0003"), não um ping.
    let repeated = |i: &usize| {
        candidates
            .iter()
            .filter(|l| shape(l) == shape(candidates[*i]))
            .count()
            > 1
    };
    let last_repeated = rtt_at.iter().rposition(repeated);
    let rtt_at: Vec<usize> = match last_repeated {
        Some(at) if rtt_at.len() > 2 => rtt_at[..=at].to_vec(),
        _ => rtt_at,
    };
    let (Some(&first), Some(&last)) = (rtt_at.first(), rtt_at.last()) else {
        return Output::Unreadable(if candidates.is_empty() {
            "o programa não escreveu nada".to_string()
        } else {
            format!(
                "nenhuma das {} tem um número de RTT",
                plural(candidates.len(), "linha", "linhas")
            )
        });
    };
    let answered_shapes: Vec<String> = rtt_at.iter().map(|&i| shape(candidates[i])).collect();
    let count_shape = |s: &str| candidates.iter().filter(|l| shape(l) == s).count();
    let mut lines: Vec<PingLine> = Vec::new();
    for (i, line) in candidates.iter().enumerate().take(last + 1).skip(first) {
        let Some(parsed) = classify(line) else {
            continue;
        };
        let is_loss = matches!(parsed, PingLine::Lost { .. });
        // Uma linha que se repete em todo ping (ou em toda resposta) é enfeite.
        if is_loss
            && (count_shape(&shape(line)) >= rtt_at.len() || answered_shapes.contains(&shape(line)))
        {
            continue;
        }
        // Duas linhas com RTT do mesmo ping (a resposta e o RTT): uma só.
        if let (
            Some(PingLine::Answered { seq: Some(a), .. }),
            PingLine::Answered { seq: Some(b), .. },
        ) = (lines.last(), &parsed)
            && a == b
            && i > first
        {
            continue;
        }
        lines.push(parsed);
    }
    if lines.len() != sent.min(PINGS) {
        return Output::Unreadable(format!(
            "reconheci {} de ping ({} com RTT) para {} enviados, então não sei qual linha é de qual ping",
            plural(lines.len(), "linha", "linhas"),
            lines
                .iter()
                .filter(|l| matches!(l, PingLine::Answered { .. }))
                .count(),
            plural(sent.min(PINGS), "ping", "pings")
        ));
    }
    Output::Read(
        lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect(),
    )
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
    let port = super::choose_port(options, cli::PING_PORT, Transport::Udp);
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

    let workspace = Workspace::for_student(&options.command, &options.base)
        .map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
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
        let hint = super::exit_hint(&words, &client.stderr_text(), port);
        return Err(NotRun(format!(
            "nenhum ping chegou em {}:{port} (UDP); o programa {why}{tail}{hint}. O cliente manda para esta porta? (mude com --port, ou _PORT_ no comando)",
            options.host()
        )));
    }
    let exit = client.describe_exit();
    report.extend(judge(&plan, &run, &output, &exit));
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
    /// Se travou: quanto tempo passou, medido, entre o último ping e o fim.
    silence: Option<Duration>,
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
    let silence = arrivals.last().filter(|_| hung).map(|last| last.elapsed());
    Run {
        arrivals,
        hung,
        silence,
    }
}

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

fn judge(plan: &Plan, run: &Run, output: &str, exit: &str) -> Vec<Check> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str, sent: usize) -> Vec<(usize, bool)> {
        match parse_output(text, sent) {
            Output::Read(lines) => lines
                .into_iter()
                .map(|(i, l)| (i, matches!(l, PingLine::Answered { .. })))
                .collect(),
            Output::Unreadable(why) => panic!("ilegível: {why}"),
        }
    }

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
            classify("Resposta de 127.0.0.1: seq=3 time=0,52 ms"),
            Some(PingLine::Answered {
                seq: Some(3),
                rtt: 0.52
            })
        );
        assert_eq!(
            classify("b'PING', 0, 0.000216"),
            Some(PingLine::Answered {
                seq: None,
                rtt: 0.000216
            })
        );
        assert_eq!(
            classify("Resposta: PING 1 1701234567.123"),
            Some(PingLine::Lost { seq: Some(1) }),
            "um horário ecoado não é RTT"
        );
        assert_eq!(
            classify("rtt mín/méd/máx/desvio = 0.1/0.2/0.3/0.0 ms"),
            None
        );
    }

    #[test]
    fn loss_lines_in_any_words_are_losses() {
        for loss in [
            "Request timed out",
            "Solicitação 2 expirada.",
            "Pacote perdido",
            "timeout",
            "esgotado",
            "lost",
            "??",
        ] {
            let text = format!("Ping 1 RTT: 0.1\n{loss}\nPing 3 RTT: 0.1\n");
            assert_eq!(
                numbers(&text, 3),
                vec![(1, true), (2, false), (3, true)],
                "{loss}"
            );
        }
    }

    #[test]
    fn ten_lines_are_read_by_position_and_other_layouts_by_rtt() {
        let mut text = String::new();
        for i in 1..=10 {
            if i == 4 {
                text.push_str("Enviando ping 4\nTempo esgotado\n");
            } else {
                text.push_str(&format!(
                    "Enviando ping {i}\nResposta: PING {i}\nRTT: 0.00{i}\n"
                ));
            }
        }
        let read = numbers(&format!("Cliente iniciado\n{text}Fim\n"), 10);
        assert_eq!(read.len(), 10);
        assert_eq!(read[3], (4, false));
        assert!(read.iter().filter(|(_, a)| *a).count() == 9);
        assert!(matches!(
            parse_output("ok\nok\n", 10),
            Output::Unreadable(_)
        ));
        assert!(matches!(
            parse_output("RTT: 0.1\nRTT: 0.1\n", 10),
            Output::Unreadable(_)
        ));
        // "Enviando ping 5" e depois "Tempo esgotado" são o mesmo ping, e o
        // resumo do fim não é um ping.
        let text = "Enviando ping 1\nPing 1 RTT: 0.1\nEnviando ping 2\nTempo esgotado\nEnviando ping 3\nTempo esgotado\nEnviando ping 4\nPing 4 RTT: 0.1\nRTT médio: 0.1\nPerdidos: 2\n";
        assert_eq!(
            numbers(text, 4),
            vec![(1, true), (2, false), (3, false), (4, true)]
        );
        let text = "Ping 1 RTT: 0.1\nTimeout\nTimeout\nPing 4 RTT: 0.1\n";
        assert_eq!(
            numbers(text, 4),
            vec![(1, true), (2, false), (3, false), (4, true)]
        );
        // "Enviando ping 2" sozinho não é um relato de perda.
        let text =
            "Enviando ping 1\nPing 1 RTT: 0.1\nEnviando ping 2\nEnviando ping 3\nPing 3 RTT: 0.1\n";
        assert_eq!(numbers(text, 3), vec![(1, true), (3, true)]);
        // Com números, as linhas que faltam são pings sem linha, não ilegíveis.
        assert_eq!(
            numbers("Ping 1 RTT: 0.1\nPing 3 RTT: 0.1\n", 10),
            vec![(1, true), (3, true)]
        );
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
            assert_eq!(plan.action(1), Action::Answer);
            assert_eq!(plan.action(PINGS), Action::Answer);
        }
    }
}
