//! Boa prática: nada fora da pasta servida, e a requisição que chega em pedaços.

use std::net::SocketAddr;
use std::time::Duration;

use super::PIECE_PAUSE;
use super::exchange::{Exchange, ask, get, parse, quote_status, same_content};
use crate::child::{SECRET, Server, TEXT, Workspace};
use crate::report::Check;

pub(super) fn no_leak(
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

pub(super) fn pieces(server: &mut Server, addr: SocketAddr, host: &str, limit: Duration) -> Check {
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
