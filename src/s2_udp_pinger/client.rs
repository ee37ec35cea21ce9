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
use std::net::UdpSocket;
use std::time::{Duration, Instant};

use super::stats::PingStats;
use crate::clock::{LocalClock, unix_now};
use crate::net::{self, SocketError, printable};

/// O que o cliente precisa saber para rodar.
#[derive(Debug, Clone, PartialEq)]
pub struct PingConfig {
    pub host: String,
    pub port: u16,
    pub count: u32,
    pub timeout: Duration,
}

impl PingConfig {
    /// Os 10 pings e o timeout de 1 s do enunciado, para `host:port`.
    pub fn new(host: &str, port: u16) -> PingConfig {
        PingConfig {
            host: host.to_string(),
            port,
            count: 10,
            timeout: Duration::from_secs(1),
        }
    }
}

/// A mensagem de cada ping, no formato do livro: `Ping <seq> <timestamp>`.
fn ping_message(seq: u32, unix_time: Duration) -> String {
    format!(
        "Ping {seq} {}.{:06}",
        unix_time.as_secs(),
        unix_time.subsec_micros()
    )
}

/// O número de sequência de uma resposta (`PING 3 1732…`), se ela tiver um.
fn reply_sequence(reply: &[u8]) -> Option<u32> {
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
    /// O ICMP "porta inalcançável": o ping se perdeu, e sabemos por quê.
    Unreachable,
}

/// O que o laço do cliente usa do socket. É um trait só para que os testes
/// troquem o socket por erros construídos (o `ConnectionReset` do Windows,
/// por exemplo, que não dá para provocar no Linux).
trait Link {
    fn send(&self, data: &[u8]) -> io::Result<usize>;
    /// Espera um datagrama por no máximo `timeout`.
    fn recv(&self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
}

impl Link for UdpSocket {
    fn send(&self, data: &[u8]) -> io::Result<usize> {
        UdpSocket::send(self, data)
    }

    fn recv(&self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        // `set_read_timeout` grava no socket a opção SO_RCVTIMEO: se nada
        // chegar nesse tempo, o `recv` desiste e devolve erro.
        self.set_read_timeout(Some(timeout))?;
        UdpSocket::recv(self, buf)
    }
}

/// Roda o cliente: imprime uma linha por ping em `out`, avisos em `err`, e
/// as estatísticas no fim.
///
/// # Erros
/// Nome que não resolve, ou falha do socket que não é perda (nem recusa).
pub fn run(
    config: &PingConfig,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<PingStats> {
    let server = net::resolve(&config.host, config.port)?;
    // Porta 0: o kernel escolhe uma porta livre para o nosso lado.
    let local = net::unspecified_for(server);
    let socket = UdpSocket::bind(local)?;
    // `connect` num socket UDP não manda nada pela rede: só fixa o destino.
    // Com isso o kernel (1) descarta datagramas de outros remetentes e
    // (2) nos entrega o ICMP "porta inalcançável" como erro no próximo `recv`.
    socket.connect(server)?;
    ping_loop(&socket, config, out, err)
}

/// Os `count` pings e as estatísticas, sobre qualquer [`Link`].
fn ping_loop(
    socket: &impl Link,
    config: &PingConfig,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<PingStats> {
    let clock = LocalClock::load();
    if !clock.knows_zone() {
        let _ = writeln!(
            err,
            "aviso: fuso horário desconhecido; as horas saem em UTC (defina TZ; para Brasília: export TZ='<-03>3' no bash, $env:TZ = '<-03>3' no PowerShell, set \"TZ=<-03>3\" no cmd; veja o README)"
        );
    }
    let mut stats = PingStats::default();
    for seq in 1..=config.count {
        let now = unix_now();
        let message = ping_message(seq, now);
        let sent_at = Instant::now();
        let wait = match socket.send(message.as_bytes()) {
            Ok(_) => wait_for_reply(socket, seq, sent_at, config.timeout, err)?,
            // O ICMP de um ping anterior pode aparecer já no `send`.
            Err(e) if net::classify(&e) == SocketError::PortUnreachable => Wait::Unreachable,
            Err(e) => return Err(e),
        };
        match wait {
            Wait::Reply(reply, rtt) => {
                let when = clock.format_br(now.as_secs() as i64);
                writeln!(
                    out,
                    "Ping: {seq} Data e Hora: {when} Mensagem do servidor: {} RTT: {:.3} ms",
                    printable(&reply),
                    rtt.as_secs_f64() * 1000.0
                )?;
                stats.record(Some(rtt));
            }
            Wait::Lost | Wait::Unreachable => {
                writeln!(out, "Ping: {seq} Pacote foi perdido durante a transmissão")?;
                if let Wait::Unreachable = wait {
                    // UDP não tem conexão para ser "recusada": quem respondeu
                    // foi o sistema do outro lado, com um ICMP.
                    let _ = writeln!(
                        err,
                        "aviso: {} respondeu \"porta inalcançável\" (ICMP): nenhum programa tem um socket associado a essa porta UDP",
                        net::host_port(&config.host, config.port)
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
        stats.report(&net::host_port(&config.host, config.port))
    )?;
    out.flush()?;
    Ok(stats)
}

/// Espera a resposta do ping `seq` até `timeout` depois do envio, ignorando
/// as respostas de pings anteriores.
fn wait_for_reply(
    socket: &impl Link,
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
        match socket.recv(&mut buf, deadline - now) {
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
            // Prazo vencido (WouldBlock no Linux, TimedOut no Windows: veja
            // `net::classify`) quer dizer "perdido".
            Err(e) => match net::classify(&e) {
                SocketError::TimedOut => return Ok(Wait::Lost),
                SocketError::PortUnreachable => return Ok(Wait::Unreachable),
                SocketError::Interrupted => continue,
                SocketError::Other => return Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Um "socket" que manda sempre e, no `recv`, devolve o erro pedido.
    struct Failing(io::ErrorKind, Cell<u32>);

    impl Link for Failing {
        fn send(&self, data: &[u8]) -> io::Result<usize> {
            Ok(data.len())
        }
        fn recv(&self, _: &mut [u8], _: Duration) -> io::Result<usize> {
            self.1.set(self.1.get() + 1);
            Err(self.0.into())
        }
    }

    fn run_against(kind: io::ErrorKind) -> (io::Result<PingStats>, String, String, u32) {
        let config = PingConfig {
            host: "127.0.0.1".into(),
            port: 9,
            count: 3,
            timeout: Duration::from_secs(1),
        };
        let link = Failing(kind, Cell::new(0));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = ping_loop(&link, &config, &mut out, &mut err);
        let text = |v: Vec<u8>| String::from_utf8(v).unwrap();
        (result, text(out), text(err), link.1.get())
    }

    #[test]
    fn windows_connection_reset_counts_as_lost_and_still_prints_statistics() {
        let (result, out, err, recvs) = run_against(io::ErrorKind::ConnectionReset);
        assert_eq!(result.unwrap().received(), 0);
        assert_eq!(recvs, 3, "um recv por ping, sem girar");
        assert_eq!(out.matches("Pacote foi perdido").count(), 3, "{out}");
        assert!(out.contains("3 pacotes transmitidos, 0 recebidos, 100% de perda"));
        assert!(err.contains("porta inalcançável"), "{err}");
        assert!(
            !err.contains("recusad"),
            "UDP não tem conexão para recusar: {err}"
        );
    }

    #[test]
    fn linux_connection_refused_counts_as_lost_and_still_prints_statistics() {
        let (result, out, err, _) = run_against(io::ErrorKind::ConnectionRefused);
        assert!(result.is_ok());
        assert!(out.contains("3 pacotes transmitidos, 0 recebidos, 100% de perda"));
        assert!(
            err.contains("127.0.0.1:9 respondeu \"porta inalcançável\""),
            "{err}"
        );
    }

    #[test]
    fn timeout_of_either_kind_is_a_silent_loss() {
        for kind in [io::ErrorKind::WouldBlock, io::ErrorKind::TimedOut] {
            let (result, out, err, _) = run_against(kind);
            assert!(result.is_ok());
            assert_eq!(out.matches("Pacote foi perdido").count(), 3);
            assert!(!err.contains("inalcançável"), "{err}");
        }
    }

    #[test]
    fn other_socket_errors_stop_the_client() {
        let (result, _, _, _) = run_against(io::ErrorKind::PermissionDenied);
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::PermissionDenied);
    }
}
