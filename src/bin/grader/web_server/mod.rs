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
use super::report::{Check, Report, decimal, plural};
use super::{NotRun, Options, Transport};
use pratica_sockets::cli;
use pratica_sockets::net::printable;

/// Quantos clientes ao mesmo tempo em 3b.
pub const CROWD: usize = 16;
/// Quanto esperamos uma resposta inteira (até o servidor fechar), no mínimo;
/// um servidor lento no primeiro byte ganha mais (veja [`patience`]).
const RESPONSE_LIMIT: Duration = Duration::from_secs(3);
/// Quanto esperamos a primeira resposta: um servidor que dorme antes de
/// responder é lento, não mudo (issue 17, item 11).
const FIRST_RESPONSE_LIMIT: Duration = Duration::from_secs(10);
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
    /// A leitura terminou com erro (conexão reiniciada...): o erro, em português.
    pub error: Option<String>,
    /// Quanto tempo a leitura levou, medido (para o relatório não dizer um
    /// prazo que não esperou).
    pub elapsed: Duration,
    /// Quando chegou o primeiro byte da resposta (medido desde o fim da requisição).
    pub first_byte: Option<Duration>,
}

/// O prazo das requisições seguintes, medido na primeira: três vezes o
/// tempo até o primeiro byte, mais 1 s, entre 3 s e 15 s.
pub fn patience(first: &Exchange) -> Duration {
    let waited = first.first_byte.unwrap_or(Duration::ZERO);
    (waited * 3 + Duration::from_secs(1)).clamp(RESPONSE_LIMIT, Duration::from_secs(15))
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

/// Quantos bytes de linhas em branco vêm antes da linha de status.
fn leading_blank(raw: &[u8]) -> usize {
    let mut at = 0;
    while raw[at..].starts_with(b"\r\n") || raw[at..].starts_with(b"\n") {
        at += if raw[at] == b'\r' { 2 } else { 1 };
    }
    at
}

/// Divide uma resposta em linha de status, cabeçalhos e corpo (linhas em
/// branco antes da linha de status são puladas; [`leading_blank`] as conta).
pub fn parse(raw: &[u8]) -> Parsed<'_> {
    let raw = &raw[leading_blank(raw)..];
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
    let started = Instant::now();
    let mut deadline = started + limit;
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
                if out.raw.is_empty() {
                    out.first_byte = Some(started.elapsed());
                }
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
            Err(e) => {
                let timed_out = pratica_sockets::net::classify(&e)
                    == pratica_sockets::net::SocketError::TimedOut;
                if !timed_out {
                    out.error = Some(pratica_sockets::net::pt_br(&e).to_string());
                }
                break;
            }
        }
    }
    out.elapsed = started.elapsed();
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
            return Err(format!(
                "não conferido: o servidor não estava rodando ({})",
                server.why_down()
            ));
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "o programa está rodando, mas ninguém aceitou a conexão em {}",
                secs(RECONNECT)
            ));
        }
        child::retry_pause();
    }
}

/// Abre uma conexão e troca `pieces`; `Err` com o motivo se não deu para conectar.
fn ask(
    server: &mut Server,
    addr: SocketAddr,
    pieces: &[&[u8]],
    limit: Duration,
) -> Result<Exchange, String> {
    if server.one_shot {
        // Ele sai depois de cada requisição: espera sair, e reinicia.
        let _ = server
            .current
            .wait_until(Instant::now() + Duration::from_secs(1));
        server.ensure_running("a requisição anterior");
    }
    let mut stream = open(server, addr)?;
    Ok(exchange(&mut stream, pieces, limit))
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
    let started = Instant::now();
    let deadline = started + STARTUP;
    while Instant::now() < deadline {
        if server.current.exited().is_some() {
            let why = server.current.describe_exit();
            let tail = server.current.stderr_tail();
            let hint = super::exit_hint(server.words(), &server.current.stderr_text(), port);
            return Err(NotRun(format!(
                "o programa {why} antes de aceitar uma conexão{tail}{hint}"
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
        "nada aceitou conexões em {host}:{port} (TCP) em {}: o programa escuta nesta porta? (mude com --port, ou _PORT_ no comando)",
        secs(started.elapsed())
    )))
}

/// "0,3 s", "2,0 s": uma duração medida.
fn secs(d: Duration) -> String {
    format!("{} s", decimal(d.as_secs_f64(), 1))
}

/// A primeira linha de uma resposta, para citar no relatório.
fn quote_status(ex: &Exchange) -> String {
    if ex.refused {
        return "nem consegui conectar (o servidor não está escutando)".to_string();
    }
    if ex.raw.is_empty() {
        return match (&ex.error, ex.closed) {
            (Some(err), _) => format!(
                "a conexão terminou com erro depois de {}, sem resposta ({err})",
                secs(ex.elapsed)
            ),
            (None, true) => format!(
                "a conexão fechou sem resposta depois de {}",
                secs(ex.elapsed)
            ),
            (None, false) => format!("nenhuma resposta em {}", secs(ex.elapsed)),
        };
    }
    let line = parse(&ex.raw).status_line;
    let shown = printable(&line.as_bytes()[..line.len().min(80)]);
    if leading_blank(&ex.raw) > 0 {
        format!("a resposta começa com uma linha em branco, e só depois vem «{shown}»")
    } else if line.is_empty() {
        "a primeira linha da resposta está vazia".to_string()
    } else {
        format!("recebi «{shown}»")
    }
}

/// O conteúdo do arquivo, sem contar o fim de linha: `\r\n` vira `\n` e as
/// quebras de linha do fim não contam (o esqueleto do livro manda o arquivo
/// linha a linha, e há quem mande «\r\n» a mais no fim).
fn same_content(body: &[u8], file: &str) -> bool {
    let norm = |b: &[u8]| -> Vec<u8> {
        let text = String::from_utf8_lossy(b)
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        text.trim_end_matches('\n').as_bytes().to_vec()
    };
    norm(body) == norm(file.as_bytes())
}

/// Roda as conferências de 3a (ou 3b, com `threaded`).
///
/// # Erros
/// A porta está ocupada, o programa não inicia, ou nunca aceita conexões.
pub fn check(options: &Options, threaded: bool, report: &mut Report) -> Result<(), NotRun> {
    let port = super::choose_port(options, cli::WEB_PORT, Transport::Tcp);
    super::port_free(port, Transport::Tcp)?;
    let addrs = super::addresses(options.host(), port)?;
    let workspace = Workspace::for_student(&options.command, &options.base)
        .map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
    let words = child::expand(&options.command, options.host(), port, "", &options.base);
    let mut server = Server::start(words.clone(), &workspace.served)
        .map_err(|e| super::spawn_error(&words, &e))?;
    let (addr, mut first) = wait_listening(&mut server, &addrs, options.host(), port)?;
    let host = pratica_sockets::net::host_port(options.host(), port);

    let ex = exchange(
        &mut first,
        &[&get("/index.html", &host)],
        FIRST_RESPONSE_LIMIT,
    );
    drop(first);
    let limit = patience(&ex);
    report.extend(existing_file(&ex));
    if threaded {
        report.push(http_message(&ex));
    }
    // O servidor continua atendendo? A requisição do 404 é a segunda; sem
    // reiniciar antes, para ver se ele terminou depois da primeira.
    let mut stopped = Vec::new();
    let mut missing = ask(
        &mut server,
        addr,
        &[&get("/nao-existe-corretor.html", &host)],
        limit,
    );
    if exited_after(&mut server, &missing) {
        stopped.push(format!(
            "depois da primeira requisição, o programa {}{}",
            server.current.describe_exit(),
            server.current.stderr_tail()
        ));
        server.one_shot = true;
        server.ensure_running("arquivo existente");
        missing = ask(
            &mut server,
            addr,
            &[&get("/nao-existe-corretor.html", &host)],
            limit,
        );
    }
    report.push(written_with_sockets(&ex, &missing));
    report.push(missing_file(missing));
    let third = ask(&mut server, addr, &[&get("/index.html", &host)], limit);
    if stopped.is_empty() && exited_after(&mut server, &third) {
        stopped.push(format!(
            "depois do 404, o programa {}{}",
            server.current.describe_exit(),
            server.current.stderr_tail()
        ));
        server.one_shot = true;
    }
    report.push(keeps_serving(&stopped, &third));
    server.ensure_running("arquivo inexistente");
    if threaded {
        report.push(second_client(&mut server, addr, &host, limit));
        server.ensure_running("cliente parado");
        report.push(crowd(&mut server, addr, &host, ex.elapsed));
        server.ensure_running("clientes ao mesmo tempo");
    }
    report.push(no_leak(&mut server, addr, &host, &workspace, limit));
    server.ensure_running("..");
    report.push(pieces(&mut server, addr, &host, limit));
    report.notes.append(&mut server.restarts);
    if threaded {
        // Em 3b, o formato da resposta (de 3a) é boa prática.
        for c in &mut report.checks {
            c.spec = crate::checks::spec_in(c.spec.id, crate::grade::Mode::Threaded);
        }
    }
    Ok(())
}

/// A troca não teve resposta porque o programa terminou? Só neste caso
/// esperamos (até 1 s) o processo acabar de sair: o `connect` pode ter
/// entrado na fila do `listen` antes de o programa fechar o socket.
fn exited_after(server: &mut Server, ex: &Result<Exchange, String>) -> bool {
    match ex {
        Ok(ex) if !ex.raw.is_empty() => false,
        _ => server
            .current
            .wait_until(Instant::now() + Duration::from_secs(1))
            .is_some(),
    }
}

/// O servidor do enunciado atende uma requisição depois da outra (o
/// `accept` num laço); um que termina depois da primeira não é um servidor.
fn keeps_serving(stopped: &[String], third: &Result<Exchange, String>) -> Check {
    const ID: &str = "web.continua";
    if !stopped.is_empty() {
        return Check::fail(
            ID,
            format!(
                "{}; um servidor web atende uma requisição depois da outra: ponha o accept e o atendimento dentro de um «while True:», e feche só o socket da conexão",
                stopped.join("; ")
            ),
        );
    }
    match third {
        Ok(ex) if !ex.raw.is_empty() => Check::pass(
            ID,
            "atendeu a segunda requisição (a do 404) e a terceira (index.html, depois do 404)",
        ),
        Ok(ex) => Check::fail(
            ID,
            format!(
                "a terceira requisição (index.html, depois do 404): {}",
                quote_status(ex)
            ),
        ),
        Err(why) => Check::skipped(ID, why.clone()),
    }
}

/// As conferências da resposta a `GET /index.html`.
fn existing_file(ex: &Exchange) -> Vec<Check> {
    let mut out = Vec::new();
    let parsed = parse(&ex.raw);
    let ok_status = parsed.status == Some(200) && parsed.status_line.starts_with("HTTP/1.");
    out.push(if ok_status && leading_blank(&ex.raw) > 0 {
        // Um cliente HTTP lê a primeira linha como a linha de status: uma
        // linha vazia ali não é uma mensagem de resposta HTTP.
        Check::fail(
            "web.status",
            format!(
                "pedi /index.html, que existe, e {}; um cliente lê a primeira linha como a linha de status, e ela está vazia: tire o «\\n» do começo da resposta",
                quote_status(ex)
            ),
        )
    } else if ok_status {
        Check::pass("web.status", quote_status(ex))
    } else {
        Check::fail(
            "web.status",
            format!(
                "pedi /index.html, que existe, e {}; a primeira linha deve ser «HTTP/1.1 200 OK»",
                quote_status(ex)
            ),
        )
    });
    if ex.raw.is_empty() {
        for id in ["web.linha-em-branco", "web.arquivo"] {
            out.push(Check::skipped(id, "não houve resposta"));
        }
        return out;
    }

    // Uma "linha de cabeçalho" sem a forma «Nome: valor» é o arquivo que
    // começou sem a linha em branco (ela veio depois, ou nunca).
    let body_in_head = parsed
        .header_lines
        .iter()
        .position(|l| !l.contains(':') || l.trim_start().starts_with('<'));
    let last_header = |upto: usize| {
        parsed.header_lines[..upto]
            .last()
            .cloned()
            .unwrap_or_else(|| parsed.status_line.clone())
    };
    out.push(match (parsed.blank, body_in_head) {
        (Blank::Missing, _) => Check::fail(
            "web.linha-em-branco",
            format!(
                "não há linha em branco depois de «{}», então o cliente não sabe onde começa o arquivo; mande «\\r\\n» sozinho depois da última linha de cabeçalho",
                printable(last_header(body_in_head.unwrap_or(parsed.header_lines.len())).as_bytes())
            ),
        ),
        (_, Some(at)) => Check::fail(
            "web.linha-em-branco",
            format!(
                "falta a linha em branco logo depois de «{}»: o arquivo («{}») vem antes dela; a linha em branco que apareceu depois não separa nada. Mande «\\r\\n» sozinho depois da última linha de cabeçalho, antes do arquivo",
                printable(last_header(at).as_bytes()),
                printable(&parsed.header_lines[at].as_bytes()[..parsed.header_lines[at].len().min(40)])
            ),
        ),
        (Blank::Crlf, None) => Check::pass("web.linha-em-branco", "o cabeçalho termina com «\\r\\n\\r\\n»"),
        (Blank::Lf, None) => Check::pass("web.linha-em-branco", "o cabeçalho termina com «\\n\\n»"),
    });
    let head_ok = parsed.blank != Blank::Missing && body_in_head.is_none();
    if !head_ok {
        out.push(Check::skipped(
            "web.arquivo",
            "sem a linha em branco no lugar certo não dá para separar cabeçalho e corpo",
        ));
        return out;
    }
    out.push(if parsed.blank == Blank::Crlf {
        Check::pass("web.crlf", "as linhas do cabeçalho terminam com «\\r\\n»")
    } else {
        Check::fail(
            "web.crlf",
            "o cabeçalho termina com «\\n\\n»; o HTTP pede «\\r\\n» no fim de cada linha (navegadores toleram, mas nem todo cliente)",
        )
    });

    let names: Vec<&str> = parsed
        .header_lines
        .iter()
        .filter_map(|l| l.split(':').next())
        .collect();
    let lacking: Vec<&str> = ["Content-Type", "Content-Length"]
        .into_iter()
        .filter(|h| parsed.header(h).is_none())
        .collect();
    out.push(if lacking.is_empty() {
        Check::pass(
            "web.cabecalhos",
            format!("{}: {}", plural(names.len(), "linha", "linhas"), names.join(", ")),
        )
    } else {
        let has = if names.is_empty() {
            "a linha de status vem direto seguida da linha em branco (como no esqueleto do livro)".to_string()
        } else {
            format!("há {} ({})", plural(names.len(), "linha", "linhas"), names.join(", "))
        };
        let verb = if lacking.len() == 1 { "falta" } else { "faltam" };
        Check::fail(
            "web.cabecalhos",
            format!(
                "{has}; {verb} {}: sem eles o navegador adivinha o tipo e só sabe que o arquivo acabou quando a conexão fecha",
                lacking.join(" e ")
            ),
        )
    });

    out.push(if same_content(parsed.body, PAGE) {
        Check::pass(
            "web.arquivo",
            "o conteúdo de index.html veio depois da linha em branco",
        )
    } else {
        Check::fail(
            "web.arquivo",
            format!(
                "o corpo tem {} bytes e não é o conteúdo de index.html ({} bytes), nem contando o fim de linha; mande o conteúdo do arquivo depois da linha em branco",
                parsed.body.len(),
                PAGE.len()
            ),
        )
    });
    out.push(if parsed.body == PAGE.as_bytes() {
        Check::pass("web.bytes-exatos", format!("os {} bytes do arquivo, exatos", PAGE.len()))
    } else if same_content(parsed.body, PAGE) {
        Check::fail(
            "web.bytes-exatos",
            format!(
                "o conteúdo está certo, mas os bytes mudaram ({} em vez de {}): o fim de linha foi trocado, ou veio uma quebra de linha a mais no fim (o esqueleto do livro manda «\\r\\n» depois do arquivo); leia e mande o arquivo em modo binário ('rb'), sem mudar nada",
                parsed.body.len(),
                PAGE.len()
            ),
        )
    } else {
        Check::skipped("web.bytes-exatos", "o conteúdo já é outro (veja acima)")
    });

    let length = parsed.header("content-length");
    out.push(match length.map(|l| l.parse::<usize>()) {
        Some(Ok(n)) if n != parsed.body.len() => Check::fail(
            "web.content-length",
            format!(
                "Content-Length diz {n}, mas o corpo tem {} bytes",
                parsed.body.len()
            ),
        ),
        Some(Err(_)) => Check::fail("web.content-length", "Content-Length não é um número"),
        Some(Ok(n)) => Check::pass(
            "web.content-length",
            format!("Content-Length {n}, igual ao corpo"),
        ),
        None => Check::skipped("web.content-length", "não há Content-Length (veja acima)"),
    });

    out.push(if ex.closed {
        Check::pass("web.fecha", "o servidor fechou a conexão depois da resposta")
    } else {
        Check::fail(
            "web.fecha",
            format!(
                "a conexão continuou aberta {} depois do começo da resposta; feche o socket da conexão (connectionSocket.close()) ao terminar",
                secs(ex.elapsed)
            ),
        )
    });
    out
}

/// Os servidores prontos do Python (e de outros) se apresentam no cabeçalho
/// `Server`; o `http.server` também manda a sua página de erro.
const LIBRARY_SERVERS: [&str; 10] = [
    "simplehttp/",
    "basehttp/",
    "wsgiserver/",
    "werkzeug/",
    "tornadoserver/",
    "uvicorn",
    "gunicorn",
    "waitress",
    "cherrypy",
    "twistedweb",
];

/// O servidor foi escrito pelo aluno? Um programa que entrega o trabalho
/// ao `http.server` não cria socket nem monta resposta. O corretor só vê o
/// que chega pela rede: o cabeçalho `Server` e a página de erro do
/// `http.server`; quem esconde os dois passa (isso só a leitura do código vê).
fn written_with_sockets(found: &Exchange, missing: &Result<Exchange, String>) -> Check {
    const ID: &str = "web.sockets";
    let mut seen = Vec::new();
    for ex in std::iter::once(found).chain(missing.as_ref().ok()) {
        let parsed = parse(&ex.raw);
        if let Some(server) = parsed.header("server") {
            let lower = server.to_ascii_lowercase();
            if LIBRARY_SERVERS.iter().any(|s| lower.contains(s)) {
                seen.push(format!(
                    "o cabeçalho «Server: {}»",
                    printable(server.as_bytes())
                ));
            }
        }
        let body = String::from_utf8_lossy(parsed.body);
        if body.contains("<title>Error response</title>") && body.contains("Error code explanation")
        {
            seen.push(
                "a página de erro do http.server («Error response … Error code explanation»)"
                    .to_string(),
            );
        }
    }
    seen.dedup();
    if seen.is_empty() {
        Check::pass(
            ID,
            "nenhum sinal de um servidor pronto (http.server, socketserver) nas respostas",
        )
    } else {
        Check::fail(
            ID,
            format!(
                "as respostas vêm de um servidor pronto do Python, não de um escrito com sockets: {}; o enunciado pede criar o socket (socket(AF_INET, SOCK_STREAM), bind, listen, accept) e montar a resposta HTTP você mesmo",
                seen.join(" e ")
            ),
        )
    }
}

/// Em 3b: a resposta é uma mensagem HTTP (linha de status `HTTP/1.x NNN`),
/// seja qual for o arquivo servido. Um eco ou um «Hello» não é um servidor web.
fn http_message(ex: &Exchange) -> Check {
    const ID: &str = "web.http";
    let parsed = parse(&ex.raw);
    if parsed.status.is_some() && parsed.status_line.starts_with("HTTP/") {
        Check::pass(ID, format!("pedi /index.html e {}", quote_status(ex)))
    } else {
        Check::fail(
            ID,
            format!(
                "pedi /index.html e {}; um servidor web responde com uma linha de status («HTTP/1.1 200 OK» ou «HTTP/1.1 404 Not Found»), as linhas de cabeçalho, a linha em branco e o arquivo",
                quote_status(ex)
            ),
        )
    }
}

fn missing_file(ex: Result<Exchange, String>) -> Check {
    const ID: &str = "web.404";
    let ex = match ex {
        Ok(ex) => ex,
        Err(why) => return Check::skipped(ID, why),
    };
    let parsed = parse(&ex.raw);
    let rest = &ex.raw[leading_blank(&ex.raw)..];
    match parsed.status {
        Some(404) if leading_blank(&ex.raw) > 0 => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; um cliente lê a primeira linha como a linha de status, e ela está vazia: tire o «\\n» do começo da resposta",
                quote_status(&ex)
            ),
        ),
        // Sem fim de linha não há linha de status: o curl diz «Empty reply
        // from server» e o navegador mostra uma página de erro dele.
        Some(404) if !rest.contains(&b'\n') => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e recebi só «{}», sem fim de linha, e a conexão fechou: isso não é uma mensagem HTTP (o curl diz «Empty reply from server»); termine a linha de status com «\\r\\n» e mande a linha em branco: «HTTP/1.1 404 Not Found\\r\\n\\r\\n»",
                printable(rest)
            ),
        ),
        Some(404) if parsed.status_line.ends_with(" 404 Not Found") => {
            Check::pass(ID, quote_status(&ex))
        }
        Some(404) => Check::pass(
            ID,
            format!(
                "{}; o código 404 está certo (a frase que o acompanha costuma ser «Not Found»)",
                quote_status(&ex)
            ),
        ),
        Some(200) => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; uma página de erro com 200 não é um 404: a linha de status deve ser «HTTP/1.1 404 Not Found»",
                quote_status(&ex)
            ),
        ),
        _ if ex.raw.is_empty() => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; trate o erro de abrir o arquivo (except IOError) mandando «HTTP/1.1 404 Not Found»",
                quote_status(&ex)
            ),
        ),
        _ => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; o enunciado pede «404 Not Found»",
                quote_status(&ex)
            ),
        ),
    }
}

/// O cliente foi atendido? Em 3b só importa a concorrência: qualquer
/// resposta conta, seja qual for o corpo (o formato é de outras conferências).
fn answered(ex: &Exchange) -> bool {
    !ex.raw.is_empty()
}

fn second_client(server: &mut Server, addr: SocketAddr, host: &str, limit: Duration) -> Check {
    const ID: &str = "web.concorrente";
    // O primeiro cliente conecta e não manda nada: um servidor de uma requisição
    // por vez fica preso no recv dele.
    let mut idle = match open(server, addr) {
        Ok(stream) => stream,
        Err(why) => return Check::skipped(ID, why),
    };
    let request_bytes = get("/index.html", host);
    let started = Instant::now();
    let mut second = TcpStream::connect_timeout(&addr, Duration::from_secs(2));
    let ex = match &mut second {
        Ok(stream) => exchange(
            stream,
            &[&request_bytes],
            SECOND_CLIENT_LIMIT.max(limit - RESPONSE_LIMIT + SECOND_CLIENT_LIMIT),
        ),
        Err(_) => Exchange::default(),
    };
    let took = started.elapsed();
    if answered(&ex) {
        // O primeiro também tem de ser atendido: uma thread que usa a
        // variável global da conexão (e não a sua) responde no socket do
        // último cliente aceito, e o primeiro fica sem resposta.
        drop(second);
        let first = exchange(&mut idle, &[&request_bytes], limit);
        if !answered(&first) {
            return Check::fail(
                ID,
                format!(
                    "com um cliente conectado sem mandar nada, o segundo foi atendido em {} ms, mas depois o primeiro mandou a requisição e {}; cada thread deve usar a sua conexão (o argumento que recebeu), não uma variável global que o próximo accept troca",
                    took.as_millis(),
                    quote_status(&first)
                ),
            );
        }
        return Check::pass(
            ID,
            format!(
                "com um cliente conectado sem mandar nada, o segundo foi atendido em {} ms; depois, o primeiro também",
                took.as_millis()
            ),
        );
    }
    // Antes de fechar, o primeiro manda a requisição e o segundo espera a
    // vez: um servidor 3a atende os dois em ordem, sem cair por causa
    // de uma conexão fechada vazia.
    let _ = exchange(&mut idle, &[&request_bytes], limit);
    let after = match &mut second {
        Ok(stream) => exchange(stream, &[], limit),
        Err(_) => Exchange::default(),
    };
    let (then, what) = if answered(&after) {
        (
            "; ele só foi atendido depois que o primeiro mandou a requisição",
            "o servidor atende um cliente por vez (isso é 3a)",
        )
    } else {
        ("", "o servidor não atendeu o segundo cliente")
    };
    Check::fail(
        ID,
        format!(
            "com um cliente conectado sem mandar nada, o segundo esperou {} sem resposta{then}: {what}; crie uma thread por conexão: threading.Thread(target=atender, args=(connectionSocket,)).start()",
            secs(took)
        ),
    )
}

/// `per_request`: quanto a primeira requisição levou. O prazo de cada
/// cliente cresce com ele: um servidor lento (um `send` por caractere, numa
/// máquina ocupada) não é um servidor que deixa clientes sem resposta.
fn crowd(server: &mut Server, addr: SocketAddr, host: &str, per_request: Duration) -> Check {
    const ID: &str = "web.muitos";
    // O primeiro dos clientes confirma que o servidor está de pé.
    let first = match open(server, addr) {
        Ok(stream) => stream,
        Err(why) => return Check::skipped(ID, why),
    };
    let barrier = Arc::new(Barrier::new(CROWD));
    let request_bytes = get("/index.html", host);
    let mut first = Some(first);
    let started = Instant::now();
    let handles: Vec<_> = (0..CROWD)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let request_bytes = request_bytes.clone();
            let mine = first.take();
            thread::spawn(move || {
                barrier.wait();
                // Pelo menos 16 s: com a fila do `listen` cheia, o Linux
                // descarta o SYN e o cliente o reenvia depois de 1, 3, 7 e
                // 15 s; um servidor correto não pode reprovar por isso.
                let limit = (per_request * (4 * CROWD as u32))
                    .clamp(Duration::from_secs(16), Duration::from_secs(30));
                let ex = match mine {
                    Some(mut stream) => exchange(&mut stream, &[&request_bytes], limit),
                    None => request(addr, &[&request_bytes], limit),
                };
                answered(&ex)
            })
        })
        .collect();
    let ok = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(false))
        .filter(|&b| b)
        .count();
    let took = started.elapsed();
    if ok == CROWD {
        Check::pass(
            ID,
            format!(
                "{CROWD} clientes conectaram ao mesmo tempo e todos foram atendidos em {}",
                secs(took)
            ),
        )
    } else {
        Check::fail(
            ID,
            format!(
                "{CROWD} clientes conectaram ao mesmo tempo e só {ok} tiveram resposta (esperei {}); confira o listen() e se cada thread atende e fecha a sua conexão",
                secs(took)
            ),
        )
    }
}

fn no_leak(
    server: &mut Server,
    addr: SocketAddr,
    host: &str,
    workspace: &Workspace,
    limit: Duration,
) -> Check {
    const ID: &str = "web.fora-da-pasta";
    let absolute = format!("/{}", workspace.secret_path().display());
    let targets = [
        "/../segredo.txt",
        "/%2e%2e/segredo.txt",
        "/..%2fsegredo.txt",
        absolute.as_str(),
    ];
    let mut silent = Vec::new();
    for target in targets {
        server.ensure_running("..");
        let ex = match ask(server, addr, &[&get(target, host)], limit) {
            Ok(ex) => ex,
            Err(why) => return Check::skipped(ID, why),
        };
        if ex.raw.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()) {
            return Check::fail(
                ID,
                format!(
                    "GET {target} devolveu segredo.txt, que está fora da pasta servida (o esqueleto do livro abre filename[1:] direto); recuse caminhos com «..» ou absolutos, ou resolva o caminho e confira que ele fica dentro da pasta"
                ),
            );
        }
        if ex.raw.is_empty() {
            silent.push(target);
        }
    }
    // Sem resposta nenhuma, nada prova que o segredo não sairia: o
    // servidor pode só não responder a nada (não conferido, nunca "passou").
    if silent.len() == targets.len() {
        return Check::skipped(
            ID,
            "não conferido: o servidor não respondeu a nenhuma das quatro requisições com «..» ou caminho absoluto",
        );
    }
    let note = if silent.is_empty() {
        String::new()
    } else {
        format!(" (sem resposta nenhuma para {})", silent.join(", "))
    };
    Check::pass(
        ID,
        format!(
            "segredo.txt não apareceu com /../segredo.txt, /%2e%2e/segredo.txt, /..%2fsegredo.txt nem com o caminho absoluto{note}"
        ),
    )
}

fn pieces(server: &mut Server, addr: SocketAddr, host: &str, limit: Duration) -> Check {
    const ID: &str = "web.pedacos";
    let request_bytes = get("/a.txt", host);
    // Primeiro a mesma requisição inteira, como referência: aqui só importa se
    // os pedaços mudam a resposta (o formato já foi conferido acima).
    let whole = match ask(server, addr, &[&request_bytes], limit) {
        Ok(ex) => ex,
        Err(why) => return Check::skipped(ID, why),
    };
    server.ensure_running("requisição inteira");
    let (a, rest) = request_bytes.split_at(2);
    let (b, c) = rest.split_at(20);
    let ex = match ask(server, addr, &[a, b, c], limit) {
        Ok(ex) => ex,
        Err(why) => return Check::skipped(ID, why),
    };
    let same = |x: &Exchange| {
        let p = parse(&x.raw);
        (p.status_line, p.body.to_vec())
    };
    let ok = if whole.raw.is_empty() {
        parse(&ex.raw).status == Some(200) && same_content(parse(&ex.raw).body, TEXT)
    } else {
        !ex.raw.is_empty() && same(&ex) == same(&whole)
    };
    if ok {
        Check::pass(
            ID,
            "a requisição chegou em 3 pedaços e o arquivo voltou certo",
        )
    } else {
        Check::fail(
            ID,
            format!(
                "mandei «GET /a.txt ...» em 3 pedaços, com {} ms entre eles, e {}; o TCP entrega bytes, não mensagens: um recv(1024) só pode pegar o primeiro pedaço. Chame recv até chegar a linha em branco («\\r\\n\\r\\n») antes de ler a requisição",
                PIECE_PAUSE.as_millis(),
                quote_status(&ex)
            ),
        )
    }
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
    fn content_ignores_line_endings_but_not_text() {
        assert!(same_content(b"a\r\nb\r\n", "a\nb\n"));
        assert!(same_content(b"a\nb\n\r\n", "a\nb\n"));
        assert!(!same_content(b"a\nc\n", "a\nb\n"));
    }

    #[test]
    fn a_leading_empty_line_is_skipped_and_counted() {
        let raw = b"\nHTTP/1.1 200 OK\n\nab";
        assert_eq!(leading_blank(raw), 1);
        assert_eq!(parse(raw).status, Some(200));
        let ex = Exchange {
            raw: raw.to_vec(),
            ..Exchange::default()
        };
        assert!(quote_status(&ex).contains("começa com uma linha em branco"));
    }
}
