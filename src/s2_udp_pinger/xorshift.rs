//! Gerador pseudoaleatório xorshift64 (Marsaglia, 2003), escrito à mão.
//!
//! O servidor do enunciado usa `random.randint` para simular perda. Aqui o
//! sorteio é este gerador de três linhas: determinístico para uma semente
//! (`--seed`), o que torna os testes e as aulas reproduzíveis.
//!
//! Invariante: [`Xorshift64`] é determinístico; só [`Xorshift64::from_entropy`]
//! olha o relógio e o número do processo. Não serve para criptografia.

use std::time::{SystemTime, UNIX_EPOCH};

/// O gerador: 64 bits de estado, nunca zero (zero é um ponto fixo do xorshift).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xorshift64 {
    state: u64,
}

impl Xorshift64 {
    /// Usa `state` tal como veio (trocando 0 por uma constante).
    fn from_state(state: u64) -> Xorshift64 {
        Xorshift64 {
            state: if state == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                state
            },
        }
    }

    /// Espalha a semente com o splitmix64 antes de usar: sementes vizinhas
    /// (1, 2, 3…) dariam começos de sequência parecidos sem isso.
    pub fn seeded(seed: u64) -> Xorshift64 {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Xorshift64::from_state(z ^ (z >> 31))
    }

    /// Semente tirada do relógio (nanossegundos) e do número do processo,
    /// para que duas execuções seguidas não sorteiem as mesmas perdas.
    pub fn from_entropy() -> Xorshift64 {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Xorshift64::seeded(nanos ^ (u64::from(std::process::id()) << 32))
    }

    /// O próximo número de 64 bits: três "xor com deslocamento".
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }

    /// Um número uniforme em [0, 1), com os 53 bits mais altos (a precisão de um `f64`).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Um inteiro uniforme em [0, n); `n` precisa ser maior que zero.
    pub fn below(&mut self, n: u64) -> u64 {
        // Multiplicar e pegar a metade alta evita o viés de `% n` para n pequeno.
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }
}

/// A perda simulada: descarta cada pacote com probabilidade `rate`.
///
/// Reusada pelo servidor de ping e pelo de heartbeat.
#[derive(Debug, Clone)]
pub struct Loss {
    rate: f64,
    rng: Xorshift64,
}

impl Loss {
    /// `rate` em [0, 1]; valores fora da faixa são limitados a ela.
    pub fn new(rate: f64, rng: Xorshift64) -> Loss {
        Loss {
            rate: if rate.is_nan() {
                0.0
            } else {
                rate.clamp(0.0, 1.0)
            },
            rng,
        }
    }

    /// A perda que os servidores de ping e de heartbeat montam a partir de
    /// `--loss` e `--seed`: sem semente, o sorteio vem de [`Xorshift64::from_entropy`].
    pub fn with_seed(rate: f64, seed: Option<u64>) -> Loss {
        let rng = seed.map_or_else(Xorshift64::from_entropy, Xorshift64::seeded);
        Loss::new(rate, rng)
    }

    /// `true` quando este pacote deve ser "perdido".
    ///
    /// `next_f64()` está em [0, 1): com `rate = 0` nunca é menor (nunca perde),
    /// com `rate = 1` sempre é (sempre perde), e no meio a chance é exatamente `rate`.
    pub fn should_drop(&mut self) -> bool {
        self.rng.next_f64() < self.rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sequence_for_state_one() {
        // Valores publicados do xorshift64 (13, 7, 17) partindo de x = 1.
        let mut rng = Xorshift64::from_state(1);
        assert_eq!(rng.next_u64(), 1_082_269_761);
        assert_eq!(rng.next_u64(), 1_152_992_998_833_853_505);
        assert_eq!(rng.next_u64(), 11_177_516_664_432_764_457);
    }

    #[test]
    fn same_seed_gives_same_sequence_and_zero_is_not_stuck() {
        let a: Vec<u64> = (0..5)
            .scan(Xorshift64::seeded(42), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(Xorshift64::seeded(42), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        let mut zero = Xorshift64::from_state(0);
        assert_ne!(zero.next_u64(), 0);
    }

    #[test]
    fn drop_rate_is_within_one_percent_over_100_000_draws() {
        for rate in [0.1, 0.3, 0.5, 0.9] {
            let mut loss = Loss::new(rate, Xorshift64::seeded(7));
            let dropped = (0..100_000).filter(|_| loss.should_drop()).count();
            let measured = dropped as f64 / 100_000.0;
            assert!(
                (measured - rate).abs() < 0.01,
                "p={rate}: medido {measured}"
            );
        }
    }

    #[test]
    fn loss_zero_never_drops_and_loss_one_always_drops() {
        let mut never = Loss::new(0.0, Xorshift64::seeded(1));
        let mut always = Loss::new(1.0, Xorshift64::seeded(1));
        for _ in 0..100_000 {
            assert!(!never.should_drop());
            assert!(always.should_drop());
        }
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Xorshift64::seeded(3);
        assert!((0..10_000).all(|_| rng.below(11) < 11));
    }
}
