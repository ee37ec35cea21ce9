//! O cliente de ping da seção 2 ("Código do Cliente" e "Saídas").
//!
//! Envia `count` pings de **um só** socket UDP, espera cada resposta até
//! `timeout`, casa respostas com pings pelo número de sequência e termina
//! com as estatísticas. Roda com `make ping-client`; explicado em
//! `lessons/02-udp-pinger.md`.
//!
//! Invariante: uma resposta atrasada de um ping anterior nunca é contada
//! como resposta do ping atual.

use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use super::stats::PingStats;
use crate::cli::printable;
use crate::clock::{DateTime, LocalZone, unix_now};

/// O que o cliente precisa saber para rodar.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    pub host: String,
    pub port: u16,
    pub count: u32,
    pub timeout: Duration,
}

/// Resolve `host` e escolhe um endereço, preferindo IPv4.
///
/// `localhost` costuma resolver para `::1` **e** `127.0.0.1`. O servidor do
/// enunciado (e o nosso, por padrão) escuta só em IPv4; se escolhêssemos
/// `::1`, todos os pings seriam recusados. Literais IPv6 (`::1`) continuam
/// funcionando, porque aí não há endereço IPv4 para preferir.
///
/// # Erros
/// Nome que não resolve, ou que resolve para nenhum endereço.
pub fn resolve(host: &str, port: u16) -> io::Result<SocketAddr> {
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "nenhum endereço encontrado"))
}

/// `host:porta`, com colchetes quando o host é um IPv6 literal.
pub fn display_target(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A mensagem de cada ping, no formato do livro: `Ping <seq> <timestamp>`.
pub fn ping_message(seq: u32, unix_time: Duration) -> String {
    format!(
        "Ping {seq} {}.{:06}",
        unix_time.as_secs(),
        unix_time.subsec_micros()
    )
}

/// O número de sequência de uma resposta (`PING 3 1732…`), se ela tiver um.
pub fn reply_sequence(reply: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(reply).ok()?;
    let mut words = text.split(' ');
    if !words.next()?.eq_ignore_ascii_case("ping") {
        return None;
    }
    let seq = words.next()?;
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok()
}

/// O resultado de esperar a resposta de um ping.
enum Wait {
    Reply(Vec<u8>, Duration),
    Lost,
    Refused,
}

/// Roda o cliente: imprime uma linha por ping em `out`, avisos em `err`, e
/// as estatísticas no fim.
///
/// # Erros
/// Nome que não resolve, ou falha do socket que não é perda (nem recusa).
pub fn run(
    config: &ClientConfig,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<PingStats> {
    let server = resolve(&config.host, config.port)?;
    // Porta 0: o kernel escolhe uma porta livre para o nosso lado.
    let local: SocketAddr = if server.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local)?;
    // `connect` num socket UDP não manda nada pela rede: só fixa o destino.
    // Com isso o kernel (1) descarta datagramas de outros remetentes e
    // (2) nos entrega o ICMP "porta inalcançável" como ConnectionRefused.
    socket.connect(server)?;

    let zone = LocalZone::load();
    let mut stats = PingStats::default();
    for seq in 1..=config.count {
        let now = unix_now();
        let message = ping_message(seq, now);
        let sent_at = Instant::now();
        let wait = match socket.send(message.as_bytes()) {
            Ok(_) => wait_for_reply(&socket, seq, sent_at, config.timeout, err)?,
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => Wait::Refused,
            Err(e) => return Err(e),
        };
        match wait {
            Wait::Reply(reply, rtt) => {
                let when = match &zone {
                    Some(zone) => zone.to_local(now.as_secs() as i64).format_br(),
                    None => format!(
                        "{} UTC",
                        DateTime::from_unix(now.as_secs() as i64).format_br()
                    ),
                };
                writeln!(
                    out,
                    "Ping: {seq} Data e Hora: {when} Mensagem do servidor: {} RTT: {:.3} ms",
                    printable(&reply),
                    rtt.as_secs_f64() * 1000.0
                )?;
                stats.record(Some(rtt));
            }
            Wait::Lost | Wait::Refused => {
                writeln!(out, "Ping: {seq} Pacote foi perdido durante a transmissão")?;
                if let Wait::Refused = wait {
                    let _ = writeln!(
                        err,
                        "aviso: conexão recusada: o servidor em {} parece inalcançável",
                        display_target(&config.host, config.port)
                    );
                }
                stats.record(None);
            }
        }
        out.flush()?;
    }
    write!(
        out,
        "\n{}",
        stats.report(&display_target(&config.host, config.port))
    )?;
    out.flush()?;
    Ok(stats)
}

/// Espera a resposta do ping `seq` até `timeout` depois do envio, ignorando
/// as respostas de pings anteriores.
fn wait_for_reply(
    socket: &UdpSocket,
    seq: u32,
    sent_at: Instant,
    timeout: Duration,
    err: &mut impl Write,
) -> io::Result<Wait> {
    let deadline = sent_at + timeout;
    let mut buf = [0u8; 2048];
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Ok(Wait::Lost);
        }
        // O timeout vale para cada chamada de recv: recalculamos o que falta
        // até o prazo, para que respostas atrasadas não estiquem a espera.
        socket.set_read_timeout(Some(deadline - now))?;
        match socket.recv(&mut buf) {
            Ok(len) => {
                // O RTT é medido com `Instant` (relógio monotônico): ajustes
                // do relógio do sistema não o estragam.
                let rtt = sent_at.elapsed();
                let reply = &buf[..len];
                match reply_sequence(reply) {
                    Some(got) if got == seq => return Ok(Wait::Reply(reply.to_vec(), rtt)),
                    Some(got) => {
                        let _ = writeln!(err, "aviso: resposta atrasada do ping {got} ignorada");
                    }
                    None => {
                        let _ = writeln!(
                            err,
                            "aviso: resposta inesperada ignorada: {}",
                            printable(reply)
                        );
                    }
                }
            }
            // Linux devolve WouldBlock (EAGAIN) quando o timeout vence;
            // o Windows devolve TimedOut. Os dois querem dizer "perdido".
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(Wait::Lost);
            }
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => return Ok(Wait::Refused),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
