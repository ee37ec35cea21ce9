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
//! A aula 03 tem o seu próprio teste (`tests/lessons_s3.rs`).

mod support;

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

/// As aulas que este teste confere.
fn lessons() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir("lessons")
        .unwrap()
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
        let fence = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
        assert!(
            fence.starts_with("```"),
            "o marcador {name} precisa vir logo antes de um bloco ```"
        );
        let body = lines[i + 2..]
            .iter()
            .take_while(|l| l.trim() != "```")
            .filter(|l| !l.starts_with("$ "))
            .map(|l| l.trim_end().to_string())
            .collect();
        blocks.push((name, body));
    }
    blocks
}

/// Troca o que muda de uma execução para outra por `#`, palavra por palavra:
/// - `host:porta` (e `[::1]:porta`): a porta;
/// - números com `.`, `/` ou `:` (RTT, instante, data, hora, a linha
///   mín/méd/máx, endereços IPv4): cada sequência de dígitos.
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
                    .all(|c| c.is_ascii_digit() || "./:".contains(c))
                && core.chars().any(|c| "./:".contains(c));
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

/// Um servidor de ping na porta 0, com as linhas do stderr num canal. A
/// porta vem da primeira linha (o anúncio), qualquer que seja o texto dela.
struct PingServer {
    child: std::process::Child,
    port: u16,
    first_line: String,
    lines: mpsc::Receiver<String>,
}

impl Drop for PingServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ping_server(args: &[&str]) -> PingServer {
    let mut child = Command::new(support::bin("ping-server"))
        .args(["--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ping-server roda");
    let stderr = child.stderr.take().unwrap();
    let (tx, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
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
    PingServer {
        child,
        port,
        first_line,
        lines,
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

/// Uma porta UDP onde ninguém escuta (o kernel escolhe; fechamos em seguida).
fn free_udp_port() -> u16 {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

/// Uma execução com semente: o que o cliente imprime e o log do servidor.
fn seeded_run(seed: &str) -> (Vec<String>, Vec<String>) {
    let server = ping_server(&["--seed", seed]);
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
            let server = ping_server(&["--loss", "1"]);
            let port = server.port.to_string();
            ping_client(&["--port", &port, "--count", "3", "--timeout", "0.2"])
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
}
