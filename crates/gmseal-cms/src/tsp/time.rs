//! `genTime`: a GeneralizedTime that may carry fractional seconds (RFC 3161 §2.4.2).
//!
//! `der`'s `GeneralizedTime` refuses fractions, which RFC 3161 explicitly allows
//! (`YYYYMMDDhhmmss[.s...]Z`, no trailing zeros in the fraction) and TSAs emit.

use std::time::{Duration, SystemTime};

use der::{DateTime, DecodeValue, EncodeValue, FixedTag, Header, Length, Reader, Tag, Writer};

/// A GeneralizedTime with optional fractional seconds (nanosecond resolution).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GenTime {
    /// The whole seconds.
    pub datetime: DateTime,
    /// The fraction, in nanoseconds.
    pub nanos: u32,
}

impl GenTime {
    /// From a system time (truncated to milliseconds).
    ///
    /// # Errors
    /// When the time is outside the range `DateTime` supports.
    pub fn from_system_time(t: SystemTime) -> der::Result<Self> {
        let since = t
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| der::Error::from(der::ErrorKind::DateTime))?;
        let datetime = DateTime::from_unix_duration(Duration::from_secs(since.as_secs()))?;
        Ok(GenTime {
            datetime,
            nanos: since.subsec_millis() * 1_000_000,
        })
    }

    /// As a system time.
    pub fn to_system_time(&self) -> SystemTime {
        self.datetime.to_system_time() + Duration::from_nanos(u64::from(self.nanos))
    }

    fn fraction_digits(&self) -> String {
        if self.nanos == 0 {
            return String::new();
        }
        let s = format!("{:09}", self.nanos);
        format!(".{}", s.trim_end_matches('0'))
    }
}

impl FixedTag for GenTime {
    const TAG: Tag = Tag::GeneralizedTime;
}

fn digits(b: &[u8]) -> der::Result<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        if c.is_ascii_digit() {
            Ok(acc * 10 + u32::from(c - b'0'))
        } else {
            Err(der::ErrorKind::DateTime.into())
        }
    })
}

impl<'a> DecodeValue<'a> for GenTime {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let len = usize::try_from(header.length())?;
        if len > 32 {
            return Err(der::ErrorKind::DateTime.into());
        }
        let bytes = reader.read_vec(header.length())?;
        let (z, body) = bytes
            .split_last()
            .ok_or(der::Error::from(der::ErrorKind::DateTime))?;
        if *z != b'Z' || body.len() < 14 {
            return Err(der::ErrorKind::DateTime.into());
        }
        let (main, frac) = body.split_at(14);
        let get = |r: core::ops::Range<usize>| main.get(r).map(digits).unwrap_or(Ok(0));
        let year = u16::try_from(get(0..4)?).map_err(|_| der::ErrorKind::DateTime)?;
        let small =
            |v: u32| u8::try_from(v).map_err(|_| der::Error::from(der::ErrorKind::DateTime));
        let datetime = DateTime::new(
            year,
            small(get(4..6)?)?,
            small(get(6..8)?)?,
            small(get(8..10)?)?,
            small(get(10..12)?)?,
            small(get(12..14)?)?,
        )?;
        let nanos = match frac.split_first() {
            None => 0,
            Some((b'.', f)) if !f.is_empty() && f.len() <= 9 && f.last() != Some(&b'0') => {
                let v = digits(f)?;
                let scale = 10u32.pow(9 - u32::try_from(f.len()).unwrap_or(9));
                v * scale
            }
            _ => return Err(der::ErrorKind::DateTime.into()),
        };
        Ok(GenTime { datetime, nanos })
    }
}

impl EncodeValue for GenTime {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(15 + self.fraction_digits().len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        let d = &self.datetime;
        let s = format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}{}Z",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minutes(),
            d.seconds(),
            self.fraction_digits()
        );
        writer.write(s.as_bytes())
    }
}
