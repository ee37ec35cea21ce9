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

use super::child::{self, Server, Workspace};
use super::report::{Kind, Report, Verdict, decimal};
use super::{NotRun, Options, Transport};
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

/// Roda as conferências do servidor de ping.
///
/// # Erros
/// O programa não inicia, termina logo, ou nenhum socket UDP está associado à porta.
pub fn check(options: &Options, report: &mut Report) -> Result<(), NotRun> {
    let port = super::choose_port(options, 12000, Transport::Udp);
    super::port_free(port, Transport::Udp)?;
    let addrs = super::addresses(options.host(), port)?;
    let workspace = Workspace::new().map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
    let words = child::expand(&options.command, options.host(), port, "", &options.base);
    let mut server = Server::start(words.clone(), &workspace.served)
        .map_err(|e| super::spawn_error(&words, &e))?;
    let target = wait_ready(&mut server, &addrs, options.host(), port)?;

    echo_and_loss(target, report);
    if server.ensure_running("eco e perda") {
        wait_ready(&mut server, &[target], options.host(), port)?;
    }
    two_clients(target, report);
    if server.ensure_running("dois clientes") {
        wait_ready(&mut server, &[target], options.host(), port)?;
    }
    odd_datagrams(&mut server, target, report);
    report.notes.append(&mut server.restarts);
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
/// só não responde, e as conferências vão dizer isso.
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
    let deadline = Instant::now() + STARTUP;
    let mut n = 0u32;
    while Instant::now() < deadline {
        if server.current.exited().is_some() {
            let why = server.current.describe_exit();
            let tail = server.current.stderr_tail();
            return Err(NotRun(format!(
                "o programa {why} antes de responder a um ping{tail}"
            )));
        }
        for (addr, socket, quiet_since) in &mut probes {
            n += 1;
            let sent = socket.send(format!("pronto? {n}").as_bytes());
            let mut buf = [0u8; 2048];
            let answer = sent.and_then(|_| socket.recv(&mut buf));
            match answer {
                Ok(_) => return Ok(*addr),
                Err(e) if is_timeout(&e) => {
                    let since = *quiet_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > Duration::from_millis(1500) {
                        return Ok(*addr);
                    }
                }
                Err(_) => *quiet_since = None,
            }
        }
    }
    Err(NotRun(format!(
        "nenhuma resposta de {host}:{port} (UDP) em {} s: o programa usa esta porta? (mude com --port, ou {{port}} no comando)",
        STARTUP.as_secs()
    )))
}

/// Lê tudo o que chegar até o socket ficar `quiet` sem nada (ou `cap`).
fn drain(socket: &UdpSocket, quiet: Duration, cap: Duration, mut each: impl FnMut(&[u8])) {
    let _ = socket.set_read_timeout(Some(quiet));
    let end = Instant::now() + cap;
    let mut buf = [0u8; 65536];
    while Instant::now() < end {
        match socket.recv(&mut buf) {
            Ok(n) => each(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
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

fn echo_and_loss(target: SocketAddr, report: &mut Report) {
    const SERVER: &str = "Código do Servidor";
    let Ok(socket) = socket_to(target, Duration::from_millis(10)) else {
        report.add(
            SERVER,
            Kind::Required,
            Verdict::Fail,
            "eco em maiúsculas",
            "não consegui criar o socket de teste",
        );
        return;
    };
    let mut answered = vec![false; SAMPLES];
    let (mut upper, mut unchanged, mut other) = (0usize, 0usize, None::<Vec<u8>>);
    let mut first_unchanged = None;
    let mut on_reply = |reply: &[u8]| {
        let Some(i) = reply_id(reply).filter(|&i| i < SAMPLES) else {
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
    for start in (0..SAMPLES).step_by(BATCH) {
        for i in start..(start + BATCH).min(SAMPLES) {
            let _ = socket.send(ping_text(i).as_bytes());
        }
        drain(
            &socket,
            Duration::from_millis(10),
            Duration::from_secs(1),
            &mut on_reply,
        );
    }
    // Respostas atrasadas ainda contam: cada uma traz o seu número.
    drain(
        &socket,
        Duration::from_millis(300),
        Duration::from_secs(2),
        &mut on_reply,
    );
    let got = answered.iter().filter(|&&a| a).count();

    let (verdict, detail) = if got == 0 {
        (
            Verdict::Fail,
            format!(
                "nenhum dos {SAMPLES} pings teve resposta; o servidor precisa devolver a mensagem com sendto(message.upper(), address)"
            ),
        )
    } else if unchanged > 0 {
        (
            Verdict::Fail,
            format!(
                "{unchanged} de {got} respostas voltaram sem mudar (mandei «{}», voltou igual); passe para maiúsculas com message.upper() antes do sendto",
                first_unchanged.unwrap_or_default()
            ),
        )
    } else if let Some(odd) = other {
        (
            Verdict::Fail,
            format!(
                "uma resposta não é o ping em maiúsculas: «{}»; devolva exatamente a mensagem recebida, em maiúsculas",
                printable(&odd[..odd.len().min(80)])
            ),
        )
    } else {
        (
            Verdict::Pass,
            format!(
                "{upper} respostas, todas iguais ao ping em maiúsculas («{}»)",
                ping_text(7).to_uppercase()
            ),
        )
    };
    report.add(SERVER, Kind::Required, verdict, "eco em maiúsculas", detail);

    const LOSS: &str = "Perda de Pacotes";
    if got == 0 {
        report.add(
            LOSS,
            Kind::Required,
            Verdict::Skipped,
            "simula perda",
            "sem nenhuma resposta não dá para medir a perda",
        );
        return;
    }
    let lost = SAMPLES - got;
    let rate = lost as f64 / SAMPLES as f64;
    let (low, high) = wilson(lost, SAMPLES);
    let measured = format!(
        "{lost} de {SAMPLES} pings sem resposta: perda de {} (intervalo de 99%: {} a {})",
        percent(rate),
        percent(low),
        percent(high)
    );
    let (verdict, detail) = if rate < 0.05 {
        (
            Verdict::Fail,
            format!(
                "{measured}; o servidor não simula perda: sorteie e descarte, como em «if rand < 4: continue»"
            ),
        )
    } else if rate > 0.95 {
        (
            Verdict::Fail,
            format!(
                "{measured}; perder quase tudo não é simular perda: confira a condição do sorteio"
            ),
        )
    } else {
        (Verdict::Pass, measured)
    };
    report.add(LOSS, Kind::Required, verdict, "simula perda", detail);
    if verdict != Verdict::Pass {
        return;
    }
    let (verdict, detail) = if (low..=high).contains(&STATED_LOSS) {
        (
            Verdict::Pass,
            format!(
                "a perda medida ({}) é compatível com os 30% do texto",
                percent(rate)
            ),
        )
    } else if (low..=high).contains(&KUROSE_LOSS) {
        (
            Verdict::Warn,
            format!(
                "a perda medida ({}, de {} a {}) é a do código do enunciado, não os 30% do texto: randint(0, 10) sorteia 11 valores e 4 deles são < 4, 4/11 ≈ 36,4%; para 30%, use random.random() < 0.3 (ou randint(1, 10) <= 3)",
                percent(rate),
                percent(low),
                percent(high)
            ),
        )
    } else {
        (
            Verdict::Warn,
            format!(
                "a perda medida ({}, de {} a {}) não é a de 30% que o texto diz; confira a condição do sorteio",
                percent(rate),
                percent(low),
                percent(high)
            ),
        )
    };
    report.add(
        LOSS,
        Kind::Practice,
        verdict,
        "perda de 30%, como o texto diz",
        detail,
    );
}

fn two_clients(target: SocketAddr, report: &mut Report) {
    const SERVER: &str = "Código do Servidor";
    let name = "dois clientes ao mesmo tempo, sem misturar as respostas";
    let (Ok(a), Ok(b)) = (
        socket_to(target, Duration::from_millis(100)),
        socket_to(target, Duration::from_millis(100)),
    ) else {
        report.add(
            SERVER,
            Kind::Required,
            Verdict::Fail,
            name,
            "não consegui criar os sockets de teste",
        );
        return;
    };
    for i in 0..40 {
        let _ = a.send(format!("cliente-a {i} abc").as_bytes());
        let _ = b.send(format!("cliente-b {i} abc").as_bytes());
    }
    let tally = |socket: &UdpSocket, mine: &str| {
        let (mut ok, mut wrong) = (0, 0);
        drain(
            socket,
            Duration::from_millis(150),
            Duration::from_secs(2),
            |reply| {
                if reply.to_ascii_lowercase().starts_with(mine.as_bytes()) {
                    ok += 1;
                } else {
                    wrong += 1;
                }
            },
        );
        (ok, wrong)
    };
    let (a_ok, a_wrong) = tally(&a, "cliente-a");
    let (b_ok, b_wrong) = tally(&b, "cliente-b");
    let observed = format!(
        "o cliente A recebeu {a_ok} ecos seus e {a_wrong} do B; o B, {b_ok} seus e {b_wrong} do A"
    );
    let (verdict, detail) = if a_wrong + b_wrong > 0 {
        (
            Verdict::Fail,
            format!(
                "{observed}; responda para o endereço que veio junto com cada mensagem (message, address = recvfrom(...); sendto(..., address))"
            ),
        )
    } else if a_ok == 0 || b_ok == 0 {
        (
            Verdict::Fail,
            format!(
                "{observed}; um dos clientes ficou sem resposta: responda a cada datagrama para o address dele"
            ),
        )
    } else {
        (Verdict::Pass, observed)
    };
    report.add(SERVER, Kind::Required, verdict, name, detail);
}

/// O servidor ainda responde? Até 30 pings de 100 ms (com 36% de perda,
/// a chance de todos se perderem é menor que 10⁻¹³).
fn alive(target: SocketAddr) -> bool {
    let Ok(socket) = socket_to(target, Duration::from_millis(100)) else {
        return false;
    };
    let mut buf = [0u8; 2048];
    (0..30).any(|i| {
        socket.send(format!("vivo? {i}").as_bytes()).is_ok() && socket.recv(&mut buf).is_ok()
    })
}

fn odd_datagrams(server: &mut Server, target: SocketAddr, report: &mut Report) {
    const SERVER: &str = "Código do Servidor";
    let name = "continua atendendo depois de datagramas estranhos";
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
        if !alive(target) || server.current.exited().is_some() {
            let tail = server.current.stderr_tail();
            report.add(
                SERVER,
                Kind::Practice,
                Verdict::Fail,
                name,
                format!("depois de um datagrama {what}, o servidor parou de responder{tail}; um servidor não pode cair por causa de um pacote: trate a exceção (try/except) e siga no laço"),
            );
            return;
        }
    }
    report.add(
        SERVER,
        Kind::Practice,
        Verdict::Pass,
        name,
        "respondeu normalmente depois de um datagrama vazio, um de 4000 bytes e um binário (no Windows, um datagrama maior que o buffer vira erro no recvfrom: trate OSError)",
    );
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
