//! Deviations from the specifications that lenient mode tolerated.
//!
//! Strict mode (the default everywhere) turns the first deviation into an [`Error`](crate::Error)
//! naming the field; lenient mode accepts the input and lists every deviation here, so a caller
//! can log or refuse them by kind.

use core::fmt;

/// The strictness of a parser or verifier (the same type as `gmseal-sm2`'s).
pub use gmseal_sm2::Strictness;

/// A tolerated deviation: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    /// The field (JSON path or ASN.1 path).
    pub field: String,
    /// What deviates.
    pub kind: DeviationKind,
}

impl Deviation {
    pub(crate) fn new(field: impl Into<String>, kind: DeviationKind) -> Self {
        Deviation {
            field: field.into(),
            kind,
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.field, self.kind)
    }
}

/// The kinds of deviation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A member name with leading or trailing whitespace (`"signValue "`); carries the name as
    /// received.
    KeyWhitespace {
        /// The member name as received.
        received: String,
    },
    /// A value with leading or trailing whitespace where the specification fixes the value.
    ValueWhitespace,
    /// A value that differs from the one the specification's table fixes.
    UnexpectedValue {
        /// What the table says.
        expected: String,
        /// What was received.
        found: String,
    },
    /// A member name the specification's sample uses instead of the table's name.
    KeyAlias {
        /// The name as received.
        received: String,
    },
    /// A value of one JSON type where the specification's table has another; it was converted.
    TypeCoerced {
        /// The JSON type received.
        from: &'static str,
        /// The type the table has.
        to: &'static str,
    },
    /// Base64 broken into lines (a MIME encoder's output); the whitespace was removed.
    Base64Whitespace,
    /// A value whose format differs from the one the specification describes.
    Format {
        /// The rule, in words.
        rule: &'static str,
        /// The value found.
        found: String,
    },
    /// A member that the specification does not define (kept, and covered by the signature).
    UnknownField,
    /// A required member is absent.
    Missing,
    /// A signature in a different encoding from the one the specification requires.
    SignatureEncoding(gmseal_sm2::Deviation),
    /// The input is BER, not DER; the signature was checked over the bytes as received.
    BerEncoding,
    /// A container form other than the default (base64 text, PEM armour).
    Container(&'static str),
    /// A deviation the chain options tolerated in a certificate path or CRL (an empty-ID
    /// certificate signature with `ChainOptions::allow_empty_id`).
    CertificateChain(gmseal_cert::chain::ToleratedDeviation),
}

impl fmt::Display for DeviationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviationKind::KeyWhitespace { received } => {
                write!(f, "member name {received:?} carries whitespace")
            }
            DeviationKind::ValueWhitespace => f.write_str("value carries surrounding whitespace"),
            DeviationKind::UnexpectedValue { expected, found } => {
                write!(
                    f,
                    "value {found:?}, the specification's table says {expected:?}"
                )
            }
            DeviationKind::KeyAlias { received } => {
                write!(f, "received under the name {received:?}")
            }
            DeviationKind::TypeCoerced { from, to } => {
                write!(f, "JSON {from} where the specification has {to}; converted")
            }
            DeviationKind::Base64Whitespace => f.write_str("base64 broken into lines"),
            DeviationKind::Format { rule, found } => write!(f, "{found:?} does not follow: {rule}"),
            DeviationKind::UnknownField => f.write_str("member not defined by the specification"),
            DeviationKind::Missing => f.write_str("required member is absent"),
            DeviationKind::SignatureEncoding(d) => write!(f, "signature encoding: {d}"),
            DeviationKind::BerEncoding => f.write_str("BER, not DER"),
            DeviationKind::Container(c) => write!(f, "container form: {c}"),
            DeviationKind::CertificateChain(d) => {
                write!(f, "certificate path [{}]: {}", d.cert, d.what)
            }
        }
    }
}

/// Collects deviations; in strict mode the first one becomes an error (used by
/// [`Schema::check`](crate::message::Schema::check) implementations).
#[derive(Debug)]
pub struct Tolerance {
    pub(crate) strictness: Strictness,
    pub(crate) found: Vec<Deviation>,
}

impl Tolerance {
    /// An empty collection for `strictness`.
    pub fn new(strictness: Strictness) -> Self {
        Tolerance {
            strictness,
            found: Vec::new(),
        }
    }

    /// Record a deviation, or refuse it with `rule` in strict mode.
    ///
    /// # Errors
    /// [`Error::InvalidField`](crate::Error::InvalidField) in strict mode.
    pub fn allow(
        &mut self,
        field: impl Into<String>,
        kind: DeviationKind,
        rule: &'static str,
    ) -> crate::Result<()> {
        let field = field.into();
        match self.strictness {
            Strictness::Strict => Err(crate::Error::InvalidField {
                field,
                rule,
                found: kind.to_string(),
            }),
            Strictness::Lenient => {
                self.found.push(Deviation { field, kind });
                Ok(())
            }
        }
    }
}

impl Tolerance {
    /// The deviations recorded.
    pub fn deviations(&self) -> &[Deviation] {
        &self.found
    }

    /// The strictness.
    pub fn strictness(&self) -> Strictness {
        self.strictness
    }
}
