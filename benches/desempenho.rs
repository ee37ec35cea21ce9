//! `make bench`: quanto custa e quanto rende cada parte, medido aqui mesmo.
//!
//! Sobe os servidores deste repositório em portas efêmeras, dentro deste
//! processo, e mede com um gerador de carga escrito à mão (sem crates):
//!
//! - requisições HTTP por segundo e latência p50/p99, uma conexão por requisição,
//!   para 3a e 3b com 1, 16 e 128 clientes simultâneos (e para
//!   `python3 -m http.server`, se houver python3, medido do mesmo jeito);
//! - vazão de um arquivo grande (MB/s);
//! - RTT do ping UDP (percentis) e vazão de eco.
//!
//! Sob `cargo test` (sem `--bench`) roda uma versão curtinha, só para
//! provar que o código do benchmark funciona.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use pratica_sockets::s2_udp_pinger::server as ping_server;
use pratica_sockets::s2_udp_pinger::xorshift::{Loss, Xorshift64};
use pratica_sockets::s3_web_server::site::Site;
use pratica_sockets::s3_web_server::{a_single, b_threaded};

struct Settings {
    duration: Duration,
    concurrency: &'static [usize],
    big_file: usize,
    pings: usize,
}

const FULL: Settings = Settings {
    duration: Duration::from_secs(3),
    concurrency: &[1, 16, 128],
    big_file: 64 * 1024 * 1024,
    pings: 20_000,
};

const SMOKE: Settings = Settings {
    duration: Duration::from_millis(150),
    concurrency: &[1, 4],
    big_file: 1024 * 1024,
    pings: 200,
};

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let settings = if full { &FULL } else { &SMOKE };
    let dir = std::env::temp_dir().join(format!("pratica-sockets-bench-{}", std::process::id()));
    let root = make_site(&dir, settings.big_file);

    println!("## HTTP: uma conexão por requisição, GET de um arquivo de 595 bytes\n");
    println!("| servidor | clientes | requisições/s | p50 (ms) | p99 (ms) | erros |");
    println!("|---|---:|---:|---:|---:|---:|");
    let single = start_web(&root, true);
    let threaded = start_web(&root, false);
    let python = start_python(&root);
    for &clients in settings.concurrency {
        for (name, addr) in [
            ("3a (um por vez)", Some(single)),
            ("3b (thread por conexão)", Some(threaded)),
            ("python3 -m http.server", python.as_ref().map(|p| p.1)),
        ] {
            let Some(addr) = addr else { continue };
            let r = load(addr, "/estilo.css", clients, settings.duration);
            println!(
                "| {name} | {clients} | {:.0} | {:.3} | {:.3} | {} |",
                r.rate, r.p50_ms, r.p99_ms, r.errors
            );
        }
    }

    println!(
        "\n## Arquivo grande ({} MiB), uma conexão\n",
        settings.big_file >> 20
    );
    println!("| servidor | MB/s (mediana de 5) |");
    println!("|---|---:|");
    for (name, addr) in [("3a", single), ("3b", threaded)] {
        let mut rates: Vec<f64> = (0..5).map(|_| download(addr, "/grande.bin")).collect();
        println!("| {name} | {:.0} |", median(&mut rates));
    }

    println!(
        "\n## UDP ping: {} pings em sequência, sem perda\n",
        settings.pings
    );
    let (percentiles, echo_rate) = udp(settings.pings);
    println!("| p50 (µs) | p90 (µs) | p99 (µs) | máx (µs) | ecos/s |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {:.1} | {:.1} | {:.1} | {:.1} | {:.0} |",
        percentiles[0], percentiles[1], percentiles[2], percentiles[3], echo_rate
    );

    if let Some((mut child, _)) = python {
        let _ = child.kill();
        let _ = child.wait();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A pasta servida: o site de exemplo (`www/`) mais um arquivo grande.
fn make_site(dir: &Path, big: usize) -> PathBuf {
    let root = dir.join("www");
    std::fs::create_dir_all(&root).expect("pasta temporária");
    let css = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("www/estilo.css"))
        .expect("www/estilo.css existe");
    std::fs::write(root.join("estilo.css"), css).expect("escreve");
    let mut rng = Xorshift64::seeded(1);
    let data: Vec<u8> = (0..big / 8)
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .collect();
    std::fs::write(root.join("grande.bin"), data).expect("escreve");
    root
}

fn start_web(root: &Path, single: bool) -> SocketAddr {
    let mut site = Site::new(root).expect("raiz");
    site.log = false;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("endereço");
    thread::spawn(move || {
        if single {
            a_single::serve(&listener, &site)
        } else {
            b_threaded::serve(&listener, site, 1024)
        }
    });
    addr
}

/// `python3 -m http.server` numa porta livre, se houver python3.
fn start_python(root: &Path) -> Option<(Child, SocketAddr)> {
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    // Espera o python abrir a porta (até 10 s): conectar é o evento.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Some((child, addr));
        }
        thread::yield_now();
    }
    None
}

struct LoadResult {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

/// `clients` threads, cada uma em laço: conecta, pede, lê até o fim.
fn load(addr: SocketAddr, path: &str, clients: usize, duration: Duration) -> LoadResult {
    let request = format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n");
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let stop = Arc::clone(&stop);
            let request = request.clone();
            thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = 0;
                let mut buf = vec![0u8; 16 * 1024];
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    match one_request(addr, request.as_bytes(), &mut buf) {
                        Ok(true) => latencies.push(t.elapsed()),
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    thread::sleep(duration);
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.join().expect("thread de carga");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pick = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    LoadResult {
        rate: all.len() as f64 / elapsed,
        p50_ms: pick(0.50),
        p99_ms: pick(0.99),
        errors,
    }
}

fn one_request(addr: SocketAddr, request: &[u8], buf: &mut [u8]) -> std::io::Result<bool> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request)?;
    let mut first = true;
    let mut ok = false;
    loop {
        let n = stream.read(buf)?;
        if n == 0 {
            return Ok(ok);
        }
        if first {
            ok = buf[..n].starts_with(b"HTTP/1.1 200") || buf[..n].starts_with(b"HTTP/1.0 200");
            first = false;
        }
    }
}

/// Baixa `path` e devolve MB/s (megabytes de 10^6 bytes).
fn download(addr: SocketAddr, path: &str) -> f64 {
    let mut buf = vec![0u8; 256 * 1024];
    let started = Instant::now();
    let mut total = 0usize;
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return 0.0;
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return 0.0;
    }
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        total += n;
    }
    total as f64 / 1e6 / started.elapsed().as_secs_f64()
}

/// RTT do ping UDP, um por vez, e a vazão de eco.
fn udp(pings: usize) -> ([f64; 4], f64) {
    let socket = ping_server::bind("127.0.0.1", 0).expect("bind UDP");
    let addr = socket.local_addr().expect("endereço");
    thread::spawn(move || {
        ping_server::serve(
            &socket,
            Loss::new(0.0, Xorshift64::seeded(1)),
            &mut std::io::sink(),
        )
    });
    let client = UdpSocket::bind("127.0.0.1:0").expect("bind");
    client.connect(addr).expect("connect");
    client
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    let mut buf = [0u8; 64];
    let mut rtts = Vec::with_capacity(pings);
    let started = Instant::now();
    for seq in 0..pings {
        let t = Instant::now();
        let msg = format!("ping {seq}");
        if client.send(msg.as_bytes()).is_ok() && client.recv(&mut buf).is_ok() {
            rtts.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let rate = rtts.len() as f64 / started.elapsed().as_secs_f64();
    rtts.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        rtts.get(((rtts.len() as f64 * q) as usize).min(rtts.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    ([pick(0.5), pick(0.9), pick(0.99), pick(1.0)], rate)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
