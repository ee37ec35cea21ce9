//! O corretor (`grader`), conferido contra programas conhecidos: os deste
//! repositório e os do enunciado passam; cada trabalho errado de propósito
//! (programas Python pequenos, escritos aqui) falha **só** na conferência
//! que existe para pegá-lo; e nenhum processo nem porta sobra depois.
//!
//! Sem `python3`, os testes que precisam dele escrevem `SKIP:` e passam (na CI,
//! com `CI` definida, falham: `support::python3_or_skip`).

mod http_client;
mod ping_client;
mod ping_server;
mod real_submissions;
mod requirements;
mod teacher;
mod web;

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use support::{TempDir, bin};

/// O que uma execução do corretor produziu.
pub(super) struct Graded {
    pub(super) code: i32,
    pub(super) report: String,
}

impl Graded {
    /// Os ids das conferências que falharam (`web.404`), separados por
    /// tipo: `required` são as que contam para o veredito.
    pub(super) fn failed(&self, required: bool) -> Vec<String> {
        let mut in_required = false;
        let mut out = Vec::new();
        for line in self.report.lines() {
            if line.starts_with("O que o enunciado pede:")
                || line.starts_with("Exigido pelo professor")
            {
                in_required = true;
            } else if line.starts_with("Boa prática") {
                in_required = false;
            }
            if let Some(rest) = line.trim_start().strip_prefix("[falhou] ")
                && in_required == required
            {
                out.push(rest.split(' ').next().unwrap_or("").to_string());
            }
        }
        out
    }

    pub(super) fn assert_fails_only(&self, expected_code: i32, check: &str) {
        assert_eq!(self.code, expected_code, "{}", self.report);
        assert_eq!(
            self.failed(true),
            vec![check.to_string()],
            "{}",
            self.report
        );
        assert!(self.failed(false).is_empty(), "{}", self.report);
    }

    /// Passa (código 0), com `check` como a única boa prática que falhou.
    pub(super) fn assert_practice_only(&self, check: &str) {
        assert_eq!(self.code, 0, "{}", self.report);
        assert!(self.failed(true).is_empty(), "{}", self.report);
        assert_eq!(
            self.failed(false),
            vec![check.to_string()],
            "{}",
            self.report
        );
    }

    pub(super) fn assert_passes(&self) {
        assert_eq!(self.code, 0, "{}", self.report);
        assert!(self.failed(true).is_empty(), "{}", self.report);
        assert!(self.failed(false).is_empty(), "{}", self.report);
    }
}

/// Roda `grader args...` na pasta `cwd`, com um prazo generoso (o
/// corretor tem os seus próprios prazos; este só evita um teste eterno).
pub(super) fn grade_in(cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Graded {
    // Sem `{port}`/`_PORT_`/`--port`, o corretor usa a porta do enunciado.
    let fixed = !args.iter().any(|a| {
        a.contains("{port}") || a.contains("_PORT_") || *a == "--port" || *a == "--listar"
    });
    let _turn = fixed.then(support::fixed_ports);
    let mut command = Command::new(bin("grader"));
    command.args(args).current_dir(cwd).stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(command.output());
    });
    let output = rx
        .recv_timeout(Duration::from_secs(90))
        .expect("o corretor terminou dentro do prazo")
        .expect("o corretor rodou");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "pânico no corretor: {stderr}");
    Graded {
        code: output.status.code().unwrap_or(-1),
        report: String::from_utf8_lossy(&output.stdout).into_owned(),
    }
}

/// Roda numa pasta vazia: sem arquivo nos argumentos, o corretor copia a
/// pasta atual para a pasta servida, e a pasta temporária do sistema pode
/// ser grande.
pub(super) fn grade(args: &[&str]) -> Graded {
    let empty = TempDir::new("corretor-vazio");
    grade_in(&empty.0, args, &[])
}

pub(super) fn python3() -> bool {
    support::python3_or_skip("este teste do corretor precisa dele")
}

/// Todo programa Python destes testes anota o próprio pid em `$PID_FILE`
/// (se houver), para o teste conferir depois que ninguém sobrou.
pub(super) const PID_PREFIX: &str = "import os\nif os.environ.get('PID_FILE'):\n    open(os.environ['PID_FILE'], 'a').write('%d\\n' % os.getpid())\n";

/// Escreve um programa Python numa pasta temporária; devolve a pasta (que
/// é a pasta atual do corretor, como a de um aluno) e o nome do arquivo.
pub(super) fn python_file(code: &str) -> TempDir {
    let dir = TempDir::new("corretor");
    std::fs::write(dir.0.join("trabalho.py"), format!("{PID_PREFIX}{code}")).unwrap();
    dir
}

/// Corrige `mode` com `python3 trabalho.py {port}` (ou os argumentos dados).
pub(super) fn grade_python(mode: &[&str], code: &str, args: &[&str]) -> Graded {
    let dir = python_file(code);
    let mut all: Vec<&str> = mode.to_vec();
    all.extend(["--", "python3", "trabalho.py"]);
    all.extend(args);
    grade_in(&dir.0, &all, &[])
}

pub(super) fn path_of(name: &str) -> String {
    bin(name).display().to_string()
}

/// O cliente do enunciado ("Código do Cliente"), com a porta vinda da linha
/// de comando: um socket novo por ping, settimeout(1), a mesma saída.
pub(super) const ASSIGNMENT_PING_CLIENT: &str = r#"
import time
import socket
import sys
from datetime import datetime

for pings in range(1, 11):
    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client_socket.settimeout(1)
    mensagem = 'Pacote enviado'.encode()
    address = ("localhost", int(sys.argv[1]))
    start = time.time()
    client_socket.sendto(mensagem, address)
    data_e_hora_string = datetime.now().strftime('%d/%m/%Y %H:%M')
    try:
        mensagem, server = client_socket.recvfrom(1024)
        RTT = time.time() - start
        print("Ping: " + str(pings) + " Data e Hora: " + data_e_hora_string + " Mensagem do servidor: " + str(mensagem) +  " RTT: " + str(RTT))
    except socket.timeout:
        print("Pacote foi perdido durante a transmissão")
"#;

/// Um servidor web correto em Python: lê até a linha em branco, confere
/// que o caminho fica na pasta, 404 de verdade, e (se THREADED) uma thread
/// por conexão.
pub(super) const PYTHON_WEB_SERVER: &str = r#"
import os, socket, sys, threading
THREADED = True
root = os.path.realpath('.')

def atender(conn):
    try:
        data = b''
        while b'\r\n\r\n' not in data:
            parte = conn.recv(1024)
            if not parte:
                return
            data += parte
        caminho = data.split()[1].decode()
        arquivo = os.path.realpath(os.path.join(root, caminho.lstrip('/')))
        if not arquivo.startswith(root + os.sep) or not os.path.isfile(arquivo):
            corpo = b'<h1>404 Not Found</h1>'
            conn.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n' % len(corpo) + corpo)
            return
        with open(arquivo, 'rb') as f:
            corpo = f.read()
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n' % len(corpo) + corpo)
    except OSError:
        pass
    finally:
        conn.close()

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('localhost', int(sys.argv[1])))
s.listen(64)
while True:
    conn, _ = s.accept()
    if THREADED:
        threading.Thread(target=atender, args=(conn,)).start()
    else:
        atender(conn)
"#;

pub(super) const PYTHON_HTTP_CLIENT: &str = r#"
import socket, sys
host, port, arquivo = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((host, port))
s.sendall(('GET /%s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n' % (arquivo, host, port)).encode())
while True:
    parte = s.recv(4096)
    if not parte:
        break
    sys.stdout.write(parte.decode())
    sys.stdout.flush()
s.close()
"#;

/// O `/proc` existe (Linux)? É por ele que vemos se um pid ainda vive.
pub(super) fn has_proc() -> bool {
    let ok = Path::new("/proc/self").exists();
    if !ok {
        support::skip("sem /proc, não dá para ver se o processo ainda existe");
    }
    ok
}

/// Todos os pids anotados em `file` já terminaram.
pub(super) fn assert_all_gone(file: &PathBuf) {
    let pids = std::fs::read_to_string(file).expect("o programa anotou o pid");
    assert!(!pids.trim().is_empty());
    for pid in pids.lines() {
        let alive = Path::new(&format!("/proc/{pid}")).exists();
        assert!(!alive, "o processo {pid} continua rodando");
    }
}

/// Lê o resumo `chave=valor` e confere a ordem fixa das oito chaves.
pub(super) fn read_summary(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("o resumo foi gravado");
    let pairs: Vec<(String, String)> = text
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').expect("linha chave=valor");
            (k.to_string(), v.to_string())
        })
        .collect();
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "modo",
            "exigidos_ok",
            "exigidos_falhos",
            "exigidos_nao_rodados",
            "boa_pratica_ok",
            "boa_pratica_avisos",
            "veredito",
            "motivo"
        ],
        "{text}"
    );
    pairs
}

pub(super) fn summary_value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    &pairs.iter().find(|(k, _)| k == key).unwrap().1
}
