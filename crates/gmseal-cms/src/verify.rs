//! Verifying `SignedData` (RFC 5652 §5.6, GM/T 0010 §8) into a [`SignedDataReport`].
//!
//! Handles the shapes deployed signers produce: detached content with `messageDigest` (PDF),
//! attached content that is itself a hash with no signed attributes (OFD "Sign" signatures),
//! raw 64-byte `r‖s` signature values (lenient mode, reported), any of the three SM2
//! signature OIDs, both content-type families. Signatures computed without Z (GmSSL 3 CMS,
//! GmSSL 2) are recognised and refused unless [`VerifyOptions::allow_no_z`] is set.

use std::time::{Duration, SystemTime};

use cms::signed_data::SignerIdentifier;
use der::Encode;
use gmseal_sm2::{DistId, Strictness};
use sha1::Digest as _;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{KeyUsage, SubjectKeyIdentifier};

use crate::algorithm::{DigestAlgorithm, SigOutcome, Sm2Policy, verify_signature};
use crate::attr;
use crate::builder::ContentDigest;
use crate::chain::ChainVerifier;
use crate::der_walk;
use crate::error::Result;
use crate::oid;
use crate::parse::{EContent, Limits, ParsedSignedData, ParsedSignerInfo};
use crate::report::{
    Check, CheckKind, Failure, NotPerformed, Outcome, SignedDataReport, SignerId, SignerReport,
    TimeSource, Tolerated, Verdict, hex,
};
use crate::tsp::{self, TimestampedData};

/// How far `signingTime` may lie after a timestamp's `genTime` (clock skew between signer and
/// TSA).
const SIGNING_TIME_SKEW: Duration = Duration::from_secs(300);

/// The content a detached signature covers.
///
/// When the message carries its content (attached), that content is what is checked and
/// this value is ignored. OFD "Sign" signatures attach `SM3(Signature.xml)`: compare
/// [`ParsedSignedData::econtent`] with the file's digest yourself (parse with
/// [`ParsedSignedData::from_der`], verify with [`verify_parsed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content<'a> {
    /// Nothing given: the content must be attached.
    Attached,
    /// The content bytes.
    Bytes(&'a [u8]),
    /// The SM3 digest of the content (computed by the caller, e.g. over PDF byte ranges with
    /// [`ContentDigest::of_ranges`]).
    Digest(ContentDigest),
}

/// Options of verification.
#[derive(Clone)]
pub struct VerifyOptions<'a> {
    /// Strict (default) refuses deviations; lenient accepts raw `r‖s` signatures, non-DER
    /// signed attributes and zero padding after the DER, and reports each.
    pub strictness: Strictness,
    /// The SM2 distinguishing ID (default `1234567812345678`, GM/T 0009 §10).
    pub dist_id: DistId,
    /// Accept SM2 signatures computed without Z (GmSSL 3 CMS, GmSSL 2). Off by default; when
    /// on, each acceptance is reported as [`Tolerated::SignedWithoutZ`].
    pub allow_no_z: bool,
    /// The time to check certificates at when no verified timestamp gives one (default now).
    pub time: Option<SystemTime>,
    /// Path validation with trust anchors and CRLs (gmseal-cert); `None` reports the chain
    /// check as "not performed: no trust anchors configured".
    pub chain: Option<&'a dyn ChainVerifier>,
    /// Verify timestamp tokens found in unsigned attributes (default yes).
    pub verify_timestamps: bool,
    /// Bounds on the message's size.
    pub limits: Limits,
}

impl Default for VerifyOptions<'_> {
    fn default() -> Self {
        VerifyOptions {
            strictness: Strictness::Strict,
            dist_id: DistId::default(),
            allow_no_z: false,
            time: None,
            chain: None,
            verify_timestamps: true,
            limits: Limits::default(),
        }
    }
}

impl core::fmt::Debug for VerifyOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("strictness", &self.strictness)
            .field("dist_id", &self.dist_id)
            .field("allow_no_z", &self.allow_no_z)
            .field("time", &self.time)
            .field("chain", &self.chain.is_some())
            .field("verify_timestamps", &self.verify_timestamps)
            .field("limits", &self.limits)
            .finish()
    }
}

impl VerifyOptions<'_> {
    /// Lenient mode with everything else default.
    pub fn lenient() -> Self {
        VerifyOptions {
            strictness: Strictness::Lenient,
            ..Self::default()
        }
    }
}

/// Verify a DER `ContentInfo(SignedData)`.
///
/// # Errors
/// An [`Error`](crate::Error) when the input does not decode (see
/// [`ParsedSignedData::from_der`]); signature and certificate problems are findings in the
/// report.
pub fn verify_signed_data(
    der: &[u8],
    content: Content<'_>,
    options: &VerifyOptions<'_>,
) -> Result<SignedDataReport> {
    let lenient = options.strictness == Strictness::Lenient;
    let parsed = ParsedSignedData::from_der(der, lenient, &options.limits)?;
    Ok(verify_parsed(&parsed, content, options))
}

/// Verify a DER `SignedData` whose detached content is `ranges` of `reader` (a PDF's
/// `/ByteRange`), hashing them with SM3, streaming.
///
/// # Errors
/// As [`verify_signed_data`], and [`Error::Sm2`](crate::Error::Sm2) when a range cannot be
/// read.
pub fn verify_detached_ranges<R: std::io::Read + std::io::Seek>(
    der: &[u8],
    reader: R,
    ranges: &[std::ops::Range<u64>],
    options: &VerifyOptions<'_>,
) -> Result<SignedDataReport> {
    let digest = ContentDigest::of_ranges(reader, ranges)?;
    verify_signed_data(der, Content::Digest(digest), options)
}

/// Verify an already parsed `SignedData`.
pub fn verify_parsed(
    parsed: &ParsedSignedData<'_>,
    content: Content<'_>,
    options: &VerifyOptions<'_>,
) -> SignedDataReport {
    let mut tolerated = Vec::new();
    if parsed.trailing_zeros > 0 {
        tolerated.push(Tolerated::ZeroPadding(parsed.trailing_zeros));
    }
    let signers = parsed
        .signers
        .iter()
        .enumerate()
        .map(|(i, s)| verify_signer(parsed, i, s, content, options, None))
        .collect();
    SignedDataReport {
        family: parsed.family,
        econtent_type: parsed.econtent_type,
        attached: parsed.econtent.is_some(),
        signers,
        tolerated,
    }
}

fn signer_id(sid: &SignerIdentifier) -> SignerId {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => SignerId::IssuerAndSerialNumber {
            issuer: isn.issuer.to_string(),
            serial: hex(isn.serial_number.as_bytes()),
        },
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            SignerId::SubjectKeyIdentifier(hex(ski.0.as_bytes()))
        }
    }
}

/// The certificate `sid` designates among `certs`.
pub(crate) fn find_certificate<'c>(
    sid: &SignerIdentifier,
    certs: impl Iterator<Item = &'c Certificate>,
) -> Option<&'c Certificate> {
    let mut certs = certs;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => certs.find(|c| {
            let tbs = c.tbs_certificate();
            tbs.issuer() == &isn.issuer && tbs.serial_number() == &isn.serial_number
        }),
        SignerIdentifier::SubjectKeyIdentifier(ski) => certs.find(|c| {
            let tbs = c.tbs_certificate();
            match tbs.get_extension::<SubjectKeyIdentifier>() {
                Ok(Some((_, own))) => own == *ski,
                // Without the extension, RFC 5280 §4.2.1.2 method 1: SHA-1 of the key bits.
                _ => tbs
                    .subject_public_key_info()
                    .subject_public_key
                    .as_bytes()
                    .is_some_and(|k| sha1::Sha1::digest(k).as_slice() == ski.0.as_bytes()),
            }
        }),
    }
}

/// Verify one signer. `forced_time` is the validation time of a timestamp token's own signer
/// (its `genTime`).
pub(crate) fn verify_signer(
    parsed: &ParsedSignedData<'_>,
    index: usize,
    signer: &ParsedSignerInfo<'_>,
    content: Content<'_>,
    options: &VerifyOptions<'_>,
    forced_time: Option<SystemTime>,
) -> SignerReport {
    let info = &signer.info;
    let mut checks = Vec::new();
    let mut tolerated = Vec::new();
    let lenient = options.strictness == Strictness::Lenient;

    let mut certificate = find_certificate(&info.sid, parsed.decoded_certificates()).cloned();
    if certificate.is_none() && lenient {
        if let SignerIdentifier::IssuerAndSerialNumber(isn) = &info.sid {
            let issuer = isn.issuer.to_string();
            certificate = parsed
                .decoded_certificates()
                .find(|c| {
                    let tbs = c.tbs_certificate();
                    tbs.serial_number() == &isn.serial_number && tbs.issuer().to_string() == issuer
                })
                .cloned();
            if certificate.is_some() {
                tolerated.push(Tolerated::IssuerNameEncodingDiffers);
            }
        }
    }
    checks.push(Check::new(
        CheckKind::SignerCertificate,
        if certificate.is_some() {
            Outcome::Passed
        } else {
            Outcome::Failed(Failure::SignerCertificateNotFound)
        },
    ));

    let digest_alg = DigestAlgorithm::from_oid(&info.digest_alg.oid);
    let attached = parsed.econtent.map(|c| c.digested_bytes());
    let content_bytes = attached.or(match content {
        Content::Bytes(b) => Some(b),
        _ => None,
    });
    let computed_digest: core::result::Result<Vec<u8>, Failure> = match (digest_alg, content_bytes)
    {
        (None, _) => Err(Failure::UnsupportedAlgorithm(info.digest_alg.oid)),
        (Some(alg), Some(bytes)) => Ok(alg.digest(bytes)),
        (Some(DigestAlgorithm::Sm3), None) => match content {
            Content::Digest(d) => Ok(d.0.to_vec()),
            _ => Err(Failure::NoContent),
        },
        (Some(_), None) => Err(Failure::NoContent),
    };

    let mut signing_time = None;
    let mut message_digest = None;
    // The bytes the signature covers, or why they are unavailable.
    let signed_input: core::result::Result<Vec<u8>, Failure>;
    match (&info.signed_attrs, &signer.signed_attrs_der) {
        (Some(attrs), Some(received)) => {
            // contentType
            let ct = match attr::find(attrs, oid::CONTENT_TYPE) {
                Ok(Some(v)) => match attr::read_content_type(v) {
                    Ok(o) if o == parsed.econtent_type => Outcome::Passed,
                    Ok(o) => Outcome::Failed(Failure::ContentTypeMismatch {
                        attribute: o,
                        econtent_type: parsed.econtent_type,
                    }),
                    Err(_) => Outcome::Failed(Failure::BadAttribute(oid::CONTENT_TYPE)),
                },
                Ok(None) => Outcome::Failed(Failure::ContentTypeMissing),
                Err(_) => Outcome::Failed(Failure::BadAttribute(oid::CONTENT_TYPE)),
            };
            checks.push(Check::new(CheckKind::ContentType, ct));
            // messageDigest
            let md = match attr::find(attrs, oid::MESSAGE_DIGEST) {
                Ok(Some(v)) => match attr::read_message_digest(v) {
                    Ok(found) => {
                        message_digest = Some(found.clone());
                        match &computed_digest {
                            Ok(c) if *c == found => Outcome::Passed,
                            Ok(c) => Outcome::Failed(Failure::MessageDigestMismatch {
                                computed: c.clone(),
                                attribute: found,
                            }),
                            Err(f) => Outcome::Failed(f.clone()),
                        }
                    }
                    Err(_) => Outcome::Failed(Failure::BadAttribute(oid::MESSAGE_DIGEST)),
                },
                Ok(None) => Outcome::Failed(Failure::MessageDigestMissing),
                Err(_) => Outcome::Failed(Failure::BadAttribute(oid::MESSAGE_DIGEST)),
            };
            checks.push(Check::new(CheckKind::MessageDigest, md));
            // signingTime (checked later against the certificate)
            if let Ok(Some(v)) = attr::find(attrs, oid::SIGNING_TIME) {
                signing_time = attr::read_signing_time(v).ok();
                if signing_time.is_none() {
                    checks.push(Check::new(
                        CheckKind::SigningTime,
                        Outcome::Failed(Failure::BadAttribute(oid::SIGNING_TIME)),
                    ));
                }
            }
            // The signature covers the received bytes; they should be DER.
            let canonical = attrs.to_der().ok();
            if canonical.as_deref() == Some(received.as_slice()) {
                signed_input = Ok(received.clone());
            } else if lenient {
                tolerated.push(Tolerated::SignedAttributesNotDer);
                signed_input = Ok(received.clone());
            } else {
                signed_input = Err(Failure::SignedAttributesNotDer);
            }
        }
        _ => {
            checks.push(Check::new(
                CheckKind::ContentType,
                Outcome::NotPerformed(NotPerformed::NoSignedAttributes),
            ));
            // Without signed attributes the signature covers the content itself; the digest
            // check is the signature check.
            checks.push(Check::new(
                CheckKind::MessageDigest,
                match &computed_digest {
                    Ok(_) => Outcome::NotPerformed(NotPerformed::NoSignedAttributes),
                    Err(f) => Outcome::Failed(f.clone()),
                },
            ));
            signed_input = content_bytes.map(<[u8]>::to_vec).ok_or(Failure::NoContent);
        }
    }

    // Signature.
    let sig_outcome = match (&certificate, &signed_input, digest_alg) {
        (None, _, _) => Outcome::NotPerformed(NotPerformed::NoSignerCertificate),
        (_, Err(f), _) => Outcome::Failed(f.clone()),
        (_, _, None) => Outcome::Failed(Failure::UnsupportedAlgorithm(info.digest_alg.oid)),
        (Some(cert), Ok(input), Some(alg)) => {
            let policy = Sm2Policy {
                dist_id: &options.dist_id,
                strictness: options.strictness,
                allow_no_z: options.allow_no_z,
                gmssl3_input: if info.signed_attrs.is_none() && parsed.econtent.is_some() {
                    Some(parsed.encap_content_info_der)
                } else {
                    None
                },
            };
            match verify_signature(
                &info.signature_algorithm,
                alg,
                cert.tbs_certificate().subject_public_key_info(),
                input,
                info.signature.as_bytes(),
                &policy,
            ) {
                SigOutcome::Valid { deviations, no_z } => {
                    tolerated.extend(deviations.into_iter().map(Tolerated::SignatureEncoding));
                    if let Some(v) = no_z {
                        tolerated.push(Tolerated::SignedWithoutZ(v));
                    }
                    Outcome::Passed
                }
                SigOutcome::Invalid => Outcome::Failed(Failure::SignatureInvalid),
                SigOutcome::NoZ(v) => Outcome::Failed(Failure::SignedWithoutZ(v)),
                SigOutcome::EmptyId => Outcome::Failed(Failure::SignedWithEmptyId),
                SigOutcome::Malformed(e) => Outcome::Failed(Failure::SignatureMalformed(e)),
                SigOutcome::Mismatch(why) => Outcome::Failed(Failure::AlgorithmMismatch(why)),
                SigOutcome::Unsupported(o) => Outcome::Failed(Failure::UnsupportedAlgorithm(o)),
                SigOutcome::BadKey => Outcome::Failed(Failure::BadPublicKey),
            }
        }
    };
    checks.push(Check::new(CheckKind::Signature, sig_outcome));

    // Timestamps over the signature value.
    let mut timestamps = Vec::new();
    let mut ts_time = None;
    let mut tokens_seen = 0usize;
    if options.verify_timestamps {
        if let Some(unsigned) = &info.unsigned_attrs {
            for a in unsigned.iter().filter(|a| a.oid == oid::TIME_STAMP_TOKEN) {
                for v in a.values.iter() {
                    tokens_seen += 1;
                    if tokens_seen > options.limits.max_timestamps {
                        checks.push(Check::new(
                            CheckKind::Timestamp,
                            Outcome::Failed(Failure::TimestampMalformed(format!(
                                "more than {} timestamp tokens; the rest were not verified",
                                options.limits.max_timestamps
                            ))),
                        ));
                        break;
                    }
                    let outcome = match v.to_der() {
                        Err(e) => Outcome::Failed(Failure::TimestampMalformed(e.to_string())),
                        Ok(token) => match tsp::verify_timestamp_token(
                            &token,
                            TimestampedData::Bytes(info.signature.as_bytes()),
                            options,
                        ) {
                            Err(e) => Outcome::Failed(Failure::TimestampMalformed(e.to_string())),
                            Ok(report) => {
                                // genTime becomes the validation time only from a token that
                                // is fully valid (TSA chain included); without a chain
                                // verifier nothing is trusted and the verdict stays
                                // indeterminate anyway, so an intact token is enough.
                                let verdict = report.verdict();
                                let usable = report.integrity_ok()
                                    && (verdict == Verdict::Valid || options.chain.is_none());
                                let o = if usable {
                                    if ts_time.is_none() {
                                        ts_time = Some(report.gen_time);
                                    }
                                    Outcome::Passed
                                } else {
                                    Outcome::Failed(Failure::TimestampInvalid(verdict))
                                };
                                timestamps.push(report);
                                o
                            }
                        },
                    };
                    checks.push(Check::new(CheckKind::Timestamp, outcome));
                }
            }
        }
    }

    let validation_time = match (forced_time, ts_time, options.time) {
        (Some(t), _, _) | (None, Some(t), _) => (t, TimeSource::Timestamp),
        (None, None, Some(t)) => (t, TimeSource::Caller),
        (None, None, None) => (SystemTime::now(), TimeSource::Now),
    };

    certificate_checks(
        &mut checks,
        certificate.as_ref(),
        validation_time.0,
        signing_time,
        ts_time,
    );

    // Chain, over the certificates as received.
    let mut chain_report = None;
    let chain = match (&certificate, options.chain) {
        (None, _) => Outcome::NotPerformed(NotPerformed::NoSignerCertificate),
        (Some(_), None) => Outcome::NotPerformed(NotPerformed::NoTrustAnchors),
        (Some(cert), Some(verifier)) => {
            let decoded = || parsed.certificates.iter().filter(|c| c.certificate.is_ok());
            let signer_der = decoded()
                .find(|c| c.certificate.as_ref().ok() == Some(cert))
                .map(|c| c.der);
            let others: Vec<&[u8]> = decoded()
                .filter(|c| c.certificate.as_ref().ok() != Some(cert))
                .map(|c| c.der)
                .collect();
            let crls: Vec<&[u8]> = parsed
                .crls_der
                .and_then(|c| {
                    let mut rest = c;
                    der_walk::next(&mut rest).ok()
                })
                .and_then(|t| der_walk::elements(t.value, options.limits.max_certificates).ok())
                .map(|v| v.into_iter().map(|t| t.tlv).collect())
                .unwrap_or_default();
            let result = match signer_der {
                Some(der) => verifier.verify_chain_der(der, &others, &crls, validation_time.0),
                None => {
                    // Found only through the lenient issuer-name match above: the
                    // certificate decoded from the message all the same.
                    let others: Vec<Certificate> = others
                        .iter()
                        .filter_map(|d| <Certificate as der::Decode>::from_der(d).ok())
                        .collect();
                    verifier.verify_chain(cert, &others, &crls, validation_time.0)
                }
            };
            let (outcome, report) = match result {
                Ok(summary) => (Outcome::Passed, summary.report),
                Err(e) => {
                    let report = e.report().cloned();
                    (Outcome::Failed(Failure::Chain(e)), report)
                }
            };
            if let Some(r) = &report {
                tolerated.extend(r.tolerated.iter().cloned().map(Tolerated::CertificateChain));
            }
            chain_report = report;
            outcome
        }
    };
    checks.push(Check::new(CheckKind::CertificateChain, chain));

    SignerReport {
        index,
        signer_id: signer_id(&info.sid),
        certificate,
        digest_algorithm: info.digest_alg.oid,
        signature_algorithm: info.signature_algorithm.oid,
        has_signed_attributes: info.signed_attrs.is_some(),
        signing_time,
        message_digest,
        validation_time,
        timestamps,
        chain: chain_report,
        checks,
        tolerated,
    }
}

fn certificate_checks(
    checks: &mut Vec<Check>,
    certificate: Option<&Certificate>,
    at: SystemTime,
    signing_time: Option<SystemTime>,
    ts_time: Option<SystemTime>,
) {
    let Some(cert) = certificate else {
        for kind in [
            CheckKind::CertificateValidity,
            CheckKind::KeyUsage,
            CheckKind::SigningTime,
        ] {
            checks.push(Check::new(
                kind,
                Outcome::NotPerformed(NotPerformed::NoSignerCertificate),
            ));
        }
        return;
    };
    let tbs = cert.tbs_certificate();
    let not_before = tbs.validity().not_before.to_system_time();
    let not_after = tbs.validity().not_after.to_system_time();
    checks.push(Check::new(
        CheckKind::CertificateValidity,
        if at < not_before {
            Outcome::Failed(Failure::CertificateNotYetValid { at, not_before })
        } else if at > not_after {
            Outcome::Failed(Failure::CertificateExpired { at, not_after })
        } else {
            Outcome::Passed
        },
    ));
    checks.push(Check::new(
        CheckKind::KeyUsage,
        match tbs.get_extension::<KeyUsage>() {
            Ok(Some((_, ku))) if ku.digital_signature() || ku.non_repudiation() => Outcome::Passed,
            Ok(Some(_)) => Outcome::Failed(Failure::KeyUsageForbidsSigning),
            Ok(None) => Outcome::NotPerformed(NotPerformed::NoKeyUsage),
            Err(_) => Outcome::Failed(Failure::BadExtension(
                const_oid::db::rfc5280::ID_CE_KEY_USAGE,
            )),
        },
    ));
    if checks
        .iter()
        .any(|c| c.kind == CheckKind::SigningTime && !c.passed())
    {
        return; // a bad signingTime attribute was already reported
    }
    let outcome = match signing_time {
        None => Outcome::NotPerformed(NotPerformed::NoSigningTime),
        Some(st) if st < not_before || st > not_after => {
            Outcome::Failed(Failure::SigningTimeOutsideValidity { signing_time: st })
        }
        Some(st) => match ts_time {
            Some(gt) if st > gt + SIGNING_TIME_SKEW => {
                Outcome::Failed(Failure::SigningTimeAfterTimestamp {
                    signing_time: st,
                    gen_time: gt,
                })
            }
            _ => Outcome::Passed,
        },
    };
    checks.push(Check::new(CheckKind::SigningTime, outcome));
}

/// Is `content` of the `EContent` an OCTET STRING's octets? (used by the timestamp verifier)
pub(crate) fn econtent_octets<'a>(parsed: &ParsedSignedData<'a>) -> Option<&'a [u8]> {
    match parsed.econtent {
        Some(EContent::Octets(b)) => Some(b),
        _ => None,
    }
}
