//! Os testes de integração, num binário só: uma mudança em `src/` religa
//! um executável, não treze. Cada arquivo é um módulo, e o nome completo de
//! um teste começa pelo do arquivo (`s2_udp_pinger::…`), que serve de filtro:
//! `cargo test --test it s2_udp_pinger::`.

mod support;

mod alunos;
mod commands;
mod fuzz_http;
mod grader;
mod grader_turma;
mod help;
mod lessons;
mod lessons_s2;
mod lessons_s3;
mod load_and_faults;
mod pratica;
mod s2_heartbeat;
mod s2_udp_pinger;
mod s3_keep_alive;
mod s3_web_server;
mod s3c_http_client;
