//! The crate's error type.

use core::fmt;

use crate::byte_range::ByteRangeError;
use crate::image::ImageError;

/// Result alias of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// An error a signature container (the CMS or seal layer, or a signing device behind it)
/// reported.
pub type ContainerError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a PDF could not be signed or read.
///
/// A signature that does not verify is *not* an error: it is a finding in the
/// [`VerificationReport`](crate::VerificationReport). Errors are for input that cannot be
/// processed at all (not a PDF, no usable cross-reference data, a password is needed) and for
/// signing requests that cannot be carried out.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing failed.
    Io(std::io::Error),
    /// No `%PDF-` header in the first 1024 bytes.
    NotAPdf,
    /// lopdf could not load the document for signing.
    Load(lopdf::Error),
    /// lopdf could not write the incremental update.
    Write(lopdf::Error),
    /// The file's structure is broken where this crate needs it (the verifier's reader).
    Malformed {
        /// What was being read.
        what: &'static str,
        /// Byte offset in the file, when known.
        offset: Option<u64>,
    },
    /// A limit protecting against hostile input was reached.
    LimitExceeded {
        /// What was limited.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// The document is encrypted and the empty user password does not open it; give the
    /// password.
    PasswordRequired,
    /// The password given does not open the document.
    WrongPassword,
    /// The document uses an encryption handler this crate (lopdf) cannot open.
    UnsupportedEncryption(String),
    /// The document is certified with DocMDP permission 1: no further change, not even a
    /// signature, is allowed (ISO 32000-1 §12.8.2.2).
    CertifiedNoChanges,
    /// No field of that fully qualified name.
    FieldNotFound {
        /// The name asked for.
        name: String,
    },
    /// The field exists but is not a signature field (`/FT /Sig`).
    NotASignatureField {
        /// The field's name.
        name: String,
    },
    /// The signature field already holds a signature.
    FieldAlreadySigned {
        /// The field's name.
        name: String,
    },
    /// A new field was requested under a name already in use.
    DuplicateFieldName {
        /// The name.
        name: String,
    },
    /// The page number is outside the document (pages count from 1).
    PageOutOfRange {
        /// The page asked for.
        page: u32,
        /// Pages in the document.
        pages: u32,
    },
    /// The seal would not lie on the page.
    PlacementOutsidePage {
        /// The page.
        page: u32,
    },
    /// A page of the document has no usable `/MediaBox`.
    NoMediaBox {
        /// The page.
        page: u32,
    },
    /// The seal picture could not be used.
    Image(ImageError),
    /// The signature container produced more bytes than were reserved for `/Contents`.
    ContentsTooLarge {
        /// Bytes reserved.
        reserved: usize,
        /// Bytes produced.
        needed: usize,
    },
    /// The signature container (CMS or seal layer, or the key behind it) failed.
    Container(ContainerError),
    /// The `/ByteRange` placeholder was not found exactly once in the written update (an
    /// internal invariant; reported rather than assumed).
    Placeholder {
        /// Occurrences found.
        found: usize,
    },
    /// A byte range is invalid.
    ByteRange(ByteRangeError),
    /// A signing option is out of range.
    InvalidOption {
        /// Which option.
        option: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::NotAPdf => f.write_str("not a PDF: no %PDF- header in the first 1024 bytes"),
            Error::Load(e) => write!(f, "cannot load the PDF: {e}"),
            Error::Write(e) => write!(f, "cannot write the incremental update: {e}"),
            Error::Malformed {
                what,
                offset: Some(o),
            } => write!(f, "malformed PDF: {what} (at byte {o})"),
            Error::Malformed { what, offset: None } => write!(f, "malformed PDF: {what}"),
            Error::LimitExceeded { what, limit } => {
                write!(f, "limit exceeded: {what} (limit {limit})")
            }
            Error::PasswordRequired => f.write_str(
                "the PDF is encrypted and the empty user password does not open it: a password is required",
            ),
            Error::WrongPassword => f.write_str("the password does not open this PDF"),
            Error::UnsupportedEncryption(what) => {
                write!(f, "unsupported PDF encryption: {what}")
            }
            Error::CertifiedNoChanges => f.write_str(
                "the document is certified with DocMDP P=1: no further signature is allowed",
            ),
            Error::FieldNotFound { name } => write!(f, "no form field named {name:?}"),
            Error::NotASignatureField { name } => {
                write!(f, "form field {name:?} is not a signature field")
            }
            Error::FieldAlreadySigned { name } => {
                write!(f, "signature field {name:?} is already signed")
            }
            Error::DuplicateFieldName { name } => {
                write!(f, "a form field named {name:?} already exists")
            }
            Error::PageOutOfRange { page, pages } => {
                write!(f, "page {page} does not exist (the document has {pages})")
            }
            Error::PlacementOutsidePage { page } => {
                write!(f, "the seal would not lie on page {page}")
            }
            Error::NoMediaBox { page } => write!(f, "page {page} has no usable /MediaBox"),
            Error::Image(e) => write!(f, "seal picture: {e}"),
            Error::ContentsTooLarge { reserved, needed } => write!(
                f,
                "the signature needs {needed} bytes but only {reserved} were reserved for /Contents"
            ),
            Error::Container(e) => write!(f, "signature container: {e}"),
            Error::Placeholder { found } => write!(
                f,
                "signature placeholder found {found} times in the update (expected once)"
            ),
            Error::ByteRange(e) => write!(f, "byte range: {e}"),
            Error::InvalidOption { option } => write!(f, "invalid signing option: {option}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Load(e) | Error::Write(e) => Some(e),
            Error::Image(e) => Some(e),
            Error::Container(e) => Some(e.as_ref()),
            Error::ByteRange(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<ImageError> for Error {
    fn from(e: ImageError) -> Self {
        Error::Image(e)
    }
}

impl From<ByteRangeError> for Error {
    fn from(e: ByteRangeError) -> Self {
        Error::ByteRange(e)
    }
}

impl From<gmseal_sm2::Error> for Error {
    fn from(e: gmseal_sm2::Error) -> Self {
        match e {
            gmseal_sm2::Error::Io(io) => Error::Io(io),
            other => Error::Container(Box::new(other)),
        }
    }
}
