//! Os modos do corretor, a escolha da porta e o que fazer quando o trabalho
//! não pode ser rodado. As conferências moram em um arquivo por modo.

use std::fmt;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};

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
    missing_script(&options.command, &options.base)?;
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

/// Extensões de programas que um interpretador roda (`python3 X.py`).
const SCRIPT_EXTENSIONS: [&str; 12] = [
    "py", "pyw", "java", "class", "jar", "js", "mjs", "rb", "pl", "php", "sh", "go",
];

/// O arquivo que o comando nomeia existe? Sem ele, o interpretador diria
/// «can't open file '/tmp/…/WebServer.py'», com o caminho da pasta
/// temporária; dizemos antes, com a pasta do aluno e os arquivos que há.
///
/// # Erros
/// [`NotRun`] com «não há X na pasta de ALUNO».
pub fn missing_script(command: &[String], base: &Path) -> Result<(), NotRun> {
    // Sem o próprio programa (`python3`), o erro dele vem antes (e sugere
    // o outro nome do Python).
    let Some(program) = command.first() else {
        return Ok(());
    };
    if !program_found(program, base) {
        return Ok(());
    }
    let missing = command.iter().find(|w| {
        let path = Path::new(w.as_str());
        // Uma palavra com espaço é um script de shell (`sh -c '… arquivo.py'`),
        // não o nome de um arquivo.
        !w.contains('{')
            && !w.contains(char::is_whitespace)
            && !w.starts_with('-')
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SCRIPT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            && !base.join(path).exists()
    });
    let Some(word) = missing else {
        return Ok(());
    };
    let path = base.join(word);
    let folder = path.parent().unwrap_or(base);
    let student = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| folder.display().to_string());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| word.clone());
    let extension = path.extension().unwrap_or_default();
    let mut present: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension() == Some(extension))
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    present.sort();
    let hint = if present.is_empty() {
        format!("nenhum arquivo .{} ali", extension.to_string_lossy())
    } else {
        format!(
            "há {} (confira o nome no comando; maiúsculas contam)",
            present.join(", ")
        )
    };
    Err(NotRun(format!(
        "não há {name} na pasta de {student} ({}); {hint}",
        folder.display()
    )))
}

/// O programa existe: um caminho que existe, ou um nome achado no PATH
/// (no Windows, com as extensões de PATHEXT mais comuns).
fn program_found(program: &str, base: &Path) -> bool {
    let path = Path::new(program);
    if path.components().count() > 1 {
        return base.join(path).exists();
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&dirs).any(|dir| {
        ["", ".exe", ".cmd", ".bat"]
            .iter()
            .any(|ext| dir.join(format!("{program}{ext}")).is_file())
    })
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
/// Em TCP, "ocupada" é "alguém aceita conexões": um `bind` de teste falharia
/// também com conexões em TIME_WAIT deixadas por um programa anterior, e o
/// trabalho (com SO_REUSEADDR) talvez escute sem problema. Então ele é
/// iniciado; se o `bind` dele falhar, [`bind_hint`] explica.
///
/// # Erros
/// A porta está em uso no IPv4 do loopback.
pub fn port_free(port: u16, transport: Transport) -> Result<(), NotRun> {
    let busy = match transport {
        Transport::Udp => matches!(
            UdpSocket::bind(("127.0.0.1", port)),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse
        ),
        Transport::Tcp => std::net::TcpStream::connect_timeout(
            &SocketAddr::from(([127, 0, 0, 1], port)),
            std::time::Duration::from_millis(500),
        )
        .is_ok_and(|s| s.local_addr().ok() != s.peer_addr().ok()),
    };
    if busy {
        let name = if transport == Transport::Udp {
            "UDP"
        } else {
            "TCP"
        };
        return Err(NotRun(format!(
            "a porta {port} ({name}) já está em uso por outro programa: feche-o (um servidor antigo ainda rodando?) ou use --port, ou _PORT_ no comando"
        )));
    }
    Ok(())
}

/// O stderr mostra um `bind` que falhou com a porta em uso (Errno 98 no
/// Linux, 48 no macOS como EADDRINUSE, WinError 10048 no Windows)?
pub fn address_in_use(stderr: &str) -> bool {
    let lower = stderr.to_lowercase();
    [
        "address already in use",
        "errno 98",
        "10048",
        "winerror 10013",
        "eaddrinuse",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Se o stderr do programa mostra que o `bind` dele falhou com a porta em
/// uso, a explicação (TIME_WAIT e SO_REUSEADDR); senão, vazio.
pub fn bind_hint(stderr: &str, port: u16) -> String {
    if !address_in_use(stderr) {
        return String::new();
    }
    format!(
        ". O bind na porta {port} falhou com «Address already in use»: ninguém mais escuta nela (o corretor conferiu), então sobraram conexões em TIME_WAIT de uma execução anterior (duram até 1 minuto). Ponha serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) antes do bind; no Linux isso só resolve se o programa anterior também usava a opção: senão, espere o TIME_WAIT acabar e rode de novo"
    )
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
/// Um servidor do aluno já iniciado: a porta escolhida, os endereços dela,
/// a pasta preparada e o processo. Os campos caem na ordem inversa: o
/// processo morre antes de a pasta ser apagada.
pub struct Started {
    pub port: u16,
    pub addrs: Vec<SocketAddr>,
    pub workspace: child::Workspace,
    pub server: child::Server,
}

/// Escolhe a porta, confere que ninguém a usa, prepara a pasta (com os
/// arquivos do aluno) e inicia o servidor do aluno: o começo comum dos modos
/// `ping-server`, `3a` e `3b`.
///
/// # Erros
/// A porta está ocupada, o host não resolve, a pasta não pôde ser criada,
/// ou o programa não inicia.
pub fn start_server(
    options: &Options,
    default: u16,
    transport: Transport,
) -> Result<Started, NotRun> {
    let port = choose_port(options, default, transport);
    port_free(port, transport)?;
    let addrs = addresses(options.host(), port)?;
    let workspace = child::Workspace::for_student(&options.command, &options.base)
        .map_err(|e| NotRun(format!("pasta temporária: {e}")))?;
    let words = child::expand(&options.command, options.host(), port, "", &options.base);
    let server = child::Server::start(words.clone(), &workspace.served)
        .map_err(|e| spawn_error(&words, &e))?;
    Ok(Started {
        port,
        addrs,
        workspace,
        server,
    })
}

pub fn spawn_error(words: &[String], err: &std::io::Error) -> NotRun {
    let program = words.first().map(String::as_str).unwrap_or("");
    let hint = if err.kind() == std::io::ErrorKind::NotFound {
        format!(" (o comando não foi encontrado{})", other_python(program))
    } else {
        String::new()
    };
    NotRun(format!(
        "não foi possível iniciar `{program}`: {}{hint}",
        pratica_sockets::net::pt_br(err)
    ))
}

/// A sugestão do outro nome do Python: no Windows o comando costuma ser
/// `python` (o `python3` de lá pode ser o atalho da Microsoft Store); no
/// Linux e no macOS, `python3`.
pub fn other_python(program: &str) -> String {
    let name = std::path::Path::new(program)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(program)
        .to_ascii_lowercase();
    match name.as_str() {
        "python3" => ": tente `python` no lugar de `python3` (no Windows o nome costuma ser `python`, ou `py`)".to_string(),
        "python" => ": tente `python3` no lugar de `python` (no Linux e no macOS o nome costuma ser `python3`)".to_string(),
        "py" => ": tente `python` ou `python3`".to_string(),
        _ => ": confira o nome do programa".to_string(),
    }
}

/// A explicação extra para um programa que terminou com erro: o atalho do
/// Python da Microsoft Store e a porta presa em TIME_WAIT.
pub fn exit_hint(words: &[String], stderr: &str, port: u16) -> String {
    let program = words.first().map(String::as_str).unwrap_or("");
    if stderr.contains("Microsoft Store") || stderr.contains("was not found; run without arguments")
    {
        return format!(
            ". Este `{program}` é o atalho da Microsoft Store, não o Python{}",
            other_python(program)
        );
    }
    bind_hint(stderr, port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shell_script_in_the_command_is_not_taken_for_a_missing_file() {
        let base = std::env::temp_dir();
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // `sh -c '…'`: o script inteiro é uma palavra só, com espaços.
        let script = words(&[
            "sh",
            "-c",
            "cp *.html arq/ && exec python3 /nao-existe/servidor.py",
        ]);
        assert!(missing_script(&script, &base).is_ok());
        // Um arquivo que falta de verdade continua apontado.
        let file = words(&["sh", "/nao-existe-corretor/servidor.sh"]);
        if program_found("sh", &base) {
            assert!(missing_script(&file, &base).is_err());
        }
    }
}
