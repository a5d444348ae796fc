//! Error types.

use core::fmt;

/// Which half of an SM2 signature a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Component {
    /// The `r` value.
    R,
    /// The `s` value.
    S,
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Component::R => "r",
            Component::S => "s",
        })
    }
}

/// Why an encoded SM2 signature was rejected.
///
/// The DER rules are those of GM/T 0009-2012 §7.3 / GB/T 35276-2017
/// (`SM2Signature ::= SEQUENCE { r INTEGER, s INTEGER }`) under X.690 DER; the range rules are
/// steps B1 and B2 of GB/T 32918.2-2016 §7.1 (`1 <= r, s <= n - 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureFormatError {
    /// No bytes at all.
    Empty,
    /// The input ends before the structure it announces.
    Truncated,
    /// The outer element is not a SEQUENCE; carries the tag byte found.
    NotASequence {
        /// The tag byte found.
        tag: u8,
    },
    /// An element of the SEQUENCE is not an INTEGER; carries the tag byte found.
    NotAnInteger {
        /// Which value.
        component: Component,
        /// The tag byte found.
        tag: u8,
    },
    /// The SEQUENCE holds more than two elements.
    ExtraElements,
    /// BER indefinite length (0x80), not allowed in DER.
    IndefiniteLength,
    /// A length in long form where the short form fits, or with leading zero octets.
    NonMinimalLength,
    /// Bytes after the end of the SEQUENCE; carries their count.
    TrailingData {
        /// Number of bytes after the signature.
        len: usize,
    },
    /// An INTEGER of zero length.
    EmptyInteger {
        /// Which value.
        component: Component,
    },
    /// An INTEGER with a redundant leading 0x00 (or 0xFF) octet.
    NonMinimalInteger {
        /// Which value.
        component: Component,
    },
    /// An INTEGER whose top bit is set without a 0x00 sign octet: a negative number in DER.
    NegativeInteger {
        /// Which value.
        component: Component,
    },
    /// A value of zero (B1/B2: it must be at least 1).
    Zero {
        /// Which value.
        component: Component,
    },
    /// A value not below the group order n (B1/B2: it must be at most n - 1).
    NotBelowOrder {
        /// Which value.
        component: Component,
    },
    /// A raw `r‖s` signature whose length is not 64 bytes; carries the length found.
    WrongRawLength {
        /// Length found.
        len: usize,
    },
}

impl fmt::Display for SignatureFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SignatureFormatError::*;
        match self {
            Empty => f.write_str("empty signature"),
            Truncated => f.write_str("signature DER is truncated"),
            NotASequence { tag } => write!(
                f,
                "signature is not a DER SEQUENCE (first byte 0x{tag:02X}, expected 0x30)"
            ),
            NotAnInteger { component, tag } => write!(
                f,
                "signature {component} is not an INTEGER (tag 0x{tag:02X}, expected 0x02)"
            ),
            ExtraElements => f.write_str("signature SEQUENCE has more than two elements"),
            IndefiniteLength => f.write_str("signature uses a BER indefinite length"),
            NonMinimalLength => f.write_str("signature uses a non-minimal DER length"),
            TrailingData { len } => write!(f, "{len} byte(s) after the end of the signature"),
            EmptyInteger { component } => write!(f, "signature {component} is an empty INTEGER"),
            NonMinimalInteger { component } => write!(
                f,
                "signature {component} has a redundant leading zero octet (non-minimal INTEGER)"
            ),
            NegativeInteger { component } => write!(
                f,
                "signature {component} is negative (top bit set without a 0x00 sign octet)"
            ),
            Zero { component } => write!(f, "signature {component} is zero (must be 1..n-1)"),
            NotBelowOrder { component } => write!(
                f,
                "signature {component} is not below the group order n (must be 1..n-1)"
            ),
            WrongRawLength { len } => write!(f, "raw r||s signature has {len} bytes, expected 64"),
        }
    }
}

impl std::error::Error for SignatureFormatError {}

/// Why a key or certificate could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM armour is malformed (missing boundary, bad base64, label mismatch).
    Pem(String),
    /// A PEM block carries a label that holds no key we know; carries the label.
    UnexpectedPemLabel(String),
    /// The input holds no PEM block and is not DER of any supported structure.
    UnrecognisedInput,
    /// The DER structure is malformed.
    Der(der::Error),
    /// The key is not an SM2 key; carries the algorithm OID found.
    UnsupportedAlgorithm(der::asn1::ObjectIdentifier),
    /// The key's named curve is not sm2p256v1; carries the curve OID found.
    WrongCurve(der::asn1::ObjectIdentifier),
    /// Explicit curve parameters that are not those of sm2p256v1.
    WrongExplicitCurve,
    /// An elliptic-curve key without curve parameters where they are required.
    MissingCurve,
    /// The public key is not a valid point of sm2p256v1 (bad encoding, not on the curve,
    /// or the identity).
    InvalidPoint,
    /// The private key is zero or not below the group order.
    InvalidScalar,
    /// The embedded public key does not match the private key.
    PublicKeyMismatch,
    /// The key is encrypted and no password was given.
    PasswordRequired,
    /// Decryption failed: wrong password or corrupt data.
    DecryptionFailed,
    /// The key is encrypted with a scheme we do not implement; carries its OID.
    UnsupportedEncryption(der::asn1::ObjectIdentifier),
    /// A private key was expected but the input holds a public key or certificate, or the
    /// other way round.
    WrongKind {
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use KeyError::*;
        match self {
            Pem(msg) => write!(f, "malformed PEM: {msg}"),
            UnexpectedPemLabel(label) => write!(f, "PEM block \"{label}\" holds no SM2 key"),
            UnrecognisedInput => f.write_str(
                "input is neither PEM nor DER of a PKCS#8, SEC1, SubjectPublicKeyInfo or X.509 structure",
            ),
            Der(e) => write!(f, "malformed DER: {e}"),
            UnsupportedAlgorithm(oid) => write!(f, "not an SM2 key (algorithm {oid})"),
            WrongCurve(oid) => write!(
                f,
                "key is on curve {oid}, not sm2p256v1 (1.2.156.10197.1.301)"
            ),
            WrongExplicitCurve => {
                f.write_str("explicit curve parameters are not those of sm2p256v1")
            }
            MissingCurve => f.write_str("elliptic-curve key without curve parameters"),
            InvalidPoint => f.write_str("public key is not a valid sm2p256v1 point"),
            InvalidScalar => f.write_str("private key is zero or not below the group order"),
            PublicKeyMismatch => {
                f.write_str("embedded public key does not belong to the private key")
            }
            PasswordRequired => f.write_str("key is encrypted: a password is required"),
            DecryptionFailed => f.write_str("cannot decrypt the key: wrong password or corrupt data"),
            UnsupportedEncryption(oid) => {
                write!(f, "key is encrypted with an unsupported scheme ({oid})")
            }
            WrongKind { expected, found } => write!(f, "expected {expected}, found {found}"),
        }
    }
}

impl std::error::Error for KeyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KeyError::Der(e) => Some(e),
            _ => None,
        }
    }
}

impl From<der::Error> for KeyError {
    fn from(e: der::Error) -> Self {
        KeyError::Der(e)
    }
}

/// Errors of the SM2 glue.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An encoded signature could not be decoded.
    SignatureFormat(SignatureFormatError),
    /// The signature is well-formed but does not verify under the key, ID and message.
    VerificationFailed,
    /// A key or certificate could not be loaded.
    Key(KeyError),
    /// A distinguishing ID longer than 8191 bytes (its bit length must fit ENTL's 16 bits).
    DistIdTooLong {
        /// Length given, in bytes.
        len: usize,
    },
    /// A prehash that is not 32 bytes long.
    DigestLength {
        /// Length given, in bytes.
        len: usize,
    },
    /// The signer (software key, device or remote service) failed.
    Signer(signature::Error),
    /// The signer produced a signature that does not verify under its own public key.
    SignerMisbehaved,
    /// Reading the data to be hashed failed.
    Io(std::io::Error),
    /// A byte range to hash lies outside the input or ranges are not in order.
    BadRange {
        /// Start offset of the offending range.
        start: u64,
        /// End offset (exclusive) of the offending range.
        end: u64,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::SignatureFormat(e) => write!(f, "bad signature encoding: {e}"),
            Error::VerificationFailed => f.write_str("SM2 signature does not verify"),
            Error::Key(e) => write!(f, "bad key: {e}"),
            Error::DistIdTooLong { len } => write!(
                f,
                "SM2 distinguishing ID of {len} bytes is too long (at most 8191)"
            ),
            Error::DigestLength { len } => {
                write!(f, "SM2 prehash must be 32 bytes, got {len}")
            }
            Error::Signer(e) => write!(f, "signer failed: {e}"),
            Error::SignerMisbehaved => {
                f.write_str("signer returned a signature that does not verify under its public key")
            }
            Error::Io(e) => write!(f, "reading data to hash: {e}"),
            Error::BadRange { start, end } => {
                write!(
                    f,
                    "byte range {start}..{end} is outside the input or out of order"
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::SignatureFormat(e) => Some(e),
            Error::Key(e) => Some(e),
            Error::Signer(e) => Some(e),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SignatureFormatError> for Error {
    fn from(e: SignatureFormatError) -> Self {
        Error::SignatureFormat(e)
    }
}

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::Key(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// Result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
