//! The time format of the platform messages: `yyyy-MM-dd HH:mm:ss` (spec 001 appendix 2,
//! validity times; spec 002 table 7 `sealInvalidTime`). Local time of the platform, Beijing
//! time (UTC+8) in practice; the format carries no zone and none is assumed here.

use core::fmt;

use crate::error::{Error, Result};

/// A calendar date and time of day, to the second, without zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    /// Year (1000–9999).
    pub year: u16,
    /// Month (1–12).
    pub month: u8,
    /// Day (1–31, valid for the month).
    pub day: u8,
    /// Hour (0–23).
    pub hour: u8,
    /// Minute (0–59).
    pub minute: u8,
    /// Second (0–59; no leap second).
    pub second: u8,
}

impl LocalDateTime {
    /// Parse exactly `yyyy-MM-dd HH:mm:ss` (19 characters, zero-padded, one space).
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        let rule = "time as yyyy-MM-dd HH:mm:ss (a valid calendar date and time)";
        let bad = || Error::invalid(field, rule, s);
        let b = s.as_bytes();
        if b.len() != 19
            || b.get(4) != Some(&b'-')
            || b.get(7) != Some(&b'-')
            || b.get(10) != Some(&b' ')
            || b.get(13) != Some(&b':')
            || b.get(16) != Some(&b':')
        {
            return Err(bad());
        }
        let num = |r: core::ops::Range<usize>| -> Result<u16> {
            let part = s.get(r).ok_or_else(bad)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse::<u16>().map_err(|_| bad())
        };
        let year = num(0..4)?;
        let small = |v: u16| u8::try_from(v).map_err(|_| bad());
        let month = small(num(5..7)?)?;
        let day = small(num(8..10)?)?;
        let hour = small(num(11..13)?)?;
        let minute = small(num(14..16)?)?;
        let second = small(num(17..19)?)?;
        let t = LocalDateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        };
        if year < 1000
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(bad());
        }
        Ok(t)
    }
}

impl LocalDateTime {
    /// `t` in Beijing time (UTC+8), the zone the platforms' `yyyy-MM-dd HH:mm:ss` times are in
    /// (registration notes §4.4). `None` before 1970 or after 9999.
    pub fn beijing(t: std::time::SystemTime) -> Option<Self> {
        let since = t.duration_since(std::time::UNIX_EPOCH).ok()?;
        let d = der::DateTime::from_unix_duration(since + BEIJING_OFFSET).ok()?;
        Some(LocalDateTime {
            year: d.year(),
            month: d.month(),
            day: d.day(),
            hour: d.hour(),
            minute: d.minutes(),
            second: d.seconds(),
        })
    }

    /// A UTC time written as `yyyy-MM-ddTHH:mm:ssZ` (RFC 3339 to the second, as
    /// `der::DateTime` displays it), in Beijing time. `None` for any other text.
    pub fn beijing_from_utc_text(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 20 || b.get(10) != Some(&b'T') || b.get(19) != Some(&b'Z') {
            return None;
        }
        let mut text = s.get(..19)?.to_owned();
        text.replace_range(10..11, " ");
        let utc = LocalDateTime::parse("time", &text).ok()?;
        let d = der::DateTime::new(
            utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second,
        )
        .ok()?;
        Self::beijing(d.to_system_time())
    }
}

/// UTC+8.
const BEIJING_OFFSET: std::time::Duration = std::time::Duration::from_secs(8 * 3600);

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        let t = LocalDateTime::parse("t", "2024-02-29 23:59:59").unwrap();
        assert_eq!(t.to_string(), "2024-02-29 23:59:59");
        for bad in [
            "2023-02-29 00:00:00",
            "2024-13-01 00:00:00",
            "2024-01-01T00:00:00",
            "2024-1-01 00:00:00",
            "2024-01-01 24:00:00",
            "2024-01-01 00:00:60",
            "2024-01-01 00:00",
            "２０２４-01-01 00:00:00",
            "+024-01-01 00:00:00",
        ] {
            assert!(LocalDateTime::parse("t", bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn utc_text_round_trips_eight_hours_later(secs in 0u64..253_402_300_799 - 8 * 3600) {
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
            let utc = der::DateTime::from_system_time(t).unwrap().to_string();
            let bj = LocalDateTime::beijing_from_utc_text(&utc).unwrap();
            let later = t + BEIJING_OFFSET;
            let expected = der::DateTime::from_system_time(later).unwrap().to_string();
            proptest::prop_assert_eq!(bj.to_string(), expected[..19].replace('T', " "));
        }

        #[test]
        fn utc_text_never_panics(s in "\\PC{0,24}") {
            let _ = LocalDateTime::beijing_from_utc_text(&s);
        }
    }

    #[test]
    fn beijing_time_is_utc_plus_eight() {
        let t = LocalDateTime::beijing_from_utc_text("2024-02-29T16:30:05Z").unwrap();
        assert_eq!(t.to_string(), "2024-03-01 00:30:05");
        let epoch = LocalDateTime::beijing(std::time::UNIX_EPOCH).unwrap();
        assert_eq!(epoch.to_string(), "1970-01-01 08:00:00");
        for bad in [
            "2024-02-29 16:30:05",
            "2024-02-29T16:30:05",
            "2024-02-30T16:30:05Z",
            "2024-02-29T16:30:05+08:00",
        ] {
            assert_eq!(LocalDateTime::beijing_from_utc_text(bad), None, "{bad}");
        }
    }
}
