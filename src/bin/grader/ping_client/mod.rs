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
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::child::{self, Submission, Workspace};
use super::report::Report;
use super::{NotRun, Options, Transport};
use pratica_sockets::cli;
use pratica_sockets::s2_udp_pinger::xorshift::Xorshift64;

mod judge;
mod output;
mod server;

use judge::judge;
use server::{receive, serve};

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
#[cfg(test)]
mod tests {
    use super::*;

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
