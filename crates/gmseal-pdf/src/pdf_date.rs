//! PDF date strings `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1 §7.9.4), as `/M` holds them.

use std::time::{Duration, SystemTime};

/// Format a time as a PDF date in UTC: `D:20261125083000+00'00'`.
pub(crate) fn format(t: SystemTime) -> String {
    match der::DateTime::from_system_time(t) {
        Ok(d) => format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minutes(),
            d.seconds()
        ),
        // Before 1970 or after 9999: not a signing time; write the epoch.
        Err(_) => "D:19700101000000+00'00'".to_string(),
    }
}

/// Parse a PDF date; missing trailing fields default as the standard says (month and day 1,
/// the rest 0, UTC). Returns `None` for anything that is not a date.
pub fn parse(s: &[u8]) -> Option<SystemTime> {
    let s = s.strip_prefix(b"D:").unwrap_or(s);
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let (digits, zone) = s.split_at(n);
    if !(4..=14).contains(&n) || n % 2 == 1 {
        return None;
    }
    let field = |r: core::ops::Range<usize>, default: u32| -> u32 {
        digits.get(r).map_or(default, |d| {
            d.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'))
        })
    };
    let date = der::DateTime::new(
        u16::try_from(field(0..4, 0)).ok()?,
        u8::try_from(field(4..6, 1)).ok()?,
        u8::try_from(field(6..8, 1)).ok()?,
        u8::try_from(field(8..10, 0)).ok()?,
        u8::try_from(field(10..12, 0)).ok()?,
        u8::try_from(field(12..14, 0)).ok()?,
    )
    .ok()?;
    let utc = date.unix_duration();
    // Time zone: Z, +HH'mm', -HH'mm' (absent: unknown, taken as UTC).
    let offset: i64 = match zone.split_first() {
        Some((&sign @ (b'+' | b'-'), rest)) => {
            let num = |r: core::ops::Range<usize>| -> i64 {
                rest.get(r)
                    .filter(|d| d.iter().all(u8::is_ascii_digit))
                    .map_or(0, |d| {
                        d.iter().fold(0i64, |a, &c| a * 10 + i64::from(c - b'0'))
                    })
            };
            let mins = num(0..2) * 60 + num(3..5);
            if sign == b'+' { mins } else { -mins }
        }
        _ => 0,
    };
    let secs = i64::try_from(utc.as_secs()).ok()? - offset * 60;
    let secs = u64::try_from(secs).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let s = format(t);
        assert_eq!(s, "D:20261118110640+00'00'");
        assert_eq!(parse(s.as_bytes()), Some(t));
    }

    #[test]
    fn zones_and_defaults() {
        let base = parse(b"D:20261118064640Z").unwrap();
        assert_eq!(parse(b"D:20261118144640+08'00'"), Some(base));
        assert_eq!(parse(b"D:20261118144640+08'00"), Some(base));
        assert_eq!(parse(b"D:20261117224640-08'00'"), Some(base));
        assert_eq!(parse(b"D:2026"), Some(parse(b"D:20260101000000Z").unwrap()));
        assert_eq!(parse(b"garbage"), None);
        assert_eq!(parse(b"D:20261318"), None);
        assert_eq!(parse(b""), None);
    }
}
