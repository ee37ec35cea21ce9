//! Argumentos de linha de comando, escritos à mão (sem crates).
//!
//! Usado por todos os programas de `src/bin/`. As regras são as de sempre:
//! `--flag valor` ou `--flag=valor`, `-h`/`--help` mostra o uso, e qualquer
//! erro de uso vira uma mensagem em português e o código de saída 2.
//!
//! Aqui também mora o que os servidores têm em comum, escrito uma vez: as
//! portas padrão ([`PING_PORT`], [`HEARTBEAT_PORT`], [`WEB_PORT`]), as
//! opções `--host`/`--port` ([`Listen`]) e `--loss`/`--seed`
//! ([`LossFlags`]), e o `bind` seguido do anúncio ([`start_server`]).
//!
//! Este módulo nunca entra em pânico: um argumento que não é UTF-8 válido,
//! um número fora da faixa ou uma flag desconhecida viram [`UsageError`].

use std::ffi::OsString;
use std::fmt;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use crate::output;

/// Código de saída para uso incorreto (flag desconhecida, valor inválido).
pub const EXIT_USAGE: u8 = 2;

/// A porta UDP do ping, a do enunciado (seção 2).
pub const PING_PORT: u16 = 12000;
/// A porta UDP do Heartbeat: a seguinte à do ping, para os dois servidores
/// poderem rodar ao mesmo tempo.
pub const HEARTBEAT_PORT: u16 = 12001;
/// A porta TCP do servidor web, a do enunciado (seção 3).
pub const WEB_PORT: u16 = 6789;
/// A porta do servidor mínimo da aula 3: a seguinte à do servidor web, para
/// os dois poderem rodar ao mesmo tempo e ser comparados.
pub const MINIMAL_WEB_PORT: u16 = 6790;
/// Onde os servidores escutam por padrão: só esta máquina, longe da rede.
pub const SERVER_HOST: &str = "127.0.0.1";
/// Com quem os clientes falam por padrão.
pub const CLIENT_HOST: &str = "localhost";

/// Um erro de uso: a mensagem já vem em português, pronta para o usuário.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::error::Error for UsageError {}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Um item da linha de comando.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// `--porta`, `-h`… (o nome inclui os traços).
    Flag(String),
    /// Qualquer coisa que não começa com `-` (ou vem depois de `--`).
    Positional(String),
}

/// O que `parse` de um programa devolve: rodar com a configuração, ou mostrar a ajuda.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed<T> {
    Run(T),
    Help,
}

/// Leitor de argumentos: entrega flags e posicionais, um de cada vez.
pub struct Args {
    rest: std::vec::IntoIter<OsString>,
    /// O valor de `--flag=valor`, guardado até alguém pedir por ele.
    inline: Option<String>,
    only_positionals: bool,
}

impl Args {
    /// Recebe os argumentos **sem** o nome do programa.
    pub fn new<I: IntoIterator<Item = OsString>>(args: I) -> Args {
        Args {
            rest: args.into_iter().collect::<Vec<_>>().into_iter(),
            inline: None,
            only_positionals: false,
        }
    }

    /// Os argumentos do processo atual (sem o nome do programa).
    fn from_env() -> Args {
        Args::new(std::env::args_os().skip(1))
    }

    /// O próximo item, ou `None` no fim.
    ///
    /// # Erros
    /// Um argumento que não é UTF-8, ou um valor `=` que sobrou da flag anterior.
    pub fn next_arg(&mut self) -> Result<Option<Arg>, UsageError> {
        if let Some(value) = self.inline.take() {
            return Err(UsageError(format!("valor inesperado: `{value}`")));
        }
        let Some(raw) = self.rest.next() else {
            return Ok(None);
        };
        let text = utf8(raw)?;
        if self.only_positionals || !text.starts_with('-') || text == "-" {
            return Ok(Some(Arg::Positional(text)));
        }
        if text == "--" {
            self.only_positionals = true;
            return self.next_arg();
        }
        match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                self.inline = Some(value.to_string());
                Ok(Some(Arg::Flag(flag.to_string())))
            }
            _ => Ok(Some(Arg::Flag(text))),
        }
    }

    /// O valor da flag que acabou de ser lida (`--porta 80` ou `--porta=80`).
    pub fn value(&mut self, flag: &str) -> Result<String, UsageError> {
        if let Some(value) = self.inline.take() {
            return Ok(value);
        }
        match self.rest.next() {
            Some(raw) => utf8(raw),
            None => Err(UsageError(format!("{flag} precisa de um valor"))),
        }
    }

    /// O valor da flag, convertido com `FromStr` (números, endereços…).
    pub fn parsed<T: FromStr>(&mut self, flag: &str) -> Result<T, UsageError> {
        let text = self.value(flag)?;
        parse_value(flag, &text)
    }

    /// Para flags sem valor (`--single`): recusa `--single=algo`.
    pub fn no_value(&mut self, flag: &str) -> Result<(), UsageError> {
        match self.inline.take() {
            Some(_) => Err(UsageError(format!("{flag} não aceita valor"))),
            None => Ok(()),
        }
    }
}

fn utf8(raw: OsString) -> Result<String, UsageError> {
    raw.into_string()
        .map_err(|raw| UsageError(format!("argumento não é UTF-8 válido: {raw:?}")))
}

/// Converte o texto de uma flag, com uma mensagem que diz qual flag falhou.
fn parse_value<T: FromStr>(flag: &str, text: &str) -> Result<T, UsageError> {
    text.trim()
        .parse()
        .map_err(|_| UsageError(format!("valor inválido para {flag}: `{text}`")))
}

/// Um número com casas decimais. Aceita o ponto (`0.3`, como no Python) e
/// também a vírgula brasileira (`0,3`): quem digita `--loss 0,3` quis dizer
/// 0,3, e recusar isso só atrapalha. Os programas **escrevem** com ponto.
/// Separador de milhar não existe aqui: `1.000,5` é recusado.
fn parse_decimal(flag: &str, text: &str) -> Result<f64, UsageError> {
    let trimmed = text.trim();
    let normalized = match (trimmed.contains(','), trimmed.contains('.')) {
        (true, false) if trimmed.matches(',').count() == 1 => trimmed.replace(',', "."),
        (true, _) => String::new(), // "1.000,5", "1,2,3": ambíguo, recusado
        (false, _) => trimmed.to_string(),
    };
    // `f64::from_str` aceita "inf" e "NaN"; aqui só dígitos, sinal e ponto.
    let plain = normalized
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    match normalized.parse::<f64>() {
        Ok(value) if plain && value.is_finite() => Ok(value),
        _ => Err(UsageError(format!(
            "valor inválido para {flag}: `{text}` (esperava um número, ex.: 0.5 ou 0,5)"
        ))),
    }
}

/// Uma fração entre 0 e 1, inclusive (`--loss 0.3` ou `--loss 0,3`).
pub fn parse_fraction(flag: &str, text: &str) -> Result<f64, UsageError> {
    let value = parse_decimal(flag, text)?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(UsageError(format!(
            "{flag} deve ser um número de 0 a 1, ex.: 0.3 para 30% (recebido `{text}`)"
        )))
    }
}

/// O maior prazo aceito, em segundos: um dia.
const MAX_SECONDS: f64 = 86_400.0;

/// Segundos, com frações, maiores que zero e no máximo um dia (`--timeout 0.5`).
pub fn parse_seconds(flag: &str, text: &str) -> Result<Duration, UsageError> {
    let value = parse_decimal(flag, text)?;
    match Duration::try_from_secs_f64(value) {
        Ok(d) if !d.is_zero() && value <= MAX_SECONDS => Ok(d),
        _ => Err(UsageError(format!(
            "{flag} deve ser um número de segundos maior que 0 e no máximo 86400, ex.: 0.5 (recebido `{text}`)"
        ))),
    }
}

/// A porta de um servidor **remoto** (clientes): de 1 a 65535. A porta 0
/// não existe na rede; num `bind` ela quer dizer "qualquer uma", e isso só
/// faz sentido para quem escuta (veja [`parse_listen_port`]).
pub fn parse_port(flag: &str, text: &str) -> Result<u16, UsageError> {
    match text.trim().parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(UsageError(format!(
            "{flag} deve ser um número de 1 a 65535 (recebido `{text}`)"
        ))),
    }
}

/// A porta onde um servidor escuta: de 0 a 65535, e 0 pede ao sistema uma
/// porta livre (o servidor anuncia qual ganhou).
pub fn parse_listen_port(flag: &str, text: &str) -> Result<u16, UsageError> {
    text.trim().parse::<u16>().map_err(|_| {
        UsageError(format!(
            "{flag} deve ser um número de 0 a 65535; 0 = o sistema escolhe uma porta livre (recebido `{text}`)"
        ))
    })
}

/// Um inteiro dentro de `min..=max`, com a faixa de verdade na mensagem.
pub fn parse_int_in<T>(flag: &str, text: &str, min: T, max: T) -> Result<T, UsageError>
where
    T: FromStr + PartialOrd + fmt::Display + Copy + Bounded,
{
    let range = if max == T::MAX {
        format!("um número inteiro a partir de {min}")
    } else {
        format!("um número inteiro de {min} a {max}")
    };
    match text.trim().parse::<T>() {
        Ok(value) if value >= min && value <= max => Ok(value),
        _ => Err(UsageError(format!(
            "{flag} deve ser {range} (recebido `{text}`)"
        ))),
    }
}

/// Os tipos inteiros que [`parse_int_in`] aceita (o maior valor de cada um).
pub trait Bounded {
    const MAX: Self;
}

impl Bounded for u32 {
    const MAX: u32 = u32::MAX;
}

impl Bounded for u64 {
    const MAX: u64 = u64::MAX;
}

impl Bounded for usize {
    const MAX: usize = usize::MAX;
}

/// O erro de "flag desconhecida", com a mesma frase em todos os programas.
pub fn unknown(arg: Arg) -> UsageError {
    match arg {
        Arg::Flag(flag) => UsageError(format!("opção desconhecida: {flag}")),
        Arg::Positional(p) => UsageError(format!("argumento inesperado: `{p}`")),
    }
}

/// O `main` de todos os programas: analisa, roda, e transforma erros de uso
/// em mensagem + código 2. `--help` imprime o uso na saída padrão e sai com 0.
pub fn run_main<T>(
    usage: &str,
    parse: impl FnOnce(Args) -> Result<Parsed<T>, UsageError>,
    run: impl FnOnce(T) -> ExitCode,
) -> ExitCode {
    match parse(Args::from_env()) {
        Ok(Parsed::Run(config)) => run(config),
        Ok(Parsed::Help) => {
            // Ignoramos erro de escrita: `programa --help | head` não deve entrar em pânico.
            let _ = std::io::stdout().write_all(usage.as_bytes());
            ExitCode::SUCCESS
        }
        Err(err) => {
            output::line(&format!("erro: {err}\n\n{usage}"));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `--host` e `--port` de um servidor: onde ele escuta.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    pub host: String,
    pub port: u16,
}

impl Listen {
    /// As opções que [`Listen::read`] entende.
    pub const FLAGS: [&'static str; 2] = ["--host", "--port"];

    /// [`SERVER_HOST`] na porta `port`.
    pub fn new(port: u16) -> Listen {
        Listen {
            host: SERVER_HOST.to_string(),
            port,
        }
    }

    /// Lê o valor de `flag`, uma de [`Listen::FLAGS`].
    pub fn read(&mut self, flag: &str, args: &mut Args) -> Result<(), UsageError> {
        match flag {
            "--host" => self.host = args.value(flag)?,
            "--port" => self.port = parse_listen_port(flag, &args.value(flag)?)?,
            other => return Err(unknown(Arg::Flag(other.to_string()))),
        }
        Ok(())
    }
}

/// `--loss` e `--seed` dos servidores UDP: a perda simulada e a semente do sorteio.
#[derive(Debug, Clone, PartialEq)]
pub struct LossFlags {
    /// A fração de datagramas descartados, de 0 a 1.
    pub rate: f64,
    pub seed: Option<u64>,
}

impl LossFlags {
    /// As opções que [`LossFlags::read`] entende.
    pub const FLAGS: [&'static str; 2] = ["--loss", "--seed"];

    /// Perda `rate`, semente sorteada.
    pub fn new(rate: f64) -> LossFlags {
        LossFlags { rate, seed: None }
    }

    /// Lê o valor de `flag`, uma de [`LossFlags::FLAGS`].
    pub fn read(&mut self, flag: &str, args: &mut Args) -> Result<(), UsageError> {
        match flag {
            "--loss" => self.rate = parse_fraction(flag, &args.value(flag)?)?,
            "--seed" => self.seed = Some(parse_int_in(flag, &args.value(flag)?, 0, u64::MAX)?),
            other => return Err(unknown(Arg::Flag(other.to_string()))),
        }
        Ok(())
    }
}

/// As opções que os servidores UDP (`ping-server`, `heartbeat-server` e
/// os dois comandos do `pratica`) têm em comum: onde escutar e a perda.
#[derive(Debug, Clone, PartialEq)]
pub struct UdpServerFlags {
    pub listen: Listen,
    pub loss: LossFlags,
}

impl UdpServerFlags {
    /// [`SERVER_HOST`] na porta `port`, perda `loss`, semente sorteada.
    pub fn new(port: u16, loss: f64) -> UdpServerFlags {
        UdpServerFlags {
            listen: Listen::new(port),
            loss: LossFlags::new(loss),
        }
    }

    /// Lê `arg` se for uma destas opções; senão, devolve-o para quem chamou.
    pub fn read(&mut self, arg: Arg, args: &mut Args) -> Result<Option<Arg>, UsageError> {
        match arg {
            Arg::Flag(f) if Listen::FLAGS.contains(&f.as_str()) => self.listen.read(&f, args)?,
            Arg::Flag(f) if LossFlags::FLAGS.contains(&f.as_str()) => self.loss.read(&f, args)?,
            other => return Ok(Some(other)),
        }
        Ok(None)
    }
}

/// Um socket de servidor que sabe em que endereço ficou (UDP ou TCP).
pub trait Bound {
    fn local_addr(&self) -> io::Result<SocketAddr>;
}

impl Bound for UdpSocket {
    fn local_addr(&self) -> io::Result<SocketAddr> {
        UdpSocket::local_addr(self)
    }
}

impl Bound for TcpListener {
    fn local_addr(&self) -> io::Result<SocketAddr> {
        TcpListener::local_addr(self)
    }
}

/// Associa o socket de um servidor com `bind(host, porta)` e devolve-o com
/// o endereço que ele ganhou (com `--port 0`, a porta que o sistema
/// escolheu). Se não der, explica em stderr, com a dica da porta ocupada, e
/// devolve `None`: o programa termina com código 1.
pub fn bind_or_explain<S: Bound>(
    program: &str,
    listen: &Listen,
    bind: impl FnOnce(&str, u16) -> io::Result<S>,
) -> Option<(S, SocketAddr)> {
    let bound = bind(&listen.host, listen.port).and_then(|socket| {
        let addr = socket.local_addr()?;
        Ok((socket, addr))
    });
    match bound {
        Ok(bound) => Some(bound),
        Err(err) => {
            report_bind_error(program, &listen.host, listen.port, &err);
            None
        }
    }
}

/// [`bind_or_explain`] e o anúncio: a linha `programa: startup(endereço)` em
/// stderr (quem testa e quem usa `--port 0` lê a porta dela) e, em
/// `0.0.0.0`/`::`, a nota de qual endereço abrir.
pub fn start_server<S: Bound>(
    program: &str,
    listen: &Listen,
    bind: impl FnOnce(&str, u16) -> io::Result<S>,
    startup: impl FnOnce(SocketAddr) -> String,
) -> Option<S> {
    let (socket, addr) = bind_or_explain(program, listen, bind)?;
    output::line(&format!("{program}: {}", startup(addr)));
    if let Some(note) = all_interfaces_note(program, addr) {
        output::line(&note);
    }
    Some(socket)
}

/// A mensagem de "o `bind` falhou", igual em todos os servidores, com uma
/// dica quando a porta já está ocupada. Diz "associar o socket" e não
/// "escutar": escutar (`listen`) é coisa de TCP, e os servidores UDP também
/// passam por aqui.
pub fn report_bind_error(program: &str, host: &str, port: u16, err: &std::io::Error) {
    output::line(&bind_error_message(program, host, port, err, frontend()));
}

/// Por onde o usuário chamou o programa. O `Makefile` exporta
/// `PRATICA_FRONTEND=make`: lá a porta se escolhe com `PORT=`, não `--port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frontend {
    Make,
    Direct,
}

/// Lê `PRATICA_FRONTEND` (qualquer valor que não seja `make` é [`Frontend::Direct`]).
fn frontend() -> Frontend {
    match std::env::var("PRATICA_FRONTEND") {
        Ok(v) if v == "make" => Frontend::Make,
        _ => Frontend::Direct,
    }
}

/// A linha que um servidor em `0.0.0.0` ou `::` (todas as interfaces)
/// escreve depois do anúncio: esse endereço não se abre num navegador nem se
/// passa a um cliente; nesta máquina vale `127.0.0.1`/`[::1]`, e de outra
/// máquina, o IP desta. `None` para um endereço comum.
pub fn all_interfaces_note(program: &str, addr: std::net::SocketAddr) -> Option<String> {
    let here = crate::net::loopback_for(addr)?;
    Some(format!(
        "{program}: {} é \"todas as interfaces\": nesta máquina use {here}; de outra máquina, use o IP desta (ipconfig no Windows, ifconfig no macOS, ip addr no Linux) e a porta {}",
        addr.ip(),
        addr.port()
    ))
}

/// O texto de [`report_bind_error`], separado para ser testado.
fn bind_error_message(
    program: &str,
    host: &str,
    port: u16,
    err: &std::io::Error,
    frontend: Frontend,
) -> String {
    let hint = if err.kind() == std::io::ErrorKind::AddrInUse {
        let other = port.checked_add(1).unwrap_or(port - 1);
        let how = match frontend {
            Frontend::Make => format!("PORT={other}"),
            Frontend::Direct => format!("--port {other}"),
        };
        format!(
            "; a porta {port} já está em uso (outro servidor rodando?): escolha outra, ex.: {how}"
        )
    } else {
        String::new()
    };
    format!(
        "{program}: não foi possível associar o socket a {} (bind): {}{hint}",
        crate::net::host_port(host, port),
        crate::net::pt_br(err)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        Args::new(list.iter().map(OsString::from))
    }

    #[test]
    fn reads_flags_with_separate_and_inline_values() {
        let mut a = args(&["--port", "80", "--host=::1", "arquivo"]);
        assert_eq!(a.next_arg(), Ok(Some(Arg::Flag("--port".into()))));
        assert_eq!(a.parsed::<u16>("--port"), Ok(80));
        assert_eq!(a.next_arg(), Ok(Some(Arg::Flag("--host".into()))));
        assert_eq!(a.value("--host"), Ok("::1".into()));
        assert_eq!(a.next_arg(), Ok(Some(Arg::Positional("arquivo".into()))));
        assert_eq!(a.next_arg(), Ok(None));
    }

    #[test]
    fn rejects_missing_value_and_value_on_boolean_flag() {
        let mut a = args(&["--port"]);
        a.next_arg().unwrap();
        assert!(a.value("--port").is_err());
        let mut b = args(&["--single=sim"]);
        b.next_arg().unwrap();
        assert!(b.no_value("--single").is_err());
    }

    #[test]
    fn validates_fractions_seconds_and_ports() {
        assert_eq!(parse_fraction("--loss", "0.3"), Ok(0.3));
        assert_eq!(
            parse_fraction("--loss", "0,3"),
            Ok(0.3),
            "vírgula brasileira"
        );
        assert!(parse_fraction("--loss", "1.000,5").is_err());
        assert!(parse_fraction("--loss", "0,3,1").is_err());
        assert!(parse_fraction("--loss", "1.5").is_err());
        assert!(parse_fraction("--loss", "NaN").is_err());
        assert_eq!(
            parse_seconds("--timeout", "0.25"),
            Ok(Duration::from_millis(250))
        );
        assert!(parse_seconds("--timeout", "0").is_err());
        assert!(parse_seconds("--timeout", "-1").is_err());
        assert!(parse_seconds("--timeout", "inf").is_err());
        assert!(parse_port("--port", "abc").is_err());
        assert!(parse_port("--port", "65536").is_err());
        assert!(
            parse_port("--port", "0").is_err(),
            "cliente: não existe porta 0"
        );
        assert_eq!(parse_listen_port("--port", "0"), Ok(0));
        assert_eq!(
            parse_seconds("--timeout", "0,25"),
            Ok(Duration::from_millis(250))
        );
    }

    #[test]
    fn messages_state_the_real_valid_range() {
        let msg = |r: Result<Duration, UsageError>| r.unwrap_err().0;
        assert!(msg(parse_seconds("--timeout", "0")).contains("maior que 0 e no máximo 86400"));
        let port = parse_port("--port", "70000").unwrap_err().0;
        assert!(port.contains("de 1 a 65535"), "{port}");
        let listen = parse_listen_port("--port", "70000").unwrap_err().0;
        assert!(listen.contains("de 0 a 65535"), "{listen}");
        let count = parse_int_in::<u32>("--count", "0", 1, u32::MAX)
            .unwrap_err()
            .0;
        assert_eq!(
            count,
            "--count deve ser um número inteiro a partir de 1 (recebido `0`)"
        );
        let loss = parse_fraction("--loss", "abc").unwrap_err().0;
        assert!(loss.contains("ex.: 0.5 ou 0,5"), "{loss}");
    }

    #[test]
    fn server_flags_are_read_once_for_every_server() {
        let mut listen = Listen::new(WEB_PORT);
        let mut loss = LossFlags::new(0.3);
        let mut a = args(&["--host", "::1", "--port=0", "--loss", "0,5", "--seed", "7"]);
        while let Some(Arg::Flag(f)) = a.next_arg().unwrap() {
            if Listen::FLAGS.contains(&f.as_str()) {
                listen.read(&f, &mut a).unwrap();
            } else {
                loss.read(&f, &mut a).unwrap();
            }
        }
        assert_eq!(
            listen,
            Listen {
                host: "::1".into(),
                port: 0
            }
        );
        assert_eq!(
            loss,
            LossFlags {
                rate: 0.5,
                seed: Some(7)
            }
        );
        let mut b = args(&["70000"]);
        assert!(listen.read("--port", &mut b).is_err());
        assert!(loss.read("--nada", &mut args(&["1"])).is_err());
    }

    #[test]
    fn a_bound_server_knows_the_port_the_system_chose() {
        let listen = Listen::new(0);
        let (socket, addr) =
            bind_or_explain("teste", &listen, |h, p| UdpSocket::bind((h, p))).unwrap();
        assert_eq!(socket.local_addr().unwrap(), addr);
        assert_ne!(addr.port(), 0, "o sistema escolheu uma porta");
    }

    #[test]
    fn all_interfaces_banner_names_an_address_that_opens() {
        let v4 = all_interfaces_note("web-server", "0.0.0.0:6789".parse().unwrap()).unwrap();
        assert!(v4.contains("nesta máquina use 127.0.0.1:6789"), "{v4}");
        assert!(v4.contains("IP desta"), "{v4}");
        let v6 = all_interfaces_note("ping-server", "[::]:12000".parse().unwrap()).unwrap();
        assert!(v6.contains("nesta máquina use [::1]:12000"), "{v6}");
        assert_eq!(
            all_interfaces_note("x", "127.0.0.1:1".parse().unwrap()),
            None
        );
    }

    #[test]
    fn port_in_use_hint_names_what_the_user_typed() {
        let err = std::io::Error::from(std::io::ErrorKind::AddrInUse);
        let direct = bind_error_message("ping-server", "127.0.0.1", 12000, &err, Frontend::Direct);
        assert!(
            direct.starts_with(
                "ping-server: não foi possível associar o socket a 127.0.0.1:12000 (bind): endereço já em uso ("
            ),
            "{direct}"
        );
        assert!(
            direct.ends_with("escolha outra, ex.: --port 12001"),
            "{direct}"
        );
        let make = bind_error_message("web-server", "::1", 65535, &err, Frontend::Make);
        assert!(make.contains("a [::1]:65535 (bind):"), "{make}");
        assert!(make.ends_with("ex.: PORT=65534"), "{make}");
        let other = std::io::Error::from(std::io::ErrorKind::AddrNotAvailable);
        let text = bind_error_message("web-server", "10.9.9.9", 80, &other, Frontend::Make);
        assert!(!text.contains("PORT"), "{text}");
    }
}
