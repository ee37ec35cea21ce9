//! Seção 3a: o servidor web que atende **uma requisição por vez**.
//!
//! A thread principal faz `accept` e atende a conexão ela mesma; só volta
//! ao `accept` quando a resposta terminou. O caminho da requisição está
//! inteiro neste arquivo, de cima para baixo: aceitar → ler o cabeçalho →
//! analisar → achar o arquivo → enviar → registrar no log. A 3b
//! ([`super::b_threaded`]) usa o mesmo [`handle_connection`]; só o laço do
//! `accept` muda. Roda com `cargo serve-single` (ou `make serve-single`);
//! explicado em `lessons/03-web-server.md`.
//!
//! Invariantes: um erro numa conexão (ou no `accept`) nunca para o laço;
//! nada que chega pela rede causa pânico; arquivos nunca são lidos inteiros
//! para a memória.

use std::fs::File;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use super::connection::{After, Connection};
use super::files::{self, Located};
use super::http::{self, BodyKind, HttpError, Parse, Request};
use super::response::Response;
use super::site::Site;
use super::{conditional, keep_alive, options, redirect};
use crate::clock::{DateTime, http_date, unix_now, unix_secs};
use crate::net::{self, StreamError, printable};
use crate::output;

/// Métodos que conhecemos mas não servimos: 405 com `Allow`. O resto é 501.
const KNOWN_METHODS: [&str; 6] = ["POST", "PUT", "DELETE", "CONNECT", "TRACE", "PATCH"];

/// Atende conexões para sempre, uma de cada vez.
pub fn serve(listener: &TcpListener, site: &Site) -> ! {
    loop {
        // `accept` tira da fila do kernel uma conexão que já completou a
        // apresentação de três vias e devolve um socket novo só para ela.
        match listener.accept() {
            Ok((stream, peer)) => handle_connection(stream, peer, site),
            Err(err) => accept_failed(&err),
        }
    }
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

/// Atende uma conexão: uma requisição, uma resposta, e o fechamento. É o
/// tratador que 3a e 3b compartilham.
pub fn handle_connection(stream: TcpStream, peer: SocketAddr, site: &Site) {
    let Ok(mut conn) = Connection::new(stream, peer, site) else {
        return;
    };
    if let Some(limits) = site.keep_alive {
        // Extra: várias requisições na mesma conexão (`--keep-alive`).
        return keep_alive::serve(conn, limits);
    }
    let started = Instant::now();
    let received = read_request(&mut conn);
    let Some(response) = response_to(site, &received) else {
        // O cliente fechou antes de pedir qualquer coisa: só fechar.
        return conn.close(After::Close);
    };
    let after = match send(&mut conn, response, started) {
        Ok(()) => closing(&conn, &received),
        // O cliente sumiu no meio da resposta: não há por que esperá-lo.
        Err(_) => After::Close,
    };
    conn.close(after);
}

/// O que chegou pela conexão.
pub(super) enum Received {
    /// Uma requisição, e quantos bytes do buffer o cabeçalho dela ocupou.
    Request(Request, usize),
    Invalid(HttpError),
    TimedOut,
    /// O cliente fechou (ou a conexão falhou) antes de uma requisição completa.
    Closed,
}

/// Lê do socket até o cabeçalho da requisição estar completo, ser
/// inválido, ou o prazo vencer.
///
/// O TCP entrega um fluxo de bytes, não mensagens: a requisição pode chegar em
/// um `read` ou em cem. Por isso acumulamos em `conn.buf` e tentamos analisar de
/// novo sempre que chegam bytes. O prazo é do cabeçalho inteiro, e
/// [`Connection::read_more`] o recalcula a cada `read`.
pub(super) fn read_request(conn: &mut Connection) -> Received {
    loop {
        match conn.read_more() {
            Ok(0) => return Received::Closed,
            Ok(_) => {}
            Err(e) => match net::classify_stream(&e) {
                StreamError::TimedOut => return Received::TimedOut,
                _ => return Received::Closed,
            },
        }
        match http::parse_request(&conn.buf) {
            Ok(Parse::Complete(request, used)) => return Received::Request(request, used),
            Ok(Parse::Partial) => continue,
            Err(err) => return Received::Invalid(err),
        }
    }
}

/// A resposta ao que chegou; `None` se não chegou nada a que responder.
pub(super) fn response_to(site: &Site, received: &Received) -> Option<Response> {
    match received {
        Received::Request(request, _) => Some(respond(site, request)),
        Received::Invalid(err) => Some(Response::error(err.status(), err.describe())),
        Received::TimedOut => Some(Response::error(
            408,
            "a requisição não chegou inteira a tempo",
        )),
        Received::Closed => None,
    }
}

/// Envia a resposta e registra no log. O erro é do envio (o cliente sumiu).
pub(super) fn send(conn: &mut Connection, response: Response, started: Instant) -> io::Result<()> {
    let status = response.status;
    let (sent, result) = response.write_to(&mut conn.stream);
    if conn.site.log {
        let mut request_line = first_line(&conn.buf);
        if let Err(err) = &result {
            request_line.push_str(&format!(" (interrompido: {})", net::pt_br(err)));
        }
        log(conn.peer, &request_line, status, sent, started);
    }
    result
}

/// Como fechar depois de uma resposta enviada por inteiro.
pub(super) fn closing(conn: &Connection, received: &Received) -> After {
    match received {
        Received::Request(request, used)
            if request.body != BodyKind::None || *used < conn.buf.len() =>
        {
            // Um corpo que não vamos ler, ou bytes além do cabeçalho.
            After::Linger
        }
        Received::Request(..) => After::Close,
        Received::Invalid(_) => After::Linger,
        // O cliente ficou calado até o prazo: se a fila de recepção está
        // vazia, fechar já manda FIN (não RST), e um cliente parado não
        // prende a 3a pelo tempo da espera.
        Received::TimedOut if !conn.unread_bytes_waiting() => After::Close,
        Received::TimedOut => After::Linger,
        Received::Closed => After::Close,
    }
}

/// Decide a resposta a uma requisição bem formada.
fn respond(site: &Site, request: &Request) -> Response {
    let response = match request.method.as_str() {
        "GET" | "HEAD" => get(site, request),
        "OPTIONS" => options::respond(),
        method if KNOWN_METHODS.contains(&method) => {
            Response::error(405, "este servidor só atende GET, HEAD e OPTIONS")
        }
        _ => Response::error(501, "método desconhecido"),
    };
    if request.method == "HEAD" {
        response.without_body()
    } else {
        response
    }
}

/// GET: do alvo a um arquivo dentro da raiz, e o arquivo na resposta; 404
/// se ele não existe.
fn get(site: &Site, request: &Request) -> Response {
    let (path, meta) = match files::locate(&site.root, &request.target) {
        Ok(Located::File(path, meta)) => (path, meta),
        Ok(Located::AddSlash(location)) => return redirect::add_slash(&location),
        Err(err) => return Response::error(err.status(), &err.to_string()),
    };
    if !meta.is_file() {
        return Response::error(404, "não é um arquivo");
    }
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(e) => {
            let status = files::io_error(e).status();
            return Response::error(status, "o arquivo requisitado não pode ser lido");
        }
    };
    let modified = meta.modified().ok().map(unix_secs);
    if let Some(response) = modified.and_then(|mtime| conditional::check(request, mtime)) {
        return response;
    }
    let mut response = Response::new(200)
        .field("Content-Type", files::content_type(&path))
        .field("Content-Length", meta.len());
    if let Some(mtime) = modified {
        response = response.field("Last-Modified", http_date(mtime));
    }
    response.file(file, meta.len())
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
fn log(peer: SocketAddr, request_line: &str, status: u16, sent: u64, started: Instant) {
    let now = DateTime::from_unix(unix_now().as_secs() as i64);
    let thread = std::thread::current();
    let line = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z {peer} {} \"{request_line}\" {status} {sent} {:.3}ms",
        now.year,
        now.month,
        now.day,
        now.hour,
        now.minute,
        now.second,
        thread.name().unwrap_or("?"),
        started.elapsed().as_secs_f64() * 1000.0
    );
    output::log_line(line);
}
