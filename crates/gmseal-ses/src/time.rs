//! Times in seals: the `UTCTime`/`GeneralizedTime` CHOICE of the dates, and the v1 `timeInfo`
//! BIT STRING, which real files fill with text.

use core::fmt;
use core::time::Duration;

use der::asn1::{Any, GeneralizedTime, UtcTime};
use der::{DateTime, Decode, Encode, Length, Reader, Tag, Writer};

/// A date of the seal or signature: UTCTime in GM/T 0031-2014 (v1), GeneralizedTime in
/// GB/T 38540-2020 (v4) and later. Decoding accepts both; the conformance check reports the
/// other one as a [`Deviation::TimeType`](crate::Deviation::TimeType).
///
/// A time whose text is not DER (fractional seconds, which some Java writers add) decodes as
/// [`SesTime::NonDer`], keeping its encoding, and is reported as a
/// [`Deviation::TimeEncoding`](crate::Deviation::TimeEncoding).
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum SesTime {
    /// UTCTime (years 1950–2049).
    UtcTime(UtcTime),
    /// GeneralizedTime.
    GeneralizedTime(GeneralizedTime),
    /// A UTCTime or GeneralizedTime whose text DER does not allow, as received.
    NonDer {
        /// Its type.
        kind: TimeKind,
        /// The encoding as received (re-encoded unchanged).
        encoding: Any,
        /// The time read from it (fractional seconds dropped).
        time: DateTime,
    },
}

impl<'a> Decode<'a> for SesTime {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        let tag = Tag::peek(reader)?;
        let kind = match tag {
            Tag::UtcTime => TimeKind::UtcTime,
            Tag::GeneralizedTime => TimeKind::GeneralizedTime,
            _ => return Err(tag.unexpected_error(Some(Tag::GeneralizedTime)).into()),
        };
        let encoding = Any::decode(reader)?;
        let strict = match kind {
            TimeKind::UtcTime => encoding.decode_as::<UtcTime>().map(SesTime::UtcTime),
            TimeKind::GeneralizedTime => encoding
                .decode_as::<GeneralizedTime>()
                .map(SesTime::GeneralizedTime),
        };
        match strict {
            Ok(t) => Ok(t),
            Err(e) => match lax_time(kind, encoding.value()) {
                Some(time) => Ok(SesTime::NonDer {
                    kind,
                    encoding,
                    time,
                }),
                None => Err(e),
            },
        }
    }
}

impl Encode for SesTime {
    fn encoded_len(&self) -> der::Result<Length> {
        match self {
            SesTime::UtcTime(t) => t.encoded_len(),
            SesTime::GeneralizedTime(t) => t.encoded_len(),
            SesTime::NonDer { encoding, .. } => encoding.encoded_len(),
        }
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        match self {
            SesTime::UtcTime(t) => t.encode(writer),
            SesTime::GeneralizedTime(t) => t.encode(writer),
            SesTime::NonDer { encoding, .. } => encoding.encode(writer),
        }
    }
}

/// A UTCTime (`YYMMDDHHMMSS`) or GeneralizedTime (`YYYYMMDDHHMMSS`) text ending in `Z`, with
/// optional fractional seconds.
fn lax_time(kind: TimeKind, value: &[u8]) -> Option<DateTime> {
    let text = core::str::from_utf8(value).ok()?.strip_suffix('Z')?;
    let whole = match text.split_once('.') {
        Some((w, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => w,
        Some(_) => return None,
        None => text,
    };
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |s: &str| s.parse::<u16>().ok();
    let (year, rest) = match (kind, whole.len()) {
        (TimeKind::GeneralizedTime, 14) => (n(whole.get(..4)?)?, whole.get(4..)?),
        (TimeKind::UtcTime, 12) => {
            let yy = n(whole.get(..2)?)?;
            (
                if yy >= 50 { 1900 + yy } else { 2000 + yy },
                whole.get(2..)?,
            )
        }
        _ => return None,
    };
    let two = |i: usize| -> Option<u8> { u8::try_from(n(rest.get(i..i + 2)?)?).ok() };
    DateTime::new(year, two(0)?, two(2)?, two(4)?, two(6)?, two(8)?).ok()
}

/// The ASN.1 type of a [`SesTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeKind {
    /// UTCTime.
    UtcTime,
    /// GeneralizedTime.
    GeneralizedTime,
}

impl fmt::Display for TimeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeKind::UtcTime => "UTCTime",
            TimeKind::GeneralizedTime => "GeneralizedTime",
        })
    }
}

impl SesTime {
    /// The time as a calendar value (UTC).
    pub fn to_date_time(&self) -> DateTime {
        match self {
            SesTime::UtcTime(t) => t.to_date_time(),
            SesTime::GeneralizedTime(t) => t.to_date_time(),
            SesTime::NonDer { time, .. } => *time,
        }
    }

    /// The ASN.1 type.
    pub fn kind(&self) -> TimeKind {
        match self {
            SesTime::UtcTime(_) => TimeKind::UtcTime,
            SesTime::GeneralizedTime(_) => TimeKind::GeneralizedTime,
            SesTime::NonDer { kind, .. } => *kind,
        }
    }

    /// Encode `time` as `kind`.
    ///
    /// # Errors
    /// UTCTime holds only the years 1950–2049.
    pub fn new(time: DateTime, kind: TimeKind) -> der::Result<Self> {
        Ok(match kind {
            TimeKind::UtcTime => SesTime::UtcTime(UtcTime::from_date_time(time)?),
            TimeKind::GeneralizedTime => {
                SesTime::GeneralizedTime(GeneralizedTime::from_date_time(time))
            }
        })
    }
}

impl fmt::Display for SesTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_date_time(), f)
    }
}

/// How the text of a v1 `timeInfo` was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeInfoForm {
    /// A DER UTCTime or GeneralizedTime inside the BIT STRING.
    Der,
    /// Text with an explicit UTC designator (`2020-01-25T07:31:56.377Z`, `20200125073156Z`).
    TextUtc,
    /// Text without a zone (`2020-01-25 07:31:56`, as ofdrw writes local time); read as China
    /// Standard Time (UTC+08:00).
    TextLocal,
}

/// China Standard Time, the zone assumed for v1 `timeInfo` text without a zone.
const CST_OFFSET: Duration = Duration::from_secs(8 * 3600);

/// Read a v1 `timeInfo` (the contents of its BIT STRING).
///
/// GM/T 0031-2014 leaves the content open ("a timestamp or a UTC time"); files carry a DER time,
/// ISO-like text with `Z`, or text without a zone. Returns `None` for anything else.
pub fn parse_time_info(bytes: &[u8]) -> Option<(DateTime, TimeInfoForm)> {
    if let Ok(t) = SesTime::from_der(bytes) {
        return Some((t.to_date_time(), TimeInfoForm::Der));
    }
    let text = core::str::from_utf8(bytes).ok()?.trim();
    let (text, utc) = match text.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (text, false),
    };
    // drop fractional seconds
    let text = match text.find('.') {
        Some(i) if text[i + 1..].bytes().all(|b| b.is_ascii_digit()) => &text[..i],
        _ => text,
    };
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_digit).collect();
    let separators_ok = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b' ' | b'T' | b'/'));
    if !separators_ok {
        return None;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u16> {
        let s = digits.get(r)?;
        s.iter().try_fold(0u16, |acc, d| {
            acc.checked_mul(10)?.checked_add(u16::from(d - b'0'))
        })
    };
    let (year, rest) = match digits.len() {
        14 => (num(0..4)?, 4),
        12 => (2000 + num(0..2)?, 2),
        _ => return None,
    };
    let dt = DateTime::new(
        year,
        u8::try_from(num(rest..rest + 2)?).ok()?,
        u8::try_from(num(rest + 2..rest + 4)?).ok()?,
        u8::try_from(num(rest + 4..rest + 6)?).ok()?,
        u8::try_from(num(rest + 6..rest + 8)?).ok()?,
        u8::try_from(num(rest + 8..rest + 10)?).ok()?,
    )
    .ok()?;
    if utc {
        Some((dt, TimeInfoForm::TextUtc))
    } else {
        let local = dt.unix_duration().checked_sub(CST_OFFSET)?;
        Some((
            DateTime::from_unix_duration(local).ok()?,
            TimeInfoForm::TextLocal,
        ))
    }
}

/// Format a time as ofdrw and most v1 writers do: `yyyy-MM-dd HH:mm:ss` in China Standard Time.
pub(crate) fn time_info_text(t: DateTime) -> String {
    let local = DateTime::from_unix_duration(t.unix_duration() + CST_OFFSET).unwrap_or(t);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minutes(),
        local.seconds()
    )
}

/// Format a time as `yyyy-MM-ddTHH:mm:ssZ` (UTC), the unambiguous v1 `timeInfo` text.
pub(crate) fn time_info_utc_text(t: DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minutes(),
        t.seconds()
    )
}

/// Seconds since the epoch, for comparisons.
pub(crate) fn secs(t: &DateTime) -> u64 {
    t.unix_duration().as_secs()
}
