//! The raw C interface of GM/T 0016-2012 (GB/T 35291-2017): types, constants, structures and the
//! table of function pointers resolved from a loaded library.
//!
//! Nothing here is safe to use directly; the rest of the crate wraps it. The names are those of
//! the standard so that vendor documentation can be read against this module.
//!
//! Layout rules (checked at compile time below):
//!
//! * vendor headers wrap every structure in `#pragma pack(1)`; only [`DEVINFO`] changes layout
//!   under packing (294 bytes packed, 296 natural, 286 in headers that lack the two buffer-size
//!   fields), so it is read from a zeroed buffer by offset ([`crate::decode::DevInfo`]) according
//!   to [`crate::DevInfoLayout`];
//! * `ULONG` is 32 bits; `BOOL` differs between headers (`int`, `long`, `unsigned char`), so a
//!   `BOOL` argument is passed as a pointer-sized integer ([`BOOL`]) whose low byte the callee
//!   reads whatever its own width, and a `BOOL*` out-parameter always points at an 8-byte zeroed
//!   slot ([`BoolSlot`]);
//! * the calling convention is `__stdcall` on 32-bit Windows and the C convention elsewhere,
//!   which is exactly `extern "system"`.
#![allow(
    non_camel_case_types,
    non_snake_case,
    missing_docs,
    missing_debug_implementations
)]

use core::ffi::{c_char, c_void};

mod functions;

pub use functions::{FUNCTION_NAMES, FunctionList};

/// `ULONG`: 32 bits in GM/T 0016.
pub type ULONG = u32;
/// `DWORD`.
pub type DWORD = u32;
/// `BYTE`.
pub type BYTE = u8;
/// A `BOOL` passed by value: pointer-sized so that every header's width reads it correctly (the
/// whole register or stack slot is written; see the module documentation).
pub type BOOL = usize;
/// The 8-byte zeroed slot passed for a `BOOL*` out-parameter.
pub type BoolSlot = u64;
/// `LPSTR`: an 8-bit string, NUL-terminated.
pub type LPSTR = *mut c_char;
/// An opaque handle.
pub type HANDLE = *mut c_void;
/// Device handle.
pub type DEVHANDLE = HANDLE;
/// Application handle.
pub type HAPPLICATION = HANDLE;
/// Container handle.
pub type HCONTAINER = HANDLE;

pub const TRUE: BOOL = 1;
pub const FALSE: BOOL = 0;

/// GM/T 0016-2012 §6.4.1 `VERSION`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct VERSION {
    pub major: BYTE,
    pub minor: BYTE,
}

/// GM/T 0016-2012 §6.4.2 `DEVINFO`, packed (294 bytes). Read with
/// [`crate::decode::DevInfo::parse`], which also handles the 296- and 286-byte variants.
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub struct DEVINFO {
    pub Version: VERSION,
    pub Manufacturer: [c_char; 64],
    pub Issuer: [c_char; 64],
    pub Label: [c_char; 32],
    pub SerialNumber: [c_char; 32],
    pub HWVersion: VERSION,
    pub FirmwareVersion: VERSION,
    pub AlgSymCap: ULONG,
    pub AlgAsymCap: ULONG,
    pub AlgHashCap: ULONG,
    pub DevAuthAlgId: ULONG,
    pub TotalSpace: ULONG,
    pub FreeSpace: ULONG,
    pub MaxECCBufferSize: ULONG,
    pub MaxBufferSize: ULONG,
    pub Reserved: [BYTE; 64],
}

pub const MAX_RSA_MODULUS_LEN: usize = 256;
pub const MAX_RSA_EXPONENT_LEN: usize = 4;
pub const ECC_MAX_XCOORDINATE_BITS_LEN: usize = 512;
pub const ECC_MAX_YCOORDINATE_BITS_LEN: usize = 512;
pub const ECC_MAX_MODULUS_BITS_LEN: usize = 512;
pub const MAX_IV_LEN: usize = 32;
pub const MAX_FILE_NAME_SIZE: usize = 32;
pub const MAX_CONTAINER_NAME_SIZE: usize = 64;

/// GM/T 0016-2012 §6.4.3 `RSAPUBLICKEYBLOB`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RSAPUBLICKEYBLOB {
    pub AlgID: ULONG,
    pub BitLen: ULONG,
    pub Modulus: [BYTE; MAX_RSA_MODULUS_LEN],
    pub PublicExponent: [BYTE; MAX_RSA_EXPONENT_LEN],
}

/// GM/T 0016-2012 §6.4.4 `RSAPRIVATEKEYBLOB`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RSAPRIVATEKEYBLOB {
    pub AlgID: ULONG,
    pub BitLen: ULONG,
    pub Modulus: [BYTE; MAX_RSA_MODULUS_LEN],
    pub PublicExponent: [BYTE; MAX_RSA_EXPONENT_LEN],
    pub PrivateExponent: [BYTE; MAX_RSA_MODULUS_LEN],
    pub Prime1: [BYTE; MAX_RSA_MODULUS_LEN / 2],
    pub Prime2: [BYTE; MAX_RSA_MODULUS_LEN / 2],
    pub Prime1Exponent: [BYTE; MAX_RSA_MODULUS_LEN / 2],
    pub Prime2Exponent: [BYTE; MAX_RSA_MODULUS_LEN / 2],
    pub Coefficient: [BYTE; MAX_RSA_MODULUS_LEN / 2],
}

/// GM/T 0016-2012 §6.4.5 `ECCPUBLICKEYBLOB`: coordinates right-aligned in 64-byte fields.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ECCPUBLICKEYBLOB {
    pub BitLen: ULONG,
    pub XCoordinate: [BYTE; ECC_MAX_XCOORDINATE_BITS_LEN / 8],
    pub YCoordinate: [BYTE; ECC_MAX_YCOORDINATE_BITS_LEN / 8],
}

/// GM/T 0016-2012 §6.4.6 `ECCPRIVATEKEYBLOB`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ECCPRIVATEKEYBLOB {
    pub BitLen: ULONG,
    pub PrivateKey: [BYTE; ECC_MAX_MODULUS_BITS_LEN / 8],
}

/// GM/T 0016-2012 §6.4.7 `ECCCIPHERBLOB`, fixed part (the cipher text `Cipher[CipherLen]`
/// follows; allocate [`ECCCIPHERBLOB_HEADER_LEN`] + n bytes).
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub struct ECCCIPHERBLOB {
    pub XCoordinate: [BYTE; ECC_MAX_XCOORDINATE_BITS_LEN / 8],
    pub YCoordinate: [BYTE; ECC_MAX_YCOORDINATE_BITS_LEN / 8],
    pub HASH: [BYTE; 32],
    pub CipherLen: ULONG,
    pub Cipher: [BYTE; 1],
}

/// Bytes of [`ECCCIPHERBLOB`] before `Cipher`.
pub const ECCCIPHERBLOB_HEADER_LEN: usize = 164;

/// GM/T 0016-2012 §6.4.8 `ECCSIGNATUREBLOB`: `r` and `s` right-aligned in 64-byte fields.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ECCSIGNATUREBLOB {
    pub r: [BYTE; ECC_MAX_XCOORDINATE_BITS_LEN / 8],
    pub s: [BYTE; ECC_MAX_XCOORDINATE_BITS_LEN / 8],
}

/// GM/T 0016-2012 §6.4.9 `BLOCKCIPHERPARAM`, passed **by value** to `SKF_EncryptInit` and
/// `SKF_DecryptInit` and by pointer to `SKF_MacInit`. No padding in either packing.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct BLOCKCIPHERPARAM {
    pub IV: [BYTE; MAX_IV_LEN],
    pub IVLen: ULONG,
    pub PaddingType: ULONG,
    pub FeedBitLen: ULONG,
}

/// GM/T 0016-2012 §6.4.10 `ENVELOPEDKEYBLOB`, up to the start of its variable-length
/// `ECCCipherBlob` (whose header begins at byte 208).
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub struct ENVELOPEDKEYBLOB {
    pub Version: ULONG,
    pub ulSymmAlgID: ULONG,
    pub ulBits: ULONG,
    pub cbEncryptedPriKey: [BYTE; 64],
    pub PubKey: ECCPUBLICKEYBLOB,
    pub ECCCipherBlob: ECCCIPHERBLOB,
}

/// GM/T 0016-2012 §6.4.11 `FILEATTRIBUTE`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct FILEATTRIBUTE {
    pub FileName: [c_char; MAX_FILE_NAME_SIZE],
    pub FileSize: ULONG,
    pub ReadRights: ULONG,
    pub WriteRights: ULONG,
}

// Sizes as measured with gcc on x86-64 under `#pragma pack(1)` (see the crate README).
const _: () = assert!(size_of::<VERSION>() == 2);
const _: () = assert!(size_of::<DEVINFO>() == 294);
const _: () = assert!(size_of::<RSAPUBLICKEYBLOB>() == 268);
const _: () = assert!(size_of::<RSAPRIVATEKEYBLOB>() == 1164);
const _: () = assert!(size_of::<ECCPUBLICKEYBLOB>() == 132);
const _: () = assert!(size_of::<ECCPRIVATEKEYBLOB>() == 68);
const _: () = assert!(size_of::<ECCCIPHERBLOB>() == 165);
const _: () = assert!(size_of::<ECCSIGNATUREBLOB>() == 128);
const _: () = assert!(size_of::<BLOCKCIPHERPARAM>() == 44);
const _: () = assert!(size_of::<ENVELOPEDKEYBLOB>() == 373);
const _: () = assert!(size_of::<FILEATTRIBUTE>() == 44);
const _: () = assert!(core::mem::offset_of!(DEVINFO, AlgSymCap) == 198);
const _: () = assert!(core::mem::offset_of!(DEVINFO, Reserved) == 230);
const _: () = assert!(core::mem::offset_of!(ECCCIPHERBLOB, Cipher) == ECCCIPHERBLOB_HEADER_LEN);
const _: () = assert!(core::mem::offset_of!(ENVELOPEDKEYBLOB, ECCCipherBlob) == 208);

// Error codes (GM/T 0016-2012 Annex A) are in `crate::error::SarCode`.
/// Success.
pub const SAR_OK: ULONG = 0;
/// `SAR_BUFFER_TOO_SMALL`.
pub const SAR_BUFFER_TOO_SMALL: ULONG = 0x0A00_0020;

// PIN types (§6.4.12 / §7.2).
pub const ADMIN_TYPE: ULONG = 0;
pub const USER_TYPE: ULONG = 1;

// Access rights.
pub const SECURE_NEVER_ACCOUNT: ULONG = 0x00;
pub const SECURE_ADM_ACCOUNT: ULONG = 0x01;
pub const SECURE_USER_ACCOUNT: ULONG = 0x10;
pub const SECURE_ANYONE_ACCOUNT: ULONG = 0xFF;

// Device states.
pub const DEV_ABSENT_STATE: ULONG = 0;
pub const DEV_PRESENT_STATE: ULONG = 1;
pub const DEV_UNKNOW_STATE: ULONG = 2;

// Device events of `SKF_WaitForDevEvent`.
pub const DEV_EVENT_INSERTED: ULONG = 1;
pub const DEV_EVENT_REMOVED: ULONG = 2;

// Container types of `SKF_GetContainerType`.
pub const CONTAINER_TYPE_EMPTY: ULONG = 0;
pub const CONTAINER_TYPE_RSA: ULONG = 1;
pub const CONTAINER_TYPE_ECC: ULONG = 2;

// Padding of `BLOCKCIPHERPARAM`.
pub const PADDING_NONE: ULONG = 0;
pub const PADDING_PKCS5: ULONG = 1;

// Algorithm identifiers (GM/T 0006). The SM2 sub-identifiers exist in two numberings; see
// `crate::AlgIdVariant`.
pub const SGD_SM1_ECB: ULONG = 0x0000_0101;
pub const SGD_SM1_CBC: ULONG = 0x0000_0102;
pub const SGD_SM1_CFB: ULONG = 0x0000_0104;
pub const SGD_SM1_OFB: ULONG = 0x0000_0108;
pub const SGD_SM1_MAC: ULONG = 0x0000_0110;
pub const SGD_SSF33_ECB: ULONG = 0x0000_0201;
pub const SGD_SSF33_CBC: ULONG = 0x0000_0202;
pub const SGD_SSF33_CFB: ULONG = 0x0000_0204;
pub const SGD_SSF33_OFB: ULONG = 0x0000_0208;
pub const SGD_SSF33_MAC: ULONG = 0x0000_0210;
pub const SGD_SM4_ECB: ULONG = 0x0000_0401;
pub const SGD_SM4_CBC: ULONG = 0x0000_0402;
pub const SGD_SM4_CFB: ULONG = 0x0000_0404;
pub const SGD_SM4_OFB: ULONG = 0x0000_0408;
pub const SGD_SM4_MAC: ULONG = 0x0000_0410;
pub const SGD_ZUC_EEA3: ULONG = 0x0000_0801;
pub const SGD_ZUC_EIA3: ULONG = 0x0000_0802;
pub const SGD_RSA: ULONG = 0x0001_0000;
pub const SGD_SM2: ULONG = 0x0002_0100;
/// SM2 signature, standard numbering (GM/T 0006-2012).
pub const SGD_SM2_1: ULONG = 0x0002_0200;
/// SM2 key exchange, standard numbering.
pub const SGD_SM2_2: ULONG = 0x0002_0400;
/// SM2 encryption, standard numbering.
pub const SGD_SM2_3: ULONG = 0x0002_0800;
/// SM2 signature in the older numbering found in some headers (one bit lower).
pub const SGD_SM2_1_LEGACY: ULONG = 0x0002_0100;
/// SM2 key exchange, older numbering.
pub const SGD_SM2_2_LEGACY: ULONG = 0x0002_0200;
/// SM2 encryption, older numbering.
pub const SGD_SM2_3_LEGACY: ULONG = 0x0002_0400;
pub const SGD_SM3: ULONG = 0x0000_0001;
pub const SGD_SHA1: ULONG = 0x0000_0002;
pub const SGD_SHA256: ULONG = 0x0000_0004;
pub const SGD_SM3_SM2: ULONG = 0x0002_0201;
pub const SGD_SM3_RSA: ULONG = 0x0001_0001;
pub const SGD_SHA1_RSA: ULONG = 0x0001_0002;
pub const SGD_SHA256_RSA: ULONG = 0x0001_0004;
