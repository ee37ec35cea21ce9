//! O menor servidor web que funciona: 3a e 3b em vinte linhas, para ler
//! **antes** do servidor de verdade (aula 3, "O mínimo que funciona").
//!
//! Faz o que o esqueleto em Python do livro-texto faz, linha por linha, e
//! erra no que ele erra. Os defeitos são de propósito e cada um tem um
//! teste abaixo que o demonstra; a aula conta o que cada um causa e onde
//! [`super::a_single`] e [`super::files`] o corrigem. Não é o servidor
//! de `make serve`: rode com `cargo run --release --bin minimal-web-server`.
//! Explicado em `lessons/03-web-server.md`, "O mínimo que funciona".

use std::fs;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread;

/// 3a mínimo: uma conexão por vez, na thread principal.
pub fn serve(listener: &TcpListener, root: &Path) -> io::Result<()> {
    for stream in listener.incoming() {
        let _ = handle(stream?, root);
    }
    Ok(())
}

/// 3b mínimo: a mesma coisa, com `handle` numa thread nova por conexão.
pub fn serve_threaded(listener: &TcpListener, root: &Path) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        let root = root.to_path_buf();
        thread::spawn(move || handle(stream, &root));
    }
    Ok(())
}

/// Uma requisição, uma resposta, e o socket fecha ao sair da função.
fn handle(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf)?; // um `read` só, como o `recv(1024)`
    let request = String::from_utf8_lossy(&buf[..n]);
    // "GET /index.html HTTP/1.1" → "/index.html"
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let body = fs::read(root.join(path.trim_start_matches('/')))?; // o `open(filename[1:])`
    let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use std::path::PathBuf;

    /// Uma pasta temporária com `www/index.html` e um segredo ao lado de `www/`.
    fn site(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("minimal-{tag}-{}", std::process::id()));
        fs::create_dir_all(dir.join("www")).unwrap();
        fs::write(dir.join("www/index.html"), "<h1>oi</h1>\n").unwrap();
        fs::write(dir.join("segredo.txt"), "SEGREDO-FORA-DA-RAIZ").unwrap();
        dir
    }

    fn start(root: PathBuf, threaded: bool) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        thread::spawn(move || {
            if threaded {
                serve_threaded(&listener, &root)
            } else {
                serve(&listener, &root)
            }
        });
        addr
    }

    /// Manda `request` e lê até o fechamento; devolve os bytes e o erro, se houve.
    fn exchange(addr: SocketAddr, request: &[u8]) -> (Vec<u8>, Option<io::ErrorKind>) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return (got, None),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => return (got, Some(e.kind())),
            }
        }
    }

    #[test]
    fn minimal_server_serves_a_file_in_3a_and_3b() {
        let dir = site("ok");
        for threaded in [false, true] {
            let addr = start(dir.join("www"), threaded);
            let (reply, err) = exchange(addr, b"GET /index.html HTTP/1.0\r\n\r\n");
            assert_eq!(err, None);
            assert_eq!(
                reply,
                b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n<h1>oi</h1>\n"
            );
        }
    }

    #[test]
    fn minimal_server_answers_a_missing_file_with_nothing_not_404() {
        let dir = site("404");
        let addr = start(dir.join("www"), false);
        let (reply, _) = exchange(addr, b"GET /nada.html HTTP/1.0\r\n\r\n");
        assert!(reply.is_empty(), "esperava nenhuma resposta: {reply:?}");
    }

    #[test]
    fn minimal_server_leaks_a_file_outside_the_root() {
        let dir = site("fuga");
        let addr = start(dir.join("www"), false);
        let (reply, _) = exchange(addr, b"GET /../segredo.txt HTTP/1.0\r\n\r\n");
        assert!(String::from_utf8_lossy(&reply).ends_with("SEGREDO-FORA-DA-RAIZ"));
    }

    #[test]
    fn minimal_server_gives_up_on_a_request_split_in_two_reads() {
        let dir = site("metade");
        let addr = start(dir.join("www"), false);
        // Só a primeira metade: o resto nunca sai, porque esperamos o
        // servidor reagir. O único `read` dele vê "GET /ind" e desiste.
        let (reply, _) = exchange(addr, b"GET /ind");
        assert!(reply.is_empty(), "esperava nenhuma resposta: {reply:?}");
    }

    #[test]
    fn minimal_server_resets_the_connection_when_it_closes_with_unread_bytes() {
        let dir = site("rst");
        let addr = start(dir.join("www"), false);
        // Um cabeçalho de 4000 bytes: o `read` de 1024 deixa o resto na fila,
        // e o `close` com bytes não lidos vira RST em vez de FIN.
        let mut request = b"GET /index.html HTTP/1.0\r\nX-Enchimento: ".to_vec();
        request.extend(std::iter::repeat_n(b'a', 4000));
        request.extend_from_slice(b"\r\n\r\n");
        let (_, err) = exchange(addr, &request);
        assert_eq!(err, Some(io::ErrorKind::ConnectionReset));
    }
}
