//! Verification of seal signatures and seals, step by step as GB/T 38540-2020 §7 lists them.
//!
//! ```
//! # let der = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/ses/ofdrw-v4-SignedValue.dat")).unwrap();
//! # let signature_xml = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/ses/ofdrw-v4-Signature.xml")).unwrap();
//! use gmseal_ses::SealSignature;
//! use gmseal_ses::verify::{verify, NotPerformed, Outcome, SignedContent, Step, Verdict, VerifyOptions};
//!
//! let sig = SealSignature::from_der(&der)?;
//! let report = verify(&sig, SignedContent::Bytes(&signature_xml), &VerifyOptions::default());
//! assert_eq!(report.outcome(Step::SignerSignature), Some(&Outcome::Passed));
//! assert_eq!(report.outcome(Step::MakerSignature), Some(&Outcome::Passed));
//! assert_eq!(report.outcome(Step::DataHash), Some(&Outcome::Passed));
//! // no trust anchors were configured, so the chain steps were not performed
//! assert_eq!(
//!     report.outcome(Step::SignerChain),
//!     Some(&Outcome::NotPerformed(NotPerformed::NoTrustAnchors))
//! );
//! assert_eq!(report.verdict, Verdict::Indeterminate);
//! # Ok::<(), gmseal_ses::Error>(())
//! ```

mod cert;
mod report;
mod trust;

use std::io::Read;

use der::DateTime;
use der::asn1::ObjectIdentifier;
use gmseal_cert::VerifyCache;
use gmseal_sm2::encoding::SignatureFormat;
use gmseal_sm2::oid::{SM2_WITH_SM3, SM3, is_sm2_signature_algorithm};
use gmseal_sm2::{DistId, PublicKey, Sm2VerifyingKey, Strictness};

/// gmseal-cms's chain verifier over a gmseal-cert trust store, which implements
/// [`ChainVerifier`] (re-exported).
pub use gmseal_cms::CertChainVerifier;
pub use report::{CertSummary, Check, Finding, NotPerformed, Outcome, Step, Verdict, VerifyReport};
pub use trust::{
    ChainResult, ChainVerifier, TimestampResult, TimestampTokenVerifier, TimestampVerifier,
    TrustStatus, TsaTimestamper,
};

use crate::deviation::{Deviation, SignatureRole};
use crate::error::{CertRole, Result};
use crate::seal::{HolderCertificates, Seal};
use crate::signature::SealSignature;
use cert::{certificate_outcome, inspect};

/// How to verify.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct VerifyOptions<'a> {
    /// Strict (the default) or lenient about signature encodings and algorithm identifiers.
    /// Structural deviations are decided when decoding
    /// ([`SealSignature::from_der_with`]); [`verify_der`] decodes with this setting.
    pub strictness: Strictness,
    /// The SM2 distinguishing ID of both signatures (default `1234567812345678`).
    pub dist_id: DistId,
    /// Chain and revocation checking; `None`: those steps are not performed.
    pub chain: Option<&'a dyn ChainVerifier>,
    /// Timestamp verification; `None`: a present timestamp is reported "present, not
    /// verified".
    pub timestamp: Option<&'a dyn TimestampVerifier>,
    /// The time to check validity at when the signature's time cannot be read (v1 `timeInfo`
    /// in an unknown form).
    pub fallback_time: Option<DateTime>,
    /// A cache shared by the verifications of a batch: the certificates are parsed, each
    /// public key's Z computed and each seal's maker signature verified once for all the
    /// documents (the reports are the same; see [`VerifyCache`]). Certificate chains are
    /// cached by the chain verifier: give it the same cache in its
    /// [`ChainOptions`](gmseal_cert::ChainOptions).
    pub cache: Option<VerifyCache>,
}

impl core::fmt::Debug for VerifyOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("strictness", &self.strictness)
            .field("dist_id", &self.dist_id)
            .field("chain", &self.chain.is_some())
            .field("timestamp", &self.timestamp.is_some())
            .field("fallback_time", &self.fallback_time)
            .field("cache", &self.cache)
            .finish()
    }
}

impl<'a> VerifyOptions<'a> {
    /// Strict verification, default ID, no chain verifier.
    pub fn strict() -> Self {
        Self::default()
    }

    /// Lenient verification: raw `r‖s` and the other SM2 algorithm identifiers are accepted
    /// and reported as deviations.
    pub fn lenient() -> Self {
        VerifyOptions {
            strictness: Strictness::Lenient,
            ..Self::default()
        }
    }

    /// Strict or lenient.
    #[must_use]
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// The SM2 distinguishing ID of both signatures.
    #[must_use]
    pub fn with_dist_id(mut self, id: DistId) -> Self {
        self.dist_id = id;
        self
    }

    /// Use `chain` for the chain and revocation steps.
    #[must_use]
    pub fn with_chain_verifier(mut self, chain: &'a dyn ChainVerifier) -> Self {
        self.chain = Some(chain);
        self
    }

    /// Use `timestamp` for the timestamp steps.
    #[must_use]
    pub fn with_timestamp_verifier(mut self, timestamp: &'a dyn TimestampVerifier) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// Check validities at `time` when the signature's own time cannot be read.
    #[must_use]
    pub fn with_fallback_time(mut self, time: DateTime) -> Self {
        self.fallback_time = Some(time);
        self
    }

    /// Share `cache` with the other verifications of a batch.
    #[must_use]
    pub fn with_cache(mut self, cache: VerifyCache) -> Self {
        self.cache = Some(cache);
        self
    }
}

/// The data the signature is over, for the `dataHash` step.
#[derive(Debug, Clone, Copy)]
pub enum SignedContent<'a> {
    /// The bytes (hashed with SM3 here).
    Bytes(&'a [u8]),
    /// Their SM3 digest, computed by the caller (for instance with
    /// [`SignedContent::sm3_reader`] or `gmseal_sm2::digest::sm3_ranges`).
    Sm3([u8; 32]),
    /// Not given: the `dataHash` step is not performed.
    NotGiven,
}

impl SignedContent<'static> {
    /// Hash a stream with SM3.
    ///
    /// # Errors
    /// [`Error::Sm2`](crate::Error::Sm2) when reading fails.
    pub fn sm3_reader<R: Read>(reader: R) -> Result<Self> {
        Ok(SignedContent::Sm3(gmseal_sm2::digest::sm3_reader(reader)?))
    }
}

/// Decode `der` with `options.strictness` and verify it.
///
/// # Errors
/// Malformed input (see [`SealSignature::from_der_with`]); a signature that does not verify is
/// a finding of the report, not an error.
pub fn verify_der(
    der: &[u8],
    content: SignedContent<'_>,
    options: &VerifyOptions<'_>,
) -> Result<VerifyReport> {
    let sig = SealSignature::from_der_with(der, options.strictness)?;
    Ok(verify(&sig, content, options))
}

/// Verify a seal signature: every step of [`Step`], in order.
///
/// Times (GB/T 38540-2020 §7): the signer's certificate and the seal's validity are checked at
/// the signing time the signature claims (`timeInfo`), the maker's certificate at the seal's
/// `createDate`. A timestamp over the signature value that verifies with a trusted TSA is the
/// **proof-of-existence** time ([`VerifyReport::proof_of_existence`]): the claimed time may
/// not be later than it (5 minutes of clock skew allowed), and the signer's chain (path,
/// validity of every certificate, revocation) is validated at it instead of the claimed time.
/// Without such a timestamp the chain is validated at the claimed time, and a certificate
/// revoked after that time makes the chain step indeterminate
/// ([`Finding::RevokedAfterClaimedTime`]): nothing proves the signature was made before the
/// revocation. The maker's chain is handled the same way with the seal's own (v5) timestamp.
pub fn verify(
    sig: &SealSignature,
    content: SignedContent<'_>,
    options: &VerifyOptions<'_>,
) -> VerifyReport {
    let mut report = VerifyReport::new(sig.version());
    for d in sig.deviations() {
        report.deviation(d.clone());
    }
    report.push(Step::Structure, Outcome::Passed);
    let at = sig.signing_time().map(|(t, _)| t).or(options.fallback_time);
    report.signing_time = at;

    // The timestamps first: a trusted one decides the time the chains are validated at.
    let (ts_outcome, ts) = timestamp_outcome(options, sig.time_stamp(), sig.signature_value(), at);
    let proven = ts.as_ref().and_then(TimestampResult::proof_of_existence);

    // the signer
    let signer = inspect_cached(sig.signer_certificate(), options);
    let outcome = match &signer {
        Ok(view) => check_signature(
            SignatureRole::Signer,
            sig.signature_algorithm(),
            view.public_key,
            sig.tbs_der(),
            sig.signature_value(),
            options,
            &mut report,
        ),
        Err(_) => Outcome::NotPerformed(NotPerformed::CertificateUnusable),
    };
    report.push(Step::SignerSignature, outcome);
    report.push(
        Step::SignerCertificate,
        certificate_outcome(&signer, at, CertRole::Signer),
    );
    let (outcome, chain) = chain_outcome(
        options,
        sig.signer_certificate(),
        CertRole::Signer,
        at,
        proven,
        &mut report,
    );
    report.push(Step::SignerChain, outcome);
    report.signer_chain = chain;
    report.signer = signer.ok().map(|v| v.summary);

    // the seal
    let seal_ts_outcome = seal_steps(sig.seal(), at, options, &mut report);

    // the binding of signer to seal
    report.push(
        Step::SignerBinding,
        binding_outcome(sig.seal(), sig.signer_certificate()),
    );

    // the data
    let computed = match content {
        SignedContent::Bytes(b) => Some(gmseal_sm2::digest::sm3(b)),
        SignedContent::Sm3(d) => Some(d),
        SignedContent::NotGiven => None,
    };
    let outcome = match computed {
        None => Outcome::NotPerformed(NotPerformed::ContentNotGiven),
        Some(c) if c.as_slice() == sig.data_hash() => Outcome::Passed,
        Some(computed) => Outcome::Failed(Finding::DataHashMismatch {
            stated: sig.data_hash().to_vec(),
            computed,
        }),
    };
    report.push(Step::DataHash, outcome);

    report.push(Step::Timestamp, ts_outcome);
    report.timestamp = ts;
    report.push(Step::SealTimestamp, seal_ts_outcome);
    report
}

/// Verify a seal on its own: structure, the maker's signature, certificate and chain (see
/// [`verify`] for the times), and (when `at` is given) the seal's validity at `at`.
pub fn verify_seal(seal: &Seal, at: Option<DateTime>, options: &VerifyOptions<'_>) -> VerifyReport {
    let mut report = VerifyReport::new(seal.version());
    for d in seal.deviations() {
        report.deviation(d.clone());
    }
    report.push(Step::Structure, Outcome::Passed);
    report.signing_time = at;
    let seal_ts_outcome = seal_steps(seal, at, options, &mut report);
    report.push(Step::SealTimestamp, seal_ts_outcome);
    report
}

/// The maker's signature, certificate and chain and the seal's validity at `at`; returns the
/// outcome of the seal's timestamp, which the report lists last.
fn seal_steps(
    seal: &Seal,
    at: Option<DateTime>,
    options: &VerifyOptions<'_>,
    report: &mut VerifyReport,
) -> Outcome {
    // the maker signed when the seal was made
    let made = Some(seal.create_date());
    let (ts_outcome, ts) =
        timestamp_outcome(options, seal.time_stamp(), seal.maker_signature(), made);
    let proven = ts.as_ref().and_then(TimestampResult::proof_of_existence);
    report.seal_timestamp = ts;

    let maker = inspect_cached(seal.maker_certificate(), options);
    let outcome = match &maker {
        Ok(view) => check_signature(
            SignatureRole::Maker,
            seal.maker_signature_algorithm(),
            view.public_key,
            seal.maker_signed_bytes(),
            seal.maker_signature(),
            options,
            report,
        ),
        Err(_) => Outcome::NotPerformed(NotPerformed::CertificateUnusable),
    };
    report.push(Step::MakerSignature, outcome);
    report.push(
        Step::MakerCertificate,
        certificate_outcome(&maker, made, CertRole::Maker),
    );
    let (outcome, chain) = chain_outcome(
        options,
        seal.maker_certificate(),
        CertRole::Maker,
        made,
        proven,
        report,
    );
    report.push(Step::MakerChain, outcome);
    report.maker_chain = chain;
    report.maker = maker.ok().map(|v| v.summary);

    let outcome = match at {
        None => Outcome::NotPerformed(NotPerformed::SigningTimeUnknown),
        Some(at) => {
            let (start, end) = (seal.valid_start(), seal.valid_end());
            let t = crate::time::secs(&at);
            if t < crate::time::secs(&start) || t > crate::time::secs(&end) {
                Outcome::Failed(Finding::SealNotValidAt {
                    at,
                    valid_start: start,
                    valid_end: end,
                })
            } else {
                Outcome::Passed
            }
        }
    };
    report.push(Step::SealValidity, outcome);
    ts_outcome
}

fn check_signature(
    role: SignatureRole,
    algorithm: &ObjectIdentifier,
    public_key: PublicKey,
    message: &[u8],
    value: &[u8],
    options: &VerifyOptions<'_>,
    report: &mut VerifyReport,
) -> Outcome {
    if *algorithm != SM2_WITH_SM3 {
        if !is_sm2_signature_algorithm(algorithm) {
            return Outcome::NotPerformed(NotPerformed::UnsupportedAlgorithm(*algorithm));
        }
        if options.strictness == Strictness::Strict {
            return Outcome::Failed(Finding::SignatureAlgorithm(*algorithm));
        }
        report.deviation(Deviation::SignatureAlgorithm {
            role,
            oid: *algorithm,
        });
    }
    let result = match (&options.cache, role) {
        (None, _) => SignatureCheck::run(
            &Sm2VerifyingKey::new(public_key, options.dist_id.clone()),
            message,
            value,
            options.strictness,
        ),
        // A seal's maker signature is the same in every document sealed with it.
        (Some(cache), SignatureRole::Maker) => {
            let key = public_key.to_sec1_bytes();
            let strictness = [u8::from(options.strictness == Strictness::Lenient)];
            let parts: [&[u8]; 6] = [
                b"gmseal-ses signature check",
                &key,
                options.dist_id.as_bytes(),
                message,
                value,
                &strictness,
            ];
            (*cache.get_or_insert_with(&parts, || {
                SignatureCheck::run(
                    &verifying_key(cache, public_key, &options.dist_id),
                    message,
                    value,
                    options.strictness,
                )
            }))
            .clone()
        }
        (Some(cache), _) => SignatureCheck::run(
            &verifying_key(cache, public_key, &options.dist_id),
            message,
            value,
            options.strictness,
        ),
    };
    match result {
        SignatureCheck::Valid(tolerated) => {
            for deviation in tolerated {
                report.deviation(Deviation::SignatureEncoding { role, deviation });
            }
            Outcome::Passed
        }
        SignatureCheck::Encoding(e) => Outcome::Failed(Finding::SignatureEncoding(e)),
        SignatureCheck::Invalid => Outcome::Failed(Finding::SignatureInvalid),
    }
}

/// The result of one signature verification, in a form the cache can keep.
#[derive(Debug, Clone)]
enum SignatureCheck {
    Valid(Vec<gmseal_sm2::Deviation>),
    Encoding(gmseal_sm2::SignatureFormatError),
    Invalid,
}

impl SignatureCheck {
    fn run(vk: &Sm2VerifyingKey, message: &[u8], value: &[u8], strictness: Strictness) -> Self {
        match vk.verify_encoded(message, value, SignatureFormat::Der, strictness) {
            Ok(tolerated) => SignatureCheck::Valid(tolerated),
            Err(gmseal_sm2::Error::SignatureFormat(e)) => SignatureCheck::Encoding(e),
            Err(_) => SignatureCheck::Invalid,
        }
    }
}

/// The key with its Z for `id`, computed once per key and ID.
fn verifying_key(
    cache: &VerifyCache,
    key: PublicKey,
    id: &DistId,
) -> std::sync::Arc<Sm2VerifyingKey> {
    let sec1 = key.to_sec1_bytes();
    cache.get_or_insert_with(
        &[b"gmseal-ses Sm2VerifyingKey", &sec1, id.as_bytes()],
        || Sm2VerifyingKey::new(key, id.clone()),
    )
}

/// [`inspect`], once per certificate when there is a cache.
fn inspect_cached(
    der: &[u8],
    options: &VerifyOptions<'_>,
) -> core::result::Result<cert::CertView, Finding> {
    match &options.cache {
        None => inspect(der),
        Some(cache) => {
            (*cache.get_or_insert_with(&[b"gmseal-ses inspect", der], || inspect(der))).clone()
        }
    }
}

/// How far a claimed time may lie after a timestamp's `genTime` (clock skew between the
/// signer and the TSA), in seconds.
const CLAIMED_TIME_SKEW_SECS: u64 = 300;

/// The chain step: validated at the proven time when there is one, else at the claimed time.
fn chain_outcome(
    options: &VerifyOptions<'_>,
    certificate: &[u8],
    role: CertRole,
    claimed: Option<DateTime>,
    proven: Option<DateTime>,
    report: &mut VerifyReport,
) -> (Outcome, Option<gmseal_cert::ChainReport>) {
    let Some(chain) = options.chain else {
        return (Outcome::NotPerformed(NotPerformed::NoTrustAnchors), None);
    };
    let Some(at) = proven.or(claimed) else {
        return (
            Outcome::NotPerformed(NotPerformed::SigningTimeUnknown),
            None,
        );
    };
    let result = match chain.verify_chain(certificate, role, at) {
        Ok(r) => r,
        Err(e) => {
            return (
                Outcome::Failed(Finding::ChainRejected {
                    reason: e.to_string(),
                }),
                None,
            );
        }
    };
    if let Some(r) = &result.report {
        for t in &r.tolerated {
            report.deviation(Deviation::CertificateChain {
                role,
                deviation: t.clone(),
            });
        }
    }
    let outcome = match &result.status {
        TrustStatus::Trusted => match (proven, revoked_later(result.report.as_ref())) {
            (None, Some((subject, revocation))) => {
                Outcome::Failed(Finding::RevokedAfterClaimedTime {
                    subject,
                    revocation,
                })
            }
            _ => Outcome::Passed,
        },
        TrustStatus::Untrusted { reason } => Outcome::Failed(Finding::ChainRejected {
            reason: reason.clone(),
        }),
        TrustStatus::Indeterminate { reason } => Outcome::Failed(Finding::ChainIndeterminate {
            reason: reason.clone(),
        }),
    };
    (outcome, result.report)
}

/// A certificate of a trusted path revoked after the validation time: its subject and the
/// revocation.
fn revoked_later(
    report: Option<&gmseal_cert::ChainReport>,
) -> Option<(String, gmseal_cert::Revocation)> {
    let report = report?;
    report.checks.iter().find_map(|c| match &c.outcome {
        gmseal_cert::Outcome::RevokedAfterValidationTime(r) => Some((
            report
                .path
                .get(c.cert)
                .map(|p| p.summary.subject.clone())
                .unwrap_or_default(),
            r.clone(),
        )),
        _ => None,
    })
}

/// The timestamp step and the verifier's result. `claimed` is the time the signer claims
/// (`timeInfo`, or the seal's `createDate`), which may not be later than `genTime`.
fn timestamp_outcome(
    options: &VerifyOptions<'_>,
    token: Option<&[u8]>,
    signature_value: &[u8],
    claimed: Option<DateTime>,
) -> (Outcome, Option<TimestampResult>) {
    let Some(token) = token else {
        return (Outcome::NotApplicable, None);
    };
    let Some(verifier) = options.timestamp else {
        return (
            Outcome::NotPerformed(NotPerformed::TimestampNotVerified),
            None,
        );
    };
    let result = match verifier.verify_timestamp(token, signature_value) {
        Ok(r) => r,
        Err(e) => {
            return (
                Outcome::Failed(Finding::TimestampRejected {
                    reason: e.to_string(),
                }),
                None,
            );
        }
    };
    let outcome = match &result.status {
        TrustStatus::Trusted => match (claimed, result.gen_time) {
            (Some(c), Some(g))
                if crate::time::secs(&c) > crate::time::secs(&g) + CLAIMED_TIME_SKEW_SECS =>
            {
                Outcome::Failed(Finding::TimeAfterTimestamp {
                    claimed: c,
                    gen_time: g,
                })
            }
            _ => Outcome::Passed,
        },
        TrustStatus::Untrusted { reason } => Outcome::Failed(Finding::TimestampRejected {
            reason: reason.clone(),
        }),
        TrustStatus::Indeterminate { reason } => Outcome::Failed(Finding::TimestampIndeterminate {
            reason: reason.clone(),
        }),
    };
    (outcome, Some(result))
}

fn binding_outcome(seal: &Seal, signer_certificate: &[u8]) -> Outcome {
    match seal.holder_certificates() {
        HolderCertificates::Certificates(list) => {
            if list.contains(&signer_certificate) {
                Outcome::Passed
            } else {
                Outcome::Failed(Finding::SignerNotInSeal {
                    entries: list.len(),
                })
            }
        }
        HolderCertificates::Digests(list) => {
            let sm3 = gmseal_sm2::digest::sm3(signer_certificate);
            let mut unsupported = None;
            for entry in list {
                let t = entry.r#type.as_str();
                if t.eq_ignore_ascii_case("sm3") || t == SM3.to_string() {
                    if entry.value.as_bytes() == sm3.as_slice() {
                        return Outcome::Passed;
                    }
                } else {
                    unsupported = Some(t.to_owned());
                }
            }
            match unsupported {
                Some(t) => Outcome::NotPerformed(NotPerformed::UnsupportedDigest(t)),
                None => Outcome::Failed(Finding::SignerNotInSeal {
                    entries: list.len(),
                }),
            }
        }
    }
}
