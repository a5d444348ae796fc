//! Error types: every SAR code of GM/T 0016-2012 Annex A by name, and what the binding itself
//! detects (missing functions, malformed answers, bad arguments).

use core::fmt;
use std::path::PathBuf;

macro_rules! sar_codes {
    ($( $(#[$doc:meta])* $variant:ident = $value:literal, $name:literal; )*) => {
        /// A non-zero return code of an SKF function (GM/T 0016-2012 Annex A).
        ///
        /// Codes the standard does not define (vendor extensions) keep their value in
        /// [`SarCode::Vendor`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum SarCode {
            $( $(#[$doc])* $variant, )*
            /// A code the standard does not define.
            Vendor(u32),
        }

        impl SarCode {
            /// The code for a raw value (`0` is not an error and maps to `Vendor(0)`).
            pub fn from_u32(value: u32) -> SarCode {
                match value {
                    $( $value => SarCode::$variant, )*
                    other => SarCode::Vendor(other),
                }
            }

            /// The raw value.
            pub fn value(self) -> u32 {
                match self {
                    $( SarCode::$variant => $value, )*
                    SarCode::Vendor(v) => v,
                }
            }

            /// The name in the standard (`"SAR_PIN_INCORRECT"`), or `None` for vendor codes.
            pub fn name(self) -> Option<&'static str> {
                match self {
                    $( SarCode::$variant => Some($name), )*
                    SarCode::Vendor(_) => None,
                }
            }
        }
    };
}

sar_codes! {
    /// `SAR_FAIL`.
    Fail = 0x0A00_0001, "SAR_FAIL";
    /// `SAR_UNKNOWNERR`.
    Unknown = 0x0A00_0002, "SAR_UNKNOWNERR";
    /// `SAR_NOTSUPPORTYETERR`.
    NotSupported = 0x0A00_0003, "SAR_NOTSUPPORTYETERR";
    /// `SAR_FILEERR`.
    File = 0x0A00_0004, "SAR_FILEERR";
    /// `SAR_INVALIDHANDLEERR`.
    InvalidHandle = 0x0A00_0005, "SAR_INVALIDHANDLEERR";
    /// `SAR_INVALIDPARAMERR`.
    InvalidParam = 0x0A00_0006, "SAR_INVALIDPARAMERR";
    /// `SAR_READFILEERR`.
    ReadFile = 0x0A00_0007, "SAR_READFILEERR";
    /// `SAR_WRITEFILEERR`.
    WriteFile = 0x0A00_0008, "SAR_WRITEFILEERR";
    /// `SAR_NAMELENERR`.
    NameLen = 0x0A00_0009, "SAR_NAMELENERR";
    /// `SAR_KEYUSAGEERR`.
    KeyUsage = 0x0A00_000A, "SAR_KEYUSAGEERR";
    /// `SAR_MODULUSLENERR`.
    ModulusLen = 0x0A00_000B, "SAR_MODULUSLENERR";
    /// `SAR_NOTINITIALIZEERR`.
    NotInitialized = 0x0A00_000C, "SAR_NOTINITIALIZEERR";
    /// `SAR_OBJERR`.
    Object = 0x0A00_000D, "SAR_OBJERR";
    /// `SAR_MEMORYERR`.
    Memory = 0x0A00_000E, "SAR_MEMORYERR";
    /// `SAR_TIMEOUTERR`.
    Timeout = 0x0A00_000F, "SAR_TIMEOUTERR";
    /// `SAR_INDATALENERR`.
    InDataLen = 0x0A00_0010, "SAR_INDATALENERR";
    /// `SAR_INDATAERR`.
    InData = 0x0A00_0011, "SAR_INDATAERR";
    /// `SAR_GENRANDERR`.
    GenRand = 0x0A00_0012, "SAR_GENRANDERR";
    /// `SAR_HASHOBJERR`.
    HashObject = 0x0A00_0013, "SAR_HASHOBJERR";
    /// `SAR_HASHERR`.
    Hash = 0x0A00_0014, "SAR_HASHERR";
    /// `SAR_GENRSAKEYERR`.
    GenRsaKey = 0x0A00_0015, "SAR_GENRSAKEYERR";
    /// `SAR_RSAMODULUSLENERR`.
    RsaModulusLen = 0x0A00_0016, "SAR_RSAMODULUSLENERR";
    /// `SAR_CSPIMPRTPUBKEYERR`.
    CspImportPublicKey = 0x0A00_0017, "SAR_CSPIMPRTPUBKEYERR";
    /// `SAR_RSAENCERR`.
    RsaEncrypt = 0x0A00_0018, "SAR_RSAENCERR";
    /// `SAR_RSADECERR`.
    RsaDecrypt = 0x0A00_0019, "SAR_RSADECERR";
    /// `SAR_HASHNOTEQUALERR`.
    HashNotEqual = 0x0A00_001A, "SAR_HASHNOTEQUALERR";
    /// `SAR_KEYNOTFOUNTERR` (sic).
    KeyNotFound = 0x0A00_001B, "SAR_KEYNOTFOUNTERR";
    /// `SAR_CERTNOTFOUNTERR` (sic).
    CertNotFound = 0x0A00_001C, "SAR_CERTNOTFOUNTERR";
    /// `SAR_NOTEXPORTERR`.
    NotExported = 0x0A00_001D, "SAR_NOTEXPORTERR";
    /// `SAR_DECRYPTPADERR`.
    DecryptPad = 0x0A00_001E, "SAR_DECRYPTPADERR";
    /// `SAR_MACLENERR`.
    MacLen = 0x0A00_001F, "SAR_MACLENERR";
    /// `SAR_BUFFER_TOO_SMALL`.
    BufferTooSmall = 0x0A00_0020, "SAR_BUFFER_TOO_SMALL";
    /// `SAR_KEYINFOTYPEERR`.
    KeyInfoType = 0x0A00_0021, "SAR_KEYINFOTYPEERR";
    /// `SAR_NOT_EVENTERR`.
    NotEvent = 0x0A00_0022, "SAR_NOT_EVENTERR";
    /// `SAR_DEVICE_REMOVED`.
    DeviceRemoved = 0x0A00_0023, "SAR_DEVICE_REMOVED";
    /// `SAR_PIN_INCORRECT`.
    PinIncorrect = 0x0A00_0024, "SAR_PIN_INCORRECT";
    /// `SAR_PIN_LOCKED`.
    PinLocked = 0x0A00_0025, "SAR_PIN_LOCKED";
    /// `SAR_PIN_INVALID`.
    PinInvalid = 0x0A00_0026, "SAR_PIN_INVALID";
    /// `SAR_PIN_LEN_RANGE`.
    PinLenRange = 0x0A00_0027, "SAR_PIN_LEN_RANGE";
    /// `SAR_USER_ALREADY_LOGGED_IN`.
    UserAlreadyLoggedIn = 0x0A00_0028, "SAR_USER_ALREADY_LOGGED_IN";
    /// `SAR_USER_PIN_NOT_INITIALIZED`.
    UserPinNotInitialized = 0x0A00_0029, "SAR_USER_PIN_NOT_INITIALIZED";
    /// `SAR_USER_TYPE_INVALID`.
    UserTypeInvalid = 0x0A00_002A, "SAR_USER_TYPE_INVALID";
    /// `SAR_APPLICATION_NAME_INVALID`.
    ApplicationNameInvalid = 0x0A00_002B, "SAR_APPLICATION_NAME_INVALID";
    /// `SAR_APPLICATION_EXISTS`.
    ApplicationExists = 0x0A00_002C, "SAR_APPLICATION_EXISTS";
    /// `SAR_USER_NOT_LOGGED_IN`.
    UserNotLoggedIn = 0x0A00_002D, "SAR_USER_NOT_LOGGED_IN";
    /// `SAR_APPLICATION_NOT_EXISTS`.
    ApplicationNotExists = 0x0A00_002E, "SAR_APPLICATION_NOT_EXISTS";
    /// `SAR_FILE_ALREADY_EXIST`.
    FileAlreadyExists = 0x0A00_002F, "SAR_FILE_ALREADY_EXIST";
    /// `SAR_NO_ROOM`.
    NoRoom = 0x0A00_0030, "SAR_NO_ROOM";
    /// `SAR_FILE_NOT_EXIST`.
    FileNotExist = 0x0A00_0031, "SAR_FILE_NOT_EXIST";
    /// `SAR_REACH_MAX_CONTAINER_COUNT`.
    ReachMaxContainerCount = 0x0A00_0032, "SAR_REACH_MAX_CONTAINER_COUNT";
}

impl fmt::Display for SarCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name} (0x{:08X})", self.value()),
            None => write!(f, "vendor code 0x{:08X}", self.value()),
        }
    }
}

/// What was wrong with an answer of the library (it is not trusted: lengths, strings and blobs
/// are all checked).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Malformed {
    /// The library claims to have written more bytes than the buffer it was given holds.
    LengthExceedsBuffer {
        /// Length claimed.
        claimed: usize,
        /// Capacity of the buffer.
        capacity: usize,
    },
    /// An answer larger than this binding accepts (see [`crate::LibraryConfig::max_answer_len`]).
    TooLarge {
        /// Length announced.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A structure of the wrong length.
    WrongLength {
        /// What was being read.
        what: &'static str,
        /// Expected length.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// An ECC blob with a bit length other than 256.
    BitLength {
        /// Bit length found.
        bits: u32,
    },
    /// The leading bytes of a right-aligned 64-byte field are not zero.
    NonZeroPadding {
        /// Which field (`"X"`, `"Y"`, `"r"`, `"s"`).
        field: &'static str,
    },
    /// The public key is not a point of sm2p256v1.
    InvalidPoint,
    /// `r` or `s` is zero or not below the group order.
    InvalidSignatureValue,
    /// A name list with more entries than this binding accepts.
    TooManyNames {
        /// The limit.
        limit: usize,
    },
    /// An enumerated value outside its range.
    UnexpectedValue {
        /// What it was.
        what: &'static str,
        /// The value.
        value: u32,
    },
    /// The library returned a null handle with success.
    NullHandle,
    /// A digest of the wrong length.
    DigestLength {
        /// Length found.
        len: usize,
    },
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Malformed::LengthExceedsBuffer { claimed, capacity } => write!(
                f,
                "claims {claimed} bytes written into a buffer of {capacity}"
            ),
            Malformed::TooLarge { len, limit } => {
                write!(f, "announces {len} bytes, more than the limit of {limit}")
            }
            Malformed::WrongLength {
                what,
                expected,
                found,
            } => write!(f, "{what} of {found} bytes, expected {expected}"),
            Malformed::BitLength { bits } => {
                write!(f, "ECC blob with bit length {bits}, expected 256")
            }
            Malformed::NonZeroPadding { field } => write!(
                f,
                "the 32 leading bytes of the right-aligned field {field} are not zero"
            ),
            Malformed::InvalidPoint => f.write_str("public key is not a point of sm2p256v1"),
            Malformed::InvalidSignatureValue => {
                f.write_str("signature r or s is zero or not below the group order")
            }
            Malformed::TooManyNames { limit } => {
                write!(f, "name list with more than {limit} entries")
            }
            Malformed::UnexpectedValue { what, value } => {
                write!(f, "unexpected {what} {value} (0x{value:X})")
            }
            Malformed::NullHandle => f.write_str("null handle returned with success"),
            Malformed::DigestLength { len } => write!(f, "digest of {len} bytes, expected 32"),
        }
    }
}

impl std::error::Error for Malformed {}

/// Why a name or other argument could not be passed to the library.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgumentError {
    /// The name contains a NUL byte.
    NulInName,
    /// The name cannot be written in the library's encoding (e.g. a character GBK lacks).
    Unencodable {
        /// The encoding.
        encoding: &'static str,
    },
    /// The value is longer than allowed.
    TooLong {
        /// What it was.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgumentError::NulInName => f.write_str("name contains a NUL byte"),
            ArgumentError::Unencodable { encoding } => {
                write!(f, "name cannot be written in {encoding}")
            }
            ArgumentError::TooLong { what, len, limit } => {
                write!(f, "{what} of {len} bytes is longer than {limit}")
            }
        }
    }
}

impl std::error::Error for ArgumentError {}

/// Errors of the SKF binding.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The library could not be loaded.
    Load {
        /// Its path.
        path: PathBuf,
        /// The loader's error.
        source: libloading::Error,
    },
    /// The library exports none of the SKF functions.
    NotAnSkfLibrary {
        /// Its path.
        path: PathBuf,
    },
    /// The library lacks a function this operation needs.
    MissingFunction {
        /// The function, e.g. `"SKF_DigestInit"`.
        function: &'static str,
    },
    /// The library returned an error code.
    Sar {
        /// The function that failed.
        function: &'static str,
        /// Its code.
        code: SarCode,
    },
    /// A wrong PIN (`SAR_PIN_INCORRECT`), with the tries the device says are left.
    PinIncorrect {
        /// The function (`SKF_VerifyPIN`, `SKF_ChangePIN`, `SKF_UnblockPIN`).
        function: &'static str,
        /// Remaining tries as reported by the library.
        remaining_retries: u32,
    },
    /// The PIN is locked (`SAR_PIN_LOCKED`); the user PIN is unblocked with the admin PIN.
    PinLocked {
        /// The function.
        function: &'static str,
    },
    /// The library answered with something this binding refuses.
    Malformed {
        /// The function whose answer it was.
        function: &'static str,
        /// What was wrong.
        problem: Malformed,
    },
    /// An argument cannot be passed to the library.
    Argument(ArgumentError),
    /// The container does not hold an SM2 key pair.
    NotAnEccContainer {
        /// The container type the library reported (0 empty, 1 RSA).
        container_type: u32,
    },
    /// The SM2 glue failed (e.g. a digest of the wrong length was given to the signer).
    Sm2(gmseal_sm2::Error),
    /// The signing certificate in the container is not for the container's signing key.
    CertificateKeyMismatch,
    /// The device returned a signature that does not verify under its public key.
    SignatureDoesNotVerify,
    /// A device, application or container of the given name is not there.
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its name.
        name: String,
    },
}

impl Error {
    /// The SAR code, when the library returned one.
    pub fn sar_code(&self) -> Option<SarCode> {
        match self {
            Error::Sar { code, .. } => Some(*code),
            Error::PinIncorrect { .. } => Some(SarCode::PinIncorrect),
            Error::PinLocked { .. } => Some(SarCode::PinLocked),
            _ => None,
        }
    }

    /// Map a return value of `function` to `Ok(())` or an error.
    pub(crate) fn check(function: &'static str, rc: u32) -> Result<()> {
        match rc {
            0 => Ok(()),
            rc => Err(match SarCode::from_u32(rc) {
                SarCode::PinLocked => Error::PinLocked { function },
                code => Error::Sar { function, code },
            }),
        }
    }

    pub(crate) fn malformed(function: &'static str, problem: Malformed) -> Error {
        Error::Malformed { function, problem }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load { path, source } => {
                write!(f, "cannot load SKF library {}: {source}", path.display())
            }
            Error::NotAnSkfLibrary { path } => write!(
                f,
                "{} exports no SKF_* function: not an SKF library",
                path.display()
            ),
            Error::MissingFunction { function } => {
                write!(f, "the SKF library does not export {function}")
            }
            Error::Sar { function, code } => write!(f, "{function} failed: {code}"),
            Error::PinIncorrect {
                function,
                remaining_retries,
            } => write!(f, "{function}: wrong PIN, {remaining_retries} tries left"),
            Error::PinLocked { function } => write!(f, "{function}: the PIN is locked"),
            Error::Malformed { function, problem } => {
                write!(f, "{function} returned a malformed answer: {problem}")
            }
            Error::Argument(e) => write!(f, "bad argument: {e}"),
            Error::NotAnEccContainer { container_type } => write!(
                f,
                "container holds no SM2 key pair (container type {container_type})"
            ),
            Error::Sm2(e) => write!(f, "SM2: {e}"),
            Error::CertificateKeyMismatch => {
                f.write_str("the container's signing certificate is not for its signing key")
            }
            Error::SignatureDoesNotVerify => f.write_str(
                "the device returned a signature that does not verify under its public key",
            ),
            Error::NotFound { what, name } => write!(f, "no {what} named {name:?}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Load { source, .. } => Some(source),
            Error::Malformed { problem, .. } => Some(problem),
            Error::Argument(e) => Some(e),
            Error::Sm2(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ArgumentError> for Error {
    fn from(e: ArgumentError) -> Self {
        Error::Argument(e)
    }
}

impl From<gmseal_sm2::Error> for Error {
    fn from(e: gmseal_sm2::Error) -> Self {
        Error::Sm2(e)
    }
}

/// Result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
