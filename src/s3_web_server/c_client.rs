//! Seção 3c: o cliente HTTP, `http-client HOST PORTA ARQUIVO [-o SAÍDA]`.
//!
//! [`get`] faz o que o enunciado pede, de cima para baixo: conecta por TCP,
//! manda um GET, lê a resposta até o fim e a mostra (o cabeçalho como chegou,
//! o corpo como bytes crus). O cabeçalho é lido pelo **mesmo** parser do
//! servidor ([`super::http`]), e o corpo termina como a RFC 9112 §6.3 manda:
//! sem corpo (1xx, 204, 304), em chunks, por `Content-Length`, ou quando o
//! servidor fecha. Roda com `cargo get index.html` (ou
//! `make get FILE=index.html`); explicado em `lessons/03-web-server.md`.
//!
//! O extra (vários arquivos numa conexão persistente, `--pipeline`) fica em
//! [`persistent`] e é montado com as peças daqui.
//!
//! Invariantes: o corpo nunca é guardado inteiro na memória; um corpo mais
//! curto que o anunciado, ou em chunks sem o último chunk, é um erro, nunca
//! um sucesso silencioso.

pub mod persistent;

use std::fmt::{self, Write as _};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::http::{self, BodyKind, Chunk, ChunkedDecoder, HttpError, Parse, ResponseHead};
use super::response::PRODUCT;
use crate::net::{self, StreamError};

/// Tamanho do buffer de leitura: grande, para poucas chamadas ao kernel
/// num download grande.
const BUFFER_SIZE: usize = 256 * 1024;

/// Onde está o servidor e quanto esperar por ele.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    pub host: String,
    pub port: u16,
    /// Prazo para conectar (padrão 10 s).
    pub connect_timeout: Duration,
    /// Prazo sem receber nada durante a leitura (padrão 15 s).
    pub read_timeout: Duration,
}

impl ClientConfig {
    pub fn new(host: &str, port: u16) -> ClientConfig {
        ClientConfig {
            host: host.to_string(),
            port,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(15),
        }
    }
}

/// Tudo o que pode dar errado do lado da rede ou do protocolo (código de saída 3).
#[derive(Debug)]
pub enum ClientError {
    /// O nome não resolveu.
    Resolve(io::Error),
    /// Nenhum endereço aceitou a conexão.
    Connect(io::Error),
    /// Passou o prazo sem dados.
    Timeout,
    /// A resposta não é HTTP válido.
    Protocol(HttpError),
    /// A conexão fechou antes do fim da mensagem.
    Truncated(String),
    /// Outro erro de E/S no socket.
    Network(io::Error),
    /// Não deu para escrever a saída (disco cheio, pipe fechado…).
    Output(io::Error),
}

impl std::error::Error for ClientError {
    /// O erro do sistema por trás, quando há um.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Resolve(e)
            | ClientError::Connect(e)
            | ClientError::Network(e)
            | ClientError::Output(e) => Some(e),
            ClientError::Protocol(e) => Some(e),
            ClientError::Timeout | ClientError::Truncated(_) => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Resolve(e) => {
                write!(f, "não foi possível resolver o nome: {}", net::pt_br(e))
            }
            ClientError::Connect(e) => write!(f, "não foi possível conectar: {}", net::pt_br(e)),
            ClientError::Timeout => f.write_str("tempo esgotado esperando o servidor"),
            ClientError::Protocol(e) => write!(f, "resposta inválida: {}", e.describe()),
            ClientError::Truncated(what) => write!(f, "resposta truncada: {what}"),
            ClientError::Network(e) => write!(f, "erro de rede: {}", net::pt_br(e)),
            ClientError::Output(e) => write!(f, "erro ao escrever a saída: {}", net::pt_br(e)),
        }
    }
}

/// O resultado de um GET que recebeu uma resposta completa.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub status: u16,
    /// O `Location` de um 3xx, se houver (o cliente não segue redirecionamentos).
    pub location: Option<String>,
}

impl Fetched {
    /// O status e, se houver, o `Location` de uma resposta.
    fn from_head(head: &ResponseHead) -> Fetched {
        Fetched {
            status: head.status,
            location: head
                .header("location")
                .map(|v| String::from_utf8_lossy(v).into_owned()),
        }
    }
}

/// 3c: `client host porta arquivo`. Conecta, manda um GET, lê a resposta
/// até o fim e escreve o cabeçalho em `head_out` e o corpo em `body_out`
/// (ou também em `head_out`, se `body_out` for `None`).
///
/// # Erros
/// [`ClientError`]: resolução, conexão, prazo, protocolo, truncamento, saída.
pub fn get(
    config: &ClientConfig,
    path: &str,
    head_out: &mut dyn Write,
    body_out: Option<&mut dyn Write>,
) -> Result<Fetched, ClientError> {
    // 1. A conexão TCP: a apresentação de três vias acontece aqui.
    let stream = connect(config)?;
    let mut reader = Reader::new(stream, config.read_timeout)?;
    // 2. Uma requisição, que pede ao servidor para fechar depois dela.
    let request = request_bytes(&config.host, config.port, path, true);
    reader
        .stream
        .write_all(request.as_bytes())
        .map_err(ClientError::Network)?;
    // 3. A resposta inteira, cabeçalho e corpo, escrita enquanto chega.
    let head = read_response(&mut reader, head_out, body_out)?;
    Ok(Fetched::from_head(&head))
}

/// O alvo da requisição: com `/` no começo, e com `%XX` no lugar de tudo que
/// não pode aparecer num alvo (espaço, acentos, `#`, `"`…). Um `%` que já
/// começa um `%XX` válido fica como está.
fn encode_target(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        out.push('/');
    }
    let bytes = path.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let already_encoded = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) || already_encoded {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Uma requisição GET; `close`: é a última desta conexão (`Connection: close`),
/// senão pede que ela continue (`Connection: keep-alive`).
fn request_bytes(host: &str, port: u16, path: &str, close: bool) -> String {
    let connection = if close { "close" } else { "keep-alive" };
    format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {PRODUCT}\r\nAccept: */*\r\nConnection: {connection}\r\n\r\n",
        encode_target(path),
        net::host_port(host, port)
    )
}

/// Resolve o nome e tenta cada endereço, na ordem, até um aceitar.
fn connect(config: &ClientConfig) -> Result<TcpStream, ClientError> {
    let addrs = net::resolve_all(&config.host, config.port).map_err(ClientError::Resolve)?;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "o nome não tem endereços");
    for addr in addrs {
        // `connect` manda o SYN, espera o SYN-ACK e volta assim que o kernel
        // manda o ACK final da apresentação de três vias; o servidor tem a
        // conexão pronta (na fila do `accept`) quando esse ACK chega.
        match TcpStream::connect_timeout(&addr, config.connect_timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = e,
        }
    }
    Err(ClientError::Connect(last))
}

/// Lê uma resposta: pula as provisórias (1xx), escreve o cabeçalho final
/// como chegou e copia o corpo até onde ele termina.
fn read_response(
    reader: &mut Reader,
    head_out: &mut dyn Write,
    body_out: Option<&mut dyn Write>,
) -> Result<ResponseHead, ClientError> {
    let head = loop {
        let (head, raw) = read_head(reader)?;
        head_out.write_all(&raw).map_err(ClientError::Output)?;
        // 1xx (100 Continue, 103 Early Hints) são respostas provisórias: a
        // final vem depois, na mesma conexão.
        if !(100..200).contains(&head.status) || head.status == 101 {
            break head;
        }
    };
    head_out.flush().map_err(ClientError::Output)?;
    let out: &mut dyn Write = match body_out {
        Some(out) => out,
        None => head_out,
    };
    match head.body_kind(false).map_err(ClientError::Protocol)? {
        BodyKind::None => {}
        BodyKind::Length(n) => copy_length(reader, n, out)?,
        BodyKind::Chunked => copy_chunked(reader, out)?,
        BodyKind::UntilClose => copy_until_close(reader, out)?,
    }
    out.flush().map_err(ClientError::Output)?;
    Ok(head)
}

/// Um buffer de leitura com janela `start..end`: lê direto do socket para
/// ele e entrega fatias, sem copiar nem zerar a cada leitura.
struct Reader {
    stream: TcpStream,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Reader {
    /// `timeout` vale para cada leitura e cada escrita: um servidor calado
    /// não prende o cliente para sempre.
    fn new(stream: TcpStream, timeout: Duration) -> Result<Reader, ClientError> {
        stream
            .set_read_timeout(Some(timeout))
            .and_then(|()| stream.set_write_timeout(Some(timeout)))
            .map_err(ClientError::Network)?;
        Ok(Reader {
            stream,
            buf: vec![0; BUFFER_SIZE],
            start: 0,
            end: 0,
        })
    }

    fn data(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Lê mais bytes do socket para o fim da janela. `Ok(0)`: o servidor fechou.
    fn fill(&mut self) -> Result<usize, ClientError> {
        if self.end == self.buf.len() {
            // Só acontece com uma linha incompleta no fim: move para o começo.
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.end == self.buf.len() {
                return Err(ClientError::Protocol(HttpError::HeadersTooLarge));
            }
        }
        loop {
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    return Ok(n);
                }
                Err(e) => match net::classify_stream(&e) {
                    StreamError::Interrupted => continue,
                    StreamError::TimedOut => return Err(ClientError::Timeout),
                    StreamError::Reset | StreamError::Other => {
                        return Err(ClientError::Network(e));
                    }
                },
            }
        }
    }
}

/// Lê até o cabeçalho da resposta estar completo; devolve-o e os bytes crus dele.
fn read_head(reader: &mut Reader) -> Result<(ResponseHead, Vec<u8>), ClientError> {
    loop {
        match http::parse_response_head(reader.data()).map_err(ClientError::Protocol)? {
            Parse::Complete(head, used) => {
                let raw = reader.data()[..used].to_vec();
                reader.consume(used);
                return Ok((head, raw));
            }
            Parse::Partial => {
                if reader.fill()? == 0 {
                    return Err(if reader.data().is_empty() {
                        ClientError::Truncated("o servidor fechou sem responder".into())
                    } else {
                        ClientError::Truncated("o servidor fechou no meio do cabeçalho".into())
                    });
                }
            }
        }
    }
}

/// `Content-Length: n`: exatamente `n` bytes; o que vier depois é ignorado.
fn copy_length(reader: &mut Reader, total: u64, out: &mut dyn Write) -> Result<(), ClientError> {
    let mut left = total;
    while left > 0 {
        if reader.data().is_empty() && reader.fill()? == 0 {
            return Err(ClientError::Truncated(format!(
                "recebidos {} de {total} bytes anunciados em Content-Length",
                total - left
            )));
        }
        let take = reader
            .data()
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        out.write_all(&reader.data()[..take])
            .map_err(ClientError::Output)?;
        reader.consume(take);
        left -= take as u64;
    }
    Ok(())
}

/// `Transfer-Encoding: chunked`: decodifica até o último chunk e os trailers.
fn copy_chunked(reader: &mut Reader, out: &mut dyn Write) -> Result<(), ClientError> {
    let mut decoder = ChunkedDecoder::new();
    loop {
        let (used, chunk) = decoder
            .decode(reader.data())
            .map_err(ClientError::Protocol)?;
        if let Chunk::Data(range) = &chunk {
            out.write_all(&reader.data()[range.clone()])
                .map_err(ClientError::Output)?;
        }
        reader.consume(used);
        match chunk {
            Chunk::Done => return Ok(()),
            Chunk::NeedMore => {
                if reader.fill()? == 0 {
                    return Err(ClientError::Truncated(
                        "o corpo em chunks terminou sem o último chunk (tamanho 0)".into(),
                    ));
                }
            }
            Chunk::Data(_) | Chunk::Control => {}
        }
    }
}

/// Sem tamanho nem chunks: o corpo vai até o servidor fechar.
fn copy_until_close(reader: &mut Reader, out: &mut dyn Write) -> Result<(), ClientError> {
    loop {
        let len = reader.data().len();
        out.write_all(reader.data()).map_err(ClientError::Output)?;
        reader.consume(len);
        if reader.fill()? == 0 {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_bytes_are_exact() {
        assert_eq!(
            request_bytes("localhost", 6789, "index.html", true),
            format!(
                "GET /index.html HTTP/1.1\r\nHost: localhost:6789\r\nUser-Agent: {PRODUCT}\r\n\
                 Accept: */*\r\nConnection: close\r\n\r\n"
            )
        );
    }

    #[test]
    fn only_the_last_request_of_a_connection_says_close() {
        let keep = request_bytes("h", 80, "a", false);
        assert!(keep.contains("\r\nConnection: keep-alive\r\n"), "{keep}");
        let last = request_bytes("h", 80, "a", true);
        assert!(last.contains("\r\nConnection: close\r\n"), "{last}");
    }

    #[test]
    fn ipv6_host_goes_in_brackets() {
        assert!(request_bytes("::1", 80, "/", true).contains("\r\nHost: [::1]:80\r\n"));
        assert!(request_bytes("[::1]", 80, "/", true).contains("\r\nHost: [::1]:80\r\n"));
    }

    #[test]
    fn targets_are_percent_encoded_where_needed() {
        assert_eq!(encode_target("com espaço.txt"), "/com%20espa%C3%A7o.txt");
        assert_eq!(encode_target("/a%20b?x=1"), "/a%20b?x=1");
        assert_eq!(encode_target("100%"), "/100%25");
        assert_eq!(encode_target("a#b\"c"), "/a%23b%22c");
        assert_eq!(encode_target(""), "/");
    }
}
