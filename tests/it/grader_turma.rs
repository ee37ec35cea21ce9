//! `grader turma` (issue 17, "A class at once"): uma turma de quatro
//! alunos, todos na porta fixa 6789 do enunciado (seção 3a), dá o veredito
//! certo de cada um na planilha e não deixa nada rodando.
//!
//! - ana: servidor correto → aprovado;
//! - bruno: manda 200 para arquivo que não existe → reprovado;
//! - carla: roda, mas nunca escuta → nao-rodou;
//! - davi: aceita conexões e nunca responde, e ainda deixa um processo neto
//!   → tempo-esgotado, e nem ele nem o neto sobrevivem.
//!
//! Com namespaces (Linux, root ou namespaces de usuário), os alunos rodam
//! em paralelo, cada um com a sua porta 6789; sem eles, um por vez. O
//! segundo teste força `--sem-isolamento`, e aí quem mata o neto é o grupo
//! de processos. Os dois se revezam (um `Mutex`): sem namespaces, ambos
//! usariam a 6789 do computador.
//!
//! O tempo limite (16 s) fica entre o que carla leva (10 s: o corretor
//! espera 10 s alguém escutar) e o que davi levaria sem limite (uns 25 s:
//! cada conferência espera 3 s por uma resposta que nunca vem).

use crate::support;

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{TempDir, bin};

/// Um servidor 3a correto, na porta fixa do enunciado.
const GOOD: &str = r#"
import os, socket
root = os.path.realpath('.')
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('localhost', 6789))
s.listen(8)
while True:
    conn, _ = s.accept()
    try:
        data = b''
        while b'\r\n\r\n' not in data:
            parte = conn.recv(1024)
            if not parte:
                break
            data += parte
        partes = data.split()
        caminho = partes[1].decode() if len(partes) > 1 else '/'
        arquivo = os.path.realpath(os.path.join(root, caminho.lstrip('/')))
        if not arquivo.startswith(root + os.sep) or not os.path.isfile(arquivo):
            corpo = b'<h1>404 Not Found</h1>'
            conn.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n' % len(corpo) + corpo)
        else:
            with open(arquivo, 'rb') as f:
                corpo = f.read()
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n' % len(corpo) + corpo)
    except OSError:
        pass
    finally:
        conn.close()
"#;

/// Roda, mas esqueceu do `bind`/`listen`.
const NEVER_LISTENS: &str =
    "import time\nprint('esqueci de escutar')\nwhile True:\n    time.sleep(60)\n";

/// Aceita e nunca responde; antes, deixa um neto (o mesmo arquivo, com
/// `neto`, para que a linha de comando dele cite a pasta do aluno).
const HANGS: &str = r#"
import socket, subprocess, sys, time
if sys.argv[1:] == ['neto']:
    while True:
        time.sleep(60)
subprocess.Popen([sys.executable, __file__, 'neto'])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('localhost', 6789))
s.listen(8)
presas = []
while True:
    conn, _ = s.accept()
    presas.append(conn)
"#;

/// A turma: uma pasta por aluno, com o `servidor.py` de cada um.
fn class(students: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new("turma");
    for (name, code) in students {
        let student = dir.0.join("alunos").join(name);
        std::fs::create_dir_all(&student).unwrap();
        std::fs::write(student.join("servidor.py"), code).unwrap();
    }
    dir
}

/// Uma planilha `;` com campos entre aspas (o suficiente para a nossa).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = !quoted,
                ';' if !quoted => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        rows.push(fields);
    }
    rows
}

/// A porta 6789 (TCP) do computador está livre? (O `bind` do std usa
/// SO_REUSEADDR: conexões em TIME_WAIT não contam, só quem escuta.)
fn port_6789_free() -> bool {
    TcpListener::bind(("127.0.0.1", 6789)).is_ok()
}

/// Processos que citam `dir` na linha de comando ou rodam dentro dela.
fn survivors(dir: &Path) -> Vec<String> {
    let needle = dir.display().to_string();
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        let cwd = std::fs::read_link(entry.path().join("cwd")).unwrap_or_default();
        if cmdline.contains(&needle) || cwd.starts_with(dir) {
            found.push(format!("{pid}: {cmdline} (em {})", cwd.display()));
        }
    }
    found
}

/// Espera (com prazo) não sobrar processo nenhum da turma: um SIGKILL é
/// entregue logo, mas não no mesmo instante em que o `kill` volta.
fn assert_nothing_left(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        support::skip("sem /proc, não dá para procurar processos que sobraram");
        return;
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = survivors(dir);
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "sobraram processos da turma: {left:#?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Roda o lote (`-- python3 servidor.py`) e devolve (stdout, linhas da
/// planilha sem o cabeçalho).
fn run_batch(dir: &TempDir, extra: &[&str]) -> (String, Vec<Vec<String>>) {
    run_batch_with(dir, extra, &["python3", "servidor.py"])
}

/// [`run_batch`] com outro comando.
fn run_batch_with(dir: &TempDir, extra: &[&str], command: &[&str]) -> (String, Vec<Vec<String>>) {
    let csv = dir.0.join("notas.csv");
    let started = Instant::now();
    let out = Command::new(bin("grader"))
        .arg("turma")
        .arg(dir.0.join("alunos"))
        .args(["3a", "--tempo-limite", "16"])
        .args(extra)
        .arg("--csv")
        .arg(&csv)
        .arg("--")
        .args(command)
        .env_remove("PRATICA_FRONTEND")
        .stdin(Stdio::null())
        .output()
        .expect("o corretor roda");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    // O andamento vai para o stderr, uma linha por evento (não é terminal).
    assert!(stderr.contains("aluno 1 de "), "{stderr}");
    // Fora da captura do cargo test, como o SKIP: quanto o lote levou.
    let _ = std::io::stderr().write_all(
        format!(
            "turma: o lote {extra:?} levou {:.1} s\n",
            started.elapsed().as_secs_f64()
        )
        .as_bytes(),
    );
    let bytes = std::fs::read(&csv).expect("a planilha foi gravada");
    let text = String::from_utf8(bytes).expect("a planilha é UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a planilha começa com o BOM do UTF-8");
    let mut rows = parse_csv(text);
    assert_eq!(
        rows.remove(0).join(";"),
        "aluno;modo;exigidos_ok;exigidos_falhos;exigidos_nao_rodados;boa_pratica_ok;boa_pratica_avisos;veredito;motivo;isolamento;tempo_s;relatorio;opcoes"
    );
    (stdout, rows)
}

/// Confere o veredito de cada aluno e o relatório que a planilha cita.
fn assert_verdicts(dir: &TempDir, stdout: &str, rows: &[Vec<String>], expected: &[(&str, &str)]) {
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let wanted: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, wanted, "{stdout}");
    for (row, (name, verdict)) in rows.iter().zip(expected) {
        assert_eq!(row.len(), 13, "{row:?}");
        assert_eq!(row[1], "3a");
        assert_eq!(&row[7], verdict, "{name}: {row:?}\n{stdout}");
        assert!(
            row[9] == "namespace" || row[9] == "nenhum",
            "isolamento: {row:?}"
        );
        let report = dir.0.join(&row[11]);
        let text = std::fs::read_to_string(&report)
            .unwrap_or_else(|e| panic!("relatório {}: {e}", report.display()));
        assert!(text.contains(&format!("Veredito: {verdict}")), "{text}");
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} na tabela: {stdout}"));
        assert!(line.contains(verdict), "{line}");
    }
    let required_failed = |name: &str| -> u32 {
        let row = rows.iter().find(|r| r[0] == name).unwrap();
        row[3].parse().unwrap()
    };
    assert_eq!(required_failed("ana"), 0);
    assert!(required_failed("bruno") >= 1);
}

fn python3() -> bool {
    support::python3_or_skip("a turma de teste é em Python")
}

#[test]
fn a_class_on_one_fixed_port_gets_the_right_verdicts_and_leaves_nothing_running() {
    if !python3() {
        return;
    }
    let _turn = support::fixed_ports();
    let free_before = port_6789_free();
    let dir = class(&[
        ("ana", GOOD),
        (
            "bruno",
            &GOOD.replace("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"),
        ),
        ("carla", NEVER_LISTENS),
        ("davi", HANGS),
    ]);
    // Com namespaces, os quatro ao mesmo tempo, todos na 6789.
    let (stdout, rows) = run_batch(&dir, &["--paralelo", "4"]);
    assert_nothing_left(&dir.0);
    let isolated = rows.iter().all(|r| r[9] == "namespace");
    if !isolated && !free_before {
        support::skip("sem namespaces e com a porta 6789 ocupada, o lote não pode dar certo");
        return;
    }
    if isolated {
        assert!(stdout.contains("; 4 alunos por vez"), "{stdout}");
    } else {
        assert!(stdout.contains("um aluno por vez"), "{stdout}");
    }
    assert_verdicts(
        &dir,
        &stdout,
        &rows,
        &[
            ("ana", "aprovado"),
            ("bruno", "reprovado"),
            ("carla", "nao-rodou"),
            ("davi", "tempo-esgotado"),
        ],
    );
    if free_before {
        assert!(
            port_6789_free(),
            "a porta 6789 ficou ocupada depois do lote"
        );
    }
}

#[test]
fn without_isolation_students_run_one_at_a_time_and_the_group_is_killed() {
    if !python3() {
        return;
    }
    let _turn = support::fixed_ports();
    if !port_6789_free() {
        support::skip("a porta 6789 deste computador está ocupada");
        return;
    }
    let dir = class(&[
        ("ana", GOOD),
        (
            "bruno",
            &GOOD.replace("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"),
        ),
        ("davi", HANGS),
    ]);
    let (stdout, rows) = run_batch(&dir, &["--sem-isolamento"]);
    assert_nothing_left(&dir.0);
    assert!(stdout.contains("Isolamento: nenhum"), "{stdout}");
    assert!(rows.iter().all(|r| r[9] == "nenhum"), "{rows:?}");
    assert_verdicts(
        &dir,
        &stdout,
        &rows,
        &[
            ("ana", "aprovado"),
            ("bruno", "reprovado"),
            ("davi", "tempo-esgotado"),
        ],
    );
    assert!(
        port_6789_free(),
        "a porta 6789 ficou ocupada depois do lote"
    );
}

#[test]
fn usage_errors_exit_2_and_a_batch_that_cannot_start_exits_1() {
    let dir = TempDir::new("turma-uso");
    let csv = dir.0.join("n.csv");
    let csv = csv.to_str().unwrap();
    let run = |args: &[&str]| {
        Command::new(bin("grader"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("o corretor roda")
    };
    // Sem --csv; e uma opção repassada que o modo individual recusa.
    for args in [
        &["turma", "x", "3a", "--", "python3", "s.py"][..],
        &["turma", "x", "3a", "--port", "0", "--csv", csv, "--", "p"],
        &["turma", "x", "3z", "--csv", csv, "--", "p"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("erro: "));
    }
    // A pasta da turma não existe; depois, existe mas não tem alunos.
    let missing = dir.0.join("nao-existe");
    let out = run(&[
        "turma",
        missing.to_str().unwrap(),
        "3a",
        "--csv",
        csv,
        "--",
        "p",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&[
        "turma",
        dir.0.to_str().unwrap(),
        "3a",
        "--csv",
        csv,
        "--",
        "p",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nenhuma pasta de aluno"));

    let help = run(&["turma", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&help.stdout)
            .starts_with("uso: grader turma PASTA MODO [opções] --csv ARQUIVO -- COMANDO")
    );
    let help = run(&["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("grader turma PASTA MODO"));
}

#[test]
fn a_batch_killed_midway_keeps_the_old_sheet_and_leaves_nothing_running() {
    if !python3() {
        return;
    }
    let _turn = support::fixed_ports();
    // ana termina logo; davi trava até o lote ser morto.
    let dir = class(&[("ana", GOOD), ("davi", HANGS)]);
    let csv = dir.0.join("notas.csv");
    let old = "planilha anterior, que tem de sobreviver\r\n";
    std::fs::write(&csv, old).unwrap();
    let partial = dir.0.join(".notas.csv.parcial");
    let mut batch = Command::new(bin("grader"))
        .arg("turma")
        .arg(dir.0.join("alunos"))
        .args(["3a", "--tempo-limite", "100", "--paralelo", "2", "--csv"])
        .arg(&csv)
        .args(["--", "python3", "servidor.py"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("o corretor roda");
    // Espera (com prazo) a linha de ana chegar ao arquivo parcial.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&partial)
        .unwrap_or_default()
        .contains("\r\nana;")
    {
        assert!(Instant::now() < deadline, "a linha de ana não apareceu");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SIGKILL só no lote: nenhum sinal chega aos filhos por outro caminho.
    batch.kill().unwrap();
    let _ = batch.wait();
    let mut head = String::new();
    let _ = std::io::Read::read_to_string(batch.stdout.as_mut().unwrap(), &mut head);
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), old, "{head}");
    assert!(
        head.contains(".notas.csv.parcial"),
        "o lote diz onde ficam as linhas prontas: {head}"
    );
    if head.contains("Isolamento: cada aluno num namespace") {
        // Com namespace e setpriv, o corretor de davi morre com o lote, e o
        // namespace (davi e o neto dele) junto.
        assert_nothing_left(&dir.0);
    } else {
        support::skip("sem namespaces, o programa do aluno sobrevive a um lote morto por SIGKILL");
        // Os que sobraram são mortos pelo pid, para não atrapalhar o resto.
        for line in survivors(&dir.0) {
            let pid = line.split(':').next().unwrap_or("");
            let _ = Command::new("kill").args(["-KILL", pid]).status();
        }
    }
}

/// Sem isolamento, o servidor do aluno anterior fecha primeiro e deixa as
/// conexões em TIME_WAIT na porta; sem `SO_REUSEADDR` (como a maioria das
/// entregas reais), o `bind` do aluno seguinte falha por até 1 minuto. O
/// lote espera o TIME_WAIT acabar e roda esse aluno de novo: os dois são
/// aprovados, e o relatório do segundo diz que houve repetição. Usa uma
/// porta livre qualquer (`--port`), não a 6789: o TIME_WAIT que sobra no
/// fim não atrapalha os outros testes. Leva pouco mais de 1 minuto.
#[test]
fn without_isolation_the_time_wait_left_by_the_previous_student_is_waited_out() {
    if !python3() {
        return;
    }
    let port = TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let no_reuse = GOOD
        .replace(
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n",
            "",
        )
        .replace(
            "s.bind(('localhost', 6789))",
            "import sys\ns.bind(('localhost', int(sys.argv[1])))",
        );
    assert!(!no_reuse.contains("SO_REUSEADDR") && no_reuse.contains("sys.argv"));
    let dir = class(&[("ana", &no_reuse), ("bia", &no_reuse)]);
    let port_text = port.to_string();
    let (stdout, rows) = run_batch_with(
        &dir,
        &["--sem-isolamento", "--port", &port_text],
        &["python3", "servidor.py", "_PORT_"],
    );
    assert_nothing_left(&dir.0);
    let verdicts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(
        verdicts,
        [("ana", "aprovado"), ("bia", "aprovado")],
        "{stdout}"
    );
    let report = |row: &Vec<String>| std::fs::read_to_string(dir.0.join(&row[11])).unwrap();
    assert!(
        !report(&rows[0]).contains("Repetição:"),
        "{}",
        report(&rows[0])
    );
    let second = report(&rows[1]);
    assert!(
        second.contains(&format!(
            "Repetição: a 1ª execução falhou no bind da porta {port}"
        )) && second.contains("esperando o TIME_WAIT)"),
        "{second}"
    );
    // A planilha também diz, no motivo (e a duração não conta a espera).
    assert!(
        rows[1][8].starts_with("repetido: esperou "),
        "{:?}",
        rows[1]
    );
    assert!(rows[0][8].is_empty(), "{:?}", rows[0]);
}
