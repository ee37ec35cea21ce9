//! Uma conexão TCP aceita pelo servidor web (3a e 3b): o socket, os bytes
//! que chegaram e ainda não foram usados, o prazo de leitura que o socket
//! tem agora, e o fechamento.
//!
//! Parte de 3a e 3b (`cargo serve-single`, `cargo serve`); explicado em
//! `lessons/03-web-server.md`.
//!
//! Invariante: toda conexão tem prazo de leitura e de escrita desde o
//! começo; um cliente parado nunca prende a thread para sempre.

use std::io::{self, Read};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::site::Site;

/// Uma conexão em atendimento.
pub(super) struct Connection<'a> {
    pub stream: TcpStream,
    pub peer: SocketAddr,
    pub site: &'a Site,
    /// O que chegou e ainda não foi usado: com pipelining, os bytes depois
    /// de um cabeçalho já são o começo da próxima requisição.
    pub buf: Vec<u8>,
    /// O prazo de leitura que o socket tem agora. Mudá-lo custa uma chamada
    /// ao kernel (`setsockopt`), então só mudamos quando o prazo pedido é outro.
    read_timeout: Duration,
}

/// O que fazer com a conexão depois de uma requisição.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum After {
    /// Ler a próxima requisição (só com `--keep-alive`).
    Next,
    /// Fechar já: não há nada do cliente por ler.
    Close,
    /// Fechar esperando o cliente (veja [`Connection::close`]): ele pode
    /// ainda estar mandando bytes que não lemos.
    Linger,
}

impl<'a> Connection<'a> {
    /// Prepara a conexão com os prazos do site.
    ///
    /// # Erros
    /// O sistema recusou os prazos (a conexão já morreu).
    pub fn new(stream: TcpStream, peer: SocketAddr, site: &'a Site) -> io::Result<Connection<'a>> {
        // Sem estes prazos, um cliente parado prenderia a thread para sempre.
        stream.set_read_timeout(Some(site.head_timeout))?;
        stream.set_write_timeout(Some(site.write_timeout))?;
        Ok(Connection {
            stream,
            peer,
            site,
            buf: Vec::new(),
            read_timeout: site.head_timeout,
        })
    }

    /// Quanto o próximo `read` pode esperar; a chamada ao kernel só
    /// acontece se o prazo mudou.
    ///
    /// # Erros
    /// `timeout` zero, ou o sistema recusou o prazo.
    pub fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        if timeout != self.read_timeout {
            self.stream.set_read_timeout(Some(timeout))?;
            self.read_timeout = timeout;
        }
        Ok(())
    }

    /// Há bytes do cliente na fila de recepção, ainda não lidos? Um `peek` não
    /// bloqueante olha sem consumir. Na dúvida (erro ao perguntar), `true`: a
    /// espera de [`Connection::close`] é o lado seguro.
    pub fn unread_bytes_waiting(&self) -> bool {
        if self.stream.set_nonblocking(true).is_err() {
            return true;
        }
        let waiting = match self.stream.peek(&mut [0u8; 1]) {
            Ok(n) => n > 0,
            Err(e) => e.kind() != io::ErrorKind::WouldBlock,
        };
        self.stream.set_nonblocking(false).is_err() || waiting
    }

    /// Fecha a conexão. Com [`After::Linger`], fecha como a RFC 9112 §9.6
    /// descreve, para que bytes não lidos não virem um RST que apague a
    /// resposta no cliente: primeiro só o nosso lado (FIN), depois lê e
    /// descarta o que ainda chegar, por pouco tempo.
    pub fn close(self, after: After) {
        if after == After::Linger {
            close_gracefully(self.stream, self.buf, self.site.linger);
        }
        // Senão `stream` sai de escopo aqui: `close` manda FIN.
    }
}

/// O fechamento de [`Connection::close`] com espera: FIN, e então ler e
/// descartar até o cliente fechar, até `linger` passar, ou até 1 MiB.
fn close_gracefully(stream: TcpStream, mut buf: Vec<u8>, linger: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + linger;
    buf.resize(16 * 1024, 0);
    let mut drained = 0;
    let mut reader = &stream;
    while drained < 1024 * 1024 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    // `stream` sai de escopo aqui: `close` no descritor.
}
