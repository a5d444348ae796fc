//! SM3withSM2 signatures over certificates and CRLs (GM/T 0015 / GB/T 20518, signature as in
//! GM/T 0009-2012 §7.3 and §10).
//!
//! The signed value is `e = SM3(Z ‖ TBS)` with Z over the issuer's public key and the default
//! ID `1234567812345678`; the signature value is DER `SEQUENCE { r INTEGER, s INTEGER }`. The
//! hash is always taken over the TBS bytes exactly as received, never over a re-encoding
//! (NULL versus absent algorithm parameters would change it).
//!
//! Two deviations from real software are recognised and named:
//!
//! * **empty ID** (ENTL = 0): what OpenSSL 3.0 signs with when no `distid` is given. Refused
//!   unless [`SignaturePolicy::allow_empty_id`] is set, and then reported;
//! * **no Z** (`e = SM3(TBS)`): old GmSSL 2 / BouncyCastle. Always refused, with that reason.
//!
//! and, for the encoding, raw `r‖s` and the DER deviations of [`gmseal_sm2::Deviation`],
//! refused in [`Strictness::Strict`] and reported in [`Strictness::Lenient`].

use core::fmt;

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Tag, Tagged};
use gmseal_sm2::encoding::{self, Deviation, SignatureFormat};
use gmseal_sm2::{DistId, PublicKey, SignatureFormatError, Sm2VerifyingKey, Strictness};
use spki::AlgorithmIdentifierOwned;

use crate::error::{Error, Result, Structure};

/// How the parameters of the SM3withSM2 AlgorithmIdentifier are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AlgorithmParameters {
    /// Parameters absent (OpenSSL, GmSSL, RustCrypto): `30 0A 06 08 2A811CCF55018375`.
    #[default]
    Absent,
    /// Parameters NULL (86 of 87 NRCAC-hierarchy CA certificates): `30 0C ... 05 00`.
    Null,
}

impl AlgorithmParameters {
    /// The AlgorithmIdentifier for SM3withSM2 with these parameters.
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: gmseal_sm2::oid::SM2_WITH_SM3,
            parameters: match self {
                AlgorithmParameters::Absent => None,
                AlgorithmParameters::Null => Some(der::asn1::Any::from(der::asn1::Null)),
            },
        }
    }
}

/// The signature algorithm of a certificate or CRL, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// SM3withSM2 with absent or NULL parameters.
    Sm3WithSm2(AlgorithmParameters),
    /// SM3withSM2 with parameters other than NULL; carries their DER.
    Sm3WithSm2BadParameters(Vec<u8>),
    /// Any other algorithm; carries its OID.
    Other(ObjectIdentifier),
}

impl SignatureAlgorithm {
    /// Classify an AlgorithmIdentifier.
    pub fn classify(alg: &AlgorithmIdentifierOwned) -> Self {
        if alg.oid != gmseal_sm2::oid::SM2_WITH_SM3 {
            return SignatureAlgorithm::Other(alg.oid);
        }
        match &alg.parameters {
            None => SignatureAlgorithm::Sm3WithSm2(AlgorithmParameters::Absent),
            Some(p) if p.tag() == Tag::Null && p.value().is_empty() => {
                SignatureAlgorithm::Sm3WithSm2(AlgorithmParameters::Null)
            }
            Some(p) => SignatureAlgorithm::Sm3WithSm2BadParameters(p.to_der().unwrap_or_default()),
        }
    }

    /// Decode and classify the DER of an AlgorithmIdentifier.
    ///
    /// # Errors
    /// [`Error::Der`] when it does not decode.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let alg = AlgorithmIdentifierOwned::from_der(der)
            .map_err(Error::der(Structure::AlgorithmIdentifier))?;
        Ok(Self::classify(&alg))
    }

    /// The OID.
    pub fn oid(&self) -> ObjectIdentifier {
        match self {
            SignatureAlgorithm::Sm3WithSm2(_) | SignatureAlgorithm::Sm3WithSm2BadParameters(_) => {
                gmseal_sm2::oid::SM2_WITH_SM3
            }
            SignatureAlgorithm::Other(oid) => *oid,
        }
    }
}

/// What signatures to accept. The default is strict: default ID, DER only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignaturePolicy {
    /// Accept signatures made with an empty ID (OpenSSL 3.0 without `distid`), reporting each
    /// as [`Tolerated::EmptyIdSignature`]. Off by default.
    pub allow_empty_id: bool,
    /// Encoding strictness: [`Strictness::Strict`] accepts DER only; `Lenient` also accepts raw
    /// `r‖s` and DER deviations, reporting each.
    pub encoding: Strictness,
}

impl SignaturePolicy {
    /// The strict default.
    pub const STRICT: SignaturePolicy = SignaturePolicy {
        allow_empty_id: false,
        encoding: Strictness::Strict,
    };
    /// Everything real files do that can still be verified safely: empty ID and lenient
    /// encoding (each reported). No-Z signatures stay refused.
    pub const COMPATIBLE: SignaturePolicy = SignaturePolicy {
        allow_empty_id: true,
        encoding: Strictness::Lenient,
    };
}

/// Which ID a valid signature was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdUsed {
    /// The default ID `1234567812345678`, as the standards require.
    Default,
    /// The empty ID (ENTL = 0), accepted by [`SignaturePolicy::allow_empty_id`].
    Empty,
}

/// A deviation a lenient verification tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Tolerated {
    /// The signature was made with the empty ID instead of the default ID.
    EmptyIdSignature,
    /// The signature value deviates from strict DER (raw `r‖s`, non-minimal INTEGER, ...).
    SignatureEncoding(Deviation),
}

impl fmt::Display for Tolerated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerated::EmptyIdSignature => f.write_str(
                "signature made with an empty SM2 ID instead of 1234567812345678 (OpenSSL default)",
            ),
            Tolerated::SignatureEncoding(d) => write!(f, "signature encoding: {d}"),
        }
    }
}

/// A valid signature and what was tolerated to accept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureOk {
    /// The ID the signature was made with.
    pub id: IdUsed,
    /// Deviations tolerated (empty under the strict policy).
    pub tolerated: Vec<Tolerated>,
}

/// Why a signature over a certificate or CRL is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureFailure {
    /// The algorithm is not SM3withSM2; carries its OID.
    UnsupportedAlgorithm(ObjectIdentifier),
    /// SM3withSM2 with parameters that are neither absent nor NULL.
    BadAlgorithmParameters,
    /// The AlgorithmIdentifier does not decode.
    MalformedAlgorithm,
    /// The signature algorithm inside the TBS differs from the outer one (RFC 5280
    /// §4.1.1.2).
    AlgorithmMismatch,
    /// The BIT STRING holding the signature has unused bits.
    BitStringUnusedBits,
    /// The signature value is raw `r‖s`, refused in strict mode.
    RawSignature,
    /// The signature value does not decode.
    Malformed(SignatureFormatError),
    /// The signature verifies only with the empty ID, refused by the policy.
    EmptyId,
    /// The signature verifies only without Z (`e = SM3(TBS)`): not an SM2 signature as the
    /// standards define it; always refused.
    NoZ,
    /// The signature does not verify under the issuer key (default ID, empty ID and no Z
    /// tried).
    BadSignature,
    /// The issuer's public key is not a usable SM2 key.
    IssuerKey,
}

impl fmt::Display for SignatureFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureFailure::UnsupportedAlgorithm(oid) => {
                write!(f, "signature algorithm {oid} is not SM3withSM2")
            }
            SignatureFailure::BadAlgorithmParameters => {
                f.write_str("SM3withSM2 parameters are neither absent nor NULL")
            }
            SignatureFailure::MalformedAlgorithm => {
                f.write_str("signature AlgorithmIdentifier does not decode")
            }
            SignatureFailure::AlgorithmMismatch => f.write_str(
                "signature algorithm in the signed part differs from the outer one",
            ),
            SignatureFailure::BitStringUnusedBits => {
                f.write_str("signature BIT STRING has unused bits")
            }
            SignatureFailure::RawSignature => {
                f.write_str("signature is raw r||s, not DER SEQUENCE{r,s} (refused in strict mode)")
            }
            SignatureFailure::Malformed(e) => write!(f, "signature value: {e}"),
            SignatureFailure::EmptyId => f.write_str(
                "signature was made with an empty SM2 ID (OpenSSL 3 without distid); refused unless the empty-ID compatibility option is set",
            ),
            SignatureFailure::NoZ => f.write_str(
                "signature was made without Z (e = SM3(TBS)); not a GM/T 0009 signature",
            ),
            SignatureFailure::BadSignature => {
                f.write_str("signature does not verify under the issuer's key")
            }
            SignatureFailure::IssuerKey => f.write_str("issuer public key is not a usable SM2 key"),
        }
    }
}

impl std::error::Error for SignatureFailure {}

/// Verify a signature over `tbs` (the signed bytes as received).
///
/// `inner_alg` is the algorithm inside the TBS (certificates and CRLs carry it twice);
/// `outer_alg` the one next to the signature; they must be byte-identical. `signature` is the
/// content of the BIT STRING.
///
/// # Errors
/// The [`SignatureFailure`] naming why the signature is not accepted.
pub fn verify_signed_bytes(
    tbs: &[u8],
    inner_alg_der: &[u8],
    outer_alg_der: &[u8],
    signature_bits: &der::asn1::BitString,
    issuer: &PublicKey,
    policy: &SignaturePolicy,
) -> core::result::Result<SignatureOk, SignatureFailure> {
    let alg = SignatureAlgorithm::from_der(outer_alg_der)
        .map_err(|_| SignatureFailure::MalformedAlgorithm)?;
    match alg {
        SignatureAlgorithm::Sm3WithSm2(_) => {}
        SignatureAlgorithm::Sm3WithSm2BadParameters(_) => {
            return Err(SignatureFailure::BadAlgorithmParameters);
        }
        SignatureAlgorithm::Other(oid) => return Err(SignatureFailure::UnsupportedAlgorithm(oid)),
    }
    if inner_alg_der != outer_alg_der {
        return Err(SignatureFailure::AlgorithmMismatch);
    }
    let sig = signature_bits
        .as_bytes()
        .ok_or(SignatureFailure::BitStringUnusedBits)?;
    verify_signature_value(tbs, sig, issuer, policy)
}

/// Verify an encoded SM2 signature value over `message` with Z over the default ID (or, when
/// the policy allows, the empty ID), diagnosing empty-ID and no-Z signatures.
///
/// # Errors
/// The [`SignatureFailure`] naming why the signature is not accepted.
pub fn verify_signature_value(
    message: &[u8],
    signature: &[u8],
    issuer: &PublicKey,
    policy: &SignaturePolicy,
) -> core::result::Result<SignatureOk, SignatureFailure> {
    let decoded = match encoding::decode(signature, SignatureFormat::Der, policy.encoding) {
        Ok(d) => d,
        Err(e) => {
            if policy.encoding == Strictness::Strict && encoding::decode_raw(signature).is_ok() {
                return Err(SignatureFailure::RawSignature);
            }
            return Err(SignatureFailure::Malformed(e));
        }
    };
    let mut tolerated: Vec<Tolerated> = decoded
        .deviations
        .iter()
        .map(|d| Tolerated::SignatureEncoding(*d))
        .collect();
    let vk = Sm2VerifyingKey::new(*issuer, DistId::DEFAULT);
    if vk.verify(message, &decoded.signature).is_ok() {
        return Ok(SignatureOk {
            id: IdUsed::Default,
            tolerated,
        });
    }
    // Diagnose: which other way of forming e does the signature match?
    let empty = Sm2VerifyingKey::new(*issuer, DistId::EMPTY);
    if empty.verify(message, &decoded.signature).is_ok() {
        if policy.allow_empty_id {
            tolerated.insert(0, Tolerated::EmptyIdSignature);
            return Ok(SignatureOk {
                id: IdUsed::Empty,
                tolerated,
            });
        }
        return Err(SignatureFailure::EmptyId);
    }
    let e = gmseal_sm2::digest::sm3(message);
    if vk.verify_digest(&e, &decoded.signature).is_ok() {
        return Err(SignatureFailure::NoZ);
    }
    Err(SignatureFailure::BadSignature)
}

/// Sign `tbs` for a certificate or CRL: `SM3(Z(default ID, signer key) ‖ tbs)`, DER-encoded.
///
/// # Errors
/// [`Error::Sm2`] when the signer fails.
pub fn sign_tbs(signer: &dyn gmseal_sm2::Sm2Signer, tbs: &[u8]) -> Result<Vec<u8>> {
    use gmseal_sm2::Sm2SignerExt;
    let sig = signer.sign_message(&DistId::DEFAULT, tbs)?;
    Ok(encoding::encode(&sig, SignatureFormat::Der))
}
