//! Random identifiers: `tokenInfo` (spec 001: "十六位随机数"), `transId` (spec 001: "事务编号",
//! sample `4232224f26f7440bad0d13a69a204650`), `nonce` (spec 002: integer below 100000000) and
//! the 8-digit seal code of a seal number. All from the operating system's generator, uniform
//! (rejection sampling, no modulo bias).

use crate::error::Result;

/// A uniform integer in `0..bound` (`bound` > 0).
///
/// # Errors
/// [`Error::Random`](crate::Error::Random) when the generator fails.
pub fn below(bound: u64) -> Result<u64> {
    let bound = bound.max(1);
    // Largest multiple of `bound` that fits: values at or above it are redrawn.
    let zone = u64::MAX - (u64::MAX % bound);
    loop {
        let v = getrandom::u64()?;
        if v < zone {
            return Ok(v % bound);
        }
    }
}

/// `n` random decimal digits.
///
/// # Errors
/// [`Error::Random`](crate::Error::Random).
pub fn digits(n: usize) -> Result<String> {
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        let d = u8::try_from(below(10)?).unwrap_or(0);
        s.push(char::from(b'0' + d));
    }
    Ok(s)
}

/// A `tokenInfo`: 16 random decimal digits. Spec 001 says "十六位随机数" (a sixteen-digit random
/// number); digits satisfy both the "digits" and the "characters" reading.
///
/// # Errors
/// [`Error::Random`](crate::Error::Random).
pub fn token_info() -> Result<String> {
    digits(16)
}

/// A `transId`: a random (version 4) UUID as 32 lower-case hex digits, the form of spec 001's
/// sample.
///
/// # Errors
/// [`Error::Random`](crate::Error::Random).
pub fn trans_id() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    b[6] = (b[6] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// A spec 002 `nonce`: a random integer in `0..100000000`.
///
/// # Errors
/// [`Error::Random`](crate::Error::Random).
pub fn nonce() -> Result<u32> {
    Ok(u32::try_from(below(100_000_000)?).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let t = token_info().unwrap();
        assert_eq!(t.len(), 16);
        assert!(t.bytes().all(|b| b.is_ascii_digit()));
        let id = trans_id().unwrap();
        assert_eq!(id.len(), 32);
        assert_eq!(&id[12..13], "4");
        assert!(nonce().unwrap() < 100_000_000);
        assert_ne!(trans_id().unwrap(), id);
    }
}
