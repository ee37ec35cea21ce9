//! Fuzzer de mutação do parser HTTP, movido pelo nosso xorshift.
//!
//! Parte de requisições e respostas válidas, vira, insere, apaga e duplica
//! bytes, e confere que o parser nunca entra em pânico e que todo resultado
//! é uma requisição coerente ou um erro tipado com status 4xx/5xx.
//! `make test` roda 10 000 casos; `make fuzz` roda 1 000 000.

use std::path::Path;

use pratica_sockets::s2_udp_pinger::xorshift::Xorshift64;
use pratica_sockets::s3_web_server::files::{self, Located};
use pratica_sockets::s3_web_server::http::{self, Chunk, ChunkedDecoder, MAX_TARGET_LEN, Parse};

const SEEDS: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\nHost: localhost:6789\r\n\r\n",
    b"GET /index.html?x=1&y=%20 HTTP/1.1\r\nHost: a\r\nUser-Agent: curl/8\r\nAccept: */*\r\n\r\n",
    b"HEAD /sub/ HTTP/1.0\r\n\r\n",
    b"POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
    b"PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"GET http://example.com/%2e%2e/a HTTP/1.1\r\nHost: example.com\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
    b"\r\nGET /a HTTP/1.1\nHost: [::1]:80\n\n",
];

const RESPONSE_SEEDS: &[&[u8]] = &[
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nX: y\r\n\r\n",
    b"HTTP/1.0 404 Not Found\r\n\r\n",
];

/// Bytes que costumam quebrar parsers.
const INTERESTING: &[u8] = b"\r\n :%/.?#\0\t\x7f\xff0;,HTTP";

fn mutate(rng: &mut Xorshift64, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let len = data.len() as u64;
        let at = rng.below(len + 1) as usize;
        match rng.below(5) {
            0 if !data.is_empty() => {
                let i = rng.below(len) as usize;
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let byte = if rng.below(2) == 0 {
                    INTERESTING[rng.below(INTERESTING.len() as u64) as usize]
                } else {
                    rng.next_u64() as u8
                };
                data.insert(at, byte);
            }
            2 if !data.is_empty() => {
                let end = (at + 1 + rng.below(8) as usize).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 if !data.is_empty() => {
                let start = rng.below(len) as usize;
                let end = (start + 1 + rng.below(16) as usize).min(data.len());
                let piece = data[start..end].to_vec();
                data.splice(at..at, piece);
            }
            _ => data.truncate(at),
        }
    }
    data
}

fn check_request(input: &[u8], root: &Path) {
    match http::parse_request(input) {
        Ok(Parse::Complete(req, used)) => {
            assert!(used <= input.len());
            assert!(req.target.len() <= MAX_TARGET_LEN);
            assert!(!req.method.is_empty());
            // O alvo aceito nunca resolve para fora da raiz.
            if let Ok(Located::File(path, _)) = files::locate(root, &req.target) {
                assert!(path.starts_with(root), "{path:?} fora de {root:?}");
            }
        }
        Ok(Parse::Partial) => {}
        Err(err) => assert!((400..600).contains(&err.status()), "{err:?}"),
    }
}

fn check_response(input: &[u8]) {
    match http::parse_response_head(input) {
        Ok(Parse::Complete(head, used)) => {
            assert!(used <= input.len());
            assert!((100..=999).contains(&head.status));
            if let Ok(http::BodyKind::Chunked) = head.body_kind(false) {
                let mut decoder = ChunkedDecoder::new();
                let mut rest = &input[used..];
                // Cada passo consome bytes ou para: nunca um laço infinito.
                for _ in 0..input.len() + 2 {
                    match decoder.decode(rest) {
                        Ok((n, Chunk::Data(r))) => {
                            assert!(r.end <= rest.len() && n == r.end);
                            rest = &rest[n..];
                        }
                        Ok((n, Chunk::Control)) => {
                            assert!(n > 0);
                            rest = &rest[n..];
                        }
                        Ok((_, Chunk::NeedMore | Chunk::Done)) | Err(_) => break,
                    }
                }
            }
        }
        Ok(Parse::Partial) | Err(_) => {}
    }
}

fn run(cases: u64, seed: u64) {
    let root = std::fs::canonicalize("www").expect("a pasta www existe");
    let mut rng = Xorshift64::seeded(seed);
    for _ in 0..cases {
        if rng.below(4) == 0 {
            let base = RESPONSE_SEEDS[rng.below(RESPONSE_SEEDS.len() as u64) as usize];
            check_response(&mutate(&mut rng, base));
        } else {
            let base = SEEDS[rng.below(SEEDS.len() as u64) as usize];
            check_request(&mutate(&mut rng, base), &root);
        }
    }
}

#[test]
fn ten_thousand_mutated_messages_never_panic_the_parser() {
    run(10_000, 2026);
}

#[test]
#[ignore = "longo: rode com `make fuzz`"]
fn one_million_mutated_messages_never_panic_the_parser() {
    run(1_000_000, 11_24);
}
