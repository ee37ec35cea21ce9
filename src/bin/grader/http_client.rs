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
use super::report::{Check, Report, decimal};
use super::{NotRun, Options};
use pratica_sockets::net::printable;
use pratica_sockets::s3_web_server::b_threaded;
use pratica_sockets::s3_web_server::http::{Parse, parse_request};
use pratica_sockets::s3_web_server::site::Site;

/// Quanto o cliente pode demorar para terminar depois que a resposta acabou
/// (há quem durma uns segundos antes de fechar: lento, mas termina).
const FINISH: Duration = Duration::from_secs(8);
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
    /// Quanto esperamos a requisição, medido.
    waited: Duration,
    /// Em que endereço do corretor o cliente conectou.
    local: Option<SocketAddr>,
}

/// O endereço que o corretor dá em `{host}` quando pode: um cliente que
/// ignora o argumento e conecta em "localhost" (127.0.0.1) cai num
/// endereço-isca, e o corretor vê. Linux e Windows têm todo o 127.0.0.0/8 no
/// loopback; onde não há (macOS), fica 127.0.0.1 e isso não é conferido.
const OTHER_LOOPBACK: &str = "127.0.0.2";

type Log = Arc<Mutex<Vec<Recorded>>>;

/// Roda as conferências do cliente HTTP.
///
/// # Erros
/// A porta está ocupada, o programa não inicia, ou nunca conecta e falha.
pub fn check(options: &Options, report: &mut Report) -> Result<(), NotRun> {
    let workspace = Workspace::for_student(&options.command, &options.base)
        .map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
    let mut site =
        Site::new(&workspace.served).map_err(|e| NotRun(format!("pasta servida: {e}")))?;
    site.log = false;
    let backend =
        TcpListener::bind("127.0.0.1:0").map_err(|e| NotRun(format!("servidor interno: {e}")))?;
    let backend_addr = backend.local_addr().map_err(|e| NotRun(e.to_string()))?;
    thread::spawn(move || b_threaded::serve(&backend, site, 64));

    // Sem --host, tenta 127.0.0.2 com iscas em 127.0.0.1 e ::1 na mesma porta.
    let other = match &options.host {
        Some(_) => None,
        None => TcpListener::bind((OTHER_LOOPBACK, options.port.unwrap_or(0))).ok(),
    };
    let host = match (&options.host, &other) {
        (Some(h), _) => h.clone(),
        (None, Some(_)) => OTHER_LOOPBACK.to_string(),
        (None, None) => "127.0.0.1".to_string(),
    };
    let front_addr = super::addresses(&host, options.port.unwrap_or(0))?[0];
    let front = match other {
        Some(listener) => Ok(listener),
        None => TcpListener::bind(front_addr),
    };
    let front = front.map_err(|e| {
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
    let mut listeners = vec![front];
    if host == OTHER_LOOPBACK {
        for decoy in ["127.0.0.1", "::1"] {
            if let Ok(l) = TcpListener::bind((decoy, front_addr.port())) {
                listeners.push(l);
            }
        }
    }
    let decoys = listeners.len() > 1;
    let mut woken = Vec::new();
    let mut proxies = Vec::new();
    for listener in listeners {
        let Ok(addr) = listener.local_addr() else {
            continue;
        };
        woken.push(addr);
        let (log, stop) = (Arc::clone(&log), Arc::clone(&stop));
        proxies.push(thread::spawn(move || {
            for conn in listener.incoming() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(conn) = conn {
                    relay(conn, backend_addr, &log);
                }
            }
        }));
    }

    let mut template = options.command.clone();
    if !["{host}", "{port}", "{file}"]
        .iter()
        .any(|p| child::mentions(&template, p))
    {
        template.extend(["{host}", "{port}", "{file}"].map(String::from));
    }
    let ctx = Context {
        template,
        host: host.clone(),
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
    for addr in woken {
        let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    }
    for proxy in proxies {
        let _ = proxy.join();
    }

    let found = found?;
    report.push(judge_address(
        &host,
        decoys,
        &found,
        missing.as_ref().and_then(|m| m.as_ref().ok()),
    ));
    report.extend(judge_found(&found));
    let missing = missing.transpose()?;
    if let Some(missing) = &missing {
        report.push(judge_missing(missing));
    }
    report.push(judge_finish(&found));
    report.push(judge_errors(&found, missing.as_ref()));
    Ok(())
}

/// O intermediário: lê o cabeçalho da requisição, grava, repassa uma requisição
/// normalizada ao servidor interno e devolve a resposta inteira.
fn relay(mut conn: TcpStream, backend: SocketAddr, log: &Log) {
    let mut record = Recorded {
        local: conn.local_addr().ok(),
        ..Recorded::default()
    };
    let started = Instant::now();
    let deadline = started + REQUEST_LIMIT;
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
    record.waited = started.elapsed();
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
    /// Se não terminou: quanto esperamos por ele depois do fim da resposta.
    waited: Duration,
    /// "terminou com código 1", "ainda estava rodando"…
    exit: String,
    /// O código de saída, se terminou sozinho.
    code: Option<i32>,
    /// A última exceção do Python no stderr, se houver.
    exception: Option<String>,
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
        let exit = client.describe_exit();
        let code = client.exited().and_then(|s| s.code());
        let exception = client.exception();
        let waited = closed_at().map_or(started.elapsed(), |t| t.elapsed());
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
            waited,
            exit,
            code,
            exception,
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

/// O texto dentro dos literais de bytes do Python na saída (`b'HTTP/1.1
/// 200 OK\r\n...'`), já sem os escapes e emendado: um cliente que faz
/// `print(resposta)` mostra a resposta assim, um pedaço por `recv`.
fn unrepr(stdout: &str) -> String {
    let bytes = stdout.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let starts = bytes[i] == b'b'
            && (bytes[i + 1] == b'\'' || bytes[i + 1] == b'"')
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let quote = bytes[i + 1];
        i += 2;
        while i < bytes.len() && bytes[i] != quote {
            if bytes[i] == b'\\' && i + 1 < bytes.len() {
                let (byte, used) = match bytes[i + 1] {
                    b'n' => (b'\n', 2),
                    b'r' => (b'\r', 2),
                    b't' => (b'\t', 2),
                    b'x' if i + 3 < bytes.len() => {
                        let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).unwrap_or("");
                        match u8::from_str_radix(hex, 16) {
                            Ok(b) => (b, 4),
                            Err(_) => (b'x', 2),
                        }
                    }
                    other => (other, 2),
                };
                out.push(byte);
                i += used;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Se o cliente terminou com erro, o código e a exceção, para juntar ao
/// detalhe de uma conferência que falhou; senão, vazio.
fn crash(run: &ClientRun) -> String {
    match (run.code, &run.exception) {
        (Some(0), _) | (None, None) => String::new(),
        (Some(code), Some(exc)) => format!(" (o cliente terminou com código {code}: {exc})"),
        (Some(code), None) => format!(" (o cliente terminou com código {code})"),
        (None, Some(exc)) => format!(" (no stderr: {exc})"),
    }
}

/// O conteúdo, sem contar o fim de linha (`\r\n` e `\n` são o mesmo aqui:
/// o terminal do Windows, o `print` e o `decode` mexem nisso).
fn contains_content(stdout: &str, page: &str) -> bool {
    let norm = |t: &str| t.replace("\r\n", "\n").replace('\r', "\n");
    norm(stdout).contains(norm(page).trim_end_matches('\n'))
}

/// O texto sem quebras de linha: um `print()` entre dois `recv` insere um
/// «\n» no meio do arquivo, e o conteúdo continua sendo o do arquivo.
fn without_breaks(t: &str) -> String {
    t.replace(['\r', '\n'], "")
}

/// A saída mostra o arquivo inteiro, mesmo com quebras de linha inseridas?
fn contains_whole(stdout: &str, page: &str) -> bool {
    without_breaks(stdout).contains(&without_breaks(page))
}

/// A saída como texto: a própria, ou o que está dentro dos `b'...'`.
fn as_text(run: &ClientRun) -> String {
    unrepr(&run.stdout)
}

fn judge_found(run: &ClientRun) -> Vec<Check> {
    let mut out = Vec::new();
    let first = &run.requests[0];
    let text = String::from_utf8_lossy(&first.raw);
    let request_line = text.lines().next().unwrap_or("").trim_end().to_string();
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let shown = printable(request_line.as_bytes());
    out.push(if method == "GET" && target.trim_start_matches('/') == run.file {
        Check::pass("http.get", format!("pediu «{shown}»"))
    } else {
        Check::fail(
            "http.get",
            format!(
                "com o arquivo {}, a linha de requisição foi «{shown}»; ela deve ser «GET /{} HTTP/1.1»",
                run.file, run.file
            ),
        )
    });

    out.push(if first.complete {
        Check::pass("http.requisicao", "a requisição termina com a linha em branco")
    } else {
        Check::fail(
            "http.requisicao",
            format!(
                "a requisição não terminou com a linha em branco (esperei {}); termine o cabeçalho com «\\r\\n\\r\\n»",
                seconds(first.waited)
            ),
        )
    });
    out.push(if !first.complete {
        Check::skipped("http.host", "a requisição não terminou (veja acima)")
    } else {
        match parse_request(&first.raw) {
            Ok(Parse::Complete(..)) => Check::pass(
                "http.host",
                "linha de requisição, Host e linha em branco corretos",
            ),
            Ok(Parse::Partial) => Check::fail(
                "http.host",
                "a requisição não terminou com a linha em branco",
            ),
            Err(err) => Check::fail(
                "http.host",
                format!(
                    "um servidor HTTP/1.1 de verdade recusaria a requisição (400): {}; mande «GET /arquivo HTTP/1.1\\r\\nHost: host:porta\\r\\n\\r\\n»",
                    err.describe()
                ),
            ),
        }
    });

    let hint = repr_hint(&run.stdout);
    let crashed = crash(run);
    let status_line = first.response_head.lines().next().unwrap_or("").to_string();
    out.push(
        if run.stdout.contains(&status_line) || as_text(run).contains(&status_line) {
            Check::pass("http.status", format!("a saída mostra «{status_line}»"))
        } else {
            Check::fail(
                "http.status",
                format!("a saída não mostra a linha de status «{status_line}»{hint}{crashed}"),
            )
        },
    );

    let headers: Vec<&str> = first.response_head.lines().skip(1).collect();
    let missing: Vec<&str> = headers
        .iter()
        .filter(|h| !run.stdout.contains(**h) && !as_text(run).contains(**h))
        .filter_map(|h| h.split(':').next())
        .collect();
    out.push(if missing.is_empty() && !headers.is_empty() {
        Check::pass(
            "http.cabecalhos",
            format!(
                "as {} de cabeçalho aparecem na saída",
                super::report::plural(headers.len(), "linha", "linhas")
            ),
        )
    } else {
        Check::fail(
            "http.cabecalhos",
            format!(
                "faltam na saída as linhas de cabeçalho {}{hint}{crashed}",
                missing.join(", ")
            ),
        )
    });

    let page = child::long_page();
    let as_bytes = unrepr(&run.stdout);
    // O arquivo inteiro é exigido («exibirá a resposta»); quebras de linha a
    // mais (um print() entre dois recv) não contam.
    let exact = contains_content(&run.stdout, &page) || contains_content(&as_bytes, &page);
    let in_text = contains_whole(&run.stdout, &page);
    let in_repr = !in_text && contains_whole(&as_bytes, &page);
    out.push(if in_text || in_repr {
        Check::pass(
            "http.corpo",
            format!(
                "o conteúdo de {} ({} bytes) aparece inteiro{}{}",
                run.file,
                page.len(),
                if in_repr {
                    " (como bytes do Python, b'...')"
                } else {
                    ""
                },
                if exact {
                    ""
                } else {
                    " (com quebras de linha a mais: um print() entre dois recv)"
                }
            ),
        )
    } else {
        Check::fail(
            "http.corpo",
            format!(
                "o conteúdo de {} ({} bytes) não aparece inteiro na saída{}; um recv só pega o que já chegou: leia num laço até o servidor fechar (recv devolve b'') e mostre tudo{hint}{crashed}",
                run.file,
                page.len(),
                shown_prefix(&run.stdout, &page)
            ),
        )
    });
    out.push(if in_repr {
        Check::fail(
            "http.legivel",
            "a saída mostra a resposta como bytes do Python (b'...\\r\\n...'), com os escapes no lugar das quebras de linha: imprima resposta.decode()",
        )
    } else if in_text {
        Check::pass("http.legivel", "a resposta aparece como texto")
    } else {
        Check::skipped("http.legivel", "o conteúdo não aparece (veja acima)")
    });
    out
}

/// "0,3 s": uma duração medida.
fn seconds(d: Duration) -> String {
    format!("{} s", decimal(d.as_secs_f64(), 1))
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

fn judge_missing(run: &ClientRun) -> Check {
    let status_line = run.requests[0]
        .response_head
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    // A linha de status inteira, ou pelo menos o 404: "mostrar a linha de
    // status" já tem a sua própria conferência.
    if run.stdout.contains(&status_line) {
        Check::pass(
            "http.404",
            format!("com {}, a saída mostra «{status_line}»", run.file),
        )
    } else if run.stdout.contains("404") || as_text(run).contains("404") {
        Check::pass(
            "http.404",
            format!("com {}, a saída mostra o 404", run.file),
        )
    } else {
        Check::fail(
            "http.404",
            format!(
                "com {}, o servidor respondeu «{status_line}» e a saída não mostra isso{}{}",
                run.file,
                repr_hint(&run.stdout),
                crash(run)
            ),
        )
    }
}

/// O cliente conectou no host que recebeu na linha de comando?
fn judge_address(
    host: &str,
    decoys: bool,
    found: &ClientRun,
    missing: Option<&ClientRun>,
) -> Check {
    const ID: &str = "http.endereco";
    if !decoys {
        return Check::warn(
            ID,
            format!(
                "não conferido: o corretor não conseguiu escutar em {OTHER_LOOPBACK} com iscas em 127.0.0.1 (neste sistema, ou com --host); o cliente recebeu {host}"
            ),
        );
    }
    let wrong: Vec<String> = std::iter::once(found)
        .chain(missing)
        .flat_map(|run| run.requests.iter())
        .filter_map(|r| r.local)
        .filter(|a| a.ip().to_string() != host)
        .map(|a| a.ip().to_string())
        .collect();
    match wrong.first() {
        None => Check::pass(
            ID,
            format!("recebeu {host} na linha de comando e conectou em {host}"),
        ),
        Some(ip) => Check::fail(
            ID,
            format!(
                "recebeu {host} na linha de comando, mas conectou em {ip}: o endereço está fixo no programa (\"localhost\"?); use o argumento: serverName = sys.argv[1]"
            ),
        ),
    }
}

fn judge_finish(run: &ClientRun) -> Check {
    match run.finished_after {
        Some(after) => Check::pass(
            "http.termina",
            format!(
                "terminou {} ms depois de a resposta acabar",
                after.as_millis()
            ),
        ),
        None => Check::fail(
            "http.termina",
            format!(
                "a resposta acabou (o servidor fechou a conexão) e o cliente continuou rodando por mais {} até o corretor encerrá-lo; quando recv devolver b'' (vazio), pare de ler, feche o socket e termine",
                seconds(run.waited)
            ),
        ),
    }
}

/// O cliente terminou sem erro nas duas execuções? Um erro mostra o código
/// e a exceção (o aluno vê o que o Python disse, sem rodar de novo).
fn judge_errors(found: &ClientRun, missing: Option<&ClientRun>) -> Check {
    let runs: Vec<&ClientRun> = std::iter::once(found).chain(missing).collect();
    let failed: Vec<String> = runs
        .iter()
        // Um código ≠ 0 depois de um 404 é escolha do programa (como o
        // `curl --fail`); uma exceção, ou um código ≠ 0 com o arquivo que existe, é erro.
        .filter(|r| {
            r.exception.is_some() || (r.file == found.file && r.code.is_some_and(|c| c != 0))
        })
        .map(|r| format!("com {}, {}{}", r.file, r.exit, crash(r)))
        .collect();
    if failed.is_empty() {
        Check::pass(
            "http.sem-erro",
            runs.iter()
                .map(|r| format!("com {}, {}", r.file, r.exit))
                .collect::<Vec<_>>()
                .join("; "),
        )
    } else {
        Check::fail("http.sem-erro", failed.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_bytes_literals_are_read_back_as_text() {
        assert_eq!(
            unrepr("b'HTTP/1.1 200 OK\\r\\nA: b\\'c\\''\nb\"<p>\\xc3\\xa9</p>\\n\"\n"),
            "HTTP/1.1 200 OK\r\nA: b'c'<p>é</p>\n"
        );
        assert_eq!(unrepr("sem bytes"), "");
    }
}
