//! Testes de integração da seção 3a e 3b: TCP de verdade em 127.0.0.1:0.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use support::{Mode, SECRET, get, send_raw, split_reply, start_web, test_site};

const THREADED: Mode = Mode::Threaded {
    max_connections: 64,
};

#[test]
fn get_index_returns_200_with_every_required_header() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let reply = get(addr, "/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, b"<h1>ola</h1>\n");
    assert!(reply.head.starts_with("HTTP/1.1 200 OK\r\n"));
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.header("content-length").as_deref(), Some("13"));
    assert_eq!(reply.header("connection").as_deref(), Some("close"));
    assert!(
        reply
            .header("server")
            .unwrap()
            .starts_with("pratica-sockets/")
    );
    for field in ["date", "last-modified"] {
        let value = reply.header(field).unwrap();
        assert!(
            pratica_sockets::clock::parse_http_date(&value).is_some(),
            "{field} não é IMF-fixdate: {value}"
        );
    }
}

#[test]
fn single_mode_serves_the_same_responses() {
    let (_dir, root) = test_site();
    let addr = start_web(Mode::Single, &root, |_| {});
    assert_eq!(get(addr, "/a.txt").body, b"texto simples\n");
    assert_eq!(get(addr, "/nao-existe").status, 404);
}

#[test]
fn missing_file_is_404_with_a_portuguese_page() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let reply = get(addr, "/nao-existe.html");
    assert_eq!(reply.status, 404);
    let body = String::from_utf8(reply.body.clone()).unwrap();
    assert!(
        body.contains("lang=\"pt-BR\"") && body.contains("não existe"),
        "{body}"
    );
    assert_eq!(reply.header("content-length"), Some(body.len().to_string()));
}

#[test]
fn head_gets_exactly_the_headers_of_get_and_no_body() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    for path in ["/a.txt", "/nao-existe", "/sub"] {
        let get_reply = get(addr, path);
        let head = split_reply(&send_raw(
            addr,
            format!("HEAD {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes(),
        ));
        let without_date = |h: &str| -> Vec<String> {
            h.lines()
                .filter(|l| !l.starts_with("Date:"))
                .map(String::from)
                .collect()
        };
        assert_eq!(
            without_date(&head.head),
            without_date(&get_reply.head),
            "{path}"
        );
        assert!(head.body.is_empty(), "{path}: HEAD não tem corpo");
    }
}

#[test]
fn if_modified_since_answers_304_when_the_file_did_not_change() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let last_modified = get(addr, "/a.txt").header("last-modified").unwrap();
    let conditional = |since: &str| {
        split_reply(&send_raw(
            addr,
            format!("GET /a.txt HTTP/1.1\r\nHost: t\r\nIf-Modified-Since: {since}\r\n\r\n")
                .as_bytes(),
        ))
    };
    let not_modified = conditional(&last_modified);
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("last-modified"), Some(last_modified));
    assert_eq!(
        conditional("Sun, 06 Nov 1994 08:49:37 GMT").status,
        200,
        "arquivo mais novo"
    );
    assert_eq!(conditional("ontem").status, 200, "data inválida é ignorada");
    assert_eq!(
        conditional("Sun, 06 Nov 2050 08:49:37 GMT").status,
        200,
        "data no futuro é ignorada"
    );
}

#[test]
fn other_preconditions_follow_rfc_9110_evaluation_order() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let last_modified = get(addr, "/a.txt").header("last-modified").unwrap();
    let with = |headers: &str| {
        let raw = format!("GET /a.txt HTTP/1.1\r\nHost: t\r\n{headers}\r\n");
        split_reply(&send_raw(addr, raw.as_bytes())).status
    };
    let old = "Sun, 06 Nov 1994 08:49:37 GMT";
    assert_eq!(
        with(&format!("If-Unmodified-Since: {old}\r\n")),
        412,
        "mudou depois"
    );
    assert_eq!(
        with(&format!("If-Unmodified-Since: {last_modified}\r\n")),
        200
    );
    assert_eq!(with("If-Match: \"abc\"\r\n"), 412, "não geramos ETags");
    assert_eq!(
        with(&format!("If-Match: *\r\nIf-Unmodified-Since: {old}\r\n")),
        200,
        "If-Match vence"
    );
    assert_eq!(with("If-None-Match: *\r\n"), 304);
    assert_eq!(
        with(&format!(
            "If-None-Match: \"x\"\r\nIf-Modified-Since: {last_modified}\r\n"
        )),
        200,
        "com If-None-Match, If-Modified-Since é ignorado"
    );
    assert_eq!(
        get(addr, "/nao-existe").status,
        404,
        "sem arquivo, nada de pré-condição"
    );
}

#[test]
fn directory_without_trailing_slash_redirects_and_with_slash_serves_its_index() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let redirect = get(addr, "/sub?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location").as_deref(), Some("/sub/?x=1"));
    assert_eq!(
        get(addr, "/a.txt/").status,
        404,
        "arquivo com barra no fim não é pasta"
    );
    let index = get(addr, "/sub/");
    assert_eq!(
        (index.status, index.body.as_slice()),
        (200, &b"<p>sub</p>\n"[..])
    );
}

#[test]
fn percent_encoded_names_are_served() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let reply = get(addr, "/com%20espa%C3%A7o.txt");
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (200, "espaço\n".as_bytes())
    );
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/plain; charset=utf-8")
    );
}

/// Doze formas de tentar sair da raiz. Nenhuma pode devolver o segredo.
const TRAVERSALS: [&str; 14] = [
    "/../segredo.txt",
    "/../../../../etc/passwd",
    "/%2e%2e/segredo.txt",
    "/%2E%2E/segredo.txt",
    "/.%2e/segredo.txt",
    "/..%2fsegredo.txt",
    "/%2e%2e%2fsegredo.txt",
    "/..%5csegredo.txt",
    "/sub/../../segredo.txt",
    "/%252e%252e/segredo.txt",
    "/%c0%ae%c0%ae/segredo.txt",
    "/segredo.txt%00.html",
    "http://teste/../segredo.txt",
    "/pai/segredo.txt",
];

#[test]
fn no_traversal_encoding_reads_outside_the_root() {
    let (_dir, root) = test_site();
    for mode in [Mode::Single, THREADED] {
        let addr = start_web(mode, &root, |_| {});
        for path in TRAVERSALS {
            let raw = send_raw(
                addr,
                format!("GET {path} HTTP/1.1\r\nHost: teste\r\n\r\n").as_bytes(),
            );
            let reply = split_reply(&raw);
            assert!(
                matches!(reply.status, 400 | 403 | 404),
                "{mode:?} {path}: status {}",
                reply.status
            );
            assert!(
                !String::from_utf8_lossy(&raw).contains(SECRET),
                "{mode:?} {path} vazou"
            );
        }
    }
}

#[test]
fn symlink_that_escapes_the_root_is_refused() {
    let (_dir, root) = test_site();
    if !root.join("fuga.txt").exists() {
        support::skip("sistema sem links simbólicos");
        return;
    }
    let addr = start_web(THREADED, &root, |_| {});
    let reply = get(addr, "/fuga.txt");
    assert_eq!(reply.status, 403);
    assert!(!String::from_utf8_lossy(&reply.body).contains(SECRET));
}

/// De ponta a ponta, com um arquivo de verdade sem permissão de leitura.
///
/// Como root (a CI roda como root) o kernel ignora as permissões. Aí o
/// servidor roda como o usuário `nobody` (uid 65534): o python3, que a CI
/// tem, troca de usuário e executa o `web-server`, e o `open` dele recebe
/// EACCES de verdade. O mesmo caminho EACCES → 403 também tem um teste de
/// unidade sem arquivo nenhum (`permission_denied_is_403_and_other_io_errors_are_404`,
/// em `src/s3_web_server/files.rs`), que roda em qualquer sistema.
#[test]
fn unreadable_file_is_403() {
    #[cfg(not(unix))]
    support::skip("permissões Unix (chmod 000) só existem em Unix");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let (dir, root) = test_site();
        let path = root.join("fechado.txt");
        std::fs::write(&path, "x").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&path).is_err() {
            // Usuário comum: o servidor dentro do próprio teste basta.
            let addr = start_web(THREADED, &root, |_| {});
            assert_eq!(get(addr, "/fechado.txt").status, 403);
            assert_eq!(get(addr, "/nao-existe.txt").status, 404);
            return;
        }
        if !support::python3_or_skip("rodando como root, sem ele não há como virar nobody") {
            return;
        }
        // `nobody` talvez não entre na pasta do checkout (a home do root,
        // uma pasta do `mktemp -d`): o servidor vai, copiado, para a pasta
        // temporária do site, aberta a todos como o próprio site.
        let open_to_all = |p: &std::path::Path, mode: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        let server = dir.0.join("web-server");
        std::fs::copy(support::bin("web-server"), &server).expect("copia o servidor");
        open_to_all(&server, 0o755);
        for d in [&dir.0, &root, &root.join("sub")] {
            open_to_all(d, 0o755);
        }
        open_to_all(&root.join("a.txt"), 0o644);
        if let Some(locked) = dir
            .0
            .ancestors()
            .skip(1)
            .find(|a| std::fs::metadata(a).is_ok_and(|m| m.permissions().mode() & 0o001 == 0))
        {
            support::skip(&format!(
                "nobody não atravessa {} (a pasta temporária, TMPDIR)",
                locked.display()
            ));
            return;
        }
        let mut command = std::process::Command::new("python3");
        command.args([
            "-c",
            "import os, sys; os.setgroups([]); os.setgid(65534); os.setuid(65534); \
             os.execv(sys.argv[1], sys.argv[1:])",
        ]);
        command
            .arg(&server)
            .args(["--port", "0", "--root"])
            .arg(&root)
            .stdout(std::process::Stdio::null());
        let (server, _) = support::spawn_command(command);
        assert_eq!(get(server.addr, "/a.txt").status, 200, "nobody lê o resto");
        assert_eq!(get(server.addr, "/nao-existe.txt").status, 404);
        assert_eq!(get(server.addr, "/fechado.txt").status, 403);
    }
}

/// (requisição crua, status esperado)
fn status_cases() -> Vec<(Vec<u8>, u16)> {
    let mut cases: Vec<(Vec<u8>, u16)> = vec![
        (b"GET / HTTP/1.1\r\n\r\n".to_vec(), 400),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".to_vec(),
            400,
        ),
        (b"GET / HTTP/1.1\r\nHost : a\r\n\r\n".to_vec(), 400),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n".to_vec(),
            400,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n".to_vec(),
            400,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".to_vec(),
            400,
        ),
        (b"GET / HTTX/1.1\r\nHost: a\r\n\r\n".to_vec(), 400),
        (b"G@T / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(), 400),
        (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n".to_vec(), 505),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n".to_vec(),
            405,
        ),
        (b"DELETE /a.txt HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(), 405),
        (b"BREW / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(), 501),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
                .to_vec(),
            501,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n".to_vec(),
            400,
        ),
    ];
    cases.push((
        format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", "a".repeat(9000)).into_bytes(),
        414,
    ));
    // Um `http` com host vazio é inválido (RFC 9110 §4.2.1, RFC 9112 §3.2).
    cases.push((b"GET / HTTP/1.1\r\nHost:\r\n\r\n".to_vec(), 400));
    cases.push((b"GET / HTTP/1.1\r\nHost: :6789\r\n\r\n".to_vec(), 400));
    // O asterisco só vale para OPTIONS.
    cases.push((b"GET * HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(), 400));
    cases.push((
        format!(
            "GET / HTTP/1.1\r\nHost: a\r\nX: {}\r\n\r\n",
            "b".repeat(17_000)
        )
        .into_bytes(),
        431,
    ));
    let many: String = (0..101).map(|i| format!("X-{i}: 1\r\n")).collect();
    cases.push((
        format!("GET / HTTP/1.1\r\nHost: a\r\n{many}\r\n").into_bytes(),
        431,
    ));
    cases
}

#[test]
fn every_error_status_is_answered_and_the_server_keeps_serving() {
    let (_dir, root) = test_site();
    for mode in [Mode::Single, THREADED] {
        let addr = start_web(mode, &root, |_| {});
        for (request, expected) in status_cases() {
            let reply = split_reply(&send_raw(addr, &request));
            assert_eq!(
                reply.status,
                expected,
                "{mode:?}: {:?}",
                String::from_utf8_lossy(&request[..request.len().min(60)])
            );
            assert_eq!(reply.header("connection").as_deref(), Some("close"));
            if expected == 405 {
                assert_eq!(reply.header("allow").as_deref(), Some("GET, HEAD, OPTIONS"));
            }
        }
        assert_eq!(
            get(addr, "/a.txt").status,
            200,
            "{mode:?} continua atendendo"
        );
    }
}

#[test]
fn options_for_the_server_or_a_path_is_204_with_allow_and_no_body() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    for target in ["*", "/", "/a.txt"] {
        let raw = send_raw(
            addr,
            format!("OPTIONS {target} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes(),
        );
        let reply = split_reply(&raw);
        assert_eq!(reply.status, 204, "OPTIONS {target}");
        assert!(reply.head.starts_with("HTTP/1.1 204 No Content\r\n"));
        assert_eq!(reply.header("allow").as_deref(), Some("GET, HEAD, OPTIONS"));
        // 204 não tem corpo nem `Content-Length` (RFC 9110 §8.6, §15.3.5).
        assert_eq!(reply.header("content-length"), None);
        assert!(reply.body.is_empty());
    }
}

#[test]
fn request_that_never_finishes_gets_408_after_the_head_timeout() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |site| {
        site.head_timeout = Duration::from_millis(300)
    });
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    assert_eq!(split_reply(&raw).status, 408);
}

#[test]
fn slow_drip_cannot_extend_the_head_timeout() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |site| {
        site.head_timeout = Duration::from_millis(400)
    });
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(150)))
        .unwrap();
    // Um byte por vez, cada um antes do prazo de leitura de um `read`
    // isolado: o prazo do cabeçalho inteiro tem de vencer mesmo assim.
    let mut raw = Vec::new();
    for &b in b"GET / HTTP/1.1\r\nX-Lento: "
        .iter()
        .chain(std::iter::repeat(&b'a'))
        .take(400)
    {
        if stream.write_all(&[b]).is_err() {
            break;
        }
        let mut buf = [0u8; 1024];
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(_) => {} // nada ainda: segue pingando
        }
    }
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let _ = stream.read_to_end(&mut raw);
    assert_eq!(split_reply(&raw).status, 408);
}

#[test]
fn request_arriving_one_byte_at_a_time_is_served() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    for b in b"GET /a.txt HTTP/1.1\r\nHost: teste\r\n\r\n" {
        stream.write_all(&[*b]).unwrap();
        stream.flush().unwrap();
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let reply = split_reply(&raw);
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (200, &b"texto simples\n"[..])
    );
}

#[test]
fn after_a_408_to_a_silent_client_3a_does_not_linger() {
    // Sem nada por ler, o 408 fecha na hora (FIN). Antes, a 3a ainda
    // esperava até `linger` pelo cliente parado: com `linger` de 60 s, o
    // segundo cliente esperaria 60 s, e o prazo de 20 s abaixo estouraria.
    let (_dir, root) = test_site();
    let addr = start_web(Mode::Single, &root, |site| {
        site.head_timeout = Duration::from_millis(200);
        site.linger = Duration::from_secs(60);
    });
    let mut stalled = TcpStream::connect(addr).unwrap();
    stalled.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap();
    let mut second = TcpStream::connect(addr).unwrap();
    second
        .write_all(b"GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    second
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut raw = Vec::new();
    second.read_to_end(&mut raw).unwrap();
    assert_eq!(split_reply(&raw).status, 200);
    // O primeiro recebeu o 408 e o fim da conexão, sem ter fechado nada.
    stalled
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut first = Vec::new();
    stalled.read_to_end(&mut first).unwrap();
    assert_eq!(split_reply(&first).status, 408);
}

#[test]
fn stalled_client_blocks_3a_but_not_3b() {
    let (_dir, root) = test_site();
    for mode in [Mode::Single, THREADED] {
        let addr = start_web(mode, &root, |_| {});
        // A conecta e não manda nada: ocupa quem o atende.
        let stalled = TcpStream::connect(addr).unwrap();
        let mut second = TcpStream::connect(addr).unwrap();
        second
            .write_all(b"GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        // 3a: 700 ms sem resposta bastam para mostrar a espera. 3b: a
        // resposta vem na hora, mas damos 10 s, para uma máquina carregada
        // não virar falso negativo.
        let wait = match mode {
            Mode::Single => Duration::from_millis(700),
            Mode::Threaded { .. } => Duration::from_secs(10),
        };
        second.set_read_timeout(Some(wait)).unwrap();
        let mut first_bytes = [0u8; 16];
        let answered = matches!(second.read(&mut first_bytes), Ok(n) if n > 0);
        match mode {
            Mode::Single => {
                assert!(!answered, "3a: o segundo cliente espera o primeiro");
                drop(stalled); // o primeiro desiste…
                second
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let mut raw = Vec::new();
                second.read_to_end(&mut raw).unwrap();
                assert_eq!(split_reply(&raw).status, 200, "…e aí o segundo é atendido");
            }
            Mode::Threaded { .. } => {
                assert!(answered, "3b: o segundo cliente é atendido na hora");
                assert_eq!(&first_bytes[..12], b"HTTP/1.1 200");
                drop(stalled);
            }
        }
    }
}

#[test]
fn connection_cap_answers_503_with_retry_after_and_keeps_serving() {
    let (_dir, root) = test_site();
    let addr = start_web(Mode::Threaded { max_connections: 2 }, &root, |_| {});
    let holders: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let reply = get(addr, "/a.txt");
    assert_eq!(reply.status, 503);
    assert_eq!(reply.header("retry-after").as_deref(), Some("1"));
    drop(holders);
    // As threads dos que desistiram terminam; logo há vaga de novo.
    let last = support::status_once_recovered(addr, "/a.txt", 200);
    assert_eq!(last, 200);
}

#[test]
fn rejected_post_with_unread_body_still_receives_the_whole_response() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let body = vec![b'x'; 200_000];
    let mut writer = stream.try_clone().unwrap();
    let sender = thread::spawn(move || {
        let _ =
            writer.write_all(b"POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 200000\r\n\r\n");
        let _ = writer.write_all(&body);
        let _ = writer.shutdown(std::net::Shutdown::Write);
    });
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("fim normal (FIN), não RST");
    let reply = split_reply(&raw);
    assert_eq!(reply.status, 405);
    assert_eq!(
        reply.header("content-length"),
        Some(reply.body.len().to_string())
    );
    sender.join().unwrap();
}

#[test]
fn large_file_is_streamed_byte_exact() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let reply = get(addr, "/dados.bin");
    let expected = std::fs::read(root.join("dados.bin")).unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(reply.body, expected);
}

#[test]
fn client_that_vanishes_mid_response_does_not_hurt_the_server() {
    let (_dir, root) = test_site();
    let addr = start_web(Mode::Single, &root, |_| {});
    for _ in 0..20 {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /dados.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 100];
        let _ = stream.read(&mut first);
        drop(stream); // some no meio do corpo
    }
    assert_eq!(get(addr, "/a.txt").status, 200);
}

#[test]
fn absolute_form_target_and_bare_lf_and_leading_empty_line_are_accepted() {
    let (_dir, root) = test_site();
    let addr = start_web(THREADED, &root, |_| {});
    let absolute = split_reply(&send_raw(
        addr,
        b"GET http://outro/a.txt HTTP/1.1\r\nHost: teste\r\n\r\n",
    ));
    assert_eq!(absolute.body, b"texto simples\n");
    let bare_lf = split_reply(&send_raw(addr, b"\r\nGET /a.txt HTTP/1.0\n\n"));
    assert_eq!(bare_lf.status, 200);
}

#[test]
fn server_listens_on_ipv6_loopback_when_available() {
    let (_dir, root) = test_site();
    let Ok(addr) = support::start_web_on("[::1]:0", THREADED, &root, |_| {}) else {
        support::skip("máquina sem IPv6 no loopback (::1)");
        return;
    };
    assert_eq!(get(addr, "/a.txt").status, 200);
}

#[test]
fn accepted_socket_keeps_the_listening_port() {
    // O enunciado diz que a conexão vai "através de outra porta". Não vai: o
    // socket aceito tem a mesma porta local; o que muda é o par remoto.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (accepted, peer) = listener.accept().unwrap();
    assert_eq!(
        accepted.local_addr().unwrap(),
        listener.local_addr().unwrap()
    );
    assert_eq!(peer, client.local_addr().unwrap());
}

#[test]
fn web_server_binary_serves_www_and_logs_each_request_escaped() {
    let server = support::spawn_server("web-server", &["--port", "0", "--root", "www"]);
    let raw = send_raw(server.addr, b"GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    let reply = split_reply(&raw);
    assert_eq!(reply.status, 200);
    let line = server.next_line(Duration::from_secs(10)).unwrap();
    assert!(line.contains(" conexao-"), "nome da thread: {line}");
    // `… "GET / HTTP/1.1" 200 BYTES 0.123ms`: BYTES é tudo o que foi
    // escrito no socket (cabeçalho + corpo), exatamente o que o cliente leu.
    let after = line
        .split_once("\"GET / HTTP/1.1\" ")
        .map(|(_, rest)| rest.split(' ').collect::<Vec<_>>())
        .unwrap_or_default();
    assert_eq!(after.first(), Some(&"200"), "{line}");
    assert_eq!(
        after.get(1),
        Some(&raw.len().to_string().as_str()),
        "{line}"
    );
    let evil = split_reply(&send_raw(
        server.addr,
        b"GET /\x1b[31m HTTP/1.1\r\nHost: t\r\n\r\n",
    ));
    assert_eq!(evil.status, 400);
    let line = server.next_line(Duration::from_secs(10)).unwrap();
    assert!(
        line.contains("\\u{1b}[31m") && !line.contains('\x1b'),
        "{line}"
    );
}

#[test]
fn web_server_bad_flags_exit_2_and_bad_root_exits_1() {
    for args in [
        &["--port", "x"][..],
        &["--single=1"],
        &["--max-connections", "0"],
        &["--nada"],
    ] {
        let out = support::run("web-server", args, Duration::from_secs(20));
        assert_eq!(out.code(), Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("uso: web-server"));
    }
    for (args, expected) in [
        (
            &["--port", "70000"][..],
            "--port deve ser um número de 0 a 65535",
        ),
        (
            &["--single", "--keep-alive"],
            "--keep-alive não vale com --single",
        ),
        (
            &["--keep-alive", "--single"],
            "--keep-alive não vale com --single",
        ),
        (
            &["--max-connections", "0"],
            "--max-connections deve ser um número inteiro a partir de 1",
        ),
    ] {
        let out = support::run("web-server", args, Duration::from_secs(20));
        assert_eq!(out.code(), Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
    }
    let out = support::run(
        "web-server",
        &["--root", "/nao/existe/mesmo", "--port", "0"],
        Duration::from_secs(20),
    );
    assert_eq!(out.code(), Some(1));
    assert!(
        out.stderr
            .contains("não pode ser servida: não encontrado ("),
        "{}",
        out.stderr
    );
}

#[test]
fn closed_log_pipe_turns_the_log_off_and_the_server_keeps_serving() {
    // `web-server 2>&1 | head -1`: a linha de log da primeira requisição
    // encontra o pipe fechado; o log se desliga e o servidor segue. Na 3a,
    // a segunda resposta só sai depois do log da primeira.
    for extra in [&["--single"][..], &[]] {
        let mut args = vec!["--port", "0", "--root", "www"];
        args.extend_from_slice(extra);
        let mut server =
            support::close_output("web-server", &args, support::Close::BothAfterAnnouncement);
        let addr = server.addr.expect("anúncio com endereço");
        for _ in 0..3 {
            assert_eq!(get(addr, "/").status, 200, "{extra:?}");
        }
        assert!(server.still_running(), "{extra:?}: o servidor terminou");
    }
}
