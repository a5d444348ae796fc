//! Plain parsers for what a library writes: name lists, `DEVINFO`, ECC blobs, file attributes.
//!
//! They take byte slices, never pointers, so they can be tested and fuzzed on their own
//! (`fuzz/fuzz_targets/skf_decode.rs`). None of them trusts the input: lengths are checked,
//! strings may lack their NUL, and blobs must be well-formed.

use gmseal_sm2::PublicKey;
use gmseal_sm2::Signature;

use crate::error::Malformed;
use crate::name::Name;
use crate::quirks::{DevInfoLayout, NameEncoding};
use crate::sys;

/// Split a name list (`name1\0name2\0\0`) into names.
///
/// Tolerant of what vendors return: a missing final NUL (or no NUL at all: the whole buffer is
/// one name), stray empty entries, and bytes after the double NUL (ignored). At most
/// `max_names` names are accepted.
///
/// ```
/// use gmseal_skf::decode::name_list;
/// assert_eq!(name_list(b"a\0bc\0\0", 16).unwrap(), vec![&b"a"[..], b"bc"]);
/// assert_eq!(name_list(b"a\0bc", 16).unwrap(), vec![&b"a"[..], b"bc"]);
/// assert!(name_list(b"", 16).unwrap().is_empty());
/// assert!(name_list(b"a\0b\0c\0", 2).is_err());
/// ```
///
/// # Errors
/// [`Malformed::TooManyNames`] above `max_names`.
pub fn name_list(buf: &[u8], max_names: usize) -> Result<Vec<&[u8]>, Malformed> {
    let mut names = Vec::new();
    let mut rest = buf;
    while !rest.is_empty() {
        let (name, tail) = match rest.iter().position(|b| *b == 0) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        if name.is_empty() {
            // The double NUL ends the list; anything after it is not ours to read.
            break;
        }
        if names.len() == max_names {
            return Err(Malformed::TooManyNames { limit: max_names });
        }
        names.push(name);
        rest = tail;
    }
    Ok(names)
}

/// The bytes of a fixed-size C string field up to its first NUL (the whole field when it has
/// none).
pub fn c_string_field(field: &[u8]) -> &[u8] {
    match field.iter().position(|b| *b == 0) {
        Some(i) => &field[..i],
        None => field,
    }
}

/// A two-byte version (`VERSION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Version {
    /// Major version.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
}

/// Device information (GM/T 0016-2012 §6.4.2 `DEVINFO`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DevInfo {
    /// Version of the structure.
    pub version: Version,
    /// Manufacturer.
    pub manufacturer: Name,
    /// Issuer.
    pub issuer: Name,
    /// Label.
    pub label: Name,
    /// Serial number.
    pub serial_number: Name,
    /// Hardware version.
    pub hw_version: Version,
    /// Firmware version.
    pub firmware_version: Version,
    /// Symmetric algorithms supported (bit mask of `SGD_*` IDs).
    pub alg_sym_cap: u32,
    /// Asymmetric algorithms supported.
    pub alg_asym_cap: u32,
    /// Hash algorithms supported.
    pub alg_hash_cap: u32,
    /// Algorithm of device authentication.
    pub dev_auth_alg_id: u32,
    /// Total space in bytes.
    pub total_space: u32,
    /// Free space in bytes.
    pub free_space: u32,
    /// Largest ECC input, where the layout has the field.
    pub max_ecc_buffer_size: Option<u32>,
    /// Largest input of other functions, where the layout has the field.
    pub max_buffer_size: Option<u32>,
}

impl DevInfo {
    /// Parse `DEVINFO` in `layout` from `buf` (at least `layout.size()` bytes).
    ///
    /// # Errors
    /// [`Malformed::WrongLength`] when `buf` is too short.
    pub fn parse(
        buf: &[u8],
        layout: DevInfoLayout,
        encoding: NameEncoding,
    ) -> Result<DevInfo, Malformed> {
        let size = layout.size();
        let buf = buf.get(..size).ok_or(Malformed::WrongLength {
            what: "DEVINFO",
            expected: size,
            found: buf.len(),
        })?;
        let version = |at: usize| Version {
            major: buf[at],
            minor: buf[at + 1],
        };
        let text =
            |at: usize, len: usize| Name::decode(c_string_field(&buf[at..at + len]), encoding);
        let caps = match layout {
            DevInfoLayout::Natural => 200,
            _ => 198,
        };
        let ulong = |i: usize| {
            let at = caps + 4 * i;
            u32::from_ne_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]])
        };
        let has_buffers = layout != DevInfoLayout::WithoutBufferSizes;
        Ok(DevInfo {
            version: version(0),
            manufacturer: text(2, 64),
            issuer: text(66, 64),
            label: text(130, 32),
            serial_number: text(162, 32),
            hw_version: version(194),
            firmware_version: version(196),
            alg_sym_cap: ulong(0),
            alg_asym_cap: ulong(1),
            alg_hash_cap: ulong(2),
            dev_auth_alg_id: ulong(3),
            total_space: ulong(4),
            free_space: ulong(5),
            max_ecc_buffer_size: has_buffers.then(|| ulong(6)),
            max_buffer_size: has_buffers.then(|| ulong(7)),
        })
    }

    /// Does the device announce SM2 (the `SGD_SM2` family bit 0x00020000 of `AlgAsymCap`)?
    /// Capabilities are bit masks of `SGD_*` IDs; the family bit is common to both numberings
    /// of the SM2 sub-identifiers.
    pub fn supports_sm2(&self) -> bool {
        self.alg_asym_cap & 0x0002_0000 != 0
    }

    /// Does the device announce SM4 (the family bit 0x400 of `AlgSymCap`)?
    pub fn supports_sm4(&self) -> bool {
        self.alg_sym_cap & 0x0000_0400 != 0
    }
}

/// Length of an `ECCPUBLICKEYBLOB`.
pub const ECC_PUBLIC_KEY_BLOB_LEN: usize = 132;
/// Length of an `ECCSIGNATUREBLOB`.
pub const ECC_SIGNATURE_BLOB_LEN: usize = 128;

/// A 32-byte value right-aligned in a 64-byte field.
fn right_aligned(field: &[u8], name: &'static str) -> Result<[u8; 32], Malformed> {
    let (pad, value) = field.split_at(32);
    if pad.iter().any(|b| *b != 0) {
        return Err(Malformed::NonZeroPadding { field: name });
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(value);
    Ok(out)
}

/// Parse an `ECCPUBLICKEYBLOB` holding an sm2p256v1 point.
///
/// # Errors
/// Wrong length, bit length other than 256, non-zero padding, or not a point of the curve.
pub fn ecc_public_key(blob: &[u8]) -> Result<PublicKey, Malformed> {
    if blob.len() != ECC_PUBLIC_KEY_BLOB_LEN {
        return Err(Malformed::WrongLength {
            what: "ECCPUBLICKEYBLOB",
            expected: ECC_PUBLIC_KEY_BLOB_LEN,
            found: blob.len(),
        });
    }
    let bits = u32::from_ne_bytes([blob[0], blob[1], blob[2], blob[3]]);
    if bits != 256 {
        return Err(Malformed::BitLength { bits });
    }
    let x = right_aligned(&blob[4..68], "X")?;
    let y = right_aligned(&blob[68..132], "Y")?;
    let mut sec1 = [0u8; 65];
    sec1[0] = 0x04;
    sec1[1..33].copy_from_slice(&x);
    sec1[33..].copy_from_slice(&y);
    PublicKey::from_sec1_bytes(&sec1).map_err(|_| Malformed::InvalidPoint)
}

/// The `ECCPUBLICKEYBLOB` of a public key.
pub fn ecc_public_key_blob(key: &PublicKey) -> sys::ECCPUBLICKEYBLOB {
    let (x, y) = gmseal_sm2::distid::coordinates(key);
    let mut blob = sys::ECCPUBLICKEYBLOB {
        BitLen: 256,
        XCoordinate: [0; 64],
        YCoordinate: [0; 64],
    };
    blob.XCoordinate[32..].copy_from_slice(&x);
    blob.YCoordinate[32..].copy_from_slice(&y);
    blob
}

/// The bytes of an `ECCPUBLICKEYBLOB` structure.
pub fn ecc_public_key_blob_bytes(blob: &sys::ECCPUBLICKEYBLOB) -> [u8; ECC_PUBLIC_KEY_BLOB_LEN] {
    let mut out = [0u8; ECC_PUBLIC_KEY_BLOB_LEN];
    out[..4].copy_from_slice(&blob.BitLen.to_ne_bytes());
    out[4..68].copy_from_slice(&blob.XCoordinate);
    out[68..].copy_from_slice(&blob.YCoordinate);
    out
}

/// Parse an `ECCSIGNATUREBLOB` (`r` and `s` right-aligned in 64-byte fields).
///
/// # Errors
/// Wrong length, non-zero padding, or `r`/`s` outside `1..n-1`.
pub fn ecc_signature(blob: &[u8]) -> Result<Signature, Malformed> {
    if blob.len() != ECC_SIGNATURE_BLOB_LEN {
        return Err(Malformed::WrongLength {
            what: "ECCSIGNATUREBLOB",
            expected: ECC_SIGNATURE_BLOB_LEN,
            found: blob.len(),
        });
    }
    let r = right_aligned(&blob[..64], "r")?;
    let s = right_aligned(&blob[64..], "s")?;
    gmseal_sm2::encoding::from_components(&r, &s).map_err(|_| Malformed::InvalidSignatureValue)
}

/// The `ECCSIGNATUREBLOB` of a signature.
pub fn ecc_signature_blob(sig: &Signature) -> sys::ECCSIGNATUREBLOB {
    let bytes = sig.to_bytes();
    let mut blob = sys::ECCSIGNATUREBLOB {
        r: [0; 64],
        s: [0; 64],
    };
    blob.r[32..].copy_from_slice(&bytes[..32]);
    blob.s[32..].copy_from_slice(&bytes[32..]);
    blob
}

/// The bytes of an `ECCSIGNATUREBLOB` structure.
pub fn ecc_signature_blob_bytes(blob: &sys::ECCSIGNATUREBLOB) -> [u8; ECC_SIGNATURE_BLOB_LEN] {
    let mut out = [0u8; ECC_SIGNATURE_BLOB_LEN];
    out[..64].copy_from_slice(&blob.r);
    out[64..].copy_from_slice(&blob.s);
    out
}

/// File attributes (GM/T 0016-2012 §6.4.11 `FILEATTRIBUTE`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileInfo {
    /// File name.
    pub name: Name,
    /// Size in bytes.
    pub size: u32,
    /// Read rights (`SECURE_*_ACCOUNT`).
    pub read_rights: u32,
    /// Write rights.
    pub write_rights: u32,
}

/// Length of `FILEATTRIBUTE`.
pub const FILE_ATTRIBUTE_LEN: usize = 44;

impl FileInfo {
    /// Parse the 44 bytes of a `FILEATTRIBUTE`.
    ///
    /// # Errors
    /// [`Malformed::WrongLength`] when `buf` is shorter.
    pub fn parse(buf: &[u8], encoding: NameEncoding) -> Result<FileInfo, Malformed> {
        let buf = buf
            .get(..FILE_ATTRIBUTE_LEN)
            .ok_or(Malformed::WrongLength {
                what: "FILEATTRIBUTE",
                expected: FILE_ATTRIBUTE_LEN,
                found: buf.len(),
            })?;
        let ulong =
            |at: usize| u32::from_ne_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
        Ok(FileInfo {
            name: Name::decode(c_string_field(&buf[..32]), encoding),
            size: ulong(32),
            read_rights: ulong(36),
            write_rights: ulong(40),
        })
    }
}
