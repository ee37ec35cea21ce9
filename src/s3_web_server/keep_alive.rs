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

use super::a_single::{answer, read_request};
use super::connection::{After, Connection};
use super::http::{self, BodyKind, Request};

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
    let mut number = 1;
    loop {
        // Entre uma requisição e outra, o prazo é o de ociosidade.
        let idle = (number > 1).then_some(limits.idle_timeout);
        let before_read = Instant::now();
        let received = read_request(&mut conn, idle);
        // A espera ociosa entre requisições não entra na duração do log.
        let started = if number == 1 {
            before_read
        } else {
            Instant::now()
        };
        let keep_open = received
            .request()
            .is_some_and(|request| keep_open(limits, request, number));
        match answer(&mut conn, received, started, keep_open) {
            After::Next => number += 1,
            after => return conn.close(after),
        }
    }
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
