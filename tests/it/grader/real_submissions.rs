//! Submissões reais (issue 17): cada defeito do corretor visto nelas, num programa pequeno.

use super::{PYTHON_HTTP_CLIENT, PYTHON_WEB_SERVER, grade_python, python3};

use crate::support;

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
