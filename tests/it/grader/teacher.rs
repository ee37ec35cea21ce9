//! O lado do professor: códigos de saída, erros de uso, --listar/--exigir/--tolerar e --resumo.

use super::{
    PYTHON_WEB_SERVER, assert_all_gone, grade, grade_in, grade_python, has_proc, path_of,
    python_file, python3, read_summary, summary_value,
};

use crate::support;

use std::net::{TcpListener, UdpSocket};
use std::process::{Command, Stdio};

use support::{TempDir, bin};

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
// Issue 17: a linha de comando, as escolhas do professor e o resumo
// ---------------------------------------------------------------------------

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
