//! As saídas das aulas 00, 01 e 02 que não podem envelhecer.
//!
//! Na aula, a linha `<!-- saida-conferida: NOME -->` logo antes de um bloco
//! cercado (```console ou ```text) diz: "este bloco é o que o programa
//! imprime". Este teste acha cada marcador, roda os binários de verdade em
//! 127.0.0.1 com sementes fixas (a função de cada NOME está em [`produce`]),
//! e compara linha a linha, depois de [`normalize`]: portas, horários, datas
//! e RTTs mudam a cada execução; o resto (quais pings se perdem, as
//! mensagens, as contas) não pode mudar. Um NOME desconhecido é um erro.
//! As linhas do bloco que começam com `$ ` são os comandos, e não contam.
//!
//! Os relatórios do corretor (`corretor-*`) também, os dois da aula 2,
//! rodando o corretor contra os programas em Python de verdade.
//!
//! A aula 03 tem o seu próprio teste (`tests/it/lessons_s3.rs`).

use crate::support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

const MARKER: &str = "<!-- saida-conferida: ";

/// O fuso que as execuções usam: uma regra POSIX (a de São Paulo), que não
/// precisa de nenhum arquivo do sistema, para a saída não depender da máquina.
const TZ: &str = "<-03>3";

/// As aulas que este teste confere: 00, 01 e 02, e o aprofundamento delas
/// (`lessons/aprofundamento/0N-*.md`).
fn lessons() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = ["lessons", "lessons/aprofundamento"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            ["00-", "01-", "02-"].iter().any(|n| name.starts_with(n)) && name.ends_with(".md")
        })
        .collect();
    paths.sort();
    paths
}

/// (NOME, linhas do bloco sem os comandos) de cada marcador de `markdown`.
fn checked_blocks(markdown: &str) -> Vec<(String, Vec<String>)> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut blocks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix(MARKER) else {
            continue;
        };
        let name = rest.trim_end_matches("-->").trim().to_string();
        let fence = lines.get(i + 1).copied().unwrap_or("");
        assert!(
            fence.trim().starts_with("```"),
            "o marcador {name} precisa vir logo antes de um bloco ```"
        );
        // Dentro de uma lista ou de um <details>, o bloco vem recuado: o
        // recuo da cerca sai de todas as linhas.
        let indent = fence.len() - fence.trim_start().len();
        let body = lines[i + 2..]
            .iter()
            .take_while(|l| l.trim() != "```")
            .map(|l| l.get(indent..).unwrap_or("").trim_end())
            .filter(|l| !l.starts_with("$ "))
            .map(str::to_string)
            .collect();
        blocks.push((name, body));
    }
    blocks
}

/// Troca o que muda de uma execução para outra por `#`, palavra por palavra:
/// - `host:porta` (e `[::1]:porta`): a porta;
/// - números com `.`, `/`, `:` ou vírgula decimal (RTT, instante, data,
///   hora, a linha mín/méd/máx, endereços IPv4, o `1,00 s` e o `35,3%` do
///   corretor): cada sequência de dígitos.
///
/// Inteiros soltos (o número do ping, `24 bytes`, `30%`) ficam como estão.
fn normalize(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let core = word.trim_matches(|c: char| "(),;\"".contains(c));
            let (prefix, suffix) = match word.find(core) {
                Some(at) if !core.is_empty() => (&word[..at], &word[at + core.len()..]),
                _ => return word.to_string(),
            };
            let numeric = core.chars().any(|c| c.is_ascii_digit())
                && core
                    .chars()
                    .all(|c| c.is_ascii_digit() || "./:,%".contains(c))
                && core.chars().any(|c| "./:,".contains(c));
            let replaced = if numeric {
                hash_digits(core)
            } else if let Some((host, port)) = core.rsplit_once(':')
                && !port.is_empty()
                && port.chars().all(|c| c.is_ascii_digit())
            {
                format!("{host}:#")
            } else {
                core.to_string()
            };
            format!("{prefix}{replaced}{suffix}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn hash_digits(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('#') {
            out.push('#');
        }
    }
    out
}

/// Um servidor (`ping-server` ou `heartbeat-server`) na porta 0, com as
/// linhas do stderr e do stdout em canais. A porta vem da primeira linha do
/// stderr (o anúncio), qualquer que seja o texto dela.
struct Server {
    child: std::process::Child,
    port: u16,
    first_line: String,
    lines: mpsc::Receiver<String>,
    stdout: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn forward(reader: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn server(name: &str, args: &[&str]) -> Server {
    let mut child = Command::new(support::bin(name))
        .args(["--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("o servidor roda");
    let lines = forward(child.stderr.take().unwrap());
    let stdout = forward(child.stdout.take().unwrap());
    let first_line = lines
        .recv_timeout(Duration::from_secs(20))
        .expect("o servidor anunciou o endereço");
    let port = first_line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or_else(|| panic!("anúncio sem 127.0.0.1:PORTA: {first_line}"));
    Server {
        child,
        port,
        first_line,
        lines,
        stdout,
    }
}

/// Roda `ping-client` com stdout e stderr no mesmo cano, como num terminal.
fn ping_client(args: &[&str]) -> Vec<String> {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let mut child = Command::new(support::bin("ping-client"))
        .args(args)
        .env("TZ", TZ)
        .stdin(Stdio::null())
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .expect("ping-client roda");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut text = String::new();
        let _ = reader.read_to_string(&mut text);
        let _ = tx.send(text);
    });
    // O cano fecha quando o cliente termina (no máximo ~count × timeout).
    let text = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(text) => text,
        Err(_) => {
            let _ = child.kill();
            panic!("ping-client {args:?} passou de 60 s");
        }
    };
    let _ = child.wait();
    assert!(
        !text.contains("panicked"),
        "ping-client entrou em pânico: {text}"
    );
    text.lines().map(str::to_string).collect()
}

/// Uma porta UDP sem nenhum socket associado (o kernel escolhe; fechamos em seguida).
fn free_udp_port() -> u16 {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

/// Uma execução com semente: o que o cliente imprime e o log do servidor.
fn seeded_run(seed: &str) -> (Vec<String>, Vec<String>) {
    let server = server("ping-server", &["--seed", seed]);
    let port = server.port.to_string();
    let client = ping_client(&["--port", &port]);
    let mut log = vec![server.first_line.clone()];
    // Uma linha de log por datagrama que o servidor recebeu.
    while let Ok(line) = server.lines.recv_timeout(Duration::from_secs(10)) {
        log.push(line);
        if log.len() == 11 {
            break;
        }
    }
    (client, log)
}

/// A saída de verdade para cada NOME usado nas aulas. As execuções com
/// semente ficam em `runs`: o bloco do cliente e o do servidor vêm da mesma
/// execução, como na aula.
fn produce(
    name: &str,
    runs: &mut HashMap<&'static str, (Vec<String>, Vec<String>)>,
) -> Vec<String> {
    let mut seeded =
        |seed: &'static str| runs.entry(seed).or_insert_with(|| seeded_run(seed)).clone();
    match name {
        "ping-cliente-semente-587" => seeded("587").0,
        "ping-servidor-semente-587" => seeded("587").1,
        "ping-cliente-semente-7" => seeded("7").0,
        "ping-sem-servidor" => {
            let port = free_udp_port().to_string();
            ping_client(&["--port", &port, "--count", "2"])
        }
        "ping-tudo-perdido" => {
            let server = server("ping-server", &["--loss", "1"]);
            let port = server.port.to_string();
            ping_client(&["--port", &port, "--count", "3", "--timeout", "0.2"])
        }
        "heartbeat-semente-11" => {
            let server = server(
                "heartbeat-server",
                &["--loss", "0.3", "--seed", "11", "--dead-after", "2"],
            );
            let port = server.port.to_string();
            let client = support::run(
                "heartbeat-client",
                &["--port", &port, "--count", "10", "--interval", "0.2"],
                Duration::from_secs(30),
            );
            assert_eq!(client.code(), Some(0), "{}", client.stderr);
            // O relatório termina quando o servidor declara que o cliente parou.
            let mut report = Vec::new();
            while let Ok(line) = server.stdout.recv_timeout(Duration::from_secs(15)) {
                let stopped = line.contains("parou");
                report.push(line);
                if stopped {
                    break;
                }
            }
            report
        }
        "corretor-cliente-um-socket" => support::grader_report(
            &std::env::current_dir().unwrap(),
            &[
                "ping-client",
                "--",
                "python3",
                "lessons/capturas/cliente_um_socket.py",
                "{port}",
            ],
            0,
        ),
        "corretor-servidor-do-enunciado" => {
            // O servidor do enunciado, copiado sem mudar nada a não ser a
            // porta (que vem de {port}), numa pasta `trabalho` ao lado da
            // pasta de onde o corretor é chamado, como na aula 2.
            let dir = std::env::temp_dir().join(format!("corretor-readme-{}", std::process::id()));
            let work = dir.join("trabalho");
            let here = dir.join("projeto");
            std::fs::create_dir_all(&work).unwrap();
            std::fs::create_dir_all(&here).unwrap();
            std::fs::write(
                work.join("UDPPingerServer.py"),
                support::ASSIGNMENT_PING_SERVER,
            )
            .unwrap();
            let report = support::grader_report(
                &here,
                &[
                    "ping-server",
                    "--",
                    "python3",
                    "../trabalho/UDPPingerServer.py",
                    "{port}",
                ],
                0,
            );
            let _ = std::fs::remove_dir_all(&dir);
            report
        }
        other => panic!("saida-conferida desconhecida: {other} (acrescente-a em produce)"),
    }
}

#[test]
fn every_checked_output_in_lessons_00_to_02_matches_the_real_programs() {
    let mut checked = 0;
    let mut runs = HashMap::new();
    for path in lessons() {
        let text = std::fs::read_to_string(&path).unwrap();
        for (name, expected) in checked_blocks(&text) {
            if name.starts_with("corretor-") && !python3() {
                continue;
            }
            // Sorteado sem semente: conferido por
            // `the_grader_report_against_the_assignments_server_is_a_real_run`.
            if name == SEEDLESS_REPORT {
                continue;
            }
            let actual = produce(&name, &mut runs);
            let expected: Vec<String> = expected.iter().map(|l| normalize(l)).collect();
            let actual: Vec<String> = actual.iter().map(|l| normalize(l)).collect();
            assert_eq!(
                expected,
                actual,
                "{}: o bloco {name} não é mais o que o programa imprime.\n\
                 esperado (aula):\n{}\n\nobtido (programa):\n{}",
                path.display(),
                expected.join("\n"),
                actual.join("\n")
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 3,
        "as aulas 00–02 deveriam ter saídas conferidas ({checked})"
    );
}

/// O corretor roda programas em Python: sem `python3`, os blocos dele
/// ficam sem conferir, e o teste diz isso.
fn python3() -> bool {
    support::python3_or_skip("os relatórios do corretor ficam sem conferir")
}

/// O relatório do corretor contra o servidor do enunciado (aprofundamento
/// da aula 2).
const SEEDLESS_REPORT: &str = "corretor-servidor-do-enunciado";

/// O relatório do corretor contra o servidor do enunciado, no aprofundamento
/// da aula 2, vem
/// de uma execução real. O servidor do enunciado sorteia sem semente: as
/// contagens das linhas de conferência (`1294 respostas`, `706 de 2000`,
/// `32 ecos`) mudam a cada execução e viram `#`; os vereditos, as mensagens
/// e a linha `Resultado:` não podem mudar.
#[test]
fn the_grader_report_against_the_assignments_server_is_a_real_run() {
    const LESSON: &str = "lessons/aprofundamento/02-sorteio-e-calendario.md";
    let text = std::fs::read_to_string(LESSON).unwrap();
    let blocks: Vec<_> = checked_blocks(&text)
        .into_iter()
        .filter(|(n, _)| n == SEEDLESS_REPORT)
        .collect();
    assert!(
        !blocks.is_empty(),
        "{LESSON} deveria ter o relatório conferido do corretor contra o servidor do enunciado"
    );
    if !python3() {
        return;
    }
    let counts = |line: &str| {
        let line = normalize(line);
        if line.starts_with("  [") {
            hash_digits(&line)
        } else {
            line
        }
    };
    for (name, expected) in blocks {
        let actual = produce(&name, &mut HashMap::new());
        let expected: Vec<String> = expected.iter().map(|l| counts(l)).collect();
        let actual: Vec<String> = actual.iter().map(|l| counts(l)).collect();
        assert_eq!(
            expected,
            actual,
            "{LESSON}: o bloco {name} não é mais o que o programa imprime.\n\
             esperado (aula):\n{}\n\nobtido (programa):\n{}",
            expected.join("\n"),
            actual.join("\n")
        );
    }
}

/// Um bloco que cita um arquivo de `lessons/capturas/`: o arquivo, a faixa
/// de linhas citada (se houver) e as linhas do bloco.
type Quote = (String, Option<(usize, usize)>, Vec<String>);

/// (arquivo, faixa de linhas, linhas do bloco) de cada
/// `<!-- captura: ARQUIVO [linhas A-B] -->` de `markdown`. Entre o marcador
/// e a cerca pode haver outros marcadores (`saida-conferida`).
fn quoted_captures(markdown: &str) -> Vec<Quote> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix("<!-- captura: ") else {
            continue;
        };
        let mut words = rest.trim_end_matches("-->").split_whitespace();
        let file = words.next().unwrap_or_default().to_string();
        let range = match (words.next(), words.next()) {
            (Some("linhas"), Some(range)) => range
                .split_once('-')
                .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?))),
            _ => None,
        };
        let fence_at = (i + 1..lines.len())
            .find(|&j| !lines[j].trim().starts_with("<!--"))
            .unwrap_or(lines.len());
        let fence = lines.get(fence_at).copied().unwrap_or("");
        assert!(
            fence.trim().starts_with("```"),
            "o marcador captura: {file} precisa vir antes de um bloco ```"
        );
        let indent = fence.len() - fence.trim_start().len();
        let body = lines[fence_at + 1..]
            .iter()
            .take_while(|l| l.trim() != "```")
            .map(|l| l.get(indent..).unwrap_or("").trim_end().to_string())
            .collect();
        found.push((file, range, body));
    }
    found
}

/// Os blocos que citam `lessons/capturas/*.txt` são cópias fiéis desses
/// arquivos, que `lessons/capturas/secao2.sh` regenera (e, no mesmo passo,
/// recopia nas aulas).
#[test]
fn every_quoted_capture_in_lessons_00_to_02_is_the_file_in_capturas() {
    let mut checked = 0;
    for path in lessons() {
        let text = std::fs::read_to_string(&path).unwrap();
        for (file, range, body) in quoted_captures(&text) {
            let full = std::fs::read_to_string(format!("lessons/capturas/{file}"))
                .unwrap_or_else(|e| panic!("{}: lessons/capturas/{file}: {e}", path.display()));
            let all: Vec<String> = full.lines().map(|l| l.trim_end().to_string()).collect();
            let wanted = match range {
                Some((a, b)) => all[a - 1..b.min(all.len())].to_vec(),
                None => all,
            };
            // Os comandos (`$ …`) do começo do bloco são da aula, a não ser
            // que o arquivo comece com um comando: aí ele os traz.
            let body: Vec<String> = if wanted.first().is_some_and(|l| l.starts_with("$ ")) {
                body
            } else {
                body.into_iter()
                    .skip_while(|l| l.starts_with("$ "))
                    .collect()
            };
            assert_eq!(
                body,
                wanted,
                "{}: o bloco que cita {file} difere do arquivo (rode lessons/capturas/secao2.sh)",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 3,
        "as aulas 00–02 deveriam citar capturas ({checked})"
    );
}

#[test]
fn normalize_hides_ports_times_and_rtts_but_keeps_the_rest() {
    assert_eq!(
        normalize(
            "Ping: 8 Data e Hora: 25/11/2026 13:05 Mensagem do servidor: PING 8 1795622715.429272 RTT: 0.087 ms"
        ),
        "Ping: 8 Data e Hora: #/#/# #:# Mensagem do servidor: PING 8 #.# RTT: #.# ms"
    );
    assert_eq!(
        normalize("--- estatísticas do ping para localhost:12000 ---"),
        "--- estatísticas do ping para localhost:# ---"
    );
    assert_eq!(
        normalize("ping-server: 127.0.0.1:49972 enviou 24 bytes: respondido"),
        "ping-server: #.#.#.#:# enviou 24 bytes: respondido"
    );
    assert_eq!(
        normalize("10 pacotes transmitidos, 7 recebidos, 30% de perda"),
        "10 pacotes transmitidos, 7 recebidos, 30% de perda"
    );
    assert_eq!(
        normalize("esperou 1,00 s depois do ping 9 (RTT 0.2991) perda de 35,3% (1, 2, 10)"),
        "esperou #,# s depois do ping 9 (RTT #.#) perda de #,#% (1, 2, 10)"
    );
    assert_ne!(normalize("Ping: 5 perdido"), normalize("Ping: 6 perdido"));
}

#[test]
fn an_unknown_marker_name_is_an_error() {
    let result = std::panic::catch_unwind(|| produce("nome-que-não-existe", &mut HashMap::new()));
    assert!(result.is_err());
}

#[test]
fn markers_are_found_and_commands_are_skipped() {
    let md = "texto\n<!-- saida-conferida: x -->\n```console\n$ cargo ping\nlinha 1\n```\n";
    assert_eq!(
        checked_blocks(md),
        vec![("x".to_string(), vec!["linha 1".to_string()])]
    );
    let indented =
        "1. item\n   <!-- saida-conferida: y -->\n   ```text\n     recuada\n\n   fim\n   ```\n";
    assert_eq!(
        checked_blocks(indented),
        vec![(
            "y".to_string(),
            vec!["  recuada".to_string(), String::new(), "fim".to_string()]
        )]
    );
}
