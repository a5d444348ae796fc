//! `Type="Seal"`: `SignedValue.dat` is a DER `SES_Signature` (GB/T 38540-2020 §6 v4, or
//! GM/T 0031-2014 v1), made and checked by `gmseal-ses`.
//!
//! What the OFD layer asks of the seal signature (GB/T 33190 §18, as every known writer does):
//! `dataHash` = SM3 of the exact bytes of Signature.xml, and `propertyInfo` = the absolute path
//! of that Signature.xml. The seal is also written as `Seal.esl` (named by `Seal/BaseLoc` and
//! protected by a reference), and the verifier checks that file equals the seal inside the
//! signature, as ofdrw's verifier does.
//!
//! The version of the signature is the version of the seal: a GB/T 38540 (v4) seal, which
//! `gmseal_ses::SealBuilder` makes by default, gives a v4 signature; a GM/T 0031 (v1) seal, made
//! with `SealBuilder::version(SesVersion::V1)` or read from an old `.esl`, gives a v1 one.

use std::time::SystemTime;

use gmseal_ses::verify::{
    ChainVerifier, Outcome as SesOutcome, SignedContent, Step, TimestampVerifier, VerifyOptions,
};
use gmseal_ses::{Seal, SealSignature, SignatureBuilder, Timestamper};
use gmseal_sm2::encoding::SignatureFormat;
use gmseal_sm2::{Sm2Signer, Strictness};

use super::raw_sm2::SM2_WITH_SM3;
use super::{SignInput, SignedValueSigner, SignedValueVerifier, VerifyInput};
use crate::error::SignedValueError;
use crate::report::{CheckKind, Deviation, Outcome, SealPicture, SignedValueReport};
use crate::xml::signatures::SignatureType;

fn other(e: impl std::error::Error + Send + Sync + 'static) -> SignedValueError {
    SignedValueError::Other(Box::new(e))
}

/// Makes `SES_Signature` values with a seal, the holder's certificate and key.
pub struct SesSigner<'a> {
    seal: &'a Seal,
    certificate: Vec<u8>,
    key: &'a dyn Sm2Signer,
    format: SignatureFormat,
    timestamper: Option<&'a dyn Timestamper>,
    seal_file: bool,
}

impl core::fmt::Debug for SesSigner<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SesSigner")
            .field("version", &self.seal.version())
            .field("es_id", &self.seal.es_id())
            .field("format", &self.format)
            .field("seal_file", &self.seal_file)
            .finish_non_exhaustive()
    }
}

impl<'a> SesSigner<'a> {
    /// Sign with `seal` as the holder of `certificate` (DER), whose key is `key` (a software
    /// key, an SKF container, a remote service).
    pub fn new(seal: &'a Seal, certificate: impl Into<Vec<u8>>, key: &'a dyn Sm2Signer) -> Self {
        SesSigner {
            seal,
            certificate: certificate.into(),
            key,
            format: SignatureFormat::Der,
            timestamper: None,
            seal_file: true,
        }
    }

    /// Write the signer's signature as raw `r‖s` instead of DER (interoperability only).
    #[must_use]
    pub fn signature_format(mut self, format: SignatureFormat) -> Self {
        self.format = format;
        self
    }

    /// Put an RFC 3161 / GB/T 20520 timestamp over the signature value.
    #[must_use]
    pub fn timestamper(mut self, t: &'a dyn Timestamper) -> Self {
        self.timestamper = Some(t);
        self
    }

    /// Leave the seal out of the package (no `Seal.esl`, no `Seal` element), as e-invoice
    /// signers do; it is still inside the signed value.
    #[must_use]
    pub fn without_seal_file(mut self) -> Self {
        self.seal_file = false;
        self
    }
}

impl SignedValueSigner for SesSigner<'_> {
    fn kind(&self) -> SignatureType {
        SignatureType::Seal
    }

    fn signature_method(&self) -> Option<String> {
        Some(SM2_WITH_SM3.to_owned())
    }

    fn seal_file(&self) -> Option<Vec<u8>> {
        self.seal_file.then(|| self.seal.as_der().to_vec())
    }

    fn sign(&self, input: &SignInput<'_>) -> Result<Vec<u8>, SignedValueError> {
        let time = gmseal_ses::der::DateTime::from_system_time(input.time).map_err(other)?;
        let mut b = SignatureBuilder::new(self.seal, self.certificate.clone())
            .data(input.signature_xml)
            .property_info(input.signature_path.to_loc())
            .time(time)
            .signature_format(self.format);
        if let Some(t) = self.timestamper {
            b = b.timestamper(t);
        }
        Ok(b.sign(self.key).map_err(other)?.as_der().to_vec())
    }
}

/// Verifies `SES_Signature` values with `gmseal-ses` (every step of GB/T 38540 §7) plus the
/// OFD bindings: `dataHash` over Signature.xml, `propertyInfo`, and the Seal.esl file.
#[derive(Default)]
pub struct SesVerifier {
    chain: Option<Box<dyn ChainVerifier + Send + Sync>>,
    timestamp: Option<Box<dyn TimestampVerifier + Send + Sync>>,
    fallback_time: Option<SystemTime>,
    cache: Option<gmseal_cert::VerifyCache>,
}

impl core::fmt::Debug for SesVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SesVerifier")
            .field("chain", &self.chain.is_some())
            .field("timestamp", &self.timestamp.is_some())
            .field("fallback_time", &self.fallback_time)
            .field("cache", &self.cache)
            .finish()
    }
}

impl SesVerifier {
    /// A verifier without trust anchors: the chain steps are reported as not performed, so the
    /// best verdict is indeterminate until a chain verifier is given.
    pub fn new() -> Self {
        SesVerifier::default()
    }

    /// Check certificate chains and revocation with `chain` (gmseal-cert's verifier).
    #[must_use]
    pub fn with_chain_verifier(mut self, chain: impl ChainVerifier + 'static) -> Self {
        self.chain = Some(Box::new(chain));
        self
    }

    /// Verify the timestamps of the signature (`SES_Signature.timeStamp`) and of the seal (v5)
    /// with `timestamp`: [`CertChain`](crate::trust::CertChain) (gmseal-ses's
    /// `TimestampTokenVerifier` over its trust store) or any other implementation. Without one
    /// a present timestamp is reported "present, not verified", which keeps the signature from
    /// being Valid; a trusted one is the proof-of-existence time the signer's chain is
    /// validated at (GB/T 38540-2020 §7, see `gmseal_ses::verify::verify`).
    #[must_use]
    pub fn with_timestamp_verifier(mut self, timestamp: impl TimestampVerifier + 'static) -> Self {
        self.timestamp = Some(Box::new(timestamp));
        self
    }

    /// The time to check validities at when the signature's own time cannot be read.
    #[must_use]
    pub fn with_fallback_time(mut self, t: SystemTime) -> Self {
        self.fallback_time = Some(t);
        self
    }

    /// Share `cache` with the other verifications of a batch (see
    /// `gmseal_ses::verify::VerifyOptions::cache`).
    #[must_use]
    pub fn with_cache(mut self, cache: gmseal_cert::VerifyCache) -> Self {
        self.cache = Some(cache);
        self
    }
}

fn kind_of(step: Step) -> CheckKind {
    match step {
        Step::SignerSignature => CheckKind::SignatureValue,
        Step::DataHash => CheckKind::DataHash,
        Step::MakerSignature => CheckKind::SealMakerSignature,
        Step::SealValidity => CheckKind::SealValidity,
        Step::SignerCertificate => CheckKind::SignerCertificate,
        Step::SignerChain | Step::MakerChain => CheckKind::CertificateChain,
        Step::Timestamp | Step::SealTimestamp => CheckKind::Timestamp,
        s => CheckKind::Other(s.to_string()),
    }
}

fn outcome_of(o: &SesOutcome) -> Outcome {
    use gmseal_ses::verify::Verdict as V;
    match o.class() {
        V::Valid => Outcome::Pass,
        V::Indeterminate => Outcome::Indeterminate,
        // A broken rule of the standard with intact signatures (an expired certificate or
        // seal, a signer not bound to the seal) and a rejected chain: the signer or the seal is
        // not to be trusted.
        V::Untrusted | V::Invalid => Outcome::Untrusted,
        V::Tampered => Outcome::Fail,
    }
}

impl SignedValueVerifier for SesVerifier {
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError> {
        // A value strict decoding refuses but lenient decoding reads is a deviation (strict mode:
        // indeterminate, with every other check still made), not unreadable garbage.
        let (sig, refused) =
            match SealSignature::from_der_with(input.signed_value, input.strictness) {
                Ok(sig) => (sig, None),
                Err(strict) if input.strictness == Strictness::Strict => {
                    match SealSignature::from_der_with(input.signed_value, Strictness::Lenient) {
                        Ok(sig) => (sig, Some(strict)),
                        Err(_) => return Err(other(strict)),
                    }
                }
                Err(e) => return Err(other(e)),
            };
        let mut options = VerifyOptions::default().with_strictness(input.strictness);
        if let Some(c) = &self.chain {
            options = options.with_chain_verifier(c.as_ref());
        }
        if let Some(c) = &self.cache {
            options = options.with_cache(c.clone());
        }
        if let Some(t) = &self.timestamp {
            options = options.with_timestamp_verifier(t.as_ref());
        }
        if let Some(t) = self.fallback_time
            && let Ok(t) = gmseal_ses::der::DateTime::from_system_time(t)
        {
            options = options.with_fallback_time(t);
        }
        let ses =
            gmseal_ses::verify::verify(&sig, SignedContent::Bytes(input.signature_xml), &options);
        let mut report = SignedValueReport::new(format!("SES_Signature {}", sig.version()));
        if let Some(e) = refused {
            report.push(
                CheckKind::Other("structure".into()),
                Outcome::Indeterminate,
                format!("decodes only in lenient mode: {e}"),
            );
        }
        if input.kind != SignatureType::Seal {
            report.push(
                CheckKind::Algorithm,
                Outcome::Indeterminate,
                "an SES seal signature under Type=\"Sign\"",
            );
        }
        for c in &ses.checks {
            // Nothing to report for the structure (decoded above) or for a timestamp that is
            // not there.
            if c.step == Step::Structure || c.outcome == SesOutcome::NotApplicable {
                continue;
            }
            report.push(
                kind_of(c.step),
                outcome_of(&c.outcome),
                format!("{}: {}", c.step, c.outcome),
            );
        }

        // propertyInfo names this Signature.xml.
        let want = input.signature_path.to_loc();
        let got = sig.property_info();
        if got == want {
            report.push(CheckKind::PropertyInfo, Outcome::Pass, got.to_owned());
        } else if got
            .trim_start_matches('/')
            .eq_ignore_ascii_case(want.trim_start_matches('/'))
        {
            let d = Deviation::Backend {
                what: format!("propertyInfo {got:?} names {want} in another form"),
            };
            match input.strictness {
                Strictness::Lenient => report.tolerated.push(d),
                Strictness::Strict => report.push(
                    CheckKind::PropertyInfo,
                    Outcome::Indeterminate,
                    format!("propertyInfo {got:?} is not {want:?}"),
                ),
            }
        } else {
            report.push(
                CheckKind::PropertyInfo,
                Outcome::Indeterminate,
                format!("propertyInfo {got:?} does not name this Signature.xml ({want})"),
            );
        }

        // Seal.esl is the seal inside the signature.
        if let Some(file) = input.seal_file {
            if file == sig.seal().as_der() {
                report.push(
                    CheckKind::SealFile,
                    Outcome::Pass,
                    "equals the seal in the signature",
                );
            } else {
                report.push(
                    CheckKind::SealFile,
                    Outcome::Fail,
                    "the seal file differs from the seal inside the signed value",
                );
            }
        }

        let seal = sig.seal();
        let picture = seal.picture();
        report.picture = Some(SealPicture::new(
            picture.declared_type.clone(),
            picture.data.to_vec(),
            picture.width_mm as f64,
            picture.height_mm as f64,
        ));
        report.seal_name = Some(seal.name());
        report.seal_id = Some(seal.es_id().to_owned());
        report.signer_certificate = Some(sig.signer_certificate().to_vec());
        report.signer = ses.signer.as_ref().map(|s| s.subject.clone());
        report.signing_time = ses.signing_time.map(|t| t.to_string());
        report.timestamp = ses.proof_of_existence().map(|t| t.to_string());
        for d in &ses.deviations {
            report.tolerated.push(Deviation::Backend {
                what: d.to_string(),
            });
        }
        Ok(report)
    }
}
