//! Modo `3c`: confere o cliente HTTP da seção 3c, com o corretor no papel
//! de servidor: o servidor web **deste repositório** (3b, rodando numa
//! thread, em `127.0.0.1` numa porta livre), servindo arquivos conhecidos.
//!
//! Entre o cliente e o servidor fica um intermediário que grava a requisição
//! crua (para conferir `GET` e `Host`) e a repassa já normalizada, para que
//! uma requisição imperfeita não esconda o resto: a saída é julgada mesmo se a
//! requisição esqueceu o `Host`. O cliente roda duas vezes, com `{file}` =
//! `pagina.html` (existe) e `nao-existe.html`; sem marcadores no comando,
//! `{host} {port} {file}` vão no fim, como no enunciado
//! (`client.py server_host server_port nome_arquivo`).
//!
//! O servidor interno vive até o corretor terminar (é um processo curto).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::child::{self, Submission, Workspace};
use super::report::{Kind, Report, Verdict};
use super::{NotRun, Options};
use pratica_sockets::net::printable;
use pratica_sockets::s3_web_server::b_threaded;
use pratica_sockets::s3_web_server::http::{Parse, parse_request};
use pratica_sockets::s3_web_server::site::Site;

const SECTION: &str = "3c";
/// Quanto o cliente pode demorar para terminar depois que a resposta acabou.
const FINISH: Duration = Duration::from_secs(3);
/// Prazo para o cliente conectar.
const STARTUP: Duration = Duration::from_secs(10);
/// Quanto esperamos a requisição inteira chegar.
const REQUEST_LIMIT: Duration = Duration::from_secs(3);

/// Uma requisição que passou pelo intermediário.
#[derive(Debug, Clone, Default)]
struct Recorded {
    raw: Vec<u8>,
    /// Chegou a linha em branco do fim do cabeçalho.
    complete: bool,
    /// O cabeçalho da resposta que o servidor mandou (sem a linha em branco).
    response_head: String,
    /// Quando fechamos a conexão com o cliente (a resposta acabou).
    closed_at: Option<Instant>,
}

type Log = Arc<Mutex<Vec<Recorded>>>;

/// Roda as conferências do cliente HTTP.
///
/// # Erros
/// A porta está ocupada, o programa não inicia, ou nunca conecta e falha.
pub fn check(options: &Options, report: &mut Report) -> Result<(), NotRun> {
    let workspace = Workspace::new().map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
    let mut site =
        Site::new(&workspace.served).map_err(|e| NotRun(format!("pasta servida: {e}")))?;
    site.log = false;
    let backend =
        TcpListener::bind("127.0.0.1:0").map_err(|e| NotRun(format!("servidor interno: {e}")))?;
    let backend_addr = backend.local_addr().map_err(|e| NotRun(e.to_string()))?;
    thread::spawn(move || b_threaded::serve(&backend, site, 64));

    let host = options
        .host
        .clone()
        .unwrap_or_else(|| "127.0.0.1".to_string());
    let front_addr = super::addresses(&host, options.port.unwrap_or(0))?[0];
    let front = TcpListener::bind(front_addr).map_err(|e| {
        if e.kind() == io::ErrorKind::AddrInUse {
            NotRun(format!(
                "a porta {} (TCP) já está em uso: feche o outro programa ou escolha outra --port",
                front_addr.port()
            ))
        } else {
            NotRun(format!("não consegui escutar em {front_addr}: {e}"))
        }
    })?;
    let front_addr = front.local_addr().map_err(|e| NotRun(e.to_string()))?;
    let log: Log = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let proxy = {
        let (log, stop) = (Arc::clone(&log), Arc::clone(&stop));
        thread::spawn(move || {
            for conn in front.incoming() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(conn) = conn {
                    relay(conn, backend_addr, &log);
                }
            }
        })
    };

    let mut template = options.command.clone();
    if !["{host}", "{port}", "{file}"]
        .iter()
        .any(|p| child::mentions(&template, p))
    {
        template.extend(["{host}", "{port}", "{file}"].map(String::from));
    }
    let ctx = Context {
        template,
        host,
        port: front_addr.port(),
        options,
        workspace: &workspace,
        log: &log,
    };
    let found = ctx.run_client("pagina.html");
    let missing = found
        .as_ref()
        .ok()
        .map(|_| ctx.run_client("nao-existe.html"));

    stop.store(true, Ordering::Relaxed);
    let _ = TcpStream::connect_timeout(&front_addr, Duration::from_secs(1));
    let _ = proxy.join();

    let found = found?;
    judge_found(&found, report);
    if let Some(missing) = missing {
        judge_missing(&missing?, report);
    }
    judge_finish(&found, report);
    Ok(())
}

/// O intermediário: lê o cabeçalho da requisição, grava, repassa uma requisição
/// normalizada ao servidor interno e devolve a resposta inteira.
fn relay(mut conn: TcpStream, backend: SocketAddr, log: &Log) {
    let mut record = Recorded::default();
    let deadline = Instant::now() + REQUEST_LIMIT;
    let mut buf = [0u8; 4096];
    while !record.complete && record.raw.len() < 64 * 1024 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || conn.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                record.raw.extend_from_slice(&buf[..n]);
                record.complete = record.raw.windows(4).any(|w| w == b"\r\n\r\n")
                    || record.raw.windows(2).any(|w| w == b"\n\n");
            }
        }
    }
    let text = String::from_utf8_lossy(&record.raw).into_owned();
    let target = text.split_whitespace().nth(1).map(|t| {
        if t.starts_with('/') {
            t.to_string()
        } else {
            format!("/{t}")
        }
    });
    let response = match target {
        Some(target) => fetch(backend, &target).unwrap_or_default(),
        None => {
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    record.response_head = String::from_utf8_lossy(&response[..head_end]).into_owned();
    let _ = conn.write_all(&response);
    let _ = conn.shutdown(Shutdown::Write);
    record.closed_at = Some(Instant::now());
    if let Ok(mut log) = log.lock() {
        log.push(record);
    }
}

/// Pede `target` ao servidor interno e lê a resposta até ele fechar.
fn fetch(backend: SocketAddr, target: &str) -> io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(backend)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}

struct Context<'a> {
    template: Vec<String>,
    host: String,
    port: u16,
    options: &'a Options,
    workspace: &'a Workspace,
    log: &'a Log,
}

/// Uma execução do cliente.
struct ClientRun {
    file: &'static str,
    stdout: String,
    requests: Vec<Recorded>,
    /// Quanto depois do fim da resposta ele terminou; `None` = não terminou.
    finished_after: Option<Duration>,
}

impl Context<'_> {
    fn run_client(&self, file: &'static str) -> Result<ClientRun, NotRun> {
        let words = child::expand(
            &self.template,
            &self.host,
            self.port,
            file,
            &self.options.base,
        );
        let before = self.log.lock().map(|l| l.len()).unwrap_or(0);
        let mut client = Submission::start(&words, &self.workspace.served)
            .map_err(|e| super::spawn_error(&words, &e))?;
        let started = Instant::now();
        let closed_at = || -> Option<Instant> {
            self.log
                .lock()
                .ok()?
                .get(before..)?
                .iter()
                .filter_map(|r| r.closed_at)
                .next_back()
        };
        let mut finished_after = None;
        loop {
            let deadline = closed_at().map_or(started + STARTUP, |t| t + FINISH);
            let step = (Instant::now() + Duration::from_millis(50)).min(deadline);
            if client.wait_until(step).is_some() {
                let end = client.exited_at.unwrap_or_else(Instant::now);
                finished_after =
                    Some(closed_at().map_or(Duration::ZERO, |t| end.saturating_duration_since(t)));
                break;
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        let stdout = String::from_utf8_lossy(&client.stdout()).replace("\r\n", "\n");
        let requests = self
            .log
            .lock()
            .map(|l| l[before..].to_vec())
            .unwrap_or_default();
        if requests.is_empty() {
            let why = client.describe_exit();
            let tail = client.stderr_tail();
            return Err(NotRun(format!(
                "o cliente não conectou em {}:{} e {why}{tail}; ele usa os argumentos host, porta e arquivo? (comando: {})",
                self.host,
                self.port,
                words.join(" ")
            )));
        }
        Ok(ClientRun {
            file,
            stdout,
            requests,
            finished_after,
        })
    }
}

/// A saída mostra os bytes crus do Python (`b'HTTP/1.1 ...\r\n'`)?
fn repr_hint(stdout: &str) -> &'static str {
    if stdout.contains("b'HTTP") || stdout.contains("b\"HTTP") || stdout.contains("\\r\\n") {
        "; a saída mostra os bytes crus (b'...\\r\\n...'): imprima resposta.decode()"
    } else {
        ""
    }
}

fn judge_found(run: &ClientRun, report: &mut Report) {
    let first = &run.requests[0];
    let text = String::from_utf8_lossy(&first.raw);
    let request_line = text.lines().next().unwrap_or("").trim_end().to_string();
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let shown = printable(request_line.as_bytes());
    let (verdict, detail) = if method == "GET" && target.trim_start_matches('/') == run.file {
        (Verdict::Pass, format!("pediu «{shown}»"))
    } else {
        (
            Verdict::Fail,
            format!(
                "com o arquivo {}, a linha de requisição foi «{shown}»; ela deve ser «GET /{} HTTP/1.1»",
                run.file, run.file
            ),
        )
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "pede o arquivo com GET",
        detail,
    );

    let (verdict, detail) = if !first.complete {
        (
            Verdict::Fail,
            format!(
                "a requisição não terminou com a linha em branco em {} s; termine o cabeçalho com «\\r\\n\\r\\n»",
                REQUEST_LIMIT.as_secs()
            ),
        )
    } else {
        match parse_request(&first.raw) {
            Ok(Parse::Complete(..)) => (
                Verdict::Pass,
                "linha de requisição, Host e linha em branco corretos".to_string(),
            ),
            Ok(Parse::Partial) => (
                Verdict::Fail,
                "a requisição não terminou com a linha em branco".to_string(),
            ),
            Err(err) => (
                Verdict::Fail,
                format!(
                    "o servidor recusaria a requisição (400): {}; mande «GET /arquivo HTTP/1.1\\r\\nHost: host:porta\\r\\n\\r\\n»",
                    err.describe()
                ),
            ),
        }
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "requisição HTTP válida (Host e linha em branco)",
        detail,
    );

    let hint = repr_hint(&run.stdout);
    let status_line = first.response_head.lines().next().unwrap_or("").to_string();
    let (verdict, detail) = if run.stdout.contains(&status_line) {
        (Verdict::Pass, format!("a saída mostra «{status_line}»"))
    } else {
        (
            Verdict::Fail,
            format!("a saída não mostra a linha de status «{status_line}»{hint}"),
        )
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "mostra a linha de status",
        detail,
    );

    let headers: Vec<&str> = first.response_head.lines().skip(1).collect();
    let missing: Vec<&str> = headers
        .iter()
        .filter(|h| !run.stdout.contains(**h))
        .filter_map(|h| h.split(':').next())
        .collect();
    let (verdict, detail) = if missing.is_empty() && !headers.is_empty() {
        (
            Verdict::Pass,
            format!("as {} linhas de cabeçalho aparecem na saída", headers.len()),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "faltam na saída as linhas de cabeçalho {}{hint}",
                missing.join(", ")
            ),
        )
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "mostra as linhas de cabeçalho",
        detail,
    );

    let page = child::long_page();
    let (verdict, detail) = if run.stdout.contains(&page) {
        (
            Verdict::Pass,
            format!("os {} bytes do arquivo aparecem exatos", page.len()),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "o conteúdo de {} ({} bytes) não aparece inteiro e exato na saída{}; leia até o servidor fechar (recv devolve b'') e mostre tudo{hint}",
                run.file,
                page.len(),
                shown_prefix(&run.stdout, &page)
            ),
        )
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "mostra o corpo exato",
        detail,
    );
}

/// Quanto do começo do arquivo aparece na saída: um cliente que faz um
/// `recv` só mostra o arquivo cortado.
fn shown_prefix(stdout: &str, page: &str) -> String {
    // Busca binária pelo maior começo de `page` presente na saída.
    let (mut low, mut high) = (0, page.len());
    while low < high {
        let mid = (low + high).div_ceil(2);
        if page.is_char_boundary(mid) && stdout.contains(&page[..mid]) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    if low >= 16 {
        format!(" (só os primeiros {low} bytes)")
    } else {
        String::new()
    }
}

fn judge_missing(run: &ClientRun, report: &mut Report) {
    let status_line = run.requests[0]
        .response_head
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    // A linha de status inteira, ou pelo menos o 404: "mostrar a linha de
    // status" já tem a sua própria conferência.
    let (verdict, detail) = if run.stdout.contains(&status_line) {
        (
            Verdict::Pass,
            format!("com {}, a saída mostra «{status_line}»", run.file),
        )
    } else if run.stdout.contains("404") {
        (
            Verdict::Pass,
            format!("com {}, a saída mostra o 404", run.file),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "com {}, o servidor respondeu «{status_line}» e a saída não mostra isso{}",
                run.file,
                repr_hint(&run.stdout)
            ),
        )
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "mostra o 404 de um arquivo que não existe",
        detail,
    );
}

fn judge_finish(run: &ClientRun, report: &mut Report) {
    let (verdict, detail) = match run.finished_after {
        Some(after) => (
            Verdict::Pass,
            format!(
                "terminou {} ms depois de a resposta acabar",
                after.as_millis()
            ),
        ),
        None => (
            Verdict::Fail,
            format!(
                "a resposta acabou (o servidor fechou a conexão) e o cliente continuou rodando por mais de {} s; quando recv devolver b'' (vazio), pare de ler, feche o socket e termine",
                FINISH.as_secs()
            ),
        ),
    };
    report.add(
        SECTION,
        Kind::Required,
        verdict,
        "termina sozinho quando a resposta acaba",
        detail,
    );
}
