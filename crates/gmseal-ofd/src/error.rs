//! Error types.
//!
//! Malformed or hostile input (a broken zip, unsafe entry names, XML that does not parse, a
//! required element missing) is an [`Error`]. A signature that does not verify is *not* an
//! error: it is a finding in the verification report.

use core::fmt;

use crate::geometry::Rect;
use crate::path::PathError;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong reading, signing or verifying an OFD package.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The zip container is malformed, unsafe or over a limit.
    Package(PackageError),
    /// An XML part of the package is malformed or lacks what GB/T 33190 requires.
    Xml {
        /// Package path of the XML file.
        file: String,
        /// What is wrong with it.
        error: XmlError,
    },
    /// A location (`ST_Loc`) in an XML file cannot be resolved to a package path.
    Location {
        /// The location as written.
        loc: String,
        /// The file it was written in.
        in_file: String,
        /// Why it is unusable.
        reason: PathError,
    },
    /// A file named by the package structure (DocRoot, Signatures, BaseLoc ...) is absent.
    MissingFile {
        /// The package path looked for.
        path: String,
        /// The file that names it.
        referenced_from: String,
    },
    /// Signing could not proceed.
    Sign(SignError),
    /// The signed-value back end (SES, CMS, raw SM2) failed.
    SignedValue(SignedValueError),
    /// SM2 glue error (key, signer device).
    Sm2(gmseal_sm2::Error),
    /// Reading a file failed.
    Io(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Package(e) => write!(f, "OFD package: {e}"),
            Error::Xml { file, error } => write!(f, "{file}: {error}"),
            Error::Location {
                loc,
                in_file,
                reason,
            } => write!(f, "{in_file}: location {loc:?}: {reason}"),
            Error::MissingFile {
                path,
                referenced_from,
            } => write!(
                f,
                "{referenced_from} names /{path}, which is not in the package"
            ),
            Error::Sign(e) => write!(f, "cannot sign: {e}"),
            Error::SignedValue(e) => write!(f, "signed value: {e}"),
            Error::Sm2(e) => write!(f, "SM2: {e}"),
            Error::Io(e) => write!(f, "I/O: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Package(e) => Some(e),
            Error::Xml { error, .. } => Some(error),
            Error::Location { reason, .. } => Some(reason),
            Error::Sign(e) => Some(e),
            Error::SignedValue(e) => Some(e),
            Error::Sm2(e) => Some(e),
            Error::Io(e) => Some(e),
            Error::MissingFile { .. } => None,
        }
    }
}

impl From<PackageError> for Error {
    fn from(e: PackageError) -> Self {
        Error::Package(e)
    }
}

impl From<SignError> for Error {
    fn from(e: SignError) -> Self {
        Error::Sign(e)
    }
}

impl From<SignedValueError> for Error {
    fn from(e: SignedValueError) -> Self {
        Error::SignedValue(e)
    }
}

impl From<gmseal_sm2::Error> for Error {
    fn from(e: gmseal_sm2::Error) -> Self {
        Error::Sm2(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// Which configurable limit of [`Limits`](crate::Limits) was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_entries`](crate::Limits::max_entries).
    Entries,
    /// [`Limits::max_entry_size`](crate::Limits::max_entry_size).
    EntrySize,
    /// [`Limits::max_total_size`](crate::Limits::max_total_size).
    TotalSize,
    /// [`Limits::max_xml_size`](crate::Limits::max_xml_size).
    XmlSize,
    /// [`Limits::max_xml_depth`](crate::Limits::max_xml_depth).
    XmlDepth,
    /// [`Limits::max_xml_nodes`](crate::Limits::max_xml_nodes).
    XmlNodes,
    /// [`Limits::max_signatures`](crate::Limits::max_signatures).
    Signatures,
    /// [`Limits::max_references`](crate::Limits::max_references).
    References,
    /// [`Limits::max_pages`](crate::Limits::max_pages).
    Pages,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::Entries => "number of zip entries",
            Limit::EntrySize => "uncompressed size of one entry",
            Limit::TotalSize => "total uncompressed size",
            Limit::XmlSize => "size of an XML file",
            Limit::XmlDepth => "XML nesting depth",
            Limit::XmlNodes => "number of XML nodes",
            Limit::Signatures => "number of signatures",
            Limit::References => "number of references in one signature",
            Limit::Pages => "number of pages",
        })
    }
}

/// Why the zip container was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum PackageError {
    /// No end-of-central-directory record: not a zip file.
    NotAZip,
    /// The central directory is truncated or inconsistent; carries the offset where the
    /// problem was found.
    CentralDirectory {
        /// Byte offset in the file.
        offset: u64,
        /// What was wrong.
        problem: &'static str,
    },
    /// Bytes before the first entry (a polyglot or self-extracting file).
    PrependedData {
        /// Number of bytes before the first local header.
        len: u64,
    },
    /// The archive spans several disks.
    MultiDisk,
    /// A configurable limit was exceeded.
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The value found (or reached).
        found: u64,
        /// The configured maximum.
        max: u64,
        /// The entry or file concerned, when there is one.
        entry: Option<String>,
    },
    /// An entry name that is absolute, climbs out with `..`, uses backslashes, drive letters
    /// or control characters, or is not UTF-8.
    UnsafeEntryName {
        /// The name as stored (lossily decoded).
        name: String,
        /// Why it is unsafe.
        reason: PathError,
    },
    /// Two central-directory records carry the same name.
    DuplicateEntry {
        /// The name.
        name: String,
    },
    /// A local file header names a different file than its central-directory record (two zip
    /// readers would see different files).
    LocalHeaderMismatch {
        /// Name in the central directory.
        name: String,
        /// Name in the local header.
        local_name: String,
    },
    /// A local file header disagrees with its central-directory record on the compression
    /// method, encryption, CRC or sizes (a streaming reader would read other data).
    LocalHeaderDisagrees {
        /// The entry.
        name: String,
        /// The field that differs.
        field: &'static str,
    },
    /// The data of two entries overlap (a zip-bomb construction).
    OverlappingEntries {
        /// One entry.
        first: String,
        /// The other.
        second: String,
    },
    /// An entry decompresses to a different size than it declares.
    SizeMismatch {
        /// The entry.
        name: String,
        /// Size in the central directory.
        declared: u64,
        /// Size found while decompressing (at least; reading stops one byte past `declared`).
        actual: u64,
    },
    /// An encrypted entry (OFD packages are never encrypted at the zip level).
    Encrypted {
        /// The entry.
        name: String,
    },
    /// A compression method other than stored or deflate.
    UnsupportedCompression {
        /// The entry.
        name: String,
        /// The method as the zip library names it.
        method: String,
    },
    /// A directory entry that carries data.
    DirectoryWithData {
        /// The entry.
        name: String,
    },
    /// A file the caller asked for is not in the package.
    NotFound {
        /// The package path.
        name: String,
    },
    /// The zip library refused the archive or an entry (bad CRC, corrupt deflate stream ...).
    Zip {
        /// The entry, when the error concerns one.
        entry: Option<String>,
        /// The zip library's error.
        source: zip::result::ZipError,
    },
    /// An entry's data could not be read: corrupt deflate stream, CRC mismatch, truncation.
    EntryData {
        /// The entry.
        name: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Reading or writing failed.
    Io(std::io::Error),
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageError::NotAZip => f.write_str("not a zip file (no end of central directory)"),
            PackageError::CentralDirectory { offset, problem } => {
                write!(f, "central directory at offset {offset}: {problem}")
            }
            PackageError::PrependedData { len } => {
                write!(f, "{len} bytes precede the first zip entry")
            }
            PackageError::MultiDisk => f.write_str("multi-disk archives are not supported"),
            PackageError::LimitExceeded {
                limit,
                found,
                max,
                entry,
            } => {
                write!(f, "{limit} {found} exceeds the limit {max}")?;
                if let Some(e) = entry {
                    write!(f, " ({e})")?;
                }
                Ok(())
            }
            PackageError::UnsafeEntryName { name, reason } => {
                write!(f, "unsafe entry name {name:?}: {reason}")
            }
            PackageError::DuplicateEntry { name } => write!(f, "duplicate entry {name:?}"),
            PackageError::LocalHeaderMismatch { name, local_name } => write!(
                f,
                "entry {name:?} has local header name {local_name:?}: readers would disagree"
            ),
            PackageError::LocalHeaderDisagrees { name, field } => write!(
                f,
                "entry {name:?}: local header and central directory disagree on {field}"
            ),
            PackageError::OverlappingEntries { first, second } => {
                write!(f, "entries {first:?} and {second:?} overlap")
            }
            PackageError::SizeMismatch {
                name,
                declared,
                actual,
            } => write!(
                f,
                "entry {name:?} declares {declared} bytes but decompresses to {actual}"
            ),
            PackageError::Encrypted { name } => write!(f, "entry {name:?} is encrypted"),
            PackageError::UnsupportedCompression { name, method } => {
                write!(f, "entry {name:?} uses unsupported compression {method}")
            }
            PackageError::DirectoryWithData { name } => {
                write!(f, "directory entry {name:?} carries data")
            }
            PackageError::NotFound { name } => write!(f, "/{name} is not in the package"),
            PackageError::Zip { entry, source } => match entry {
                Some(e) => write!(f, "entry {e:?}: {source}"),
                None => write!(f, "zip: {source}"),
            },
            PackageError::EntryData { name, source } => write!(f, "entry {name:?}: {source}"),
            PackageError::Io(e) => write!(f, "I/O: {e}"),
        }
    }
}

impl std::error::Error for PackageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PackageError::UnsafeEntryName { reason, .. } => Some(reason),
            PackageError::Zip { source, .. } => Some(source),
            PackageError::EntryData { source, .. } => Some(source),
            PackageError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for PackageError {
    fn from(e: std::io::Error) -> Self {
        PackageError::Io(e)
    }
}

/// Why an XML part was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlError {
    /// Not well-formed; carries the byte offset and the parser's message.
    Syntax {
        /// Byte offset where parsing failed.
        offset: u64,
        /// The XML parser's description.
        message: String,
    },
    /// A document type declaration (refused: entities are never expanded).
    Doctype,
    /// The text is not UTF-8.
    NotUtf8,
    /// Nesting, size or node count over a limit.
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The configured maximum.
        max: u64,
    },
    /// The root element is not the one expected.
    UnexpectedRoot {
        /// Expected local name.
        expected: &'static str,
        /// Found local name.
        found: String,
    },
    /// A required element is absent (GB/T 33190 schema).
    MissingElement {
        /// Parent element.
        parent: &'static str,
        /// Missing child.
        element: &'static str,
    },
    /// A required attribute is absent.
    MissingAttribute {
        /// Element.
        element: &'static str,
        /// Missing attribute.
        attribute: &'static str,
    },
    /// An element or attribute value has the wrong form.
    InvalidValue {
        /// Element (and attribute, as `Element@Attr`).
        field: &'static str,
        /// The value found.
        value: String,
    },
    /// An element that may occur once occurs more often.
    DuplicateElement {
        /// Element.
        element: &'static str,
    },
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Syntax { offset, message } => {
                write!(f, "XML not well-formed at byte {offset}: {message}")
            }
            XmlError::Doctype => f.write_str("document type declarations are refused"),
            XmlError::NotUtf8 => f.write_str("XML text is not UTF-8"),
            XmlError::LimitExceeded { limit, max } => write!(f, "{limit} exceeds the limit {max}"),
            XmlError::UnexpectedRoot { expected, found } => {
                write!(f, "root element is <{found}>, expected <{expected}>")
            }
            XmlError::MissingElement { parent, element } => {
                write!(f, "<{parent}> lacks the required <{element}>")
            }
            XmlError::MissingAttribute { element, attribute } => {
                write!(f, "<{element}> lacks the required attribute {attribute}")
            }
            XmlError::InvalidValue { field, value } => {
                write!(f, "{field}: invalid value {value:?}")
            }
            XmlError::DuplicateElement { element } => {
                write!(f, "<{element}> occurs more than once")
            }
        }
    }
}

impl std::error::Error for XmlError {}

/// Why signing could not proceed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SignError {
    /// An existing signature protects `Signatures.xml` (signed in "whole protected" mode):
    /// adding a signature would break it.
    DocumentLocked {
        /// ID of the signature that protects the list.
        signature_id: String,
    },
    /// The document index asked for does not exist.
    NoSuchDocument {
        /// Index asked for.
        index: usize,
        /// Number of documents (DocBody elements).
        count: usize,
    },
    /// A page index outside the document.
    NoSuchPage {
        /// Index asked for (0-based).
        index: usize,
        /// Number of pages.
        count: usize,
    },
    /// The keyword was not found on the pages searched.
    KeywordNotFound {
        /// The keyword.
        keyword: String,
    },
    /// A stamp size or position that is not a finite positive number of millimetres.
    InvalidGeometry {
        /// What was wrong.
        what: &'static str,
    },
    /// A stamp whose visible area (its boundary, or its clip inside the boundary) does not
    /// overlap the page's PhysicalBox: it would show nothing, and verification reports it.
    StampNotVisible {
        /// Page index (0-based).
        page: usize,
        /// The visible area, in page coordinates (mm).
        visible: Rect,
        /// The page's PhysicalBox (mm).
        page_box: Rect,
    },
    /// A riding seal needs at least two pages.
    RidingNeedsPages {
        /// Pages selected.
        pages: usize,
    },
    /// A signature ID could not be allocated (MaxSignId or an ID without a number).
    IdAllocation {
        /// The value that could not be continued.
        max_sign_id: String,
    },
    /// Type="Seal" requires at least one stamp appearance.
    NoStamp,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::DocumentLocked { signature_id } => write!(
                f,
                "signature {signature_id:?} protects Signatures.xml; adding a signature would break it"
            ),
            SignError::NoSuchDocument { index, count } => {
                write!(f, "document {index} asked for, the package has {count}")
            }
            SignError::NoSuchPage { index, count } => {
                write!(
                    f,
                    "page index {index} asked for, the document has {count} pages"
                )
            }
            SignError::KeywordNotFound { keyword } => write!(f, "keyword {keyword:?} not found"),
            SignError::InvalidGeometry { what } => write!(f, "invalid stamp geometry: {what}"),
            SignError::StampNotVisible {
                page,
                visible,
                page_box,
            } => write!(
                f,
                "the stamp on page index {page} shows at [{visible}], outside the page [{page_box}]"
            ),
            SignError::RidingNeedsPages { pages } => {
                write!(f, "a riding seal needs at least 2 pages, {pages} selected")
            }
            SignError::IdAllocation { max_sign_id } => {
                write!(f, "cannot allocate a signature ID after {max_sign_id:?}")
            }
            SignError::NoStamp => f.write_str("a seal signature needs at least one stamp"),
        }
    }
}

impl std::error::Error for SignError {}

/// A failure of a signed-value back end ([`SignedValueSigner`](crate::SignedValueSigner) or
/// [`SignedValueVerifier`](crate::SignedValueVerifier)) that prevents it from producing a
/// value or a report at all.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignedValueError {
    /// The SM2 signer (software key, device, service) failed.
    Signer(gmseal_sm2::Error),
    /// The back end does not support this kind of signature.
    Unsupported {
        /// What is not supported.
        what: String,
    },
    /// Any other back-end failure (SES or CMS encoding, certificate handling ...).
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for SignedValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignedValueError::Signer(e) => write!(f, "signer failed: {e}"),
            SignedValueError::Unsupported { what } => write!(f, "not supported: {what}"),
            SignedValueError::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SignedValueError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignedValueError::Signer(e) => Some(e),
            SignedValueError::Other(e) => Some(e.as_ref()),
            SignedValueError::Unsupported { .. } => None,
        }
    }
}

impl From<gmseal_sm2::Error> for SignedValueError {
    fn from(e: gmseal_sm2::Error) -> Self {
        SignedValueError::Signer(e)
    }
}
