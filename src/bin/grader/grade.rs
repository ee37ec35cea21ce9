//! Os modos do corretor, a escolha da porta e o que fazer quando o trabalho
//! não pode ser rodado. As conferências moram em um arquivo por modo.

use std::fmt;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::PathBuf;

use crate::report::Report;
use crate::{child, http_client, ping_client, ping_server, web_server};

/// A parte do enunciado a conferir.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    PingServer,
    PingClient,
    Single,
    Threaded,
    Client,
}

impl Mode {
    /// O nome na linha de comando.
    pub fn parse(name: &str) -> Option<Mode> {
        Some(match name {
            "ping-server" | "servidor-ping" => Mode::PingServer,
            "ping-client" | "cliente-ping" => Mode::PingClient,
            "3a" => Mode::Single,
            "3b" => Mode::Threaded,
            "3c" => Mode::Client,
            _ => return None,
        })
    }

    /// O nome canônico na linha de comando (e no `--resumo`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::PingServer => "ping-server",
            Mode::PingClient => "ping-client",
            Mode::Single => "3a",
            Mode::Threaded => "3b",
            Mode::Client => "3c",
        }
    }

    /// A frase do cabeçalho do relatório.
    pub fn title(self) -> &'static str {
        match self {
            Mode::PingServer => "seção 2, servidor de ping UDP (o corretor é o cliente)",
            Mode::PingClient => "seção 2, cliente de ping UDP (o corretor é o servidor)",
            Mode::Single => "seção 3a, servidor web, uma requisição por vez",
            Mode::Threaded => "seção 3b, servidor web com uma thread por conexão",
            Mode::Client => "seção 3c, cliente HTTP (o corretor é o servidor)",
        }
    }
}

/// O que o corretor precisa saber.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub mode: Mode,
    /// Onde o programa escuta (ou para onde o cliente manda), de `--host`.
    /// Sem ele: `localhost` (o do enunciado); em 3c, `127.0.0.1`.
    pub host: Option<String>,
    /// A porta dada com `--port`; sem ela, a do enunciado ou uma livre (veja [`choose_port`]).
    pub port: Option<u16>,
    /// Semente do roteiro de perdas do modo `ping-client`.
    pub seed: u64,
    /// O comando do trabalho, com os marcadores ainda por trocar.
    pub command: Vec<String>,
    /// A pasta de onde o corretor foi chamado (para caminhos relativos no comando).
    pub base: PathBuf,
}

impl Options {
    /// O host dos modos de ping, 3a e 3b: `--host`, ou `localhost`.
    pub fn host(&self) -> &str {
        self.host.as_deref().unwrap_or("localhost")
    }
}

/// O trabalho não pôde ser conferido: nem chegou a rodar (código de saída 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRun(pub String);

impl fmt::Display for NotRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Roda as conferências do modo pedido e devolve o relatório.
///
/// # Erros
/// [`NotRun`] quando o programa não existe, não sobe, ou a porta está ocupada.
pub fn run(options: &Options) -> Result<Report, NotRun> {
    let mut report = Report::default();
    match options.mode {
        Mode::PingServer => ping_server::check(options, &mut report)?,
        Mode::PingClient => ping_client::check(options, &mut report)?,
        Mode::Single => web_server::check(options, false, &mut report)?,
        Mode::Threaded => web_server::check(options, true, &mut report)?,
        Mode::Client => http_client::check(options, &mut report)?,
    }
    Ok(report)
}

/// Transporte, para escolher e testar portas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Udp,
    Tcp,
}

/// A porta: a de `--port`; senão, se o comando tem `{port}`, uma livre que
/// o kernel sugere (bind na porta 0 e solta); senão, a do enunciado
/// (`default`), porque o programa tem a porta fixa no código.
pub fn choose_port(options: &Options, default: u16, transport: Transport) -> u16 {
    if let Some(port) = options.port {
        return port;
    }
    if !child::mentions(&options.command, "{port}") {
        return default;
    }
    let free = match transport {
        Transport::Udp => UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr()),
        Transport::Tcp => TcpListener::bind("127.0.0.1:0").and_then(|s| s.local_addr()),
    };
    free.map(|a| a.port()).unwrap_or(default)
}

/// Falha com [`NotRun`] se outro programa já ocupa a porta: o trabalho
/// não conseguiria escutar, e o corretor acabaria conversando com o intruso.
///
/// # Erros
/// A porta está em uso no IPv4 do loopback.
pub fn port_free(port: u16, transport: Transport) -> Result<(), NotRun> {
    let result = match transport {
        Transport::Udp => UdpSocket::bind(("127.0.0.1", port)).map(drop),
        Transport::Tcp => TcpListener::bind(("127.0.0.1", port)).map(drop),
    };
    match result {
        Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => {
            // Ocupada, mas ninguém aceita conexões: sobraram conexões em
            // TIME_WAIT de uma execução anterior de um servidor sem
            // SO_REUSEADDR. O Linux só deixa outro socket usar a porta se os
            // dois (o novo e o que deixou o TIME_WAIT) tiverem a opção.
            let listening = transport == Transport::Tcp
                && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
            if transport == Transport::Tcp && !listening {
                return Err(NotRun(format!(
                    "a porta {port} (TCP) ainda tem conexões de uma execução anterior esperando o fim do TIME_WAIT (até 1 minuto); um servidor sem SO_REUSEADDR não consegue escutar nela agora: espere, ou ponha serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) antes do bind"
                )));
            }
            Err(NotRun(format!(
                "a porta {port} ({}) já está em uso por outro programa: feche-o (um servidor antigo ainda rodando?) ou use --port e {{port}} no comando",
                if transport == Transport::Udp {
                    "UDP"
                } else {
                    "TCP"
                }
            )))
        }
        _ => Ok(()),
    }
}

/// Os endereços de `host:port`, sem repetição. `localhost` costuma dar
/// `127.0.0.1` **e** `::1`: o programa pode estar em qualquer um dos dois,
/// então o corretor tenta todos.
///
/// # Erros
/// O nome não resolve.
pub fn addresses(host: &str, port: u16) -> Result<Vec<SocketAddr>, NotRun> {
    let mut addrs = pratica_sockets::net::resolve_all(host, port).map_err(|e| {
        NotRun(format!(
            "o nome {host} não resolve: {}",
            pratica_sockets::net::pt_br(&e)
        ))
    })?;
    addrs.dedup();
    Ok(addrs)
}

/// Inicia o programa, ou explica por que não deu.
///
/// # Erros
/// Programa que não existe ou não pode ser executado.
pub fn spawn_error(words: &[String], err: &std::io::Error) -> NotRun {
    let program = words.first().map(String::as_str).unwrap_or("");
    let hint = if err.kind() == std::io::ErrorKind::NotFound {
        " (o comando não foi encontrado: confira o nome, ou use python3/python conforme o sistema)"
    } else {
        ""
    };
    NotRun(format!("não foi possível iniciar `{program}`: {err}{hint}"))
}
