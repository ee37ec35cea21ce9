//! A execução vigiada de um aluno: saída limitada, prazo, grupo de processos e o `--resumo`.

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use std::process::{Child, ExitStatus};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use super::Outcome;

/// O resumo `chave=valor` tem oito linhas curtas; mais que isso é lixo.
const SUMMARY_LIMIT: u64 = 64 * 1024;

/// O veredito a partir do `--resumo`. Sem ele, o corretor do aluno não
/// chegou ao fim (erro de uso, pânico, o `unshare` falhou): `nao-rodou`,
/// com o código de saída e a última linha do stderr, e nunca "aprovado".
pub(super) fn read_summary(path: &Path, status: Option<ExitStatus>, stderr: &Captured) -> Outcome {
    let mut text = String::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(SUMMARY_LIMIT).read_to_string(&mut text);
    }
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
    };
    let number = |key: &str| field(key).and_then(|v| v.parse::<u64>().ok());
    if let Some(verdict) = field("veredito").filter(|v| !v.is_empty()) {
        let counts = [
            "exigidos_ok",
            "exigidos_falhos",
            "exigidos_nao_rodados",
            "boa_pratica_ok",
            "boa_pratica_avisos",
        ]
        .map(number);
        return Outcome {
            verdict: verdict.to_string(),
            reason: field("motivo").unwrap_or("").to_string(),
            counts: counts
                .iter()
                .all(Option::is_some)
                .then(|| counts.map(Option::unwrap_or_default)),
            ..Outcome::default()
        };
    }
    let how = match status.and_then(|s| s.code()) {
        Some(code) => format!("terminou com código {code}"),
        None => "terminou por um sinal".into(),
    };
    let errors = String::from_utf8_lossy(&stderr.bytes);
    let last = errors
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| format!(": {}", l.trim()))
        .unwrap_or_default();
    Outcome {
        verdict: "nao-rodou".into(),
        reason: format!("o corretor {how} sem gravar o resumo{last}"),
        ..Outcome::default()
    }
}

/// O que um pipe entregou, até o limite.
#[derive(Debug, Default, Clone)]
pub(super) struct Captured {
    pub(super) bytes: Vec<u8>,
    /// Quantos bytes vieram além do limite (descartados).
    pub(super) dropped: u64,
}

impl Captured {
    pub(super) fn text(&self, what: &str) -> String {
        let mut text = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.dropped > 0 {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let _ = writeln!(
                text,
                "[{what} cortado aqui: mais {} bytes descartados (--limite-saida)]",
                self.dropped
            );
        }
        text
    }
}

/// O corretor de um aluno rodando, com stdout e stderr lidos por threads.
pub(super) struct Watched {
    child: Child,
    pub(super) status: Option<ExitStatus>,
    /// Depois de [`Watched::finish`]: algum processo do grupo ainda vivia
    /// depois do prazo (e pode estar segurando a porta do próximo aluno).
    pub(super) group_survived: bool,
    outputs: [Arc<Mutex<Captured>>; 2],
    eof: mpsc::Receiver<()>,
}

impl Watched {
    pub(super) fn new(mut child: Child, limit: usize) -> Watched {
        let outputs = [
            Arc::new(Mutex::new(Captured::default())),
            Arc::new(Mutex::new(Captured::default())),
        ];
        let (tx, eof) = mpsc::channel();
        if let Some(pipe) = child.stdout.take() {
            drain(pipe, Arc::clone(&outputs[0]), limit, tx.clone());
        }
        if let Some(pipe) = child.stderr.take() {
            drain(pipe, Arc::clone(&outputs[1]), limit, tx);
        }
        Watched {
            child,
            status: None,
            group_survived: false,
            outputs,
            eof,
        }
    }

    /// Espera o fim até `deadline`; passou, mata. `None` = foi morto por tempo.
    ///
    /// A biblioteca padrão não tem `wait` com prazo: perguntamos a cada
    /// 20 ms (`try_wait` não bloqueia).
    pub(super) fn wait_or_kill(&mut self, deadline: Instant) -> Option<ExitStatus> {
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.status = Some(status);
                return Some(status);
            }
            let now = Instant::now();
            if now >= deadline {
                let _ = self.child.kill();
                self.status = self.child.wait().ok();
                return None;
            }
            thread::sleep((deadline - now).min(Duration::from_millis(20)));
        }
    }

    /// Mata o que sobrou do grupo (se o aluno tem um grupo só dele) e
    /// espera os mortos sumirem (no máximo 5 s); depois espera os pipes
    /// fecharem (no máximo 2 s) e devolve stdout e stderr.
    pub(super) fn finish(&mut self, own_group: bool) -> (Captured, Captured) {
        if own_group && kill_group(self.child.id()) {
            // O `kill` volta antes de o kernel fechar os sockets dos mortos:
            // sem esperar, o próximo aluno acharia a porta ainda ocupada.
            self.group_survived =
                !wait_group_gone(self.child.id(), Instant::now() + Duration::from_secs(5));
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut closed = 0;
        while closed < 2 {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.eof.recv_timeout(left) {
                Ok(()) => closed += 1,
                Err(_) => break,
            }
        }
        let take = |o: &Arc<Mutex<Captured>>| o.lock().map(|c| c.clone()).unwrap_or_default();
        (take(&self.outputs[0]), take(&self.outputs[1]))
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Mata (SIGKILL) o grupo de processos `group`; `false` se não havia
/// ninguém. A biblioteca padrão não manda sinal a um grupo; o comando
/// `kill` manda.
#[cfg(unix)]
fn kill_group(group: u32) -> bool {
    run_kill(&["-s", "KILL", "--", &format!("-{group}")])
}

/// Roda o comando `kill` com `args`, calado; deu certo?
#[cfg(unix)]
fn run_kill(args: &[&str]) -> bool {
    use std::process::{Command, Stdio};
    Command::new("kill")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(not(unix))]
fn kill_group(_group: u32) -> bool {
    false
}

/// Espera (até `deadline`) o grupo `group` não ter mais processo vivo;
/// `false` se o prazo venceu antes.
fn wait_group_gone(group: u32, deadline: Instant) -> bool {
    while group_alive(group) {
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
    true
}

/// No Linux, o `/proc` diz o estado, o grupo e as threads de cada processo.
#[cfg(target_os = "linux")]
fn group_alive(group: u32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return run_kill(&["-0", "--", &format!("-{group}")]);
    };
    entries.flatten().any(|entry| {
        std::fs::read_to_string(entry.path().join("stat"))
            .is_ok_and(|stat| live_member(&stat, group))
    })
}

/// Uma linha de `/proc/PID/stat` é de um processo do grupo `group` que
/// ainda pode ter arquivos (e portas) abertos?
///
/// O nome (2º campo, entre parênteses) pode ter espaços e `)`: lemos
/// depois do último `)` o estado (3º campo), o grupo (5º) e o número de
/// threads (20º). Um zumbi já fechou os arquivos, salvo se é a thread
/// principal de um processo com outras threads ainda saindo: os arquivos
/// são do processo, e quem os fecha é a última thread.
#[cfg(any(target_os = "linux", test))]
pub(super) fn live_member(stat: &str, group: u32) -> bool {
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return false;
    };
    let mut fields = rest.split_whitespace();
    let Some(state) = fields.next() else {
        return false;
    };
    let pgrp = fields.nth(1).and_then(|g| g.parse::<u32>().ok());
    let threads = fields.nth(14).and_then(|n| n.parse::<u32>().ok());
    let dead = matches!(state, "Z" | "X" | "x") && threads.is_none_or(|n| n <= 1);
    pgrp == Some(group) && !dead
}

/// Fora do Linux, `kill -0` diz se o grupo ainda existe (zumbis contam:
/// no pior caso, esperamos o prazo inteiro).
#[cfg(all(unix, not(target_os = "linux")))]
fn group_alive(group: u32) -> bool {
    run_kill(&["-0", "--", &format!("-{group}")])
}

#[cfg(not(unix))]
fn group_alive(_group: u32) -> bool {
    false
}

/// Lê um pipe até o fim, guardando até `limit` bytes e contando o resto:
/// continuar lendo impede que um programa que inunda a saída trave.
fn drain(
    mut pipe: impl Read + Send + 'static,
    into: Arc<Mutex<Captured>>,
    limit: usize,
    done: mpsc::Sender<()>,
) {
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if let Ok(mut c) = into.lock() {
                        let room = limit.saturating_sub(c.bytes.len()).min(n);
                        c.bytes.extend_from_slice(&buf[..room]);
                        c.dropped += (n - room) as u64;
                    }
                }
            }
        }
        let _ = done.send(());
    });
}
