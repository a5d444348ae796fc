//! Verifying a `TimeStampToken` (RFC 3161 §2.4.2, GB/T 20520-2006 §6.2).

use std::time::SystemTime;

use der::Decode;
use x509_cert::ext::pkix::ExtendedKeyUsage;

use super::{MessageImprint, TstInfo, ess};
use crate::error::{Error, Result, malformed};
use crate::oid;
use crate::parse::ParsedSignedData;
use crate::report::{
    Check, CheckKind, Failure, Outcome, SignerReport, Tolerated, Verdict, verdict_of,
};
use crate::verify::{Content, VerifyOptions, econtent_octets, verify_signer};
use gmseal_sm2::Strictness;

/// What a timestamp token is expected to cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampedData<'a> {
    /// The data itself (for a CMS signature timestamp: the `SignerInfo.signature` octets).
    Bytes(&'a [u8]),
    /// The imprint that was sent.
    Imprint(&'a MessageImprint),
}

/// The report of one timestamp token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimestampReport {
    /// The token's TSTInfo.
    pub tst_info: TstInfo,
    /// `genTime`.
    pub gen_time: SystemTime,
    /// The report of the TSA's `SignerInfo` (its certificate checked at `genTime`).
    pub signer: SignerReport,
    /// Token-level checks: imprint, TSA certificate rules.
    pub checks: Vec<Check>,
    /// Deviations tolerated.
    pub tolerated: Vec<Tolerated>,
}

impl TimestampReport {
    /// The worse of the TSA signer's verdict and the token checks'.
    pub fn verdict(&self) -> Verdict {
        self.signer.verdict().max(verdict_of(&self.checks))
    }

    /// Token signature intact and imprint matching (whatever the trust in the TSA).
    pub fn integrity_ok(&self) -> bool {
        self.signer.integrity_ok()
            && self
                .checks
                .iter()
                .filter(|c| c.kind == CheckKind::MessageImprint)
                .all(Check::passed)
    }
}

impl core::fmt::Display for TimestampReport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        writeln!(
            f,
            "timestamp {} (policy {}): {}",
            self.tst_info.gen_time.datetime,
            self.tst_info.policy,
            self.verdict()
        )?;
        for c in &self.checks {
            writeln!(f, "  {c}")?;
        }
        write!(f, "{}", self.signer)
    }
}

/// Verify a DER `TimeStampToken` against the data it should cover.
///
/// The TSA's signature may be SM2/SM3, RSA PKCS#1 v1.5 or ECDSA (P-256/P-384) with SHA-2; its
/// certificate is checked at `genTime`, must carry extended key usage `timeStamping`
/// (RFC 3161 §2.3; non-critical only in lenient mode) and must be the one named by the ESS
/// `signingCertificate(V2)` attribute.
///
/// # Errors
/// [`Error::Malformed`] when the token or its TSTInfo does not decode,
/// [`Error::TimestampMismatch`] when it is not a TSTInfo token, [`Error::TooMany`] when it
/// has more than one signer (RFC 3161 §2.4.2 allows exactly one).
pub fn verify_timestamp_token(
    token: &[u8],
    data: TimestampedData<'_>,
    options: &VerifyOptions<'_>,
) -> Result<TimestampReport> {
    let parsed = ParsedSignedData::from_der(token, false, &options.limits)?;
    if parsed.econtent_type != oid::TST_INFO {
        return Err(Error::TimestampMismatch(
            "content type is not id-ct-TSTInfo",
        ));
    }
    let octets =
        econtent_octets(&parsed).ok_or(Error::TimestampMismatch("token carries no TSTInfo"))?;
    let tst_info = TstInfo::from_der(octets).map_err(malformed("TSTInfo"))?;
    let [signer] = parsed.signers.as_slice() else {
        return Err(Error::TooMany {
            what: "timestamp token signers",
            found: parsed.signers.len(),
            limit: 1,
        });
    };
    let gen_time = tst_info.gen_time.to_system_time();
    let inner = VerifyOptions {
        verify_timestamps: false,
        ..options.clone()
    };
    let signer_report = verify_signer(
        &parsed,
        0,
        signer,
        Content::Attached,
        &inner,
        Some(gen_time),
    );

    let mut checks = Vec::new();
    let mut tolerated = Vec::new();
    let imprint = &tst_info.message_imprint;
    checks.push(Check::new(
        CheckKind::MessageImprint,
        match data {
            TimestampedData::Bytes(b) => match imprint.matches(b) {
                Some(true) => Outcome::Passed,
                Some(false) => {
                    let alg = crate::DigestAlgorithm::from_oid(&imprint.hash_algorithm.oid);
                    Outcome::Failed(Failure::ImprintMismatch {
                        computed: alg.map(|a| a.digest(b)).unwrap_or_default(),
                        token: imprint.hashed_message.as_bytes().to_vec(),
                    })
                }
                None => Outcome::Failed(Failure::UnsupportedAlgorithm(imprint.hash_algorithm.oid)),
            },
            TimestampedData::Imprint(expected) => {
                if expected == imprint {
                    Outcome::Passed
                } else {
                    Outcome::Failed(Failure::ImprintMismatch {
                        computed: expected.hashed_message.as_bytes().to_vec(),
                        token: imprint.hashed_message.as_bytes().to_vec(),
                    })
                }
            }
        },
    ));

    if let Some(cert) = &signer_report.certificate {
        let eku = cert.tbs_certificate().get_extension::<ExtendedKeyUsage>();
        let outcome = match eku {
            Ok(Some((critical, eku))) if eku.0.contains(&oid::KP_TIME_STAMPING) => {
                if critical {
                    Outcome::Passed
                } else if options.strictness == Strictness::Lenient {
                    tolerated.push(Tolerated::TsaEkuNotCritical);
                    Outcome::Passed
                } else {
                    Outcome::Failed(Failure::NotATsaCertificate)
                }
            }
            _ => Outcome::Failed(Failure::NotATsaCertificate),
        };
        checks.push(Check::new(CheckKind::TsaCertificate, outcome));

        let cert_der = parsed
            .certificates
            .iter()
            .find(|c| c.certificate.as_ref().ok() == Some(cert))
            .map(|c| c.der);
        let attrs = signer.info.signed_attrs.as_ref();
        let v2 = attrs.and_then(|a| {
            crate::attr::find(a, oid::SIGNING_CERTIFICATE_V2)
                .ok()
                .flatten()
        });
        let v1 = attrs.and_then(|a| {
            crate::attr::find(a, oid::SIGNING_CERTIFICATE)
                .ok()
                .flatten()
        });
        let lenient = options.strictness == Strictness::Lenient;
        let ess = match (v2.map(|v| (true, v)).or(v1.map(|v| (false, v))), cert_der) {
            (None, Some(_)) if lenient => {
                tolerated.push(Tolerated::EssSigningCertificateMissing);
                Outcome::Passed
            }
            (None, _) | (_, None) => Outcome::Failed(Failure::EssSigningCertificateMissing),
            (Some((is_v2, value)), Some(der)) => match ess::designates(is_v2, value, der) {
                Some(true) => Outcome::Passed,
                _ => Outcome::Failed(Failure::EssSigningCertificateMismatch),
            },
        };
        checks.push(Check::new(CheckKind::TsaCertificate, ess));
    }

    Ok(TimestampReport {
        tst_info,
        gen_time,
        signer: signer_report,
        checks,
        tolerated,
    })
}
