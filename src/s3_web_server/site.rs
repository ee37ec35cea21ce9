//! O site que o servidor web (3a e 3b) serve: a pasta raiz e os prazos de
//! cada conexão. `web-server` monta um [`Site`] a partir das opções da linha
//! de comando; os testes e o corretor montam o seu. Parte de 3a e 3b
//! (`cargo serve-single`, `cargo serve`); explicado em `lessons/03-web-server.md`.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::keep_alive::KeepAlive;

/// O site servido e os prazos de cada conexão.
#[derive(Debug, Clone)]
pub struct Site {
    /// A raiz, já canônica (caminho absoluto, sem links).
    pub root: PathBuf,
    /// Quanto esperar pelo cabeçalho inteiro da requisição: depois, 408.
    pub head_timeout: Duration,
    /// Quanto uma escrita pode ficar parada (cliente que não lê).
    pub write_timeout: Duration,
    /// Quanto esperar, depois de responder, pelo fechamento do cliente.
    pub linger: Duration,
    /// Escrever uma linha por requisição em stderr?
    pub log: bool,
    /// Conexões persistentes (`--keep-alive`); `None`, o padrão: uma
    /// conexão por requisição, como pede o enunciado.
    pub keep_alive: Option<KeepAlive>,
}

impl Site {
    /// Prepara o site com os prazos padrão (10 s para o cabeçalho, 30 s por escrita).
    ///
    /// # Erros
    /// A raiz não existe ou não é uma pasta.
    pub fn new(root: &Path) -> io::Result<Site> {
        let root = std::fs::canonicalize(root)?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "não é uma pasta",
            ));
        }
        Ok(Site {
            root,
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            linger: Duration::from_secs(2),
            log: true,
            keep_alive: None,
        })
    }
}
