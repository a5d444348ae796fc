//! `/ByteRange`: the two runs of file bytes a PDF signature covers (ISO 32000-1 §12.8.1).
//!
//! A signature dictionary's `/ByteRange [0 a c d]` names the bytes `0..a` and `c..c+d`; the gap
//! `a..c` must be exactly the `/Contents` hex string, delimiters included, and `c+d` the end of
//! the revision the signature belongs to. This module holds the pure arithmetic: parsing the
//! array, the placeholder the signer reserves and the fixed-width text it patches in.

use core::fmt;
use core::ops::Range;

/// The placeholder array lopdf writes (ten digits per slot, so any file below 10 GB fits in the
/// reserved width) for `/ByteRange [0 9999999999 9999999999 9999999999]`.
pub(crate) const PLACEHOLDER: &[u8] = b"[0 9999999999 9999999999 9999999999]";

/// The placeholder as lopdf objects.
pub(crate) fn placeholder_object() -> lopdf::Object {
    let v = 9_999_999_999i64;
    lopdf::Object::Array(vec![0.into(), v.into(), v.into(), v.into()])
}

/// The largest file the placeholder can describe.
pub(crate) const MAX_FILE_LEN: u64 = 9_999_999_999;

/// A signature's two covered byte runs, `0..a` and `c..c+d` for `/ByteRange [0 a c d]`.
///
/// ```
/// use gmseal_pdf::ByteRange;
/// let br = ByteRange::from_values(&[0, 100, 150, 50]).unwrap();
/// assert_eq!(br.gap(), 100..150);
/// assert_eq!(br.end(), 200);
/// assert_eq!(br.to_string(), "[0 100 150 50]");
/// assert!(ByteRange::from_values(&[5, 100, 150, 50]).is_err()); // must start at 0
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ByteRange {
    first: Range<u64>,
    second: Range<u64>,
}

/// Why a `/ByteRange` array was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ByteRangeError {
    /// Not four numbers; carries the count.
    WrongCount(usize),
    /// Element `index` is not an integer.
    NotAnInteger {
        /// Position in the array.
        index: usize,
    },
    /// Element `index` is negative.
    Negative {
        /// Position in the array.
        index: usize,
    },
    /// The first range does not start at byte 0; carries its start.
    NotFromStart(u64),
    /// The second range starts before the first ends.
    Overlap {
        /// End of the first range.
        first_end: u64,
        /// Start of the second range.
        second_start: u64,
    },
    /// The numbers overflow.
    Overflow,
    /// The second range ends past the end of the file.
    PastEndOfFile {
        /// End of the second range.
        end: u64,
        /// File length.
        len: u64,
    },
}

impl fmt::Display for ByteRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ByteRangeError::WrongCount(n) => write!(f, "{n} numbers instead of 4"),
            ByteRangeError::NotAnInteger { index } => {
                write!(f, "element {index} is not an integer")
            }
            ByteRangeError::Negative { index } => write!(f, "element {index} is negative"),
            ByteRangeError::NotFromStart(s) => {
                write!(f, "the first range starts at byte {s}, not 0")
            }
            ByteRangeError::Overlap {
                first_end,
                second_start,
            } => write!(
                f,
                "the second range starts at {second_start}, before the first ends at {first_end}"
            ),
            ByteRangeError::Overflow => f.write_str("the numbers overflow"),
            ByteRangeError::PastEndOfFile { end, len } => {
                write!(
                    f,
                    "the ranges end at byte {end}, past the end of the file ({len})"
                )
            }
        }
    }
}

impl std::error::Error for ByteRangeError {}

impl ByteRange {
    /// The byte range of a signature whose `/Contents` string (delimiters included) occupies
    /// `gap` in a file of `len` bytes.
    ///
    /// # Errors
    /// [`ByteRangeError::Overlap`] / [`ByteRangeError::PastEndOfFile`] when `gap` does not lie
    /// within the file.
    pub fn around(gap: Range<u64>, len: u64) -> Result<Self, ByteRangeError> {
        if gap.start > gap.end {
            return Err(ByteRangeError::Overlap {
                first_end: gap.start,
                second_start: gap.end,
            });
        }
        if gap.end > len {
            return Err(ByteRangeError::PastEndOfFile { end: gap.end, len });
        }
        Ok(ByteRange {
            first: 0..gap.start,
            second: gap.end..len,
        })
    }

    /// Parse the four numbers of a `/ByteRange` array.
    ///
    /// # Errors
    /// A [`ByteRangeError`] when there are not exactly four non-negative numbers, the first range
    /// does not start at 0, or the ranges overlap.
    pub fn from_values(values: &[i64]) -> Result<Self, ByteRangeError> {
        let [a, b, c, d] = values else {
            return Err(ByteRangeError::WrongCount(values.len()));
        };
        let mut u = [0u64; 4];
        for (i, (v, slot)) in [a, b, c, d].into_iter().zip(u.iter_mut()).enumerate() {
            *slot = u64::try_from(*v).map_err(|_| ByteRangeError::Negative { index: i })?;
        }
        let [a, b, c, d] = u;
        if a != 0 {
            return Err(ByteRangeError::NotFromStart(a));
        }
        let first_end = a.checked_add(b).ok_or(ByteRangeError::Overflow)?;
        let second_end = c.checked_add(d).ok_or(ByteRangeError::Overflow)?;
        if c < first_end {
            return Err(ByteRangeError::Overlap {
                first_end,
                second_start: c,
            });
        }
        Ok(ByteRange {
            first: a..first_end,
            second: c..second_end,
        })
    }

    /// Parse a `/ByteRange` array of lopdf objects.
    ///
    /// # Errors
    /// As [`from_values`](Self::from_values), plus [`ByteRangeError::NotAnInteger`].
    pub fn from_objects(array: &[lopdf::Object]) -> Result<Self, ByteRangeError> {
        if array.len() != 4 {
            return Err(ByteRangeError::WrongCount(array.len()));
        }
        let mut values = [0i64; 4];
        for (i, (o, slot)) in array.iter().zip(values.iter_mut()).enumerate() {
            *slot = match o {
                lopdf::Object::Integer(v) => *v,
                _ => return Err(ByteRangeError::NotAnInteger { index: i }),
            };
        }
        Self::from_values(&values)
    }

    /// The first covered run, `0..a`.
    pub fn first(&self) -> Range<u64> {
        self.first.clone()
    }

    /// The second covered run, `c..c+d`.
    pub fn second(&self) -> Range<u64> {
        self.second.clone()
    }

    /// Both runs, in file order.
    pub fn ranges(&self) -> [Range<u64>; 2] {
        [self.first(), self.second()]
    }

    /// The bytes left out, `a..c`: the `/Contents` string with its delimiters.
    pub fn gap(&self) -> Range<u64> {
        self.first.end..self.second.start
    }

    /// Where the covered bytes end, `c+d`.
    pub fn end(&self) -> u64 {
        self.second.end
    }

    /// Number of bytes covered.
    pub fn covered_len(&self) -> u64 {
        (self.first.end - self.first.start) + (self.second.end - self.second.start)
    }

    /// The four numbers `[0 a c d]`.
    pub fn values(&self) -> [u64; 4] {
        [
            self.first.start,
            self.first.end - self.first.start,
            self.second.start,
            self.second.end - self.second.start,
        ]
    }

    /// The array text padded with spaces before `]` to exactly `width` bytes, to overwrite a
    /// placeholder in place.
    ///
    /// # Errors
    /// [`ByteRangeError::Overflow`] when the text does not fit.
    pub(crate) fn to_padded(&self, width: usize) -> Result<Vec<u8>, ByteRangeError> {
        let text = self.to_string();
        if text.len() > width {
            return Err(ByteRangeError::Overflow);
        }
        let mut out = Vec::with_capacity(width);
        out.extend_from_slice(&text.as_bytes()[..text.len() - 1]);
        out.resize(width - 1, b' ');
        out.push(b']');
        Ok(out)
    }
}

impl fmt::Display for ByteRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.values();
        write!(f, "[{a} {b} {c} {d}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn placeholder_matches_lopdf_output() {
        let mut out = Vec::new();
        lopdf::Writer::write_object(&mut out, &placeholder_object()).unwrap();
        assert_eq!(out, PLACEHOLDER);
    }

    #[test]
    fn rejects_bad_arrays() {
        assert_eq!(
            ByteRange::from_values(&[0, 1, 2]),
            Err(ByteRangeError::WrongCount(3))
        );
        assert_eq!(
            ByteRange::from_values(&[0, -1, 2, 3]),
            Err(ByteRangeError::Negative { index: 1 })
        );
        assert_eq!(
            ByteRange::from_values(&[0, 10, 5, 3]),
            Err(ByteRangeError::Overlap {
                first_end: 10,
                second_start: 5
            })
        );
        assert!(ByteRange::from_values(&[0, i64::MAX, i64::MAX, i64::MAX]).is_ok());
        assert!(ByteRange::from_objects(&[0.into(), 1.into(), 2.into(), 1.5.into()]).is_err());
    }

    #[test]
    fn padding() {
        let br = ByteRange::from_values(&[0, 10, 20, 5]).unwrap();
        let p = br.to_padded(PLACEHOLDER.len()).unwrap();
        assert_eq!(p.len(), PLACEHOLDER.len());
        assert!(p.starts_with(b"[0 10 20 5 "));
        assert!(p.ends_with(b" ]"));
        let big = ByteRange::around(MAX_FILE_LEN - 10..MAX_FILE_LEN - 5, MAX_FILE_LEN).unwrap();
        assert_eq!(
            big.to_padded(PLACEHOLDER.len()).unwrap().len(),
            PLACEHOLDER.len()
        );
    }

    proptest! {
        #[test]
        fn around_round_trips(a in 0u64..MAX_FILE_LEN, gap in 0u64..100_000, tail in 0u64..1_000_000) {
            let len = a.saturating_add(gap).saturating_add(tail);
            prop_assume!(len <= MAX_FILE_LEN);
            let br = ByteRange::around(a..a + gap, len).unwrap();
            let v = br.values().map(|x| x as i64);
            let back = ByteRange::from_values(&v).unwrap();
            prop_assert_eq!(&back, &br);
            prop_assert_eq!(br.gap(), a..a + gap);
            prop_assert_eq!(br.end(), len);
            prop_assert_eq!(br.covered_len(), len - gap);
            let padded = br.to_padded(PLACEHOLDER.len()).unwrap();
            prop_assert_eq!(padded.len(), PLACEHOLDER.len());
        }

        #[test]
        fn from_values_never_panics(v in proptest::collection::vec(any::<i64>(), 0..6)) {
            let _ = ByteRange::from_values(&v);
        }
    }
}
