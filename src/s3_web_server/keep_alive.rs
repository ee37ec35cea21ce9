//! Extra (Kurose §2.2.2): conexões persistentes, com `web-server
//! --keep-alive`. Depois de responder, o mesmo tratador lê a próxima
//! requisição da mesma conexão, até um dos lados dizer `close`, a conexão
//! ficar ociosa por [`KeepAlive::idle_timeout`] ou fazer
//! [`KeepAlive::max_requests`] requisições. Requisições em sequência sem
//! esperar resposta (pipelining) são respondidas na ordem em que chegaram.
//!
//! Chamado de um lugar só: [`super::a_single::handle_connection`]. Sem
//! `--keep-alive`, nada deste arquivo roda, e toda resposta diz
//! `Connection: close`, como pede o enunciado. Roda com `cargo serve
//! --keep-alive`; explicado em `lessons/03-web-server.md`.

use std::time::{Duration, Instant};

use super::a_single::{Received, closing, read_request, response_to, send};
use super::connection::{After, Connection};
use super::http::{self, BodyKind, Parse, Request};

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

/// Atende as requisições de uma conexão persistente, uma depois da outra.
pub(super) fn serve(mut conn: Connection, limits: KeepAlive) {
    // Sem isto, o algoritmo de Nagle seguraria uma resposta pequena até o
    // ACK da anterior, que o cliente atrasa (o nginx faz o mesmo:
    // `tcp_nodelay on` nas conexões keep-alive).
    let _ = conn.stream.set_nodelay(true);
    let mut started = Instant::now();
    let mut received = read_request(&mut conn);
    for number in 1.. {
        let keep_open = matches!(&received,
            Received::Request(request, _) if keep_open(limits, request, number));
        let Some(response) = response_to(conn.site, &received) else {
            return conn.close(After::Close);
        };
        let response = if keep_open {
            response.keep_alive()
        } else {
            response
        };
        match (send(&mut conn, response, started), &received) {
            (Ok(()), Received::Request(_, used)) if keep_open => {
                conn.buf.drain(..*used);
            }
            (Ok(()), received) => {
                let after = closing(&conn, received);
                return conn.close(after);
            }
            (Err(_), _) => return conn.close(After::Close),
        }
        // A espera ociosa entre requisições não entra na duração do log; a
        // leitura do cabeçalho entra, como na primeira requisição.
        let Some(next) = next_request(&mut conn, limits.idle_timeout) else {
            return conn.close(After::Close);
        };
        (started, received) = next;
    }
}

/// A próxima requisição da conexão, e quando começou a chegar; `None` se
/// nada chegou em `idle` (fecha-se sem 408: ninguém pediu nada).
fn next_request(conn: &mut Connection, idle: Duration) -> Option<(Instant, Received)> {
    if conn.buf.is_empty() {
        conn.expect_idle(idle);
        match conn.read_more() {
            Ok(n) if n > 0 => {}
            _ => return None,
        }
    } else {
        conn.expect_head();
    }
    let started = Instant::now();
    // Pipelining: a requisição pode já estar inteira no buffer.
    let received = match http::parse_request(&conn.buf) {
        Ok(Parse::Complete(request, used)) => Received::Request(request, used),
        Ok(Parse::Partial) => read_request(conn),
        Err(err) => Received::Invalid(err),
    };
    Some((started, received))
}

/// A conexão continua depois desta requisição? Se os dois lados querem (RFC
/// 9112 §9.3, em [`http::persistent`]), se a requisição não tem corpo (não
/// lemos corpos: o que sobrasse no fluxo seria lido como a próxima
/// requisição) e se não é a última que a conexão pode fazer.
fn keep_open(limits: KeepAlive, request: &Request, number: usize) -> bool {
    number < limits.max_requests
        && request.body == BodyKind::None
        && http::persistent(request.version, &request.headers)
}
