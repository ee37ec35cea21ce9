//! Ajudantes dos testes de integração: subir programas em portas efêmeras,
//! esperar que anunciem o endereço, e rodar comandos com prazo.
//!
//! Nada aqui usa `sleep` para sincronizar: esperamos por eventos (uma linha
//! no stderr, um socket que aceita) sempre com um prazo máximo.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Caminho de um binário deste pacote (o cargo compila antes dos testes).
pub fn bin(name: &str) -> PathBuf {
    match name {
        "ping-server" => env!("CARGO_BIN_EXE_ping-server").into(),
        "ping-client" => env!("CARGO_BIN_EXE_ping-client").into(),
        other => panic!("binário desconhecido: {other}"),
    }
}

/// Um processo filho que é morto quando sai de escopo (mesmo se o teste falhar).
pub struct Running {
    pub child: Child,
    pub addr: SocketAddr,
    /// As linhas de stderr depois do anúncio, uma por mensagem.
    pub lines: mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// A próxima linha de stderr, esperando no máximo `timeout`.
    pub fn next_line(&self, timeout: Duration) -> Option<String> {
        self.lines.recv_timeout(timeout).ok()
    }
}

/// Sobe `name` com `args` (que devem pedir a porta 0) e espera a linha
/// "escutando em ENDEREÇO" no stderr, que só é escrita depois do `bind`.
pub fn spawn_server(name: &str, args: &[&str]) -> Running {
    let mut child = Command::new(bin(name))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("o binário existe");
    let stderr = child.stderr.take().expect("stderr foi pedido");
    let (tx, rx) = mpsc::channel();
    forward_lines(stderr, tx);
    let first = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("o servidor anunciou o endereço");
    let addr = first
        .split("escutando em ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("linha de anúncio inesperada: {first}"));
    Running {
        child,
        addr,
        lines: rx,
    }
}

fn forward_lines(stderr: ChildStderr, tx: mpsc::Sender<String>) {
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
}

/// O que um comando produziu.
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Output {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Roda um binário até o fim, matando-o se passar de `limit`.
pub fn run(name: &str, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(bin(name))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("o binário existe");
    let mut stdout = child.stdout.take().expect("stdout foi pedido");
    let mut stderr = child.stderr.take().expect("stderr foi pedido");
    let err_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        let _ = tx.send(bytes);
    });
    // O stdout fecha quando o processo termina: é o nosso evento.
    let stdout = match rx.recv_timeout(limit) {
        Ok(bytes) => bytes,
        Err(_) => {
            let _ = child.kill();
            panic!("{name} {args:?} passou do prazo de {limit:?}");
        }
    };
    let status = child.wait().expect("wait");
    let stderr = err_reader.join().unwrap_or_default();
    assert!(
        !stderr.contains("panicked"),
        "{name} {args:?} entrou em pânico: {stderr}"
    );
    Output {
        status,
        stdout,
        stderr,
    }
}
