//! Seção 3c, o cliente HTTP `client host port arquivo`.

use super::{
    PYTHON_HTTP_CLIENT, assert_all_gone, grade, grade_in, grade_python, has_proc, path_of,
    python_file, python3,
};

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
