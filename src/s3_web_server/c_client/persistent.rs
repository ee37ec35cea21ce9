//! Extra da seção 3c (Kurose §2.2.2): vários arquivos numa conexão
//! persistente, e o pipelining. `cargo get index.html estilo.css`, ou com
//! `--pipeline`; explicado em `lessons/03-web-server.md`, "Extra: conexões
//! persistentes".
//!
//! Montado sobre o cliente do enunciado ([`super::get`]): usa as mesmas
//! funções (`connect`, `request_bytes`, `read_response`), repetidas na
//! mesma conexão enquanto o servidor deixar.

use std::io::Write;

use super::{ClientConfig, ClientError, Fetched, Reader, connect, read_response, request_bytes};
use crate::s3_web_server::http::{self, BodyKind};

/// O que aconteceu com uma lista de caminhos requisitados em sequência.
#[derive(Debug)]
pub struct Session {
    /// As respostas completas, na ordem dos caminhos.
    pub fetched: Vec<Fetched>,
    /// O erro que interrompeu a lista, se houve um (os caminhos seguintes
    /// não foram requisitados ou não foram respondidos).
    pub error: Option<ClientError>,
}

/// Pede `paths` em ordem, **na mesma conexão** enquanto o servidor deixar,
/// e escreve cada resposta (cabeçalho e corpo) em `out`. Com `pipeline`,
/// manda todas as requisições antes de ler a primeira resposta.
///
/// As requisições dizem `Connection: keep-alive`, menos a última, que diz
/// `close`: assim o servidor fecha logo depois, sem esperar a ociosidade.
/// Se o servidor fechar a conexão, o cliente abre outra para os caminhos
/// que faltam e avisa em `notices`.
pub fn fetch_all(
    config: &ClientConfig,
    paths: &[String],
    pipeline: bool,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Session {
    let mut session = Session {
        fetched: Vec::new(),
        error: None,
    };
    while session.fetched.len() < paths.len() && session.error.is_none() {
        match one_connection(config, paths, pipeline, out, &mut session.fetched) {
            Ok(Some(why)) => {
                let left = paths.len() - session.fetched.len();
                let _ = writeln!(
                    notices,
                    "http-client: {why}; nova conexão para {left} caminho(s) restante(s)"
                );
            }
            Ok(None) => {}
            Err(err) => session.error = Some(err),
        }
    }
    session
}

/// Uma conexão: manda requisições e lê respostas até acabarem os caminhos
/// (`Ok(None)`) ou o servidor fechar a conexão (`Ok(Some(motivo))`).
fn one_connection(
    config: &ClientConfig,
    paths: &[String],
    pipeline: bool,
    out: &mut dyn Write,
    fetched: &mut Vec<Fetched>,
) -> Result<Option<&'static str>, ClientError> {
    let mut reader = Reader::new(connect(config)?, config.read_timeout)?;
    let first = fetched.len();
    // Quantas requisições já foram escritas nesta conexão.
    let mut sent = first;
    while fetched.len() < paths.len() {
        let reused = fetched.len() > first;
        if sent == fetched.len() {
            // Sem pipelining, uma requisição por vez; com ele, todas de uma vez.
            let upto = if pipeline { paths.len() } else { sent + 1 };
            let mut requests = String::new();
            for (i, path) in paths.iter().enumerate().take(upto).skip(sent) {
                let last = i + 1 == paths.len();
                requests.push_str(&request_bytes(&config.host, config.port, path, last));
            }
            match reader.stream.write_all(requests.as_bytes()) {
                Ok(()) => sent = upto,
                // O servidor pode fechar uma conexão ociosa a qualquer momento.
                Err(_) if reused => return Ok(Some("o servidor fechou a conexão")),
                Err(e) => return Err(ClientError::Network(e)),
            }
        }
        if reused && reader.data().is_empty() {
            match reader.fill() {
                Ok(0) | Err(ClientError::Network(_)) => {
                    return Ok(Some("o servidor fechou a conexão sem responder"));
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        let head = read_response(&mut reader, out, None)?;
        fetched.push(Fetched::from_head(&head));
        // RFC 9112 §9.3: a resposta diz se o servidor vai manter a conexão.
        let until_close = head.body_kind(false) == Ok(BodyKind::UntilClose);
        let kept = !until_close && http::persistent(head.version, &head.headers);
        if !kept && fetched.len() < paths.len() {
            return Ok(Some("o servidor fechou a conexão (Connection: close)"));
        }
    }
    Ok(None)
}
