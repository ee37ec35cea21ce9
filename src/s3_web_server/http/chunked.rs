//! O corpo em *chunks* (`Transfer-Encoding: chunked`, RFC 9112 §7.1), que o
//! cliente (3c) decodifica um pedaço de cada vez.
//!
//! Parte de 3c (`cargo get`); explicado em `lessons/03-web-server.md`.

use std::ops::Range;

use super::syntax::{is_field_value_char, next_line, parse_field_line, trim_ows};
use super::{HttpError, MAX_RESPONSE_HEAD};

/// Uma linha de tamanho de *chunk* (com extensões) maior que isto é abuso.
const MAX_CHUNK_LINE: usize = 4 * 1024;

/// Decodificador de `Transfer-Encoding: chunked`, um pedaço de cada vez.
///
/// ```text
/// 5;ext=1\r\n      tamanho em hexadecimal, extensões opcionais
/// hello\r\n        5 bytes de dados
/// 0\r\n            o último chunk tem tamanho zero
/// Trailer: x\r\n   campos de "trailer" opcionais
/// \r\n             e uma linha em branco
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkedDecoder {
    state: ChunkState,
    trailer_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    Size,
    Data(u64),
    DataEnd,
    Trailers,
    Done,
}

/// O que [`ChunkedDecoder::decode`] encontrou.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Bytes de dados do corpo: esta faixa do buffer de entrada.
    Data(Range<usize>),
    /// Só bytes de controle (tamanho, CRLF, trailers) foram consumidos.
    Control,
    /// Falta uma linha inteira: leia mais bytes e chame de novo.
    NeedMore,
    /// O último chunk e os trailers acabaram: a mensagem terminou.
    Done,
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        ChunkedDecoder::new()
    }
}

impl ChunkedDecoder {
    pub fn new() -> ChunkedDecoder {
        ChunkedDecoder {
            state: ChunkState::Size,
            trailer_len: 0,
        }
    }

    /// Avança sobre `input`; devolve quantos bytes consumiu e o que achou.
    ///
    /// Os dados do corpo não são copiados: [`Chunk::Data`] aponta para uma
    /// faixa de `input`.
    ///
    /// # Erros
    /// [`HttpError::InvalidChunk`] para qualquer coisa fora da gramática.
    pub fn decode(&mut self, input: &[u8]) -> Result<(usize, Chunk), HttpError> {
        match self.state {
            ChunkState::Done => Ok((0, Chunk::Done)),
            ChunkState::Data(left) => {
                if input.is_empty() {
                    return Ok((0, Chunk::NeedMore));
                }
                let take = input.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                let left = left - take as u64;
                self.state = if left == 0 {
                    ChunkState::DataEnd
                } else {
                    ChunkState::Data(left)
                };
                Ok((take, Chunk::Data(0..take)))
            }
            ChunkState::DataEnd => match input {
                [b'\r', b'\n', ..] => self.control(2, ChunkState::Size),
                [b'\n', ..] => self.control(1, ChunkState::Size),
                [] | [b'\r'] => Ok((0, Chunk::NeedMore)),
                _ => Err(HttpError::InvalidChunk),
            },
            ChunkState::Size => {
                let Some((line, next)) = next_line(input, 0) else {
                    if input.len() > MAX_CHUNK_LINE {
                        return Err(HttpError::InvalidChunk);
                    }
                    return Ok((0, Chunk::NeedMore));
                };
                let size = parse_chunk_size(&input[line])?;
                if size == 0 {
                    self.control(next, ChunkState::Trailers)
                } else {
                    self.control(next, ChunkState::Data(size))
                }
            }
            ChunkState::Trailers => {
                let Some((line, next)) = next_line(input, 0) else {
                    if input.len() > MAX_RESPONSE_HEAD {
                        return Err(HttpError::InvalidChunk);
                    }
                    return Ok((0, Chunk::NeedMore));
                };
                self.trailer_len += next;
                if self.trailer_len > MAX_RESPONSE_HEAD {
                    return Err(HttpError::InvalidChunk);
                }
                if line.is_empty() {
                    self.state = ChunkState::Done;
                    return Ok((next, Chunk::Done));
                }
                // Um trailer é um campo como outro qualquer; validamos e descartamos.
                parse_field_line(&input[line]).map_err(|_| HttpError::InvalidChunk)?;
                Ok((next, Chunk::Control))
            }
        }
    }

    fn control(&mut self, used: usize, next: ChunkState) -> Result<(usize, Chunk), HttpError> {
        self.state = next;
        Ok((used, Chunk::Control))
    }
}

/// `chunk-size [ chunk-ext ]`: hexadecimal, depois `;nome=valor` opcionais.
fn parse_chunk_size(line: &[u8]) -> Result<u64, HttpError> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 16 {
        return Err(HttpError::InvalidChunk);
    }
    let rest = trim_ows(&line[digits..]);
    if !(rest.is_empty() || rest[0] == b';') || !rest.iter().all(|&b| is_field_value_char(b)) {
        return Err(HttpError::InvalidChunk);
    }
    line[..digits]
        .iter()
        .try_fold(0u64, |acc, &d| {
            let v = (d as char).to_digit(16)?;
            acc.checked_mul(16)?.checked_add(u64::from(v))
        })
        .ok_or(HttpError::InvalidChunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodifica `input` inteiro alimentando `step` bytes por vez.
    fn dechunk(input: &[u8], step: usize) -> Result<(Vec<u8>, bool), HttpError> {
        let mut decoder = ChunkedDecoder::new();
        let mut body = Vec::new();
        let mut buffered: Vec<u8> = Vec::new();
        let mut fed = 0;
        loop {
            let (used, chunk) = decoder.decode(&buffered)?;
            if let Chunk::Data(r) = &chunk {
                body.extend_from_slice(&buffered[r.clone()]);
            }
            buffered.drain(..used);
            match chunk {
                Chunk::Done => return Ok((body, true)),
                Chunk::NeedMore if fed >= input.len() => return Ok((body, false)),
                Chunk::NeedMore => {
                    let end = (fed + step).min(input.len());
                    buffered.extend_from_slice(&input[fed..end]);
                    fed = end;
                }
                _ => {}
            }
        }
    }

    #[test]
    fn decodes_chunks_with_extensions_and_trailers_in_any_split() {
        let wire = b"5;nome=valor\r\nhello\r\n7\r\n, mundo\r\n0\r\nX-Fim: sim\r\n\r\n";
        for step in [1, 2, 3, 7, 1000] {
            assert_eq!(
                dechunk(wire, step),
                Ok((b"hello, mundo".to_vec(), true)),
                "passo {step}"
            );
        }
    }

    #[test]
    fn chunked_body_without_last_chunk_is_not_done() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n", 4),
            Ok((b"hello".to_vec(), false))
        );
    }

    #[test]
    fn rejects_malformed_chunks() {
        for bad in [
            &b"xyz\r\n"[..],
            b"5\r\nhelloXX",
            b"\r\n",
            b"5 junk\r\nhello\r\n",
            b"11111111111111111\r\n",
        ] {
            assert_eq!(
                dechunk(bad, 100).unwrap_err(),
                HttpError::InvalidChunk,
                "{bad:?}"
            );
        }
    }
}
