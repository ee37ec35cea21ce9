//! O que as duas seções fazem com sockets e com os erros deles, num lugar só.
//!
//! - [`classify`]: o que um erro de `recv`/`send` num socket UDP quer dizer
//!   (prazo vencido, sinal, "porta inalcançável", outro), e
//!   [`classify_stream`], o mesmo para `read`/`write` numa conexão TCP, com o
//!   motivo de cada sistema escrito uma vez;
//! - [`resolve`] / [`resolve_all`]: nome → endereços, preferindo IPv4;
//! - [`unspecified_for`]: "qualquer endereço desta máquina, porta livre", da
//!   mesma família (IPv4/IPv6) que o outro lado;
//! - [`host_port`]: `host:porta`, com `[ ]` em volta de um IPv6;
//! - [`pt_br`]: o erro do sistema em português, com o original entre parênteses;
//! - [`printable`]: bytes vindos da rede, seguros para o terminal e o log.
//!
//! Invariante: nada aqui abre sockets nem lê o relógio, exceto a resolução
//! de nomes (que pode consultar o DNS); tudo se testa com erros construídos.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

/// O que fazer com um erro de E/S num socket UDP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketError {
    /// Um sinal interrompeu a chamada antes de chegar qualquer byte
    /// (`EINTR`): nada aconteceu, é só chamar de novo.
    Interrupted,
    /// O prazo de `set_read_timeout`/`set_write_timeout` venceu.
    TimedOut,
    /// O ICMP "porta inalcançável" que um datagrama **anterior** provocou:
    /// nenhum socket está associado àquela porta.
    PortUnreachable,
    /// Qualquer outro erro: quem chamou decide.
    Other,
}

/// Classifica um erro de um socket UDP, o único lugar que conhece os nomes
/// de cada sistema: o prazo vencido é `WouldBlock` no Linux e no macOS e
/// `TimedOut` no Windows; o ICMP "porta inalcançável" é `ConnectionRefused`
/// num e `ConnectionReset` (10054) no outro.
pub fn classify(err: &io::Error) -> SocketError {
    match err.kind() {
        io::ErrorKind::Interrupted => SocketError::Interrupted,
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => SocketError::TimedOut,
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionReset => {
            SocketError::PortUnreachable
        }
        _ => SocketError::Other,
    }
}

/// O que fazer com um erro de `read`/`write` numa conexão TCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamError {
    /// Um sinal interrompeu a chamada (`EINTR`): é só chamar de novo.
    Interrupted,
    /// O prazo de `set_read_timeout`/`set_write_timeout` venceu.
    TimedOut,
    /// O outro lado respondeu com RST: recusou a conexão (`ECONNREFUSED`)
    /// ou a derrubou no meio (`ECONNRESET`, `ECONNABORTED`). Em TCP não há
    /// "porta inalcançável": a conexão simplesmente acabou.
    Reset,
    /// Qualquer outro erro: quem chamou decide.
    Other,
}

/// Classifica um erro de uma conexão TCP; o prazo vencido tem os mesmos
/// dois nomes que em [`classify`] (`WouldBlock` no Linux e no macOS,
/// `TimedOut` no Windows).
pub fn classify_stream(err: &io::Error) -> StreamError {
    match err.kind() {
        io::ErrorKind::Interrupted => StreamError::Interrupted,
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => StreamError::TimedOut,
        io::ErrorKind::ConnectionRefused
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted => StreamError::Reset,
        _ => StreamError::Other,
    }
}

/// Um datagrama maior que o buffer do `recv_from`, que só o Windows relata
/// como erro (`WSAEMSGSIZE`, 10040), sem dizer quem mandou: quem recebe
/// registra e segue, porque o socket não está quebrado.
pub fn datagram_too_big(err: &io::Error) -> bool {
    too_big_with(err, MESSAGE_TOO_BIG)
}

/// [`datagram_too_big`] com o número do erro como parâmetro, para que o
/// caso do Windows se teste em qualquer sistema.
fn too_big_with(err: &io::Error, code: Option<i32>) -> bool {
    code.is_some() && err.raw_os_error() == code
}

/// `WSAEMSGSIZE` no Windows.
#[cfg(windows)]
const MESSAGE_TOO_BIG: Option<i32> = Some(10040);
/// Nos outros sistemas, o datagrama grande é cortado sem erro.
#[cfg(not(windows))]
const MESSAGE_TOO_BIG: Option<i32> = None;

/// O texto de [`pt_br`] para [`datagram_too_big`].
const TOO_BIG_PT_BR: &str = "datagrama maior que o buffer (cortado pelo Windows)";

/// Falta de descritores de arquivo ou de memória do kernel: um erro que só
/// passa se o laço de `accept` esperar um pouco. Os números não são
/// portáveis, por isso a tabela depende do sistema.
pub fn resources_exhausted(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::OutOfMemory
        || err
            .raw_os_error()
            .is_some_and(|code| EXHAUSTED.contains(&code))
}

/// `ENFILE`, `EMFILE`, `ENOBUFS`, `ENOMEM` no Linux.
#[cfg(target_os = "linux")]
const EXHAUSTED: &[i32] = &[23, 24, 105, 12];
/// `ENFILE`, `EMFILE`, `ENOBUFS`, `ENOMEM` no macOS e nos BSDs.
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
const EXHAUSTED: &[i32] = &[23, 24, 55, 12];
/// `WSAEMFILE`, `WSAENOBUFS` no Windows.
#[cfg(windows)]
const EXHAUSTED: &[i32] = &[10024, 10055];
/// Sistemas que não verificamos: só o `ErrorKind::OutOfMemory` vale.
#[cfg(not(any(
    target_os = "linux",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly",
    windows
)))]
const EXHAUSTED: &[i32] = &[];

/// Resolve `host` (nome, IPv4, IPv6 com ou sem `[ ]`) e devolve os
/// endereços com os IPv4 primeiro, na ordem em que vieram: `localhost` é
/// `::1` e `127.0.0.1`, e os servidores escutam, por padrão, só em IPv4.
///
/// # Erros
/// Nome que não resolve, ou que resolve para nenhum endereço.
pub fn resolve_all(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let mut addrs: Vec<SocketAddr> = (bare, port).to_socket_addrs()?.collect();
    // `sort_by_key` é estável: dentro de cada família, a ordem do sistema fica.
    addrs.sort_by_key(|a| !a.is_ipv4());
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "o nome não tem nenhum endereço",
        ));
    }
    Ok(addrs)
}

/// O primeiro endereço de [`resolve_all`]: IPv4 se houver.
///
/// # Erros
/// Os de [`resolve_all`].
pub fn resolve(host: &str, port: u16) -> io::Result<SocketAddr> {
    resolve_all(host, port).map(|addrs| addrs[0])
}

/// "Qualquer endereço desta máquina, porta 0", da mesma família de `peer`:
/// `0.0.0.0:0` para falar com um IPv4, `[::]:0` para um IPv6. Um socket IPv4
/// não manda datagramas para um endereço IPv6, nem o contrário. Com a porta
/// 0, o `bind` pede ao kernel uma porta livre (a porta *efêmera*).
pub fn unspecified_for(peer: SocketAddr) -> SocketAddr {
    match peer {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    }
}

/// Para um servidor que escuta em `0.0.0.0`/`::` (todas as interfaces), o
/// endereço que o usuário pode abrir **nesta** máquina: `127.0.0.1`/`[::1]`
/// na mesma porta. `None` se `addr` já é um endereço de verdade.
pub fn loopback_for(addr: SocketAddr) -> Option<SocketAddr> {
    if !addr.ip().is_unspecified() {
        return None;
    }
    Some(match addr {
        SocketAddr::V4(_) => (Ipv4Addr::LOCALHOST, addr.port()).into(),
        SocketAddr::V6(_) => (Ipv6Addr::LOCALHOST, addr.port()).into(),
    })
}

/// `host:porta`, com `[ ]` em volta de um IPv6 literal (com ou sem eles na
/// entrada): `[::1]:80`, `127.0.0.1:80`, `exemplo.com:8080`. É também o valor
/// do cabeçalho `Host` (RFC 9110 §7.2, RFC 3986 §3.2.2).
pub fn host_port(host: &str, port: u16) -> String {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.contains(':') {
        format!("[{bare}]:{port}")
    } else {
        format!("{bare}:{port}")
    }
}

/// Um erro do sistema em português, com o texto original entre parênteses:
/// `endereço já em uso (Address already in use (os error 98))`.
///
/// Só os erros que vêm do sistema (ou de um `ErrorKind` puro) são
/// traduzidos; um erro com mensagem própria (as nossas já são em português)
/// aparece como está. Use com `{}`: `eprintln!("…: {}", pt_br(&err))`.
pub fn pt_br(err: &io::Error) -> PtBr<'_> {
    PtBr(err)
}

/// Veja [`pt_br`].
pub struct PtBr<'a>(&'a io::Error);

impl fmt::Display for PtBr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let err = self.0;
        let from_system = err.get_ref().is_none();
        // A falha do getaddrinfo vem como mensagem, não como errno.
        let lookup = err
            .get_ref()
            .is_some_and(|inner| inner.to_string().starts_with("failed to lookup address"));
        let text = if lookup {
            Some("nome não encontrado")
        } else if datagram_too_big(err) {
            Some(TOO_BIG_PT_BR)
        } else if from_system {
            kind_pt_br(err.kind())
        } else {
            None
        };
        match text {
            Some(text) => write!(f, "{text} ({err})"),
            None => write!(f, "{err}"),
        }
    }
}

/// Os tipos de erro que um estudante encontra de verdade nestes programas.
fn kind_pt_br(kind: io::ErrorKind) -> Option<&'static str> {
    use io::ErrorKind as K;
    Some(match kind {
        K::AddrInUse => "endereço já em uso",
        K::AddrNotAvailable => "endereço não disponível nesta máquina",
        K::ConnectionRefused => "conexão recusada: ninguém escuta nessa porta",
        K::ConnectionReset => "conexão derrubada pelo outro lado",
        K::ConnectionAborted => "conexão abortada",
        K::NotConnected => "socket não conectado",
        K::BrokenPipe => "o outro lado já fechou (pipe quebrado)",
        K::TimedOut | K::WouldBlock => "tempo esgotado",
        K::HostUnreachable => "máquina inalcançável",
        K::NetworkUnreachable => "rede inalcançável",
        K::NetworkDown => "rede fora do ar",
        K::PermissionDenied => "permissão negada",
        K::NotFound => "não encontrado",
        K::AlreadyExists => "já existe",
        K::NotADirectory => "não é uma pasta",
        K::IsADirectory => "é uma pasta",
        K::StorageFull => "disco cheio",
        K::ReadOnlyFilesystem => "sistema de arquivos só de leitura",
        K::OutOfMemory => "memória insuficiente",
        K::Interrupted => "interrompido por um sinal",
        K::UnexpectedEof => "fim inesperado dos dados",
        K::InvalidInput => "entrada inválida",
        _ => return None,
    })
}

/// Bytes vindos da rede, prontos para o terminal ou para o log: UTF-8
/// inválido vira `\u{fffd}` e caracteres de controle (quebra de linha, ESC…)
/// viram escapes visíveis, para que ninguém forje linhas de log nem mexa no
/// terminal de quem lê.
pub fn printable(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use io::ErrorKind as K;

    #[test]
    fn timeout_is_would_block_on_linux_and_timed_out_on_windows() {
        assert_eq!(classify(&K::WouldBlock.into()), SocketError::TimedOut);
        assert_eq!(classify(&K::TimedOut.into()), SocketError::TimedOut);
        assert_eq!(classify(&K::Interrupted.into()), SocketError::Interrupted);
        assert_eq!(classify(&K::BrokenPipe.into()), SocketError::Other);
    }

    #[test]
    fn port_unreachable_is_refused_on_linux_and_reset_on_windows() {
        assert_eq!(
            classify(&K::ConnectionRefused.into()),
            SocketError::PortUnreachable
        );
        assert_eq!(
            classify(&K::ConnectionReset.into()),
            SocketError::PortUnreachable
        );
    }

    #[test]
    fn tcp_refused_and_reset_are_not_called_port_unreachable() {
        let stream = |kind: K| classify_stream(&kind.into());
        assert_eq!(stream(K::ConnectionRefused), StreamError::Reset);
        assert_eq!(stream(K::ConnectionReset), StreamError::Reset);
        assert_eq!(stream(K::ConnectionAborted), StreamError::Reset);
        assert_eq!(stream(K::WouldBlock), StreamError::TimedOut);
        assert_eq!(stream(K::TimedOut), StreamError::TimedOut);
        assert_eq!(stream(K::Interrupted), StreamError::Interrupted);
        assert_eq!(stream(K::BrokenPipe), StreamError::Other);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_errno_numbers_classify_as_their_kinds() {
        // EAGAIN = 11, ECONNREFUSED = 111, EINTR = 4, ECONNRESET = 104.
        let kind = |code| classify(&io::Error::from_raw_os_error(code));
        assert_eq!(kind(11), SocketError::TimedOut);
        assert_eq!(kind(111), SocketError::PortUnreachable);
        assert_eq!(kind(104), SocketError::PortUnreachable);
        assert_eq!(kind(4), SocketError::Interrupted);
        assert!(resources_exhausted(&io::Error::from_raw_os_error(24)));
        assert!(resources_exhausted(&io::Error::from_raw_os_error(105)));
        assert!(!resources_exhausted(&io::Error::from_raw_os_error(111)));
    }

    #[cfg(windows)]
    #[test]
    fn windows_error_numbers_classify_as_their_kinds() {
        // WSAECONNRESET = 10054, WSAETIMEDOUT = 10060, WSAEMFILE = 10024.
        let kind = |code| classify(&io::Error::from_raw_os_error(code));
        assert_eq!(kind(10054), SocketError::PortUnreachable);
        assert_eq!(kind(10060), SocketError::TimedOut);
        assert!(resources_exhausted(&io::Error::from_raw_os_error(10024)));
    }

    #[test]
    fn only_windows_reports_an_oversized_datagram_as_an_error() {
        // WSAEMSGSIZE = 10040, construído; no Linux, EMSGSIZE (90) nunca
        // vem do recv_from (o corte é silencioso), e nada aqui é "grande".
        let wsaemsgsize = io::Error::from_raw_os_error(10040);
        assert!(too_big_with(&wsaemsgsize, Some(10040)));
        assert!(!too_big_with(&wsaemsgsize, None));
        assert!(!too_big_with(&K::TimedOut.into(), Some(10040)));
        assert_eq!(datagram_too_big(&wsaemsgsize), cfg!(windows));
        assert!(TOO_BIG_PT_BR.contains("maior que o buffer"));
    }

    #[cfg(windows)]
    #[test]
    fn windows_oversized_datagram_is_explained_in_portuguese() {
        let text = pt_br(&io::Error::from_raw_os_error(10040)).to_string();
        assert!(text.starts_with(TOO_BIG_PT_BR), "{text}");
    }

    #[test]
    fn out_of_memory_is_exhaustion_everywhere() {
        assert!(resources_exhausted(&K::OutOfMemory.into()));
        assert!(!resources_exhausted(&K::ConnectionReset.into()));
    }

    #[test]
    fn resolution_prefers_ipv4_and_accepts_brackets() {
        let v4 = resolve("127.0.0.1", 80).unwrap();
        assert_eq!(v4, "127.0.0.1:80".parse().unwrap());
        let v6 = resolve("[::1]", 80).unwrap();
        assert_eq!(v6, "[::1]:80".parse().unwrap());
        assert_eq!(resolve("::1", 80).unwrap(), v6);
    }

    #[test]
    fn unspecified_and_loopback_follow_the_family() {
        let v4: SocketAddr = "10.0.0.1:9".parse().unwrap();
        let v6: SocketAddr = "[fe80::1]:9".parse().unwrap();
        assert_eq!(unspecified_for(v4), "0.0.0.0:0".parse().unwrap());
        assert_eq!(unspecified_for(v6), "[::]:0".parse().unwrap());
        assert_eq!(
            loopback_for("0.0.0.0:6789".parse().unwrap()),
            Some("127.0.0.1:6789".parse().unwrap())
        );
        assert_eq!(
            loopback_for("[::]:6789".parse().unwrap()),
            Some("[::1]:6789".parse().unwrap())
        );
        assert_eq!(loopback_for(v4), None);
    }

    #[test]
    fn host_port_brackets_ipv6_once() {
        assert_eq!(host_port("::1", 80), "[::1]:80");
        assert_eq!(host_port("[::1]", 80), "[::1]:80");
        assert_eq!(host_port("exemplo.com", 8080), "exemplo.com:8080");
        assert_eq!(host_port("127.0.0.1", 1), "127.0.0.1:1");
    }

    #[test]
    fn system_errors_are_worded_in_portuguese_keeping_the_original() {
        let err = io::Error::from(K::AddrInUse);
        assert_eq!(
            pt_br(&err).to_string(),
            format!("endereço já em uso ({err})")
        );
        for kind in [
            K::ConnectionRefused,
            K::ConnectionReset,
            K::TimedOut,
            K::HostUnreachable,
            K::NetworkUnreachable,
            K::PermissionDenied,
            K::NotFound,
            K::BrokenPipe,
        ] {
            let text = pt_br(&kind.into()).to_string();
            assert!(
                text.ends_with(&format!("({})", io::Error::from(kind))),
                "{text}"
            );
            assert!(kind_pt_br(kind).is_some(), "{kind:?} sem tradução");
        }
        // Mensagens próprias (já em português) ficam como estão.
        let ours = io::Error::new(K::NotFound, "o nome não tem nenhum endereço");
        assert_eq!(pt_br(&ours).to_string(), "o nome não tem nenhum endereço");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_os_error_keeps_its_number_in_parentheses() {
        let err = io::Error::from_raw_os_error(98); // EADDRINUSE
        assert_eq!(
            pt_br(&err).to_string(),
            "endereço já em uso (Address already in use (os error 98))"
        );
    }

    #[test]
    fn unknown_host_says_name_not_found() {
        // O texto que o std dá quando o getaddrinfo falha (sem errno).
        let err =
            io::Error::other("failed to lookup address information: Name or service not known");
        assert!(
            pt_br(&err)
                .to_string()
                .starts_with("nome não encontrado (failed")
        );
    }

    #[test]
    fn printable_escapes_control_characters() {
        assert_eq!(printable(b"GET /\r\n\x1b[31m"), "GET /\\r\\n\\u{1b}[31m");
        assert_eq!(printable("ação".as_bytes()), "ação");
        assert_eq!(printable(&[0xff]), "\u{fffd}");
    }
}
