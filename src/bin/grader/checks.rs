//! A lista de conferências: cada uma tem um id estável (`ping.dez`,
//! `web.404`), um tipo (exigida pelo enunciado ou boa prática) e, se é
//! exigida, a frase do enunciado (`enunciado.md`) que ela cobra. É esta lista
//! que `grader MODO --listar` mostra e que `--exigir`/`--tolerar` consultam.
//!
//! Invariante: nenhuma conferência é exigida sem uma frase do enunciado; o
//! que o texto não pede é boa prática (só reprova com `--strict` ou `--exigir`).

use crate::grade::Mode;
use crate::report::Kind;

/// Uma conferência possível.
#[derive(Debug, PartialEq, Eq)]
pub struct Spec {
    /// Curto e estável: é o que o professor digita em `--exigir`/`--tolerar`.
    pub id: &'static str,
    pub kind: Kind,
    /// O que é conferido, em poucas palavras.
    pub name: &'static str,
    /// Seção do enunciado e as palavras dele (exigidas), ou por que é boa
    /// prática.
    pub source: &'static str,
    /// Os modos em que ela roda.
    pub modes: &'static [Mode],
}

const PS: &[Mode] = &[Mode::PingServer];
const PC: &[Mode] = &[Mode::PingClient];
const WEB: &[Mode] = &[Mode::Single, Mode::Threaded];
const A: &[Mode] = &[Mode::Single];
const B: &[Mode] = &[Mode::Threaded];
const C: &[Mode] = &[Mode::Client];

use Kind::{Practice as P, Required as R};

/// Todas as conferências, na ordem do relatório.
pub const ALL: &[Spec] = &[
    // Seção 2, servidor.
    Spec {
        id: "ping.eco",
        kind: R,
        name: "eco em maiúsculas",
        source: "2, Código do Servidor: «message = message.upper()» … «server_socket.sendto(message, address)»",
        modes: PS,
    },
    Spec {
        id: "ping.perda",
        kind: R,
        name: "simula perda",
        source: "2, Perda de Pacotes: «o servidor em questão injeta perda artificial»",
        modes: PS,
    },
    Spec {
        id: "ping.dois-clientes",
        kind: R,
        name: "responde a cada cliente no endereço dele",
        source: "2, Código do Servidor: «message, address = server_socket.recvfrom(1024)» … «sendto(message, address)»",
        modes: PS,
    },
    Spec {
        id: "ping.atraso",
        kind: P,
        name: "responde sem demora",
        source: "o ping mede o RTT da rede; uma espera no servidor (time.sleep) entra no RTT",
        modes: PS,
    },
    Spec {
        id: "ping.perda-30",
        kind: P,
        name: "perda de 30%, como o texto diz",
        source: "o texto diz 30%, mas o código dele (randint(0, 10) < 4) perde 4/11 ≈ 36%",
        modes: PS,
    },
    Spec {
        id: "ping.estranhos",
        kind: P,
        name: "continua atendendo depois de datagramas estranhos",
        source: "um servidor não pode cair por causa de um pacote",
        modes: PS,
    },
    // Seção 2, cliente.
    Spec {
        id: "ping.dez",
        kind: R,
        name: "envia 10 pings",
        source: "2, Código do Cliente: «O cliente deve enviar 10 pings para o servidor»",
        modes: PC,
    },
    Spec {
        id: "ping.termina",
        kind: R,
        name: "termina sozinho depois do último ping",
        source: "2, Código do Cliente: «O cliente deve enviar 10 pings» (e o programa acaba: «for pings in range(1, 11)»)",
        modes: PC,
    },
    Spec {
        id: "ping.espera",
        kind: R,
        name: "espera até 1 s antes de declarar a perda",
        source: "2, Código do Cliente: «fazemos com que o cliente espere até um segundo por uma resposta»",
        modes: PC,
    },
    Spec {
        id: "ping.rtt",
        kind: R,
        name: "mostra o RTT de cada ping respondido",
        source: "2, Código do Cliente: «RTT = ida - start» … «print(… \" RTT: \" + str(RTT))»",
        modes: PC,
    },
    Spec {
        id: "ping.perdido",
        kind: R,
        name: "relata cada ping perdido",
        source: "2, Código do Cliente: «o programa cliente deve assumir que o pacote foi perdido»",
        modes: PC,
    },
    Spec {
        id: "ping.atrasada",
        kind: P,
        name: "resposta atrasada não vale para o ping seguinte",
        source: "o enunciado não pede conferir o número do ping; um ping de verdade confere",
        modes: PC,
    },
    // Seção 3a e 3b.
    Spec {
        id: "web.status",
        kind: R,
        name: "linha de status de um arquivo que existe",
        source: "3a: «deve criar mensagens de resposta HTTP» (a primeira linha é a linha de status)",
        modes: A,
    },
    Spec {
        id: "web.linha-em-branco",
        kind: R,
        name: "linha em branco depois do cabeçalho",
        source: "3a: «constituída do arquivo solicitado precedido pelas linhas de cabeçalho»",
        modes: A,
    },
    Spec {
        id: "web.arquivo",
        kind: R,
        name: "conteúdo do arquivo",
        source: "3a: «obter páginas solicitadas pelo cliente» … «constituída do arquivo solicitado»",
        modes: A,
    },
    Spec {
        id: "web.404",
        kind: R,
        name: "arquivo que não existe dá 404",
        source: "3a: «o servidor deverá enviar uma mensagem HTTP “404 Not Found”»",
        modes: A,
    },
    Spec {
        id: "web.continua",
        kind: R,
        name: "continua atendendo depois de uma requisição",
        source: "3a: «Seu servidor Web deve aceitar solicitações HTTP» (uma por vez, uma depois da outra)",
        modes: WEB,
    },
    Spec {
        id: "web.sockets",
        kind: R,
        name: "o servidor é escrito com sockets (não é o http.server)",
        source: "3: «como criar um soquete, vinculá-lo a um endereço e porta» … 3a: «deve criar mensagens de resposta HTTP»",
        modes: WEB,
    },
    Spec {
        id: "web.http",
        kind: R,
        name: "responde com uma mensagem HTTP",
        source: "3: «enviar e receber um pacote HTTP» … 3b: «atender a várias solicitações simultaneamente»",
        modes: B,
    },
    // Em 3b o enunciado pede a concorrência; o formato da resposta é o de 3a
    // (issue 17, item 7). Os mesmos ids, como boa prática.
    Spec {
        id: "web.status",
        kind: P,
        name: "linha de status de um arquivo que existe",
        source: "exigida em 3a; em 3b o enunciado pede atender vários clientes ao mesmo tempo",
        modes: B,
    },
    Spec {
        id: "web.linha-em-branco",
        kind: P,
        name: "linha em branco depois do cabeçalho",
        source: "exigida em 3a; em 3b o enunciado pede atender vários clientes ao mesmo tempo",
        modes: B,
    },
    Spec {
        id: "web.arquivo",
        kind: P,
        name: "conteúdo do arquivo",
        source: "exigida em 3a; em 3b o enunciado pede atender vários clientes ao mesmo tempo",
        modes: B,
    },
    Spec {
        id: "web.404",
        kind: P,
        name: "arquivo que não existe dá 404",
        source: "exigida em 3a; em 3b o enunciado pede atender vários clientes ao mesmo tempo",
        modes: B,
    },
    Spec {
        id: "web.concorrente",
        kind: R,
        name: "atende outro cliente enquanto um está parado",
        source: "3b: «servidor multithread capaz de atender a várias solicitações simultaneamente»",
        modes: B,
    },
    Spec {
        id: "web.muitos",
        kind: R,
        name: "muitos clientes ao mesmo tempo",
        source: "3b: «uma conexão TCP separada em um thread separado para cada par de solicitação/resposta»",
        modes: B,
    },
    Spec {
        id: "web.cabecalhos",
        kind: P,
        name: "linhas de cabeçalho Content-Type e Content-Length",
        source: "o esqueleto do livro manda só a linha de status; sem elas o navegador adivinha o tipo e o fim",
        modes: WEB,
    },
    Spec {
        id: "web.content-length",
        kind: P,
        name: "Content-Length igual ao corpo",
        source: "RFC 9112: o cliente lê exatamente Content-Length bytes",
        modes: WEB,
    },
    Spec {
        id: "web.crlf",
        kind: P,
        name: "cabeçalho com «\\r\\n»",
        source: "RFC 9112: cada linha do cabeçalho termina com CRLF",
        modes: WEB,
    },
    Spec {
        id: "web.bytes-exatos",
        kind: P,
        name: "corpo byte a byte igual ao arquivo",
        source: "um arquivo binário (imagem) só chega inteiro se nada for mudado",
        modes: WEB,
    },
    Spec {
        id: "web.fecha",
        kind: P,
        name: "fecha a conexão no fim",
        source: "sem Content-Length, o cliente só sabe que acabou quando a conexão fecha",
        modes: WEB,
    },
    Spec {
        id: "web.pedacos",
        kind: P,
        name: "requisição que chega em pedaços",
        source: "o TCP entrega bytes, não mensagens: um recv(1024) só pode pegar metade",
        modes: WEB,
    },
    Spec {
        id: "web.fora-da-pasta",
        kind: P,
        name: "não entrega arquivos de fora da pasta",
        source: "segurança: «..» não pode sair da pasta servida",
        modes: WEB,
    },
    // Seção 3c.
    Spec {
        id: "http.endereco",
        kind: R,
        name: "conecta no host da linha de comando",
        source: "3c: «O cliente deve usar argumentos de linha de comando, especificando o endereço IP ou o nome do host do servidor»",
        modes: C,
    },
    Spec {
        id: "http.get",
        kind: R,
        name: "pede o arquivo com GET",
        source: "3c: «a solicitação HTTP enviada é um método GET» … «o caminho no qual o objeto solicitado é armazenado»",
        modes: C,
    },
    Spec {
        id: "http.requisicao",
        kind: R,
        name: "requisição termina com a linha em branco",
        source: "3c: «enviará uma solicitação HTTP ao servidor»",
        modes: C,
    },
    Spec {
        id: "http.host",
        kind: P,
        name: "requisição HTTP/1.1 válida (com Host)",
        source: "RFC 9112: uma requisição HTTP/1.1 sem Host recebe 400 de servidores de verdade",
        modes: C,
    },
    Spec {
        id: "http.status",
        kind: R,
        name: "mostra a linha de status",
        source: "3c: «exibirá a resposta do servidor como uma saída»",
        modes: C,
    },
    Spec {
        id: "http.cabecalhos",
        kind: R,
        name: "mostra as linhas de cabeçalho",
        source: "3c: «exibirá a resposta do servidor como uma saída»",
        modes: C,
    },
    Spec {
        id: "http.corpo",
        kind: R,
        name: "mostra o conteúdo do arquivo",
        source: "3c: «exibirá a resposta do servidor como uma saída»",
        modes: C,
    },
    Spec {
        id: "http.404",
        kind: R,
        name: "mostra o 404 de um arquivo que não existe",
        source: "3c: «exibirá a resposta do servidor como uma saída»",
        modes: C,
    },
    Spec {
        id: "http.termina",
        kind: R,
        name: "termina sozinho quando a resposta acaba",
        source: "3c: «se conectará ao servidor … enviará uma solicitação … e exibirá a resposta» (e acaba)",
        modes: C,
    },
    Spec {
        id: "http.legivel",
        kind: P,
        name: "mostra a resposta como texto",
        source: "print(resposta) mostra os bytes do Python (b'...\\r\\n...'); resposta.decode() mostra o texto",
        modes: C,
    },
    Spec {
        id: "http.sem-erro",
        kind: P,
        name: "termina sem erro",
        source: "um programa que termina com exceção (código ≠ 0) esconde o que deu errado",
        modes: C,
    },
];

/// A conferência de id `id`.
///
/// # Panics
/// Nunca com os ids deste arquivo (um teste confere que todo id usado existe).
pub fn spec(id: &str) -> &'static Spec {
    ALL.iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| unreachable!("conferência sem cadastro: {id}"))
}

/// A conferência de id `id` como ela vale no modo `mode` (em 3b, as do
/// formato da resposta de 3a são boa prática).
pub fn spec_in(id: &str, mode: Mode) -> &'static Spec {
    ALL.iter()
        .find(|s| s.id == id && s.modes.contains(&mode))
        .unwrap_or_else(|| spec(id))
}

/// Existe uma conferência com este id (em qualquer modo)?
pub fn known(id: &str) -> bool {
    ALL.iter().any(|s| s.id == id)
}

/// As conferências de um modo, na ordem da lista.
pub fn of_mode(mode: Mode) -> impl Iterator<Item = &'static Spec> {
    ALL.iter().filter(move |s| s.modes.contains(&mode))
}

/// O texto de `grader MODO --listar`: id, tipo e a frase do enunciado.
pub fn listing(mode: Mode) -> String {
    let mut out = format!("Conferências do modo {}:\n", mode.name());
    let width = of_mode(mode).map(|s| s.id.len()).max().unwrap_or(0);
    for s in of_mode(mode) {
        let kind = match s.kind {
            Kind::Required => "exigida    ",
            Kind::Practice => "boa prática",
        };
        out.push_str(&format!(
            "  {:width$}  {kind}  {}\n  {:width$}               {}\n",
            s.id, s.name, "", s.source
        ));
    }
    out.push_str(
        "\nexigida: o enunciado pede (a frase citada); boa prática: só reprova com --strict ou --exigir ID.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_short_and_every_mode_has_checks() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(a.id.len() <= 20 && !a.id.contains(' '), "{}", a.id);
            // Um id pode ter um tipo por modo, mas só um em cada modo.
            assert!(
                ALL[i + 1..]
                    .iter()
                    .all(|b| b.id != a.id || b.modes.iter().all(|m| !a.modes.contains(m))),
                "{}",
                a.id
            );
            if a.kind == Kind::Required {
                assert!(a.source.contains('«'), "exigida sem frase: {}", a.id);
            }
        }
        for mode in [
            Mode::PingServer,
            Mode::PingClient,
            Mode::Single,
            Mode::Threaded,
            Mode::Client,
        ] {
            assert!(of_mode(mode).count() >= 5, "{mode:?}");
        }
        assert!(listing(Mode::Single).contains("web.404"));
        assert!(!listing(Mode::Single).contains("web.concorrente"));
    }
}
