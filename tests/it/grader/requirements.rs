//! Issue 17: o que o enunciado exige, e só isso; relatórios certos.

use super::{
    ASSIGNMENT_PING_CLIENT, PYTHON_HTTP_CLIENT, PYTHON_WEB_SERVER, grade_in, grade_python,
    python_file, python3,
};

use crate::support;

use std::net::TcpListener;
use std::process::{Command, Stdio};

use support::TempDir;

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
