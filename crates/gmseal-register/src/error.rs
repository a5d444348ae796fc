//! The error type of this crate.

use core::fmt;

/// Why a base64 field was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base64Problem {
    /// A byte outside the standard alphabet at `offset` (0-based, in the field's text).
    InvalidByte {
        /// Offset of the byte in the text.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// A line break or other whitespace at `offset`; strict mode wants one unbroken line.
    Whitespace {
        /// Offset of the first whitespace byte.
        offset: usize,
    },
    /// Missing or wrong `=` padding, or a length that is not a whole number of quanta.
    Padding,
    /// Nothing to decode.
    Empty,
}

impl fmt::Display for Base64Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Problem::InvalidByte { offset, byte } => {
                write!(f, "byte 0x{byte:02X} at offset {offset} is not base64")
            }
            Base64Problem::Whitespace { offset } => write!(
                f,
                "line break or whitespace at offset {offset} (strict mode wants unbroken base64)"
            ),
            Base64Problem::Padding => f.write_str("wrong base64 padding or length"),
            Base64Problem::Empty => f.write_str("empty"),
        }
    }
}

/// Errors of this crate.
///
/// Malformed input is always an error that names the field (a JSON path such as
/// `signInfo.signValue` or `data.sealImg`, or an ASN.1 field such as
/// `registerInfo.systemInfo.orgCode`). A signature that does not verify is not an error: it is a
/// finding in the verification report.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The JSON text is not well-formed.
    JsonSyntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A JSON member is missing or has the wrong type.
    JsonField {
        /// Path of the member (`.` between object keys, `[i]` for array elements).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An object holds the same member name twice: the signed meaning would be ambiguous.
    DuplicateKey {
        /// Path of the repeated member.
        field: String,
    },
    /// Nesting deeper than the limit.
    TooDeep {
        /// Path where the limit was reached.
        field: String,
        /// The limit.
        limit: usize,
    },
    /// Input or field larger than its limit.
    TooLarge {
        /// The field (or `input`).
        field: String,
        /// The limit, in bytes or characters as the field defines.
        limit: usize,
        /// What was found.
        found: usize,
    },
    /// A field value breaks a rule of the specification.
    InvalidField {
        /// The field.
        field: String,
        /// The rule, in words (with its clause).
        rule: &'static str,
        /// The offending value (shortened when long).
        found: String,
    },
    /// A base64 field does not decode.
    Base64 {
        /// The field.
        field: String,
        /// Why.
        problem: Base64Problem,
    },
    /// An ASN.1 structure does not decode (or encode).
    Asn1 {
        /// The structure or field.
        field: String,
        /// The `der` error.
        source: der::Error,
    },
    /// A certificate cannot be used.
    Certificate {
        /// The field that carries it.
        field: String,
        /// Why.
        reason: String,
    },
    /// A PNG picture does not decode or encode.
    Png {
        /// The field that carries it.
        field: String,
        /// The decoder's or encoder's message.
        message: String,
    },
    /// An SM2 operation failed (key loading, signer failure, signature encoding).
    Sm2(gmseal_sm2::Error),
    /// The signer's public key is not the key of the certificate the structure names.
    SignerKeyMismatch {
        /// The certificate field.
        field: &'static str,
    },
    /// The message already carries a signature where a new one is to be added.
    AlreadySigned {
        /// The signature field.
        field: &'static str,
    },
    /// A lifecycle or state change that the specification does not allow.
    IllegalTransition {
        /// The state before.
        from: &'static str,
        /// The operation or state asked for.
        to: &'static str,
    },
    /// The operating system's random generator failed.
    Random(getrandom::Error),
}

impl Error {
    /// The field this error is about, when it names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::JsonField { field, .. }
            | Error::DuplicateKey { field }
            | Error::TooDeep { field, .. }
            | Error::TooLarge { field, .. }
            | Error::InvalidField { field, .. }
            | Error::Base64 { field, .. }
            | Error::Asn1 { field, .. }
            | Error::Certificate { field, .. }
            | Error::Png { field, .. } => Some(field),
            Error::SignerKeyMismatch { field } | Error::AlreadySigned { field } => Some(field),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, rule: &'static str, found: &str) -> Self {
        Error::InvalidField {
            field: field.into(),
            rule,
            found: shorten(found),
        }
    }

    pub(crate) fn asn1(field: impl Into<String>, source: der::Error) -> Self {
        Error::Asn1 {
            field: field.into(),
            source,
        }
    }
}

/// At most 80 characters of a value, for error messages.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::JsonSyntax {
                line,
                column,
                message,
            } => write!(
                f,
                "malformed JSON at line {line} column {column}: {message}"
            ),
            Error::JsonField { field, message } => write!(f, "field `{field}`: {message}"),
            Error::DuplicateKey { field } => {
                write!(f, "field `{field}` appears more than once in its object")
            }
            Error::TooDeep { field, limit } => {
                write!(f, "field `{field}` is nested deeper than {limit} levels")
            }
            Error::TooLarge {
                field,
                limit,
                found,
            } => write!(f, "`{field}` is too large: {found}, limit {limit}"),
            Error::InvalidField { field, rule, found } => {
                write!(f, "field `{field}` = {found:?} breaks the rule: {rule}")
            }
            Error::Base64 { field, problem } => write!(f, "field `{field}`: bad base64: {problem}"),
            Error::Asn1 { field, source } => write!(f, "ASN.1 `{field}`: {source}"),
            Error::Certificate { field, reason } => {
                write!(f, "certificate in `{field}`: {reason}")
            }
            Error::Png { field, message } => write!(f, "picture in `{field}`: {message}"),
            Error::Sm2(e) => write!(f, "SM2: {e}"),
            Error::SignerKeyMismatch { field } => write!(
                f,
                "the signer's public key is not the public key of the certificate in `{field}`"
            ),
            Error::AlreadySigned { field } => {
                write!(
                    f,
                    "the message already carries `{field}`; remove it before signing"
                )
            }
            Error::IllegalTransition { from, to } => {
                write!(f, "illegal transition: {to} is not allowed from {from}")
            }
            Error::Random(e) => write!(f, "random generator failed: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Asn1 { source, .. } => Some(source),
            Error::Sm2(e) => Some(e),
            _ => None,
        }
    }
}

impl From<gmseal_sm2::Error> for Error {
    fn from(e: gmseal_sm2::Error) -> Self {
        Error::Sm2(e)
    }
}

impl From<gmseal_sm2::KeyError> for Error {
    fn from(e: gmseal_sm2::KeyError) -> Self {
        Error::Sm2(gmseal_sm2::Error::Key(e))
    }
}

impl From<getrandom::Error> for Error {
    fn from(e: getrandom::Error) -> Self {
        Error::Random(e)
    }
}

/// Result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
