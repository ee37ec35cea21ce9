//! As conferências de 3a: a resposta ao arquivo que existe, o 404, o servidor que continua.

use super::exchange::{Blank, Exchange, leading_blank, parse, quote_status, same_content, secs};
use crate::child::PAGE;
use crate::report::{Check, plural};
use pratica_sockets::net::printable;

/// O servidor do enunciado atende uma requisição depois da outra (o
/// `accept` num laço); um que termina depois da primeira não é um servidor.
pub(super) fn keeps_serving(stopped: &[String], third: &Result<Exchange, String>) -> Check {
    const ID: &str = "web.continua";
    if !stopped.is_empty() {
        return Check::fail(
            ID,
            format!(
                "{}; um servidor web atende uma requisição depois da outra: ponha o accept e o atendimento dentro de um «while True:», e feche só o socket da conexão",
                stopped.join("; ")
            ),
        );
    }
    match third {
        Ok(ex) if !ex.raw.is_empty() => Check::pass(
            ID,
            "atendeu a segunda requisição (a do 404) e a terceira (index.html, depois do 404)",
        ),
        Ok(ex) => Check::fail(
            ID,
            format!(
                "a terceira requisição (index.html, depois do 404): {}",
                quote_status(ex)
            ),
        ),
        Err(why) => Check::skipped(ID, why.clone()),
    }
}

/// As conferências da resposta a `GET /index.html`.
pub(super) fn existing_file(ex: &Exchange) -> Vec<Check> {
    let mut out = Vec::new();
    let parsed = parse(&ex.raw);
    let ok_status = parsed.status == Some(200) && parsed.status_line.starts_with("HTTP/1.");
    out.push(if ok_status && leading_blank(&ex.raw) > 0 {
        // Um cliente HTTP lê a primeira linha como a linha de status: uma
        // linha vazia ali não é uma mensagem de resposta HTTP.
        Check::fail(
            "web.status",
            format!(
                "pedi /index.html, que existe, e {}; um cliente lê a primeira linha como a linha de status, e ela está vazia: tire o «\\n» do começo da resposta",
                quote_status(ex)
            ),
        )
    } else if ok_status {
        Check::pass("web.status", quote_status(ex))
    } else {
        Check::fail(
            "web.status",
            format!(
                "pedi /index.html, que existe, e {}; a primeira linha deve ser «HTTP/1.1 200 OK»",
                quote_status(ex)
            ),
        )
    });
    if ex.raw.is_empty() {
        for id in ["web.linha-em-branco", "web.arquivo"] {
            out.push(Check::skipped(id, "não houve resposta"));
        }
        return out;
    }

    // Uma "linha de cabeçalho" sem a forma «Nome: valor» é o arquivo que
    // começou sem a linha em branco (ela veio depois, ou nunca).
    let body_in_head = parsed
        .header_lines
        .iter()
        .position(|l| !l.contains(':') || l.trim_start().starts_with('<'));
    let last_header = |upto: usize| {
        parsed.header_lines[..upto]
            .last()
            .cloned()
            .unwrap_or_else(|| parsed.status_line.clone())
    };
    out.push(match (parsed.blank, body_in_head) {
        (Blank::Missing, _) => Check::fail(
            "web.linha-em-branco",
            format!(
                "não há linha em branco depois de «{}», então o cliente não sabe onde começa o arquivo; mande «\\r\\n» sozinho depois da última linha de cabeçalho",
                printable(last_header(body_in_head.unwrap_or(parsed.header_lines.len())).as_bytes())
            ),
        ),
        (_, Some(at)) => Check::fail(
            "web.linha-em-branco",
            format!(
                "falta a linha em branco logo depois de «{}»: o arquivo («{}») vem antes dela; a linha em branco que apareceu depois não separa nada. Mande «\\r\\n» sozinho depois da última linha de cabeçalho, antes do arquivo",
                printable(last_header(at).as_bytes()),
                printable(&parsed.header_lines[at].as_bytes()[..parsed.header_lines[at].len().min(40)])
            ),
        ),
        (Blank::Crlf, None) => Check::pass("web.linha-em-branco", "o cabeçalho termina com «\\r\\n\\r\\n»"),
        (Blank::Lf, None) => Check::pass("web.linha-em-branco", "o cabeçalho termina com «\\n\\n»"),
    });
    let head_ok = parsed.blank != Blank::Missing && body_in_head.is_none();
    if !head_ok {
        out.push(Check::skipped(
            "web.arquivo",
            "sem a linha em branco no lugar certo não dá para separar cabeçalho e corpo",
        ));
        return out;
    }
    out.push(if parsed.blank == Blank::Crlf {
        Check::pass("web.crlf", "as linhas do cabeçalho terminam com «\\r\\n»")
    } else {
        Check::fail(
            "web.crlf",
            "o cabeçalho termina com «\\n\\n»; o HTTP pede «\\r\\n» no fim de cada linha (navegadores toleram, mas nem todo cliente)",
        )
    });

    let names: Vec<&str> = parsed
        .header_lines
        .iter()
        .filter_map(|l| l.split(':').next())
        .collect();
    let lacking: Vec<&str> = ["Content-Type", "Content-Length"]
        .into_iter()
        .filter(|h| parsed.header(h).is_none())
        .collect();
    out.push(if lacking.is_empty() {
        Check::pass(
            "web.cabecalhos",
            format!("{}: {}", plural(names.len(), "linha", "linhas"), names.join(", ")),
        )
    } else {
        let has = if names.is_empty() {
            "a linha de status vem direto seguida da linha em branco (como no esqueleto do livro)".to_string()
        } else {
            format!("há {} ({})", plural(names.len(), "linha", "linhas"), names.join(", "))
        };
        let verb = if lacking.len() == 1 { "falta" } else { "faltam" };
        Check::fail(
            "web.cabecalhos",
            format!(
                "{has}; {verb} {}: sem eles o navegador adivinha o tipo e só sabe que o arquivo acabou quando a conexão fecha",
                lacking.join(" e ")
            ),
        )
    });

    out.push(if same_content(parsed.body, PAGE) {
        Check::pass(
            "web.arquivo",
            "o conteúdo de index.html veio depois da linha em branco",
        )
    } else {
        Check::fail(
            "web.arquivo",
            format!(
                "o corpo tem {} bytes e não é o conteúdo de index.html ({} bytes), nem contando o fim de linha; mande o conteúdo do arquivo depois da linha em branco",
                parsed.body.len(),
                PAGE.len()
            ),
        )
    });
    out.push(if parsed.body == PAGE.as_bytes() {
        Check::pass("web.bytes-exatos", format!("os {} bytes do arquivo, exatos", PAGE.len()))
    } else if same_content(parsed.body, PAGE) {
        Check::fail(
            "web.bytes-exatos",
            format!(
                "o conteúdo está certo, mas os bytes mudaram ({} em vez de {}): o fim de linha foi trocado, ou veio uma quebra de linha a mais no fim (o esqueleto do livro manda «\\r\\n» depois do arquivo); leia e mande o arquivo em modo binário ('rb'), sem mudar nada",
                parsed.body.len(),
                PAGE.len()
            ),
        )
    } else {
        Check::skipped("web.bytes-exatos", "o conteúdo já é outro (veja acima)")
    });

    let length = parsed.header("content-length");
    out.push(match length.map(|l| l.parse::<usize>()) {
        Some(Ok(n)) if n != parsed.body.len() => Check::fail(
            "web.content-length",
            format!(
                "Content-Length diz {n}, mas o corpo tem {} bytes",
                parsed.body.len()
            ),
        ),
        Some(Err(_)) => Check::fail("web.content-length", "Content-Length não é um número"),
        Some(Ok(n)) => Check::pass(
            "web.content-length",
            format!("Content-Length {n}, igual ao corpo"),
        ),
        None => Check::skipped("web.content-length", "não há Content-Length (veja acima)"),
    });

    out.push(if ex.closed {
        Check::pass("web.fecha", "o servidor fechou a conexão depois da resposta")
    } else {
        Check::fail(
            "web.fecha",
            format!(
                "a conexão continuou aberta {} depois do começo da resposta; feche o socket da conexão (connectionSocket.close()) ao terminar",
                secs(ex.elapsed)
            ),
        )
    });
    out
}

/// Os servidores prontos do Python (e de outros) se apresentam no cabeçalho
/// `Server`; o `http.server` também manda a sua página de erro.
const LIBRARY_SERVERS: [&str; 10] = [
    "simplehttp/",
    "basehttp/",
    "wsgiserver/",
    "werkzeug/",
    "tornadoserver/",
    "uvicorn",
    "gunicorn",
    "waitress",
    "cherrypy",
    "twistedweb",
];

/// O servidor foi escrito pelo aluno? Um programa que entrega o trabalho
/// ao `http.server` não cria socket nem monta resposta. O corretor só vê o
/// que chega pela rede: o cabeçalho `Server` e a página de erro do
/// `http.server`; quem esconde os dois passa (isso só a leitura do código vê).
pub(super) fn written_with_sockets(found: &Exchange, missing: &Result<Exchange, String>) -> Check {
    const ID: &str = "web.sockets";
    let mut seen = Vec::new();
    for ex in std::iter::once(found).chain(missing.as_ref().ok()) {
        let parsed = parse(&ex.raw);
        if let Some(server) = parsed.header("server") {
            let lower = server.to_ascii_lowercase();
            if LIBRARY_SERVERS.iter().any(|s| lower.contains(s)) {
                seen.push(format!(
                    "o cabeçalho «Server: {}»",
                    printable(server.as_bytes())
                ));
            }
        }
        let body = String::from_utf8_lossy(parsed.body);
        if body.contains("<title>Error response</title>") && body.contains("Error code explanation")
        {
            seen.push(
                "a página de erro do http.server («Error response … Error code explanation»)"
                    .to_string(),
            );
        }
    }
    seen.dedup();
    if seen.is_empty() {
        Check::pass(
            ID,
            "nenhum sinal de um servidor pronto (http.server, socketserver) nas respostas",
        )
    } else {
        Check::fail(
            ID,
            format!(
                "as respostas vêm de um servidor pronto do Python, não de um escrito com sockets: {}; o enunciado pede criar o socket (socket(AF_INET, SOCK_STREAM), bind, listen, accept) e montar a resposta HTTP você mesmo",
                seen.join(" e ")
            ),
        )
    }
}

/// Em 3b: a resposta é uma mensagem HTTP (linha de status `HTTP/1.x NNN`),
/// seja qual for o arquivo servido. Um eco ou um «Hello» não é um servidor web.
pub(super) fn http_message(ex: &Exchange) -> Check {
    const ID: &str = "web.http";
    let parsed = parse(&ex.raw);
    if parsed.status.is_some() && parsed.status_line.starts_with("HTTP/") {
        Check::pass(ID, format!("pedi /index.html e {}", quote_status(ex)))
    } else {
        Check::fail(
            ID,
            format!(
                "pedi /index.html e {}; um servidor web responde com uma linha de status («HTTP/1.1 200 OK» ou «HTTP/1.1 404 Not Found»), as linhas de cabeçalho, a linha em branco e o arquivo",
                quote_status(ex)
            ),
        )
    }
}

pub(super) fn missing_file(ex: Result<Exchange, String>) -> Check {
    const ID: &str = "web.404";
    let ex = match ex {
        Ok(ex) => ex,
        Err(why) => return Check::skipped(ID, why),
    };
    let parsed = parse(&ex.raw);
    let rest = &ex.raw[leading_blank(&ex.raw)..];
    match parsed.status {
        Some(404) if leading_blank(&ex.raw) > 0 => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; um cliente lê a primeira linha como a linha de status, e ela está vazia: tire o «\\n» do começo da resposta",
                quote_status(&ex)
            ),
        ),
        // Sem fim de linha não há linha de status: o curl diz «Empty reply
        // from server» e o navegador mostra uma página de erro dele.
        Some(404) if !rest.contains(&b'\n') => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e recebi só «{}», sem fim de linha, e a conexão fechou: isso não é uma mensagem HTTP (o curl diz «Empty reply from server»); termine a linha de status com «\\r\\n» e mande a linha em branco: «HTTP/1.1 404 Not Found\\r\\n\\r\\n»",
                printable(rest)
            ),
        ),
        Some(404) if parsed.status_line.ends_with(" 404 Not Found") => {
            Check::pass(ID, quote_status(&ex))
        }
        Some(404) => Check::pass(
            ID,
            format!(
                "{}; o código 404 está certo (a frase que o acompanha costuma ser «Not Found»)",
                quote_status(&ex)
            ),
        ),
        Some(200) => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; uma página de erro com 200 não é um 404: a linha de status deve ser «HTTP/1.1 404 Not Found»",
                quote_status(&ex)
            ),
        ),
        _ if ex.raw.is_empty() => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; trate o erro de abrir o arquivo (except IOError) mandando «HTTP/1.1 404 Not Found»",
                quote_status(&ex)
            ),
        ),
        _ => Check::fail(
            ID,
            format!(
                "pedi um arquivo que não existe e {}; o enunciado pede «404 Not Found»",
                quote_status(&ex)
            ),
        ),
    }
}
