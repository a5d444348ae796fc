//! Identity numbers carried by Chinese certificates and seal records.
//!
//! * the unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters, the last a
//!   check character computed modulo 31; characters 9–17 are the organisation code of
//!   GB 11714-1997, which has its own check character (modulo 11);
//! * the resident identity number (公民身份号码) of GB 11643-1999: 17 digits and a check
//!   character (`0`–`9` or `X`) computed modulo 11 (ISO 7064 MOD 11-2), digits 7–14 the birth date.

use core::fmt;

/// The 31 characters of GB 32100 (no I, O, S, V, Z), in code order.
const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1–17: 3^(i) mod 31.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Weights of the organisation code (GB 11714) positions 1–8.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
/// Weights of the resident ID number positions 1–17: 2^(17-i) mod 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Why an identity number is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdentityError {
    /// Not 18 characters; carries the length found (in characters).
    Length(usize),
    /// A character outside the allowed set; carries its 1-based position and the character.
    Character {
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
    },
    /// The check character is wrong.
    CheckCharacter {
        /// What the other characters require.
        expected: char,
        /// What the number carries.
        found: char,
    },
    /// The embedded organisation code's own check character (position 17 of a credit code) is
    /// wrong.
    OrganisationCodeCheck {
        /// What the organisation code requires.
        expected: char,
        /// What the number carries.
        found: char,
    },
    /// The birth date (positions 7–14 of a resident ID number) is not a calendar date.
    BirthDate(String),
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityError::Length(n) => write!(f, "has {n} characters, expected 18"),
            IdentityError::Character { position, found } => {
                write!(
                    f,
                    "character {found:?} at position {position} is not allowed"
                )
            }
            IdentityError::CheckCharacter { expected, found } => {
                write!(f, "check character is {found:?}, expected {expected:?}")
            }
            IdentityError::OrganisationCodeCheck { expected, found } => write!(
                f,
                "organisation code check character is {found:?}, expected {expected:?}"
            ),
            IdentityError::BirthDate(d) => write!(f, "birth date {d} is not a valid date"),
        }
    }
}

impl std::error::Error for IdentityError {}

/// Validate a unified social credit code (GB 32100-2015): length, character set and the
/// check character. The organisation-code check of positions 9–17 is separate
/// ([`validate_uscc_organisation_code`]): some registration authorities issue codes whose middle
/// part is not a GB 11714 organisation code.
///
/// # Errors
/// The first rule broken.
pub fn validate_uscc(code: &str) -> Result<(), IdentityError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(IdentityError::Length(chars.len()));
    }
    let mut sum = 0u32;
    for (i, c) in chars.iter().enumerate() {
        let v = uscc_value(*c).ok_or(IdentityError::Character {
            position: i + 1,
            found: *c,
        })?;
        if i < 17 {
            sum += v * USCC_WEIGHTS[i];
        }
    }
    let check = (31 - sum % 31) % 31;
    let expected = USCC_CHARS[check as usize] as char;
    if chars[17] != expected {
        return Err(IdentityError::CheckCharacter {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// Validate the GB 11714 organisation code inside a credit code (positions 9–17).
///
/// # Errors
/// [`IdentityError::OrganisationCodeCheck`] or a length/character error.
pub fn validate_uscc_organisation_code(code: &str) -> Result<(), IdentityError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(IdentityError::Length(chars.len()));
    }
    let org = &chars[8..17];
    let mut sum = 0u32;
    for (i, c) in org[..8].iter().enumerate() {
        let v = c.to_digit(36).ok_or(IdentityError::Character {
            position: 9 + i,
            found: *c,
        })?;
        sum += v * ORG_WEIGHTS[i];
    }
    let expected = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap_or('0'),
    };
    if org[8] != expected {
        return Err(IdentityError::OrganisationCodeCheck {
            expected,
            found: org[8],
        });
    }
    Ok(())
}

fn uscc_value(c: char) -> Option<u32> {
    let b = u8::try_from(c).ok()?;
    USCC_CHARS.iter().position(|x| *x == b).map(|p| p as u32)
}

/// Validate an 18-character resident identity number (GB 11643-1999): digits, birth date and
/// check character. A lower-case `x` is refused; callers normalise first if they want to.
///
/// # Errors
/// The first rule broken.
pub fn validate_resident_id(id: &str) -> Result<(), IdentityError> {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(IdentityError::Length(chars.len()));
    }
    let mut sum = 0u32;
    for (i, c) in chars[..17].iter().enumerate() {
        let d = c.to_digit(10).ok_or(IdentityError::Character {
            position: i + 1,
            found: *c,
        })?;
        sum += d * ID_WEIGHTS[i];
    }
    if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
        return Err(IdentityError::Character {
            position: 18,
            found: chars[17],
        });
    }
    let date: String = chars[6..14].iter().collect();
    if !valid_date(&date) {
        return Err(IdentityError::BirthDate(date));
    }
    let expected = ID_CHECK[(sum % 11) as usize] as char;
    if chars[17] != expected {
        return Err(IdentityError::CheckCharacter {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

fn valid_date(yyyymmdd: &str) -> bool {
    let (Ok(y), Ok(m), Ok(d)) = (
        yyyymmdd[0..4].parse::<u32>(),
        yyyymmdd[4..6].parse::<u32>(),
        yyyymmdd[6..8].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1800..=2200).contains(&y) && (1..=days).contains(&d)
}

/// Compute the check character a 17-character credit-code prefix needs (for generators and
/// test data).
///
/// # Errors
/// A character error for characters outside the GB 32100 set.
pub fn uscc_check_character(prefix17: &str) -> Result<char, IdentityError> {
    let chars: Vec<char> = prefix17.chars().collect();
    if chars.len() != 17 {
        return Err(IdentityError::Length(chars.len() + 1));
    }
    let mut sum = 0u32;
    for (i, c) in chars.iter().enumerate() {
        sum += uscc_value(*c).ok_or(IdentityError::Character {
            position: i + 1,
            found: *c,
        })? * USCC_WEIGHTS[i];
    }
    Ok(USCC_CHARS[((31 - sum % 31) % 31) as usize] as char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_credit_codes() {
        // Examples printed in GB 32100-2015 guidance and on public business licences.
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91310000717866186P",
        ] {
            validate_uscc(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        }
        validate_uscc_organisation_code("91350100M000100Y43").unwrap();
    }

    #[test]
    fn bad_credit_codes() {
        assert_eq!(
            validate_uscc("91350100M000100Y4"),
            Err(IdentityError::Length(17))
        );
        assert_eq!(
            validate_uscc("91350100M000100Y44"),
            Err(IdentityError::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
        assert_eq!(
            validate_uscc("9135010OM000100Y43"),
            Err(IdentityError::Character {
                position: 8,
                found: 'O'
            })
        );
        // every single-character change is caught
        let good: Vec<char> = "91350100M000100Y43".chars().collect();
        for i in 0..18 {
            for c in USCC_CHARS.iter().map(|b| *b as char) {
                if c == good[i] {
                    continue;
                }
                let mut s = good.clone();
                s[i] = c;
                let s: String = s.into_iter().collect();
                assert!(validate_uscc(&s).is_err(), "{s} accepted");
            }
        }
    }

    #[test]
    fn check_character_generator() {
        assert_eq!(uscc_check_character("91350100M000100Y4").unwrap(), '3');
    }

    #[test]
    fn resident_ids() {
        // The GB 11643-1999 example number.
        validate_resident_id("11010519491231002X").unwrap();
        assert_eq!(
            validate_resident_id("110105194912310021"),
            Err(IdentityError::CheckCharacter {
                expected: 'X',
                found: '1'
            })
        );
        assert_eq!(
            validate_resident_id("11010519491331002X"),
            Err(IdentityError::BirthDate("19491331".into()))
        );
        assert_eq!(
            validate_resident_id("11010519491231002x").unwrap_err(),
            IdentityError::Character {
                position: 18,
                found: 'x'
            }
        );
    }
}
