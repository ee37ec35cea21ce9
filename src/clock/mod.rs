//! Calendário e formatação de datas, escritos à mão: `std` só sabe contar
//! segundos desde 1970 (`SystemTime`), não sabe o que é um dia, um mês ou um
//! fuso horário.
//!
//! Usado pela seção 2 (a data e hora de cada ping, como em "Código do
//! Cliente") e pela seção 3 (os cabeçalhos `Date`, `Last-Modified` e
//! `If-Modified-Since` do HTTP, RFC 9110 §5.6.7).
//!
//! Este arquivo tem o calendário e as datas HTTP. O fuso horário local
//! (arquivos TZif e regras POSIX da variável `TZ`) fica em [`tz`], que é
//! **leitura opcional**: para acompanhar "Data e Hora" do enunciado basta
//! saber que [`LocalClock::format_br`] devolve `dd/mm/aaaa HH:MM` na hora
//! local, ou em UTC (e dizendo "UTC") quando o fuso é desconhecido.
//!
//! Invariantes: as funções de conversão são puras (mesma entrada, mesma
//! saída); só [`LocalClock::load`] e [`unix_now`] tocam no sistema.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub mod tz;
pub use tz::LocalZone;

pub(crate) const SECS_PER_DAY: i64 = 86_400;
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
pub(crate) fn weekday_from_days(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
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
pub(crate) fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// O relógio de parede local, para a "Data e Hora" de cada ping.
///
/// Lê o fuso uma vez (veja [`tz::local_zone`]); sem fuso conhecido, as horas
/// saem em UTC com a etiqueta ` UTC`, para ninguém confundir com a hora local.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalClock {
    zone: Option<LocalZone>,
}

impl LocalClock {
    /// Descobre o fuso desta máquina: `TZ`, ou `/etc/localtime`.
    pub fn load() -> LocalClock {
        LocalClock {
            zone: tz::local_zone(),
        }
    }

    /// Sabemos o fuso? Se não, [`LocalClock::format_br`] diz "UTC".
    pub fn knows_zone(&self) -> bool {
        self.zone.is_some()
    }

    /// `dd/mm/aaaa HH:MM` do instante Unix `secs`, na hora local; ou
    /// `dd/mm/aaaa HH:MM UTC` quando o fuso é desconhecido.
    pub fn format_br(&self, secs: i64) -> String {
        match &self.zone {
            Some(zone) => zone.to_local(secs).format_br(),
            None => format!("{} UTC", DateTime::from_unix(secs).format_br()),
        }
    }
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
    fn unknown_zone_is_labelled_utc_and_known_zone_is_not() {
        let utc = LocalClock { zone: None };
        assert_eq!(utc.format_br(0), "01/01/1970 00:00 UTC");
        let brasilia = LocalClock {
            zone: LocalZone::from_tz_var("<-03>3"),
        };
        assert!(brasilia.knows_zone());
        assert_eq!(brasilia.format_br(0), "31/12/1969 21:00");
    }
}
