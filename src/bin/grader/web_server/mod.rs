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

use std::time::{Duration, Instant};

use super::child::Server;
use super::report::Report;
use super::{NotRun, Options, Transport};
use pratica_sockets::cli;

mod exchange;
mod robust;
mod single;
mod threaded;

use exchange::{Exchange, ask, exchange, get, patience, wait_listening};
use robust::{no_leak, pieces};
use single::{existing_file, http_message, keeps_serving, missing_file, written_with_sockets};
use threaded::{crowd, second_client};

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
/// Roda as conferências de 3a (ou 3b, com `threaded`).
///
/// # Erros
/// A porta está ocupada, o programa não inicia, ou nunca aceita conexões.
pub fn check(options: &Options, threaded: bool, report: &mut Report) -> Result<(), NotRun> {
    let crate::grade::Started {
        port,
        addrs,
        workspace,
        mut server,
    } = crate::grade::start_server(options, cli::WEB_PORT, Transport::Tcp)?;
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
