//! Extra da seção 2: o UDP Heartbeat, o exercício opcional do laboratório
//! de Pinger do livro-texto (o enunciado não o inclui).
//!
//! O cliente manda `<seq> <instante>` a intervalos regulares e não espera
//! resposta. O servidor calcula o atraso de ida de cada batimento, nomeia os
//! perdidos, reconhece duplicados e fora de ordem, e declara que um cliente
//! parou quando os batimentos somem por `--dead-after` segundos. Roda com
//! `make heartbeat`; explicado em `lessons/02-udp-pinger.md`.
//!
//! Invariante: [`Monitor`] é puro (não lê o relógio nem toca em sockets):
//! recebe o instante de cada evento, o que permite testá-lo sem esperar.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io::{self, Write};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use super::xorshift::Loss;
use crate::cli::{self, UsageError};
use crate::clock::unix_now;
use crate::net::{self, SocketError, printable};

/// Quantos batimentos o cliente manda por padrão.
pub const DEFAULT_COUNT: u64 = 20;
/// O intervalo padrão entre batimentos.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(200);
/// O silêncio padrão que quer dizer "o cliente parou": dez intervalos.
pub const DEFAULT_DEAD_AFTER: Duration = Duration::from_secs(2);

/// Quantos números de sequência para trás lembramos, para reconhecer duplicados.
const MEMORY: u64 = 4096;

/// O menor `--dead-after` aceito. Abaixo de 1 ms, o "silêncio" seria só o
/// tempo entre duas voltas do laço, e não um cliente parado.
const MIN_DEAD_AFTER: Duration = Duration::from_millis(1);

/// `--dead-after`: segundos, como [`cli::parse_seconds`], e pelo menos
/// 1 ms. Usado pelo `heartbeat-server` e pelo `pratica`.
///
/// # Erros
/// Um valor que não é um número de segundos, ou menor que 1 ms.
pub fn parse_dead_after(flag: &str, text: &str) -> Result<Duration, UsageError> {
    let limit = cli::parse_seconds(flag, text)?;
    if limit < MIN_DEAD_AFTER {
        return Err(UsageError(format!(
            "{flag} deve ser de pelo menos 0.001 s (1 ms) (recebido `{text}`)"
        )));
    }
    Ok(limit)
}

/// A espera mais curta de cada volta do laço do servidor, para não girar
/// a 100% de CPU (menor só se o próprio `dead_after` for menor).
const MIN_WAIT: Duration = Duration::from_millis(10);

/// A espera mais longa de cada volta: de quanto em quanto tempo o servidor
/// olha o relógio quando nenhum cliente está para vencer.
const MAX_WAIT: Duration = Duration::from_millis(250);

/// Uma duração para o relatório: `3.0 s`, ou `5.0 ms` abaixo de 1 s (um
/// limite de 5 ms nunca aparece como `0.0 s`).
pub struct Seconds(pub Duration);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs_f64();
        if secs >= 1.0 {
            write!(f, "{secs:.1} s")
        } else {
            write!(f, "{:.1} ms", secs * 1000.0)
        }
    }
}

/// O que o servidor tem a dizer sobre um cliente.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Um batimento novo, com o atraso de ida em milissegundos.
    Beat { seq: u64, delay_ms: f64 },
    /// A sequência pulou: este número não chegou.
    Lost { seq: u64 },
    /// Chegou um número dado como perdido: estava só fora de ordem.
    Late { seq: u64, delay_ms: f64 },
    /// Este número já tinha chegado.
    Duplicate { seq: u64 },
    /// O datagrama não tem a forma `<seq> <instante>`.
    Malformed { text: String },
    /// Nenhum batimento há `silent` (uma vez por parada).
    Stopped { silent: Duration },
    /// Batimentos de novo, depois de uma parada.
    Resumed,
}

/// O estado de um cliente (um endereço IP:porta).
#[derive(Debug, Clone)]
struct ClientState {
    highest: u64,
    last_seen: Instant,
    stopped: bool,
    /// Números dados como perdidos que ainda podem chegar atrasados.
    missing: BTreeSet<u64>,
    /// Números recebidos recentemente (para reconhecer duplicados).
    seen: BTreeSet<u64>,
    lost: u64,
}

/// O monitor de batimentos: um estado por endereço de cliente.
#[derive(Debug, Clone)]
pub struct Monitor {
    dead_after: Duration,
    clients: HashMap<SocketAddr, ClientState>,
}

/// Lê `<seq> <instante>` (o instante em segundos Unix, com frações).
pub fn parse_heartbeat(data: &[u8]) -> Option<(u64, f64)> {
    let text = std::str::from_utf8(data).ok()?;
    let mut words = text.split(' ');
    let seq = words.next()?;
    let sent = words.next()?;
    if words.next().is_some() || seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sent: f64 = sent.parse().ok()?;
    sent.is_finite().then_some(())?;
    Some((seq.parse().ok()?, sent))
}

/// A mensagem de um batimento: `<seq> <instante>`.
pub fn heartbeat_message(seq: u64, unix_time: Duration) -> String {
    format!(
        "{seq} {}.{:06}",
        unix_time.as_secs(),
        unix_time.subsec_micros()
    )
}

impl Monitor {
    pub fn new(dead_after: Duration) -> Monitor {
        Monitor {
            dead_after,
            clients: HashMap::new(),
        }
    }

    /// Um datagrama chegou de `from` em `now` (com `unix_now` segundos no relógio).
    pub fn on_datagram(
        &mut self,
        from: SocketAddr,
        data: &[u8],
        now: Instant,
        unix_now: f64,
    ) -> Vec<Event> {
        let Some((seq, sent)) = parse_heartbeat(data) else {
            return vec![Event::Malformed {
                text: printable(&data[..data.len().min(80)]),
            }];
        };
        // Atraso de ida: só faz sentido porque cliente e servidor leem o
        // mesmo relógio (a mesma máquina). Entre máquinas, a diferença entre
        // os relógios entraria na conta.
        let delay_ms = (unix_now - sent) * 1000.0;
        let mut events = Vec::new();
        // A numeração começa em 1: se o primeiro que vemos é o 3, o 1 e o 2
        // se perderam.
        let state = self.clients.entry(from).or_insert_with(|| ClientState {
            highest: 0,
            last_seen: now,
            stopped: false,
            missing: BTreeSet::new(),
            seen: BTreeSet::new(),
            lost: 0,
        });
        state.last_seen = now;
        if state.stopped {
            state.stopped = false;
            events.push(Event::Resumed);
        }
        if state.seen.contains(&seq) {
            events.push(Event::Duplicate { seq });
        } else if seq <= state.highest {
            if state.missing.remove(&seq) {
                state.lost -= 1;
                events.push(Event::Late { seq, delay_ms });
            } else {
                // Mais antigo que a memória: não dá para saber; tratamos como duplicado.
                events.push(Event::Duplicate { seq });
            }
        } else {
            // Um salto: todos os números entre o maior visto e este se perderam.
            // (Limitado à memória: um salto de um bilhão não vira um bilhão de linhas.)
            let first_missing = (state.highest + 1).max(seq.saturating_sub(MEMORY));
            for gap in first_missing..seq {
                state.missing.insert(gap);
                state.lost += 1;
                events.push(Event::Lost { seq: gap });
            }
            state.highest = seq;
            events.push(Event::Beat { seq, delay_ms });
        }
        state.seen.insert(seq);
        let floor = state.highest.saturating_sub(MEMORY);
        state.seen = state.seen.split_off(&floor);
        state.missing = state.missing.split_off(&floor);
        events
    }

    /// O relógio andou: declara parados os clientes silenciosos há `dead_after`.
    pub fn on_tick(&mut self, now: Instant) -> Vec<(SocketAddr, Event)> {
        let mut events = Vec::new();
        for (addr, state) in &mut self.clients {
            let silent = now.saturating_duration_since(state.last_seen);
            if !state.stopped && silent >= self.dead_after {
                state.stopped = true;
                events.push((*addr, Event::Stopped { silent }));
            }
        }
        events.sort_by_key(|(addr, _)| *addr);
        events
    }

    /// Quanto falta para o próximo cliente poder ser declarado parado.
    pub fn next_deadline(&self, now: Instant) -> Option<Duration> {
        self.clients
            .values()
            .filter(|s| !s.stopped)
            .map(|s| (s.last_seen + self.dead_after).saturating_duration_since(now))
            .min()
    }

    /// Quantos batimentos deste cliente estão dados como perdidos agora.
    pub fn lost(&self, addr: SocketAddr) -> u64 {
        self.clients.get(&addr).map_or(0, |s| s.lost)
    }
}

/// Uma linha de relatório, como o servidor imprime.
pub struct Report<'a>(pub SocketAddr, pub &'a Event);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Report(addr, event) = self;
        match event {
            Event::Beat { seq, delay_ms } => {
                write!(
                    f,
                    "cliente {addr}: batimento {seq}, atraso de ida {delay_ms:.3} ms"
                )
            }
            Event::Lost { seq } => write!(f, "cliente {addr}: batimento {seq} perdido"),
            Event::Late { seq, delay_ms } => write!(
                f,
                "cliente {addr}: batimento {seq} chegou fora de ordem ({delay_ms:.3} ms); não estava perdido"
            ),
            Event::Duplicate { seq } => write!(f, "cliente {addr}: batimento {seq} duplicado"),
            Event::Malformed { text } => {
                write!(f, "cliente {addr}: datagrama inválido ignorado: {text}")
            }
            Event::Stopped { silent } => write!(
                f,
                "cliente {addr} parou (nenhum batimento há {})",
                Seconds(*silent)
            ),
            Event::Resumed => write!(f, "cliente {addr} voltou"),
        }
    }
}

/// O laço do servidor: recebe, sorteia a perda simulada, e relata em `out`.
/// Os descartes simulados vão para `drops` (o programa usa o stderr), para
/// que o relatório em `out` tenha de descobrir sozinho quais se perderam.
///
/// O `recv_from` precisa de um prazo: sem ele, a thread ficaria bloqueada
/// esperando um datagrama que nunca vem, e nunca perceberia o silêncio.
///
/// # Erros
/// Só erros do socket que não sejam prazo vencido ou "porta inalcançável".
pub fn serve(
    socket: &UdpSocket,
    mut loss: Loss,
    dead_after: Duration,
    out: &mut impl Write,
    drops: &mut impl Write,
) -> io::Result<()> {
    let mut monitor = Monitor::new(dead_after);
    let mut buf = [0u8; 1024];
    // `clamp(min, max)` entra em pânico se min > max: com `dead_after`
    // abaixo de `MIN_WAIT`, o piso desce junto com o teto.
    let tick = MAX_WAIT.min(dead_after).max(MIN_DEAD_AFTER);
    let floor = MIN_WAIT.min(tick);
    loop {
        let now = Instant::now();
        let wait = monitor
            .next_deadline(now)
            .unwrap_or(tick)
            .clamp(floor, tick);
        socket.set_read_timeout(Some(wait))?;
        match socket.recv_from(&mut buf) {
            Ok((len, from)) => {
                if loss.should_drop() {
                    writeln!(
                        drops,
                        "heartbeat-server: {from}: datagrama descartado (perda simulada)"
                    )?;
                } else {
                    let (instant, unix) = (Instant::now(), unix_now().as_secs_f64());
                    for event in monitor.on_datagram(from, &buf[..len], instant, unix) {
                        writeln!(out, "{}", Report(from, &event))?;
                    }
                }
            }
            // Prazo vencido ou sinal: hora de olhar o relógio (`on_tick`).
            // "Porta inalcançável" (o Windows entrega o ICMP até aqui, num
            // socket não conectado) é de algum cliente antigo: seguimos.
            Err(e) => match net::classify(&e) {
                SocketError::TimedOut | SocketError::Interrupted | SocketError::PortUnreachable => {
                }
                SocketError::Other => return Err(e),
            },
        }
        for (addr, event) in monitor.on_tick(Instant::now()) {
            writeln!(out, "{}", Report(addr, &event))?;
        }
        out.flush()?;
    }
}

/// O cliente: `count` batimentos (0 = para sempre), um a cada `interval`.
///
/// O ritmo segue uma agenda fixa (início + n × intervalo), e não "dormir um
/// intervalo depois de cada envio", para que atrasos não se acumulem.
///
/// # Erros
/// Nome que não resolve ou falha do socket.
pub fn run_client(
    host: &str,
    port: u16,
    interval: Duration,
    count: u64,
    out: &mut impl Write,
) -> io::Result<()> {
    let server = net::resolve(host, port)?;
    let socket = UdpSocket::bind(net::unspecified_for(server))?;
    let start = Instant::now();
    let mut seq: u64 = 1;
    while count == 0 || seq <= count {
        let message = heartbeat_message(seq, unix_now());
        match socket.send_to(message.as_bytes(), server) {
            Ok(_) => writeln!(out, "batimento {seq} enviado")?,
            Err(e) => writeln!(out, "batimento {seq} não enviado: {}", net::pt_br(&e))?,
        }
        out.flush()?;
        if count != 0 && seq == count {
            break;
        }
        let next = start + interval.mul_f64(seq as f64);
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
        seq += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        ([127, 0, 0, 1], port).into()
    }

    fn beat(m: &mut Monitor, from: SocketAddr, seq: u64, at: Instant) -> Vec<Event> {
        m.on_datagram(from, format!("{seq} 100.000000").as_bytes(), at, 100.0)
    }

    #[test]
    fn names_each_lost_sequence_number_exactly() {
        let t0 = Instant::now();
        let mut m = Monitor::new(Duration::from_secs(3));
        beat(&mut m, addr(1), 1, t0);
        let events = beat(&mut m, addr(1), 4, t0);
        assert_eq!(
            events,
            vec![
                Event::Lost { seq: 2 },
                Event::Lost { seq: 3 },
                Event::Beat {
                    seq: 4,
                    delay_ms: 0.0
                }
            ]
        );
        assert_eq!(m.lost(addr(1)), 2);
    }

    #[test]
    fn reordering_and_duplicates_are_not_losses() {
        let t0 = Instant::now();
        let mut m = Monitor::new(Duration::from_secs(3));
        beat(&mut m, addr(1), 1, t0);
        beat(&mut m, addr(1), 3, t0); // 2 dado como perdido
        assert_eq!(m.lost(addr(1)), 1);
        assert_eq!(
            beat(&mut m, addr(1), 2, t0),
            vec![Event::Late {
                seq: 2,
                delay_ms: 0.0
            }]
        );
        assert_eq!(m.lost(addr(1)), 0, "fora de ordem não é perda");
        assert_eq!(
            beat(&mut m, addr(1), 3, t0),
            vec![Event::Duplicate { seq: 3 }]
        );
        assert_eq!(
            beat(&mut m, addr(1), 2, t0),
            vec![Event::Duplicate { seq: 2 }]
        );
        assert_eq!(m.lost(addr(1)), 0);
    }

    #[test]
    fn stop_is_declared_once_after_the_limit_and_resets_when_beats_return() {
        let t0 = Instant::now();
        let limit = Duration::from_secs(3);
        let mut m = Monitor::new(limit);
        beat(&mut m, addr(1), 1, t0);
        assert!(m.on_tick(t0 + Duration::from_millis(2999)).is_empty());
        let stopped = m.on_tick(t0 + limit);
        assert_eq!(stopped, vec![(addr(1), Event::Stopped { silent: limit })]);
        assert!(
            m.on_tick(t0 + Duration::from_secs(10)).is_empty(),
            "só uma vez"
        );
        let back = beat(&mut m, addr(1), 2, t0 + Duration::from_secs(11));
        assert_eq!(back[0], Event::Resumed);
        let again = m.on_tick(t0 + Duration::from_secs(14));
        assert_eq!(again.len(), 1, "e pode parar de novo");
    }

    #[test]
    fn two_clients_are_kept_apart() {
        let t0 = Instant::now();
        let mut m = Monitor::new(Duration::from_secs(3));
        beat(&mut m, addr(1), 1, t0);
        beat(&mut m, addr(2), 1, t0);
        assert_eq!(
            beat(&mut m, addr(1), 2, t0),
            vec![Event::Beat {
                seq: 2,
                delay_ms: 0.0
            }]
        );
        assert_eq!(
            beat(&mut m, addr(2), 5, t0).len(),
            4,
            "3 perdidos + o batimento"
        );
        assert_eq!((m.lost(addr(1)), m.lost(addr(2))), (0, 3));
        beat(&mut m, addr(2), 6, t0 + Duration::from_secs(2));
        let stops = m.on_tick(t0 + Duration::from_secs(3));
        assert_eq!(
            stops,
            vec![(
                addr(1),
                Event::Stopped {
                    silent: Duration::from_secs(3)
                }
            )]
        );
    }

    #[test]
    fn short_limits_are_printed_in_milliseconds_never_as_zero_seconds() {
        assert_eq!(Seconds(Duration::from_secs(3)).to_string(), "3.0 s");
        assert_eq!(Seconds(Duration::from_millis(5)).to_string(), "5.0 ms");
        assert_eq!(Seconds(Duration::from_millis(250)).to_string(), "250.0 ms");
        assert_eq!(Seconds(MIN_DEAD_AFTER).to_string(), "1.0 ms");
    }

    #[test]
    fn malformed_and_huge_jumps_are_handled() {
        let t0 = Instant::now();
        let mut m = Monitor::new(Duration::from_secs(3));
        assert!(matches!(
            m.on_datagram(addr(1), b"oi", t0, 0.0)[0],
            Event::Malformed { .. }
        ));
        assert_eq!(parse_heartbeat(b"5 12.5"), Some((5, 12.5)));
        assert_eq!(parse_heartbeat(b"5 inf"), None);
        beat(&mut m, addr(1), 1, t0);
        let events = beat(&mut m, addr(1), u64::MAX, t0);
        assert!(events.len() <= MEMORY as usize + 1);
    }
}
