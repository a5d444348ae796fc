//! Digest and signature algorithms: SM3/SM2 for what this crate makes, plus SHA-2 with RSA
//! PKCS#1 v1.5 and ECDSA (P-256, P-384) for what it must read (timestamp tokens from non-SM2
//! TSAs, GB/T 20520 §5 allows them; a real SM2-signed PDF carries an RSA/SHA-256 token).

use der::asn1::ObjectIdentifier;
use der::referenced::OwnedToRef;
use gmseal_sm2::encoding::{SignatureFormat, Strictness, decode};
use gmseal_sm2::{Deviation, DistId, SignatureFormatError, Sm2VerifyingKey};
use sha2::Digest as _;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::oid;

/// A digest algorithm of a `SignerInfo` or a message imprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SM3 (GB/T 32905): the only digest used with SM2.
    Sm3,
    /// SHA-1: read only (old timestamp tokens).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm of an OID.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            o if o == oid::SM3 => Some(Self::Sm3),
            o if o == oid::SHA1 => Some(Self::Sha1),
            o if o == oid::SHA256 => Some(Self::Sha256),
            o if o == oid::SHA384 => Some(Self::Sha384),
            o if o == oid::SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sm3 => oid::SM3,
            Self::Sha1 => oid::SHA1,
            Self::Sha256 => oid::SHA256,
            Self::Sha384 => oid::SHA384,
            Self::Sha512 => oid::SHA512,
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sm3 | Self::Sha256 => 32,
            Self::Sha1 => 20,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// A streaming hasher.
    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            Self::Sm3 => HasherInner::Sm3(sm3::Sm3::new()),
            Self::Sha1 => HasherInner::Sha1(sha1::Sha1::new()),
            Self::Sha256 => HasherInner::Sha256(sha2::Sha256::new()),
            Self::Sha384 => HasherInner::Sha384(sha2::Sha384::new()),
            Self::Sha512 => HasherInner::Sha512(sha2::Sha512::new()),
        })
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finalize()
    }
}

impl core::fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Sm3 => "SM3",
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

/// A streaming hasher of any [`DigestAlgorithm`].
#[derive(Clone, Debug)]
pub struct Hasher(HasherInner);

#[derive(Clone, Debug)]
enum HasherInner {
    Sm3(sm3::Sm3),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// Absorb bytes.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            HasherInner::Sm3(h) => h.update(data),
            HasherInner::Sha1(h) => h.update(data),
            HasherInner::Sha256(h) => h.update(data),
            HasherInner::Sha384(h) => h.update(data),
            HasherInner::Sha512(h) => h.update(data),
        }
    }

    /// Finish.
    pub fn finalize(self) -> Vec<u8> {
        match self.0 {
            HasherInner::Sm3(h) => h.finalize().to_vec(),
            HasherInner::Sha1(h) => h.finalize().to_vec(),
            HasherInner::Sha256(h) => h.finalize().to_vec(),
            HasherInner::Sha384(h) => h.finalize().to_vec(),
            HasherInner::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

impl std::io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The SM2 signature-algorithm OID a signer writes into `SignerInfo.signatureAlgorithm`.
///
/// All three are seen in real files and all three are accepted when verifying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Sm2SignatureOid {
    /// `1.2.156.10197.1.501` sm2sign-with-sm3: iText-based PDF signers, GmSSL 3. The default.
    #[default]
    Sm2WithSm3,
    /// `1.2.156.10197.1.301.1` SM2-1: what GB/T 35275-2017 names (emmansun/gmsm, GOMAIN OFD).
    Sm2Sign,
    /// `1.2.156.10197.1.301`, the curve OID: the MCSCA/iText PDF signer.
    Sm2Curve,
}

impl Sm2SignatureOid {
    /// The OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sm2WithSm3 => oid::SM2_WITH_SM3,
            Self::Sm2Sign => oid::SM2_SIGN,
            Self::Sm2Curve => oid::SM2,
        }
    }
}

/// How the parameters of an `AlgorithmIdentifier` are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum AlgorithmParams {
    /// Parameters absent (RustCrypto, OpenSSL, GmSSL). The default.
    #[default]
    Absent,
    /// Parameters `NULL` (the Chinese-CA / iText style seen in the MCSCA PDF).
    Null,
}

impl AlgorithmParams {
    pub(crate) fn identifier(self, oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid,
            parameters: match self {
                AlgorithmParams::Absent => None,
                AlgorithmParams::Null => Some(der::asn1::Null.into()),
            },
        }
    }
}

/// How an SM2 signature was computed, when it was not computed the standard way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NoZVariant {
    /// `e = SM3(signed input)` with no Z (GmSSL 2, BouncyCastle before 2017, some Java signers).
    PlainSm3,
    /// `e = SM3(DER of encapContentInfo)` with no Z and no signed attributes: GmSSL 3's
    /// `cms_signed_data_sign_to_der` (its own source comment calls this a problem).
    GmSsl3EncapContentInfo,
}

impl core::fmt::Display for NoZVariant {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            NoZVariant::PlainSm3 => "e = SM3(signed bytes) without Z",
            NoZVariant::GmSsl3EncapContentInfo => {
                "e = SM3(encapContentInfo DER) without Z (GmSSL 3 CMS)"
            }
        })
    }
}

/// Parameters of SM2 verification.
#[derive(Clone, Debug)]
pub(crate) struct Sm2Policy<'p> {
    pub(crate) dist_id: &'p DistId,
    pub(crate) strictness: Strictness,
    pub(crate) allow_no_z: bool,
    /// Extra inputs a no-Z signer may have hashed (the GmSSL 3 encapContentInfo).
    pub(crate) gmssl3_input: Option<&'p [u8]>,
}

/// What a signature check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SigOutcome {
    /// Verified; with the SM2 encoding deviations tolerated and the no-Z variant accepted.
    Valid {
        deviations: Vec<Deviation>,
        no_z: Option<NoZVariant>,
    },
    /// The signature is well-formed but does not verify.
    Invalid,
    /// It verifies only without Z, and that was not allowed.
    NoZ(NoZVariant),
    /// It verifies only with the empty ID (OpenSSL 3.0's default), not the one asked for.
    EmptyId,
    /// The signature value does not decode.
    Malformed(SignatureFormatError),
    /// Algorithm and key or digest do not fit together; says what.
    Mismatch(&'static str),
    /// An algorithm this crate does not verify.
    Unsupported(ObjectIdentifier),
    /// The public key does not decode.
    BadKey,
}

/// Verify `signature` over `signed` with the key of `spki`.
pub(crate) fn verify_signature(
    signature_algorithm: &AlgorithmIdentifierOwned,
    digest: DigestAlgorithm,
    spki: &SubjectPublicKeyInfoOwned,
    signed: &[u8],
    signature: &[u8],
    sm2: &Sm2Policy<'_>,
) -> SigOutcome {
    let sig_oid = signature_algorithm.oid;
    if gmseal_sm2::oid::is_sm2_signature_algorithm(&sig_oid) {
        if digest != DigestAlgorithm::Sm3 {
            return SigOutcome::Mismatch("SM2 signature with a digest other than SM3");
        }
        return verify_sm2(spki, signed, signature, sm2);
    }
    let key_oid = spki.algorithm.oid;
    let rsa_digest = match sig_oid {
        o if o == oid::RSA_ENCRYPTION => Some(None),
        o if o == oid::SHA1_WITH_RSA => Some(Some(DigestAlgorithm::Sha1)),
        o if o == oid::SHA256_WITH_RSA => Some(Some(DigestAlgorithm::Sha256)),
        o if o == oid::SHA384_WITH_RSA => Some(Some(DigestAlgorithm::Sha384)),
        o if o == oid::SHA512_WITH_RSA => Some(Some(DigestAlgorithm::Sha512)),
        _ => None,
    };
    if let Some(implied) = rsa_digest {
        if implied.is_some_and(|d| d != digest) {
            return SigOutcome::Mismatch("RSA signature algorithm names another digest");
        }
        if key_oid != oid::RSA_ENCRYPTION {
            return SigOutcome::Mismatch("RSA signature with a non-RSA key");
        }
        return verify_rsa(spki, digest, signed, signature);
    }
    let ecdsa_digest = match sig_oid {
        o if o == oid::EC_PUBLIC_KEY => Some(None),
        o if o == oid::ECDSA_WITH_SHA1 => Some(Some(DigestAlgorithm::Sha1)),
        o if o == oid::ECDSA_WITH_SHA256 => Some(Some(DigestAlgorithm::Sha256)),
        o if o == oid::ECDSA_WITH_SHA384 => Some(Some(DigestAlgorithm::Sha384)),
        o if o == oid::ECDSA_WITH_SHA512 => Some(Some(DigestAlgorithm::Sha512)),
        _ => None,
    };
    if let Some(implied) = ecdsa_digest {
        if implied.is_some_and(|d| d != digest) {
            return SigOutcome::Mismatch("ECDSA signature algorithm names another digest");
        }
        if key_oid != oid::EC_PUBLIC_KEY {
            return SigOutcome::Mismatch("ECDSA signature with a non-EC key");
        }
        return verify_ecdsa(spki, digest, signed, signature);
    }
    SigOutcome::Unsupported(sig_oid)
}

fn verify_sm2(
    spki: &SubjectPublicKeyInfoOwned,
    signed: &[u8],
    signature: &[u8],
    policy: &Sm2Policy<'_>,
) -> SigOutcome {
    let Ok(key) = gmseal_sm2::key::public_key_from_spki(&spki.owned_to_ref()) else {
        return SigOutcome::BadKey;
    };
    let decoded = match decode(signature, SignatureFormat::Der, policy.strictness) {
        Ok(d) => d,
        Err(e) => return SigOutcome::Malformed(e),
    };
    let vk = Sm2VerifyingKey::new(key.key, policy.dist_id.clone());
    if vk
        .verify_digest(&vk.digest(signed), &decoded.signature)
        .is_ok()
    {
        return SigOutcome::Valid {
            deviations: decoded.deviations,
            no_z: None,
        };
    }
    // Diagnose the known wrong ways of computing e, so the report says why.
    let mut candidates = vec![(NoZVariant::PlainSm3, signed)];
    if let Some(eci) = policy.gmssl3_input {
        candidates.push((NoZVariant::GmSsl3EncapContentInfo, eci));
    }
    for (variant, input) in candidates {
        let e = gmseal_sm2::digest::sm3(input);
        if vk.verify_digest(&e, &decoded.signature).is_ok() {
            return if policy.allow_no_z {
                SigOutcome::Valid {
                    deviations: decoded.deviations,
                    no_z: Some(variant),
                }
            } else {
                SigOutcome::NoZ(variant)
            };
        }
    }
    if !policy.dist_id.is_empty() {
        let empty = Sm2VerifyingKey::new(key.key, DistId::EMPTY);
        if empty
            .verify_digest(&empty.digest(signed), &decoded.signature)
            .is_ok()
        {
            return SigOutcome::EmptyId;
        }
    }
    SigOutcome::Invalid
}

fn verify_rsa(
    spki: &SubjectPublicKeyInfoOwned,
    digest: DigestAlgorithm,
    signed: &[u8],
    signature: &[u8],
) -> SigOutcome {
    let Ok(key) = rsa::PublicKey::try_from(spki.owned_to_ref()) else {
        return SigOutcome::BadKey;
    };
    let scheme = match digest {
        DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        DigestAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        DigestAlgorithm::Sm3 => return SigOutcome::Mismatch("RSA with SM3 is not supported"),
    };
    let hashed = digest.digest(signed);
    match key.verify(scheme, &hashed, signature) {
        Ok(()) => SigOutcome::Valid {
            deviations: Vec::new(),
            no_z: None,
        },
        Err(_) => SigOutcome::Invalid,
    }
}

fn verify_ecdsa(
    spki: &SubjectPublicKeyInfoOwned,
    digest: DigestAlgorithm,
    signed: &[u8],
    signature: &[u8],
) -> SigOutcome {
    use signature::hazmat::PrehashVerifier;
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    let Some(point) = spki.subject_public_key.as_bytes() else {
        return SigOutcome::BadKey;
    };
    let hashed = digest.digest(signed);
    let ok = match curve {
        Some(c) if c == oid::SECP256R1 => {
            let Ok(vk) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return SigOutcome::BadKey;
            };
            let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
                return SigOutcome::Mismatch("ECDSA signature is not DER");
            };
            vk.verify_prehash(&hashed, &sig).is_ok()
        }
        Some(c) if c == oid::SECP384R1 => {
            let Ok(vk) = p384::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return SigOutcome::BadKey;
            };
            let Ok(sig) = p384::ecdsa::Signature::from_der(signature) else {
                return SigOutcome::Mismatch("ECDSA signature is not DER");
            };
            vk.verify_prehash(&hashed, &sig).is_ok()
        }
        Some(c) => return SigOutcome::Unsupported(c),
        None => return SigOutcome::BadKey,
    };
    if ok {
        SigOutcome::Valid {
            deviations: Vec::new(),
            no_z: None,
        }
    } else {
        SigOutcome::Invalid
    }
}
