//! Human-readable text: aligned tables, times and durations, and the time
//! expressions `--since`/`--until` accept.
//!
//! Text output is for people; scripts use `--json`. So times are shown as
//! UTC calendar times (`2024-05-01 08:00:00Z`) with the time left, and the
//! time flags take whatever an operator is likely to type: an RFC 3339 time,
//! Unix seconds, or "the last hour" as `1h`. The calendar arithmetic is the
//! proleptic-Gregorian day count, done here to avoid a date dependency for
//! two small functions.

use crate::output::CliError;

/// Days since 1970-01-01 → (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y, m as u32, d as u32)
}

/// (year, month, day) → days since 1970-01-01.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds as `YYYY-MM-DD HH:MM:SSZ`.
pub fn time(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS.mmmZ`.
pub fn time_ms(ms: i64) -> String {
    let t = time(ms.div_euclid(1000));
    format!("{}.{:03}Z", t.trim_end_matches('Z'), ms.rem_euclid(1000))
}

/// An optional time, or `-`.
pub fn opt_time(secs: Option<i64>) -> String {
    secs.map(time).unwrap_or_else(|| "-".into())
}

/// A duration in seconds as `1h 59m`, `4m 10s`, `12s`.
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    if s >= 86_400 {
        format!("{}d {}h", s / 86_400, (s % 86_400) / 3600)
    } else if s >= 3600 {
        format!("{}h {}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m {}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

fn digits(field: &str, s: &str, what: &str) -> Result<i64, CliError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_time(field, &format!("{what} {s:?} is not a number")));
    }
    s.parse::<i64>()
        .map_err(|_| bad_time(field, &format!("{what} {s:?} is out of range")))
}

fn bad_time(field: &str, reason: &str) -> CliError {
    CliError::invalid(
        field,
        format!(
            "{reason}; give an RFC 3339 time (2024-05-01T08:00:00+08:00 or 2024-05-01), Unix seconds (1714521600), or a time ago (30s, 15m, 1h, 7d, 2w)"
        ),
    )
}

/// Parses an RFC 3339 time (`2024-05-01T08:00:00Z`, with an optional
/// fraction and a `Z` or `±HH:MM` offset; a space may replace the `T`; a
/// bare date means its midnight UTC) into Unix seconds.
fn parse_rfc3339(field: &str, s: &str) -> Result<i64, CliError> {
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return Err(bad_time(field, &format!("{s:?} is not a date-time")));
    }
    let y = digits(field, parts[0], "the year")?;
    let m = digits(field, parts[1], "the month")?;
    let d = digits(field, parts[2], "the day")?;
    if !(1..=12).contains(&m) {
        return Err(bad_time(field, &format!("month {m} does not exist")));
    }
    let (m, d) = (m as u32, d as u32);
    let month_days = days_from_civil(
        if m == 12 { y + 1 } else { y },
        if m == 12 { 1 } else { m + 1 },
        1,
    ) - days_from_civil(y, m, 1);
    if d == 0 || i64::from(d) > month_days {
        return Err(bad_time(
            field,
            &format!("day {d} does not exist in {y:04}-{m:02}"),
        ));
    }
    let day_secs = days_from_civil(y, m, d) * 86_400;
    let Some(rest) = rest else {
        return Ok(day_secs);
    };
    // Split the clock from the offset.
    let (clock, offset) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0i64)
    } else {
        let i = rest
            .rfind(['+', '-'])
            .ok_or_else(|| bad_time(field, &format!("{s:?} has no offset (add Z or +08:00)")))?;
        let (c, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let hm: Vec<&str> = off[1..].split(':').collect();
        if hm.len() != 2 || hm[0].len() != 2 || hm[1].len() != 2 {
            return Err(bad_time(field, &format!("offset {off:?} is not ±HH:MM")));
        }
        let oh = digits(field, hm[0], "the offset hour")?;
        let om = digits(field, hm[1], "the offset minute")?;
        if oh > 23 || om > 59 {
            return Err(bad_time(field, &format!("offset {off:?} is out of range")));
        }
        (c, sign * (oh * 3600 + om * 60))
    };
    let clock = clock.split('.').next().unwrap_or("");
    let hms: Vec<&str> = clock.split(':').collect();
    if hms.len() != 3 || hms.iter().any(|p| p.len() != 2) {
        return Err(bad_time(field, &format!("{s:?} has no HH:MM:SS time")));
    }
    let h = digits(field, hms[0], "the hour")?;
    let mi = digits(field, hms[1], "the minute")?;
    let se = digits(field, hms[2], "the second")?;
    if h > 23 || mi > 59 || se > 60 {
        return Err(bad_time(field, &format!("time {clock:?} is out of range")));
    }
    Ok(day_secs + h * 3600 + mi * 60 + se - offset)
}

/// Parses a `--since`/`--until` value into Unix milliseconds, relative to
/// `now_ms` for the `1h` form.
pub fn parse_when(field: &str, raw: &str, now_ms: i64) -> Result<i64, CliError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(bad_time(field, "the time is empty"));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let secs = digits(field, s, "the time")?;
        return secs
            .checked_mul(1000)
            .ok_or_else(|| bad_time(field, &format!("{s} is out of range")));
    }
    if let Some(c) = s.chars().find(|c| !c.is_ascii()) {
        // Slicing by bytes below is only safe on ASCII; name what to type instead.
        let instead = match c {
            '秒' => " (use s for seconds)",
            '分' => " (use m for minutes)",
            '时' | '時' => " (use h for hours)",
            '天' | '日' => " (use d for days)",
            '周' | '週' => " (use w for weeks)",
            _ => "",
        };
        return Err(bad_time(
            field,
            &format!("{s:?} contains {c:?}, which is not part of a time{instead}"),
        ));
    }
    let mut chars = s.chars();
    let unit = chars.next_back().unwrap_or(' ');
    let num = chars.as_str();
    if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
        let per = match unit {
            's' => Some(1),
            'm' => Some(60),
            'h' => Some(3600),
            'd' => Some(86_400),
            'w' => Some(7 * 86_400),
            _ => None,
        };
        if let Some(per) = per {
            let n = digits(field, num, "the amount")?;
            let ago = n
                .checked_mul(per * 1000)
                .ok_or_else(|| bad_time(field, &format!("{s} is too long ago")))?;
            return Ok(now_ms.saturating_sub(ago));
        }
    }
    parse_rfc3339(field, s).map(|secs| secs.saturating_mul(1000))
}

/// A table with a header row, printed with aligned columns.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells print empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The rendered table, or `empty` when there are no rows.
    pub fn render(&self, empty: &str) -> String {
        if self.rows.is_empty() {
            return empty.to_string();
        }
        let cols = self.header.len();
        let mut width = vec![0usize; cols];
        for r in std::iter::once(&self.header).chain(self.rows.iter()) {
            for (i, c) in r.iter().enumerate().take(cols) {
                width[i] = width[i].max(display_width(c));
            }
        }
        let mut out = String::new();
        for r in std::iter::once(&self.header).chain(self.rows.iter()) {
            let mut line = String::new();
            for (i, w) in width.iter().enumerate() {
                let cell = r.get(i).map(String::as_str).unwrap_or("");
                line.push_str(cell);
                if i + 1 < cols {
                    line.push_str(&" ".repeat(w - display_width(cell) + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Columns a string occupies on a terminal (wide CJK characters count two).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `Some(x)` as text, `None` as `-`.
pub fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_and_format() {
        assert_eq!(time(0), "1970-01-01 00:00:00Z");
        assert_eq!(time(1_714_521_600), "2024-05-01 00:00:00Z");
        assert_eq!(time(951_782_400), "2000-02-29 00:00:00Z");
        assert_eq!(time_ms(1_714_521_600_123), "2024-05-01 00:00:00.123Z");
        for t in [0i64, 951_782_400, 1_714_521_600, 4_102_444_800, -86_400] {
            let d = t.div_euclid(86_400);
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn when_accepts_rfc3339_unix_and_relative() {
        let now = 1_714_521_600_000;
        assert_eq!(parse_when("--since", "1714521600", now).unwrap(), now);
        assert_eq!(parse_when("--since", "1h", now).unwrap(), now - 3_600_000);
        assert_eq!(parse_when("--since", "30m", now).unwrap(), now - 1_800_000);
        assert_eq!(
            parse_when("--since", "7d", now).unwrap(),
            now - 7 * 86_400_000
        );
        assert_eq!(
            parse_when("--since", "2024-05-01T00:00:00Z", 0).unwrap(),
            now
        );
        assert_eq!(
            parse_when("--since", "2024-05-01T08:00:00+08:00", 0).unwrap(),
            now
        );
        assert_eq!(
            parse_when("--since", "2024-04-30T19:00:00.5-05:00", 0).unwrap(),
            now
        );
        assert_eq!(parse_when("--since", "2024-05-01", 0).unwrap(), now);
        for bad in [
            "",
            "yesterday",
            "2024-02-30",
            "2024-13-01",
            "2024-05-01T25:00:00Z",
            "2024-05-01T08:00:00",
            "5y",
            "7天",
            "天",
            "2024-05-01T08:00:00＋08:00",
            "１h",
            "é",
        ] {
            let e = parse_when("--since", bad, now).unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{bad}");
            assert!(e.message.contains("--since"), "{bad}: {}", e.message);
        }
        let e = parse_when("--since", "7天", now).unwrap_err();
        assert!(e.message.contains("use d for days"), "{}", e.message);
    }

    #[test]
    fn tables_align_and_durations_read_well() {
        let mut t = Table::new(&["A", "NAME"]);
        t.row(vec!["x".into(), "小程序".into()]);
        t.row(vec!["longer".into(), "b".into()]);
        assert_eq!(
            t.render("none"),
            "A       NAME\nx       小程序\nlonger  b\n"
        );
        assert_eq!(Table::new(&["A"]).render("none"), "none");
        assert_eq!(duration(7199), "1h 59m");
        assert_eq!(duration(250), "4m 10s");
        assert_eq!(duration(-5), "0s");
    }
}
