//! O corretor (`grader`), conferido contra programas conhecidos: os deste
//! repositório e os do enunciado passam; cada trabalho errado de propósito
//! (programas Python pequenos, escritos aqui) falha **só** na conferência
//! que existe para pegá-lo; e nenhum processo nem porta sobra depois.
//!
//! Sem `python3`, os testes que precisam dele escrevem `SKIP:` e passam (na CI,
//! com `CI` definida, falham: `support::python3_or_skip`).

use crate::support;

use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use support::{TempDir, bin};

/// O que uma execução do corretor produziu.
struct Graded {
    code: i32,
    report: String,
}

impl Graded {
    /// Os ids das conferências que falharam (`web.404`), separados por
    /// tipo: `required` são as que contam para o veredito.
    fn failed(&self, required: bool) -> Vec<String> {
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

    fn assert_fails_only(&self, expected_code: i32, check: &str) {
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
    fn assert_practice_only(&self, check: &str) {
        assert_eq!(self.code, 0, "{}", self.report);
        assert!(self.failed(true).is_empty(), "{}", self.report);
        assert_eq!(
            self.failed(false),
            vec![check.to_string()],
            "{}",
            self.report
        );
    }

    fn assert_passes(&self) {
        assert_eq!(self.code, 0, "{}", self.report);
        assert!(self.failed(true).is_empty(), "{}", self.report);
        assert!(self.failed(false).is_empty(), "{}", self.report);
    }
}

/// Roda `grader args...` na pasta `cwd`, com um prazo generoso (o
/// corretor tem os seus próprios prazos; este só evita um teste eterno).
fn grade_in(cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Graded {
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
fn grade(args: &[&str]) -> Graded {
    let empty = TempDir::new("corretor-vazio");
    grade_in(&empty.0, args, &[])
}

fn python3() -> bool {
    support::python3_or_skip("este teste do corretor precisa dele")
}

/// Todo programa Python destes testes anota o próprio pid em `$PID_FILE`
/// (se houver), para o teste conferir depois que ninguém sobrou.
const PID_PREFIX: &str = "import os\nif os.environ.get('PID_FILE'):\n    open(os.environ['PID_FILE'], 'a').write('%d\\n' % os.getpid())\n";

/// Escreve um programa Python numa pasta temporária; devolve a pasta (que
/// é a pasta atual do corretor, como a de um aluno) e o nome do arquivo.
fn python_file(code: &str) -> TempDir {
    let dir = TempDir::new("corretor");
    std::fs::write(dir.0.join("trabalho.py"), format!("{PID_PREFIX}{code}")).unwrap();
    dir
}

/// Corrige `mode` com `python3 trabalho.py {port}` (ou os argumentos dados).
fn grade_python(mode: &[&str], code: &str, args: &[&str]) -> Graded {
    let dir = python_file(code);
    let mut all: Vec<&str> = mode.to_vec();
    all.extend(["--", "python3", "trabalho.py"]);
    all.extend(args);
    grade_in(&dir.0, &all, &[])
}

fn path_of(name: &str) -> String {
    bin(name).display().to_string()
}

// ---------------------------------------------------------------------------
// Seção 2: servidor
// ---------------------------------------------------------------------------

#[test]
fn grader_passes_our_ping_server() {
    let ours = path_of("ping-server");
    // Com semente, a sequência de descartes do nosso servidor é sempre a mesma.
    let graded = grade(&[
        "ping-server",
        "--",
        &ours,
        "--port",
        "{port}",
        "--seed",
        "7",
    ]);
    graded.assert_passes();
    assert!(
        graded.report.contains("compatível com os 30% do texto"),
        "{}",
        graded.report
    );
}

#[test]
fn grader_accepts_the_assignments_ping_server_and_flags_its_36_percent_loss() {
    if !python3() {
        return;
    }
    let graded = grade_python(
        &["ping-server"],
        support::ASSIGNMENT_PING_SERVER,
        &["{port}"],
    );
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(
        graded.failed(true).is_empty() && graded.failed(false).is_empty(),
        "{}",
        graded.report
    );
    assert!(
        graded
            .report
            .contains("[aviso ] ping.perda-30 · perda de 30%, como o texto diz")
            && graded.report.contains("4/11 ≈ 36,4%"),
        "{}",
        graded.report
    );
}

#[test]
fn ping_server_without_upper_case_fails_the_echo_check() {
    if !python3() {
        return;
    }
    let code = support::ASSIGNMENT_PING_SERVER.replace("message = message.upper()", "pass");
    grade_python(&["ping-server"], &code, &["{port}"]).assert_fails_only(1, "ping.eco");
}

#[test]
fn ping_server_without_loss_fails_the_loss_check() {
    if !python3() {
        return;
    }
    let code = support::ASSIGNMENT_PING_SERVER.replace("if rand < 4:", "if False:");
    grade_python(&["ping-server"], &code, &["{port}"]).assert_fails_only(1, "ping.perda");
}

#[test]
fn ping_server_that_answers_the_first_client_only_fails_the_two_clients_check() {
    if !python3() {
        return;
    }
    // Responde para quem mandou a mensagem *anterior*: com um cliente só
    // funciona; com dois intercalados, cada um recebe os ecos do outro.
    let code = support::ASSIGNMENT_PING_SERVER
        .replace("while True:", "previous = None\nwhile True:")
        .replace(
            "    message = message.upper()",
            "    message = message.upper()\n    destination = previous or address\n    previous = address",
        )
        .replace("server_socket.sendto(message, address)", "server_socket.sendto(message, destination)");
    grade_python(&["ping-server"], &code, &["{port}"]).assert_fails_only(1, "ping.dois-clientes");
}

#[test]
fn ping_server_that_dies_on_binary_fails_only_good_practice_unless_strict() {
    if !python3() {
        return;
    }
    let code = support::ASSIGNMENT_PING_SERVER.replace(
        "message = message.upper()",
        "message = message.decode().upper().encode()",
    );
    let graded = grade_python(&["ping-server"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert_eq!(
        graded.failed(false),
        vec!["ping.estranhos"],
        "{}",
        graded.report
    );
    assert!(graded.report.contains("binário"), "{}", graded.report);
    let strict = grade_python(&["ping-server", "--strict"], &code, &["{port}"]);
    assert_eq!(strict.code, 1, "{}", strict.report);
}

// ---------------------------------------------------------------------------
// Seção 2: cliente
// ---------------------------------------------------------------------------

/// O cliente do enunciado ("Código do Cliente"), com a porta vinda da linha
/// de comando: um socket novo por ping, settimeout(1), a mesma saída.
const ASSIGNMENT_PING_CLIENT: &str = r#"
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

#[test]
fn grader_passes_our_ping_client() {
    let ours = path_of("ping-client");
    grade(&["ping-client", "--", &ours, "--port", "{port}"]).assert_passes();
}

#[test]
fn grader_passes_the_assignments_ping_client() {
    if !python3() {
        return;
    }
    grade_python(&["ping-client"], ASSIGNMENT_PING_CLIENT, &["{port}"]).assert_passes();
}

#[test]
fn ping_client_without_timeout_fails_the_wait_check_and_is_stopped() {
    if !python3() || !has_proc() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("client_socket.settimeout(1)", "pass");
    let dir = python_file(&code);
    let pids = dir.0.join("pids");
    let graded = grade_in(
        &dir.0,
        &["ping-client", "--", "python3", "trabalho.py", "{port}"],
        &[("PID_FILE", &pids)],
    );
    graded.assert_fails_only(1, "ping.espera");
    assert_all_gone(&pids);
}

#[test]
fn ping_client_with_a_short_timeout_fails_the_wait_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("settimeout(1)", "settimeout(0.2)");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.espera");
}

#[test]
fn ping_client_on_one_socket_that_takes_a_late_reply_fails_only_good_practice_unless_strict() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT
        .replace(
            "for pings in range(1, 11):\n    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    client_socket.settimeout(1)",
            "client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nclient_socket.settimeout(1)\nfor pings in range(1, 11):",
        );
    assert_ne!(code, ASSIGNMENT_PING_CLIENT);
    let graded = grade_python(&["ping-client"], &code, &["{port}"]);
    graded.assert_practice_only("ping.atrasada");
    assert!(graded.report.contains("número"), "{}", graded.report);
    grade_python(&["ping-client", "--strict"], &code, &["{port}"])
        .assert_fails_only(1, "ping.atrasada");
}

#[test]
fn ping_client_that_hides_losses_fails_the_lost_report_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace(
        "print(\"Pacote foi perdido durante a transmissão\")",
        "pass",
    );
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.perdido");
}

#[test]
fn ping_client_with_nine_pings_fails_the_count_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("range(1, 11)", "range(1, 10)");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.dez");
}

#[test]
fn ping_client_that_never_stops_fails_the_count_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT
        .replace("import time", "import itertools, time")
        .replace("range(1, 11)", "itertools.count(1)");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.dez");
}

#[test]
fn ping_client_that_hangs_after_the_last_ping_fails_the_finish_check() {
    if !python3() {
        return;
    }
    let code = format!("{ASSIGNMENT_PING_CLIENT}\ntime.sleep(60)\n");
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.termina");
}

#[test]
fn ping_client_that_answers_without_rtt_fails_the_rtt_check() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT.replace("\" RTT: \" + str(RTT)", "\"\"");
    assert_ne!(code, ASSIGNMENT_PING_CLIENT);
    grade_python(&["ping-client"], &code, &["{port}"]).assert_fails_only(1, "ping.rtt");
}

#[test]
fn ping_client_with_unrecognisable_output_is_told_so() {
    if !python3() {
        return;
    }
    let code = ASSIGNMENT_PING_CLIENT
        .replace(
            "print(\"Ping: \" + str(pings) + \" Data e Hora: \" + data_e_hora_string + \" Mensagem do servidor: \" + str(mensagem) +  \" RTT: \" + str(RTT))",
            "print('ok')",
        )
        .replace("print(\"Pacote foi perdido durante a transmissão\")", "print('nada')");
    // Dez linhas, uma por ping: a posição diz o ping, e nenhuma tem RTT.
    let graded = grade_python(&["ping-client"], &code, &["{port}"]);
    graded.assert_fails_only(1, "ping.rtt");
    assert!(
        graded
            .report
            .contains("nenhuma linha da saída tem um número de RTT"),
        "{}",
        graded.report
    );
    // Sem uma linha por ping e sem números, a saída é ilegível, e o relatório diz.
    let code = code.replace("print('nada')", "pass");
    let graded = grade_python(&["ping-client"], &code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        graded.report.contains("não consegui ler a saída"),
        "{}",
        graded.report
    );
}

// ---------------------------------------------------------------------------
// Seção 3a e 3b
// ---------------------------------------------------------------------------

/// Um servidor web correto em Python: lê até a linha em branco, confere
/// que o caminho fica na pasta, 404 de verdade, e (se THREADED) uma thread
/// por conexão.
const PYTHON_WEB_SERVER: &str = r#"
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

#[test]
fn grader_passes_our_web_server_as_3a_and_3b() {
    let ours = path_of("web-server");
    grade(&[
        "3a", "--", &ours, "--single", "--port", "{port}", "--root", ".",
    ])
    .assert_passes();
    grade(&["3b", "--", &ours, "--port", "{port}", "--root", "."]).assert_passes();
}

#[test]
fn grader_passes_a_correct_python_web_server_as_3a_and_3b() {
    if !python3() {
        return;
    }
    grade_python(&["3a"], PYTHON_WEB_SERVER, &["{port}"]).assert_passes();
    grade_python(&["3b"], PYTHON_WEB_SERVER, &["{port}"]).assert_passes();
}

#[test]
fn web_server_without_the_empty_line_fails_that_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace(
        "conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n'",
        "conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n'",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    grade_python(&["3a"], &code, &["{port}"]).assert_fails_only(1, "web.linha-em-branco");
}

#[test]
fn web_server_that_sends_404_as_200_fails_the_404_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK");
    grade_python(&["3a"], &code, &["{port}"]).assert_fails_only(1, "web.404");
}

#[test]
fn web_server_with_a_single_recv_fails_only_good_practice_unless_strict() {
    if !python3() {
        return;
    }
    let code =
        PYTHON_WEB_SERVER.replace("while b'\\r\\n\\r\\n' not in data:", "for _ in range(1):");
    assert_ne!(code, PYTHON_WEB_SERVER);
    grade_python(&["3a"], &code, &["{port}"]).assert_practice_only("web.pedacos");
    grade_python(&["3a", "--strict"], &code, &["{port}"]).assert_fails_only(1, "web.pedacos");
}

#[test]
fn leaking_web_server_fails_good_practice_and_strict_fails_the_run() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace("not arquivo.startswith(root + os.sep) or ", "");
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert_eq!(
        graded.failed(false),
        vec!["web.fora-da-pasta"],
        "{}",
        graded.report
    );
    assert!(
        graded
            .report
            .contains("GET /../segredo.txt devolveu segredo.txt"),
        "{}",
        graded.report
    );
    let strict = grade_python(&["3a", "--strict"], &code, &["{port}"]);
    assert_eq!(strict.code, 1, "{}", strict.report);
}

#[test]
fn web_server_without_http_version_in_the_status_line_fails_that_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace("b'HTTP/1.1 200 OK\\r\\n", "b'200 OK\\r\\n");
    assert_ne!(code, PYTHON_WEB_SERVER);
    grade_python(&["3a"], &code, &["{port}"]).assert_fails_only(1, "web.status");
}

#[test]
fn web_server_without_header_lines_fails_only_good_practice_and_names_them() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace(
        "b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(corpo)",
        "b'HTTP/1.1 200 OK\\r\\n\\r\\n'",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    graded.assert_practice_only("web.cabecalhos");
    assert!(
        graded
            .report
            .contains("faltam Content-Type e Content-Length"),
        "{}",
        graded.report
    );
    grade_python(&["3a", "--exigir", "web.cabecalhos"], &code, &["{port}"])
        .assert_fails_only(1, "web.cabecalhos");
}

#[test]
fn web_server_that_rewrites_line_endings_fails_only_byte_exactness() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace(
        "corpo = f.read()",
        "corpo = f.read().replace(b'\\n', b'\\r\\n')",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    graded.assert_practice_only("web.bytes-exatos");
    grade_python(&["3a", "--strict"], &code, &["{port}"]).assert_fails_only(1, "web.bytes-exatos");
    // Um arquivo trocado de verdade falha o conteúdo, que é exigido.
    let other = PYTHON_WEB_SERVER.replace("corpo = f.read()", "corpo = f.read()[::-1]");
    grade_python(&["3a"], &other, &["{port}"]).assert_fails_only(1, "web.arquivo");
}

#[test]
fn web_server_with_a_wrong_content_length_fails_only_good_practice() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace(
        "b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(corpo)",
        "b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n' % (len(corpo) - 10)",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert_eq!(
        graded.failed(false),
        vec!["web.content-length"],
        "{}",
        graded.report
    );
}

#[test]
fn a_3a_server_presented_as_3b_fails_the_idle_client_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace("THREADED = True", "THREADED = False");
    grade_python(&["3b"], &code, &["{port}"]).assert_fails_only(1, "web.concorrente");
}

#[test]
fn a_3b_server_that_turns_away_extra_clients_fails_the_crowd_check() {
    if !python3() {
        return;
    }
    // No máximo duas conexões em atendimento (contadas na thread principal,
    // descontadas antes do close); a terceira é fechada sem resposta. Cada
    // arquivo leva 0,2 s, para que os 16 clientes se encontrem.
    let code = PYTHON_WEB_SERVER
        .replace(
            "import os, socket, sys, threading",
            "import os, socket, sys, threading, time\nativos = 0\ntrava = threading.Lock()",
        )
        .replace(
            "        with open(arquivo, 'rb') as f:",
            "        time.sleep(0.2)\n        with open(arquivo, 'rb') as f:",
        )
        .replace(
            "    finally:\n        conn.close()",
            "    finally:\n        global ativos\n        with trava:\n            ativos -= 1\n        conn.close()",
        )
        .replace(
            "    if THREADED:",
            "    with trava:\n        cheio = ativos >= 2\n        if not cheio:\n            ativos += 1\n    if cheio:\n        conn.close()\n        continue\n    if THREADED:",
        );
    assert_ne!(code, PYTHON_WEB_SERVER);
    grade_python(&["3b"], &code, &["{port}"]).assert_fails_only(1, "web.muitos");
}

// ---------------------------------------------------------------------------
// Seção 3c
// ---------------------------------------------------------------------------

const PYTHON_HTTP_CLIENT: &str = r#"
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

#[test]
fn grader_passes_our_http_client() {
    let ours = path_of("http-client");
    grade(&["3c", "--", &ours]).assert_passes();
    grade(&["3c", "--", &ours, "{host}", "{port}", "{file}"]).assert_passes();
}

#[test]
fn grader_passes_a_correct_python_http_client() {
    if !python3() {
        return;
    }
    grade_python(&["3c"], PYTHON_HTTP_CLIENT, &[]).assert_passes();
}

#[test]
fn http_client_without_host_fails_only_good_practice_unless_strict() {
    if !python3() {
        return;
    }
    let code = PYTHON_HTTP_CLIENT.replace(
        "'GET /%s HTTP/1.1\\r\\nHost: %s:%d\\r\\nConnection: close\\r\\n\\r\\n' % (arquivo, host, port)",
        "'GET /%s HTTP/1.1\\r\\n\\r\\n' % arquivo",
    );
    assert_ne!(code, PYTHON_HTTP_CLIENT);
    let graded = grade_python(&["3c"], &code, &[]);
    graded.assert_practice_only("http.host");
    assert!(graded.report.contains("Host"), "{}", graded.report);
    grade_python(&["3c", "--strict"], &code, &[]).assert_fails_only(1, "http.host");
}

#[test]
fn http_client_with_a_lowercase_method_fails_the_get_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_HTTP_CLIENT.replace("('GET /%s", "('get /%s");
    assert_ne!(code, PYTHON_HTTP_CLIENT);
    grade_python(&["3c"], &code, &[]).assert_fails_only(1, "http.get");
}

#[test]
fn http_client_with_a_single_recv_fails_the_body_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_HTTP_CLIENT.replace("while True:", "for _ in range(1):");
    assert_ne!(code, PYTHON_HTTP_CLIENT);
    let code = code.replace("s.recv(4096)", "s.recv(1024)");
    let graded = grade_python(&["3c"], &code, &[]);
    graded.assert_fails_only(1, "http.corpo");
    assert!(
        graded.report.contains("só os primeiros"),
        "{}",
        graded.report
    );
}

#[test]
fn http_client_that_hides_the_status_line_fails_that_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_HTTP_CLIENT
        .replace("while True:", "resposta = b''\nwhile True:")
        .replace(
            "    sys.stdout.write(parte.decode())\n    sys.stdout.flush()\n",
            "    resposta += parte\n",
        )
        .replace(
            "s.close()",
            "s.close()\nsys.stdout.write(resposta.decode().split('\\r\\n', 1)[1])",
        );
    assert_ne!(code, PYTHON_HTTP_CLIENT);
    grade_python(&["3c"], &code, &[]).assert_fails_only(1, "http.status");
}

#[test]
fn http_client_that_never_finishes_fails_that_check_and_is_stopped() {
    if !python3() || !has_proc() {
        return;
    }
    let code = PYTHON_HTTP_CLIENT.replace("        break", "        continue");
    let dir = python_file(&code);
    let pids = dir.0.join("pids");
    let graded = grade_in(
        &dir.0,
        &[
            "3c",
            "--",
            "python3",
            "trabalho.py",
            "{host}",
            "{port}",
            "{file}",
        ],
        &[("PID_FILE", &pids)],
    );
    graded.assert_fails_only(1, "http.termina");
    assert_all_gone(&pids);
}

// ---------------------------------------------------------------------------
// Códigos de saída, e nada sobra
// ---------------------------------------------------------------------------

#[test]
fn help_lists_the_modes_and_exits_with_0() {
    let graded = grade(&["--help"]);
    assert_eq!(graded.code, 0);
    for mode in [
        "ping-server",
        "ping-client",
        "3a",
        "3b",
        "3c",
        "{port}",
        "--strict",
    ] {
        assert!(graded.report.contains(mode), "{mode}: {}", graded.report);
    }
}

#[test]
fn bad_usage_exits_with_2() {
    for args in [
        &[][..],
        &["3z", "--", "x"][..],
        &["3a"][..],
        &["3a", "--port", "x", "--", "y"][..],
    ] {
        assert_eq!(grade(args).code, 2, "{args:?}");
    }
}

#[test]
fn closed_stdout_is_not_a_panic() {
    // `grader --help | head -0` e `grader 3a -- x | head -1`.
    let limit = std::time::Duration::from_secs(30);
    support::close_output("grader", &["--help"], support::Close::StdoutAfterLines(0))
        .assert_exit(0, limit);
    support::close_output(
        "grader",
        &["3a", "--", "programa-que-nao-existe-corretor", "{port}"],
        support::Close::StdoutAfterLines(0),
    )
    .assert_exit(1, limit);
}

#[test]
fn a_command_that_does_not_exist_exits_with_3() {
    let graded = grade(&["3a", "--", "programa-que-nao-existe-corretor", "{port}"]);
    assert_eq!(graded.code, 3, "{}", graded.report);
    assert!(
        graded.report.contains("não foi encontrado"),
        "{}",
        graded.report
    );
}

#[test]
fn a_busy_port_exits_with_3_without_starting_the_program() {
    let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let ours = path_of("ping-server");
    let graded = grade(&[
        "ping-server",
        "--port",
        &port,
        "--",
        &ours,
        "--port",
        "{port}",
    ]);
    assert_eq!(graded.code, 3, "{}", graded.report);
    assert!(
        graded.report.contains("já está em uso"),
        "{}",
        graded.report
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let web = path_of("web-server");
    let graded = grade(&["3a", "--port", &port, "--", &web, "--port", "{port}"]);
    assert_eq!(graded.code, 3, "{}", graded.report);
}

#[test]
fn a_program_that_exits_at_once_exits_with_3() {
    if !python3() {
        return;
    }
    let graded = grade_python(
        &["3a"],
        "import sys\nprint('erro de propósito', file=sys.stderr)\nsys.exit(1)\n",
        &["{port}"],
    );
    assert_eq!(graded.code, 3, "{}", graded.report);
    assert!(
        graded.report.contains("erro de propósito"),
        "{}",
        graded.report
    );
}

/// O `/proc` existe (Linux)? É por ele que vemos se um pid ainda vive.
fn has_proc() -> bool {
    let ok = Path::new("/proc/self").exists();
    if !ok {
        support::skip("sem /proc, não dá para ver se o processo ainda existe");
    }
    ok
}

/// Todos os pids anotados em `file` já terminaram.
fn assert_all_gone(file: &PathBuf) {
    let pids = std::fs::read_to_string(file).expect("o programa anotou o pid");
    assert!(!pids.trim().is_empty());
    for pid in pids.lines() {
        let alive = Path::new(&format!("/proc/{pid}")).exists();
        assert!(!alive, "o processo {pid} continua rodando");
    }
}

#[test]
fn no_process_or_port_is_left_after_a_server_that_crashes_on_every_request() {
    if !python3() || !has_proc() {
        return;
    }
    let code = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('localhost', int(sys.argv[1])))
s.listen(5)
conn, _ = s.accept()
conn.recv(1024)
raise SystemExit(1)
"#;
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let port_text = port.to_string();
    let dir = python_file(code);
    let pids = dir.0.join("pids");
    let graded = grade_in(
        &dir.0,
        &[
            "3b",
            "--port",
            &port_text,
            "--",
            "python3",
            "trabalho.py",
            "{port}",
        ],
        &[("PID_FILE", &pids)],
    );
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        graded.report.contains("foi reiniciado"),
        "{}",
        graded.report
    );
    assert!(std::fs::read_to_string(&pids).unwrap().lines().count() > 1);
    assert_all_gone(&pids);
    TcpListener::bind(("127.0.0.1", port)).expect("a porta ficou livre");
}

// ---------------------------------------------------------------------------
// --resumo: a interface que o `grader turma` lê
// ---------------------------------------------------------------------------

/// Lê o resumo `chave=valor` e confere a ordem fixa das oito chaves.
fn read_summary(path: &Path) -> Vec<(String, String)> {
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

fn summary_value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    &pairs.iter().find(|(k, _)| k == key).unwrap().1
}

#[test]
fn summary_file_has_the_verdict_for_approved_and_not_run() {
    let dir = TempDir::new("resumo");
    let path = dir.0.join("resumo.txt");
    let path_text = path.display().to_string();
    let ours = path_of("ping-server");
    let graded = grade(&[
        "ping-server",
        "--resumo",
        &path_text,
        "--",
        &ours,
        "--port",
        "{port}",
        "--seed",
        "7",
    ]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    let pairs = read_summary(&path);
    assert_eq!(summary_value(&pairs, "modo"), "ping-server");
    assert_eq!(summary_value(&pairs, "veredito"), "aprovado");
    assert_eq!(summary_value(&pairs, "exigidos_falhos"), "0");
    assert_ne!(summary_value(&pairs, "exigidos_ok"), "0");

    let graded = grade(&[
        "3a",
        "--resumo",
        &path_text,
        "--",
        "programa-que-nao-existe-corretor",
        "{port}",
    ]);
    assert_eq!(graded.code, 3, "{}", graded.report);
    let pairs = read_summary(&path);
    assert_eq!(summary_value(&pairs, "modo"), "3a");
    assert_eq!(summary_value(&pairs, "veredito"), "nao-rodou");
    assert!(summary_value(&pairs, "motivo").contains("não foi encontrado"));
}

#[test]
fn summary_file_of_a_failed_run_says_reprovado_and_why() {
    if !python3() {
        return;
    }
    let dir =
        python_file(&support::ASSIGNMENT_PING_SERVER.replace("message = message.upper()", "pass"));
    let path = dir.0.join("resumo.txt");
    let path_text = path.display().to_string();
    let graded = grade_in(
        &dir.0,
        &[
            "ping-server",
            "--resumo",
            &path_text,
            "--",
            "python3",
            "trabalho.py",
            "{port}",
        ],
        &[],
    );
    assert_eq!(graded.code, 1, "{}", graded.report);
    let pairs = read_summary(&path);
    assert_eq!(summary_value(&pairs, "veredito"), "reprovado");
    assert_eq!(summary_value(&pairs, "exigidos_falhos"), "1");
    assert!(summary_value(&pairs, "motivo").contains("maiúsculas"));
}

// ---------------------------------------------------------------------------
// Issue 17: o que o enunciado exige, e só isso; relatórios certos
// ---------------------------------------------------------------------------

#[test]
fn ping_client_loss_lines_in_the_students_own_words_are_losses() {
    if !python3() {
        return;
    }
    // Sem nenhuma palavra de uma lista: «Solicitação N expirada.» e «Sem eco».
    for loss in ["'Solicitação %d expirada.' % pings", "'Sem eco :('"] {
        let code = ASSIGNMENT_PING_CLIENT.replace(
            "print(\"Pacote foi perdido durante a transmissão\")",
            &format!("print({loss})"),
        );
        assert_ne!(code, ASSIGNMENT_PING_CLIENT);
        grade_python(&["ping-client"], &code, &["{port}"]).assert_passes();
    }
}

#[test]
fn ping_client_with_an_unlabelled_rtt_passes() {
    if !python3() {
        return;
    }
    // Imprime a tupla: «(b'PACOTE ENVIADO', 3, 0.000216)», sem «RTT».
    let code = ASSIGNMENT_PING_CLIENT.replace(
        "print(\"Ping: \" + str(pings) + \" Data e Hora: \" + data_e_hora_string + \" Mensagem do servidor: \" + str(mensagem) +  \" RTT: \" + str(RTT))",
        "print((mensagem, pings, RTT))",
    );
    assert_ne!(code, ASSIGNMENT_PING_CLIENT);
    grade_python(&["ping-client"], &code, &["{port}"]).assert_passes();
}

#[test]
fn slow_ping_server_is_slow_not_lost() {
    if !python3() {
        return;
    }
    let code = support::ASSIGNMENT_PING_SERVER
        .replace("import random", "import random, time")
        .replace(
            "    server_socket.sendto(message, address)",
            "    time.sleep(0.1)\n    server_socket.sendto(message, address)",
        );
    let graded = grade_python(&["ping-server"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert!(
        graded.failed(false).contains(&"ping.atraso".to_string()),
        "{}",
        graded.report
    );
    assert!(graded.report.contains("time.sleep"), "{}", graded.report);
    assert!(!graded.report.contains("99,"), "{}", graded.report);
}

#[test]
fn web_server_that_exits_after_its_first_request_is_not_approved() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER
        .replace("THREADED = True", "THREADED = False")
        .replace(
            "        atender(conn)",
            "        atender(conn)\n        break",
        );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert_eq!(
        graded.failed(true),
        vec!["web.continua"],
        "{}",
        graded.report
    );
    assert!(
        graded
            .report
            .contains("depois da primeira requisição, o programa terminou com código 0"),
        "{}",
        graded.report
    );
}

#[test]
fn a_threaded_server_with_another_body_is_judged_on_concurrency_alone() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace("corpo = f.read()", "corpo = b'<p>outra coisa</p>'");
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3b"], &code, &["{port}"]);
    // Em 3b o formato da resposta (de 3a) é boa prática: aprovado.
    graded.assert_practice_only("web.arquivo");
    assert!(!graded.report.contains("isso é 3a"), "{}", graded.report);
    assert!(
        graded.report.contains("[passou] web.concorrente"),
        "{}",
        graded.report
    );
}

#[test]
fn a_blank_line_after_the_body_does_not_pass_the_blank_line_check() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace(
        "conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(corpo) + corpo)",
        "conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\n' + corpo + b'\\r\\n\\r\\n')",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    graded.assert_fails_only(1, "web.linha-em-branco");
    assert!(
        graded
            .report
            .contains("falta a linha em branco logo depois de «Content-Type: text/html»"),
        "{}",
        graded.report
    );
}

#[test]
fn a_response_that_starts_with_an_empty_line_is_said_so() {
    if !python3() {
        return;
    }
    // O esqueleto de muitas soluções: «\nHTTP/1.1 200 OK\n\n», e o arquivo.
    let code = PYTHON_WEB_SERVER.replace(
        "conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(corpo) + corpo)",
        "conn.sendall(b'\\nHTTP/1.1 200 OK\\n\\n' + corpo)",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    // Um cliente lê a linha vazia como a linha de status: não é uma
    // mensagem HTTP, e 3a reprova (em 3b, só a concorrência conta).
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert_eq!(graded.failed(true), vec!["web.status"], "{}", graded.report);
    assert!(
        graded.report.contains(
            "a resposta começa com uma linha em branco, e só depois vem «HTTP/1.1 200 OK»"
        ),
        "{}",
        graded.report
    );
    assert!(!graded.report.contains("«»"), "{}", graded.report);
}

#[test]
fn http_client_that_crashes_shows_its_exit_code_and_exception() {
    if !python3() {
        return;
    }
    let code = format!("{PYTHON_HTTP_CLIENT}raise ValueError('quebrei de propósito')\n");
    let graded = grade_python(&["3c"], &code, &[]);
    graded.assert_practice_only("http.sem-erro");
    assert!(
        graded
            .report
            .contains("terminou com código 1: ValueError: quebrei de propósito"),
        "{}",
        graded.report
    );
    // Se o erro esconde a resposta, a conferência exigida diz o porquê.
    let code = PYTHON_HTTP_CLIENT.replace(
        "s.connect((host, port))",
        "s.connect((host, port))\nraise ConnectionResetError('caiu')",
    );
    let graded = grade_python(&["3c"], &code, &[]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        graded.report.contains("ConnectionResetError: caiu"),
        "{}",
        graded.report
    );
}

/// Deixa uma conexão em TIME_WAIT na porta `port`: um servidor Python
/// aceita uma conexão e a fecha primeiro (quem fecha primeiro fica com o
/// TIME_WAIT), e termina. `reuse`: ele usava SO_REUSEADDR.
fn leave_time_wait(port: u16, reuse: bool) {
    let dir = TempDir::new("time-wait");
    let option = if reuse {
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    } else {
        ""
    };
    let code = format!(
        "import socket\ns = socket.socket()\n{option}s.bind(('127.0.0.1', {port}))\ns.listen(1)\nprint('ouvindo', flush=True)\nc, _ = s.accept()\nc.close()\ns.close()\n"
    );
    std::fs::write(dir.0.join("tw.py"), code).unwrap();
    let mut child = Command::new("python3")
        .arg("tw.py")
        .current_dir(&dir.0)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Espera o «ouvindo» (evento), conecta, lê até o servidor fechar.
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 6];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut stream, &mut rest);
    assert!(child.wait().unwrap().success());
    drop(stream);
}

#[test]
fn time_wait_on_the_port_does_not_stop_the_grader() {
    if !python3() {
        return;
    }
    let free_port = || {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    // Com SO_REUSEADDR, o servidor escuta apesar do TIME_WAIT: o corretor o inicia.
    let port = free_port();
    leave_time_wait(port, true);
    let port_text = port.to_string();
    let graded = grade_python(
        &["3a", "--port", &port_text],
        PYTHON_WEB_SERVER,
        &["{port}"],
    );
    graded.assert_passes();
    // Se o anterior não usava SO_REUSEADDR, o bind falha (no Linux, os dois
    // precisam da opção), e só então o corretor explica.
    let port = free_port();
    leave_time_wait(port, false);
    let port_text = port.to_string();
    let code = PYTHON_WEB_SERVER.replace(
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n",
        "",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a", "--port", &port_text], &code, &["{port}"]);
    assert_eq!(graded.code, 3, "{}", graded.report);
    assert!(
        graded.report.contains("TIME_WAIT") && graded.report.contains("SO_REUSEADDR"),
        "{}",
        graded.report
    );
}

#[test]
fn the_powershell_safe_placeholder_works_and_a_script_block_is_explained() {
    let ours = path_of("web-server");
    grade(&[
        "3a", "--", &ours, "--single", "--port", "_PORT_", "--root", ".",
    ])
    .assert_passes();
    // `{port}` sem aspas no PowerShell chega assim.
    let graded = grade(&[
        "3a",
        "--",
        &ours,
        "--port",
        "-encodedCommand",
        "ewBwAG8AcgB0AH0A",
        "-inputFormat",
        "xml",
    ]);
    assert_eq!(graded.code, 2, "{}", graded.report);
    let help = grade(&["--help"]);
    assert!(help.report.contains("_PORT_"), "{}", help.report);
}

#[test]
fn a_missing_python_suggests_the_other_name() {
    let graded = grade(&["3a", "--", "/nao-existe-corretor/python3", "servidor.py"]);
    assert_eq!(graded.code, 3, "{}", graded.report);
    assert!(
        graded
            .report
            .contains("tente `python` no lugar de `python3`"),
        "{}",
        graded.report
    );
    let graded = grade(&["3a", "--", "/nao-existe-corretor/python", "servidor.py"]);
    assert!(
        graded
            .report
            .contains("tente `python3` no lugar de `python`"),
        "{}",
        graded.report
    );
}

#[test]
fn listing_and_teacher_choices() {
    for mode in ["ping-server", "ping-client", "3a", "3b", "3c"] {
        let listed = grade(&[mode, "--listar"]);
        assert_eq!(listed.code, 0, "{}", listed.report);
        assert!(listed.report.contains("exigida"), "{}", listed.report);
        assert!(listed.report.contains("boa prática"), "{}", listed.report);
    }
    let listed = grade(&["3b", "--listar"]).report;
    assert!(listed.contains("web.concorrente") && listed.contains("3b: «servidor multithread"));
    assert_eq!(grade(&["3a", "--exigir", "web.nada", "--", "x"]).code, 2);
    assert_eq!(grade(&["3a", "--tolerar", "nada", "--", "x"]).code, 2);
}

#[test]
fn a_tolerated_requirement_does_not_fail_the_run() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK");
    let graded = grade_python(&["3a", "--tolerar", "web.404"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(
        graded.report.contains("tolerada com --tolerar"),
        "{}",
        graded.report
    );
}

#[test]
fn http_client_that_prints_python_bytes_passes_and_is_told_to_decode() {
    if !python3() {
        return;
    }
    // `print(parte)`: «b'HTTP/1.1 200 OK\r\n...'», um literal por recv.
    let code = PYTHON_HTTP_CLIENT.replace(
        "    sys.stdout.write(parte.decode())\n    sys.stdout.flush()\n",
        "    print(parte, flush=True)\n",
    );
    assert_ne!(code, PYTHON_HTTP_CLIENT);
    grade_python(&["3c"], &code, &[]).assert_practice_only("http.legivel");
}

#[test]
fn a_requirement_that_could_not_run_never_approves() {
    if !python3() {
        return;
    }
    // Termina no 2000º ping da medida da perda; reiniciado, não sobe mais
    // (um arquivo ao lado diz que já rodou): «dois clientes» não roda.
    let code = support::ASSIGNMENT_PING_SERVER
        .replace(
            "import random",
            "import os, random\nif os.path.exists('ja-rodou'):\n    raise SystemExit('não sobe de novo')\nopen('ja-rodou', 'w').close()\npings = 0",
        )
        .replace(
            "    message = message.upper()",
            "    if message.startswith(b'ping '):\n        pings += 1\n        if pings == 2000:\n            raise SystemExit(0)\n    message = message.upper()",
        );
    let graded = grade_python(&["ping-server"], &code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        graded.report.contains("[  --  ] ping.dois-clientes"),
        "{}",
        graded.report
    );
    assert!(
        graded.report.contains("código 1") && graded.report.contains("não sobe de novo"),
        "{}",
        graded.report
    );
    assert!(
        graded
            .report
            .contains("reprovado: uma exigência não pôde ser conferida"),
        "{}",
        graded.report
    );
}

#[test]
fn the_students_own_files_are_beside_the_program_but_the_graders_win() {
    if !python3() {
        return;
    }
    // O servidor lê, ao subir, arquivos da pasta dele; no 404, manda o
    // `erro404.html` dele (sem o arquivo, cai com FileNotFoundError).
    let code = PYTHON_WEB_SERVER
        .replace(
            "THREADED = True",
            "THREADED = False\nassert open('sub/dado.txt').read() == 'do aluno'\nassert not os.path.exists('link-fora'), 'o link foi seguido'\nassert 'Corretor' in open('index.html').read(), 'o index.html do aluno venceu'",
        )
        .replace(
            "corpo = b'<h1>404 Not Found</h1>'",
            "corpo = open('erro404.html', 'rb').read()",
        );
    let dir = python_file(&code);
    std::fs::write(dir.0.join("erro404.html"), "<h1>nao achei</h1>").unwrap();
    std::fs::write(dir.0.join("index.html"), "do aluno, não do corretor").unwrap();
    // O nome que o corretor usa para ver o 404 precisa continuar ausente.
    std::fs::write(dir.0.join("nao-existe-corretor.html"), "existe!").unwrap();
    std::fs::create_dir(dir.0.join("sub")).unwrap();
    std::fs::write(dir.0.join("sub/dado.txt"), "do aluno").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", dir.0.join("link-fora")).unwrap();
    let graded = grade_in(
        &dir.0,
        &["3a", "--", "python3", "trabalho.py", "{port}"],
        &[],
    );
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert!(!graded.report.contains("Error"), "{}", graded.report);
}

#[test]
fn the_summary_reason_quotes_the_error_that_killed_the_program() {
    if !python3() {
        return;
    }
    // O erro clássico do Python 3: `send` de uma str.
    let code = PYTHON_WEB_SERVER.replace("THREADED = True", "THREADED = False").replace(
        "        with open(arquivo, 'rb') as f:",
        "        conn.send('HTTP/1.1 200 OK\\r\\n\\r\\n')\n        with open(arquivo, 'rb') as f:",
    );
    let dir = python_file(&code);
    let path = dir.0.join("resumo.txt");
    let path_text = path.display().to_string();
    let graded = grade_in(
        &dir.0,
        &[
            "3a",
            "--resumo",
            &path_text,
            "--",
            "python3",
            "trabalho.py",
            "{port}",
        ],
        &[],
    );
    assert_eq!(graded.code, 1, "{}", graded.report);
    let pairs = read_summary(&path);
    let reason = summary_value(&pairs, "motivo");
    assert!(
        reason.starts_with("o programa caiu com «TypeError: ") && reason.contains("(web."),
        "{reason}"
    );
}

#[test]
fn a_misnamed_script_is_named_with_the_students_folder_before_running() {
    let dir = TempDir::new("aluno-sem-script");
    std::fs::write(
        dir.0.join("webserver.py"),
        "raise SystemExit('não devia rodar')\n",
    )
    .unwrap();
    let graded = grade_in(&dir.0, &["3a", "--", "python3", "WebServer.py"], &[]);
    assert_eq!(graded.code, 3, "{}", graded.report);
    let folder = dir.0.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        graded
            .report
            .contains(&format!("não há WebServer.py na pasta de {folder}"))
            && graded.report.contains("há webserver.py"),
        "{}",
        graded.report
    );
}

#[test]
fn a_server_that_never_answers_is_not_told_it_keeps_files_inside_the_folder() {
    if !python3() {
        return;
    }
    // Lê a requisição e fecha sem responder nada, sempre.
    let code = "import socket, sys\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('localhost', int(sys.argv[1])))\ns.listen(8)\nwhile True:\n    c, _ = s.accept()\n    c.recv(4096)\n    c.close()\n";
    let graded = grade_python(&["3a"], code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        !graded.report.contains("[passou] web.fora-da-pasta"),
        "{}",
        graded.report
    );
    assert!(
        graded.report.contains("[  --  ] web.fora-da-pasta"),
        "{}",
        graded.report
    );
}

#[test]
fn a_restart_that_hits_time_wait_is_explained() {
    if !python3() {
        return;
    }
    // Sem SO_REUSEADDR: atende uma requisição, fecha a conexão primeiro
    // (o TIME_WAIT fica na porta dele) e sai; o reinício cai no bind.
    let code = "import socket, sys\ns = socket.socket()\ns.bind(('localhost', int(sys.argv[1])))\ns.listen(8)\nc, _ = s.accept()\nc.recv(4096)\nc.sendall(b'HTTP/1.1 200 OK\\r\\n\\r\\nola')\nc.close()\nsys.exit(1)\n";
    let graded = grade_python(&["3a"], code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        graded.report.contains("o reinício falhou: a porta ficou em TIME_WAIT das conexões que o seu servidor fechou; com SO_REUSEADDR (no Linux, desde a execução anterior) isso não acontece"),
        "{}",
        graded.report
    );
}

#[test]
fn a_typod_id_prints_the_error_and_one_hint_not_the_whole_help() {
    for args in [
        &["3a", "--exigir", "web.nada", "--", "p"][..],
        &[
            "turma",
            ".",
            "3a",
            "--tolerar",
            "web.nada",
            "--csv",
            "n.csv",
            "--",
            "p",
        ][..],
    ] {
        let out = Command::new(bin("grader"))
            .args(args)
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .output()
            .expect("o corretor roda");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("`web.nada`"), "{stderr}");
        assert!(!stderr.contains("uso: grader"), "{stderr}");
        assert_eq!(stderr.lines().count(), 2, "{stderr}");
    }
}

// ---------------------------------------------------------------------------
// Submissões reais (issue 17): cada defeito do corretor visto nelas, num
// programa pequeno escrito aqui
// ---------------------------------------------------------------------------

#[test]
fn a_404_without_a_line_ending_is_not_an_http_message() {
    if !python3() {
        return;
    }
    let code = PYTHON_WEB_SERVER.replace(
        "conn.sendall(b'HTTP/1.1 404 Not Found\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(corpo) + corpo)",
        "conn.sendall(b'HTTP/1.1 404 Not Found')",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    graded.assert_fails_only(1, "web.404");
    assert!(
        graded.report.contains("sem fim de linha"),
        "{}",
        graded.report
    );
    // Só a linha de status, com o fim de linha: o curl mostra o 404.
    let code = PYTHON_WEB_SERVER.replace(
        "conn.sendall(b'HTTP/1.1 404 Not Found\\r\\nContent-Type: text/html\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(corpo) + corpo)",
        "conn.sendall(b'HTTP/1.1 404 Not Found\\r\\n')",
    );
    let graded = grade_python(&["3a"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
}

const PYTHON_HTTP_SERVER_MODULE: &str = r#"
import http.server, socketserver, sys
socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(('localhost', int(sys.argv[1])), http.server.SimpleHTTPRequestHandler) as s:
    s.serve_forever()
"#;

#[test]
fn a_server_that_is_pythons_http_server_fails_the_sockets_check() {
    if !python3() {
        return;
    }
    let graded = grade_python(&["3a"], PYTHON_HTTP_SERVER_MODULE, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert_eq!(
        graded.failed(true),
        vec!["web.sockets"],
        "{}",
        graded.report
    );
    assert!(graded.report.contains("SimpleHTTP/"), "{}", graded.report);
}

#[test]
fn a_threaded_server_is_judged_on_concurrency_and_on_answering_http() {
    if !python3() {
        return;
    }
    // Uma thread por conexão, mas responde 404 a tudo (serve de outra pasta).
    let code = PYTHON_WEB_SERVER.replace(
        "os.path.isfile(arquivo)",
        "os.path.isfile(arquivo + '.nao')",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3b"], &code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(
        graded.failed(false).contains(&"web.status".to_string()),
        "{}",
        graded.report
    );
    // Uma thread por conexão que devolve um eco: não é um servidor web.
    let code = PYTHON_WEB_SERVER.replace(
        "        caminho = data.split()[1].decode()",
        "        conn.sendall(b'Hello, ' + data)\n        return",
    );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3b"], &code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert_eq!(graded.failed(true), vec!["web.http"], "{}", graded.report);
}

#[test]
fn a_thread_that_uses_the_global_connection_fails_the_idle_client_check() {
    if !python3() {
        return;
    }
    // A thread responde no socket global, que o próximo accept troca: com
    // um cliente parado e outro atendido, o parado nunca recebe resposta.
    let code = PYTHON_WEB_SERVER
        .replace(
            "def atender(conn):",
            "def atender(_conn):\n    conn = _conn",
        )
        .replace(
            "        data = b''",
            "        data = b''\n        leitor = conn",
        )
        .replace(
            "parte = conn.recv(1024)",
            "parte = leitor.recv(1024)\n            conn = atual",
        )
        .replace(
            "    conn, _ = s.accept()",
            "    conn, _ = s.accept()\n    atual = conn",
        );
    assert_ne!(code, PYTHON_WEB_SERVER);
    let graded = grade_python(&["3b"], &code, &["{port}"]);
    assert_eq!(graded.code, 1, "{}", graded.report);
    assert!(
        graded.failed(true).contains(&"web.concorrente".to_string()),
        "{}",
        graded.report
    );
    assert!(
        graded.report.contains("variável global"),
        "{}",
        graded.report
    );
}

#[test]
fn a_server_slow_on_its_first_answer_is_slow_not_mute() {
    if !python3() {
        return;
    }
    // 3,5 s antes da primeira resposta: mais que os 3 s fixos de antes.
    let code = PYTHON_WEB_SERVER
        .replace("import os, socket, sys, threading", "import os, socket, sys, threading, time\nprimeira = [True]")
        .replace(
            "        with open(arquivo, 'rb') as f:",
            "        if primeira[0]:\n            primeira[0] = False\n            time.sleep(3.5)\n        with open(arquivo, 'rb') as f:",
        );
    assert_ne!(code, PYTHON_WEB_SERVER);
    grade_python(&["3a"], &code, &["{port}"]).assert_passes();
}

#[test]
fn http_client_that_ignores_the_host_argument_fails_the_address_check() {
    if !python3() {
        return;
    }
    if std::net::TcpListener::bind("127.0.0.2:0").is_err() {
        support::skip("127.0.0.2 não existe neste sistema; o corretor não confere o host");
        return;
    }
    let code =
        PYTHON_HTTP_CLIENT.replace("s.connect((host, port))", "s.connect(('localhost', port))");
    assert_ne!(code, PYTHON_HTTP_CLIENT);
    let graded = grade_python(&["3c"], &code, &[]);
    graded.assert_fails_only(1, "http.endereco");
}

#[test]
fn http_client_with_a_print_between_two_recvs_shows_the_file() {
    if !python3() {
        return;
    }
    // Um print() por pedaço: uma quebra de linha a mais entre eles.
    let code = PYTHON_HTTP_CLIENT.replace(
        "    sys.stdout.write(parte.decode())\n    sys.stdout.flush()\n",
        "    print(parte.decode(), flush=True)\n",
    );
    assert_ne!(code, PYTHON_HTTP_CLIENT);
    let code = code.replace("s.recv(4096)", "s.recv(1000)");
    let graded = grade_python(&["3c"], &code, &[]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert!(
        graded.report.contains("quebras de linha a mais"),
        "{}",
        graded.report
    );
}

#[test]
fn http_client_that_waits_a_little_before_exiting_finishes() {
    if !python3() {
        return;
    }
    let code = format!("{PYTHON_HTTP_CLIENT}import time\ntime.sleep(3.5)\n");
    grade_python(&["3c"], &code, &[]).assert_passes();
}

/// Um socket só para os 10 pings e a resposta impressa com o número que
/// veio nela: a atrasada do ping k aparece como «PING k» na vez do k + 1.
const ONE_SOCKET_PING_CLIENT: &str = r#"
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
print("Iniciando")
for n in range(1, 11):
    inicio = time.time()
    s.sendto(('Ping %d %f' % (n, inicio)).encode(), ('127.0.0.1', int(sys.argv[1])))
    try:
        dados, _ = s.recvfrom(1024)
        print('Resposta: %s | RTT = %.6f s' % (dados.decode(), time.time() - inicio))
    except socket.timeout:
        print('LOST: PING %d request timed out' % n)
"#;

#[test]
fn ping_client_that_prints_the_echoed_number_of_a_late_reply_fails_only_good_practice() {
    if !python3() {
        return;
    }
    grade_python(&["ping-client"], ONE_SOCKET_PING_CLIENT, &["{port}"])
        .assert_practice_only("ping.atrasada");
    // A perda sem número («Request timed out»).
    let code = ONE_SOCKET_PING_CLIENT.replace(
        "'LOST: PING %d request timed out' % n",
        "'Request timed out'",
    );
    assert_ne!(code, ONE_SOCKET_PING_CLIENT);
    grade_python(&["ping-client"], &code, &["{port}"]).assert_practice_only("ping.atrasada");
}

#[test]
fn ping_client_with_several_rtt_lines_per_reply_is_read() {
    if !python3() {
        return;
    }
    // «Message Received PING n» e depois várias linhas com RTT, sem número.
    let code = ONE_SOCKET_PING_CLIENT.replace(
        "        print('Resposta: %s | RTT = %.6f s' % (dados.decode(), time.time() - inicio))",
        "        rtt = time.time() - inicio\n        print('Message Received', dados.decode().split()[0], dados.decode().split()[1])\n        print('Min Round Trip Time', rtt)\n        print('Round Trip Time', rtt)",
    );
    assert_ne!(code, ONE_SOCKET_PING_CLIENT);
    grade_python(&["ping-client"], &code, &["{port}"]).assert_practice_only("ping.atrasada");
}

#[test]
fn ping_server_that_sometimes_sleeps_is_slow_not_lossy() {
    if !python3() {
        return;
    }
    // Um datagrama em cada quatro se perde; um em cada três espera 0,8 s
    // antes do eco (contado, não sorteado: o teste é o mesmo toda vez). Em
    // lote, a fila enche e quase tudo se perde; ping a ping, ele responde.
    let code = r#"
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', int(sys.argv[1])))
n = 0
while True:
    dados, endereco = s.recvfrom(1024)
    n += 1
    if n % 4 == 0:
        continue
    if n % 3 == 0:
        time.sleep(0.8)
    s.sendto(dados.upper(), endereco)
"#;
    let graded = grade_python(&["ping-server"], code, &["{port}"]);
    assert_eq!(graded.code, 0, "{}", graded.report);
    assert!(graded.failed(true).is_empty(), "{}", graded.report);
    assert!(
        graded.failed(false).contains(&"ping.atraso".to_string()),
        "{}",
        graded.report
    );
    assert!(graded.report.contains("time.sleep"), "{}", graded.report);
}
