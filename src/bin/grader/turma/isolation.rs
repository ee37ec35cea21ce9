//! Isolamento de cada aluno: namespaces (`unshare`), `setpriv` e o comando do corretor individual.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Context, single_args};

/// Como cada aluno é separado dos outros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Isolation {
    /// Namespaces de rede e de processos (`unshare`); `map_root` quando
    /// não somos root e precisamos de um namespace de usuário também.
    Namespaces { map_root: bool, ip: PathBuf },
    /// Nenhum: um aluno por vez, com o motivo.
    Off(String),
}

impl Isolation {
    pub(super) fn is_namespace(&self) -> bool {
        matches!(self, Isolation::Namespaces { .. })
    }

    /// O valor da coluna `isolamento` da planilha.
    pub(super) fn label(&self) -> &'static str {
        match self {
            Isolation::Namespaces { .. } => "namespace",
            Isolation::Off(_) => "nenhum",
        }
    }

    /// As opções do `unshare` (as mesmas na sondagem e nos alunos).
    fn unshare_args(map_root: bool) -> Vec<&'static str> {
        // --kill-child: se o lote matar o `unshare` (tempo esgotado), o
        // kernel mata o primeiro processo do namespace, e com ele todos.
        let mut args = vec!["--net", "--pid", "--fork", "--kill-child"];
        if map_root {
            args.push("--map-root-user");
        }
        args
    }
}

/// O processo 1 de cada namespace de aluno: liga o loopback (`$1` é o
/// caminho do `ip`), roda o corretor (o resto) e sai com o código dele.
const NAMESPACE_INIT: &str = "\
trap 'exit 130' INT TERM HUP
ip=$1; shift
\"$ip\" link set lo up || exit 3
\"$@\" &
wait $!";

/// Descobre se dá para dar a cada aluno um namespace de rede próprio:
/// tenta de verdade (`unshare` + ligar o loopback), primeiro sem namespace
/// de usuário (root) e depois com ele.
pub(super) fn detect_isolation() -> Isolation {
    if !cfg!(target_os = "linux") {
        return Isolation::Off("namespaces de rede só existem no Linux".into());
    }
    let Some(ip) = find_program("ip") else {
        return Isolation::Off(
            "o comando ip (pacote iproute2) não foi encontrado para ligar o loopback".into(),
        );
    };
    let mut why = String::new();
    for map_root in [false, true] {
        let probe = Command::new("unshare")
            .args(Isolation::unshare_args(map_root))
            .arg(&ip)
            .args(["link", "set", "lo", "up"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        match probe {
            Ok(out) if out.status.success() => return Isolation::Namespaces { map_root, ip },
            Ok(out) => {
                why = String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
            }
            Err(_) => {
                return Isolation::Off(
                    "o comando unshare (pacote util-linux) não foi encontrado".into(),
                );
            }
        }
    }
    Isolation::Off(format!(
        "o unshare não conseguiu criar um namespace de rede ({why}); rode como root ou libere namespaces de usuário"
    ))
}

/// O caminho de um programa: no PATH, ou nas pastas de administração
/// (`/usr/sbin` costuma ficar fora do PATH de quem não é root).
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// O `setpriv` (util-linux), se ele existe e aceita `--pdeathsig`.
///
/// Sem `unsafe`, o lote não trata sinais nem chama `prctl`; quem pede ao
/// kernel "mate-me quando meu pai morrer" é o `setpriv`, antes do `exec`.
/// Assim, um lote morto (SIGKILL, ou SIGTERM só nele) leva junto o corretor
/// de cada aluno, e com ele o namespace inteiro (`--kill-child`).
pub(super) fn detect_setpriv() -> Option<PathBuf> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let setpriv = find_program("setpriv")?;
    Command::new(&setpriv)
        .args(["--pdeathsig", "KILL", "true"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()
        .filter(|s| s.success())
        .map(|_| setpriv)
}

/// O corretor individual de um aluno, dentro dos namespaces se houver.
pub(super) fn student_command(context: &Context, summary: &Path) -> Command {
    let args = single_args(&context.batch, summary);
    match &context.isolation {
        Isolation::Namespaces { map_root, ip } => {
            // Dentro do namespace novo só há o loopback, desligado: o `sh`
            // liga, e fica como processo 1 enquanto o corretor roda. Quando
            // o processo 1 sai, o kernel mata o namespace inteiro. O `trap`
            // existe por causa do Ctrl-C: o `unshare` o bloqueia, e o
            // processo 1 de um namespace ignora sinais de fora para os quais
            // não tem tratador; com o `trap`, o Ctrl-C (que chega a todo o
            // grupo de processos do lote) derruba o namespace na hora.
            let mut c = match &context.setpriv {
                Some(setpriv) => {
                    let mut c = Command::new(setpriv);
                    c.args(["--pdeathsig", "KILL", "unshare"]);
                    c
                }
                None => Command::new("unshare"),
            };
            c.args(Isolation::unshare_args(*map_root))
                .args(["sh", "-c", NAMESPACE_INIT, "sh"])
                .arg(ip)
                .arg(&context.exe)
                .args(args);
            c
        }
        Isolation::Off(_) => {
            // Sem namespace, o `setpriv` só leva junto o corretor do aluno:
            // o programa do aluno, filho dele, sobrevive a um lote morto.
            let mut c = match &context.setpriv {
                Some(setpriv) => {
                    let mut c = Command::new(setpriv);
                    c.args(["--pdeathsig", "KILL"]).arg(&context.exe);
                    c
                }
                None => Command::new(&context.exe),
            };
            c.args(args);
            // Sem namespace, um grupo de processos por aluno: no fim, o
            // grupo inteiro é morto, e o servidor de um aluno que estourou o
            // tempo (ou o neto que ele deixou) não segura a porta do próximo.
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                c.process_group(0);
            }
            c
        }
    }
}

/// Vale esperar o TIME_WAIT da porta `port` e rodar o aluno de novo?
///
/// Sem isolamento, as conexões que o servidor do aluno anterior fechou
/// primeiro ficam em TIME_WAIT na porta por até 1 minuto, e no Linux o
/// `bind` do seguinte falha se um dos dois servidores não usa
/// `SO_REUSEADDR`. O Linux mostra essas conexões em `/proc/net/tcp`: só
/// esperamos se elas existem (senão, a porta está ocupada por outro motivo).
/// No macOS, sem como ver, esperamos; no Windows, o TIME_WAIT em geral não
/// impede o `bind` (aula 3), então não.
pub(super) fn worth_waiting(port: u16) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/net/tcp").exists() {
        time_wait_on_port(port)
    } else {
        cfg!(unix)
    }
}

/// Espera a porta `port` ficar sem conexões em TIME_WAIT (no Linux,
/// olhando `/proc/net/tcp`, até 70 s; nos outros sistemas, 60 s fixos), e
/// devolve quanto esperou.
pub(super) fn wait_time_wait(port: u16) -> Duration {
    let start = Instant::now();
    if cfg!(target_os = "linux") && Path::new("/proc/net/tcp").exists() {
        while start.elapsed() < Duration::from_secs(70) && time_wait_on_port(port) {
            std::thread::sleep(Duration::from_millis(500));
        }
    } else {
        std::thread::sleep(Duration::from_secs(60));
    }
    start.elapsed()
}
fn time_wait_on_port(port: u16) -> bool {
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .any(|table| std::fs::read_to_string(table).is_ok_and(|text| time_wait_in(&text, port)))
}

/// Uma tabela de `/proc/net/tcp` tem conexão em TIME_WAIT (estado `06`)
/// com porta local `port`? Cada linha: `n: ENDEREÇO:PORTA ENDEREÇO:PORTA
/// ESTADO …`, em hexadecimal.
pub(super) fn time_wait_in(table: &str, port: u16) -> bool {
    table.lines().skip(1).any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let local_port = fields
            .get(1)
            .and_then(|local| local.rsplit_once(':'))
            .and_then(|(_, p)| u16::from_str_radix(p, 16).ok());
        local_port == Some(port) && fields.get(3) == Some(&"06")
    })
}
