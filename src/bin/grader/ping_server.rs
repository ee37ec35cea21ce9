//! Modo `ping-server`: confere o servidor da seção 2 ("Código do Servidor"
//! e "Perda de Pacotes"), com o corretor no papel de cliente.
//!
//! 1. Espera o servidor responder (ou o kernel recusar: nenhum socket na porta).
//! 2. Manda [`SAMPLES`] pings com letras minúsculas, em lotes: cada
//!    resposta precisa ser o ping em maiúsculas, e as que faltam medem a
//!    perda, com intervalo de confiança de 99%.
//! 3. Dois clientes ao mesmo tempo: cada um recebe só os próprios ecos.
//! 4. Boa prática: depois de um datagrama vazio, um grande e um binário,
//!    o servidor continua respondendo.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use super::child::{self, Server};
use super::report::{Check, Report, Verdict, decimal};
use super::{NotRun, Options, Transport};
use pratica_sockets::cli;
use pratica_sockets::net::printable;

/// Quantos pings medem a perda. Com 2000, o intervalo de 99% tem uns ±2,8
/// pontos: um servidor de 36,4% cai no de 30% (ou o contrário) menos de uma
/// vez em mil, e a medida leva menos de um segundo.
pub const SAMPLES: usize = 2000;
/// Pings por lote: cabem com folga no buffer de recepção do servidor.
const BATCH: usize = 50;
/// A perda do `randint(0, 10) < 4`: 4 valores (0, 1, 2, 3) de 11 (0 a 10).
pub const KUROSE_LOSS: f64 = 4.0 / 11.0;
/// A perda que o texto do enunciado diz.
pub const STATED_LOSS: f64 = 0.30;
/// Prazo para o servidor começar a responder.
const STARTUP: Duration = Duration::from_secs(10);

/// Quanto um ping espera a sua resposta quando procuramos paradas.
const STALL_WAIT: Duration = Duration::from_secs(5);
/// Acima desta perda medida em lote, procuramos paradas: o código do
/// enunciado perde 36%; um servidor que dorme às vezes perde quase tudo.
const STALL_SUSPECT: f64 = 0.8;
/// Uma resposta que demora mais que isto, ping a ping, é uma parada.
const STALL_MIN: Duration = Duration::from_millis(500);

/// Acima disto, por resposta, o servidor é "lento": a medida da perda usa
/// menos pings e espera cada um pelo tempo medido (lento não é perdido).
const SLOW: Duration = Duration::from_millis(50);

/// Quanto o servidor demora para responder, medido, e o que isso muda nas
/// esperas das conferências seguintes.
#[derive(Debug, Clone, Copy)]
struct Pace {
    /// O menor tempo de resposta medido (`None`: nenhuma resposta na medida).
    delay: Option<Duration>,
    /// O servidor às vezes para (um `time.sleep` sorteado): a maior espera
    /// medida, ping a ping. Ele é rápido quase sempre, mas a fila enche.
    stall: Option<Duration>,
}

impl Pace {
    fn slow(self) -> bool {
        self.stall.is_some() || self.delay.is_some_and(|d| d > SLOW)
    }
    /// O tempo de uma resposta para as contas de prazo: a maior parada, se há.
    fn unit(self) -> Option<Duration> {
        self.stall.or(self.delay)
    }
    /// Quanto esperar, em silêncio, antes de dar uma resposta por perdida.
    fn quiet(self, normal: Duration) -> Duration {
        match (self.stall, self.delay) {
            (Some(s), _) => normal.max(s + Duration::from_millis(500)),
            (None, Some(d)) if d > SLOW => normal.max(d * 3),
            _ => normal,
        }
    }
}

/// Roda as conferências do servidor de ping.
///
/// # Erros
/// O programa não inicia, termina logo, ou nenhum socket UDP está associado à porta.
pub fn check(options: &Options, report: &mut Report) -> Result<(), NotRun> {
    let crate::grade::Started {
        port,
        addrs,
        workspace: _workspace,
        mut server,
    } = crate::grade::start_server(options, cli::PING_PORT, Transport::Udp)?;
    let target = wait_ready(&mut server, &addrs, options.host(), port)?;
    let mut pace = measure_pace(target);
    let (mut checks, rate) = echo_and_loss(target, pace);
    // Quase tudo perdido, mas alguma resposta: pode ser um servidor que às
    // vezes dorme (lento não é perdido, issue 17, item 11). Reiniciado, com
    // a fila vazia, medimos ping a ping.
    if rate.is_some_and(|r| r > STALL_SUSPECT)
        && server.restart().is_ok()
        && let Some(stall) = probe_stall(&mut server, target)
    {
        pace.stall = Some(stall);
        report.notes.push(format!(
            "quase nenhum dos pings mandados em lote teve resposta, mas, um de cada vez, o servidor respondeu, às vezes depois de {}: ele para de vez em quando e a fila enche; o corretor reiniciou o programa e mediu o eco e a perda de novo com poucos pings, esperando cada resposta",
            seconds(stall)
        ));
        checks = echo_and_loss(target, pace).0;
    }
    report.push(pace_check(pace));
    report.extend(checks);
    match back_up(&mut server, "eco e perda", target, options.host(), port) {
        Ok(()) => report.push(two_clients(target, pace)),
        Err(why) => {
            report.push(Check::skipped("ping.dois-clientes", why.clone()));
            report.push(Check::skipped("ping.estranhos", why));
            report.notes.append(&mut server.restarts);
            return Ok(());
        }
    }
    match back_up(&mut server, "dois clientes", target, options.host(), port) {
        Ok(()) => report.push(odd_datagrams(&mut server, target, pace)),
        Err(why) => report.push(Check::skipped("ping.estranhos", why)),
    }
    report.notes.append(&mut server.restarts);
    Ok(())
}

/// Depois de uma conferência: se o servidor caiu, reinicia e espera ele
/// responder. `Err` com o porquê (código de saída e stderr) se não voltou:
/// as conferências seguintes ficam "não conferidas", e isso reprova.
fn back_up(
    server: &mut Server,
    after: &str,
    target: SocketAddr,
    host: &str,
    port: u16,
) -> Result<(), String> {
    if server.ensure_running(after) {
        return wait_ready(server, &[target], host, port)
            .map(drop)
            .map_err(|e| format!("não conferido: reiniciado depois de «{after}», {e}"));
    }
    if server.current.exited().is_some() {
        return Err(format!(
            "não conferido: o servidor não estava rodando ({})",
            server.why_down()
        ));
    }
    Ok(())
}

/// Um socket UDP "conectado" ao servidor: o kernel só nos entrega
/// datagramas vindos dele, e transforma o ICMP "porta inalcançável" em
/// `ConnectionRefused` (é assim que sabemos que nenhum socket usa a porta).
fn socket_to(target: SocketAddr, timeout: Duration) -> io::Result<UdpSocket> {
    let local: SocketAddr = if target.is_ipv4() {
        (Ipv4Addr::LOCALHOST, 0).into()
    } else {
        (Ipv6Addr::LOCALHOST, 0).into()
    };
    let socket = UdpSocket::bind(local)?;
    socket.connect(target)?;
    socket.set_read_timeout(Some(timeout))?;
    Ok(socket)
}

fn is_timeout(err: &io::Error) -> bool {
    pratica_sockets::net::classify(err) == pratica_sockets::net::SocketError::TimedOut
}

/// Manda pings de prontidão a cada endereço até um responder. Um endereço
/// que passou 1,5 s sem recusa (sem ICMP) também serve: há um socket ali,
/// só não responde (ou é lento), e as conferências vão dizer isso. Cada
/// ping espera 250 ms: um servidor lento não acumula uma fila de pings.
fn wait_ready(
    server: &mut Server,
    addrs: &[SocketAddr],
    host: &str,
    port: u16,
) -> Result<SocketAddr, NotRun> {
    let mut probes: Vec<(SocketAddr, UdpSocket, Option<Instant>)> = addrs
        .iter()
        .filter_map(|&a| {
            socket_to(a, Duration::from_millis(20))
                .ok()
                .map(|s| (a, s, None))
        })
        .collect();
    let started = Instant::now();
    let deadline = started + STARTUP;
    let mut n = 0u32;
    while Instant::now() < deadline {
        if server.current.exited().is_some() {
            let why = server.current.describe_exit();
            let tail = server.current.stderr_tail();
            let hint = super::exit_hint(server.words(), &server.current.stderr_text(), port);
            return Err(NotRun(format!(
                "o programa {why} antes de responder a um ping{tail}{hint}"
            )));
        }
        for (addr, socket, quiet_since) in &mut probes {
            n += 1;
            let answer = socket
                .send(format!("pronto? {n}").as_bytes())
                .and_then(|_| receive_within(socket, Duration::from_millis(250)));
            match answer {
                Ok(_) => return Ok(*addr),
                Err(e) if is_timeout(&e) => {
                    let since = *quiet_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > Duration::from_millis(1500) {
                        return Ok(*addr);
                    }
                }
                Err(_) => {
                    *quiet_since = None;
                    child::retry_pause();
                }
            }
        }
    }
    Err(NotRun(format!(
        "nenhuma resposta de {host}:{port} (UDP) em {}: o programa usa esta porta? (mude com --port, ou _PORT_ no comando)",
        seconds(started.elapsed())
    )))
}

/// Espera um datagrama por até `limit` (o socket tem um prazo curto, para
/// ver o ICMP cedo; aqui repetimos até o prazo).
fn receive_within(socket: &UdpSocket, limit: Duration) -> io::Result<usize> {
    let end = Instant::now() + limit;
    let mut buf = [0u8; 2048];
    loop {
        match socket.recv(&mut buf) {
            Err(e) if is_timeout(&e) && Instant::now() < end => continue,
            other => return other,
        }
    }
}

/// "0,31 s", "12 ms": uma duração medida, como se escreve em português.
fn seconds(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{} ms", decimal(d.as_secs_f64() * 1000.0, 2))
    } else if d < Duration::from_secs(1) {
        format!("{} ms", decimal(d.as_secs_f64() * 1000.0, 1))
    } else {
        format!("{} s", decimal(d.as_secs_f64(), 1))
    }
}

/// Mede o tempo de resposta: até 8 pings, um de cada vez, cada um esperando
/// até 2 s pela **sua** resposta (com número); vale o menor tempo, que não
/// inclui a fila de pings de prontidão que o servidor ainda esteja atendendo.
fn measure_pace(target: SocketAddr) -> Pace {
    let Ok(socket) = socket_to(target, Duration::from_millis(20)) else {
        return Pace {
            delay: None,
            stall: None,
        };
    };
    let mut best: Option<Duration> = None;
    let mut buf = [0u8; 2048];
    for i in 0..8 {
        let text = format!("medida {i} abc");
        let sent = Instant::now();
        if socket.send(text.as_bytes()).is_err() {
            break;
        }
        // Já medido uma vez: um ping que demora o triplo disso se perdeu.
        let wait = best.map_or(Duration::from_secs(2), |b| {
            (b * 3 + Duration::from_millis(100)).min(Duration::from_secs(2))
        });
        let end = sent + wait;
        while Instant::now() < end {
            match socket.recv(&mut buf) {
                Ok(n) if buf[..n].eq_ignore_ascii_case(text.as_bytes()) => {
                    let took = sent.elapsed();
                    best = Some(best.map_or(took, |b| b.min(took)));
                    break;
                }
                _ => {}
            }
        }
        if best.is_some_and(|b| b <= SLOW) || (best.is_some() && i >= 3) {
            break;
        }
    }
    Pace {
        delay: best,
        stall: None,
    }
}

fn pace_check(pace: Pace) -> Check {
    if let Some(stall) = pace.stall {
        return Check::fail(
            "ping.atraso",
            format!(
                "quase sempre responde na hora, mas às vezes só depois de {} (medido, ping a ping); com vários pings seguidos, a fila enche e as respostas se perdem. Esse tempo entra no RTT que o cliente mede: procure um time.sleep ou outro trabalho bloqueante antes do sendto",
                seconds(stall)
            ),
        );
    }
    match pace.delay {
        None => Check::skipped(
            "ping.atraso",
            "nenhum ping numerado teve resposta em 2 s, então não deu para medir o tempo de resposta",
        ),
        Some(d) if d > SLOW => Check::fail(
            "ping.atraso",
            format!(
                "cada resposta levou pelo menos {} (medido, ping a ping); a perda foi medida esperando por isso, porque lento não é perdido. Esse tempo entra no RTT que o cliente mede: procure um time.sleep ou outro trabalho bloqueante antes do sendto",
                seconds(d)
            ),
        ),
        Some(d) => Check::pass(
            "ping.atraso",
            format!("respondeu em {} (o menor tempo medido)", seconds(d)),
        ),
    }
}
/// Lê tudo o que chegar até o socket ficar `quiet` sem nada (ou `cap`);
/// devolve quantos datagramas chegaram.
fn drain(socket: &UdpSocket, quiet: Duration, cap: Duration, mut each: impl FnMut(&[u8])) -> usize {
    let _ = socket.set_read_timeout(Some(quiet));
    let end = Instant::now() + cap;
    let mut buf = [0u8; 65536];
    let mut count = 0;
    while Instant::now() < end {
        match socket.recv(&mut buf) {
            Ok(n) => {
                count += 1;
                each(&buf[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    count
}

/// A mensagem do ping `i`: minúsculas, para o eco em maiúsculas aparecer.
fn ping_text(i: usize) -> String {
    format!("ping {i} corretor minusculas-abcxyz")
}

/// O número do ping dentro de uma resposta (a segunda palavra).
fn reply_id(reply: &[u8]) -> Option<usize> {
    std::str::from_utf8(reply)
        .ok()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Intervalo de confiança de Wilson, 99%, para `k` sucessos em `n`: um
/// servidor com 30% de perda de verdade sai "fora dos 30%" só uma vez em cem.
///
/// O de Wilson, e não o "p ± 1,96·erro", porque continua dentro de [0, 1]
/// perto de 0% e de 100% (um servidor sem perda dá exatamente 0).
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let z = 2.576f64;
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

fn percent(x: f64) -> String {
    format!("{}%", decimal(x * 100.0, 1))
}

/// As conferências do eco e da perda, e a perda medida (`None`: nenhuma resposta).
fn echo_and_loss(target: SocketAddr, pace: Pace) -> (Vec<Check>, Option<f64>) {
    let Ok(socket) = socket_to(target, Duration::from_millis(10)) else {
        return (
            vec![Check::fail(
                "ping.eco",
                "não consegui criar o socket de teste",
            )],
            None,
        );
    };
    // Um servidor lento recebe menos pings, e cada lote espera o que ele demora.
    let samples = match pace.unit() {
        Some(d) if pace.slow() => (Duration::from_secs(4).as_millis() / d.as_millis().max(1))
            .clamp(20, SAMPLES as u128) as usize,
        _ => SAMPLES,
    };
    let batch_cap = match pace.unit() {
        Some(d) if pace.slow() => d * (BATCH as u32 + 2),
        _ => Duration::from_secs(1),
    };
    let mut answered = vec![false; samples];
    let (mut upper, mut unchanged, mut other) = (0usize, 0usize, None::<Vec<u8>>);
    let mut first_unchanged = None;
    let mut on_reply = |reply: &[u8]| {
        let Some(i) = reply_id(reply).filter(|&i| i < samples) else {
            other.get_or_insert_with(|| reply.to_vec());
            return;
        };
        let sent = ping_text(i);
        if reply == sent.to_uppercase().as_bytes() {
            upper += 1;
        } else if reply == sent.as_bytes() {
            unchanged += 1;
            first_unchanged.get_or_insert(sent);
        } else {
            other.get_or_insert_with(|| reply.to_vec());
        }
        answered[i] = true;
    };
    for start in (0..samples).step_by(BATCH) {
        for i in start..(start + BATCH).min(samples) {
            let _ = socket.send(ping_text(i).as_bytes());
        }
        let got = drain(
            &socket,
            pace.quiet(Duration::from_millis(10)),
            batch_cap,
            &mut on_reply,
        );
        // Poucas respostas no lote: o servidor pode só estar sem CPU (numa
        // máquina ocupada); esperamos mais antes do próximo lote, para não
        // encher o buffer dele e medir como perda o que o kernel descartou.
        if got * 5 < BATCH * 2 {
            drain(
                &socket,
                pace.quiet(Duration::from_millis(100)),
                batch_cap,
                &mut on_reply,
            );
        }
    }
    // Respostas atrasadas ainda contam: cada uma traz o seu número.
    drain(
        &socket,
        pace.quiet(Duration::from_millis(300)),
        Duration::from_secs(2).max(pace.quiet(Duration::ZERO) * 2),
        &mut on_reply,
    );
    let got = answered.iter().filter(|&&a| a).count();

    let mut out = Vec::new();
    out.push(if got == 0 {
        Check::fail(
            "ping.eco",
            format!(
                "nenhum dos {samples} pings teve resposta; o servidor precisa devolver a mensagem com sendto(message.upper(), address)"
            ),
        )
    } else if unchanged > 0 {
        Check::fail(
            "ping.eco",
            format!(
                "{unchanged} de {got} respostas voltaram sem mudar (mandei «{}», voltou igual); passe para maiúsculas com message.upper() antes do sendto",
                first_unchanged.unwrap_or_default()
            ),
        )
    } else if let Some(odd) = other {
        Check::fail(
            "ping.eco",
            format!(
                "uma resposta não é o ping em maiúsculas: «{}»; devolva exatamente a mensagem recebida, em maiúsculas",
                printable(&odd[..odd.len().min(80)])
            ),
        )
    } else {
        Check::pass(
            "ping.eco",
            format!(
                "{upper} respostas, todas iguais ao ping em maiúsculas («{}»)",
                ping_text(7).to_uppercase()
            ),
        )
    });

    if got == 0 {
        out.push(Check::fail(
            "ping.perda",
            "nenhuma resposta: perder tudo não é simular perda (e sem resposta não dá para medir a perda)",
        ));
        return (out, None);
    }
    let lost = samples - got;
    let rate = lost as f64 / samples as f64;
    let (low, high) = wilson(lost, samples);
    let measured = format!(
        "{lost} de {samples} pings sem resposta: perda de {} (intervalo de 99%: {} a {})",
        percent(rate),
        percent(low),
        percent(high)
    );
    let loss = if rate < 0.05 {
        Check::fail(
            "ping.perda",
            format!(
                "{measured}; o servidor não simula perda: sorteie e descarte, como em «if rand < 4: continue»"
            ),
        )
    } else if rate > 0.95 {
        Check::fail(
            "ping.perda",
            format!(
                "{measured}; perder quase tudo não é simular perda: confira a condição do sorteio"
            ),
        )
    } else {
        Check::pass("ping.perda", measured)
    };
    let simulated = loss.verdict == Verdict::Pass;
    out.push(loss);
    if !simulated {
        return (out, Some(rate));
    }
    out.push(if (low..=high).contains(&STATED_LOSS) {
        Check::pass(
            "ping.perda-30",
            format!(
                "a perda medida ({}) é compatível com os 30% do texto",
                percent(rate)
            ),
        )
    } else if (low..=high).contains(&KUROSE_LOSS) {
        Check::warn(
            "ping.perda-30",
            format!(
                "a perda medida ({}, de {} a {}) é a do código do enunciado, não os 30% do texto: randint(0, 10) sorteia 11 valores e 4 deles são < 4, 4/11 ≈ 36,4%; para 30%, use random.random() < 0.3 (ou randint(1, 10) <= 3)",
                percent(rate),
                percent(low),
                percent(high)
            ),
        )
    } else {
        Check::warn(
            "ping.perda-30",
            format!(
                "a perda medida ({}, de {} a {}) não é a de 30% que o texto diz; confira a condição do sorteio",
                percent(rate),
                percent(low),
                percent(high)
            ),
        )
    });
    (out, Some(rate))
}

/// Depois de uma perda de quase tudo: o servidor só está parado às vezes
/// (um `time.sleep` sorteado)? Pings um de cada vez, cada um esperando até
/// [`STALL_WAIT`] pela sua resposta; devolve a maior espera, se alguma
/// passou de [`STALL_MIN`]. Quatro perdas seguidas: é perda mesmo.
///
/// Sem [`wait_ready`] antes: os pings de prontidão dele (um a cada 250 ms)
/// encheriam de novo a fila de um servidor parado. Aqui, enquanto o
/// programa recém-reiniciado não escuta (ICMP «porta inalcançável»), o
/// mesmo ping é mandado de novo.
fn probe_stall(server: &mut Server, target: SocketAddr) -> Option<Duration> {
    let socket = socket_to(target, Duration::from_millis(50)).ok()?;
    let startup = Instant::now() + STARTUP;
    let mut longest: Option<Duration> = None;
    let mut lost_in_row = 0;
    let mut buf = [0u8; 2048];
    for i in 0..12 {
        let text = format!("lento {i} abc");
        let mut sent = Instant::now();
        socket.send(text.as_bytes()).ok()?;
        let mut took = None;
        while sent.elapsed() < STALL_WAIT {
            match socket.recv(&mut buf) {
                Ok(n) if buf[..n].eq_ignore_ascii_case(text.as_bytes()) => {
                    took = Some(sent.elapsed());
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                    if server.current.exited().is_some() || Instant::now() > startup {
                        return None;
                    }
                    child::retry_pause();
                    sent = Instant::now();
                    socket.send(text.as_bytes()).ok()?;
                }
                _ => {}
            }
        }
        match took {
            Some(t) => {
                lost_in_row = 0;
                if t > STALL_MIN {
                    longest = Some(longest.map_or(t, |l| l.max(t)));
                }
            }
            None => {
                lost_in_row += 1;
                if lost_in_row >= 4 {
                    break;
                }
            }
        }
        if longest.is_some() && i >= 5 {
            break;
        }
    }
    longest
}

fn two_clients(target: SocketAddr, pace: Pace) -> Check {
    const ID: &str = "ping.dois-clientes";
    let (Ok(a), Ok(b)) = (
        socket_to(target, Duration::from_millis(100)),
        socket_to(target, Duration::from_millis(100)),
    ) else {
        return Check::fail(ID, "não consegui criar os sockets de teste");
    };
    let each = if pace.slow() { 5 } else { 40 };
    let cap = match pace.unit() {
        Some(d) if pace.slow() => d * (2 * each + 4),
        _ => Duration::from_secs(2),
    };
    for i in 0..each {
        let _ = a.send(format!("cliente-a {i} abc").as_bytes());
        let _ = b.send(format!("cliente-b {i} abc").as_bytes());
    }
    // Num servidor lento, que às vezes dorme segundos, um silêncio não quer
    // dizer que acabou: espera-se o prazo inteiro.
    let quiet = if pace.slow() {
        cap
    } else {
        pace.quiet(Duration::from_millis(150))
    };
    let tally = |socket: &UdpSocket, mine: &str| {
        let (mut ok, mut wrong) = (0, 0);
        drain(socket, quiet, cap, |reply| {
            if reply.to_ascii_lowercase().starts_with(mine.as_bytes()) {
                ok += 1;
            } else {
                wrong += 1;
            }
        });
        (ok, wrong)
    };
    let (a_ok, a_wrong) = tally(&a, "cliente-a");
    let (b_ok, b_wrong) = tally(&b, "cliente-b");
    let observed = format!(
        "o cliente A recebeu {a_ok} ecos seus e {a_wrong} do B; o B, {b_ok} seus e {b_wrong} do A"
    );
    if a_wrong + b_wrong > 0 {
        Check::fail(
            ID,
            format!(
                "{observed}; responda para o endereço que veio junto com cada mensagem (message, address = recvfrom(...); sendto(..., address))"
            ),
        )
    } else if a_ok == 0 || b_ok == 0 {
        Check::fail(
            ID,
            format!(
                "{observed}; um dos clientes ficou sem resposta: responda a cada datagrama para o address dele"
            ),
        )
    } else {
        Check::pass(ID, observed)
    }
}

/// O servidor ainda responde? Até 30 pings de 100 ms (com 36% de perda,
/// a chance de todos se perderem é menor que 10⁻¹³); num servidor lento,
/// 12 pings, cada um esperando três vezes o tempo de resposta medido.
fn alive(target: SocketAddr, pace: Pace) -> bool {
    let wait = pace.quiet(Duration::from_millis(100));
    let Ok(socket) = socket_to(target, wait) else {
        return false;
    };
    let tries = if pace.slow() { 12 } else { 30 };
    let mut buf = [0u8; 2048];
    (0..tries).any(|i| {
        socket.send(format!("vivo? {i}").as_bytes()).is_ok() && socket.recv(&mut buf).is_ok()
    })
}

fn odd_datagrams(server: &mut Server, target: SocketAddr, pace: Pace) -> Check {
    const ID: &str = "ping.estranhos";
    let odd: [(&str, Vec<u8>); 3] = [
        ("vazio", Vec::new()),
        (
            "de 4000 bytes (maior que o recvfrom(1024))",
            vec![b'a'; 4000],
        ),
        (
            "binário, que não é UTF-8",
            vec![0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, b'a'],
        ),
    ];
    for (what, payload) in &odd {
        if let Ok(socket) = socket_to(target, Duration::from_millis(100)) {
            let _ = socket.send(payload);
        }
        let started = Instant::now();
        if !alive(target, pace) || server.current.exited().is_some() {
            let waited = seconds(started.elapsed());
            let state = if server.current.exited().is_some() {
                format!("o servidor {}", server.current.describe_exit())
            } else {
                format!("o servidor continuou rodando, mas não respondeu a nenhum ping em {waited}")
            };
            let tail = server.current.stderr_tail();
            return Check::fail(
                ID,
                format!(
                    "depois de um datagrama {what}, {state}{tail}; um servidor não pode cair por causa de um pacote: trate a exceção (try/except) e siga no laço"
                ),
            );
        }
    }
    Check::pass(
        ID,
        "respondeu normalmente depois de um datagrama vazio, um de 4000 bytes e um binário (no Windows, um datagrama maior que o buffer vira erro no recvfrom: trate OSError)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_separates_thirty_from_four_elevenths() {
        let (low, high) = wilson(727, SAMPLES); // 36,4%
        assert!(low > STATED_LOSS && high > KUROSE_LOSS && low < KUROSE_LOSS);
        let (low, high) = wilson(600, SAMPLES); // 30%
        assert!(low < STATED_LOSS && high < KUROSE_LOSS);
        assert!(wilson(0, SAMPLES).0 < 1e-12);
    }

    #[test]
    fn reply_ids_come_from_the_second_word() {
        assert_eq!(reply_id(b"PING 42 CORRETOR"), Some(42));
        assert_eq!(reply_id(b"PING"), None);
        assert_eq!(reply_id(&[0xff, b' ', b'1']), None);
    }
}
