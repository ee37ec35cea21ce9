//! Seção 2 do enunciado: o UDP "Pinger".
//!
//! | arquivo | o que faz | parte do enunciado |
//! |---|---|---|
//! | [`server`] | ecoa datagramas em maiúsculas, com perda simulada | "Código do Servidor", "Perda de Pacotes" |
//! | [`client`] | 10 pings de um só socket, timeout de 1 s, RTT de cada um | "Código do Cliente", "Saídas" |
//! | [`stats`] | mín/méd/máx/desvio no fim, como o `ping` do sistema | "Saídas" |
//! | [`xorshift`] | o sorteio da perda, determinístico com `--seed` | "Perda de Pacotes" |
//! | [`heartbeat`] | extra: o UDP Heartbeat do livro-texto | (não está no enunciado) |
//!
//! Rode com `make ping` (os dois lados) ou `make ping-server` e
//! `make ping-client` em dois terminais; o extra, com `make heartbeat`.
//! A aula é `lessons/02-udp-pinger.md`.

pub mod client;
pub mod heartbeat;
pub mod server;
pub mod stats;
pub mod xorshift;
