//! The signer's distinguishing identifier and the Z value (GB/T 32918.2-2016 §5.5).
//!
//! `Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)`, where ENTL is the bit length of the ID as
//! two big-endian bytes. Every SM2 signature in the GM world is over `e = SM3(Z ‖ M)`; the ID is
//! `1234567812345678` unless the application says otherwise (GM/T 0009-2012 §10,
//! GB/T 35276-2017).

use std::borrow::Cow;
use std::fmt;

use sm2::PublicKey;
use sm2::elliptic_curve::sec1::{Coordinates, ToSec1Point};
use sm3::{Digest, Sm3};

use crate::error::{Error, Result};

/// The longest ID whose bit length fits in ENTL's 16 bits.
pub const MAX_DIST_ID_LEN: usize = 8191;

/// A distinguishing identifier (the SM2 "user ID"): arbitrary bytes, at most 8191 of them.
///
/// [`DistId::default()`] is the GM/T 0009 default `1234567812345678`.
///
/// ```
/// use gmseal_sm2::DistId;
/// assert_eq!(DistId::default().as_bytes(), b"1234567812345678");
/// let alice = DistId::new(*b"ALICE123@YAHOO.COM").unwrap();
/// assert_eq!(alice.entl(), 0x0090);
/// assert!(DistId::new(vec![0u8; 8192]).is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DistId(Cow<'static, [u8]>);

impl DistId {
    /// The bytes of the default ID of GM/T 0009-2012 §10.
    pub const DEFAULT_BYTES: &'static [u8] = b"1234567812345678";

    /// The default ID, `1234567812345678`.
    pub const DEFAULT: DistId = DistId(Cow::Borrowed(Self::DEFAULT_BYTES));

    /// The empty ID (ENTL = 0). OpenSSL 3.0 signs with it when no `distid` is given; gmseal
    /// uses it only where a caller asks for compatibility with such signatures.
    pub const EMPTY: DistId = DistId(Cow::Borrowed(b""));

    /// An ID from arbitrary bytes.
    ///
    /// # Errors
    /// [`Error::DistIdTooLong`] if `id` has more than [`MAX_DIST_ID_LEN`] bytes.
    pub fn new(id: impl Into<Vec<u8>>) -> Result<Self> {
        let id = id.into();
        if id.len() > MAX_DIST_ID_LEN {
            return Err(Error::DistIdTooLong { len: id.len() });
        }
        Ok(DistId(Cow::Owned(id)))
    }

    /// The ID bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// ENTL: the bit length of the ID.
    pub fn entl(&self) -> u16 {
        // The constructor bounds the length to 8191 bytes, so this cannot truncate.
        (self.0.len() * 8) as u16
    }

    /// Is this the default ID `1234567812345678`?
    pub fn is_default(&self) -> bool {
        *self.0 == *Self::DEFAULT_BYTES
    }

    /// Is this the empty ID?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Default for DistId {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Debug for DistId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DistId({self})")
    }
}

impl fmt::Display for DistId {
    /// The ID as text when it is printable ASCII, otherwise as hex prefixed with `0x`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
            write!(f, "\"{}\"", String::from_utf8_lossy(&self.0))
        } else {
            f.write_str("0x")?;
            for b in self.0.iter() {
                write!(f, "{b:02X}")?;
            }
            Ok(())
        }
    }
}

/// The four curve constants Z depends on, as 32-byte big-endian field elements.
///
/// Only [`CurveParams::SM2P256V1`] is used for signing and verifying (RustCrypto's `sm2` crate
/// implements that curve alone); other values exist so that Z vectors of other curves (the
/// Fp-256 example curve of GB/T 32918.2 Annex A) can be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurveParams {
    /// Coefficient a.
    pub a: [u8; 32],
    /// Coefficient b.
    pub b: [u8; 32],
    /// x of the base point G.
    pub gx: [u8; 32],
    /// y of the base point G.
    pub gy: [u8; 32],
}

impl CurveParams {
    /// The recommended curve sm2p256v1 (GB/T 32918.5-2017 §3).
    pub const SM2P256V1: CurveParams = CurveParams {
        a: hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"),
        b: hex32("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"),
        gx: hex32("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"),
        gy: hex32("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"),
    };
}

/// Decode 64 hex digits at compile time.
const fn hex32(s: &str) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => 0xFF,
        }
    }
    let bytes = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        let hi = nibble(bytes[2 * i]);
        let lo = nibble(bytes[2 * i + 1]);
        assert!(hi < 16 && lo < 16, "bad hex digit in curve constant");
        out[i] = (hi << 4) | lo;
        i += 1;
    }
    out
}

/// The preimage of Z: `ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA`.
pub fn z_preimage(curve: &CurveParams, x: &[u8; 32], y: &[u8; 32], id: &DistId) -> Vec<u8> {
    let mut v = Vec::with_capacity(2 + id.as_bytes().len() + 6 * 32);
    v.extend_from_slice(&id.entl().to_be_bytes());
    v.extend_from_slice(id.as_bytes());
    for part in [&curve.a, &curve.b, &curve.gx, &curve.gy, x, y] {
        v.extend_from_slice(part);
    }
    v
}

/// Z for a public key given by its coordinates on any curve.
pub fn z_for_curve(curve: &CurveParams, x: &[u8; 32], y: &[u8; 32], id: &DistId) -> [u8; 32] {
    let mut h = Sm3::new();
    h.update(id.entl().to_be_bytes());
    h.update(id.as_bytes());
    for part in [&curve.a, &curve.b, &curve.gx, &curve.gy, x, y] {
        h.update(part);
    }
    h.finalize().into()
}

/// The affine coordinates of an sm2p256v1 public key.
pub fn coordinates(public_key: &PublicKey) -> ([u8; 32], [u8; 32]) {
    let point = public_key.to_sec1_point(false);
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    if let Coordinates::Uncompressed { x: px, y: py } = point.coordinates() {
        x.copy_from_slice(px);
        y.copy_from_slice(py);
    }
    // A `PublicKey` is never the identity, and an uncompressed encoding was asked for, so the
    // branch above is always taken.
    (x, y)
}

/// Z for an sm2p256v1 public key and an ID.
///
/// ```
/// use gmseal_sm2::{DistId, z_value};
/// # let pk = gmseal_sm2::SoftwareSigner::generate().public_key();
/// let z = z_value(&pk, &DistId::default());
/// assert_eq!(z.len(), 32);
/// ```
pub fn z_value(public_key: &PublicKey, id: &DistId) -> [u8; 32] {
    let (x, y) = coordinates(public_key);
    z_for_curve(&CurveParams::SM2P256V1, &x, &y, id)
}
