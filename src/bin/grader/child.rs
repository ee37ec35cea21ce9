//! O trabalho do aluno como processo filho: a pasta temporária onde ele
//! roda, o comando com `{host}`, `{port}` e `{file}` trocados, a saída
//! guardada, e o fim garantido (o `Drop` mata e espera).
//!
//! Invariantes: todo processo iniciado aqui é morto **e esperado** (sem
//! zumbis) quando o [`Submission`] sai de escopo, inclusive num pânico; a
//! pasta de [`Workspace`] é apagada no `Drop`.
//!
//! Limite conhecido: a biblioteca padrão não cria grupos de processos nem
//! manda sinais a um grupo. Matamos o processo que iniciamos; se ele for um
//! script que inicia **outro** programa (um `.sh` que roda `python3`), o
//! neto pode sobreviver. Em scripts, use `exec python3 …`.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// O conteúdo do arquivo que fica **fora** da pasta servida: se ele
/// aparecer numa resposta, o servidor vazou um arquivo com `..`.
pub const SECRET: &str = "SEGREDO-DO-CORRETOR-FORA-DA-PASTA-9d41";

/// A página que os servidores devem servir (sem linha em branco no meio,
/// para que ela não se confunda com o fim do cabeçalho).
pub const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Corretor</title></head>\n<body>\n<h1>Pagina de teste do corretor</h1>\n<p>Se voce le isto, o arquivo chegou inteiro.</p>\n</body></html>\n";

/// A página que o cliente 3c pede (`pagina.html`): a [`PAGE`] com mais de
/// 6 KB de linhas numeradas, para que um cliente que chama `recv` uma vez
/// só (em vez de ler até o servidor fechar) mostre o corpo cortado.
pub fn long_page() -> String {
    let mut page = PAGE.replace("</body></html>\n", "");
    for i in 1..=200 {
        page.push_str(&format!("<p>linha {i} de 200 do corretor</p>\n"));
    }
    page.push_str("</body></html>\n");
    page
}

/// Um arquivo de texto pequeno, a requisição em pedaços.
pub const TEXT: &str = "texto simples do corretor\nsegunda linha\n";

/// O nome que o corretor pede para ver o 404: nunca é copiado da pasta do
/// aluno, para que continue não existindo na pasta servida.
pub const PROBE_404: &str = "nao-existe-corretor.html";

/// Quanto da pasta do aluno é copiado para a pasta servida, no máximo.
const MAX_STUDENT_BYTES: u64 = 50 * 1024 * 1024;

/// A pasta do aluno: a do primeiro arquivo que os argumentos do comando
/// nomeiam (o `WebServer.py` de `python3 WebServer.py`), ou `base` (a
/// pasta atual). O programa (a primeira palavra) não conta: a pasta do
/// `python3` ou de um executável compilado não é a pasta do aluno.
pub fn student_folder(template: &[String], base: &Path) -> PathBuf {
    template
        .iter()
        .skip(1)
        .filter(|w| !w.contains('{') && !w.starts_with('-'))
        .map(|w| base.join(w))
        .find(|p| p.is_file())
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| base.to_path_buf())
}

/// Quanto da saída do programa guardamos (o resto é descartado).
const MAX_OUTPUT: usize = 256 * 1024;

/// A pasta temporária de uma execução:
///
/// ```text
/// <tmp>/pratica-sockets-corretor-<pid>-<n>/
///     segredo.txt       fora da pasta servida
///     www/              a pasta servida e a pasta de trabalho do programa
///         index.html, HelloWorld.html, a.txt, pagina.html (a maior, do 3c)
/// ```
///
/// O programa roda **dentro** de `www/`: assim tanto quem abre
/// `filename[1:]` relativo à pasta atual (o esqueleto do livro) quanto
/// quem serve "a pasta atual" encontram os arquivos.
pub struct Workspace {
    pub dir: PathBuf,
    pub served: PathBuf,
}

impl Workspace {
    /// Cria a pasta e os arquivos conhecidos.
    ///
    /// # Erros
    /// Sem permissão ou sem espaço na pasta temporária.
    pub fn new() -> io::Result<Workspace> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "pratica-sockets-corretor-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let served = dir.join("www");
        std::fs::create_dir_all(&served)?;
        let workspace = Workspace { dir, served };
        std::fs::write(workspace.secret_path(), SECRET)?;
        for name in ["index.html", "HelloWorld.html"] {
            std::fs::write(workspace.served.join(name), PAGE)?;
        }
        std::fs::write(workspace.served.join("pagina.html"), long_page())?;
        std::fs::write(workspace.served.join("a.txt"), TEXT)?;
        Ok(workspace)
    }

    /// A pasta de um trabalho: a de [`Workspace::new`] com os arquivos do
    /// aluno copiados para a pasta servida (veja [`Workspace::copy_student`]).
    ///
    /// # Erros
    /// Os de [`Workspace::new`].
    pub fn for_student(template: &[String], base: &Path) -> io::Result<Workspace> {
        let workspace = Workspace::new()?;
        workspace.copy_student(&student_folder(template, base));
        Ok(workspace)
    }

    /// Copia os arquivos comuns e as subpastas de `from` para a pasta
    /// servida: o programa roda lá, e o `open('erro404.html')` do aluno
    /// precisa achar o arquivo dele. Os arquivos do corretor ganham (nada é
    /// sobrescrito), [`PROBE_404`] nunca é copiado, links simbólicos são
    /// ignorados (nenhum leva para fora) e a cópia para em
    /// [`MAX_STUDENT_BYTES`]. Um arquivo ilegível é só pulado.
    pub fn copy_student(&self, from: &Path) {
        let mut budget = MAX_STUDENT_BYTES;
        copy_tree(from, &self.served, &mut budget, &self.dir);
    }

    /// O caminho do segredo, fora da pasta servida.
    pub fn secret_path(&self) -> PathBuf {
        self.dir.join("segredo.txt")
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Copia `from` para dentro de `to` sem sobrescrever, sem seguir links,
/// gastando `budget` bytes no máximo (cada entrada conta ao menos 4 KiB,
/// como um bloco no disco: uma pasta com milhões de arquivos vazios também
/// acaba). Pula [`PROBE_404`] e a própria pasta do corretor (`own`), caso
/// o aluno rode na pasta temporária.
fn copy_tree(from: &Path, to: &Path, budget: &mut u64, own: &Path) {
    const BLOCK: u64 = 4096;
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name == PROBE_404 || entry.path() == own {
            continue;
        }
        // `symlink_metadata` não segue o link: um link é pulado.
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let target = to.join(&name);
        let cost = meta.len().max(BLOCK);
        if cost > *budget {
            continue;
        }
        if meta.is_dir() {
            if std::fs::create_dir(&target).is_ok() {
                *budget -= BLOCK;
                copy_tree(&entry.path(), &target, budget, own);
            }
        } else if meta.is_file() && !target.exists() && std::fs::copy(entry.path(), &target).is_ok()
        {
            *budget -= cost;
        }
    }
}

/// Troca `{host}`, `{port}` e `{file}` em cada palavra do comando, e torna
/// absoluta toda palavra sem marcador que nomeia um **arquivo** existente a
/// partir de `base` (a pasta de onde o corretor foi chamado): o programa
/// roda noutra pasta, e `python3 servidor.py` precisa continuar achando
/// `servidor.py`. Pastas (`--root .`) ficam como estão.
pub fn expand(template: &[String], host: &str, port: u16, file: &str, base: &Path) -> Vec<String> {
    template
        .iter()
        .map(|word| {
            if ["{host}", "{port}", "{file}"]
                .iter()
                .any(|p| word.contains(p))
            {
                return word
                    .replace("{host}", host)
                    .replace("{port}", &port.to_string())
                    .replace("{file}", file);
            }
            let path = Path::new(word);
            if path.is_relative() && base.join(path).is_file() {
                base.join(path).display().to_string()
            } else {
                word.clone()
            }
        })
        .collect()
}

/// O comando tem este marcador em alguma palavra?
pub fn mentions(template: &[String], placeholder: &str) -> bool {
    template.iter().any(|w| w.contains(placeholder))
}

/// Um programa do aluno rodando, com stdout e stderr guardados.
pub struct Submission {
    child: Child,
    status: Option<ExitStatus>,
    /// Quando percebemos que ele terminou sozinho.
    pub exited_at: Option<Instant>,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Um aviso por leitor quando o pipe fecha.
    eof: mpsc::Receiver<()>,
    readers_done: usize,
}

impl Submission {
    /// Inicia `words` (programa e argumentos) com `cwd` como pasta atual,
    /// stdin vazio e `PYTHONUNBUFFERED=1` (para que a saída de um programa
    /// que travar e for morto não se perca no buffer do Python).
    ///
    /// # Erros
    /// Comando vazio, programa que não existe ou não pode ser executado.
    pub fn start(words: &[String], cwd: &Path) -> io::Result<Submission> {
        let (program, args) = words
            .split_first()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "comando vazio"))?;
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (tx, eof) = mpsc::channel();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        if let Some(pipe) = child.stdout.take() {
            collect(pipe, Arc::clone(&stdout), tx.clone());
        }
        if let Some(pipe) = child.stderr.take() {
            collect(pipe, Arc::clone(&stderr), tx);
        }
        Ok(Submission {
            child,
            status: None,
            exited_at: None,
            stdout,
            stderr,
            eof,
            readers_done: 0,
        })
    }

    /// O processo já terminou? (Não bloqueia.)
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.status.is_none()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            self.status = Some(status);
            self.exited_at = Some(Instant::now());
        }
        self.status
    }

    /// Espera o processo terminar sozinho até `deadline`.
    ///
    /// A biblioteca padrão não tem `wait` com prazo: perguntamos a cada
    /// 10 ms (`try_wait` não bloqueia). O prazo é o que importa aqui.
    pub fn wait_until(&mut self, deadline: Instant) -> Option<ExitStatus> {
        loop {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            thread::sleep((deadline - now).min(Duration::from_millis(10)));
        }
    }

    /// Mata (se ainda roda) e espera o processo. Pode ser chamado de novo.
    pub fn stop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            if let Ok(status) = self.child.wait() {
                self.status = Some(status);
            }
        }
    }

    /// Depois de [`Submission::stop`]: espera os leitores chegarem ao fim
    /// dos pipes (no máximo 2 s, caso um neto ainda os segure aberto).
    fn drain(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.readers_done < 2 {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.eof.recv_timeout(left) {
                Ok(()) => self.readers_done += 1,
                Err(_) => break,
            }
        }
    }

    /// Tudo o que o programa escreveu no stdout (para e espera antes).
    pub fn stdout(&mut self) -> Vec<u8> {
        self.stop();
        self.drain();
        self.stdout.lock().map(|b| b.clone()).unwrap_or_default()
    }

    /// O stderr inteiro (até o limite guardado), como texto.
    pub fn stderr_text(&self) -> String {
        self.stderr
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// A última exceção do Python no stderr (`ValueError: ...`), se houver.
    pub fn exception(&self) -> Option<String> {
        let text = self.stderr_text();
        text.lines()
            .rev()
            .map(str::trim)
            .find(|l| {
                let head = l.split(':').next().unwrap_or("");
                !head.is_empty()
                    && !head.contains(' ')
                    && (head.ends_with("Error")
                        || head.ends_with("Exception")
                        || head.ends_with("Interrupt")
                        || head.contains("Error."))
            })
            .map(|l| pratica_sockets::net::printable(l.as_bytes()))
    }

    /// As últimas linhas do stderr, numa linha só, para explicar um erro.
    pub fn stderr_tail(&mut self) -> String {
        let text = self
            .stderr
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let tail = lines[lines.len().saturating_sub(3)..].join(" | ");
        if tail.is_empty() {
            String::new()
        } else {
            format!(
                " (stderr: {})",
                pratica_sockets::net::printable(tail.as_bytes())
            )
        }
    }

    /// "código 1", "morto por sinal", "ainda rodando".
    pub fn describe_exit(&mut self) -> String {
        match self.exited() {
            Some(status) => match status.code() {
                Some(code) => format!("terminou com código {code}"),
                None => "terminou por um sinal".to_string(),
            },
            None => "ainda estava rodando".to_string(),
        }
    }
}

impl Drop for Submission {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Lê um pipe até o fim, guardando até [`MAX_OUTPUT`] bytes.
fn collect(
    mut pipe: impl Read + Send + 'static,
    into: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Sender<()>,
) {
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if let Ok(mut all) = into.lock()
                        && all.len() < MAX_OUTPUT
                    {
                        let room = MAX_OUTPUT - all.len();
                        all.extend_from_slice(&buf[..n.min(room)]);
                    }
                }
            }
        }
        let _ = done.send(());
    });
}

/// Um servidor do aluno que pode ser reiniciado: se uma conferência o
/// derrubar, a próxima começa com ele de pé de novo (e o relatório diz).
pub struct Server {
    words: Vec<String>,
    cwd: PathBuf,
    pub current: Submission,
    /// Por que precisou ser reiniciado (sem repetir a mesma frase).
    pub restarts: Vec<String>,
    started: usize,
    /// Por que desistimos de reiniciá-lo (limite de reinícios, ou o reinício falhou).
    gave_up: Option<String>,
    /// Ele termina depois de cada requisição: antes de cada conferência,
    /// esperamos ele terminar e o reiniciamos.
    pub one_shot: bool,
}

impl Server {
    /// O comando, já com os marcadores trocados.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// # Erros
    /// O programa não pôde ser iniciado.
    pub fn start(words: Vec<String>, cwd: &Path) -> io::Result<Server> {
        let current = Submission::start(&words, cwd)?;
        Ok(Server {
            words,
            cwd: cwd.to_path_buf(),
            current,
            restarts: Vec::new(),
            started: 0,
            gave_up: None,
            one_shot: false,
        })
    }

    /// Se o programa terminou, inicia de novo; devolve `true` se reiniciou.
    /// `after` diz depois de qual conferência ele caiu. No máximo
    /// [`MAX_RESTARTS`] vezes: um programa que cai sempre não vira um laço.
    pub fn ensure_running(&mut self, after: &str) -> bool {
        if self.current.exited().is_none() {
            return false;
        }
        let why = format!(
            "{}{}{}",
            self.current.describe_exit(),
            self.current.stderr_tail(),
            self.restart_hint()
        );
        if self.started >= MAX_RESTARTS {
            self.gave_up = Some(format!(
                "o programa {why}, e já tinha sido reiniciado {MAX_RESTARTS} vezes: o corretor desistiu de reiniciá-lo"
            ));
            return false;
        }
        let note = format!(
            "o programa parou durante «{after}» ({why}) e foi reiniciado para as conferências seguintes"
        );
        if self.restarts.last() != Some(&note) {
            self.restarts.push(note);
        }
        self.started += 1;
        match Submission::start(&self.words, &self.cwd) {
            Ok(next) => {
                self.current = next;
                true
            }
            Err(err) => {
                self.gave_up = Some(format!(
                    "o programa {why}, e o reinício falhou: {}",
                    pratica_sockets::net::pt_br(&err)
                ));
                false
            }
        }
    }

    /// Encerra o programa e inicia de novo, de propósito (para esvaziar a
    /// fila de um servidor que ficou para trás); não conta como queda.
    ///
    /// # Erros
    /// O programa não pôde ser iniciado de novo.
    pub fn restart(&mut self) -> io::Result<()> {
        self.current.stop();
        self.current = Submission::start(&self.words, &self.cwd)?;
        Ok(())
    }

    /// Por que o servidor não está rodando agora, com o código de saída e
    /// o fim do stderr (para a conferência que não pôde rodar).
    pub fn why_down(&mut self) -> String {
        match &self.gave_up {
            Some(why) => why.clone(),
            None => format!(
                "o programa {}{}{}",
                self.current.describe_exit(),
                self.current.stderr_tail(),
                self.restart_hint()
            ),
        }
    }

    /// Um reinício que caiu no `bind` com a porta em uso: as conexões que o
    /// servidor anterior fechou primeiro deixaram a porta em TIME_WAIT do
    /// lado dele (o corretor lê até o fim antes de fechar, então o TIME_WAIT
    /// das conexões que ele fecha fica na porta efêmera do corretor).
    fn restart_hint(&self) -> &'static str {
        if self.started > 0 && crate::grade::address_in_use(&self.current.stderr_text()) {
            "; o reinício falhou: a porta ficou em TIME_WAIT das conexões que o seu servidor fechou; com SO_REUSEADDR (no Linux, desde a execução anterior) isso não acontece"
        } else {
            ""
        }
    }
}

/// Quantas vezes um servidor que cai é reiniciado, no máximo.
pub const MAX_RESTARTS: usize = 5;

/// Uma espera de 20 ms entre tentativas de falar com um programa que ainda
/// está subindo: não há evento a esperar de um processo alheio (ele não nos
/// avisa quando faz `bind`), então tentamos de novo, com prazo.
pub fn retry_pause() {
    thread::sleep(Duration::from_millis(20));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_placeholders_and_makes_existing_paths_absolute() {
        let ws = Workspace::new().unwrap();
        let words: Vec<String> = ["python3", "{host}:{port}", "{file}", ".", "a.txt"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let out = expand(&words, "127.0.0.1", 8080, "a.txt", &ws.served);
        assert_eq!(out[0], "python3");
        assert_eq!(out[1], "127.0.0.1:8080");
        assert_eq!(out[2], "a.txt", "o que veio de um marcador não é mexido");
        assert_eq!(out[3], ".", "pastas ficam como estão");
        assert_eq!(out[4], ws.served.join("a.txt").display().to_string());
        assert!(mentions(&words, "{port}"));
        assert!(!mentions(&words, "{nada}"));
    }

    #[test]
    fn the_student_folder_is_the_scripts_not_the_programs() {
        let ws = Workspace::new().unwrap();
        std::fs::create_dir(ws.served.join("aluno")).unwrap();
        std::fs::write(ws.served.join("aluno/s.py"), "").unwrap();
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            student_folder(&words(&["python3", "aluno/s.py"]), &ws.served),
            ws.served.join("aluno")
        );
        // `a.txt` existe, mas é o programa: a pasta é a atual.
        assert_eq!(
            student_folder(&words(&["a.txt", "{port}"]), &ws.dir),
            ws.dir
        );
    }

    #[test]
    fn workspace_keeps_the_secret_outside_the_served_folder_and_cleans_up() {
        let ws = Workspace::new().unwrap();
        let dir = ws.dir.clone();
        assert!(!ws.secret_path().starts_with(&ws.served));
        assert_eq!(
            std::fs::read_to_string(ws.served.join("index.html")).unwrap(),
            PAGE
        );
        drop(ws);
        assert!(!dir.exists());
    }
}
