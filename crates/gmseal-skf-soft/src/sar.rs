//! The SAR codes the token returns (GM/T 0016-2012 Annex A), defined here independently of the
//! binding so that tests compare two separate readings of the standard.

/// Result of a token operation: `Err` carries the SAR code.
pub(crate) type R<T = ()> = Result<T, u32>;

pub(crate) const OK: u32 = 0;
pub(crate) const FAIL: u32 = 0x0A00_0001;
pub(crate) const NOTSUPPORTYET: u32 = 0x0A00_0003;
pub(crate) const FILE: u32 = 0x0A00_0004;
pub(crate) const INVALIDHANDLE: u32 = 0x0A00_0005;
pub(crate) const INVALIDPARAM: u32 = 0x0A00_0006;
pub(crate) const WRITEFILE: u32 = 0x0A00_0008;
pub(crate) const NAMELEN: u32 = 0x0A00_0009;
pub(crate) const NOTINITIALIZE: u32 = 0x0A00_000C;
pub(crate) const TIMEOUT: u32 = 0x0A00_000F;
pub(crate) const INDATALEN: u32 = 0x0A00_0010;
pub(crate) const GENRAND: u32 = 0x0A00_0012;
pub(crate) const KEYNOTFOUND: u32 = 0x0A00_001B;
pub(crate) const CERTNOTFOUND: u32 = 0x0A00_001C;
pub(crate) const DECRYPTPAD: u32 = 0x0A00_001E;
pub(crate) const BUFFER_TOO_SMALL: u32 = 0x0A00_0020;
pub(crate) const NOT_EVENT: u32 = 0x0A00_0022;
pub(crate) const DEVICE_REMOVED: u32 = 0x0A00_0023;
pub(crate) const PIN_INCORRECT: u32 = 0x0A00_0024;
pub(crate) const PIN_LOCKED: u32 = 0x0A00_0025;
pub(crate) const PIN_LEN_RANGE: u32 = 0x0A00_0027;
pub(crate) const USER_TYPE_INVALID: u32 = 0x0A00_002A;
pub(crate) const USER_NOT_LOGGED_IN: u32 = 0x0A00_002D;
pub(crate) const APPLICATION_NOT_EXISTS: u32 = 0x0A00_002E;
pub(crate) const FILE_ALREADY_EXIST: u32 = 0x0A00_002F;
pub(crate) const NO_ROOM: u32 = 0x0A00_0030;
pub(crate) const FILE_NOT_EXIST: u32 = 0x0A00_0031;
