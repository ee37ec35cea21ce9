//! As estatísticas que o cliente imprime no fim, no estilo do `ping` do
//! iputils: transmitidos, recebidos, perda, e mín/méd/máx/desvio do RTT.
//!
//! Invariante: só aritmética; não faz E/S nem lê o relógio.

use std::fmt::Write;
use std::time::Duration;

/// Os RTTs coletados ao longo de uma execução do cliente.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PingStats {
    pub transmitted: u32,
    /// RTTs das respostas recebidas, em milissegundos.
    pub rtts_ms: Vec<f64>,
}

impl PingStats {
    /// Registra um ping enviado e, se houve resposta, o seu RTT.
    pub fn record(&mut self, rtt: Option<Duration>) {
        self.transmitted += 1;
        if let Some(rtt) = rtt {
            self.rtts_ms.push(rtt.as_secs_f64() * 1000.0);
        }
    }

    pub fn received(&self) -> u32 {
        self.rtts_ms.len() as u32
    }

    /// Porcentagem perdida (0 quando nada foi enviado).
    fn loss_percent(&self) -> f64 {
        if self.transmitted == 0 {
            return 0.0;
        }
        f64::from(self.transmitted - self.received()) * 100.0 / f64::from(self.transmitted)
    }

    /// (mín, méd, máx, desvio) em ms, ou `None` se nada voltou.
    ///
    /// O desvio é o desvio-padrão **populacional** (divide por n, não por
    /// n − 1), que é o que o `ping` chama de `mdev`.
    pub fn summary(&self) -> Option<(f64, f64, f64, f64)> {
        let n = self.rtts_ms.len() as f64;
        if self.rtts_ms.is_empty() {
            return None;
        }
        let min = self.rtts_ms.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self
            .rtts_ms
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let mean = self.rtts_ms.iter().sum::<f64>() / n;
        let variance = self.rtts_ms.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        Some((min, mean, max, variance.sqrt()))
    }

    /// O bloco final, exatamente como o cliente imprime.
    pub fn report(&self, target: &str) -> String {
        let mut out = format!("--- estatísticas do ping para {target} ---\n");
        let (sent, got) = (self.transmitted, self.received());
        let _ = writeln!(
            out,
            "{sent} {} transmitido{}, {got} recebido{}, {}% de perda",
            if sent == 1 { "pacote" } else { "pacotes" },
            plural(sent),
            plural(got),
            format_percent(self.loss_percent())
        );
        if let Some((min, avg, max, mdev)) = self.summary() {
            let _ = writeln!(
                out,
                "rtt mín/méd/máx/desvio = {min:.3}/{avg:.3}/{max:.3}/{mdev:.3} ms"
            );
        }
        out
    }
}

/// O "s" do plural: em português, só 1 é singular (0 pacotes, 1 pacote).
fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `30` para 30,0 e `33.3` para 33,33…: inteiro quando é inteiro, como o iputils.
fn format_percent(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as u64)
    } else {
        format!("{p:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: f64) -> Option<Duration> {
        Some(Duration::from_secs_f64(v / 1000.0))
    }

    #[test]
    fn summarizes_min_mean_max_and_population_deviation() {
        let mut s = PingStats::default();
        for v in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            s.record(ms(v));
        }
        s.record(None);
        s.record(None);
        let (min, avg, max, mdev) = s.summary().unwrap();
        assert!((min - 2.0).abs() < 1e-6 && (max - 9.0).abs() < 1e-6);
        assert!((avg - 5.0).abs() < 1e-6);
        assert!(
            (mdev - 2.0).abs() < 1e-6,
            "populacional: 2, amostral seria 2.138"
        );
        assert_eq!(
            s.report("localhost:12000"),
            "--- estatísticas do ping para localhost:12000 ---\n\
             10 pacotes transmitidos, 8 recebidos, 20% de perda\n\
             rtt mín/méd/máx/desvio = 2.000/5.000/9.000/2.000 ms\n"
        );
    }

    #[test]
    fn leaves_out_the_rtt_line_when_nothing_came_back() {
        let mut s = PingStats::default();
        for _ in 0..3 {
            s.record(None);
        }
        assert_eq!(s.summary(), None);
        assert_eq!(
            s.report("h:1"),
            "--- estatísticas do ping para h:1 ---\n\
             3 pacotes transmitidos, 0 recebidos, 100% de perda\n"
        );
    }

    #[test]
    fn one_packet_reads_in_the_singular() {
        let mut s = PingStats::default();
        s.record(ms(1.0));
        assert!(
            s.report("h:1")
                .contains("\n1 pacote transmitido, 1 recebido, 0% de perda\n")
        );
        s.record(None);
        assert!(
            s.report("h:1")
                .contains("\n2 pacotes transmitidos, 1 recebido, 50% de perda\n")
        );
    }

    #[test]
    fn fractional_loss_keeps_one_decimal() {
        let mut s = PingStats::default();
        s.record(None);
        s.record(ms(1.0));
        s.record(ms(1.0));
        assert!(
            s.report("h:1")
                .contains("3 pacotes transmitidos, 2 recebidos, 33.3% de perda")
        );
    }
}
