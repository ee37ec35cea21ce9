//! Uma conexão TCP aceita pelo servidor web (3a e 3b): o socket, os bytes
//! que chegaram e ainda não foram usados, o prazo de leitura
//! ([`ReadDeadline`]), e o fechamento.
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
    deadline: ReadDeadline,
}

/// O prazo de leitura da conexão, num tipo só: quanto o próximo `read` pode
/// esperar, e o prazo que o socket tem agora.
#[derive(Debug, Clone, Copy)]
struct ReadDeadline {
    phase: Phase,
    head_timeout: Duration,
    /// O prazo gravado no socket. Mudá-lo custa uma chamada ao kernel
    /// (`setsockopt`), então só mudamos quando o prazo pedido é outro.
    on_socket: Duration,
}

/// O que o próximo `read` está esperando.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Conexão persistente, entre requisições: o prazo de ociosidade para
    /// o primeiro byte da próxima.
    Idle(Duration),
    /// O primeiro `read` do cabeçalho, que vence no instante dado: pode
    /// esperar o prazo inteiro.
    HeadStart(Instant),
    /// Os `read` seguintes: só o que sobra até o instante. O prazo é para o
    /// cabeçalho inteiro, não para cada `read`: quem manda um byte a cada
    /// 9 s não ganha tempo infinito.
    HeadRest(Instant),
}

impl ReadDeadline {
    /// Grava no socket quanto o próximo `read` pode esperar.
    fn arm(&mut self, stream: &TcpStream) -> io::Result<()> {
        let timeout = match self.phase {
            Phase::Idle(timeout) => timeout,
            Phase::HeadStart(_) => self.head_timeout,
            Phase::HeadRest(deadline) => deadline.saturating_duration_since(Instant::now()),
        };
        if timeout.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        if timeout != self.on_socket {
            stream.set_read_timeout(Some(timeout))?;
            self.on_socket = timeout;
        }
        Ok(())
    }

    /// Depois de um `read`: os seguintes só têm o que sobra do prazo do
    /// cabeçalho, que começa no primeiro byte depois da ociosidade.
    fn after_read(&mut self, got_bytes: bool) {
        self.phase = match self.phase {
            Phase::Idle(_) if got_bytes => Phase::HeadRest(Instant::now() + self.head_timeout),
            Phase::HeadStart(deadline) => Phase::HeadRest(deadline),
            phase => phase,
        };
    }
}

/// O que fazer com a conexão depois de uma requisição.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum After {
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
            deadline: ReadDeadline {
                phase: Phase::HeadStart(Instant::now() + site.head_timeout),
                head_timeout: site.head_timeout,
                on_socket: site.head_timeout,
            },
        })
    }

    /// Um `read` a mais, acrescentado a [`Connection::buf`], esperando no
    /// máximo o que o prazo de leitura deixa. Devolve quantos bytes chegaram.
    ///
    /// # Erros
    /// O prazo venceu (`TimedOut` ou `WouldBlock`), ou a conexão falhou.
    pub fn read_more(&mut self) -> io::Result<usize> {
        loop {
            self.deadline.arm(&self.stream)?;
            let buf = &mut self.buf;
            let old_len = buf.len();
            buf.resize(old_len + 4096, 0);
            // `read` devolve o que o kernel já recebeu (pelo menos 1 byte), ou
            // 0 quando o cliente fechou o lado dele da conexão.
            let received = self.stream.read(&mut buf[old_len..]);
            // O buffer fica só com o que chegou de fato (0 bytes num erro).
            buf.truncate(old_len + received.as_ref().map_or(0, |&n| n));
            let got_bytes = matches!(received, Ok(n) if n > 0);
            self.deadline.after_read(got_bytes);
            match received {
                // Um sinal interrompeu o `read`: tentar de novo.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                received => return received,
            }
        }
    }

    /// A próxima requisição começa agora: vale o prazo inteiro do cabeçalho.
    pub fn expect_head(&mut self) {
        self.deadline.phase = Phase::HeadStart(Instant::now() + self.deadline.head_timeout);
    }

    /// Conexão persistente, entre requisições: o próximo `read` espera até
    /// `idle` pelo primeiro byte; quando ele chega, vale o prazo do cabeçalho.
    pub fn expect_idle(&mut self, idle: Duration) {
        self.deadline.phase = Phase::Idle(idle);
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
