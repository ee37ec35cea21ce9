//! Calendário e formatação de datas, escritos à mão: `std` só sabe contar
//! segundos desde 1970 (`SystemTime`), não sabe o que é um dia, um mês ou um
//! fuso horário.
//!
//! Usado pela seção 2 (a data e hora de cada ping, como em "Código do
//! Cliente") e pela seção 3 (os cabeçalhos `Date`, `Last-Modified` e
//! `If-Modified-Since` do HTTP, RFC 9110 §5.6.7).
//!
//! Invariantes: as funções de conversão são puras (mesma entrada, mesma
//! saída); só [`LocalZone::load`] e [`unix_now`] tocam no sistema.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECS_PER_DAY: i64 = 86_400;
const WEEKDAYS_EN: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Uma data e hora "de calendário", já num fuso (UTC ou local).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    /// 1 a 12.
    pub month: u32,
    /// 1 a 31.
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = domingo … 6 = sábado.
    pub weekday: u32,
}

impl DateTime {
    /// Converte segundos desde 1970-01-01 00:00:00 UTC (o "tempo Unix").
    pub fn from_unix(secs: i64) -> DateTime {
        let days = secs.div_euclid(SECS_PER_DAY);
        let in_day = secs.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        DateTime {
            year,
            month,
            day,
            hour: in_day / 3600,
            minute: in_day / 60 % 60,
            second: in_day % 60,
            weekday: weekday_from_days(days),
        }
    }

    /// `dd/mm/aaaa HH:MM`, o formato que o cliente do enunciado imprime.
    pub fn format_br(&self) -> String {
        format!(
            "{:02}/{:02}/{:04} {:02}:{:02}",
            self.day, self.month, self.year, self.hour, self.minute
        )
    }
}

/// Dias desde 1970-01-01 → (ano, mês, dia), no calendário gregoriano proléptico.
///
/// O truque (de Howard Hinnant) é começar o ano em março: assim o dia 29 de
/// fevereiro fica no fim do "ano" e os meses têm um padrão regular de
/// 153 dias a cada 5 meses.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468; // dias desde 0000-03-01
    let era = z.div_euclid(146_097); // ciclos de 400 anos
    let doe = z.rem_euclid(146_097); // dia dentro do ciclo [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // dia do ano, março = 0
    let mp = (5 * doy + 2) / 153; // mês começando em março [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (ano, mês, dia) → dias desde 1970-01-01; o inverso de [`civil_from_days`].
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// 1970-01-01 foi uma quinta-feira (4).
fn weekday_from_days(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// O tempo Unix agora, com frações de segundo.
pub fn unix_now() -> Duration {
    // Um relógio antes de 1970 é um sistema mal configurado; tratamos como 0.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Segundos Unix de um `SystemTime` (negativo antes de 1970).
pub fn unix_secs(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// Data no formato IMF-fixdate, o único que o HTTP gera (RFC 9110 §5.6.7):
/// `Sun, 06 Nov 1994 08:49:37 GMT`. Sempre em GMT, sempre em inglês.
pub fn http_date(secs: i64) -> String {
    let t = DateTime::from_unix(secs);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS_EN[t.weekday as usize],
        t.day,
        MONTHS_EN[(t.month - 1) as usize],
        t.year,
        t.hour,
        t.minute,
        t.second
    )
}

/// Lê uma data HTTP. A RFC 9110 §5.6.7 manda o destinatário aceitar os três
/// formatos: IMF-fixdate, o obsoleto RFC 850 e o `asctime()` do C.
///
/// Devolve `None` para qualquer coisa fora da gramática, inclusive datas
/// impossíveis (31 de fevereiro) ou um dia da semana que não confere.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let words: Vec<&str> = text.split(' ').collect();
    let (wday, day, month, year, time) = match words.as_slice() {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        [wday, day, mon, year, time, "GMT"] if day.len() == 2 && year.len() == 4 => {
            (wday.strip_suffix(',')?, *day, *mon, digits(year)?, *time)
        }
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        [wday, date, time, "GMT"] => {
            let mut parts = date.split('-');
            let (day, mon, yy) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || yy.len() != 2 || day.len() != 2 {
                return None;
            }
            let yy: i64 = digits(yy)?;
            // RFC 9110: um ano de dois dígitos que pareça estar mais de 50
            // anos no futuro é do século passado.
            let this_year = DateTime::from_unix(unix_now().as_secs() as i64).year;
            let mut year = this_year - this_year % 100 + yy;
            if year > this_year + 50 {
                year -= 100;
            }
            let long = wday.strip_suffix(',')?;
            let short = long.get(..3)?;
            if !long.ends_with("day") {
                return None;
            }
            (short, day, mon, year, *time)
        }
        // asctime: "Sun Nov  6 08:49:37 1994" (dia com espaço à esquerda)
        [wday, mon, "", day, time, year] if day.len() == 1 && year.len() == 4 => {
            (*wday, *day, *mon, digits(year)?, *time)
        }
        [wday, mon, day, time, year] if day.len() == 2 && year.len() == 4 => {
            (*wday, *day, *mon, digits(year)?, *time)
        }
        _ => return None,
    };
    let month = MONTHS_EN.iter().position(|m| *m == month)? as u32 + 1;
    let day: u32 = digits(day)?;
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut hms = time.split(':');
    let (h, m, s) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() || h.len() != 2 || m.len() != 2 || s.len() != 2 {
        return None;
    }
    let (h, m, s): (i64, i64, i64) = (digits(h)?, digits(m)?, digits(s)?);
    // 60 é permitido: segundo bissexto (RFC 9110 §5.6.7).
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if WEEKDAYS_EN[weekday_from_days(days) as usize] != wday {
        return None;
    }
    Some(days * SECS_PER_DAY + h * 3600 + m * 60 + s)
}

/// Só dígitos ASCII (sem sinal, sem espaços), como a gramática pede.
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

// ---------------------------------------------------------------------------
// Fuso horário local
// ---------------------------------------------------------------------------

/// O fuso horário do sistema, lido de `TZ` ou de `/etc/localtime`.
///
/// Os arquivos de fuso (formato TZif, RFC 8536) listam os instantes em que o
/// deslocamento muda; depois da última mudança vale uma regra no estilo
/// POSIX (`<-03>3` para São Paulo, `CET-1CEST,M3.5.0,M10.5.0/3` para Berlim).
#[derive(Debug, Clone, PartialEq)]
pub struct LocalZone {
    /// Instantes (Unix) de cada mudança, em ordem, e o deslocamento a partir dali.
    transitions: Vec<(i64, i32)>,
    /// Deslocamento antes da primeira mudança.
    initial: i32,
    /// A regra que vale depois da última mudança (o "rodapé" do TZif).
    rule: Option<PosixRule>,
}

impl LocalZone {
    /// Lê o fuso do sistema. `None` quando não dá (sem `/etc/localtime`, `TZ`
    /// que não conseguimos entender…): quem chama usa UTC e avisa.
    pub fn load() -> Option<LocalZone> {
        match std::env::var("TZ") {
            Ok(tz) => Self::from_tz_var(&tz),
            Err(_) => Self::from_tzif(&std::fs::read("/etc/localtime").ok()?),
        }
    }

    /// Interpreta o valor da variável `TZ`: vazio é UTC; `:/caminho` ou
    /// `America/Sao_Paulo` é um arquivo; o resto é uma regra POSIX.
    pub fn from_tz_var(tz: &str) -> Option<LocalZone> {
        let tz = tz.strip_prefix(':').unwrap_or(tz);
        if tz.is_empty() {
            return Some(LocalZone::fixed(0));
        }
        if tz.starts_with('/') {
            return Self::from_tzif(&std::fs::read(tz).ok()?);
        }
        if !tz.split('/').any(|part| part == "..")
            && let Ok(bytes) = std::fs::read(format!("/usr/share/zoneinfo/{tz}"))
        {
            return Self::from_tzif(&bytes);
        }
        let rule = PosixRule::parse(tz)?;
        Some(LocalZone {
            transitions: Vec::new(),
            initial: rule.std_offset,
            rule: Some(rule),
        })
    }

    /// Um fuso de deslocamento fixo (em segundos a leste de UTC).
    pub fn fixed(offset: i32) -> LocalZone {
        LocalZone {
            transitions: Vec::new(),
            initial: offset,
            rule: None,
        }
    }

    /// Lê um arquivo TZif (versões 1 a 4). Devolve `None` se estiver malformado.
    pub fn from_tzif(bytes: &[u8]) -> Option<LocalZone> {
        let header = Header::read(bytes)?;
        if header.version == 0 {
            return header.data(bytes, 0, 4);
        }
        // Versões 2+: pulamos o bloco de 32 bits e lemos o de 64 bits.
        let second = 44 + header.v1_len();
        let header2 = Header::read(bytes.get(second..)?)?;
        let mut zone = header2.data(bytes, second, 8)?;
        let footer_start = second + 44 + header2.data_len(8);
        let footer = bytes.get(footer_start..)?;
        if let Some(text) = footer
            .strip_prefix(b"\n")
            .and_then(|f| f.split(|&b| b == b'\n').next())
            .and_then(|f| std::str::from_utf8(f).ok())
        {
            zone.rule = PosixRule::parse(text);
        }
        Some(zone)
    }

    /// Deslocamento (segundos a leste de UTC) num instante Unix.
    pub fn offset_at(&self, secs: i64) -> i32 {
        let after = self.transitions.partition_point(|&(at, _)| at <= secs);
        match (after, &self.rule) {
            (n, Some(rule)) if n == self.transitions.len() => rule.offset_at(secs),
            (0, _) => self.initial,
            (n, _) => self.transitions[n - 1].1,
        }
    }

    /// A data e hora local de um instante Unix.
    pub fn to_local(&self, secs: i64) -> DateTime {
        DateTime::from_unix(secs + i64::from(self.offset_at(secs)))
    }
}

/// Cabeçalho TZif: 44 bytes, contadores em big-endian.
struct Header {
    version: u8,
    isutcnt: usize,
    isstdcnt: usize,
    leapcnt: usize,
    timecnt: usize,
    typecnt: usize,
    charcnt: usize,
}

impl Header {
    fn read(bytes: &[u8]) -> Option<Header> {
        if bytes.get(..4)? != b"TZif" {
            return None;
        }
        let count = |i: usize| -> Option<usize> {
            let b = bytes.get(20 + 4 * i..24 + 4 * i)?;
            Some(u32::from_be_bytes(b.try_into().ok()?) as usize)
        };
        let version = match *bytes.get(4)? {
            0 => 0,
            v @ b'2'..=b'9' => v - b'0',
            _ => return None,
        };
        Some(Header {
            version,
            isutcnt: count(0)?,
            isstdcnt: count(1)?,
            leapcnt: count(2)?,
            timecnt: count(3)?,
            typecnt: count(4)?,
            charcnt: count(5)?,
        })
    }

    fn data_len(&self, time_size: usize) -> usize {
        self.timecnt * (time_size + 1)
            + self.typecnt * 6
            + self.charcnt
            + self.leapcnt * (time_size + 4)
            + self.isstdcnt
            + self.isutcnt
    }

    fn v1_len(&self) -> usize {
        self.data_len(4)
    }

    /// Lê transições e tipos do bloco que começa em `start` (cabeçalho incluso).
    fn data(&self, bytes: &[u8], start: usize, time_size: usize) -> Option<LocalZone> {
        if self.typecnt == 0 {
            return None;
        }
        let times = start + 44;
        let indices = times + self.timecnt * time_size;
        let types = indices + self.timecnt;
        let body = bytes.get(times..types + self.typecnt * 6)?;
        let body_at = |i: usize| i - times;
        let offset_of_type = |t: usize| -> Option<i32> {
            let at = body_at(types + 6 * t);
            Some(i32::from_be_bytes(body.get(at..at + 4)?.try_into().ok()?))
        };
        let mut transitions = Vec::with_capacity(self.timecnt);
        for i in 0..self.timecnt {
            let at = body_at(times + i * time_size);
            let raw = body.get(at..at + time_size)?;
            let when = if time_size == 8 {
                i64::from_be_bytes(raw.try_into().ok()?)
            } else {
                i64::from(i32::from_be_bytes(raw.try_into().ok()?))
            };
            let kind = usize::from(*body.get(body_at(indices + i))?);
            if kind >= self.typecnt {
                return None;
            }
            transitions.push((when, offset_of_type(kind)?));
        }
        Some(LocalZone {
            transitions,
            initial: offset_of_type(0)?,
            rule: None,
        })
    }
}

/// Uma regra de fuso no estilo POSIX (`TZ=BRT3`, `CET-1CEST,M3.5.0,M10.5.0/3`).
///
/// Só entendemos regras de horário de verão na forma `Mm.s.d` (mês, semana,
/// dia da semana), que é a que os arquivos TZif de hoje usam.
#[derive(Debug, Clone, PartialEq)]
struct PosixRule {
    /// Segundos a leste de UTC (o POSIX escreve o sinal ao contrário).
    std_offset: i32,
    dst: Option<(i32, Transition, Transition)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Transition {
    month: u32,
    week: u32,
    weekday: u32,
    /// Hora local da mudança, em segundos (pode ser negativa ou passar de 24h).
    time: i32,
}

impl PosixRule {
    fn parse(text: &str) -> Option<PosixRule> {
        let mut rest = skip_name(text)?;
        let (std_west, after) = parse_offset(rest)?;
        rest = after;
        if rest.is_empty() {
            return Some(PosixRule {
                std_offset: -std_west,
                dst: None,
            });
        }
        rest = skip_name(rest)?;
        let mut dst_west = std_west - 3600;
        if !rest.starts_with(',') {
            let (west, after) = parse_offset(rest)?;
            dst_west = west;
            rest = after;
        }
        let mut rules = rest.strip_prefix(',')?.split(',');
        let start = Transition::parse(rules.next()?)?;
        let end = Transition::parse(rules.next()?)?;
        if rules.next().is_some() {
            return None;
        }
        Some(PosixRule {
            std_offset: -std_west,
            dst: Some((-dst_west, start, end)),
        })
    }

    fn offset_at(&self, secs: i64) -> i32 {
        let Some((dst_offset, start, end)) = self.dst else {
            return self.std_offset;
        };
        let year = DateTime::from_unix(secs + i64::from(self.std_offset)).year;
        // O início está em hora padrão; o fim, em hora de verão.
        let begins = start.at(year) - i64::from(self.std_offset);
        let ends = end.at(year) - i64::from(dst_offset);
        let in_dst = if begins < ends {
            begins <= secs && secs < ends
        } else {
            // Hemisfério sul: o verão atravessa o ano novo.
            !(ends <= secs && secs < begins)
        };
        if in_dst { dst_offset } else { self.std_offset }
    }
}

impl Transition {
    /// `M10.5.0/3` = último (5) domingo (0) de outubro (10), às 3h.
    fn parse(text: &str) -> Option<Transition> {
        let (date, time) = match text.split_once('/') {
            Some((d, t)) => (d, parse_hms(t)?),
            None => (text, 7200),
        };
        let mut parts = date.strip_prefix('M')?.split('.');
        let month: u32 = digits(parts.next()?)?;
        let week: u32 = digits(parts.next()?)?;
        let weekday: u32 = digits(parts.next()?)?;
        let valid = (1..=12).contains(&month) && (1..=5).contains(&week) && weekday <= 6;
        (valid && parts.next().is_none()).then_some(Transition {
            month,
            week,
            weekday,
            time,
        })
    }

    /// O instante (em "segundos locais" desde 1970) desta mudança num ano.
    fn at(&self, year: i64) -> i64 {
        let first = days_from_civil(year, self.month, 1);
        let first_weekday = weekday_from_days(first);
        let mut day = 1 + (self.weekday + 7 - first_weekday) % 7 + (self.week - 1) * 7;
        if day > days_in_month(year, self.month) {
            day -= 7; // "semana 5" quer dizer "a última"
        }
        (first + i64::from(day) - 1) * SECS_PER_DAY + i64::from(self.time)
    }
}

/// Pula o nome do fuso: `BRT` ou `<-03>`.
fn skip_name(text: &str) -> Option<&str> {
    if let Some(quoted) = text.strip_prefix('<') {
        let end = quoted.find('>')?;
        return Some(&quoted[end + 1..]);
    }
    let len = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    (len >= 3).then(|| &text[len..])
}

/// `[+-]hh[:mm[:ss]]`, devolvendo segundos **a oeste** (convenção POSIX).
fn parse_offset(text: &str) -> Option<(i32, &str)> {
    let len = text
        .bytes()
        .take_while(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b':'))
        .count();
    Some((parse_hms(&text[..len])?, &text[len..]))
}

fn parse_hms(text: &str) -> Option<i32> {
    let (sign, body) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let mut total = 0;
    for (i, part) in body.split(':').enumerate() {
        if i > 2 || part.is_empty() || part.len() > 3 {
            return None;
        }
        let n: i32 = digits(part)?;
        total += n * [3600, 60, 1][i];
    }
    Some(sign * total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_thursday_first_of_january_1970() {
        let t = DateTime::from_unix(0);
        assert_eq!((t.year, t.month, t.day, t.weekday), (1970, 1, 1, 4));
        assert_eq!(t.format_br(), "01/01/1970 00:00");
    }

    #[test]
    fn leap_day_2024_is_formatted_and_round_trips() {
        // 2024-02-29 12:34:56 UTC
        let secs = 1_709_210_096;
        let t = DateTime::from_unix(secs);
        assert_eq!(t.format_br(), "29/02/2024 12:34");
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        assert_eq!(http_date(secs), "Thu, 29 Feb 2024 12:34:56 GMT");
    }

    #[test]
    fn today_matches_the_session_date() {
        // 2026-11-24 20:30:00 UTC, uma terça-feira.
        let secs = 1_795_552_200;
        assert_eq!(DateTime::from_unix(secs).format_br(), "24/11/2026 20:30");
        assert_eq!(http_date(secs), "Tue, 24 Nov 2026 20:30:00 GMT");
    }

    #[test]
    fn civil_conversion_round_trips_over_four_centuries() {
        for days in (-200_000..200_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn parses_all_three_http_date_formats() {
        let expected = Some(784_111_777);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            expected,
            "ano de dois dígitos do século passado"
        );
    }

    #[test]
    fn rejects_impossible_or_malformed_http_dates() {
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Mon, 06 Nov 1994 08:49:37 GMT", // dia da semana errado
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, +6 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn posix_rule_switches_to_summer_time_on_the_last_sunday_of_march() {
        let zone = LocalZone::from_tz_var("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        // 2024-03-31 00:59:59 UTC: ainda inverno (+1); 01:00:00 UTC: verão (+2).
        assert_eq!(zone.offset_at(1_711_846_799), 3600);
        assert_eq!(zone.offset_at(1_711_846_800), 7200);
        // 2024-10-27 01:00:00 UTC: volta ao inverno.
        assert_eq!(zone.offset_at(1_729_990_799), 7200);
        assert_eq!(zone.offset_at(1_729_990_800), 3600);
    }

    #[test]
    fn posix_rule_handles_southern_summer_and_fixed_offsets() {
        let sp_old = LocalZone::from_tz_var("<-03>3<-02>,M10.3.0/0,M2.3.0/0").unwrap();
        assert_eq!(sp_old.offset_at(1_705_000_000), -7200, "janeiro: verão");
        assert_eq!(sp_old.offset_at(1_720_000_000), -10800, "julho: inverno");
        let brt = LocalZone::from_tz_var("BRT3").unwrap();
        assert_eq!(brt.to_local(0).format_br(), "31/12/1969 21:00");
        assert_eq!(LocalZone::from_tz_var("").unwrap().offset_at(0), 0);
        assert_eq!(LocalZone::from_tz_var("!!"), None);
    }

    #[test]
    fn malformed_tzif_is_refused_without_panicking() {
        assert_eq!(LocalZone::from_tzif(b""), None);
        assert_eq!(LocalZone::from_tzif(b"TZif2"), None);
        let mut bytes = b"TZif2".to_vec();
        bytes.resize(44, 0);
        bytes[36..40].copy_from_slice(&u32::MAX.to_be_bytes()); // typecnt enorme
        assert_eq!(LocalZone::from_tzif(&bytes), None);
    }

    #[test]
    fn reads_the_system_zone_files_when_present() {
        // Onde houver tzdata, São Paulo está em -03 desde 2019 (sem verão).
        if let Ok(bytes) = std::fs::read("/usr/share/zoneinfo/America/Sao_Paulo") {
            let zone = LocalZone::from_tzif(&bytes).unwrap();
            assert_eq!(zone.offset_at(1_795_552_200), -3 * 3600);
            assert_eq!(zone.offset_at(1_000_000_000), -3 * 3600); // set/2001
        }
    }
}
