//! Lê a saída do cliente: qual linha é de qual ping, com RTT ou perdido.

use super::PINGS;
use crate::report::plural;

/// Uma linha da saída do cliente, já reconhecida.
#[derive(Debug, Clone, PartialEq)]
pub enum PingLine {
    /// Respondido, com o número do ping (se a linha tem) e o RTT como escrito.
    Answered { seq: Option<usize>, rtt: f64 },
    /// Perdido.
    Lost { seq: Option<usize> },
}

/// Linhas de resumo (estatísticas no fim) não são de um ping.
/// Só palavras que uma linha de um ping não teria ("máximo" teria: "tempo
/// máximo excedido"); o resto do resumo é achado pela posição, no fim.
const SUMMARY_WORDS: [&str; 11] = [
    "médio",
    "avg",
    "estatística",
    "estatistica",
    "statistic",
    "transmitid",
    "transmitted",
    "mín/",
    "min/",
    "média",
    "average",
];
/// Uma linha do resumo do fim (estatísticas), que não é de um ping.
fn is_summary(line: &str) -> bool {
    let lower = line.to_lowercase();
    SUMMARY_WORDS.iter().any(|w| lower.contains(w))
}

/// O primeiro número logo depois de `key` (pulando espaço, `:`, `=`, `#`).
fn number_after(line: &str, key: &str) -> Option<(f64, usize)> {
    let mut from = 0;
    while let Some(pos) = line[from..].find(key) {
        let start = from + pos + key.len();
        let rest = &line[start..];
        let trimmed = rest.trim_start_matches([' ', ':', '=', '#', '\t']);
        let skipped = rest.len() - trimmed.len();
        let digits: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == 'e' || *c == '-')
            .collect();
        let digits = digits
            .trim_end_matches(['.', ',', 'e', '-'])
            .replace(',', ".");
        if digits.starts_with(|c: char| c.is_ascii_digit())
            && let Ok(value) = digits.parse::<f64>()
        {
            return Some((value, start + skipped));
        }
        from = start;
    }
    None
}

/// O RTT escrito sem rótulo (`b'PING', 0, 0.000216`): o último número
/// com casas decimais (ou expoente) da linha, se for pequeno (um RTT em segundos ou em
/// milissegundos; um horário `time.time()` ecoado passa de um milhão).
fn unlabeled_rtt(line: &str) -> Option<f64> {
    let mut found = None;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || bytes[i] == b'.'
                    || bytes[i] == b'e'
                    || (bytes[i] == b'-' && bytes[i - 1] == b'e'))
            {
                i += 1;
            }
            let text = line[start..i].trim_end_matches(['.', 'e', '-']);
            // Com casas decimais, ou em notação científica (`7e-05`: o
            // Python escreve assim os RTTs pequenos).
            if (text.contains('.') || text.contains('e'))
                && let Ok(value) = text.parse::<f64>()
                && value < 1e6
            {
                found = Some(value);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// O RTT de uma linha: depois de `rtt`, `time` ou `tempo` (o formato do
/// enunciado, `RTT: 0.0001`, e `time=0,52 ms`), ou sem rótulo.
fn rtt_of(line: &str) -> Option<f64> {
    let lower = line.to_lowercase();
    ["rtt", "time", "tempo"]
        .iter()
        .find_map(|key| number_after(&lower, key))
        .map(|(v, _)| v)
        .or_else(|| unlabeled_rtt(&lower))
}

/// O número do ping escrito na linha (`Ping: 3`, `seq=3`), se houver.
fn seq_of(line: &str) -> Option<usize> {
    let lower = line.to_lowercase();
    ["icmp_seq", "seq", "ping"]
        .iter()
        .find_map(|key| number_after(&lower, key))
        .filter(|(v, _)| v.fract() == 0.0 && *v >= 0.0 && *v < 1e6)
        .map(|(v, _)| v as usize)
}

/// Reconhece uma linha: com RTT, é de um ping respondido; sem RTT, é de um
/// ping perdido, com as palavras que o aluno quiser ("Request timed out",
/// "Solicitação 3 expirada", "esgotado"...): não há lista de palavras. Qual
/// linha é de um ping quem decide é [`parse_output`]. `None`: resumo do fim.
pub fn classify(line: &str) -> Option<PingLine> {
    if is_summary(line) {
        return None;
    }
    let seq = seq_of(line);
    Some(match rtt_of(line) {
        Some(rtt) => PingLine::Answered { seq, rtt },
        None => PingLine::Lost { seq },
    })
}

/// A forma de uma linha, sem os números: linhas da mesma forma são o mesmo
/// `print` do programa.
fn shape(line: &str) -> String {
    let mut out = String::new();
    for c in line.trim().to_lowercase().chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else if !(c == '.' || c == ',') || !out.ends_with('#') {
            out.push(c);
        }
    }
    // O Python escreve RTTs pequenos em notação científica (`9.5e-05`): o
    // mesmo `print` não pode virar duas formas.
    out.replace("#e-#", "#")
        .replace("#e+#", "#")
        .replace("#e#", "#")
}

/// Lê pelos números escritos nas linhas (`Ping: 3 ... RTT: 0.0001`), quando
/// toda linha com RTT tem o seu número: uma linha sem RTT com número é de um
/// ping perdido (a não ser que o mesmo ping tenha uma linha com RTT); uma
/// sem número, entre duas respostas, é do ping seguinte ao anterior.
fn by_number(candidates: &[&str]) -> Option<Vec<(usize, PingLine)>> {
    // Uma linha numerada sem RTT seguida de linhas com RTT sem número
    // («Message Received PING 1» e depois «RTT 0.0003», «Min RTT…») é um
    // ping só: o número de uma com o RTT da primeira das outras.
    let mut parsed: Vec<PingLine> = Vec::new();
    let mut origin: Vec<usize> = Vec::new();
    let mut attach = false;
    for (i, line) in candidates.iter().enumerate() {
        let Some(line) = classify(line) else {
            continue;
        };
        if attach && let PingLine::Answered { seq: None, rtt } = line {
            if let Some(last) = parsed.last_mut()
                && let PingLine::Lost { seq: Some(s) } = *last
            {
                *last = PingLine::Answered { seq: Some(s), rtt };
            }
            continue;
        }
        attach = matches!(line, PingLine::Lost { seq: Some(_) });
        parsed.push(line);
        origin.push(i);
    }
    let seq_of_line = |l: &PingLine| match l {
        PingLine::Answered { seq, .. } | PingLine::Lost { seq } => *seq,
    };
    // Depois da última resposta numerada vem o resumo do programa
    // ("RTT mínimo 0.0001..."), que não é de um ping.
    let last = parsed
        .iter()
        .rposition(|l| matches!(l, PingLine::Answered { seq: Some(_), .. }))?;
    let answered: Vec<Option<usize>> = parsed[..=last]
        .iter()
        .filter(|l| matches!(l, PingLine::Answered { .. }))
        .map(seq_of_line)
        .collect();
    if answered.len() < 2 || answered.iter().any(Option::is_none) {
        return None;
    }
    let offset = usize::from(answered.first().copied().flatten() == Some(0));
    // A forma de uma linha numerada sem RTT que aparece também num ping
    // respondido ("Enviando ping 3") é enfeite, não perda: num ping perdido
    // ela só diz qual ping vem agora.
    let answered_seqs: Vec<usize> = answered.iter().flatten().copied().collect();
    // Em pelo menos dois pings respondidos: num só, pode ser a perda de um
    // ping cuja resposta atrasada foi ecoada com o mesmo número.
    let mut decoration: Vec<String> = Vec::new();
    for (i, l) in parsed[..=last].iter().enumerate() {
        if matches!(l, PingLine::Lost { seq: Some(s) } if answered_seqs.contains(s)) {
            decoration.push(shape(candidates[origin[i]]));
        }
    }
    let decoration: Vec<String> = decoration
        .iter()
        .filter(|s| decoration.iter().filter(|t| t == s).count() >= 2)
        .cloned()
        .collect();
    let mut found: std::collections::BTreeMap<usize, PingLine> = Default::default();
    let mut current = 0;
    let mut same_ping = false;
    // A linha anterior foi o enfeite do ping atual ("Ping 6 enviado").
    let mut after_header = false;
    for (i, line) in parsed[..=last].iter().enumerate() {
        let seq = seq_of_line(line);
        let index = match seq {
            // Uma resposta com o número de um ping que já tem linha de
            // perda é a resposta atrasada dele, ecoada com o número antigo,
            // chegando na espera do ping atual (um socket só para todos).
            Some(s)
                if matches!(line, PingLine::Answered { .. })
                    && s + offset <= current
                    && matches!(found.get(&(s + offset)), Some(PingLine::Lost { .. })) =>
            {
                if after_header {
                    current
                } else {
                    current + 1
                }
            }
            Some(s) if s + offset > 0 && s + offset <= PINGS + 5 => s + offset,
            Some(_) => continue,
            // Sem número, antes da primeira linha de ping: cabeçalho.
            None if current == 0 => continue,
            // Sem número, logo depois de "Enviando ping 5" ou "Ping 5" sem
            // RTT: é o mesmo ping (e "Tempo esgotado" diz o que houve).
            None if same_ping => current,
            None => current + 1,
        };
        let is_loss = matches!(line, PingLine::Lost { .. });
        same_ping = seq.is_some() && is_loss;
        current = index;
        after_header =
            seq.is_some() && is_loss && decoration.contains(&shape(candidates[origin[i]]));
        if after_header {
            continue;
        }
        let keep = matches!(
            (found.get(&index), line),
            (None, _) | (Some(PingLine::Lost { .. }), PingLine::Answered { .. })
        );
        if keep {
            found.insert(index, line.clone());
        }
    }
    Some(found.into_iter().collect())
}

/// A saída, lida: uma entrada por ping reconhecido, com o número do ping.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    Read(Vec<(usize, PingLine)>),
    /// Não deu para saber qual linha é de qual ping: o porquê.
    Unreadable(String),
}

/// Lê a saída do cliente, sem lista de palavras:
///
/// - com exatamente uma linha (não vazia, fora o resumo) por ping, como no
///   enunciado, a posição diz o ping: com RTT, respondido; sem, perdido;
/// - senão, as linhas com RTT são as respostas; entre a primeira e a última
///   delas (o primeiro e o último ping do roteiro são sempre respondidos),
///   uma linha sem RTT é de um ping perdido, a não ser que a forma dela se
///   repita em todo ping (um "Enviando ping 3..." antes de cada um).
///
/// `sent` é quantos pings chegaram ao corretor; se as linhas não fecham com
/// eles, a saída é [`Output::Unreadable`], em vez de numerar errado.
pub fn parse_output(text: &str, sent: usize) -> Output {
    let candidates: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !is_summary(l))
        .collect();
    if candidates.len() == sent.min(PINGS) {
        return Output::Read(
            candidates
                .iter()
                .enumerate()
                .filter_map(|(i, l)| classify(l).map(|line| (i + 1, line)))
                .collect(),
        );
    }
    if let Some(lines) = by_number(&candidates) {
        return Output::Read(lines);
    }
    let rtt_at: Vec<usize> = (0..candidates.len())
        .filter(|&i| rtt_of(candidates[i]).is_some())
        .collect();
    // Uma linha com RTT de forma única depois de todas as outras é o resumo
    // do fim ("RTT médio: 0.0003"), não um ping.
    let repeated = |i: &usize| {
        candidates
            .iter()
            .filter(|l| shape(l) == shape(candidates[*i]))
            .count()
            > 1
    };
    let last_repeated = rtt_at.iter().rposition(repeated);
    let rtt_at: Vec<usize> = match last_repeated {
        Some(at) if rtt_at.len() > 2 => rtt_at[..=at].to_vec(),
        _ => rtt_at,
    };
    let (Some(&first), Some(&last)) = (rtt_at.first(), rtt_at.last()) else {
        return Output::Unreadable(if candidates.is_empty() {
            "o programa não escreveu nada".to_string()
        } else {
            format!(
                "nenhuma das {} tem um número de RTT",
                plural(candidates.len(), "linha", "linhas")
            )
        });
    };
    let answered_shapes: Vec<String> = rtt_at.iter().map(|&i| shape(candidates[i])).collect();
    let count_shape = |s: &str| candidates.iter().filter(|l| shape(l) == s).count();
    let mut lines: Vec<PingLine> = Vec::new();
    for (i, line) in candidates.iter().enumerate().take(last + 1).skip(first) {
        let Some(parsed) = classify(line) else {
            continue;
        };
        let is_loss = matches!(parsed, PingLine::Lost { .. });
        // Uma linha que se repete em todo ping (ou em toda resposta) é enfeite.
        if is_loss
            && (count_shape(&shape(line)) >= rtt_at.len() || answered_shapes.contains(&shape(line)))
        {
            continue;
        }
        // Duas linhas com RTT do mesmo ping (a resposta e o RTT): uma só.
        if let (
            Some(PingLine::Answered { seq: Some(a), .. }),
            PingLine::Answered { seq: Some(b), .. },
        ) = (lines.last(), &parsed)
            && a == b
            && i > first
        {
            continue;
        }
        lines.push(parsed);
    }
    if lines.len() != sent.min(PINGS) {
        return Output::Unreadable(format!(
            "reconheci {} de ping ({} com RTT) para {} enviados, então não sei qual linha é de qual ping",
            plural(lines.len(), "linha", "linhas"),
            lines
                .iter()
                .filter(|l| matches!(l, PingLine::Answered { .. }))
                .count(),
            plural(sent.min(PINGS), "ping", "pings")
        ));
    }
    Output::Read(
        lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_rtt_in_scientific_notation_keeps_the_shape_of_its_print() {
        assert_eq!(
            shape("round trip time is 9.5e-05 seconds"),
            shape("round trip time is 0.000193 seconds")
        );
        assert_eq!(rtt_of("round trip time is 9.5e-05 seconds"), Some(9.5e-5));
        assert_eq!(rtt_of("round trip time is 7e-05 seconds"), Some(7e-5));
    }

    fn numbers(text: &str, sent: usize) -> Vec<(usize, bool)> {
        match parse_output(text, sent) {
            Output::Read(lines) => lines
                .into_iter()
                .map(|(i, l)| (i, matches!(l, PingLine::Answered { .. })))
                .collect(),
            Output::Unreadable(why) => panic!("ilegível: {why}"),
        }
    }

    #[test]
    fn a_ping_number_on_its_own_line_with_rtts_in_both_notations() {
        // O formato de um trabalho real (ping-client/17): o número sozinho,
        // a resposta, e o RTT na linha seguinte, às vezes em `9.5e-05`.
        let mut text = String::from("Running\n");
        for n in 1..=10 {
            text.push_str(&format!("{n}\n"));
            match n {
                5 | 9 => text.push_str("Request timeout\n"),
                2 => text.push_str("PING\nround trip time is 9.5e-05 seconds\n"),
                7 => text.push_str("PING\nround trip time is 7e-05 seconds\n"),
                _ => text.push_str("PING\nround trip time is 0.000193 seconds\n"),
            }
        }
        let read = numbers(&text, 10);
        assert_eq!(read.len(), 10, "{read:?}");
        assert_eq!(
            read.iter().filter(|(_, answered)| !answered).count(),
            2,
            "{read:?}"
        );
    }

    #[test]
    fn recognises_the_assignment_format_and_variants() {
        let a =
            "Ping: 1 Data e Hora: 25/11/2026 10:00 Mensagem do servidor: b'PACOTE' RTT: 0.000123";
        assert_eq!(
            classify(a),
            Some(PingLine::Answered {
                seq: Some(1),
                rtt: 0.000123
            })
        );
        assert_eq!(
            classify("Pacote foi perdido durante a transmissão"),
            Some(PingLine::Lost { seq: None })
        );
        assert_eq!(
            classify("Resposta de 127.0.0.1: seq=3 time=0,52 ms"),
            Some(PingLine::Answered {
                seq: Some(3),
                rtt: 0.52
            })
        );
        assert_eq!(
            classify("b'PING', 0, 0.000216"),
            Some(PingLine::Answered {
                seq: None,
                rtt: 0.000216
            })
        );
        assert_eq!(
            classify("Resposta: PING 1 1701234567.123"),
            Some(PingLine::Lost { seq: Some(1) }),
            "um horário ecoado não é RTT"
        );
        assert_eq!(
            classify("rtt mín/méd/máx/desvio = 0.1/0.2/0.3/0.0 ms"),
            None
        );
    }

    #[test]
    fn loss_lines_in_any_words_are_losses() {
        for loss in [
            "Request timed out",
            "Solicitação 2 expirada.",
            "Pacote perdido",
            "timeout",
            "esgotado",
            "lost",
            "??",
        ] {
            let text = format!("Ping 1 RTT: 0.1\n{loss}\nPing 3 RTT: 0.1\n");
            assert_eq!(
                numbers(&text, 3),
                vec![(1, true), (2, false), (3, true)],
                "{loss}"
            );
        }
    }

    #[test]
    fn ten_lines_are_read_by_position_and_other_layouts_by_rtt() {
        let mut text = String::new();
        for i in 1..=10 {
            if i == 4 {
                text.push_str("Enviando ping 4\nTempo esgotado\n");
            } else {
                text.push_str(&format!(
                    "Enviando ping {i}\nResposta: PING {i}\nRTT: 0.00{i}\n"
                ));
            }
        }
        let read = numbers(&format!("Cliente iniciado\n{text}Fim\n"), 10);
        assert_eq!(read.len(), 10);
        assert_eq!(read[3], (4, false));
        assert!(read.iter().filter(|(_, a)| *a).count() == 9);
        assert!(matches!(
            parse_output("ok\nok\n", 10),
            Output::Unreadable(_)
        ));
        assert!(matches!(
            parse_output("RTT: 0.1\nRTT: 0.1\n", 10),
            Output::Unreadable(_)
        ));
        // "Enviando ping 5" e depois "Tempo esgotado" são o mesmo ping, e o
        // resumo do fim não é um ping.
        let text = "Enviando ping 1\nPing 1 RTT: 0.1\nEnviando ping 2\nTempo esgotado\nEnviando ping 3\nTempo esgotado\nEnviando ping 4\nPing 4 RTT: 0.1\nRTT médio: 0.1\nPerdidos: 2\n";
        assert_eq!(
            numbers(text, 4),
            vec![(1, true), (2, false), (3, false), (4, true)]
        );
        let text = "Ping 1 RTT: 0.1\nTimeout\nTimeout\nPing 4 RTT: 0.1\n";
        assert_eq!(
            numbers(text, 4),
            vec![(1, true), (2, false), (3, false), (4, true)]
        );
        // "Enviando ping 2" sozinho não é um relato de perda.
        let text =
            "Enviando ping 1\nPing 1 RTT: 0.1\nEnviando ping 2\nEnviando ping 3\nPing 3 RTT: 0.1\n";
        assert_eq!(numbers(text, 3), vec![(1, true), (3, true)]);
        // Com números, as linhas que faltam são pings sem linha, não ilegíveis.
        assert_eq!(
            numbers("Ping 1 RTT: 0.1\nPing 3 RTT: 0.1\n", 10),
            vec![(1, true), (3, true)]
        );
    }
}
