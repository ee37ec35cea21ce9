//! O parser HTTP/1.1 da seção 3, usado nos dois sentidos: pelo servidor
//! (3a e 3b) para ler requisições e pelo cliente (3c) para ler respostas.
//!
//! Segue a gramática da RFC 9112 (seções 2 a 7). Explicado em
//! `lessons/03-web-server.md`.
//!
//! Invariante: este módulo não faz E/S. Entram bytes, sai uma requisição, uma
//! resposta, "preciso de mais bytes" ([`Parse::Partial`]) ou um [`HttpError`]
//! tipado. Nenhuma entrada, por pior que seja, causa pânico.

use std::ops::Range;

/// Tamanho máximo do alvo da requisição (`/caminho?consulta`): acima disso, 414.
pub const MAX_TARGET_LEN: usize = 8 * 1024;
/// Tamanho máximo da seção de cabeçalhos de uma requisição: acima disso, 431.
pub const MAX_HEADER_SECTION: usize = 16 * 1024;
/// Número máximo de campos de cabeçalho numa requisição: acima disso, 431.
pub const MAX_FIELDS: usize = 100;
/// Limites mais folgados para respostas (o cliente 3c conversa com
/// servidores que não controlamos, com cookies grandes e afins).
pub const MAX_RESPONSE_HEAD: usize = 64 * 1024;
const MAX_RESPONSE_FIELDS: usize = 256;
/// Uma linha de tamanho de *chunk* (com extensões) maior que isto é abuso.
const MAX_CHUNK_LINE: usize = 4 * 1024;

/// O resultado de tentar ler uma mensagem de um buffer que pode estar incompleto.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parse<T> {
    /// O cabeçalho está completo e ocupou os primeiros `usize` bytes do buffer.
    Complete(T, usize),
    /// Ainda não chegou a linha em branco que termina o cabeçalho.
    Partial,
}

/// Tudo o que pode estar errado numa mensagem, um caso por regra da gramática.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpError {
    /// A linha de requisição não tem a forma `método SP alvo SP versão`.
    MalformedRequestLine,
    /// O método tem caracteres que não são de *token*.
    InvalidMethod,
    /// O alvo tem espaço, caractere de controle, `%` inválido…
    InvalidTarget,
    /// A versão não é `HTTP/` dígito `.` dígito.
    InvalidVersion,
    /// HTTP/0.x, HTTP/2.0, HTTP/3.0… numa conexão HTTP/1.
    UnsupportedVersion,
    /// O alvo passa de [`MAX_TARGET_LEN`].
    TargetTooLong,
    /// Espaço entre a linha de requisição e o primeiro campo.
    WhitespaceAfterStartLine,
    /// Um campo sem `:` ou com nome vazio ou inválido.
    InvalidFieldName,
    /// `Host : x` — espaço entre o nome do campo e os dois-pontos.
    WhitespaceBeforeColon,
    /// Uma linha que começa com espaço (continuação, "obs-fold").
    ObsFold,
    /// Caractere de controle (NUL, CR solto, DEL…) no valor de um campo.
    InvalidFieldValue,
    /// O cabeçalho passa de [`MAX_HEADER_SECTION`].
    HeadersTooLarge,
    /// Mais de [`MAX_FIELDS`] campos.
    TooManyFields,
    /// Requisição HTTP/1.1 sem `Host`.
    MissingHost,
    /// Mais de um `Host`.
    DuplicateHost,
    /// `Host` com valor que não é `host[:porta]`.
    InvalidHost,
    /// `Content-Length` que não é um número.
    InvalidContentLength,
    /// Dois `Content-Length` diferentes.
    ConflictingContentLength,
    /// `Content-Length` e `Transfer-Encoding` juntos numa requisição.
    ContentLengthWithTransferEncoding,
    /// `Transfer-Encoding` em que `chunked` não é a última codificação.
    ChunkedNotFinal,
    /// Uma codificação de transferência que não conhecemos (`gzip`, `br`…).
    UnsupportedTransferCoding,
    /// A linha de status de uma resposta não é `HTTP/x.y NNN motivo`.
    MalformedStatusLine,
    /// Um *chunk* mal formado (tamanho não hexadecimal, sem CRLF…).
    InvalidChunk,
}

impl HttpError {
    /// Todas as variantes, na ordem em que são declaradas (para os testes
    /// percorrerem cada uma; um teste confere que a lista está completa).
    pub const ALL: [HttpError; 23] = [
        HttpError::MalformedRequestLine,
        HttpError::InvalidMethod,
        HttpError::InvalidTarget,
        HttpError::InvalidVersion,
        HttpError::UnsupportedVersion,
        HttpError::TargetTooLong,
        HttpError::WhitespaceAfterStartLine,
        HttpError::InvalidFieldName,
        HttpError::WhitespaceBeforeColon,
        HttpError::ObsFold,
        HttpError::InvalidFieldValue,
        HttpError::HeadersTooLarge,
        HttpError::TooManyFields,
        HttpError::MissingHost,
        HttpError::DuplicateHost,
        HttpError::InvalidHost,
        HttpError::InvalidContentLength,
        HttpError::ConflictingContentLength,
        HttpError::ContentLengthWithTransferEncoding,
        HttpError::ChunkedNotFinal,
        HttpError::UnsupportedTransferCoding,
        HttpError::MalformedStatusLine,
        HttpError::InvalidChunk,
    ];

    /// O código de status de cada erro, numa tabela só, ao lado da regra
    /// da RFC que ele aplica.
    pub fn status(self) -> u16 {
        use HttpError::*;
        match self {
            // RFC 9112 §3: linha de requisição inválida → 400.
            MalformedRequestLine | InvalidMethod | InvalidTarget | InvalidVersion => 400,
            // RFC 9112 §2.2: espaço antes do primeiro campo → rejeitar (400).
            WhitespaceAfterStartLine => 400,
            // RFC 9112 §5.1: espaço antes dos dois-pontos → 400.
            // RFC 9112 §5.2: obs-fold numa requisição → 400.
            // RFC 9110 §5.5: valor com CTL é inválido.
            InvalidFieldName | WhitespaceBeforeColon | ObsFold | InvalidFieldValue => 400,
            // RFC 9112 §3.2: Host ausente (1.1), repetido ou inválido → 400.
            MissingHost | DuplicateHost | InvalidHost => 400,
            // RFC 9112 §6.3: Content-Length inválido ou conflitante → 400;
            // CL + TE numa requisição: "MAY reject" (§6.1); chunked não final → 400.
            InvalidContentLength | ConflictingContentLength => 400,
            ContentLengthWithTransferEncoding | ChunkedNotFinal => 400,
            // RFC 9112 §6.1: codificação desconhecida → 501.
            UnsupportedTransferCoding => 501,
            // RFC 9112 §3 e RFC 9110 §15.5.15: alvo longo demais → 414.
            TargetTooLong => 414,
            // RFC 6585 §5: cabeçalhos grandes demais → 431.
            HeadersTooLarge | TooManyFields => 431,
            // RFC 9110 §15.6.6: versão maior não suportada → 505.
            UnsupportedVersion => 505,
            // Erros de resposta não viram status: o cliente os trata como falha.
            MalformedStatusLine | InvalidChunk => 502,
        }
    }

    /// Uma frase em português para a página de erro e para o cliente.
    pub fn describe(self) -> &'static str {
        use HttpError::*;
        match self {
            MalformedRequestLine => "a linha de requisição não tem a forma «MÉTODO alvo HTTP/1.1»",
            InvalidMethod => "o método tem caracteres inválidos",
            InvalidTarget => "o alvo da requisição tem caracteres inválidos",
            InvalidVersion => "a versão do HTTP está mal escrita",
            UnsupportedVersion => "esta versão do HTTP não é suportada",
            TargetTooLong => "o alvo da requisição é longo demais",
            WhitespaceAfterStartLine => "há espaço antes do primeiro cabeçalho",
            InvalidFieldName => "um cabeçalho tem nome inválido ou não tem dois-pontos",
            WhitespaceBeforeColon => "há espaço entre o nome de um cabeçalho e os dois-pontos",
            ObsFold => "um cabeçalho continua na linha seguinte (obs-fold), o que não é aceito",
            InvalidFieldValue => "um cabeçalho tem caractere de controle no valor",
            HeadersTooLarge => "os cabeçalhos são grandes demais",
            TooManyFields => "há cabeçalhos demais",
            MissingHost => "requisições HTTP/1.1 precisam do cabeçalho Host",
            DuplicateHost => "há mais de um cabeçalho Host",
            InvalidHost => "o cabeçalho Host é inválido",
            InvalidContentLength => "o Content-Length não é um número válido",
            ConflictingContentLength => "há valores diferentes de Content-Length",
            ContentLengthWithTransferEncoding => {
                "Content-Length e Transfer-Encoding não podem vir juntos"
            }
            ChunkedNotFinal => "chunked precisa ser a última codificação de transferência",
            UnsupportedTransferCoding => "codificação de transferência desconhecida",
            MalformedStatusLine => "a linha de status da resposta é inválida",
            InvalidChunk => "o corpo em chunks está mal formado",
        }
    }
}

/// A frase em português de [`HttpError::describe`].
impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl std::error::Error for HttpError {}

/// A versão do protocolo, `HTTP/1.1` = `Version(1, 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(pub u8, pub u8);

/// Um campo de cabeçalho. O valor fica em bytes: a RFC permite bytes acima
/// de 127 ("obs-text"), que não são necessariamente UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub value: Vec<u8>,
}

/// Como o corpo de uma mensagem termina (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// Sem corpo.
    None,
    /// Exatamente este número de bytes.
    Length(u64),
    /// Uma sequência de *chunks* que termina num *chunk* de tamanho zero.
    Chunked,
    /// Até o servidor fechar a conexão (só em respostas).
    UntilClose,
}

/// Uma requisição HTTP já analisada.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub version: Version,
    pub headers: Vec<Header>,
    /// Como o corpo da requisição (se houver) termina.
    pub body: BodyKind,
}

/// O cabeçalho de uma resposta HTTP já analisado.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    pub version: Version,
    pub status: u16,
    pub reason: String,
    pub headers: Vec<Header>,
}

/// O primeiro valor de um campo, procurando o nome sem diferenciar maiúsculas.
pub fn header<'a>(headers: &'a [Header], name: &str) -> Option<&'a [u8]> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_slice())
}

impl Request {
    /// O primeiro valor do campo `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        header(&self.headers, name)
    }
}

/// A conexão continua aberta depois desta mensagem? RFC 9112 §9.3: em
/// HTTP/1.1 sim, a menos que algum `Connection` traga `close`; em HTTP/1.0
/// só se algum `Connection` trouxer `keep-alive`. Vale para requisições (o que o
/// cliente quer) e para respostas (o que o servidor vai fazer).
///
/// # Exemplos
/// ```
/// use pratica_sockets::s3_web_server::http::{Header, Version, persistent};
///
/// let close = [Header { name: "Connection".into(), value: b"Close".to_vec() }];
/// assert!(persistent(Version(1, 1), &[]));
/// assert!(!persistent(Version(1, 1), &close));
/// assert!(!persistent(Version(1, 0), &[]));
/// ```
pub fn persistent(version: Version, headers: &[Header]) -> bool {
    let says = |token: &str| has_token(headers, "connection", token);
    if says("close") {
        false
    } else if version == Version(1, 0) {
        says("keep-alive")
    } else {
        true
    }
}

/// Algum campo `name` (pode haver vários) tem `token` na sua lista
/// separada por vírgulas, sem diferenciar maiúsculas?
fn has_token(headers: &[Header], name: &str, token: &str) -> bool {
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case(name))
        .flat_map(|h| h.value.split(|&b| b == b','))
        .any(|part| trim_ows(part).eq_ignore_ascii_case(token.as_bytes()))
}

impl ResponseHead {
    /// O primeiro valor do campo `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        header(&self.headers, name)
    }

    /// Como o corpo desta resposta termina, pela ordem da RFC 9112 §6.3.
    ///
    /// `head_request`: a resposta a um HEAD nunca tem corpo.
    ///
    /// # Erros
    /// `Content-Length` inválido ou conflitante (sem `Transfer-Encoding`): a
    /// RFC manda tratar como erro irrecuperável.
    pub fn body_kind(&self, head_request: bool) -> Result<BodyKind, HttpError> {
        // 1. HEAD, 1xx, 204 e 304 nunca têm corpo.
        if head_request || (100..200).contains(&self.status) || matches!(self.status, 204 | 304) {
            return Ok(BodyKind::None);
        }
        // 3. Transfer-Encoding: se chunked é a última, chunks; senão, até fechar.
        if let Some(codings) = transfer_codings(&self.headers) {
            return Ok(match codings.last() {
                Some(last) if last.eq_ignore_ascii_case("chunked") => BodyKind::Chunked,
                _ => BodyKind::UntilClose,
            });
        }
        // 5. Content-Length; 7. senão, até o servidor fechar.
        Ok(match content_length(&self.headers)? {
            Some(len) => BodyKind::Length(len),
            None => BodyKind::UntilClose,
        })
    }
}

// ---------------------------------------------------------------------------
// Classes de caracteres (RFC 9110 §5.6.2 e RFC 3986)
// ---------------------------------------------------------------------------

/// `tchar`: os caracteres de um *token* (métodos, nomes de campo).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| is_tchar(b))
}

/// Caracteres aceitos num alvo de requisição: os da RFC 3986 (não reservados,
/// reservados e `%`), mais `{ } | ^ [ ]`, que navegadores às vezes mandam
/// sem codificar. Espaço, controles, `"`, `<`, `>`, `\`, `` ` `` e `#` não.
fn is_target_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?@!$&'()*+,;=%{}|^[]".contains(&b)
}

/// Valor de campo: texto visível, espaço, tab e bytes ≥ 0x80 (obs-text).
fn is_field_value_char(b: u8) -> bool {
    b == b'\t' || b == b' ' || (0x21..=0x7E).contains(&b) || b >= 0x80
}

fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_ows(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_ows(*last) {
            break;
        }
        s = rest;
    }
    s
}

// ---------------------------------------------------------------------------
// Linhas
// ---------------------------------------------------------------------------

/// A próxima linha a partir de `start`: (conteúdo sem CRLF/LF, início da seguinte).
///
/// Aceita LF sozinho como fim de linha (a RFC 9112 §2.2 permite: "MAY
/// recognize a single LF"). Um CR que não vem antes de um LF fica no
/// conteúdo, e quem chama o recusa como caractere inválido.
fn next_line(buf: &[u8], start: usize) -> Option<(Range<usize>, usize)> {
    let lf = start + buf.get(start..)?.iter().position(|&b| b == b'\n')?;
    let end = if lf > start && buf[lf - 1] == b'\r' {
        lf - 1
    } else {
        lf
    };
    Some((start..end, lf + 1))
}

/// Lê os campos de cabeçalho a partir de `start` até a linha em branco.
///
/// Devolve os campos e a posição logo depois da linha em branco, ou `None`
/// se a linha em branco ainda não chegou.
fn parse_fields(
    buf: &[u8],
    start: usize,
    max_len: usize,
    max_fields: usize,
) -> Result<Option<(Vec<Header>, usize)>, HttpError> {
    let mut headers = Vec::new();
    let mut pos = start;
    loop {
        let Some((line, next)) = next_line(buf, pos) else {
            if buf.len() - start > max_len {
                return Err(HttpError::HeadersTooLarge);
            }
            return Ok(None);
        };
        if next - start > max_len {
            return Err(HttpError::HeadersTooLarge);
        }
        let line = &buf[line];
        if line.is_empty() {
            return Ok(Some((headers, next)));
        }
        if is_ows(line[0]) {
            // RFC 9112 §2.2 (antes do primeiro campo) e §5.2 (obs-fold).
            return Err(if pos == start {
                HttpError::WhitespaceAfterStartLine
            } else {
                HttpError::ObsFold
            });
        }
        if headers.len() == max_fields {
            return Err(HttpError::TooManyFields);
        }
        headers.push(parse_field_line(line)?);
        pos = next;
    }
}

/// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5).
fn parse_field_line(line: &[u8]) -> Result<Header, HttpError> {
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or(HttpError::InvalidFieldName)?;
    let name = &line[..colon];
    if name.last().is_some_and(|&b| is_ows(b)) {
        return Err(HttpError::WhitespaceBeforeColon);
    }
    if !is_token(name) {
        return Err(HttpError::InvalidFieldName);
    }
    let value = trim_ows(&line[colon + 1..]);
    if !value.iter().all(|&b| is_field_value_char(b)) {
        return Err(HttpError::InvalidFieldValue);
    }
    Ok(Header {
        // `is_token` garante ASCII, então a conversão nunca falha.
        name: String::from_utf8_lossy(name).into_owned(),
        value: value.to_vec(),
    })
}

/// `HTTP-version = "HTTP/" DIGIT "." DIGIT`, com maiúsculas (RFC 9112 §2.3).
fn parse_version(bytes: &[u8]) -> Result<Version, HttpError> {
    match bytes {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            Ok(Version(major - b'0', minor - b'0'))
        }
        _ => Err(HttpError::InvalidVersion),
    }
}

// ---------------------------------------------------------------------------
// Requisições
// ---------------------------------------------------------------------------

/// Lê o cabeçalho de uma requisição HTTP do começo de `buf`.
///
/// Pode ser chamada de novo a cada pedaço que chega pelo TCP: enquanto a
/// linha em branco não chegar, devolve [`Parse::Partial`], e os limites de
/// tamanho são conferidos mesmo assim (uma requisição infinita vira 414 ou 431).
///
/// # Erros
/// Qualquer coisa fora da gramática da RFC 9112, como um [`HttpError`].
///
/// # Exemplos
/// ```
/// use pratica_sockets::s3_web_server::http::{parse_request, HttpError, Parse};
///
/// let Ok(Parse::Complete(req, used)) = parse_request(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n") else {
///     panic!("requisição válida");
/// };
/// assert_eq!((req.method.as_str(), req.target.as_str(), used), ("GET", "/", 27));
/// assert_eq!(parse_request(b"GET / HTTP/1.1\r\n\r\n"), Err(HttpError::MissingHost));
/// assert_eq!(parse_request(b"GET / HT"), Ok(Parse::Partial));
/// ```
pub fn parse_request(buf: &[u8]) -> Result<Parse<Request>, HttpError> {
    // RFC 9112 §2.2: ignorar pelo menos uma linha vazia antes da linha de requisição.
    let mut start = 0;
    while let Some((line, next)) = next_line(buf, start) {
        if !line.is_empty() {
            break;
        }
        start = next;
        if start > MAX_HEADER_SECTION {
            return Err(HttpError::HeadersTooLarge);
        }
    }
    let Some((line, after_line)) = next_line(buf, start) else {
        return partial_request_line(&buf[start..]);
    };
    let line = &buf[line];
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HttpError::MalformedRequestLine);
    };
    if method.is_empty() || target.is_empty() {
        return Err(HttpError::MalformedRequestLine);
    }
    if !is_token(method) {
        return Err(HttpError::InvalidMethod);
    }
    if target.len() > MAX_TARGET_LEN {
        return Err(HttpError::TargetTooLong);
    }
    if !target.iter().all(|&b| is_target_char(b)) || !valid_percent_encoding(target) {
        return Err(HttpError::InvalidTarget);
    }
    let version = parse_version(version)?;
    if version.0 != 1 {
        return Err(HttpError::UnsupportedVersion);
    }
    let Some((headers, used)) = parse_fields(buf, after_line, MAX_HEADER_SECTION, MAX_FIELDS)?
    else {
        return Ok(Parse::Partial);
    };
    check_host(&headers, version)?;
    let body = request_body_kind(&headers)?;
    Ok(Parse::Complete(
        Request {
            // Método e alvo já foram validados como ASCII.
            method: String::from_utf8_lossy(method).into_owned(),
            target: String::from_utf8_lossy(target).into_owned(),
            version,
            headers,
            body,
        },
        used,
    ))
}

/// A linha de requisição ainda não terminou: ela já passou do tamanho possível?
fn partial_request_line(line: &[u8]) -> Result<Parse<Request>, HttpError> {
    // método + SP + alvo + SP + "HTTP/1.1" + CRLF: o alvo é o que pode crescer.
    if line.len() > MAX_TARGET_LEN + 64 {
        return Err(match line.iter().position(|&b| b == b' ') {
            Some(sp) if sp < 64 => HttpError::TargetTooLong,
            _ => HttpError::MalformedRequestLine,
        });
    }
    Ok(Parse::Partial)
}

/// Todo `%` precisa vir seguido de dois dígitos hexadecimais (RFC 3986 §2.1).
fn valid_percent_encoding(target: &[u8]) -> bool {
    let mut i = 0;
    while i < target.len() {
        if target[i] == b'%' {
            match target.get(i + 1..i + 3) {
                Some([a, b]) if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => i += 3,
                _ => return false,
            }
        } else {
            i += 1;
        }
    }
    true
}

/// RFC 9112 §3.2: HTTP/1.1 exige exatamente um `Host`, e ele precisa ser válido.
fn check_host(headers: &[Header], version: Version) -> Result<(), HttpError> {
    let mut hosts = headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"));
    match (hosts.next(), hosts.next()) {
        (_, Some(_)) => Err(HttpError::DuplicateHost),
        (None, None) if version == Version(1, 0) => Ok(()),
        (None, None) => Err(HttpError::MissingHost),
        (Some(host), None) if valid_host(&host.value) => Ok(()),
        (Some(_), None) => Err(HttpError::InvalidHost),
    }
}

/// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2), com o host não vazio.
///
/// A §7.2 aceita `Host:` vazio para alvos sem autoridade (um URN, por
/// exemplo), mas este servidor só serve `http`, e um URI `http` com host
/// vazio é inválido: "A recipient that processes such a URI reference MUST
/// reject it as invalid" (RFC 9110 §4.2.1; e RFC 9112 §3.2: Host inválido → 400).
fn valid_host(value: &[u8]) -> bool {
    if let Some(rest) = value.strip_prefix(b"[") {
        // IP literal: [::1]:8080
        let Some(close) = rest.iter().position(|&b| b == b']') else {
            return false;
        };
        let inside = &rest[..close];
        let ok = !inside.is_empty()
            && inside
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b":.vV".contains(&b));
        if !ok {
            return false;
        }
        return match &rest[close + 1..] {
            [] => true,
            [b':', port @ ..] => port.iter().all(u8::is_ascii_digit),
            _ => false,
        };
    }
    let (host, port) = match value.iter().rposition(|&b| b == b':') {
        Some(colon) => (&value[..colon], &value[colon + 1..]),
        None => (value, &b""[..]),
    };
    let host_ok = !host.is_empty()
        && host
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=%".contains(&b));
    host_ok && port.iter().all(u8::is_ascii_digit)
}

/// As codificações de `Transfer-Encoding` (todas as linhas, separadas por vírgula).
fn transfer_codings(headers: &[Header]) -> Option<Vec<String>> {
    let mut found = false;
    let mut codings = Vec::new();
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("transfer-encoding"))
    {
        found = true;
        for part in h.value.split(|&b| b == b',') {
            let part = trim_ows(part);
            // Parâmetros (`;q=…`) não importam para saber qual é a codificação.
            let name = part.split(|&b| b == b';').next().unwrap_or(part);
            let name = trim_ows(name);
            if !name.is_empty() {
                codings.push(String::from_utf8_lossy(name).to_ascii_lowercase());
            }
        }
    }
    found.then_some(codings)
}

/// `Content-Length`: todas as linhas e itens de lista precisam ser o mesmo número.
fn content_length(headers: &[Header]) -> Result<Option<u64>, HttpError> {
    let mut length = None;
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("content-length"))
    {
        for part in h.value.split(|&b| b == b',') {
            let part = trim_ows(part);
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err(HttpError::InvalidContentLength);
            }
            let n: u64 = std::str::from_utf8(part)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or(HttpError::InvalidContentLength)?;
            if length.is_some_and(|old| old != n) {
                return Err(HttpError::ConflictingContentLength);
            }
            length = Some(n);
        }
    }
    Ok(length)
}

/// Como o corpo de uma requisição termina (RFC 9112 §6.1 e §6.3).
fn request_body_kind(headers: &[Header]) -> Result<BodyKind, HttpError> {
    let length = content_length(headers)?;
    let Some(codings) = transfer_codings(headers) else {
        return Ok(match length {
            Some(0) | None => BodyKind::None,
            Some(n) => BodyKind::Length(n),
        });
    };
    if length.is_some() {
        return Err(HttpError::ContentLengthWithTransferEncoding);
    }
    if codings.last().map(String::as_str) != Some("chunked") {
        return Err(HttpError::ChunkedNotFinal);
    }
    if codings.len() > 1 {
        // gzip, deflate… antes do chunked: não sabemos decodificar.
        return Err(HttpError::UnsupportedTransferCoding);
    }
    Ok(BodyKind::Chunked)
}

// ---------------------------------------------------------------------------
// Respostas (usado pelo cliente 3c)
// ---------------------------------------------------------------------------

/// Lê o cabeçalho de uma resposta HTTP do começo de `buf`.
///
/// # Erros
/// [`HttpError::MalformedStatusLine`] se não parecer HTTP; os erros de
/// campo são os mesmos das requisições (o mesmo código lê as duas).
pub fn parse_response_head(buf: &[u8]) -> Result<Parse<ResponseHead>, HttpError> {
    let Some((line, after_line)) = next_line(buf, 0) else {
        // Não dá para esperar para sempre por uma linha de status.
        if buf.len() > MAX_RESPONSE_HEAD || (buf.len() >= 5 && !buf.starts_with(b"HTTP/")) {
            return Err(HttpError::MalformedStatusLine);
        }
        return Ok(Parse::Partial);
    };
    let line = &buf[line];
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    let (version, rest) = line.split_at(line.len().min(8));
    let version = parse_version(version).map_err(|_| HttpError::MalformedStatusLine)?;
    let (code, reason) = match rest {
        [b' ', a, b, c] => ([*a, *b, *c], &b""[..]),
        [b' ', a, b, c, b' ', reason @ ..] => ([*a, *b, *c], reason),
        _ => return Err(HttpError::MalformedStatusLine),
    };
    if !code.iter().all(u8::is_ascii_digit) || !reason.iter().all(|&b| is_field_value_char(b)) {
        return Err(HttpError::MalformedStatusLine);
    }
    let status = code
        .iter()
        .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
    if !(100..=999).contains(&status) {
        return Err(HttpError::MalformedStatusLine);
    }
    let Some((headers, used)) =
        parse_fields(buf, after_line, MAX_RESPONSE_HEAD, MAX_RESPONSE_FIELDS)?
    else {
        return Ok(Parse::Partial);
    };
    Ok(Parse::Complete(
        ResponseHead {
            version,
            status,
            reason: String::from_utf8_lossy(reason).into_owned(),
            headers,
        },
        used,
    ))
}

// ---------------------------------------------------------------------------
// Corpo em chunks (RFC 9112 §7.1)
// ---------------------------------------------------------------------------

/// Decodificador de `Transfer-Encoding: chunked`, um pedaço de cada vez.
///
/// ```text
/// 5;ext=1\r\n      tamanho em hexadecimal, extensões opcionais
/// hello\r\n        5 bytes de dados
/// 0\r\n            o último chunk tem tamanho zero
/// Trailer: x\r\n   campos de "trailer" opcionais
/// \r\n             e uma linha em branco
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkedDecoder {
    state: ChunkState,
    trailer_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    Size,
    Data(u64),
    DataEnd,
    Trailers,
    Done,
}

/// O que [`ChunkedDecoder::decode`] encontrou.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Bytes de dados do corpo: esta faixa do buffer de entrada.
    Data(Range<usize>),
    /// Só bytes de controle (tamanho, CRLF, trailers) foram consumidos.
    Control,
    /// Falta uma linha inteira: leia mais bytes e chame de novo.
    NeedMore,
    /// O último chunk e os trailers acabaram: a mensagem terminou.
    Done,
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        ChunkedDecoder::new()
    }
}

impl ChunkedDecoder {
    pub fn new() -> ChunkedDecoder {
        ChunkedDecoder {
            state: ChunkState::Size,
            trailer_len: 0,
        }
    }

    /// Avança sobre `input`; devolve quantos bytes consumiu e o que achou.
    ///
    /// Os dados do corpo não são copiados: [`Chunk::Data`] aponta para uma
    /// faixa de `input`.
    ///
    /// # Erros
    /// [`HttpError::InvalidChunk`] para qualquer coisa fora da gramática.
    pub fn decode(&mut self, input: &[u8]) -> Result<(usize, Chunk), HttpError> {
        match self.state {
            ChunkState::Done => Ok((0, Chunk::Done)),
            ChunkState::Data(left) => {
                if input.is_empty() {
                    return Ok((0, Chunk::NeedMore));
                }
                let take = input.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                let left = left - take as u64;
                self.state = if left == 0 {
                    ChunkState::DataEnd
                } else {
                    ChunkState::Data(left)
                };
                Ok((take, Chunk::Data(0..take)))
            }
            ChunkState::DataEnd => match input {
                [b'\r', b'\n', ..] => self.control(2, ChunkState::Size),
                [b'\n', ..] => self.control(1, ChunkState::Size),
                [] | [b'\r'] => Ok((0, Chunk::NeedMore)),
                _ => Err(HttpError::InvalidChunk),
            },
            ChunkState::Size => {
                let Some((line, next)) = next_line(input, 0) else {
                    if input.len() > MAX_CHUNK_LINE {
                        return Err(HttpError::InvalidChunk);
                    }
                    return Ok((0, Chunk::NeedMore));
                };
                let size = parse_chunk_size(&input[line])?;
                if size == 0 {
                    self.control(next, ChunkState::Trailers)
                } else {
                    self.control(next, ChunkState::Data(size))
                }
            }
            ChunkState::Trailers => {
                let Some((line, next)) = next_line(input, 0) else {
                    if input.len() > MAX_RESPONSE_HEAD {
                        return Err(HttpError::InvalidChunk);
                    }
                    return Ok((0, Chunk::NeedMore));
                };
                self.trailer_len += next;
                if self.trailer_len > MAX_RESPONSE_HEAD {
                    return Err(HttpError::InvalidChunk);
                }
                if line.is_empty() {
                    self.state = ChunkState::Done;
                    return Ok((next, Chunk::Done));
                }
                // Um trailer é um campo como outro qualquer; validamos e descartamos.
                parse_field_line(&input[line]).map_err(|_| HttpError::InvalidChunk)?;
                Ok((next, Chunk::Control))
            }
        }
    }

    fn control(&mut self, used: usize, next: ChunkState) -> Result<(usize, Chunk), HttpError> {
        self.state = next;
        Ok((used, Chunk::Control))
    }
}

/// `chunk-size [ chunk-ext ]`: hexadecimal, depois `;nome=valor` opcionais.
fn parse_chunk_size(line: &[u8]) -> Result<u64, HttpError> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 16 {
        return Err(HttpError::InvalidChunk);
    }
    let rest = trim_ows(&line[digits..]);
    if !(rest.is_empty() || rest[0] == b';') || !rest.iter().all(|&b| is_field_value_char(b)) {
        return Err(HttpError::InvalidChunk);
    }
    line[..digits]
        .iter()
        .try_fold(0u64, |acc, &d| {
            let v = (d as char).to_digit(16)?;
            acc.checked_mul(16)?.checked_add(u64::from(v))
        })
        .ok_or(HttpError::InvalidChunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(raw: &[u8]) -> Result<Request, HttpError> {
        match parse_request(raw)? {
            Parse::Complete(r, used) => {
                assert_eq!(used, raw.len(), "consumiu o cabeçalho inteiro");
                Ok(r)
            }
            Parse::Partial => panic!("esperava requisição completa: {raw:?}"),
        }
    }

    #[test]
    fn persistence_follows_rfc_9112_section_9_3() {
        let persistent_req = |raw: &[u8]| {
            let r = req(raw).unwrap();
            persistent(r.version, &r.headers)
        };
        assert!(persistent_req(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assert!(!persistent_req(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        ));
        // Listas, maiúsculas, espaços e campos repetidos contam.
        assert!(!persistent_req(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: x\r\nConnection: Upgrade , CLOSE\r\n\r\n"
        ));
        // Um token que só contém "close" não é "close".
        assert!(persistent_req(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n"
        ));
        assert!(!persistent_req(b"GET / HTTP/1.0\r\n\r\n"));
        assert!(persistent_req(
            b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
        ));
        assert!(!persistent_req(
            b"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"
        ));
    }

    #[test]
    fn parses_a_simple_get_with_host() {
        let r = req(b"GET /index.html?x=1 HTTP/1.1\r\nHost: localhost:6789\r\nAccept: */*\r\n\r\n")
            .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/index.html?x=1");
        assert_eq!(r.version, Version(1, 1));
        assert_eq!(r.header("host"), Some(&b"localhost:6789"[..]));
        assert_eq!(r.header("ACCEPT"), Some(&b"*/*"[..]));
        assert_eq!(r.body, BodyKind::None);
    }

    #[test]
    fn partial_until_the_blank_line_arrives() {
        let full = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        for cut in 0..full.len() {
            assert_eq!(
                parse_request(&full[..cut]),
                Ok(Parse::Partial),
                "corte em {cut}"
            );
        }
        assert!(matches!(parse_request(full), Ok(Parse::Complete(_, 27))));
    }

    #[test]
    fn accepts_bare_lf_line_endings() {
        assert_eq!(req(b"GET / HTTP/1.1\nHost: a\n\n").unwrap().target, "/");
    }

    #[test]
    fn ignores_empty_lines_before_the_request_line() {
        assert_eq!(
            req(b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
                .unwrap()
                .method,
            "GET"
        );
    }

    #[test]
    fn accepts_absolute_form_targets() {
        let r = req(b"GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n").unwrap();
        assert_eq!(r.target, "http://example.com/a?b");
    }

    #[test]
    fn http10_request_without_host_is_accepted() {
        assert_eq!(
            req(b"GET / HTTP/1.0\r\n\r\n").unwrap().version,
            Version(1, 0)
        );
    }

    #[test]
    fn rejects_http11_request_without_host() {
        assert_eq!(req(b"GET / HTTP/1.1\r\n\r\n"), Err(HttpError::MissingHost));
    }

    #[test]
    fn rejects_two_host_fields() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
            Err(HttpError::DuplicateHost)
        );
    }

    #[test]
    fn rejects_invalid_host_values() {
        for bad in [&b"a b"[..], b"a/b", b"[::1", b"host:8x", b"a@b"] {
            let mut raw = b"GET / HTTP/1.1\r\nHost: ".to_vec();
            raw.extend_from_slice(bad);
            raw.extend_from_slice(b"\r\n\r\n");
            assert_eq!(req(&raw), Err(HttpError::InvalidHost), "{bad:?}");
        }
        assert!(req(b"GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n").is_ok());
        // Um `http` com host vazio é inválido (RFC 9110 §4.2.1): 400.
        for empty in [&b""[..], b" ", b":80"] {
            let mut raw = b"GET / HTTP/1.1\r\nHost:".to_vec();
            raw.extend_from_slice(empty);
            raw.extend_from_slice(b"\r\n\r\n");
            assert_eq!(req(&raw), Err(HttpError::InvalidHost), "{empty:?}");
        }
    }

    #[test]
    fn rejects_whitespace_between_field_name_and_colon() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
            Err(HttpError::WhitespaceBeforeColon)
        );
    }

    #[test]
    fn rejects_invalid_characters_in_field_name() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n"),
            Err(HttpError::InvalidFieldName)
        );
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nsem-dois-pontos\r\n\r\n"),
            Err(HttpError::InvalidFieldName)
        );
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\n: vazio\r\n\r\n"),
            Err(HttpError::InvalidFieldName)
        );
    }

    #[test]
    fn rejects_control_characters_in_field_values() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n"),
            Err(HttpError::InvalidFieldValue)
        );
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"),
            Err(HttpError::InvalidFieldValue),
            "CR solto"
        );
    }

    #[test]
    fn accepts_obs_text_in_field_values() {
        let r = req(b"GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n").unwrap();
        assert_eq!(r.header("x"), Some("café".as_bytes()));
    }

    #[test]
    fn rejects_obs_fold() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n"),
            Err(HttpError::ObsFold)
        );
    }

    #[test]
    fn rejects_whitespace_before_the_first_field() {
        assert_eq!(
            req(b"GET / HTTP/1.1\r\n Host: a\r\n\r\n"),
            Err(HttpError::WhitespaceAfterStartLine)
        );
    }

    #[test]
    fn rejects_invalid_characters_in_method() {
        assert_eq!(
            req(b"G(T / HTTP/1.1\r\nHost: a\r\n\r\n"),
            Err(HttpError::InvalidMethod)
        );
    }

    #[test]
    fn rejects_malformed_request_lines() {
        for bad in [
            &b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n"[..],
            b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
            b"GET /\r\nHost: a\r\n\r\n",
            b"GET\r\n\r\n",
            b" GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n",
        ] {
            assert_eq!(req(bad), Err(HttpError::MalformedRequestLine), "{bad:?}");
        }
    }

    #[test]
    fn rejects_malformed_versions() {
        for bad in [
            "http/1.1",
            "HTTP/1",
            "HTTP/1.1.1",
            "HTTP/11",
            "HTTP/1.x",
            "HTTP/10.0",
        ] {
            let raw = format!("GET / {bad}\r\nHost: a\r\n\r\n");
            assert_eq!(req(raw.as_bytes()), Err(HttpError::InvalidVersion), "{bad}");
        }
    }

    #[test]
    fn unsupported_major_version_is_505() {
        for v in ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"] {
            let raw = format!("GET / {v}\r\nHost: a\r\n\r\n");
            let err = req(raw.as_bytes()).unwrap_err();
            assert_eq!((err, err.status()), (HttpError::UnsupportedVersion, 505));
        }
        assert_eq!(
            req(b"GET / HTTP/1.9\r\nHost: a\r\n\r\n").unwrap().version,
            Version(1, 9)
        );
    }

    #[test]
    fn rejects_targets_with_spaces_controls_or_bad_percent_encoding() {
        for bad in [
            &b"/a%zz"[..],
            b"/a%4",
            b"/a\x01",
            b"/a\"b",
            b"/a<b>",
            b"/a\\b",
            b"/a#b",
            b"/\xc3\xa9",
        ] {
            let mut raw = b"GET ".to_vec();
            raw.extend_from_slice(bad);
            raw.extend_from_slice(b" HTTP/1.1\r\nHost: a\r\n\r\n");
            assert_eq!(req(&raw), Err(HttpError::InvalidTarget), "{bad:?}");
        }
    }

    #[test]
    fn target_over_8_kib_is_414_even_before_the_line_ends() {
        let long = format!(
            "GET /{} HTTP/1.1\r\nHost: a\r\n\r\n",
            "a".repeat(MAX_TARGET_LEN)
        );
        assert_eq!(req(long.as_bytes()).unwrap_err().status(), 414);
        let unfinished = format!("GET /{}", "a".repeat(MAX_TARGET_LEN + 100));
        assert_eq!(
            parse_request(unfinished.as_bytes()),
            Err(HttpError::TargetTooLong)
        );
    }

    #[test]
    fn header_section_over_16_kib_is_431() {
        let raw = format!(
            "GET / HTTP/1.1\r\nHost: a\r\nX: {}\r\n\r\n",
            "b".repeat(MAX_HEADER_SECTION)
        );
        assert_eq!(req(raw.as_bytes()).unwrap_err().status(), 431);
        let unfinished = format!(
            "GET / HTTP/1.1\r\nX: {}",
            "b".repeat(MAX_HEADER_SECTION + 1)
        );
        assert_eq!(
            parse_request(unfinished.as_bytes()),
            Err(HttpError::HeadersTooLarge)
        );
    }

    #[test]
    fn more_than_100_fields_is_431() {
        let mut raw = String::from("GET / HTTP/1.1\r\nHost: a\r\n");
        for i in 0..MAX_FIELDS {
            raw.push_str(&format!("X-{i}: 1\r\n"));
        }
        raw.push_str("\r\n");
        assert_eq!(req(raw.as_bytes()), Err(HttpError::TooManyFields));
    }

    #[test]
    fn rejects_invalid_content_length() {
        for bad in ["abc", "-1", "1 2", "", "+5", "99999999999999999999999"] {
            let raw = format!("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {bad}\r\n\r\n");
            assert_eq!(
                req(raw.as_bytes()),
                Err(HttpError::InvalidContentLength),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_conflicting_content_length_but_accepts_repeated_equal_values() {
        assert_eq!(
            req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            Err(HttpError::ConflictingContentLength)
        );
        assert_eq!(
            req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n"),
            Err(HttpError::ConflictingContentLength)
        );
        let ok = req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n").unwrap();
        assert_eq!(ok.body, BodyKind::Length(5));
    }

    #[test]
    fn content_length_with_transfer_encoding_is_400() {
        assert_eq!(
            req(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(HttpError::ContentLengthWithTransferEncoding)
        );
    }

    #[test]
    fn transfer_coding_rules() {
        let te = |v: &str| {
            req(format!("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: {v}\r\n\r\n").as_bytes())
                .map(|r| r.body)
        };
        assert_eq!(te("chunked"), Ok(BodyKind::Chunked));
        assert_eq!(te("Chunked"), Ok(BodyKind::Chunked));
        assert_eq!(te("gzip"), Err(HttpError::ChunkedNotFinal));
        assert_eq!(te("chunked, gzip"), Err(HttpError::ChunkedNotFinal));
        assert_eq!(te("gzip, chunked").unwrap_err().status(), 501);
        assert_eq!(te("").unwrap_err(), HttpError::ChunkedNotFinal);
    }

    #[test]
    fn parses_response_status_line_and_fields() {
        let raw = b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc";
        let Ok(Parse::Complete(head, used)) = parse_response_head(raw) else {
            panic!()
        };
        assert_eq!(
            (head.status, head.reason.as_str(), used),
            (404, "Not Found", raw.len() - 3)
        );
        assert_eq!(head.body_kind(false), Ok(BodyKind::Length(3)));
        assert_eq!(head.body_kind(true), Ok(BodyKind::None));
        let Ok(Parse::Complete(no_reason, _)) = parse_response_head(b"HTTP/1.0 200\r\n\r\n") else {
            panic!()
        };
        assert_eq!(no_reason.body_kind(false), Ok(BodyKind::UntilClose));
    }

    #[test]
    fn response_framing_follows_rfc_9112_section_6_3() {
        let kind = |raw: &str| match parse_response_head(raw.as_bytes()) {
            Ok(Parse::Complete(h, _)) => h.body_kind(false),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            kind("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n"),
            Ok(BodyKind::None)
        );
        assert_eq!(
            kind("HTTP/1.1 304 Not Modified\r\n\r\n"),
            Ok(BodyKind::None)
        );
        assert_eq!(kind("HTTP/1.1 100 Continue\r\n\r\n"), Ok(BodyKind::None));
        assert_eq!(
            kind("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n"),
            Ok(BodyKind::Chunked),
            "Transfer-Encoding vence Content-Length"
        );
        assert_eq!(
            kind("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"),
            Ok(BodyKind::UntilClose)
        );
        assert_eq!(
            kind("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            Err(HttpError::ConflictingContentLength)
        );
    }

    #[test]
    fn rejects_responses_that_are_not_http() {
        for bad in [
            &b"SSH-2.0-OpenSSH\r\n"[..],
            b"HTTP/1.1 20 OK\r\n\r\n",
            b"HTTP/1.1 abc OK\r\n\r\n",
            b"<html>",
        ] {
            assert_eq!(
                parse_response_head(bad),
                Err(HttpError::MalformedStatusLine),
                "{bad:?}"
            );
        }
        assert_eq!(parse_response_head(b"HTT"), Ok(Parse::Partial));
    }

    /// Decodifica `input` inteiro alimentando `step` bytes por vez.
    fn dechunk(input: &[u8], step: usize) -> Result<(Vec<u8>, bool), HttpError> {
        let mut decoder = ChunkedDecoder::new();
        let mut body = Vec::new();
        let mut buffered: Vec<u8> = Vec::new();
        let mut fed = 0;
        loop {
            let (used, chunk) = decoder.decode(&buffered)?;
            if let Chunk::Data(r) = &chunk {
                body.extend_from_slice(&buffered[r.clone()]);
            }
            buffered.drain(..used);
            match chunk {
                Chunk::Done => return Ok((body, true)),
                Chunk::NeedMore if fed >= input.len() => return Ok((body, false)),
                Chunk::NeedMore => {
                    let end = (fed + step).min(input.len());
                    buffered.extend_from_slice(&input[fed..end]);
                    fed = end;
                }
                _ => {}
            }
        }
    }

    #[test]
    fn decodes_chunks_with_extensions_and_trailers_in_any_split() {
        let wire = b"5;nome=valor\r\nhello\r\n7\r\n, mundo\r\n0\r\nX-Fim: sim\r\n\r\n";
        for step in [1, 2, 3, 7, 1000] {
            assert_eq!(
                dechunk(wire, step),
                Ok((b"hello, mundo".to_vec(), true)),
                "passo {step}"
            );
        }
    }

    #[test]
    fn chunked_body_without_last_chunk_is_not_done() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n", 4),
            Ok((b"hello".to_vec(), false))
        );
    }

    #[test]
    fn rejects_malformed_chunks() {
        for bad in [
            &b"xyz\r\n"[..],
            b"5\r\nhelloXX",
            b"\r\n",
            b"5 junk\r\nhello\r\n",
            b"11111111111111111\r\n",
        ] {
            assert_eq!(
                dechunk(bad, 100).unwrap_err(),
                HttpError::InvalidChunk,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn every_error_maps_to_a_4xx_or_5xx_status_and_a_portuguese_sentence() {
        for err in HttpError::ALL {
            let status = err.status();
            assert!((400..600).contains(&status), "{err:?} → {status}");
            assert!(!err.describe().is_empty(), "{err:?}");
        }
        // Os dois que o parser produz de fato, de ponta a ponta.
        assert_eq!(req(b"G(T / HTTP/1.1\r\n\r\n").unwrap_err().status(), 400);
        assert_eq!(req(b"GET / HTTP/2.0\r\n\r\n").unwrap_err().status(), 505);
    }

    /// `ALL` está na ordem da declaração, sem buracos nem repetições
    /// (`as usize` é a posição de cada variante na declaração). O `match`
    /// abaixo não tem `_`: uma variante nova não compila até entrar nele,
    /// e o comentário dele lembra de pô-la também em `ALL`.
    #[test]
    fn all_lists_every_variant_once_in_declaration_order() {
        for (i, err) in HttpError::ALL.into_iter().enumerate() {
            assert_eq!(err as usize, i, "{err:?} fora de ordem em ALL");
        }
        use HttpError::*;
        for err in HttpError::ALL {
            // Variante nova? Ponha-a aqui **e** no fim de `HttpError::ALL`.
            match err {
                MalformedRequestLine
                | InvalidMethod
                | InvalidTarget
                | InvalidVersion
                | UnsupportedVersion
                | TargetTooLong
                | WhitespaceAfterStartLine
                | InvalidFieldName
                | WhitespaceBeforeColon
                | ObsFold
                | InvalidFieldValue
                | HeadersTooLarge
                | TooManyFields
                | MissingHost
                | DuplicateHost
                | InvalidHost
                | InvalidContentLength
                | ConflictingContentLength
                | ContentLengthWithTransferEncoding
                | ChunkedNotFinal
                | UnsupportedTransferCoding
                | MalformedStatusLine
                | InvalidChunk => {}
            }
        }
    }
}
