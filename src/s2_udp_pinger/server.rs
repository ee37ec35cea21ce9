//! O servidor de ping da seção 2 ("Código do Servidor" e "Perda de Pacotes").
//!
//! Recebe cada datagrama num buffer de 1024 bytes, passa as letras ASCII para
//! maiúsculas e, sorteando com [`Loss`], descarta o pacote ou devolve ao
//! remetente. Roda com `make ping-server`; explicado em `lessons/02-udp-pinger.md`.
//!
//! Invariante: nenhum datagrama (vazio, grande, binário) e nenhum erro de
//! recepção derruba o laço; tudo vira uma linha de log em stderr.

use std::io::{self, Write};
use std::net::{SocketAddr, UdpSocket};

use super::xorshift::Loss;
use crate::net::{self, SocketError};

/// O tamanho do buffer de recepção, o mesmo `recvfrom(1024)` do enunciado.
/// Um datagrama maior é truncado pelo kernel: o resto se perde.
pub const BUFFER_SIZE: usize = 1024;

/// A perda simulada quando ninguém pede outra: os 30% do enunciado.
pub const DEFAULT_LOSS: f64 = 0.30;

/// Quantos erros de recepção seguidos aceitamos antes de desistir: um socket
/// quebrado não deve virar um laço infinito a 100% de CPU.
const MAX_CONSECUTIVE_ERRORS: u32 = 1000;

/// O que aconteceu com um datagrama.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Answered,
    Dropped,
}

/// Cria o socket UDP e o associa (`bind`) ao endereço e porta pedidos.
///
/// `bind` diz ao kernel: "datagramas para esta porta são meus". Sem ele,
/// o servidor não teria um endereço conhecido para os clientes.
///
/// # Erros
/// Porta ocupada (`AddrInUse`), endereço que não é desta máquina, nome que
/// não resolve.
pub fn bind(host: &str, port: u16) -> io::Result<UdpSocket> {
    let addrs: Vec<SocketAddr> = net::resolve_all(host, port)?;
    UdpSocket::bind(addrs.as_slice())
}

/// Atende datagramas para sempre (ou até o socket quebrar de vez).
///
/// Cada datagrama gera uma linha em `log`: remetente, tamanho e destino.
///
/// # Erros
/// Só devolve erro depois de 1000 falhas seguidas de recepção
/// (`MAX_CONSECUTIVE_ERRORS`): um socket quebrado de vez.
pub fn serve(socket: &UdpSocket, mut loss: Loss, log: &mut impl Write) -> io::Result<()> {
    let mut buf = [0u8; BUFFER_SIZE];
    let mut errors = 0;
    loop {
        // recv_from bloqueia até chegar um datagrama; devolve quantos bytes
        // couberam no buffer e o endereço (IP, porta) de quem enviou.
        let (len, peer) = match socket.recv_from(&mut buf) {
            Ok(received) => received,
            Err(err) => {
                if give_up_after(&err, &mut errors, log) {
                    return Err(err);
                }
                continue;
            }
        };
        errors = 0;
        let outcome = echo(&mut buf[..len], &mut loss);
        let note = if len == BUFFER_SIZE {
            " (pode ter sido truncado)"
        } else {
            ""
        };
        let result = match outcome {
            Outcome::Dropped => "descartado (perda simulada)".to_string(),
            // send_to devolve a mesma sequência de bytes ao remetente.
            Outcome::Answered => match socket.send_to(&buf[..len], peer) {
                Ok(_) => "respondido".to_string(),
                Err(err) => format!("erro ao responder: {}", net::pt_br(&err)),
            },
        };
        let _ = writeln!(
            log,
            "ping-server: {peer} enviou {len} bytes{note}: {result}"
        );
    }
}

/// Decide o que fazer com um erro do `recv_from`: `true` quer dizer desistir.
/// Sinal, ICMP de um cliente que já foi embora e datagrama grande demais
/// (no Windows) são problema de outro e não contam; os outros erros contam
/// até [`MAX_CONSECUTIVE_ERRORS`] seguidos.
fn give_up_after(err: &io::Error, errors: &mut u32, log: &mut impl Write) -> bool {
    if net::datagram_too_big(err) {
        let _ = writeln!(
            log,
            "ping-server: {}: sem o remetente, não há a quem responder; seguindo",
            net::pt_br(err)
        );
        return false;
    }
    match net::classify(err) {
        SocketError::Interrupted => false,
        SocketError::PortUnreachable => {
            let _ = writeln!(
                log,
                "ping-server: o cliente de uma resposta anterior já fechou o socket (ICMP porta inalcançável); seguindo"
            );
            false
        }
        SocketError::TimedOut | SocketError::Other => {
            *errors += 1;
            let _ = writeln!(
                log,
                "ping-server: erro ao receber (ignorado): {}",
                net::pt_br(err)
            );
            *errors >= MAX_CONSECUTIVE_ERRORS
        }
    }
}

/// Passa as letras ASCII para maiúsculas e sorteia se o pacote se perde.
///
/// Só `a`–`z` mudam: acentos, UTF-8 e bytes binários ficam como estão,
/// exatamente como `bytes.upper()` do Python.
pub fn echo(data: &mut [u8], loss: &mut Loss) -> Outcome {
    data.make_ascii_uppercase();
    if loss.should_drop() {
        Outcome::Dropped
    } else {
        Outcome::Answered
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s2_udp_pinger::xorshift::Xorshift64;

    #[test]
    fn upper_cases_only_ascii_letters_like_python_bytes_upper() {
        let mut loss = Loss::new(0.0, Xorshift64::seeded(1));
        let mut data = "ping 1 é\u{0}\u{ff}z".as_bytes().to_vec();
        data.push(0xFF);
        assert_eq!(echo(&mut data, &mut loss), Outcome::Answered);
        let mut expected = "PING 1 é\u{0}\u{ff}Z".as_bytes().to_vec();
        expected.push(0xFF);
        assert_eq!(data, expected);
    }

    #[test]
    fn port_unreachable_of_either_kind_never_stops_the_server() {
        let mut errors = 0;
        let mut log = Vec::new();
        for i in 0..3 * MAX_CONSECUTIVE_ERRORS {
            // Linux: ConnectionRefused; Windows: ConnectionReset (WSAECONNRESET, 10054).
            let kind = if i % 2 == 0 {
                io::ErrorKind::ConnectionReset
            } else {
                io::ErrorKind::ConnectionRefused
            };
            assert!(!give_up_after(&kind.into(), &mut errors, &mut log));
        }
        assert_eq!(errors, 0, "não conta como falha do socket");
        let log = String::from_utf8(log).unwrap();
        assert!(log.lines().all(|l| l.contains("porta inalcançável")));
    }

    #[cfg(windows)]
    #[test]
    fn an_oversized_datagram_on_windows_never_stops_the_server() {
        // WSAEMSGSIZE (10040): o Windows cortou um datagrama maior que o buffer.
        let mut errors = 0;
        let mut log = Vec::new();
        let too_big = io::Error::from_raw_os_error(10040);
        for _ in 0..2 * MAX_CONSECUTIVE_ERRORS {
            assert!(!give_up_after(&too_big, &mut errors, &mut log));
        }
        assert_eq!(errors, 0);
        assert!(
            String::from_utf8(log)
                .unwrap()
                .contains("maior que o buffer")
        );
    }

    #[test]
    fn a_broken_socket_gives_up_after_the_limit_instead_of_spinning() {
        let mut errors = 0;
        let mut log = Vec::new();
        let broken = io::Error::from(io::ErrorKind::PermissionDenied);
        for _ in 1..MAX_CONSECUTIVE_ERRORS {
            assert!(!give_up_after(&broken, &mut errors, &mut log));
        }
        assert!(give_up_after(&broken, &mut errors, &mut log));
        assert!(!give_up_after(
            &io::ErrorKind::Interrupted.into(),
            &mut 0,
            &mut log
        ));
        assert!(
            String::from_utf8(log)
                .unwrap()
                .contains("permissão negada (")
        );
    }
}
