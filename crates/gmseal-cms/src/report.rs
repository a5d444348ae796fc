//! Verification reports: one per `SignedData`, one per signer, one entry per check.
//!
//! A report never hides a check: each one is listed with what was checked, its outcome and, on
//! failure, the values involved. Deviations from the standards that lenient mode tolerated are
//! listed apart, so a caller can refuse them later.

use core::fmt;
use std::time::SystemTime;

use der::asn1::ObjectIdentifier;
use gmseal_sm2::{Deviation, SignatureFormatError};
use x509_cert::Certificate;

use crate::algorithm::NoZVariant;
use crate::chain::ChainError;
use crate::parse::OidFamily;

/// The overall result, closed on purpose: callers match on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Every check passed, the certificate path included.
    Valid,
    /// The content, the signed attributes and the signature are intact, but a step that
    /// establishes trust was not performed (no trust anchors configured, no signer
    /// certificate in the message).
    Indeterminate,
    /// Intact, but the signer is not trusted: certificate expired or not yet valid at the
    /// validation time, wrong key usage, path validation failed, timestamp invalid.
    Untrusted,
    /// The content, the signed attributes or the signature do not verify.
    Tampered,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Valid => "valid",
            Verdict::Indeterminate => "indeterminate",
            Verdict::Untrusted => "untrusted",
            Verdict::Tampered => "tampered",
        })
    }
}

/// What a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// The `contentType` signed attribute equals `eContentType` (RFC 5652 §11.1).
    ContentType,
    /// The `messageDigest` signed attribute (or, without signed attributes, the signature
    /// itself) covers the content (RFC 5652 §5.4).
    MessageDigest,
    /// The signature over the signed attributes (or the content) verifies.
    Signature,
    /// The signer certificate is in the message (found by issuer and serial or by SKI).
    SignerCertificate,
    /// The signer certificate is valid at the validation time.
    CertificateValidity,
    /// The signer certificate's key usage permits signing.
    KeyUsage,
    /// The `signingTime` attribute lies within the certificate's validity.
    SigningTime,
    /// Path validation to a trust anchor, with revocation (a [`ChainVerifier`](crate::ChainVerifier)).
    CertificateChain,
    /// A timestamp token (unsigned attribute) over the signature value verifies.
    Timestamp,
    /// TSA rules of RFC 3161 §2.3 (extended key usage `timeStamping`).
    TsaCertificate,
    /// The TSTInfo imprint matches the timestamped data (RFC 3161 §2.4.2).
    MessageImprint,
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CheckKind::ContentType => "content type",
            CheckKind::MessageDigest => "message digest",
            CheckKind::Signature => "signature",
            CheckKind::SignerCertificate => "signer certificate",
            CheckKind::CertificateValidity => "certificate validity",
            CheckKind::KeyUsage => "key usage",
            CheckKind::SigningTime => "signing time",
            CheckKind::CertificateChain => "certificate chain",
            CheckKind::Timestamp => "timestamp",
            CheckKind::TsaCertificate => "TSA certificate",
            CheckKind::MessageImprint => "message imprint",
        })
    }
}

/// Why a check failed; carries the values involved.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Signed attributes without a `contentType` attribute.
    ContentTypeMissing,
    /// `contentType` differs from `eContentType`.
    ContentTypeMismatch {
        /// The attribute's value.
        attribute: ObjectIdentifier,
        /// `eContentType`.
        econtent_type: ObjectIdentifier,
    },
    /// Signed attributes without a `messageDigest` attribute.
    MessageDigestMissing,
    /// `messageDigest` does not equal the digest of the content.
    MessageDigestMismatch {
        /// The digest computed over the content.
        computed: Vec<u8>,
        /// The attribute's value.
        attribute: Vec<u8>,
    },
    /// Detached content and none was given to the verifier.
    NoContent,
    /// A signed attribute that does not decode (names it).
    BadAttribute(ObjectIdentifier),
    /// The signature does not verify.
    SignatureInvalid,
    /// The signature verifies only without Z (GmSSL-style), refused unless
    /// [`VerifyOptions::allow_no_z`](crate::VerifyOptions::allow_no_z).
    SignedWithoutZ(NoZVariant),
    /// The signature verifies only with the empty SM2 ID (OpenSSL 3.0's default), not with the
    /// ID asked for (GM/T 0009 §10's default `1234567812345678` unless configured).
    SignedWithEmptyId,
    /// The signature value does not decode (strict DER, or lenient DER/raw).
    SignatureMalformed(SignatureFormatError),
    /// The signed attributes are not DER (unsorted SET, non-minimal lengths); refused in strict
    /// mode because the signature then covers bytes a DER re-encoding would change.
    SignedAttributesNotDer,
    /// Algorithms that do not fit together (digest vs signature, signature vs key).
    AlgorithmMismatch(&'static str),
    /// A signature or digest algorithm this crate does not verify.
    UnsupportedAlgorithm(ObjectIdentifier),
    /// The signer certificate's public key does not decode.
    BadPublicKey,
    /// No certificate in the message matches the signer identifier.
    SignerCertificateNotFound,
    /// The certificate is not yet valid at the validation time.
    CertificateNotYetValid {
        /// Validation time.
        at: SystemTime,
        /// `notBefore`.
        not_before: SystemTime,
    },
    /// The certificate has expired at the validation time.
    CertificateExpired {
        /// Validation time.
        at: SystemTime,
        /// `notAfter`.
        not_after: SystemTime,
    },
    /// The key usage lacks digitalSignature and nonRepudiation.
    KeyUsageForbidsSigning,
    /// An extension of the certificate does not decode (names it).
    BadExtension(ObjectIdentifier),
    /// `signingTime` lies outside the certificate's validity.
    SigningTimeOutsideValidity {
        /// The attribute's value.
        signing_time: SystemTime,
    },
    /// `signingTime` is later than the timestamp's `genTime`.
    SigningTimeAfterTimestamp {
        /// The attribute's value.
        signing_time: SystemTime,
        /// The timestamp's time.
        gen_time: SystemTime,
    },
    /// Path validation failed.
    Chain(ChainError),
    /// The TSA certificate lacks extended key usage `id-kp-timeStamping`.
    NotATsaCertificate,
    /// The timestamp token does not verify; its own report says why.
    TimestampInvalid(Verdict),
    /// A timestamp token that does not decode.
    TimestampMalformed(String),
    /// The imprint of the TSTInfo does not match the timestamped data.
    ImprintMismatch {
        /// The digest of the data.
        computed: Vec<u8>,
        /// `messageImprint.hashedMessage`.
        token: Vec<u8>,
    },
    /// The TSTInfo nonce differs from the request's.
    NonceMismatch,
    /// A timestamp token without the ESS `signingCertificate(V2)` signed attribute
    /// (RFC 3161 §2.4.1, RFC 5816).
    EssSigningCertificateMissing,
    /// The ESS `signingCertificate(V2)` hash does not match the TSA certificate.
    EssSigningCertificateMismatch,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Failure::*;
        match self {
            ContentTypeMissing => f.write_str("signed attributes lack contentType"),
            ContentTypeMismatch {
                attribute,
                econtent_type,
            } => write!(
                f,
                "contentType attribute {attribute} differs from eContentType {econtent_type}"
            ),
            MessageDigestMissing => f.write_str("signed attributes lack messageDigest"),
            MessageDigestMismatch {
                computed,
                attribute,
            } => write!(
                f,
                "messageDigest {} does not match the content's digest {}",
                hex(attribute),
                hex(computed)
            ),
            NoContent => f.write_str("content is detached and was not given"),
            BadAttribute(oid) => write!(f, "signed attribute {oid} does not decode"),
            SignatureInvalid => f.write_str("signature does not verify"),
            SignedWithoutZ(v) => write!(
                f,
                "signature computed without Z ({v}); refused (GM/T 0009 §10 requires Z)"
            ),
            SignedWithEmptyId => f.write_str(
                "signature verifies only with the empty SM2 ID (OpenSSL 3.0 default), not the configured ID",
            ),
            SignatureMalformed(e) => write!(f, "signature value: {e}"),
            SignedAttributesNotDer => f.write_str("signed attributes are not DER"),
            AlgorithmMismatch(why) => f.write_str(why),
            UnsupportedAlgorithm(oid) => write!(f, "unsupported algorithm {oid}"),
            BadPublicKey => f.write_str("signer public key does not decode"),
            SignerCertificateNotFound => {
                f.write_str("no certificate in the message matches the signer identifier")
            }
            CertificateNotYetValid { at, not_before } => write!(
                f,
                "certificate not valid before {} (validation time {})",
                time(*not_before),
                time(*at)
            ),
            CertificateExpired { at, not_after } => write!(
                f,
                "certificate expired at {} (validation time {})",
                time(*not_after),
                time(*at)
            ),
            KeyUsageForbidsSigning => {
                f.write_str("key usage has neither digitalSignature nor nonRepudiation")
            }
            BadExtension(oid) => write!(f, "certificate extension {oid} does not decode"),
            SigningTimeOutsideValidity { signing_time } => write!(
                f,
                "signingTime {} is outside the certificate's validity",
                time(*signing_time)
            ),
            SigningTimeAfterTimestamp {
                signing_time,
                gen_time,
            } => write!(
                f,
                "signingTime {} is after the timestamp {}",
                time(*signing_time),
                time(*gen_time)
            ),
            Chain(e) => write!(f, "{e}"),
            NotATsaCertificate => {
                f.write_str("TSA certificate lacks extended key usage timeStamping")
            }
            TimestampInvalid(v) => write!(f, "timestamp token is {v}"),
            TimestampMalformed(e) => write!(f, "timestamp token: {e}"),
            ImprintMismatch { computed, token } => write!(
                f,
                "timestamp imprint {} does not match {}",
                hex(token),
                hex(computed)
            ),
            NonceMismatch => f.write_str("timestamp nonce differs from the request's"),
            EssSigningCertificateMissing => {
                f.write_str("timestamp token lacks the ESS signingCertificate attribute")
            }
            EssSigningCertificateMismatch => f.write_str(
                "ESS signingCertificate does not designate the certificate that signed the token",
            ),
        }
    }
}

/// Why a check was not performed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotPerformed {
    /// No [`ChainVerifier`](crate::ChainVerifier) was configured.
    NoTrustAnchors,
    /// The signer certificate is not in the message.
    NoSignerCertificate,
    /// No `signingTime` attribute.
    NoSigningTime,
    /// No signed attributes (the content type is then not asserted).
    NoSignedAttributes,
    /// A previous check failed, so this one could not run.
    PreviousCheckFailed,
    /// The certificate has no keyUsage extension (every use allowed, RFC 5280 §4.2.1.3).
    NoKeyUsage,
}

impl fmt::Display for NotPerformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotPerformed::NoTrustAnchors => "not performed: no trust anchors configured",
            NotPerformed::NoSignerCertificate => "not performed: no signer certificate",
            NotPerformed::NoSigningTime => "not performed: no signingTime attribute",
            NotPerformed::NoSignedAttributes => "not performed: no signed attributes",
            NotPerformed::PreviousCheckFailed => "not performed: a previous check failed",
            NotPerformed::NoKeyUsage => "not performed: no keyUsage extension",
        })
    }
}

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Passed.
    Passed,
    /// Failed, and why.
    Failed(Failure),
    /// Not performed, and why.
    NotPerformed(NotPerformed),
}

/// One check: what, and its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub kind: CheckKind,
    /// The outcome.
    pub outcome: Outcome,
}

impl Check {
    pub(crate) fn new(kind: CheckKind, outcome: Outcome) -> Self {
        Check { kind, outcome }
    }

    /// Did it pass?
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }

    /// The failure, if it failed.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.outcome {
            Outcome::Failed(f) => Some(f),
            _ => None,
        }
    }

    /// What this check alone implies for the signer's [`Verdict`]: `Valid` when it passed or
    /// there was nothing to check (no signingTime, no keyUsage extension), `Indeterminate`
    /// when it could not be decided (no trust anchors, an indeterminate chain or timestamp),
    /// `Untrusted` or `Tampered` when it failed. [`SignerReport::verdict`] is the worst of
    /// these.
    pub fn verdict(&self) -> Verdict {
        verdict_of(core::slice::from_ref(self))
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Passed => write!(f, "{}: passed", self.kind),
            Outcome::Failed(why) => write!(f, "{}: FAILED: {why}", self.kind),
            Outcome::NotPerformed(why) => write!(f, "{}: {why}", self.kind),
        }
    }
}

/// A deviation from the standards that was tolerated (lenient mode or an explicit flag).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tolerated {
    /// An SM2 signature encoding deviation (raw `r‖s`, non-minimal INTEGER, ...).
    SignatureEncoding(Deviation),
    /// A signature computed without Z, accepted because
    /// [`VerifyOptions::allow_no_z`](crate::VerifyOptions::allow_no_z) was set.
    SignedWithoutZ(NoZVariant),
    /// Signed attributes that are not DER; the signature was checked over the bytes received.
    SignedAttributesNotDer,
    /// Zero bytes after the DER (PDF `/Contents` padding); carries their count.
    ZeroPadding(usize),
    /// The TSA certificate's extended key usage is not critical (RFC 3161 §2.3 requires it).
    TsaEkuNotCritical,
    /// A timestamp token without the ESS `signingCertificate(V2)` attribute.
    EssSigningCertificateMissing,
    /// The signer identifier's issuer name is encoded differently from the certificate's
    /// (e.g. PrintableString vs UTF8String) but reads the same.
    IssuerNameEncodingDiffers,
    /// A deviation the chain verifier's options tolerated in the certificate path or a CRL
    /// (e.g. an empty-ID certificate signature); the path index is in it.
    CertificateChain(gmseal_cert::chain::ToleratedDeviation),
}

impl fmt::Display for Tolerated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerated::SignatureEncoding(d) => write!(f, "signature encoding: {d}"),
            Tolerated::SignedWithoutZ(v) => write!(f, "signature without Z accepted: {v}"),
            Tolerated::SignedAttributesNotDer => f.write_str("signed attributes are not DER"),
            Tolerated::ZeroPadding(n) => write!(f, "{n} zero byte(s) of padding after the DER"),
            Tolerated::TsaEkuNotCritical => {
                f.write_str("TSA extended key usage is not marked critical")
            }
            Tolerated::EssSigningCertificateMissing => {
                f.write_str("timestamp token lacks the ESS signingCertificate attribute")
            }
            Tolerated::IssuerNameEncodingDiffers => f.write_str(
                "signer identifier issuer name is encoded differently from the certificate's",
            ),
            Tolerated::CertificateChain(d) => write!(
                f,
                "certificate chain [{}] ({}): {}",
                d.cert,
                match d.about {
                    gmseal_cert::chain::DeviationSubject::Certificate => "certificate signature",
                    gmseal_cert::chain::DeviationSubject::Crl => "CRL signature",
                },
                d.what
            ),
        }
    }
}

/// Where the validation time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeSource {
    /// The `genTime` of a verified timestamp token.
    Timestamp,
    /// The caller's [`VerifyOptions::time`](crate::VerifyOptions::time).
    Caller,
    /// The current time.
    Now,
}

/// How the signer was identified (RFC 5652 §5.3 `SignerIdentifier`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// `issuerAndSerialNumber`.
    IssuerAndSerialNumber {
        /// The issuer DN (RFC 4514 string).
        issuer: String,
        /// The serial number, hex.
        serial: String,
    },
    /// `subjectKeyIdentifier`, hex.
    SubjectKeyIdentifier(String),
}

impl fmt::Display for SignerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignerId::IssuerAndSerialNumber { issuer, serial } => {
                write!(f, "issuer \"{issuer}\" serial {serial}")
            }
            SignerId::SubjectKeyIdentifier(ski) => write!(f, "subjectKeyIdentifier {ski}"),
        }
    }
}

/// The report of one `SignerInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignerReport {
    /// Position in `signerInfos`, as received.
    pub index: usize,
    /// The signer identifier.
    pub signer_id: SignerId,
    /// The signer certificate, when found in the message.
    pub certificate: Option<Certificate>,
    /// `digestAlgorithm`.
    pub digest_algorithm: ObjectIdentifier,
    /// `signatureAlgorithm`.
    pub signature_algorithm: ObjectIdentifier,
    /// Were there signed attributes?
    pub has_signed_attributes: bool,
    /// The `signingTime` attribute (claimed by the signer, not proven).
    pub signing_time: Option<SystemTime>,
    /// The `messageDigest` attribute.
    pub message_digest: Option<Vec<u8>>,
    /// The time the certificate was checked at, and where it came from.
    pub validation_time: (SystemTime, TimeSource),
    /// Reports of the timestamp tokens in the unsigned attributes.
    pub timestamps: Vec<crate::tsp::TimestampReport>,
    /// The chain verifier's report (path, every check, verdict, deviations tolerated), when
    /// the verifier gives one ([`CertChainVerifier`](crate::CertChainVerifier) does).
    pub chain: Option<gmseal_cert::ChainReport>,
    /// Every check, in the order performed.
    pub checks: Vec<Check>,
    /// Deviations tolerated.
    pub tolerated: Vec<Tolerated>,
}

impl SignerReport {
    /// The verdict of this signer (see [`Verdict`]).
    pub fn verdict(&self) -> Verdict {
        verdict_of(&self.checks)
    }

    /// Are the content, the signed attributes and the signature intact (whatever the trust)?
    pub fn integrity_ok(&self) -> bool {
        [
            CheckKind::MessageDigest,
            CheckKind::Signature,
            CheckKind::ContentType,
        ]
        .iter()
        .all(|k| {
            self.checks
                .iter()
                .filter(|c| c.kind == *k)
                .all(|c| !matches!(c.outcome, Outcome::Failed(_)))
        }) && self
            .checks
            .iter()
            .any(|c| c.kind == CheckKind::Signature && c.passed())
    }

    /// The check of a kind, if performed.
    pub fn check(&self, kind: CheckKind) -> Option<&Check> {
        self.checks.iter().find(|c| c.kind == kind)
    }

    /// The failures, in order.
    pub fn failures(&self) -> impl Iterator<Item = (CheckKind, &Failure)> {
        self.checks
            .iter()
            .filter_map(|c| c.failure().map(|f| (c.kind, f)))
    }
}

pub(crate) fn verdict_of(checks: &[Check]) -> Verdict {
    let mut verdict = Verdict::Valid;
    for c in checks {
        let v = match (&c.outcome, c.kind) {
            (Outcome::Passed, _) => Verdict::Valid,
            // Could not be checked (no content, no certificate, unknown algorithm): not a
            // sign of tampering.
            (
                Outcome::Failed(
                    Failure::NoContent
                    | Failure::SignerCertificateNotFound
                    | Failure::UnsupportedAlgorithm(_)
                    | Failure::TimestampInvalid(Verdict::Indeterminate),
                ),
                _,
            ) => Verdict::Indeterminate,
            // The chain could not be decided (missing issuer, revocation status unknown).
            (Outcome::Failed(Failure::Chain(e)), _) if e.is_indeterminate() => {
                Verdict::Indeterminate
            }
            (
                Outcome::Failed(_),
                CheckKind::ContentType
                | CheckKind::MessageDigest
                | CheckKind::Signature
                | CheckKind::MessageImprint,
            ) => Verdict::Tampered,
            (Outcome::Failed(_), _) => Verdict::Untrusted,
            (
                Outcome::NotPerformed(
                    NotPerformed::NoTrustAnchors
                    | NotPerformed::NoSignerCertificate
                    | NotPerformed::PreviousCheckFailed,
                ),
                _,
            ) => Verdict::Indeterminate,
            (Outcome::NotPerformed(_), _) => Verdict::Valid,
        };
        verdict = verdict.max(v);
    }
    verdict
}

impl fmt::Display for SignerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "signer #{} ({}): {}",
            self.index,
            self.signer_id,
            self.verdict()
        )?;
        for c in &self.checks {
            writeln!(f, "  {c}")?;
        }
        if let Some(chain) = &self.chain {
            writeln!(
                f,
                "  certificate path (at {}): {}",
                chain.time, chain.verdict
            )?;
            write!(f, "{}", chain.display_path("    "))?;
        }
        for t in &self.tolerated {
            writeln!(f, "  tolerated: {t}")?;
        }
        Ok(())
    }
}

/// The report of a whole `SignedData`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedDataReport {
    /// The OID family of the content types.
    pub family: OidFamily,
    /// `eContentType`.
    pub econtent_type: ObjectIdentifier,
    /// Was the content attached?
    pub attached: bool,
    /// One report per `SignerInfo`, in the order received.
    pub signers: Vec<SignerReport>,
    /// Deviations of the message as a whole (padding).
    pub tolerated: Vec<Tolerated>,
}

impl SignedDataReport {
    /// The worst verdict of the signers.
    pub fn verdict(&self) -> Verdict {
        self.signers
            .iter()
            .map(SignerReport::verdict)
            .max()
            .unwrap_or(Verdict::Indeterminate)
    }

    /// Is every signer's integrity intact?
    pub fn integrity_ok(&self) -> bool {
        !self.signers.is_empty() && self.signers.iter().all(SignerReport::integrity_ok)
    }
}

impl fmt::Display for SignedDataReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "SignedData ({:?} OIDs, {}): {}",
            self.family,
            if self.attached {
                "attached"
            } else {
                "detached"
            },
            self.verdict()
        )?;
        for t in &self.tolerated {
            writeln!(f, "tolerated: {t}")?;
        }
        for s in &self.signers {
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn time(t: SystemTime) -> String {
    der::DateTime::from_system_time(t)
        .map(|d| d.to_string())
        .unwrap_or_else(|_| format!("{t:?}"))
}
