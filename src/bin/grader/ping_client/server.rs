//! O servidor com roteiro: recebe os pings e responde, descarta ou atrasa.

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::{Action, HANG, LATE, PINGS, Plan, STARTUP};
use crate::child::Submission;

/// Um datagrama que chegou ao servidor com roteiro.
pub(super) struct Arrival {
    at: Instant,
    data: Vec<u8>,
    peer: SocketAddr,
    socket: usize,
}
/// Uma thread por socket: cada datagrama vira um [`Arrival`] no canal.
pub(super) fn receive(
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
pub(super) struct Run {
    pub(super) arrivals: Vec<Instant>,
    /// O cliente travou: depois do último ping, mais de [`HANG`] sem nada.
    pub(super) hung: bool,
    /// Se travou: quanto tempo passou, medido, entre o último ping e o fim.
    pub(super) silence: Option<Duration>,
}

/// O laço do servidor com roteiro: responde, descarta ou agenda, até o
/// cliente terminar ou travar.
pub(super) fn serve(
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
