//! # pratica-sockets
//!
//! Solução de referência, comentada em português, do trabalho de prática com
//! sockets (baseado nos laboratórios do Kurose & Ross). Cada seção do
//! enunciado tem um módulo, uma aula e um alvo do `make`:
//!
//! | seção do enunciado | módulo | aula | alvo do make |
//! |---|---|---|---|
//! | 1. Introdução | este arquivo | `lessons/01-introducao.md` | `make` |
//! | 2. UDP "Pinger" | [`s2_udp_pinger`] | `lessons/02-udp-pinger.md` | `make ping` |
//! | 2. (extra) UDP Heartbeat | [`s2_udp_pinger::heartbeat`] | `lessons/02-udp-pinger.md` | `make heartbeat` |
//! | 3a. servidor, uma requisição por vez | [`s3_web_server::a_single`] | `lessons/03-web-server.md` | `make serve-single` |
//! | 3b. servidor, uma thread por conexão | [`s3_web_server::b_threaded`] | `lessons/03-web-server.md` | `make serve` |
//! | 3. (extras) conexões persistentes, GET condicional, OPTIONS, 301 | [`s3_web_server::keep_alive`], [`s3_web_server::conditional`], [`s3_web_server::options`], [`s3_web_server::redirect`] | `lessons/03-web-server.md` | `make serve ARGS=--keep-alive` |
//! | 3c. cliente HTTP | [`s3_web_server::c_client`] | `lessons/03-web-server.md` | `make get FILE=index.html` |
//! | 2 e 3: conferir o trabalho do aluno | `src/bin/grader/` (fora desta biblioteca) | fim de cada aula | `make grade` |
//!
//! Módulos compartilhados pelas seções: [`cli`] (argumentos de linha de
//! comando), [`clock`] (calendário, datas HTTP e fuso horário), [`net`]
//! (prazo vencido, resolução de nomes, erros do sistema em português) e
//! [`output`] (escrever em stdout/stderr; um pipe fechado não é pânico). O
//! corretor (`src/bin/grader/`) é uma ferramenta à parte: usa esta biblioteca,
//! mas não faz parte da solução de referência.
//!
//! Nenhuma dependência externa e nenhum `unsafe`: tudo aqui usa só a
//! biblioteca padrão, e o compilador recusa `unsafe` neste crate.

#![forbid(unsafe_code)]

pub mod cli;
pub mod clock;
pub mod net;
pub mod output;
pub mod s2_udp_pinger;
pub mod s3_web_server;
