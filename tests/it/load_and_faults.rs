//! Carga e falhas, limitadas a segundos cada: o que um laboratório cheio de
//! alunos martelando o servidor faria com ele.

use crate::support;

use std::io::{Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};

use pratica_sockets::s2_udp_pinger::server as ping_server;
use pratica_sockets::s2_udp_pinger::xorshift::{Loss, Xorshift64};
use support::{Mode, split_reply, start_web, test_site};

#[test]
fn three_hundred_idle_connections_do_not_delay_a_normal_request_on_3b() {
    let (_dir, root) = test_site();
    let addr = start_web(
        Mode::Threaded {
            max_connections: 1024,
        },
        &root,
        |_| {},
    );
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap(); // sem a linha final
            s
        })
        .collect();
    // Com 300 threads presas em `read`, a requisição normal ainda vem na hora:
    // o prazo de leitura do cliente (5 s) é bem menor que o do servidor (10 s).
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(b"GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("resposta antes do prazo");
    assert_eq!(split_reply(&raw).status, 200);
    drop(idle);
}

/// Quantas threads o processo `pid` tem agora (Linux).
fn threads_of(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn aborted_downloads_leave_no_threads_behind() {
    // Um arquivo bem maior que os buffers do socket, para o corpo ficar no meio.
    let big = support::TempDir::new("grande");
    std::fs::create_dir_all(big.0.join("www")).unwrap();
    std::fs::write(big.0.join("www/grande.bin"), vec![7u8; 8 * 1024 * 1024]).unwrap();
    let server = support::spawn_server(
        "web-server",
        &["--port", "0", "--root", big.0.join("www").to_str().unwrap()],
    );
    let pid = server.child.id();
    let Some(baseline) = threads_of(pid) else {
        support::skip("sem /proc (não é Linux): não dá para contar as threads");
        return;
    };
    for _ in 0..200 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.write_all(b"GET /grande.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let mut some = [0u8; 4096];
        let _ = s.read(&mut some);
        // Fechar com bytes não lidos na fila faz o kernel mandar RST.
        drop(s);
    }
    // Cada requisição termina com uma linha de log: esperamos as 200.
    for i in 0..200 {
        assert!(
            server.next_line(Duration::from_secs(30)).is_some(),
            "linha de log {i} não chegou"
        );
    }
    // Depois da linha de log a thread ainda precisa sair; damos até 10 s.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut now = threads_of(pid).unwrap();
    while now > baseline && Instant::now() < deadline {
        thread::yield_now();
        now = threads_of(pid).unwrap();
    }
    assert!(now <= baseline, "threads: {now}, antes: {baseline}");
}

#[test]
fn burst_beyond_max_connections_gets_503_and_the_server_keeps_serving() {
    let (_dir, root) = test_site();
    let server = support::spawn_server(
        "web-server",
        &[
            "--port",
            "0",
            "--root",
            root.to_str().unwrap(),
            "--max-connections",
            "50",
        ],
    );
    // 300 conexões caladas: 50 ocupam as threads, o resto recebe 503.
    let burst: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    let mut busy = 0;
    for mut s in burst.iter().skip(100) {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut raw = Vec::new();
        if s.read_to_end(&mut raw).is_ok() && raw.starts_with(b"HTTP/1.1 503") {
            busy += 1;
        }
    }
    assert!(busy >= 150, "só {busy} de 200 receberam 503");
    drop(burst);
    let status = support::status_once_recovered(server.addr, "/a.txt", 200);
    assert_eq!(
        status, 200,
        "o servidor continua atendendo depois da rajada"
    );
}

/// Cada lote de 20 datagramas termina com um marcador: quando o eco dele
/// chega, o servidor já tratou o lote inteiro (ele responde em ordem), e o
/// teste passa ao próximo sem esperar prazo nenhum vencer. Os maiores que
/// 1024 bytes só voltam onde o kernel os corta em silêncio (não no Windows).
#[test]
fn udp_server_survives_ten_thousand_random_datagrams() {
    let socket = ping_server::bind("127.0.0.1", 0).unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        ping_server::serve(
            &socket,
            Loss::new(0.0, Xorshift64::seeded(5)),
            &mut std::io::sink(),
        )
    });
    let noise = UdpSocket::bind("127.0.0.1:0").unwrap();
    noise
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut rng = Xorshift64::seeded(77);
    let mut echo = [0u8; 2048];
    let (mut expected, mut echoed, mut lost_markers) = (0, 0, 0);
    // Em lotes de 20: datagramas de até 2000 bytes enchem o buffer de
    // recepção do kernel (uns 200 KB) rápido, e aí quem descarta é o kernel.
    for batch in 0..500 {
        for _ in 0..20 {
            let len = rng.below(2000) as usize;
            let data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            noise.send_to(&data, addr).unwrap();
            if len <= ping_server::BUFFER_SIZE || support::OVERSIZED_DATAGRAM_IS_ECHOED {
                expected += 1;
            }
        }
        // Minúsculas que nenhum eco (sempre em maiúsculas) repete.
        let marker = format!("marcador {batch}");
        noise.send_to(marker.as_bytes(), addr).unwrap();
        let marker_echo = marker.to_uppercase();
        loop {
            match noise.recv_from(&mut echo) {
                Ok((n, _)) if echo[..n] == *marker_echo.as_bytes() => break,
                // O marcador de um lote anterior, que chegou atrasado.
                Ok((n, _)) if echo[..n].starts_with(b"MARCADOR ") => {}
                Ok((n, _)) => {
                    assert!(n <= ping_server::BUFFER_SIZE, "eco de {n} bytes");
                    echoed += 1;
                }
                Err(_) => {
                    lost_markers += 1;
                    break;
                }
            }
        }
        assert!(
            lost_markers < 3,
            "o servidor parou de responder no lote {batch}"
        );
    }
    assert!(
        echoed <= expected,
        "{echoed} ecos para {expected} esperados"
    );
    assert!(
        echoed * 10 >= expected * 9,
        "só {echoed} de {expected} ecos voltaram"
    );
    let probe = UdpSocket::bind("127.0.0.1:0").unwrap();
    probe
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    probe.send_to(b"ping final", addr).unwrap();
    let (n, _) = probe.recv_from(&mut echo).unwrap();
    assert_eq!(&echo[..n], b"PING FINAL");
}

#[test]
fn running_out_of_file_descriptors_is_logged_and_the_server_recovers() {
    if !cfg!(target_os = "linux") {
        support::skip("`ulimit -n` e EMFILE só conferidos no Linux");
        return;
    }
    // O servidor com só 32 descritores: 40 conexões caladas esgotam a cota,
    // e o `accept` passa a falhar com EMFILE ("Too many open files").
    let bin = support::bin("web-server");
    let script = format!(
        "ulimit -n 32 && exec '{}' --port 0 --root www",
        bin.display()
    );
    let mut command = std::process::Command::new("sh");
    command
        .args(["-c", &script])
        .stdout(std::process::Stdio::null());
    let (server, _) = support::spawn_command(command);
    let addr = server.addr;
    let idle: Vec<TcpStream> = (0..40).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let logged = (0..100)
        .map_while(|_| server.next_line(Duration::from_secs(10)))
        .any(|line| line.contains("accept falhou"));
    assert!(logged, "o erro do accept foi registrado");
    drop(idle);
    // Livres os descritores, o laço continua e atende normalmente.
    let status = support::status_once_recovered(addr, "/estilo.css", 100);
    assert_eq!(status, 200);
}
