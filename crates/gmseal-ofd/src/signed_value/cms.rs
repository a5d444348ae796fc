//! `Type="Sign"` with GB/T 35275 (GM/T 0010) `SignedData`, made and checked by `gmseal-cms`.
//!
//! Two forms are seen (see the OFD notes):
//! * attached (tongz, ofdrw `GBT35275DSContainer`): `encapContentInfo` holds SM3(Signature.xml)
//!   (32 bytes), no signed attributes, the SM2 signature over those 32 bytes. This is what
//!   [`SignedDataSigner`] writes;
//! * detached (GOMAIN): no content, signed attributes whose `messageDigest` is
//!   SM3(Signature.xml).
//!
//! [`SignVerifier`] reads both, and bare SM2 signatures too (it is the default Type="Sign"
//! verifier of [`Verifier`](crate::Verifier)).

use base64::Engine as _;
use gmseal_cms::x509_cert::Certificate;
use gmseal_cms::{
    AlgorithmParams, CheckKind as CmsKind, CmsSigner, Content, OidFamily, Outcome as CmsOutcome,
    ParsedSignedData, SignedDataBuilder, Sm2SignatureOid, TimeSource, Timestamper,
    Verdict as CmsVerdict, VerifyOptions, verify_parsed,
};
use gmseal_sm2::{PublicKey, Sm2Signer, Strictness};

use super::raw_sm2::{RawSm2Verifier, SM2_WITH_SM3};
use super::{SignInput, SignedValueSigner, SignedValueVerifier, VerifyInput};
use crate::error::SignedValueError;
use crate::report::{CheckKind, Deviation, Outcome, SignedValueReport};
use crate::xml::signatures::SignatureType;

fn other(e: impl std::error::Error + Send + Sync + 'static) -> SignedValueError {
    SignedValueError::Other(Box::new(e))
}

/// Makes attached GB/T 35275 `SignedData` over SM3(Signature.xml), GM/T 0010 OIDs, no signed
/// attributes, signer algorithm SM2-1 (`1.2.156.10197.1.301.1`, the one GB/T 35275 names).
pub struct SignedDataSigner<'a> {
    key: &'a dyn Sm2Signer,
    certificate: Certificate,
    family: OidFamily,
    timestamper: Option<&'a dyn Timestamper>,
}

impl core::fmt::Debug for SignedDataSigner<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignedDataSigner")
            .field("family", &self.family)
            .field("timestamped", &self.timestamper.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> SignedDataSigner<'a> {
    /// Sign with `key`, whose certificate is `certificate`.
    pub fn new(key: &'a dyn Sm2Signer, certificate: Certificate) -> Self {
        SignedDataSigner {
            key,
            certificate,
            family: OidFamily::Gmt0010,
            timestamper: None,
        }
    }

    /// Add an RFC 3161 / GB/T 20520 timestamp over the signature value, in the SignerInfo's
    /// unsigned attribute `id-aa-timeStampToken` (RFC 3161 Appendix A; the value has no signed
    /// attributes, so the token is the only attribute). [`SignedDataVerifier`] verifies it with
    /// its chain verifier, the TSA's path included.
    #[must_use]
    pub fn timestamper(mut self, tsa: &'a dyn Timestamper) -> Self {
        self.timestamper = Some(tsa);
        self
    }

    /// Use PKCS#7 content-type OIDs instead of GM/T 0010's.
    #[must_use]
    pub fn family(mut self, family: OidFamily) -> Self {
        self.family = family;
        self
    }
}

impl SignedValueSigner for SignedDataSigner<'_> {
    fn kind(&self) -> SignatureType {
        SignatureType::Sign
    }

    fn signature_method(&self) -> Option<String> {
        Some(SM2_WITH_SM3.to_owned())
    }

    fn sign(&self, input: &SignInput<'_>) -> Result<Vec<u8>, SignedValueError> {
        let digest = gmseal_sm2::digest::sm3(input.signature_xml);
        let mut signer = CmsSigner::new(self.key, self.certificate.clone())
            .without_signed_attributes()
            .signature_algorithm(Sm2SignatureOid::Sm2Sign, AlgorithmParams::Absent);
        if let Some(tsa) = self.timestamper {
            signer = signer.timestamper(tsa);
        }
        SignedDataBuilder::new(self.family)
            .attached(digest.to_vec())
            .signer(signer)
            .build()
            .map_err(other)
    }
}

/// A time as SES reports write it (`2026-06-01T08:00:00Z`).
fn text_time(t: std::time::SystemTime) -> Option<String> {
    gmseal_cms::der::DateTime::from_system_time(t)
        .ok()
        .map(|d| d.to_string())
}

/// Verifies GB/T 35275 `SignedData` values (attached digest or detached with signed
/// attributes).
#[derive(Default)]
pub struct SignedDataVerifier {
    chain: Option<Box<dyn gmseal_cms::ChainVerifier + Send + Sync>>,
}

impl core::fmt::Debug for SignedDataVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignedDataVerifier")
            .field("chain", &self.chain.is_some())
            .finish()
    }
}

impl SignedDataVerifier {
    /// A verifier without trust anchors (the chain check is reported as not performed).
    pub fn new() -> Self {
        SignedDataVerifier::default()
    }

    /// Validate certificate paths with `chain` (gmseal-cert).
    #[must_use]
    pub fn with_chain_verifier(mut self, chain: impl gmseal_cms::ChainVerifier + 'static) -> Self {
        self.chain = Some(Box::new(chain));
        self
    }

    fn parse<'v>(
        &self,
        value: &'v [u8],
        strictness: Strictness,
    ) -> Result<ParsedSignedData<'v>, SignedValueError> {
        ParsedSignedData::from_der(
            value,
            strictness == Strictness::Lenient,
            &gmseal_cms::Limits::default(),
        )
        .map_err(other)
    }
}

fn map_check(check: &gmseal_cms::Check) -> Option<(CheckKind, Outcome)> {
    let kind = check.kind;
    let k = match kind {
        CmsKind::Signature => CheckKind::SignatureValue,
        CmsKind::MessageDigest => CheckKind::DataHash,
        CmsKind::SignerCertificate
        | CmsKind::CertificateValidity
        | CmsKind::KeyUsage
        | CmsKind::SigningTime => CheckKind::SignerCertificate,
        CmsKind::CertificateChain => CheckKind::CertificateChain,
        CmsKind::Timestamp | CmsKind::TsaCertificate | CmsKind::MessageImprint => {
            CheckKind::Timestamp
        }
        k => CheckKind::Other(k.to_string()),
    };
    // By what the check implies for the signer's verdict (gmseal-cms's classification): an
    // undecidable chain or timestamp (no path, revocation unknown, an indeterminate TSA) is
    // indeterminate; nothing to check (no signingTime, no signed attributes, no keyUsage
    // extension) is not reported.
    let o = match (&check.outcome, check.verdict()) {
        (CmsOutcome::Passed, _) => Outcome::Pass,
        (_, CmsVerdict::Valid) => return None,
        (_, CmsVerdict::Indeterminate) => Outcome::Indeterminate,
        (_, CmsVerdict::Untrusted) => Outcome::Untrusted,
        (_, CmsVerdict::Tampered) => Outcome::Fail,
    };
    Some((k, o))
}

impl SignedValueVerifier for SignedDataVerifier {
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError> {
        let parsed = self.parse(input.signed_value, input.strictness)?;
        let mut options = VerifyOptions {
            strictness: input.strictness,
            ..VerifyOptions::default()
        };
        if let Some(c) = &self.chain {
            options.chain = Some(c.as_ref());
        }
        let attached = parsed.econtent;
        let content = match attached {
            Some(_) => Content::Attached,
            None => Content::Bytes(input.signature_xml),
        };
        let cms = verify_parsed(&parsed, content, &options);
        let mut report = SignedValueReport::new(format!(
            "GB/T 35275 SignedData ({}, {})",
            if attached.is_some() {
                "attached SM3 of Signature.xml"
            } else {
                "detached, messageDigest"
            },
            match parsed.family {
                OidFamily::Gmt0010 => "GM/T 0010 OIDs",
                OidFamily::Pkcs7 => "PKCS#7 OIDs",
            }
        ));
        if input.kind != SignatureType::Sign {
            report.push(
                CheckKind::Algorithm,
                Outcome::Indeterminate,
                "a SignedData value under Type=\"Seal\": there is no seal",
            );
        }
        for s in &cms.signers {
            for c in &s.checks {
                // With attached content the message digest is over the attached digest; the
                // binding to Signature.xml is checked below.
                if let Some((k, o)) = map_check(c) {
                    let k = if attached.is_some() && c.kind == CmsKind::MessageDigest {
                        CheckKind::Other("message digest of the attached content".into())
                    } else {
                        k
                    };
                    report.push(k, o, c.to_string());
                }
            }
            for t in &s.tolerated {
                report.tolerated.push(Deviation::Backend {
                    what: t.to_string(),
                });
            }
            if report.signer.is_none() {
                report.signer = s
                    .certificate
                    .as_ref()
                    .map(|c| c.tbs_certificate().subject().to_string());
                report.signer_certificate = s
                    .certificate
                    .as_ref()
                    .and_then(|c| gmseal_cms::der::Encode::to_der(c).ok());
                report.signing_time = s.signing_time.and_then(text_time);
                // gmseal-cms validates at the genTime of the first token that verified.
                if s.validation_time.1 == TimeSource::Timestamp {
                    report.timestamp = text_time(s.validation_time.0);
                }
            }
        }
        if cms.signers.is_empty() {
            report.push(
                CheckKind::SignatureValue,
                Outcome::Indeterminate,
                "no signer",
            );
        }
        for t in &cms.tolerated {
            report.tolerated.push(Deviation::Backend {
                what: t.to_string(),
            });
        }
        if let Some(e) = attached {
            let want = gmseal_sm2::digest::sm3(input.signature_xml);
            let got = e.digested_bytes();
            let b64 = base64::engine::general_purpose::STANDARD.encode(want);
            if got == want {
                report.push(
                    CheckKind::DataHash,
                    Outcome::Pass,
                    "attached content = SM3(Signature.xml)",
                );
            } else if got == b64.as_bytes() {
                let d = Deviation::Backend {
                    what: "attached content is the base64 text of SM3(Signature.xml)".into(),
                };
                match input.strictness {
                    Strictness::Lenient => {
                        report.tolerated.push(d);
                        report.push(
                            CheckKind::DataHash,
                            Outcome::Pass,
                            "base64 of SM3(Signature.xml)",
                        );
                    }
                    Strictness::Strict => report.push(
                        CheckKind::DataHash,
                        Outcome::Indeterminate,
                        "attached content is base64 text (lenient mode accepts it)",
                    ),
                }
            } else {
                report.push(
                    CheckKind::DataHash,
                    Outcome::Fail,
                    "attached content is not SM3(Signature.xml)",
                );
            }
        }
        Ok(report)
    }
}

/// The default `Type="Sign"` verifier: GB/T 35275 `SignedData`, or a bare SM2 signature
/// (verified against the keys given).
#[derive(Debug, Default)]
pub struct SignVerifier {
    cms: SignedDataVerifier,
    raw: RawSm2Verifier,
}

impl SignVerifier {
    /// No trust anchors, no keys for bare signatures.
    pub fn new() -> Self {
        SignVerifier::default()
    }

    /// Accept bare SM2 signatures by `key`.
    #[must_use]
    pub fn with_key(mut self, key: PublicKey) -> Self {
        self.raw = self.raw.with_key(key);
        self
    }

    /// The SignedData verifier to use (for its chain verifier).
    #[must_use]
    pub fn signed_data(mut self, v: SignedDataVerifier) -> Self {
        self.cms = v;
        self
    }
}

impl SignedValueVerifier for SignVerifier {
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError> {
        match self.cms.verify(input) {
            Ok(r) => Ok(r),
            Err(cms_err) => {
                self.raw
                    .verify(input)
                    .map_err(|raw_err| SignedValueError::Unsupported {
                        what: format!(
                            "neither SignedData ({cms_err}) nor a bare SM2 signature ({raw_err})"
                        ),
                    })
            }
        }
    }
}
