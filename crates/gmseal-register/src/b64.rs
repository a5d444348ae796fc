//! Base64 as the specifications use it: RFC 4648 standard alphabet with `=` padding, one line.
//!
//! Java's MIME encoder breaks lines every 76 characters with CRLF; strict mode refuses that
//! with the offset of the first line break, lenient mode removes whitespace and reports it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::deviation::{DeviationKind, Tolerance};
use crate::error::{Base64Problem, Error, Result};

/// Encode with the standard alphabet and padding, no line breaks.
pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decode `text` (the value of `field`).
///
/// # Errors
/// [`Error::Base64`] naming `field`, with the offset of the first bad byte.
pub(crate) fn decode(field: &str, text: &str, tolerance: &mut Tolerance) -> Result<Vec<u8>> {
    if text.is_empty() {
        return Err(Error::Base64 {
            field: field.into(),
            problem: Base64Problem::Empty,
        });
    }
    let compact: std::borrow::Cow<'_, str> =
        match text.bytes().position(|b| b.is_ascii_whitespace()) {
            None => text.into(),
            Some(offset) => {
                if tolerance.strictness == crate::Strictness::Strict {
                    return Err(Error::Base64 {
                        field: field.into(),
                        problem: Base64Problem::Whitespace { offset },
                    });
                }
                tolerance.found.push(crate::Deviation::new(
                    field,
                    DeviationKind::Base64Whitespace,
                ));
                text.chars()
                    .filter(|c| !c.is_ascii_whitespace())
                    .collect::<String>()
                    .into()
            }
        };
    decode_strict(field, &compact)
}

/// Decode one unbroken line of base64.
///
/// # Errors
/// [`Error::Base64`] naming `field`.
pub fn decode_strict(field: &str, text: &str) -> Result<Vec<u8>> {
    if text.is_empty() {
        return Err(Error::Base64 {
            field: field.into(),
            problem: Base64Problem::Empty,
        });
    }
    STANDARD.decode(text).map_err(|e| Error::Base64 {
        field: field.into(),
        problem: match e {
            base64::DecodeError::InvalidByte(offset, byte) if byte.is_ascii_whitespace() => {
                Base64Problem::Whitespace { offset }
            }
            base64::DecodeError::InvalidByte(offset, b'=') => {
                let _ = offset;
                Base64Problem::Padding
            }
            base64::DecodeError::InvalidByte(offset, byte) => {
                Base64Problem::InvalidByte { offset, byte }
            }
            _ => Base64Problem::Padding,
        },
    })
}
