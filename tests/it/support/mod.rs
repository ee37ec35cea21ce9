//! Ajudantes dos testes de integração: subir programas em portas efêmeras,
//! esperar que anunciem o endereço, e rodar comandos com prazo.
//!
//! Nada aqui usa `sleep` para sincronizar: esperamos por eventos (uma linha
//! no stderr, um socket que aceita) sempre com um prazo máximo.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Um teste que não pode rodar aqui (sem IPv6, sem python3, como root…)
/// diz isso em voz alta antes de voltar: `SKIP: <teste>: <motivo>`.
///
/// O `cargo test` captura o que `println!`/`eprintln!` escrevem num teste
/// que passa, e o SKIP sumiria atrás de um `ok`. Esta escrita vai direto ao
/// descritor do stderr, por fora da captura, e aparece no `make test`
/// (conferido). Quem lê vê `SKIP` logo acima do `ok` daquele teste.
pub fn skip(reason: &str) {
    use std::io::Write;
    let current = thread::current();
    let test = current.name().unwrap_or("?");
    let _ = std::io::stderr().write_all(format!("SKIP: {test}: {reason}\n").as_bytes());
}

/// Um datagrama maior que o buffer do `recv_from` volta ao remetente?
/// No Linux e no macOS, sim, cortado: o kernel copia o que cabe, e o
/// servidor ecoa esse pedaço. No Windows, não: o `recv_from` falha com
/// `WSAEMSGSIZE` sem dizer quem mandou (conferido sob o Wine), e o servidor
/// registra e segue. Os testes de UDP conferem o que vale em cada sistema.
pub const OVERSIZED_DATAGRAM_IS_ECHOED: bool = !cfg!(windows);

/// O servidor de ping do enunciado (seção 2, "Código do Servidor"), sem os
/// comentários; a única mudança é a porta, que vem do primeiro argumento,
/// para os testes rodarem em paralelo. O corretor e o teste da aula 02 o usam.
pub const ASSIGNMENT_PING_SERVER: &str = "import random
import socket
import sys

server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server_socket.bind(('localhost', int(sys.argv[1])))

while True:
    rand = random.randint(0, 10)
    message, address = server_socket.recvfrom(1024)
    message = message.upper()
    if rand < 4:
        continue
    server_socket.sendto(message, address)
";

/// O `python3` existe aqui? Os testes que rodam os programas do enunciado,
/// ou o corretor, precisam dele. Sem ele, o teste diz `SKIP: …` (com o
/// motivo `why`) e quem chamou volta; na CI (variável `CI` definida, como
/// no `.ci/run`) a falta é um erro, porque lá o python3 existe e um SKIP
/// esconderia testes que deixaram de rodar. A regra mora só aqui.
pub fn python3_or_skip(why: &str) -> bool {
    let found = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            !on_ci(),
            "python3 não encontrado, e na CI (CI={:?}) ele é obrigatório: {why}",
            std::env::var_os("CI").unwrap_or_default()
        );
        skip(&format!("python3 não encontrado; {why}"));
    }
    found
}

/// Rodando na CI? Os serviços de CI definem `CI` (em geral `CI=true`).
fn on_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// O relatório do corretor (`grader ARGS` rodado em `cwd`), conferindo o
/// código de saída. O teste usa `{port}` (o corretor escolhe uma porta
/// livre) para não depender de a 12000 ou a 6789 estarem livres; a aula mostra o
/// comando sem ela, que usa a porta do enunciado: a linha `Comando:` perde
/// o ` {port}` e nada mais muda.
pub fn grader_report(cwd: &std::path::Path, args: &[&str], code: i32) -> Vec<String> {
    let output = Command::new(bin("grader"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("o corretor roda");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "grader {args:?}: {report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    report
        .lines()
        .map(|l| match l.strip_prefix("Comando: ") {
            Some(command) => format!("Comando: {}", command.trim_end_matches(" {port}")),
            None => l.to_string(),
        })
        .collect()
}

/// Caminho de um binário deste pacote (o cargo compila antes dos testes).
pub fn bin(name: &str) -> PathBuf {
    match name {
        "ping-server" => env!("CARGO_BIN_EXE_ping-server").into(),
        "ping-client" => env!("CARGO_BIN_EXE_ping-client").into(),
        "web-server" => env!("CARGO_BIN_EXE_web-server").into(),
        "http-client" => env!("CARGO_BIN_EXE_http-client").into(),
        "heartbeat-server" => env!("CARGO_BIN_EXE_heartbeat-server").into(),
        "heartbeat-client" => env!("CARGO_BIN_EXE_heartbeat-client").into(),
        "pratica" => env!("CARGO_BIN_EXE_pratica").into(),
        "grader" => env!("CARGO_BIN_EXE_grader").into(),
        "minimal-web-server" => env!("CARGO_BIN_EXE_minimal-web-server").into(),
        other => panic!("binário desconhecido: {other}"),
    }
}

/// Um processo filho que é morto quando sai de escopo (mesmo se o teste falhar).
pub struct Running {
    pub child: Child,
    pub addr: SocketAddr,
    /// As linhas de stderr depois do anúncio, uma por mensagem.
    pub lines: mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// A próxima linha de stderr, esperando no máximo `timeout`.
    pub fn next_line(&self, timeout: Duration) -> Option<String> {
        self.lines.recv_timeout(timeout).ok()
    }
}

/// Sobe `name` com `args` (que devem pedir a porta 0) e espera a linha
/// de anúncio ("escutando em ENDEREÇO", "aguardando datagramas em ENDEREÇO")
/// no stderr, que só é escrita depois do `bind`.
pub fn spawn_server(name: &str, args: &[&str]) -> Running {
    start_child(name, args, Stdio::null()).0
}

/// Como [`spawn_server`], e também entrega as linhas do stdout.
pub fn spawn_server_with_stdout(name: &str, args: &[&str]) -> (Running, mpsc::Receiver<String>) {
    let (running, stdout) = start_child(name, args, Stdio::piped());
    let (tx, rx) = mpsc::channel();
    if let Some(stdout) = stdout {
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    (running, rx)
}

fn start_child(
    name: &str,
    args: &[&str],
    stdout: Stdio,
) -> (Running, Option<std::process::ChildStdout>) {
    let mut command = Command::new(bin(name));
    command
        .args(args)
        .env_remove("PRATICA_FRONTEND")
        .stdout(stdout);
    spawn_command(command)
}

/// Sobe um comando já montado (por exemplo, `sh -c "ulimit …; exec …"`) e
/// espera o anúncio ("… em ENDEREÇO") no stderr.
pub fn spawn_command(mut command: Command) -> (Running, Option<std::process::ChildStdout>) {
    let mut child = command
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("o comando existe");
    let out = child.stdout.take();
    let stderr = child.stderr.take().expect("stderr foi pedido");
    let (tx, rx) = mpsc::channel();
    forward_lines(stderr, tx);
    let first = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("o servidor anunciou o endereço");
    // "web-server: escutando em ADDR …", "ping-server: aguardando datagramas
    // em ADDR …": o endereço é a primeira palavra depois de um " em ".
    let addr = first
        .split(" em ")
        .skip(1)
        .find_map(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("linha de anúncio inesperada: {first}"));
    (
        Running {
            child,
            addr,
            lines: rx,
        },
        out,
    )
}

fn forward_lines(stderr: ChildStderr, tx: mpsc::Sender<String>) {
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
}

/// O que um comando produziu.
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Output {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Roda um binário até o fim, matando-o se passar de `limit`.
pub fn run(name: &str, args: &[&str], limit: Duration) -> Output {
    run_with_env(name, args, &[], limit)
}

/// Como [`run`], com variáveis de ambiente a mais. `PRATICA_FRONTEND` (que o
/// `make test` herda do Makefile) é sempre limpa antes: cada teste diz a sua.
pub fn run_with_env(name: &str, args: &[&str], env: &[(&str, &str)], limit: Duration) -> Output {
    let mut child = Command::new(bin(name))
        .args(args)
        .env_remove("PRATICA_FRONTEND")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("o binário existe");
    let mut stdout = child.stdout.take().expect("stdout foi pedido");
    let mut stderr = child.stderr.take().expect("stderr foi pedido");
    let err_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        let _ = tx.send(bytes);
    });
    // O stdout fecha quando o processo termina: é o nosso evento.
    let stdout = match rx.recv_timeout(limit) {
        Ok(bytes) => bytes,
        Err(_) => {
            let _ = child.kill();
            panic!("{name} {args:?} passou do prazo de {limit:?}");
        }
    };
    let status = child.wait().expect("wait");
    let stderr = err_reader.join().unwrap_or_default();
    assert!(
        !stderr.contains("panicked"),
        "{name} {args:?} entrou em pânico: {stderr}"
    );
    Output {
        status,
        stdout,
        stderr,
    }
}

// ---------------------------------------------------------------------------
// Saída fechada: `programa | head`
// ---------------------------------------------------------------------------

/// Qual saída do programa o teste fecha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// `programa | head -1`: lê `n` linhas do stdout e fecha o pipe.
    StdoutAfterLines(usize),
    /// `programa 2>&1 | head -1` num servidor: lê o anúncio ("… em ENDEREÇO")
    /// do stderr e fecha o pipe; o stdout também é fechado logo de início.
    BothAfterAnnouncement,
}

/// Um programa cuja saída o teste fechou, ainda rodando.
pub struct Closed {
    child: Child,
    /// O endereço anunciado (só com [`Close::BothAfterAnnouncement`]).
    pub addr: Option<SocketAddr>,
    stderr: Option<thread::JoinHandle<String>>,
    label: String,
}

/// Sobe `name` e fecha a saída pedida, como `head` faria.
pub fn close_output(name: &str, args: &[&str], close: Close) -> Closed {
    let mut child = Command::new(bin(name))
        .args(args)
        .env_remove("PRATICA_FRONTEND")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("o binário existe");
    let stdout = child.stdout.take().expect("stdout foi pedido");
    let stderr = child.stderr.take().expect("stderr foi pedido");
    let label = format!("{name} {args:?} ({close:?})");
    match close {
        Close::StdoutAfterLines(n) => {
            let mut reader = BufReader::new(stdout);
            for _ in 0..n {
                let mut line = String::new();
                reader.read_line(&mut line).expect("lê uma linha do stdout");
            }
            drop(reader);
            let stderr = thread::spawn(move || {
                let mut text = String::new();
                let _ = BufReader::new(stderr).read_to_string(&mut text);
                text
            });
            Closed {
                child,
                addr: None,
                stderr: Some(stderr),
                label,
            }
        }
        Close::BothAfterAnnouncement => {
            drop(stdout);
            let mut reader = BufReader::new(stderr);
            let mut first = String::new();
            reader.read_line(&mut first).expect("lê o anúncio");
            let addr = first
                .split(" em ")
                .skip(1)
                .find_map(|rest| rest.split_whitespace().next()?.parse().ok());
            drop(reader);
            Closed {
                child,
                addr,
                stderr: None,
                label,
            }
        }
    }
}

impl Closed {
    /// O programa ainda está rodando?
    pub fn still_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Espera o programa terminar (no máximo `limit`) e confere o código:
    /// 1 para a saída fechada (`--help` sai com 0), nunca o 101 de um pânico,
    /// e nenhuma mensagem culpando a rede por um pipe local.
    pub fn assert_exit(self, code: i32, limit: Duration) {
        self.assert_exit_while(code, limit, || {});
    }

    /// Como [`Closed::assert_exit`], chamando `poke` (um datagrama, um GET)
    /// a cada volta até o programa terminar: um servidor só descobre que o
    /// pipe fechou quando escreve. Repetir cobre o caso raro de outro teste,
    /// em paralelo, criar um processo no instante em que o pipe existia: o
    /// filho herda por um momento a ponta de leitura (até o `exec` dele), e
    /// a primeira escrita ainda não falha.
    pub fn assert_exit_while(mut self, code: i32, limit: Duration, mut poke: impl FnMut()) {
        let deadline = std::time::Instant::now() + limit;
        let status = loop {
            poke();
            // `try_wait` não bloqueia; o laço é limitado pelo prazo.
            match self.child.try_wait().expect("try_wait") {
                Some(status) => break status,
                None if std::time::Instant::now() >= deadline => {
                    let _ = self.child.kill();
                    panic!("{}: não terminou em {limit:?}", self.label);
                }
                None => thread::sleep(Duration::from_millis(20)),
            }
        };
        let stderr = self
            .stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(
            status.code(),
            Some(code),
            "{}: esperava o código {code}, veio {status}; stderr: {stderr}",
            self.label
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{}: stderr: {stderr}",
            self.label
        );
    }
}

impl Drop for Closed {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// Servidor web dentro do processo de teste
// ---------------------------------------------------------------------------

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};

use pratica_sockets::s3_web_server::site::Site;
use pratica_sockets::s3_web_server::{a_single, b_threaded};

/// 3a ou 3b.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Single,
    Threaded { max_connections: usize },
}

/// Uma pasta temporária que some no fim do teste.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("pratica-sockets-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// O conteúdo do arquivo que fica **fora** da raiz e nunca pode vazar.
pub const SECRET: &str = "SEGREDO-FORA-DA-RAIZ-7f3a";

/// Monta um site de teste: `<tmp>/segredo.txt` (fora) e `<tmp>/www/` (a raiz).
pub fn test_site() -> (TempDir, PathBuf) {
    let dir = TempDir::new("site");
    let root = dir.0.join("www");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(dir.0.join("segredo.txt"), SECRET).unwrap();
    std::fs::write(root.join("index.html"), "<h1>ola</h1>\n").unwrap();
    std::fs::write(root.join("a.txt"), "texto simples\n").unwrap();
    std::fs::write(root.join("sub").join("index.html"), "<p>sub</p>\n").unwrap();
    std::fs::write(root.join("com espaço.txt"), "espaço\n").unwrap();
    let binary: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(root.join("dados.bin"), binary).unwrap();
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(dir.0.join("segredo.txt"), root.join("fuga.txt"));
        let _ = std::os::unix::fs::symlink(&dir.0, root.join("pai"));
    }
    (dir, root)
}

/// Sobe o servidor web numa thread, em 127.0.0.1:0, sem log.
pub fn start_web(mode: Mode, root: &std::path::Path, tweak: impl FnOnce(&mut Site)) -> SocketAddr {
    start_web_on("127.0.0.1:0", mode, root, tweak).expect("bind em porta efêmera")
}

/// Como [`start_web`], num endereço escolhido (para IPv6).
pub fn start_web_on(
    addr: &str,
    mode: Mode,
    root: &std::path::Path,
    tweak: impl FnOnce(&mut Site),
) -> std::io::Result<SocketAddr> {
    let mut site = Site::new(root).expect("raiz existe");
    site.log = false;
    tweak(&mut site);
    // O bind acontece aqui, antes de devolver: quando o teste conecta, a
    // fila do listen já existe, então não há o que esperar.
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    thread::spawn(move || match mode {
        Mode::Single => a_single::serve(&listener, &site),
        Mode::Threaded { max_connections } => b_threaded::serve(&listener, site, max_connections),
    });
    Ok(local)
}

/// Uma resposta HTTP lida "na mão", sem usar o parser do projeto.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    /// O valor do campo `name` (sem diferenciar maiúsculas), se houver.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Divide uma resposta crua em status, cabeçalho e corpo.
pub fn split_reply(raw: &[u8]) -> Reply {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "resposta sem fim de cabeçalho: {:?}",
                String::from_utf8_lossy(raw)
            )
        });
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("linha de status inválida: {head}"));
    Reply {
        status,
        head,
        body: raw[end + 4..].to_vec(),
    }
}

/// Conecta, manda `request` e lê até o servidor fechar (prazo de 10 s).
pub fn send_raw(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).expect("conecta");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).expect("envia");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("lê até o fechamento");
    raw
}

/// `GET path` com Host, e a resposta já dividida.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    let request = format!("GET {path} HTTP/1.1\r\nHost: teste\r\n\r\n");
    split_reply(&send_raw(addr, request.as_bytes()))
}

/// Repete `GET path` até vir 200 (no máximo `tries` vezes) e devolve o
/// último status: para esperar um servidor voltar ao normal depois de uma
/// sobrecarga, sem `sleep`.
pub fn status_once_recovered(addr: SocketAddr, path: &str, tries: usize) -> u16 {
    let mut status = 0;
    for _ in 0..tries {
        status = get(addr, path).status;
        if status == 200 {
            break;
        }
    }
    status
}

/// As portas fixas do enunciado (12000, 6789) são do computador inteiro, e
/// os testes deste binário rodam em paralelo: quem as usa de verdade (sem
/// namespace de rede próprio) espera a sua vez nesta trava.
static FIXED_PORTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A vez de usar as portas fixas; solta quando o valor sai de escopo.
pub fn fixed_ports() -> std::sync::MutexGuard<'static, ()> {
    FIXED_PORTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
