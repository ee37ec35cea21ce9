//! O tratador de conexão que 3a e 3b compartilham: lê uma requisição, responde,
//! fecha. A única diferença entre [`super::a_single`] e [`super::b_threaded`]
//! é *quem* chama [`handle_connection`]: a própria thread do `accept`, ou
//! uma thread nova para cada conexão.
//!
//! Com `--keep-alive` ([`Site::keep_alive`]), o extra das conexões
//! persistentes (Kurose §2.2.2): depois de responder, o mesmo tratador lê o
//! próxima requisição da mesma conexão, até um dos lados dizer `close`.
//!
//! Invariantes: nada que chega pela rede causa pânico; sem `--keep-alive`,
//! toda resposta leva `Connection: close` (uma conexão TCP por par
//! requisição/resposta, como pede o enunciado); com ele, as respostas saem na
//! ordem das requisições; arquivos nunca são lidos inteiros para a memória.

use std::fmt::Write as _;
use std::fs::{File, Metadata};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::files::{self, Resolved};
use super::http::{self, BodyKind, HttpError, Parse, Request};
use super::response::{ALLOW, Head as ResponseHead, PRODUCT, reason_phrase};
use crate::clock::{DateTime, http_date, parse_http_date, unix_now, unix_secs};
use crate::net::{self, StreamError, printable};
use crate::output;

/// Arquivos até este tamanho vão junto com o cabeçalho numa escrita só;
/// maiores vão pelo `io::copy`, em pedaços de 8 KiB (`read` + `sendto`).
const SMALL_FILE: u64 = 64 * 1024;

/// Métodos que conhecemos mas não servimos: 405 com `Allow`. O resto é 501.
const KNOWN_METHODS: [&str; 6] = ["POST", "PUT", "DELETE", "CONNECT", "TRACE", "PATCH"];

/// O site servido e os prazos de cada conexão.
#[derive(Debug, Clone)]
pub struct Site {
    /// A raiz, já canônica (caminho absoluto, sem links).
    pub root: PathBuf,
    /// Quanto esperar pelo cabeçalho inteiro da requisição: depois, 408.
    pub head_timeout: Duration,
    /// Quanto uma escrita pode ficar parada (cliente que não lê).
    pub write_timeout: Duration,
    /// Quanto esperar, depois de responder, pelo fechamento do cliente.
    pub linger: Duration,
    /// Escrever uma linha por requisição em stderr?
    pub log: bool,
    /// Conexões persistentes (`--keep-alive`); `None`, o padrão: uma
    /// conexão por requisição, como pede o enunciado.
    pub keep_alive: Option<KeepAlive>,
}

/// Os limites de uma conexão persistente.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepAlive {
    /// Quanto esperar, entre uma requisição e outra, pelo primeiro byte da
    /// próxima; depois, a conexão é fechada sem resposta (não é erro de ninguém).
    pub idle_timeout: Duration,
    /// Quantas requisições uma conexão pode fazer; a última resposta diz `close`.
    pub max_requests: usize,
}

impl Default for KeepAlive {
    /// 5 s de espera e 1000 requisições, os padrões de `--keep-alive`.
    fn default() -> KeepAlive {
        KeepAlive {
            idle_timeout: Duration::from_secs(5),
            max_requests: 1000,
        }
    }
}

impl Site {
    /// Prepara o site com os prazos padrão (10 s para o cabeçalho, 30 s por escrita).
    ///
    /// # Erros
    /// A raiz não existe ou não é uma pasta.
    pub fn new(root: &Path) -> io::Result<Site> {
        let root = std::fs::canonicalize(root)?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "não é uma pasta",
            ));
        }
        Ok(Site {
            root,
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            linger: Duration::from_secs(2),
            log: true,
            keep_alive: None,
        })
    }
}

/// O que aconteceu numa requisição, para o log e para o cabeçalho da resposta.
struct Exchange {
    request_line: String,
    status: u16,
    sent: u64,
    /// A resposta vai dizer `Connection: keep-alive` (e a conexão continua)?
    keep_alive: bool,
}

/// Atende uma conexão: uma requisição, uma resposta, e o fechamento. Com
/// `--keep-alive`, requisições e respostas em sequência na mesma conexão.
pub fn handle_connection(mut stream: TcpStream, peer: SocketAddr, site: &Site) {
    // Sem estes prazos, um cliente parado prenderia a thread para sempre.
    let timeouts = stream
        .set_read_timeout(Some(site.head_timeout))
        .and_then(|()| stream.set_write_timeout(Some(site.write_timeout)));
    if timeouts.is_err() {
        return;
    }
    if site.keep_alive.is_some() {
        // Numa conexão persistente, uma resposta pequena pode sair enquanto a
        // anterior ainda espera ACK; o algoritmo de Nagle a seguraria até o
        // ACK (que o cliente atrasa): em geral 40 ms, até 200 ms, por resposta
        // (TCP_DELACK_MIN e TCP_DELACK_MAX do Linux). O nginx faz o
        // mesmo (`tcp_nodelay on` nas conexões keep-alive).
        let _ = stream.set_nodelay(true);
    }
    // O que chegou e ainda não foi usado: com pipelining, os bytes depois de
    // um cabeçalho já são o começo da próxima requisição.
    let mut buf = Vec::new();
    let mut number = 1;
    // O prazo de leitura do socket já é o de ociosidade? (veja `read_head`)
    let mut idle_set = false;
    loop {
        match serve_request(&mut stream, &mut buf, peer, site, number, &mut idle_set) {
            After::Next => number += 1,
            After::Close => return, // `stream` sai de escopo: `close` manda FIN.
            After::Linger => return close_gracefully(stream, &mut buf, site.linger),
        }
    }
}

/// O que fazer com a conexão depois de uma requisição.
enum After {
    /// Ler a próxima requisição (só com `--keep-alive`).
    Next,
    /// Fechar já: não há nada do cliente por ler.
    Close,
    /// Fechar esperando o cliente (veja [`close_gracefully`]): ele pode
    /// ainda estar mandando bytes que não lemos.
    Linger,
}

/// Lê e responde a requisição número `number` da conexão.
fn serve_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    peer: SocketAddr,
    site: &Site,
    number: usize,
    idle_set: &mut bool,
) -> After {
    let mut started = Instant::now();
    let mut exchange = Exchange {
        request_line: String::new(),
        status: 0,
        sent: 0,
        keep_alive: false,
    };
    // Entre uma requisição e outra de uma conexão persistente, o prazo é o de
    // ociosidade; os bytes que já chegaram (pipelining) não esperam nada.
    let idle = site
        .keep_alive
        .filter(|_| number > 1)
        .map(|k| k.idle_timeout);
    let head = read_head(stream, buf, site.head_timeout, idle, idle_set);
    if number > 1 {
        started = Instant::now();
    }
    exchange.request_line = first_line(buf);
    let mut after = match head {
        Head::Closed | Head::Idle => After::Close,
        _ => After::Linger,
    };
    let result = match head {
        Head::Complete(request, used) => {
            exchange.keep_alive = keep_open(site, &request, number);
            let result = respond(stream, site, &request, &mut exchange);
            after = if exchange.keep_alive {
                buf.drain(..used);
                After::Next
            } else if request.body != BodyKind::None || used < buf.len() {
                // Um corpo que não vamos ler, ou bytes além do cabeçalho.
                After::Linger
            } else {
                After::Close
            };
            result
        }
        Head::Invalid(err) => {
            send_error(stream, err.status(), err.describe(), false, &mut exchange)
        }
        Head::TimedOut => {
            let sent = send_error(
                stream,
                408,
                "a requisição não chegou inteira a tempo",
                false,
                &mut exchange,
            );
            // O cliente ficou calado até o prazo: o que ele mandou já foi
            // lido, e a fila de recepção está vazia. Fechar já manda FIN (não
            // RST), e um cliente parado não prende a 3a por mais 2 s.
            if !unread_bytes_waiting(stream) {
                after = After::Close;
            }
            sent
        }
        Head::Closed | Head::Idle => Ok(()),
    };
    if let Err(err) = result {
        // O cliente sumiu no meio da resposta: nada a fazer além de registrar.
        after = After::Close;
        let _ = write!(
            exchange.request_line,
            " (interrompido: {})",
            net::pt_br(&err)
        );
    }
    if site.log && exchange.status != 0 {
        log_exchange(peer, &exchange, started);
    }
    after
}

/// A conexão continua depois desta requisição? Só com `--keep-alive`, se os dois
/// lados querem (RFC 9112 §9.3, em [`http::persistent`]), se a requisição não
/// tem corpo (não lemos corpos: o que sobrasse no fluxo seria lido como a
/// próxima requisição) e se não é a última que a conexão pode fazer.
fn keep_open(site: &Site, request: &Request, number: usize) -> bool {
    site.keep_alive.is_some_and(|k| number < k.max_requests)
        && request.body == BodyKind::None
        && http::persistent(request.version, &request.headers)
}

/// O resultado de ler o cabeçalho da requisição.
enum Head {
    /// A requisição, e quantos bytes do buffer o cabeçalho ocupou.
    Complete(Request, usize),
    Invalid(HttpError),
    TimedOut,
    /// O cliente fechou (ou a conexão falhou) antes de uma requisição completa.
    Closed,
    /// Conexão persistente: nenhum byte de uma nova requisição chegou no prazo
    /// de ociosidade. Fecha-se sem 408: ninguém pediu nada.
    Idle,
}

/// Lê do socket até o cabeçalho da requisição estar completo, ser inválido, ou o prazo vencer.
///
/// O TCP entrega um fluxo de bytes, não mensagens: a requisição pode chegar em
/// um `read` ou em cem. Por isso acumulamos em `buf` e tentamos analisar de
/// novo sempre que uma linha termina.
///
/// `idle`: numa conexão persistente, antes do primeiro byte da requisição,
/// espera-se no máximo isso; se nada chegar, [`Head::Idle`].
///
/// `idle_set`: o prazo do socket já é o de ociosidade (numa conexão
/// persistente, o `setsockopt` só acontece quando o prazo muda, não a cada
/// requisição).
fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    timeout: Duration,
    idle: Option<Duration>,
    idle_set: &mut bool,
) -> Head {
    // O prazo do cabeçalho começa agora, ou quando chegar o primeiro byte.
    let mut deadline = Instant::now() + timeout;
    // Na primeira requisição, `handle_connection` já deixou o prazo do socket
    // em `timeout`: uma chamada a menos ao kernel por conexão.
    let mut first_read = idle.is_none();
    let mut waiting_idle = false;
    if !buf.is_empty() {
        // Pipelining: a requisição pode já estar inteira no buffer.
        match http::parse_request(buf) {
            Ok(Parse::Complete(request, used)) => return Head::Complete(request, used),
            Ok(Parse::Partial) => {}
            Err(err) => return Head::Invalid(err),
        }
    } else if let Some(idle) = idle {
        if !*idle_set {
            if stream.set_read_timeout(Some(idle)).is_err() {
                return Head::Closed;
            }
            *idle_set = true;
        }
        first_read = true;
        waiting_idle = true;
    }
    loop {
        if !first_read {
            // O prazo é para o cabeçalho inteiro, não para cada `read`: quem manda
            // um byte a cada 9 s não ganha tempo infinito.
            *idle_set = false;
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
                return Head::TimedOut;
            }
        }
        first_read = false;
        let old_len = buf.len();
        buf.resize(old_len + 4096, 0);
        // `read` devolve o que o kernel já recebeu (pelo menos 1 byte), ou
        // 0 quando o cliente fechou o lado dele da conexão.
        let received = stream.read(&mut buf[old_len..]);
        // O buffer fica só com o que chegou de fato (0 bytes num erro).
        buf.truncate(old_len + received.as_ref().map_or(0, |&n| n));
        match received {
            Ok(0) => return Head::Closed,
            Ok(_) => {}
            Err(e) => match net::classify_stream(&e) {
                StreamError::Interrupted => {
                    first_read = waiting_idle;
                    continue;
                }
                StreamError::TimedOut if waiting_idle => return Head::Idle,
                StreamError::TimedOut => return Head::TimedOut,
                StreamError::Refused | StreamError::Other => return Head::Closed,
            },
        }
        if waiting_idle {
            // Chegou o primeiro byte: agora vale o prazo do cabeçalho.
            waiting_idle = false;
            deadline = Instant::now() + timeout;
        }
        match http::parse_request(buf) {
            Ok(Parse::Complete(request, used)) => return Head::Complete(request, used),
            Ok(Parse::Partial) => continue,
            Err(err) => return Head::Invalid(err),
        }
    }
}

/// Decide a resposta para uma requisição bem formada.
fn respond(
    stream: &mut TcpStream,
    site: &Site,
    request: &Request,
    exchange: &mut Exchange,
) -> io::Result<()> {
    let head_only = request.method == "HEAD";
    if request.method == "OPTIONS" {
        // `OPTIONS *` (o servidor) ou `OPTIONS /caminho`: o que se pode pedir
        // aqui. É igual para todo alvo, então não olhamos o arquivo.
        // 204: sem corpo, e por isso sem `Content-Length` (RFC 9110 §8.6).
        let head = ResponseHead::new(204)
            .field("Allow", ALLOW)
            .finish(exchange.keep_alive);
        exchange.status = 204;
        return write_counted(stream, head.as_bytes(), exchange);
    }
    if request.method != "GET" && !head_only {
        let (status, detail) = if KNOWN_METHODS.contains(&request.method.as_str()) {
            (405, "este servidor só atende GET, HEAD e OPTIONS")
        } else {
            (501, "método desconhecido")
        };
        return send_error(stream, status, detail, false, exchange);
    }
    match files::resolve(&site.root, &request.target) {
        Ok(Resolved::File(path, meta)) => {
            send_file(stream, &path, &meta, request, head_only, exchange)
        }
        Ok(Resolved::AddSlash(location)) => {
            let body = error_page(301, "esta pasta está no endereço com barra no fim");
            let extra = [("Location", location.as_str())];
            send_page(stream, 301, &extra, &body, head_only, exchange)
        }
        Err(err) => send_error(stream, err.status(), &err.to_string(), head_only, exchange),
    }
}

/// Envia um arquivo: cabeçalho + corpo numa escrita se for pequeno, senão
/// cabeçalho e depois `io::copy` direto do arquivo para o socket.
fn send_file(
    stream: &mut TcpStream,
    path: &Path,
    meta: &Metadata,
    request: &Request,
    head_only: bool,
    exchange: &mut Exchange,
) -> io::Result<()> {
    if !meta.is_file() {
        return send_error(stream, 404, "não é um arquivo", head_only, exchange);
    }
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => {
            let status = files::io_error(e).status();
            let detail = "o arquivo requisitado não pode ser lido";
            return send_error(stream, status, detail, head_only, exchange);
        }
    };
    let len = meta.len();
    let modified = meta.modified().ok().map(unix_secs);
    match modified.and_then(|m| precondition(request, m).map(|status| (m, status))) {
        Some((mtime, 304)) => {
            // GET condicional: o cliente já tem esta versão; vai só o cabeçalho.
            let head = ResponseHead::new(304)
                .field("Last-Modified", http_date(mtime))
                .finish(exchange.keep_alive);
            exchange.status = 304;
            return write_counted(stream, head.as_bytes(), exchange);
        }
        Some((_, status)) => {
            let detail = "o arquivo mudou depois da data indicada na requisição";
            return send_error(stream, status, detail, head_only, exchange);
        }
        None => {}
    }
    let mut head = ResponseHead::new(200)
        .field("Content-Type", files::content_type(path))
        .field("Content-Length", len);
    if let Some(mtime) = modified {
        head = head.field("Last-Modified", http_date(mtime));
    }
    let head = head.finish(exchange.keep_alive);
    exchange.status = 200;
    if head_only {
        return write_counted(stream, head.as_bytes(), exchange);
    }
    let mut file = file.take(len);
    if len <= SMALL_FILE {
        // Uma escrita só: um segmento TCP a menos e uma chamada ao kernel a
        // menos. Sabemos o tamanho, então um `read` basta.
        let mut bytes = head.into_bytes();
        let head_len = bytes.len();
        bytes.resize(head_len + len as usize, 0);
        file.read_exact(&mut bytes[head_len..])?;
        return write_counted(stream, &bytes, exchange);
    }
    write_counted(stream, head.as_bytes(), exchange)?;
    // `io::copy` de `File` para `TcpStream`: a biblioteca padrão lê 8 KiB
    // do arquivo para um buffer e os manda com `sendto`, até o fim (o strace
    // mostra pares read/sendto de 8192 bytes, e nenhum `sendfile`). De
    // propósito, ela não usa `sendfile`/`splice` de arquivo para socket:
    // eles entregam ao kernel as páginas do próprio arquivo, e uma mudança
    // no arquivo depois da chamada ainda poderia sair em bytes já "enviados".
    let copied = io::copy(&mut file, stream);
    if let Ok(n) = copied {
        exchange.sent += n;
    }
    copied.map(|_| ())
}

/// As pré-condições de um GET ou HEAD, na ordem da RFC 9110 §13.2.2, para
/// um servidor que só tem `Last-Modified` (nenhum `ETag`): `Some(412)`,
/// `Some(304)`, ou `None` para responder 200 normalmente.
fn precondition(request: &Request, mtime: i64) -> Option<u16> {
    let date = |name| {
        let value = request.header(name)?;
        // Data inválida: o campo é ignorado (RFC 9110 §13.1.3 e §13.1.4).
        std::str::from_utf8(value).ok().and_then(parse_http_date)
    };
    let is_star = |value: &[u8]| value.trim_ascii() == b"*";
    // 1. If-Match: `*` vale para qualquer arquivo existente; uma lista de
    //    ETags nunca casa, porque não geramos ETags.
    if let Some(value) = request.header("if-match") {
        if !is_star(value) {
            return Some(412);
        }
    } else if date("if-unmodified-since").is_some_and(|since| mtime > since) {
        // 2. If-Unmodified-Since: o arquivo mudou depois da data.
        return Some(412);
    }
    // 3. If-None-Match: `*` casa com qualquer arquivo existente (→ 304);
    //    uma lista de ETags nunca casa. Com ele, If-Modified-Since é ignorado.
    if let Some(value) = request.header("if-none-match") {
        return is_star(value).then_some(304);
    }
    // 4. If-Modified-Since: 304 se o arquivo não mudou desde a data. Uma
    //    data no futuro não pode ter vindo de um Last-Modified nosso: é
    //    ignorada, para não prender um cache numa cópia velha.
    let now = unix_now().as_secs() as i64;
    date("if-modified-since")
        .is_some_and(|since| mtime <= since && since <= now)
        .then_some(304)
}

/// Envia uma página de erro em português.
fn send_error(
    stream: &mut TcpStream,
    status: u16,
    detail: &str,
    head_only: bool,
    exchange: &mut Exchange,
) -> io::Result<()> {
    let extra: &[(&str, &str)] = match status {
        405 => &[("Allow", ALLOW)],
        503 => &[("Retry-After", "1")],
        _ => &[],
    };
    send_page(
        stream,
        status,
        extra,
        &error_page(status, detail),
        head_only,
        exchange,
    )
}

/// Envia uma página HTML pequena (erros, redirecionamento) numa escrita só.
/// Em resposta a HEAD, o cabeçalho é o mesmo e o corpo não vai.
fn send_page(
    stream: &mut TcpStream,
    status: u16,
    extra_fields: &[(&str, &str)],
    body: &str,
    head_only: bool,
    exchange: &mut Exchange,
) -> io::Result<()> {
    let mut bytes = page_response(status, extra_fields, body, exchange.keep_alive).into_bytes();
    if head_only {
        bytes.truncate(bytes.len() - body.len());
    }
    exchange.status = status;
    write_counted(stream, &bytes, exchange)
}

/// Cabeçalho completo (com tipo, tamanho e `Connection`) seguido da página.
fn page_response(
    status: u16,
    extra_fields: &[(&str, &str)],
    body: &str,
    keep_alive: bool,
) -> String {
    let mut head = ResponseHead::new(status);
    for (name, value) in extra_fields {
        head = head.field(name, value);
    }
    let mut response = head
        .field("Content-Type", "text/html; charset=utf-8")
        .field("Content-Length", body.len())
        .finish(keep_alive);
    response.push_str(body);
    response
}

fn write_counted(stream: &mut TcpStream, bytes: &[u8], exchange: &mut Exchange) -> io::Result<()> {
    stream.write_all(bytes)?;
    exchange.sent += bytes.len() as u64;
    Ok(())
}

/// Uma página HTML pequena, em português, para respostas de erro.
fn error_page(status: u16, detail: &str) -> String {
    let reason = reason_phrase(status);
    format!(
        "<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head><meta charset=\"utf-8\"><title>{status} {reason}</title></head>\n\
         <body>\n<h1>{status} {reason}</h1>\n<p>{detail}.</p>\n<hr><address>{PRODUCT}</address>\n</body>\n</html>\n"
    )
}

/// A resposta 503 completa, para quando não há como atender (limite de
/// conexões, ou o sistema não deixou criar a thread).
pub fn busy_response() -> Vec<u8> {
    let body = error_page(503, "o servidor está ocupado; tente de novo em instantes");
    page_response(503, &[("Retry-After", "1")], &body, false).into_bytes()
}

/// Fecha como a RFC 9112 §9.6 descreve: primeiro só o nosso lado de escrita
/// (o cliente recebe FIN e sabe que a resposta acabou), depois lemos e
/// descartamos o que ainda chegar, por pouco tempo, e só então fechamos.
///
/// Por quê? Se fecharmos o socket com bytes não lidos na fila de recepção
/// (o corpo de um POST recusado, por exemplo), o kernel manda RST em vez de
/// FIN, e o RST pode apagar do lado do cliente a resposta que ele ainda não leu.
///
/// Como o nginx com o padrão `lingering_close on` (que só espera quando uma
/// heurística diz que o cliente pode ainda estar mandando), só pagamos essa
/// espera quando o cliente pode ainda estar mandando algo: um corpo que não lemos, bytes
/// além do cabeçalho, ou um cabeçalho inválido. Depois de um GET lido por
/// completo, ou de um 408 a um cliente que ficou calado (nada por ler), a
/// fila de recepção está vazia e `close` basta: sai FIN, não RST.
pub fn close_gracefully(stream: TcpStream, buf: &mut Vec<u8>, linger: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + linger;
    buf.resize(16 * 1024, 0);
    let mut drained = 0;
    let mut reader = &stream;
    while drained < 1024 * 1024 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match reader.read(buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    // `stream` sai de escopo aqui: `close` no descritor.
}

/// Há bytes do cliente na fila de recepção, ainda não lidos? Um `peek` não
/// bloqueante olha sem consumir. Na dúvida (erro ao perguntar), `true`: a
/// espera de [`close_gracefully`] é o lado seguro.
fn unread_bytes_waiting(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let waiting = match stream.peek(&mut [0u8; 1]) {
        Ok(n) => n > 0,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).is_err() || waiting
}

/// A primeira linha do que o cliente mandou, para o log (escapada).
fn first_line(buf: &[u8]) -> String {
    let start = buf
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(buf.len());
    let rest = &buf[start..];
    let end = rest
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(rest.len())
        .min(200);
    let line = rest[..end].strip_suffix(b"\r").unwrap_or(&rest[..end]);
    printable(line).replace('"', "\\\"")
}

/// Uma linha por requisição: quando, quem, qual thread, o quê, status, bytes, duração.
fn log_exchange(peer: SocketAddr, exchange: &Exchange, started: Instant) {
    let now = DateTime::from_unix(unix_now().as_secs() as i64);
    let thread = std::thread::current();
    let line = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z {peer} {} \"{}\" {} {} {:.3}ms",
        now.year,
        now.month,
        now.day,
        now.hour,
        now.minute,
        now.second,
        thread.name().unwrap_or("?"),
        exchange.request_line,
        exchange.status,
        exchange.sent,
        started.elapsed().as_secs_f64() * 1000.0
    );
    output::line(&line);
}

/// Erros do `accept`: registrar e seguir. Falta de descritores ou de memória
/// não passa sozinha num laço apertado; uma pausa curta deixa as conexões
/// em andamento terminarem e liberarem recursos.
pub fn accept_failed(err: &io::Error) {
    output::line(&format!(
        "web-server: accept falhou (seguindo): {}",
        net::pt_br(err)
    ));
    if net::resources_exhausted(err) {
        std::thread::sleep(Duration::from_millis(100));
    }
}
