//! Tudo o que pode estar errado numa mensagem HTTP, e o código de status
//! que cada erro vira, numa tabela só, ao lado da regra da RFC que ele aplica.
//!
//! Parte de 3a, 3b e 3c (`cargo serve`, `cargo get`); explicado em
//! `lessons/03-web-server.md`.

/// Tudo o que pode estar errado numa mensagem, um caso por regra da gramática.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpError {
    /// A linha de requisição não tem a forma `método SP alvo SP versão`.
    MalformedRequestLine,
    /// O método tem caracteres que não são de *token*.
    InvalidMethod,
    /// O alvo tem espaço, caractere de controle, `%` inválido…
    InvalidTarget,
    /// A versão não é `HTTP/` dígito `.` dígito.
    InvalidVersion,
    /// HTTP/0.x, HTTP/2.0, HTTP/3.0… numa conexão HTTP/1.
    UnsupportedVersion,
    /// O alvo passa de [`MAX_TARGET_LEN`](super::MAX_TARGET_LEN).
    TargetTooLong,
    /// Espaço entre a linha de requisição e o primeiro campo.
    WhitespaceAfterStartLine,
    /// Um campo sem `:` ou com nome vazio ou inválido.
    InvalidFieldName,
    /// `Host : x` — espaço entre o nome do campo e os dois-pontos.
    WhitespaceBeforeColon,
    /// Uma linha que começa com espaço (continuação, "obs-fold").
    ObsFold,
    /// Caractere de controle (NUL, CR solto, DEL…) no valor de um campo.
    InvalidFieldValue,
    /// O cabeçalho passa de [`MAX_HEADER_SECTION`](super::MAX_HEADER_SECTION).
    HeadersTooLarge,
    /// Mais de [`MAX_FIELDS`](super::MAX_FIELDS) campos.
    TooManyFields,
    /// Requisição HTTP/1.1 sem `Host`.
    MissingHost,
    /// Mais de um `Host`.
    DuplicateHost,
    /// `Host` com valor que não é `host[:porta]`.
    InvalidHost,
    /// `Content-Length` que não é um número.
    InvalidContentLength,
    /// Dois `Content-Length` diferentes.
    ConflictingContentLength,
    /// `Content-Length` e `Transfer-Encoding` juntos numa requisição.
    ContentLengthWithTransferEncoding,
    /// `Transfer-Encoding` em que `chunked` não é a última codificação.
    ChunkedNotFinal,
    /// Uma codificação de transferência que não conhecemos (`gzip`, `br`…).
    UnsupportedTransferCoding,
    /// A linha de status de uma resposta não é `HTTP/x.y NNN motivo`.
    MalformedStatusLine,
    /// Um *chunk* mal formado (tamanho não hexadecimal, sem CRLF…).
    InvalidChunk,
}

impl HttpError {
    /// Todas as variantes, na ordem em que são declaradas (para os testes
    /// percorrerem cada uma; um teste confere que a lista está completa).
    pub const ALL: [HttpError; 23] = [
        HttpError::MalformedRequestLine,
        HttpError::InvalidMethod,
        HttpError::InvalidTarget,
        HttpError::InvalidVersion,
        HttpError::UnsupportedVersion,
        HttpError::TargetTooLong,
        HttpError::WhitespaceAfterStartLine,
        HttpError::InvalidFieldName,
        HttpError::WhitespaceBeforeColon,
        HttpError::ObsFold,
        HttpError::InvalidFieldValue,
        HttpError::HeadersTooLarge,
        HttpError::TooManyFields,
        HttpError::MissingHost,
        HttpError::DuplicateHost,
        HttpError::InvalidHost,
        HttpError::InvalidContentLength,
        HttpError::ConflictingContentLength,
        HttpError::ContentLengthWithTransferEncoding,
        HttpError::ChunkedNotFinal,
        HttpError::UnsupportedTransferCoding,
        HttpError::MalformedStatusLine,
        HttpError::InvalidChunk,
    ];

    /// O código de status de cada erro, numa tabela só, ao lado da regra
    /// da RFC que ele aplica.
    pub fn status(self) -> u16 {
        use HttpError::*;
        match self {
            // RFC 9112 §3: linha de requisição inválida → 400.
            MalformedRequestLine | InvalidMethod | InvalidTarget | InvalidVersion => 400,
            // RFC 9112 §2.2: espaço antes do primeiro campo → rejeitar (400).
            WhitespaceAfterStartLine => 400,
            // RFC 9112 §5.1: espaço antes dos dois-pontos → 400.
            // RFC 9112 §5.2: obs-fold numa requisição → 400.
            // RFC 9110 §5.5: valor com CTL é inválido.
            InvalidFieldName | WhitespaceBeforeColon | ObsFold | InvalidFieldValue => 400,
            // RFC 9112 §3.2: Host ausente (1.1), repetido ou inválido → 400.
            MissingHost | DuplicateHost | InvalidHost => 400,
            // RFC 9112 §6.3: Content-Length inválido ou conflitante → 400;
            // CL + TE numa requisição: "MAY reject" (§6.1); chunked não final → 400.
            InvalidContentLength | ConflictingContentLength => 400,
            ContentLengthWithTransferEncoding | ChunkedNotFinal => 400,
            // RFC 9112 §6.1: codificação desconhecida → 501.
            UnsupportedTransferCoding => 501,
            // RFC 9112 §3 e RFC 9110 §15.5.15: alvo longo demais → 414.
            TargetTooLong => 414,
            // RFC 6585 §5: cabeçalhos grandes demais → 431.
            HeadersTooLarge | TooManyFields => 431,
            // RFC 9110 §15.6.6: versão maior não suportada → 505.
            UnsupportedVersion => 505,
            // Erros de resposta não viram status: o cliente os trata como falha.
            MalformedStatusLine | InvalidChunk => 502,
        }
    }

    /// Uma frase em português para a página de erro e para o cliente.
    pub fn describe(self) -> &'static str {
        use HttpError::*;
        match self {
            MalformedRequestLine => "a linha de requisição não tem a forma «MÉTODO alvo HTTP/1.1»",
            InvalidMethod => "o método tem caracteres inválidos",
            InvalidTarget => "o alvo da requisição tem caracteres inválidos",
            InvalidVersion => "a versão do HTTP está mal escrita",
            UnsupportedVersion => "esta versão do HTTP não é suportada",
            TargetTooLong => "o alvo da requisição é longo demais",
            WhitespaceAfterStartLine => "há espaço antes do primeiro cabeçalho",
            InvalidFieldName => "um cabeçalho tem nome inválido ou não tem dois-pontos",
            WhitespaceBeforeColon => "há espaço entre o nome de um cabeçalho e os dois-pontos",
            ObsFold => "um cabeçalho continua na linha seguinte (obs-fold), o que não é aceito",
            InvalidFieldValue => "um cabeçalho tem caractere de controle no valor",
            HeadersTooLarge => "os cabeçalhos são grandes demais",
            TooManyFields => "há cabeçalhos demais",
            MissingHost => "requisições HTTP/1.1 precisam do cabeçalho Host",
            DuplicateHost => "há mais de um cabeçalho Host",
            InvalidHost => "o cabeçalho Host é inválido",
            InvalidContentLength => "o Content-Length não é um número válido",
            ConflictingContentLength => "há valores diferentes de Content-Length",
            ContentLengthWithTransferEncoding => {
                "Content-Length e Transfer-Encoding não podem vir juntos"
            }
            ChunkedNotFinal => "chunked precisa ser a última codificação de transferência",
            UnsupportedTransferCoding => "codificação de transferência desconhecida",
            MalformedStatusLine => "a linha de status da resposta é inválida",
            InvalidChunk => "o corpo em chunks está mal formado",
        }
    }
}

/// A frase em português de [`HttpError::describe`].
impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl std::error::Error for HttpError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3_web_server::http::request::tests::req;

    #[test]
    fn every_error_maps_to_a_4xx_or_5xx_status_and_a_portuguese_sentence() {
        for err in HttpError::ALL {
            let status = err.status();
            assert!((400..600).contains(&status), "{err:?} → {status}");
            assert!(!err.describe().is_empty(), "{err:?}");
        }
        // Os dois que o parser produz de fato, de ponta a ponta.
        assert_eq!(req(b"G(T / HTTP/1.1\r\n\r\n").unwrap_err().status(), 400);
        assert_eq!(req(b"GET / HTTP/2.0\r\n\r\n").unwrap_err().status(), 505);
    }

    /// `ALL` está na ordem da declaração, sem buracos nem repetições
    /// (`as usize` é a posição de cada variante na declaração). O `match`
    /// abaixo não tem `_`: uma variante nova não compila até entrar nele,
    /// e o comentário dele lembra de pô-la também em `ALL`.
    #[test]
    fn all_lists_every_variant_once_in_declaration_order() {
        for (i, err) in HttpError::ALL.into_iter().enumerate() {
            assert_eq!(err as usize, i, "{err:?} fora de ordem em ALL");
        }
        use HttpError::*;
        for err in HttpError::ALL {
            // Variante nova? Ponha-a aqui **e** no fim de `HttpError::ALL`.
            match err {
                MalformedRequestLine
                | InvalidMethod
                | InvalidTarget
                | InvalidVersion
                | UnsupportedVersion
                | TargetTooLong
                | WhitespaceAfterStartLine
                | InvalidFieldName
                | WhitespaceBeforeColon
                | ObsFold
                | InvalidFieldValue
                | HeadersTooLarge
                | TooManyFields
                | MissingHost
                | DuplicateHost
                | InvalidHost
                | InvalidContentLength
                | ConflictingContentLength
                | ContentLengthWithTransferEncoding
                | ChunkedNotFinal
                | UnsupportedTransferCoding
                | MalformedStatusLine
                | InvalidChunk => {}
            }
        }
    }
}
