//! The signature dictionary (ISO 32000-1 §12.8.1, Table 252), parsed from its bytes.
//!
//! The verifier reads signature dictionaries where they lie in the file; this is the same
//! parser exposed on its own, for tools that have the object's bytes (and for fuzzing).
//!
//! ```
//! use gmseal_pdf::sigdict::SignatureDictionary;
//! let input: &[u8] = b"12 0 obj <</Type/Sig/Filter/GM.PKILite/SubFilter/GM.sm2seal\
//!     /ByteRange[0 100 120 30]/Contents<3000000000>>> endobj";
//! let d = SignatureDictionary::parse(input)?;
//! assert_eq!(d.sub_filter.as_deref(), Some("GM.sm2seal"));
//! assert_eq!(d.byte_range.unwrap().unwrap().gap(), 100..120);
//! assert_eq!(&input[d.contents_span.unwrap()], b"<3000000000>");
//! # Ok::<(), gmseal_pdf::Error>(())
//! ```

use core::ops::Range;
use std::time::SystemTime;

use lopdf::Object;

use crate::byte_range::{ByteRange, ByteRangeError};
use crate::error::{Error, Result};
use crate::reader::lexer::{ParseError, Parser};

/// A parsed signature dictionary.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SignatureDictionary {
    /// `N G` when the bytes were an indirect object.
    pub object: Option<(u32, u16)>,
    /// `/Type` (`Sig` or `DocTimeStamp`).
    pub kind: Option<String>,
    /// `/Filter`.
    pub filter: Option<String>,
    /// `/SubFilter`.
    pub sub_filter: Option<String>,
    /// `/ByteRange`: `None` when missing, the parse result otherwise.
    pub byte_range: Option<core::result::Result<ByteRange, ByteRangeError>>,
    /// `/Contents` bytes (still padded).
    pub contents: Option<Vec<u8>>,
    /// Where the `/Contents` string lies in the input, delimiters included.
    pub contents_span: Option<Range<usize>>,
    /// `/M`.
    pub signing_time: Option<SystemTime>,
    /// `/Name`, `/Reason`, `/Location`, `/ContactInfo` as text.
    pub name: Option<String>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/ContactInfo`.
    pub contact_info: Option<String>,
}

impl SignatureDictionary {
    /// Parse `N G obj << ... >> endobj` or a bare `<< ... >>`.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the bytes are not a dictionary.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let mut p = Parser::new(bytes, 0, true);
        p.skip_ws();
        let object = if bytes.get(p.pos()).is_some_and(u8::is_ascii_digit) {
            Some(p.object_header().map_err(malformed)?)
        } else {
            None
        };
        let dict = match p.object().map_err(malformed)? {
            Object::Dictionary(d) => d,
            _ => {
                return Err(Error::Malformed {
                    what: "a signature dictionary must be a dictionary",
                    offset: Some(0),
                });
            }
        };
        let name = |k: &[u8]| {
            dict.get(k)
                .and_then(Object::as_name)
                .ok()
                .map(|n| String::from_utf8_lossy(n).into_owned())
        };
        let text = |k: &[u8]| {
            dict.get(k)
                .ok()
                .and_then(|t| lopdf::decode_text_string(t).ok())
        };
        let byte_range = match dict.get(b"ByteRange") {
            Ok(Object::Array(a)) => Some(ByteRange::from_objects(a)),
            Ok(_) => Some(Err(ByteRangeError::WrongCount(0))),
            Err(_) => None,
        };
        let contents = match dict.get(b"Contents") {
            Ok(Object::String(s, _)) => Some(s.clone()),
            _ => None,
        };
        let contents_span = p
            .spans
            .iter()
            .find(|(k, depth, _)| *k == b"Contents" && *depth == 1)
            .map(|(_, _, r)| r.clone());
        Ok(SignatureDictionary {
            object,
            kind: name(b"Type"),
            filter: name(b"Filter"),
            sub_filter: name(b"SubFilter"),
            byte_range,
            contents,
            contents_span,
            signing_time: dict
                .get(b"M")
                .ok()
                .and_then(|m| m.as_str().ok())
                .and_then(crate::pdf_date::parse),
            name: text(b"Name"),
            reason: text(b"Reason"),
            location: text(b"Location"),
            contact_info: text(b"ContactInfo"),
        })
    }
}

fn malformed(e: ParseError) -> Error {
    match e {
        ParseError::Incomplete => Error::Malformed {
            what: "unexpected end of input",
            offset: None,
        },
        ParseError::Invalid(what, at) => Error::Malformed {
            what,
            offset: Some(at as u64),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn missing_and_bad() {
        let d = SignatureDictionary::parse(b"<</Type/Sig>>").unwrap();
        assert_eq!(d.byte_range, None);
        assert_eq!(d.contents, None);
        let d = SignatureDictionary::parse(b"<</ByteRange null/Contents()>>").unwrap();
        assert!(matches!(d.byte_range, Some(Err(_))));
        assert_eq!(d.contents, Some(Vec::new()));
        assert!(SignatureDictionary::parse(b"[1 2]").is_err());
        assert!(SignatureDictionary::parse(b"<</A").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = SignatureDictionary::parse(&bytes);
        }

        #[test]
        fn never_panics_on_dictionary_like_input(body in "[ -~]{0,200}") {
            let _ = SignatureDictionary::parse(format!("<<{body}>>").as_bytes());
            let _ = SignatureDictionary::parse(format!("1 0 obj <</ByteRange[{body}]/Contents<{body}>>>").as_bytes());
        }
    }
}
