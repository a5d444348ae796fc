//! The seal number `sealNum` (spec 001, appendix 2, item 2): the vendor's initials, the 6-digit
//! administrative region code (GB/T 2260) and an 8-digit code the vendor draws at random.
//! Example of the appendix: `XXCA11010800000001` (initials `XXCA`, region `110108`, code
//! `00000001`).
//!
//! The appendix's example text speaks of a Changsha Yuhua district code (430111) but prints
//! 110108 (Beijing Haidian); the structure is the same, the region is not checked against the
//! province unless [`SealNumberRules::province`] asks for it.

use core::fmt;
use core::ops::RangeInclusive;

use crate::error::{Error, Result};

/// The provincial-level codes of GB/T 2260 (first two digits of a region code).
pub const PROVINCE_CODES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// What a seal number must look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealNumberRules {
    /// Allowed number of initials (upper-case ASCII letters). The appendix fixes no length;
    /// default 1–10.
    pub initials: RangeInclusive<usize>,
    /// Require this provincial code (e.g. `"43"` for Hunan). Default: any GB/T 2260 province.
    pub province: Option<String>,
}

impl Default for SealNumberRules {
    fn default() -> Self {
        SealNumberRules {
            initials: 1..=10,
            province: None,
        }
    }
}

/// A seal number that follows the rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SealNumber {
    text: String,
    initials_len: usize,
}

/// Why a seal number was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SealNumberError {
    /// No initials, or more than allowed; carries the count found.
    Initials(usize),
    /// A character that is not an upper-case ASCII letter in the initials, or not a digit
    /// after them; carries its 0-based position and the character.
    Character {
        /// 0-based position.
        position: usize,
        /// The character.
        found: char,
    },
    /// Not exactly 14 digits after the initials; carries the count.
    DigitCount(usize),
    /// The region code's first two digits are not a GB/T 2260 provincial code.
    Province(String),
    /// The region code is not in the required province.
    WrongProvince {
        /// The required provincial code.
        expected: String,
        /// The region code found.
        found: String,
    },
}

impl fmt::Display for SealNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SealNumberError::Initials(n) => write!(f, "{n} initials, outside the allowed range"),
            SealNumberError::Character { position, found } => {
                write!(f, "character {found:?} at position {position} not allowed")
            }
            SealNumberError::DigitCount(n) => write!(
                f,
                "{n} digits after the initials, expected 14 (6 region + 8 code)"
            ),
            SealNumberError::Province(p) => {
                write!(f, "region code starts {p:?}, not a GB/T 2260 province")
            }
            SealNumberError::WrongProvince { expected, found } => {
                write!(f, "region code {found} is not in province {expected}")
            }
        }
    }
}

impl std::error::Error for SealNumberError {}

impl SealNumber {
    /// Check `s` against the rules.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn parse(s: &str, rules: &SealNumberRules) -> Result<Self, SealNumberError> {
        let initials_len = s.chars().take_while(|c| c.is_ascii_uppercase()).count();
        if initials_len == 0 || !rules.initials.contains(&initials_len) {
            // a lower-case or other first character is a character error
            if let Some(c) = s.chars().next().filter(|c| !c.is_ascii_uppercase()) {
                if !c.is_ascii_digit() {
                    return Err(SealNumberError::Character {
                        position: 0,
                        found: c,
                    });
                }
            }
            return Err(SealNumberError::Initials(initials_len));
        }
        let mut count = 0usize;
        for (i, c) in s.chars().enumerate().skip(initials_len) {
            if !c.is_ascii_digit() {
                return Err(SealNumberError::Character {
                    position: i,
                    found: c,
                });
            }
            count += 1;
        }
        if count != 14 {
            return Err(SealNumberError::DigitCount(count));
        }
        let region = s.get(initials_len..initials_len + 6).unwrap_or_default();
        let province = region.get(..2).unwrap_or_default();
        if !PROVINCE_CODES.contains(&province) {
            return Err(SealNumberError::Province(province.to_owned()));
        }
        if let Some(p) = &rules.province {
            if p != province {
                return Err(SealNumberError::WrongProvince {
                    expected: p.clone(),
                    found: region.to_owned(),
                });
            }
        }
        Ok(SealNumber {
            text: s.to_owned(),
            initials_len,
        })
    }

    /// A new seal number: `initials` + `region_code` + 8 random digits.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the parts do not make a valid number under `rules`,
    /// [`Error::Random`] when the generator fails.
    pub fn generate(initials: &str, region_code: &str, rules: &SealNumberRules) -> Result<Self> {
        let text = format!("{initials}{region_code}{}", crate::random::digits(8)?);
        SealNumber::parse(&text, rules).map_err(|e| Error::InvalidField {
            field: "sealNum".into(),
            rule: "spec 001 appendix 2: vendor initials + 6-digit region code + 8 random digits",
            found: format!("{text} ({e})"),
        })
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The vendor's initials.
    pub fn initials(&self) -> &str {
        self.text.get(..self.initials_len).unwrap_or_default()
    }

    /// The 6-digit region code.
    pub fn region_code(&self) -> &str {
        self.text
            .get(self.initials_len..self.initials_len + 6)
            .unwrap_or_default()
    }

    /// The 8-digit seal code.
    pub fn code(&self) -> &str {
        self.text.get(self.initials_len + 6..).unwrap_or_default()
    }
}

impl fmt::Display for SealNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appendix_example() {
        let n = SealNumber::parse("XXCA11010800000001", &SealNumberRules::default()).unwrap();
        assert_eq!(
            (n.initials(), n.region_code(), n.code()),
            ("XXCA", "110108", "00000001")
        );
        let hunan = SealNumberRules {
            province: Some("43".into()),
            ..SealNumberRules::default()
        };
        assert!(matches!(
            SealNumber::parse("XXCA11010800000001", &hunan),
            Err(SealNumberError::WrongProvince { .. })
        ));
        SealNumber::parse("XXCA43011112345678", &hunan).unwrap();
    }

    #[test]
    fn refusals() {
        let r = SealNumberRules::default();
        for (s, e) in [
            ("11010800000001", SealNumberError::Initials(0)),
            (
                "xxCA11010800000001",
                SealNumberError::Character {
                    position: 0,
                    found: 'x',
                },
            ),
            ("XXCA1101080000001", SealNumberError::DigitCount(13)),
            ("XXCA99010800000001", SealNumberError::Province("99".into())),
            (
                "XXCA11010800000A01",
                SealNumberError::Character {
                    position: 15,
                    found: 'A',
                },
            ),
        ] {
            assert_eq!(SealNumber::parse(s, &r), Err(e), "{s}");
        }
    }
}
