//! Modos `3a` e `3b`: confere o servidor web da seção 3, com o corretor no
//! papel de navegador (e, em 3b, de muitos navegadores).
//!
//! O programa roda dentro da pasta servida (veja [`super::child::Workspace`]),
//! com `segredo.txt` um nível acima. Conferências, em ordem (as que podem
//! derrubar o servidor ficam por último, e ele é reiniciado se cair):
//!
//! 1. `GET /index.html`: linha de status 200, linhas de cabeçalho, a linha
//!    em branco e o corpo exato (3a);
//! 2. um arquivo que não existe: linha de status 404 de verdade (3a);
//! 3. só em 3b: um segundo cliente é atendido enquanto o primeiro segura
//!    uma conexão sem mandar nada (é o que separa 3b de 3a), e
//!    [`CROWD`] clientes ao mesmo tempo recebem o arquivo;
//! 4. boa prática: `..` e caminhos absolutos não vazam `segredo.txt`;
//! 5. a requisição chegando em três pedaços (o TCP não garante um `recv` só).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use super::child::{self, PAGE, SECRET, Server, TEXT, Workspace};
use super::report::{Kind, Report, Verdict};
use super::{NotRun, Options, Transport};
use pratica_sockets::net::printable;

/// Quantos clientes ao mesmo tempo em 3b.
pub const CROWD: usize = 16;
/// Quanto esperamos uma resposta inteira (até o servidor fechar).
const RESPONSE_LIMIT: Duration = Duration::from_secs(3);
/// Quanto o segundo cliente pode esperar enquanto o primeiro está parado.
const SECOND_CLIENT_LIMIT: Duration = Duration::from_secs(2);
/// A pausa entre os pedaços da requisição: longa o bastante para cada pedaço
/// chegar num `recv` diferente.
pub const PIECE_PAUSE: Duration = Duration::from_millis(150);
/// Prazo para o servidor começar a aceitar conexões.
const STARTUP: Duration = Duration::from_secs(10);
/// Prazo para voltar a aceitar conexões depois de reiniciado.
const RECONNECT: Duration = Duration::from_secs(5);

/// O que voltou de uma conexão.
#[derive(Debug, Default)]
pub struct Exchange {
    pub raw: Vec<u8>,
    /// O servidor fechou a conexão (lemos o fim).
    pub closed: bool,
    /// Nem conectou: ninguém escutava.
    pub refused: bool,
}

/// Como o cabeçalho termina.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// `\r\n\r\n`, como manda o HTTP.
    Crlf,
    /// `\n\n`: só LF.
    Lf,
    /// Não há linha em branco.
    Missing,
}

/// Uma resposta dividida sem exigir nada: o que der para achar.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub status_line: String,
    pub status: Option<u16>,
    pub header_lines: Vec<String>,
    pub blank: Blank,
    pub body: &'a [u8],
}

impl Parsed<'_> {
    /// O valor de um cabeçalho (sem diferenciar maiúsculas).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_lines.iter().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Divide uma resposta em linha de status, cabeçalhos e corpo.
pub fn parse(raw: &[u8]) -> Parsed<'_> {
    let find = |needle: &[u8]| raw.windows(needle.len()).position(|w| w == needle);
    let (head, body, blank) = match (find(b"\r\n\r\n"), find(b"\n\n")) {
        (Some(crlf), Some(lf)) if lf < crlf => (&raw[..lf], &raw[lf + 2..], Blank::Lf),
        (Some(crlf), _) => (&raw[..crlf], &raw[crlf + 4..], Blank::Crlf),
        (None, Some(lf)) => (&raw[..lf], &raw[lf + 2..], Blank::Lf),
        (None, None) => (raw, &raw[raw.len()..], Blank::Missing),
    };
    let text = String::from_utf8_lossy(head);
    let mut lines = text
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_string());
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/")
        .and_then(|rest| rest.split(' ').nth(1))
        .filter(|code| code.len() == 3)
        .and_then(|code| code.parse().ok());
    Parsed {
        status_line,
        status,
        header_lines: lines.collect(),
        blank,
        body,
    }
}

/// Um `GET` como um navegador manda.
fn get(path: &str, host: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Manda `pieces` (com [`PIECE_PAUSE`] entre eles) e lê a resposta até o
/// servidor fechar, até `limit`, ou até um pouco depois do fim anunciado
/// pelo `Content-Length`.
pub fn exchange(stream: &mut TcpStream, pieces: &[&[u8]], limit: Duration) -> Exchange {
    let _ = stream.set_nodelay(true);
    let mut out = Exchange::default();
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            // Aqui a pausa é o próprio teste: pedaços em momentos diferentes.
            thread::sleep(PIECE_PAUSE);
        }
        if stream.write_all(piece).is_err() {
            break;
        }
    }
    let mut deadline = Instant::now() + limit;
    let mut buf = [0u8; 16384];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) => {
                out.closed = true;
                break;
            }
            Ok(n) => {
                out.raw.extend_from_slice(&buf[..n]);
                let parsed = parse(&out.raw);
                let announced = parsed
                    .header("content-length")
                    .and_then(|v| v.parse::<usize>().ok());
                if parsed.blank != Blank::Missing
                    && announced.is_some_and(|len| parsed.body.len() >= len)
                {
                    // Tudo chegou; esperamos só um pouco pelo fechamento.
                    deadline = deadline.min(Instant::now() + Duration::from_millis(300));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    out
}

/// Conecta em `addr` e troca `pieces` (para as threads de [`CROWD`], que
/// não têm o processo em mãos). Uma conexão recusada é tentada de novo por
/// até [`RECONNECT`].
fn request(addr: SocketAddr, pieces: &[&[u8]], limit: Duration) -> Exchange {
    let deadline = Instant::now() + RECONNECT;
    loop {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            Ok(mut stream) => return exchange(&mut stream, pieces, limit),
            Err(_) if Instant::now() < deadline => child::retry_pause(),
            Err(_) => {
                return Exchange {
                    refused: true,
                    ..Exchange::default()
                };
            }
        }
    }
}

/// Conecta ao servidor do aluno, esperando um servidor recém-reiniciado
/// chegar ao `listen` (até [`RECONNECT`]). Se o processo não está rodando,
/// devolve o motivo: a conferência fica "não conferida", não "falhou".
fn open(server: &mut Server, addr: SocketAddr) -> Result<TcpStream, String> {
    let deadline = Instant::now() + RECONNECT;
    loop {
        if let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            return Ok(stream);
        }
        if server.current.exited().is_some() {
            let why = server.current.describe_exit();
            let tail = server.current.stderr_tail();
            return Err(format!(
                "o servidor não estava rodando (caiu numa conferência anterior e, reiniciado, {why}{tail})"
            ));
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "ninguém aceitou a conexão em {} s",
                RECONNECT.as_secs()
            ));
        }
        child::retry_pause();
    }
}

/// Abre uma conexão e troca `pieces`; `Err` com o motivo se não deu para conectar.
fn ask(server: &mut Server, addr: SocketAddr, pieces: &[&[u8]]) -> Result<Exchange, String> {
    let mut stream = open(server, addr)?;
    Ok(exchange(&mut stream, pieces, RESPONSE_LIMIT))
}

/// Tenta conectar até o servidor aceitar. A conexão que deu certo é
/// devolvida e usada na primeira requisição: fechá-la sem mandar nada
/// derrubaria servidores que fazem `message.split()[1]` sem conferir.
fn wait_listening(
    server: &mut Server,
    addrs: &[SocketAddr],
    host: &str,
    port: u16,
) -> Result<(SocketAddr, TcpStream), NotRun> {
    let deadline = Instant::now() + STARTUP;
    while Instant::now() < deadline {
        if server.current.exited().is_some() {
            let why = server.current.describe_exit();
            let tail = server.current.stderr_tail();
            return Err(NotRun(format!(
                "o programa {why} antes de aceitar uma conexão{tail}"
            )));
        }
        for &addr in addrs {
            if let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
                // Sem ninguém na porta, o `connect` no loopback pode, raramente,
                // conectar o socket nele mesmo (a porta de origem sorteada é a
                // de destino: abertura simultânea do TCP). Não é o servidor.
                if stream.local_addr().ok() == stream.peer_addr().ok() {
                    continue;
                }
                return Ok((addr, stream));
            }
        }
        child::retry_pause();
    }
    Err(NotRun(format!(
        "nada aceitou conexões em {host}:{port} (TCP) em {} s: o programa escuta nesta porta? (mude com --port, ou {{port}} no comando)",
        STARTUP.as_secs()
    )))
}

/// A primeira linha de uma resposta, para citar no relatório.
fn quote_status(ex: &Exchange) -> String {
    if ex.refused {
        return "nem consegui conectar (o servidor não está escutando)".to_string();
    }
    if ex.raw.is_empty() {
        return if ex.closed {
            "a conexão fechou sem resposta".to_string()
        } else {
            format!("nenhuma resposta em {} s", RESPONSE_LIMIT.as_secs())
        };
    }
    let line = parse(&ex.raw).status_line;
    format!(
        "recebi «{}»",
        printable(&line.as_bytes()[..line.len().min(80)])
    )
}

/// O corpo é o arquivo, exatamente? `Some(true)` exato, `Some(false)` com
/// uma quebra de linha a mais no fim (o esqueleto do livro faz isso), `None` diferente.
fn body_matches(body: &[u8], file: &str) -> Option<bool> {
    let file = file.as_bytes();
    if body == file {
        Some(true)
    } else if body
        .strip_prefix(file)
        .is_some_and(|rest| rest == b"\r\n" || rest == b"\n")
    {
        Some(false)
    } else {
        None
    }
}

/// Roda as conferências de 3a (ou 3b, com `threaded`).
///
/// # Erros
/// A porta está ocupada, o programa não inicia, ou nunca aceita conexões.
pub fn check(options: &Options, threaded: bool, report: &mut Report) -> Result<(), NotRun> {
    let section = if threaded { "3b" } else { "3a" };
    let port = super::choose_port(options, 6789, Transport::Tcp);
    super::port_free(port, Transport::Tcp)?;
    let addrs = super::addresses(options.host(), port)?;
    let workspace = Workspace::new().map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
    let words = child::expand(&options.command, options.host(), port, "", &options.base);
    let mut server = Server::start(words.clone(), &workspace.served)
        .map_err(|e| super::spawn_error(&words, &e))?;
    let (addr, mut first) = wait_listening(&mut server, &addrs, options.host(), port)?;
    let host = pratica_sockets::net::host_port(options.host(), port);

    let ex = exchange(&mut first, &[&get("/index.html", &host)], RESPONSE_LIMIT);
    drop(first);
    existing_file(section, &ex, report);
    server.ensure_running("arquivo existente");
    missing_file(section, &mut server, addr, &host, report);
    if threaded {
        server.ensure_running("arquivo inexistente");
        second_client(&mut server, addr, &host, report);
        server.ensure_running("cliente parado");
        crowd(&mut server, addr, &host, report);
        server.ensure_running("clientes ao mesmo tempo");
    }
    no_leak(section, &mut server, addr, &host, &workspace, report);
    server.ensure_running("..");
    pieces(section, &mut server, addr, &host, report);
    report.notes.append(&mut server.restarts);
    Ok(())
}

fn existing_file(section: &'static str, ex: &Exchange, report: &mut Report) {
    let parsed = parse(&ex.raw);
    let ok_status = parsed.status == Some(200) && parsed.status_line.starts_with("HTTP/1.");
    let (verdict, detail) = if ok_status {
        (Verdict::Pass, quote_status(ex))
    } else {
        (
            Verdict::Fail,
            format!(
                "pedi /index.html, que existe, e {}; a primeira linha deve ser «HTTP/1.1 200 OK»",
                quote_status(ex)
            ),
        )
    };
    report.add(
        section,
        Kind::Required,
        verdict,
        "linha de status de um arquivo que existe",
        detail,
    );
    if ex.raw.is_empty() {
        for name in [
            "linhas de cabeçalho",
            "linha em branco depois do cabeçalho",
            "corpo igual ao arquivo",
        ] {
            report.add(
                section,
                Kind::Required,
                Verdict::Skipped,
                name,
                "não houve resposta",
            );
        }
        return;
    }

    let (verdict, detail) = match parsed.blank {
        Blank::Crlf => (Verdict::Pass, "o cabeçalho termina com «\\r\\n\\r\\n»".to_string()),
        Blank::Lf => (
            Verdict::Warn,
            "o cabeçalho termina com «\\n\\n»; o HTTP pede «\\r\\n» no fim de cada linha, e navegadores toleram, mas nem todo cliente".to_string(),
        ),
        Blank::Missing => (
            Verdict::Fail,
            "não há linha em branco («\\r\\n\\r\\n») depois do cabeçalho, então o cliente não sabe onde começa o arquivo; mande «\\r\\n» sozinho depois da última linha de cabeçalho".to_string(),
        ),
    };
    report.add(
        section,
        Kind::Required,
        verdict,
        "linha em branco depois do cabeçalho",
        detail,
    );
    if parsed.blank == Blank::Missing {
        for name in ["linhas de cabeçalho", "corpo igual ao arquivo"] {
            report.add(
                section,
                Kind::Required,
                Verdict::Skipped,
                name,
                "sem a linha em branco não dá para separar cabeçalho e corpo",
            );
        }
        return;
    }

    let malformed = parsed.header_lines.iter().find(|l| !l.contains(':'));
    let names: Vec<&str> = parsed
        .header_lines
        .iter()
        .filter_map(|l| l.split(':').next())
        .collect();
    let (verdict, detail) = if let Some(bad) = malformed {
        (
            Verdict::Fail,
            format!(
                "a linha «{}» não tem a forma «Nome: valor»",
                printable(bad.as_bytes())
            ),
        )
    } else if names.is_empty() {
        (
            Verdict::Fail,
            "a linha de status vem direto seguida da linha em branco; o enunciado pede o arquivo «precedido pelas linhas de cabeçalho»: mande pelo menos «Content-Type: text/html» e «Content-Length: <tamanho>»".to_string(),
        )
    } else {
        (
            Verdict::Pass,
            format!("{} linhas: {}", names.len(), names.join(", ")),
        )
    };
    report.add(
        section,
        Kind::Required,
        verdict,
        "linhas de cabeçalho",
        detail,
    );

    let (verdict, detail) = match body_matches(parsed.body, PAGE) {
        Some(true) => (Verdict::Pass, format!("os {} bytes do arquivo, exatos", PAGE.len())),
        Some(false) => (
            Verdict::Warn,
            "o corpo é o arquivo mais uma quebra de linha no fim (o esqueleto do livro manda «\\r\\n» depois do arquivo); o cliente mostra um byte que o arquivo não tem: mande só o arquivo".to_string(),
        ),
        None => (
            Verdict::Fail,
            format!(
                "o corpo tem {} bytes e o arquivo tem {}; mande o conteúdo do arquivo, sem mudar nada, depois da linha em branco",
                parsed.body.len(),
                PAGE.len()
            ),
        ),
    };
    report.add(
        section,
        Kind::Required,
        verdict,
        "corpo igual ao arquivo",
        detail,
    );

    let length = parsed.header("content-length");
    let (verdict, detail) = match (length.map(|l| l.parse::<usize>()), parsed.header("content-type")) {
        (Some(Ok(n)), _) if n != parsed.body.len() => (
            Verdict::Fail,
            format!("Content-Length diz {n}, mas o corpo tem {} bytes", parsed.body.len()),
        ),
        (Some(Err(_)), _) => (Verdict::Fail, "Content-Length não é um número".to_string()),
        (Some(Ok(_)), Some(kind)) => (Verdict::Pass, format!("Content-Type «{}» e Content-Length certo", printable(kind.as_bytes()))),
        _ => (
            Verdict::Warn,
            "falta Content-Type ou Content-Length: sem eles o navegador adivinha o tipo e só sabe que o arquivo acabou quando a conexão fecha".to_string(),
        ),
    };
    report.add(
        section,
        Kind::Practice,
        verdict,
        "Content-Type e Content-Length",
        detail,
    );

    let (verdict, detail) = if ex.closed {
        (
            Verdict::Pass,
            "o servidor fechou a conexão depois da resposta".to_string(),
        )
    } else {
        (
            Verdict::Warn,
            format!(
                "a conexão continuou aberta {} s depois da resposta; feche o socket da conexão (connectionSocket.close()) ao terminar",
                RESPONSE_LIMIT.as_secs()
            ),
        )
    };
    report.add(
        section,
        Kind::Practice,
        verdict,
        "fecha a conexão no fim",
        detail,
    );
}

fn missing_file(
    section: &'static str,
    server: &mut Server,
    addr: SocketAddr,
    host: &str,
    report: &mut Report,
) {
    let name = "arquivo que não existe dá 404";
    let ex = match ask(server, addr, &[&get("/nao-existe-corretor.html", host)]) {
        Ok(ex) => ex,
        Err(why) => return report.add(section, Kind::Required, Verdict::Skipped, name, why),
    };
    let parsed = parse(&ex.raw);
    let (verdict, detail) = match parsed.status {
        Some(404) if parsed.status_line.ends_with(" 404 Not Found") => {
            (Verdict::Pass, quote_status(&ex))
        }
        Some(404) => (
            Verdict::Warn,
            format!(
                "{}; o código 404 está certo, e a frase que o acompanha costuma ser «Not Found»",
                quote_status(&ex)
            ),
        ),
        Some(200) => (
            Verdict::Fail,
            format!(
                "pedi um arquivo que não existe e {}; uma página de erro com 200 não é um 404: a linha de status deve ser «HTTP/1.1 404 Not Found»",
                quote_status(&ex)
            ),
        ),
        _ if ex.raw.is_empty() => (
            Verdict::Fail,
            format!(
                "pedi um arquivo que não existe e {}; trate o erro de abrir o arquivo (except IOError) mandando «HTTP/1.1 404 Not Found»",
                quote_status(&ex)
            ),
        ),
        _ => (
            Verdict::Fail,
            format!(
                "pedi um arquivo que não existe e {}; o enunciado pede «404 Not Found»",
                quote_status(&ex)
            ),
        ),
    };
    report.add(section, Kind::Required, verdict, name, detail);
}

/// A resposta é um 200 que traz o arquivo? Aqui não julgamos o formato
/// (isso é da primeira conferência), só se o cliente foi atendido.
fn served(ex: &Exchange, file: &str) -> bool {
    let file = file.as_bytes();
    parse(&ex.raw).status == Some(200) && ex.raw.windows(file.len()).any(|w| w == file)
}

fn second_client(server: &mut Server, addr: SocketAddr, host: &str, report: &mut Report) {
    let name = "atende outro cliente enquanto um está parado";
    // O primeiro cliente conecta e não manda nada: um servidor de uma requisição
    // por vez fica preso no recv dele.
    let mut idle = match open(server, addr) {
        Ok(stream) => stream,
        Err(why) => return report.add("3b", Kind::Required, Verdict::Skipped, name, why),
    };
    let request_bytes = get("/index.html", host);
    let started = Instant::now();
    let mut second = TcpStream::connect_timeout(&addr, Duration::from_secs(2));
    let ex = match &mut second {
        Ok(stream) => exchange(stream, &[&request_bytes], SECOND_CLIENT_LIMIT),
        Err(_) => Exchange::default(),
    };
    let took = started.elapsed();
    let (verdict, detail) = if served(&ex, PAGE) {
        (
            Verdict::Pass,
            format!(
                "com um cliente parado, o segundo recebeu o arquivo em {} ms",
                took.as_millis()
            ),
        )
    } else {
        // Antes de fechar, o primeiro manda a requisição e o segundo espera a
        // vez: um servidor 3a atende os dois em ordem, sem cair por causa
        // de uma conexão fechada vazia.
        let _ = exchange(&mut idle, &[&request_bytes], RESPONSE_LIMIT);
        let after = match &mut second {
            Ok(stream) => exchange(stream, &[], RESPONSE_LIMIT),
            Err(_) => Exchange::default(),
        };
        let then = if served(&after, PAGE) {
            "; ele só foi atendido depois que o primeiro mandou a requisição"
        } else {
            ""
        };
        (
            Verdict::Fail,
            format!(
                "com um cliente conectado sem mandar nada, o segundo esperou {} s sem receber o arquivo{then}: o servidor atende um por vez (isso é 3a); crie uma thread por conexão: threading.Thread(target=atender, args=(connectionSocket,)).start()",
                SECOND_CLIENT_LIMIT.as_secs()
            ),
        )
    };
    report.add("3b", Kind::Required, verdict, name, detail);
}

fn crowd(server: &mut Server, addr: SocketAddr, host: &str, report: &mut Report) {
    let name = "muitos clientes ao mesmo tempo";
    // O primeiro dos clientes confirma que o servidor está de pé.
    let first = match open(server, addr) {
        Ok(stream) => stream,
        Err(why) => return report.add("3b", Kind::Required, Verdict::Skipped, name, why),
    };
    let barrier = Arc::new(Barrier::new(CROWD));
    let request_bytes = get("/index.html", host);
    let mut first = Some(first);
    let handles: Vec<_> = (0..CROWD)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let request_bytes = request_bytes.clone();
            let mine = first.take();
            thread::spawn(move || {
                barrier.wait();
                let limit = Duration::from_secs(5);
                let ex = match mine {
                    Some(mut stream) => exchange(&mut stream, &[&request_bytes], limit),
                    None => request(addr, &[&request_bytes], limit),
                };
                served(&ex, PAGE)
            })
        })
        .collect();
    let ok = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(false))
        .filter(|&b| b)
        .count();
    let (verdict, detail) = if ok == CROWD {
        (
            Verdict::Pass,
            format!("{CROWD} clientes conectaram ao mesmo tempo e todos receberam o arquivo"),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "{CROWD} clientes conectaram ao mesmo tempo e só {ok} receberam o arquivo em 5 s; confira o listen() e se cada thread atende e fecha a sua conexão"
            ),
        )
    };
    report.add("3b", Kind::Required, verdict, name, detail);
}

fn no_leak(
    section: &'static str,
    server: &mut Server,
    addr: SocketAddr,
    host: &str,
    workspace: &Workspace,
    report: &mut Report,
) {
    let absolute = format!("/{}", workspace.secret_path().display());
    let targets = [
        "/../segredo.txt",
        "/%2e%2e/segredo.txt",
        "/..%2fsegredo.txt",
        absolute.as_str(),
    ];
    let name = "não entrega arquivos de fora da pasta";
    let mut silent = Vec::new();
    for target in targets {
        server.ensure_running("..");
        let ex = match ask(server, addr, &[&get(target, host)]) {
            Ok(ex) => ex,
            Err(why) => return report.add(section, Kind::Practice, Verdict::Skipped, name, why),
        };
        if ex.raw.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()) {
            report.add(
                section,
                Kind::Practice,
                Verdict::Fail,
                name,
                format!(
                    "GET {target} devolveu segredo.txt, que está fora da pasta servida (o esqueleto do livro abre filename[1:] direto); recuse caminhos com «..» ou absolutos, ou resolva o caminho e confira que ele fica dentro da pasta"
                ),
            );
            return;
        }
        if ex.raw.is_empty() {
            silent.push(target);
        }
    }
    let note = if silent.is_empty() {
        String::new()
    } else {
        format!(" (sem resposta nenhuma para {})", silent.join(", "))
    };
    report.add(
        section,
        Kind::Practice,
        Verdict::Pass,
        name,
        format!("segredo.txt não apareceu com /../segredo.txt, /%2e%2e/segredo.txt, /..%2fsegredo.txt nem com o caminho absoluto{note}"),
    );
}

fn pieces(
    section: &'static str,
    server: &mut Server,
    addr: SocketAddr,
    host: &str,
    report: &mut Report,
) {
    let name = "requisição que chega em pedaços";
    let request_bytes = get("/a.txt", host);
    // Primeiro a mesma requisição inteira, como referência: aqui só importa se
    // os pedaços mudam a resposta (o formato já foi conferido acima).
    let whole = match ask(server, addr, &[&request_bytes]) {
        Ok(ex) => ex,
        Err(why) => return report.add(section, Kind::Required, Verdict::Skipped, name, why),
    };
    server.ensure_running("requisição inteira");
    let (a, rest) = request_bytes.split_at(2);
    let (b, c) = rest.split_at(20);
    let ex = match ask(server, addr, &[a, b, c]) {
        Ok(ex) => ex,
        Err(why) => return report.add(section, Kind::Required, Verdict::Skipped, name, why),
    };
    let same = |x: &Exchange| {
        let p = parse(&x.raw);
        (p.status_line, p.body.to_vec())
    };
    let answered = if whole.raw.is_empty() {
        served(&ex, TEXT)
    } else {
        !ex.raw.is_empty() && same(&ex) == same(&whole)
    };
    let (verdict, detail) = if answered {
        (
            Verdict::Pass,
            "a requisição chegou em 3 pedaços e o arquivo voltou certo".to_string(),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "mandei «GET /a.txt ...» em 3 pedaços, com {} ms entre eles, e {}; o TCP entrega bytes, não mensagens: chame recv até chegar a linha em branco («\\r\\n\\r\\n») antes de ler a requisição",
                PIECE_PAUSE.as_millis(),
                quote_status(&ex)
            ),
        )
    };
    report.add(section, Kind::Required, verdict, name, detail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_responses_with_crlf_lf_or_no_blank_line() {
        let p = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab");
        assert_eq!(
            (p.status, p.blank, p.body),
            (Some(200), Blank::Crlf, &b"ab"[..])
        );
        assert_eq!(p.header("content-length"), Some("2"));
        let p = parse(b"HTTP/1.0 404 Not Found\n\nx");
        assert_eq!(
            (p.status, p.blank, p.body),
            (Some(404), Blank::Lf, &b"x"[..])
        );
        let p = parse(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n<h1>oi</h1>\n");
        assert_eq!(p.blank, Blank::Missing);
        assert_eq!(parse(b"").status, None);
    }

    #[test]
    fn a_trailing_newline_after_the_file_is_noted_not_hidden() {
        assert_eq!(body_matches(b"abc", "abc"), Some(true));
        assert_eq!(body_matches(b"abc\r\n", "abc"), Some(false));
        assert_eq!(body_matches(b"ab", "abc"), None);
    }
}
