//! SEC1 `ECPrivateKey` and explicit curve parameters, decoded loosely.
//!
//! The `sec1` crate knows `namedCurve` parameters only; OpenSSL writes explicit
//! `SpecifiedECDomain` parameters for SM2 keys when asked (`-param_enc explicit`), and older
//! Chinese tools do so by default. Such parameters are accepted here when every value equals
//! the sm2p256v1 constants.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::{Decode, Sequence, Tag, Tagged};

use crate::distid::CurveParams;
use crate::error::KeyError;
use crate::oid;

/// `ECPrivateKey` (RFC 5915 / SEC1 C.4) with parameters kept as raw ASN.1.
#[derive(Sequence)]
pub(crate) struct EcPrivateKeyLoose<'a> {
    pub(crate) version: u8,
    pub(crate) private_key: &'a OctetStringRef,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) parameters: Option<AnyRef<'a>>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) public_key: Option<BitStringRef<'a>>,
}

/// `SpecifiedECDomain` (SEC1 C.2), the parts needed to recognise sm2p256v1.
#[derive(Sequence)]
struct SpecifiedEcDomain<'a> {
    version: u8,
    field_id: FieldId<'a>,
    curve: CurveDef<'a>,
    base: &'a OctetStringRef,
    order: UintRef<'a>,
    cofactor: Option<UintRef<'a>>,
}

#[derive(Sequence)]
struct FieldId<'a> {
    field_type: ObjectIdentifier,
    parameters: AnyRef<'a>,
}

#[derive(Sequence)]
struct CurveDef<'a> {
    a: &'a OctetStringRef,
    b: &'a OctetStringRef,
    seed: Option<BitStringRef<'a>>,
}

/// `prime-field` (X9.62).
const PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");

const P: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
];
const N: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x72, 0x03, 0xDF, 0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5, 0x41, 0x23,
];

/// How the curve was named in a key's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CurveForm {
    /// No parameters present.
    Absent,
    /// `namedCurve` sm2p256v1.
    Named,
    /// Explicit parameters equal to sm2p256v1's.
    Explicit,
}

/// Check parameters (namedCurve OID, explicit domain, or NULL/absent) name sm2p256v1.
pub(crate) fn check_curve(params: Option<AnyRef<'_>>) -> Result<CurveForm, KeyError> {
    let Some(params) = params else {
        return Ok(CurveForm::Absent);
    };
    match params.tag() {
        Tag::ObjectIdentifier => {
            let curve: ObjectIdentifier = params.decode_as()?;
            if curve == oid::SM2 {
                Ok(CurveForm::Named)
            } else {
                Err(KeyError::WrongCurve(curve))
            }
        }
        Tag::Null => Ok(CurveForm::Absent),
        Tag::Sequence => {
            let domain: SpecifiedEcDomain<'_> = params.decode_as()?;
            if is_sm2_domain(&domain) {
                Ok(CurveForm::Explicit)
            } else {
                Err(KeyError::WrongExplicitCurve)
            }
        }
        _ => Err(KeyError::WrongExplicitCurve),
    }
}

fn strip(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|b| *b != 0).unwrap_or(v.len());
    &v[start..]
}

fn is_sm2_domain(d: &SpecifiedEcDomain<'_>) -> bool {
    let c = CurveParams::SM2P256V1;
    let p_ok = d.field_id.field_type == PRIME_FIELD
        && d.field_id
            .parameters
            .decode_as::<UintRef<'_>>()
            .is_ok_and(|p| strip(p.as_bytes()) == strip(&P));
    let mut g = Vec::with_capacity(65);
    g.push(4u8);
    g.extend_from_slice(&c.gx);
    g.extend_from_slice(&c.gy);
    let _ = (&d.version, &d.curve.seed);
    p_ok && strip(d.curve.a.as_bytes()) == strip(&c.a)
        && strip(d.curve.b.as_bytes()) == strip(&c.b)
        && d.base.as_bytes() == g.as_slice()
        && strip(d.order.as_bytes()) == strip(&N)
        && d.cofactor
            .as_ref()
            .is_none_or(|h| strip(h.as_bytes()) == [1])
}

/// Decode a loose SEC1 `ECPrivateKey`.
pub(crate) fn decode_sec1(der: &[u8]) -> Result<EcPrivateKeyLoose<'_>, KeyError> {
    let key = EcPrivateKeyLoose::from_der(der)?;
    if key.version != 1 {
        return Err(KeyError::Der(der::Error::from(der::ErrorKind::Value {
            tag: Tag::Integer,
        })));
    }
    Ok(key)
}
