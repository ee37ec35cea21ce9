//! Requisições ao servidor do aluno e a leitura do que ele responde.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use super::{PIECE_PAUSE, RECONNECT, RESPONSE_LIMIT, STARTUP};
use crate::NotRun;
use crate::child::{self, Server};
use crate::report::decimal;
use pratica_sockets::net::printable;

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
pub(super) fn leading_blank(raw: &[u8]) -> usize {
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
pub(super) fn get(path: &str, host: &str) -> Vec<u8> {
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

/// Conecta em `addr` e troca `pieces` (para as threads de [`CROWD`](super::CROWD), que
/// não têm o processo em mãos). Uma conexão recusada é tentada de novo por
/// até [`RECONNECT`].
pub(super) fn request(addr: SocketAddr, pieces: &[&[u8]], limit: Duration) -> Exchange {
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
pub(super) fn open(server: &mut Server, addr: SocketAddr) -> Result<TcpStream, String> {
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
pub(super) fn ask(
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
pub(super) fn wait_listening(
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
            let hint = crate::exit_hint(server.words(), &server.current.stderr_text(), port);
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
pub(super) fn secs(d: Duration) -> String {
    format!("{} s", decimal(d.as_secs_f64(), 1))
}

/// A primeira linha de uma resposta, para citar no relatório.
pub(super) fn quote_status(ex: &Exchange) -> String {
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
pub(super) fn same_content(body: &[u8], file: &str) -> bool {
    let norm = |b: &[u8]| -> Vec<u8> {
        let text = String::from_utf8_lossy(b)
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        text.trim_end_matches('\n').as_bytes().to_vec()
    };
    norm(body) == norm(file.as_bytes())
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
