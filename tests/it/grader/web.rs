//! Seções 3a e 3b, o servidor web: uma requisição por vez e uma thread por conexão.

use super::{PYTHON_WEB_SERVER, grade, grade_python, path_of, python3};

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
