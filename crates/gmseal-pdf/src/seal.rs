//! Format B: a GB/T 38540 `SES_Signature` (gmseal-ses) directly in `/Contents`, its `dataHash`
//! the SM3 digest of the byte ranges, under `/Filter /GM.PKILite /SubFilter /GM.sm2seal` by
//! default (the vendor names of [`SigFilter`] are accepted on verification).
//!
//! The seal's own picture (`SES_ESPictrueInfo`, GB/T 38540-2020 §5.4: PNG or JPEG with its
//! size in millimetres) is what the signature shows: [`seal_picture`].
//!
//! ```
//! use gmseal_pdf::seal::{SealContents, SealVerifier, seal_picture};
//! use gmseal_pdf::{Placement, SignOptions, VerifyOptions};
//! use der::{DateTime, Encode};
//! # let (maker_key, maker_cert) = gmseal_cms::test_support::self_signed("CN=Maker")?;
//! # let (holder_key, holder_cert) = gmseal_cms::test_support::self_signed("CN=Holder")?;
//! # let (maker_cert, holder_cert) = (maker_cert.to_der()?, holder_cert.to_der()?);
//! # let pdf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/pdf/attacks/valid.pdf"))?;
//! # let (now, year) = (std::time::SystemTime::now(), std::time::Duration::from_secs(300 * 86400));
//! // The seal, made by the seal maker, with the holder's certificate and a 40 mm picture.
//! let seal = gmseal_ses::SealBuilder::new("3301020000001", "合同专用章", maker_cert)
//!     .holder_certificate(holder_cert.clone())
//!     .validity(DateTime::from_system_time(now)?, DateTime::from_system_time(now + year)?)
//!     .picture("PNG", gmseal_pdf::image::test_png(64, 64), 40, 40)
//!     .sign(&maker_key)?;
//! // The holder seals page 1 with the seal's own picture.
//! let options = SignOptions::new().seal(seal_picture(&seal)?, Placement::new(1, 60.0, 60.0));
//! let signed = gmseal_pdf::sign(pdf, &SealContents::new(&seal, &holder_key, holder_cert), &options)?;
//! let verifier = SealVerifier::new(gmseal_ses::verify::VerifyOptions::default());
//! let report = gmseal_pdf::verify_bytes(&signed, &VerifyOptions::new().verifier(&verifier))?;
//! assert!(report.signatures.last().unwrap().failures().next().is_none(), "{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::time::SystemTime;

use gmseal_ses::picture::PictureFormat;
use gmseal_ses::verify::Verdict;
use gmseal_ses::verify::{SignedContent, Step, verify};
use gmseal_ses::{Seal, SealSignature, SignatureBuilder, Timestamper};
use gmseal_sm2::Sm2Signer;

use crate::container::{
    ContainerReport, ContentsRequest, ContentsSigner, ContentsVerifier, Format, SigFilter,
    VerifyRequest,
};
use crate::error::ContainerError;
use crate::image::{ImageError, SealImage};
use crate::report::{Check, CheckKind, Outcome, SealInfo};

/// Room for the signature structure around the seal and the certificate.
const SES_OVERHEAD: usize = 2048;
/// Room for a timestamp token when the timestamper announces no bound
/// ([`Timestamper::max_token_len`]); larger tokens need [`SealContents::reserve`].
const TIMESTAMP_ROOM: usize = 12 * 1024;
/// The `timeStamp` field's own tag and length (`[0] EXPLICIT BIT STRING` in v4).
const TOKEN_FIELD: usize = 16;

/// Makes format B `/Contents`: a `SES_Signature` over the digest of the byte ranges.
pub struct SealContents<'a> {
    seal: &'a Seal,
    signer: &'a dyn Sm2Signer,
    certificate: Vec<u8>,
    filter: SigFilter,
    property_info: Option<String>,
    timestamper: Option<&'a dyn Timestamper>,
    reserve: Option<usize>,
}

impl core::fmt::Debug for SealContents<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SealContents")
            .field("filter", &self.filter)
            .finish_non_exhaustive()
    }
}

impl<'a> SealContents<'a> {
    /// Sign with `seal`, as its holder: `signer` (software key, SKF device, ...) with its DER
    /// `certificate`.
    pub fn new(seal: &'a Seal, signer: &'a dyn Sm2Signer, certificate: impl Into<Vec<u8>>) -> Self {
        SealContents {
            seal,
            signer,
            certificate: certificate.into(),
            filter: SigFilter::gm_sm2seal(),
            property_info: None,
            timestamper: None,
            reserve: None,
        }
    }

    /// Other `/Filter` and `/SubFilter` names (e.g. [`SigFilter::foxit_sm`]).
    #[must_use]
    pub fn sig_filter(mut self, filter: SigFilter) -> Self {
        self.filter = filter;
        self
    }

    /// `propertyInfo` of `TBS_Sign` (no convention exists for PDF; default: gmseal-ses's).
    #[must_use]
    pub fn property_info(mut self, info: impl Into<String>) -> Self {
        self.property_info = Some(info.into());
        self
    }

    /// A timestamp over the signature value, in `SES_Signature.timeStamp` (GB/T 38540-2020
    /// §6; gmseal-ses's `TsaTimestamper` gets it from any gmseal-cms TSA). `/Contents`
    /// reserves [`Timestamper::max_token_len`] for it when known, 12 KiB otherwise.
    #[must_use]
    pub fn timestamper(mut self, tsa: &'a dyn Timestamper) -> Self {
        self.timestamper = Some(tsa);
        self
    }

    /// Bytes to reserve for `/Contents` instead of the estimate.
    #[must_use]
    pub fn reserve(mut self, bytes: usize) -> Self {
        self.reserve = Some(bytes);
        self
    }
}

impl ContentsSigner for SealContents<'_> {
    fn sig_filter(&self) -> SigFilter {
        self.filter.clone()
    }

    fn max_contents_len(&self) -> usize {
        self.reserve.unwrap_or_else(|| {
            SES_OVERHEAD
                + self.seal.as_der().len()
                + self.certificate.len()
                + self.property_info.as_ref().map_or(64, String::len)
                + self.timestamper.map_or(0, |t| {
                    t.max_token_len().unwrap_or(TIMESTAMP_ROOM) + TOKEN_FIELD
                })
        })
    }

    fn sign(&self, request: &ContentsRequest<'_>) -> Result<Vec<u8>, ContainerError> {
        let time = der::DateTime::from_system_time(request.signing_time)?;
        let mut b = SignatureBuilder::new(self.seal, self.certificate.clone())
            .data_hash(request.digest)
            .time(time);
        if let Some(p) = &self.property_info {
            b = b.property_info(p.clone());
        }
        if let Some(t) = self.timestamper {
            b = b.timestamper(t);
        }
        Ok(b.sign(self.signer)?.as_der().to_vec())
    }
}

/// What the report shows of a seal.
fn seal_info(seal: &Seal) -> SealInfo {
    let picture = seal.picture();
    SealInfo {
        es_id: seal.es_id().to_owned(),
        name: seal.name(),
        seal_type: seal.seal_type(),
        vendor_id: seal.header().vid.to_string(),
        picture_type: picture.declared_type.clone(),
        picture: picture.data.to_vec(),
        width_mm: picture.width_mm,
        height_mm: picture.height_mm,
    }
}

/// The seal's picture and size, ready for [`SignOptions::seal`](crate::SignOptions::seal).
///
/// # Errors
/// [`ImageError::UnknownFormat`] for pictures that are neither PNG nor JPEG (SVG, OFD, BMP,
/// GIF need converting first), or the image errors.
pub fn seal_picture(seal: &Seal) -> Result<SealImage, ImageError> {
    let p = seal.picture();
    match p.sniffed {
        PictureFormat::Png | PictureFormat::Jpeg => {
            SealImage::from_bytes(p.data, p.width_mm as f64, p.height_mm as f64)
        }
        _ => Err(ImageError::UnknownFormat),
    }
}

/// Verifies format B `/Contents` with gmseal-ses (GB/T 38540 §7: signer and maker
/// signatures, certificates, seal validity, binding, `dataHash`).
pub struct SealVerifier<'a> {
    options: gmseal_ses::verify::VerifyOptions<'a>,
}

impl core::fmt::Debug for SealVerifier<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SealVerifier").finish_non_exhaustive()
    }
}

impl<'a> SealVerifier<'a> {
    /// With gmseal-ses's options (trust anchors through `chain`, strictness).
    pub fn new(options: gmseal_ses::verify::VerifyOptions<'a>) -> Self {
        SealVerifier { options }
    }
}

fn kind(s: Step) -> CheckKind {
    match s {
        Step::Structure => CheckKind::Format,
        Step::SignerSignature => CheckKind::Signature,
        Step::DataHash => CheckKind::Digest,
        Step::SignerCertificate | Step::MakerCertificate => CheckKind::Certificate,
        Step::SignerChain | Step::MakerChain => CheckKind::CertificateChain,
        Step::Timestamp | Step::SealTimestamp => CheckKind::Timestamp,
        _ => CheckKind::Seal,
    }
}

impl ContentsVerifier for SealVerifier<'_> {
    fn accepts(&self, format: Format, _sub_filter: Option<&[u8]>) -> bool {
        format == Format::Seal
    }

    fn verify(&self, request: &VerifyRequest<'_>) -> ContainerReport {
        let sig = match SealSignature::from_der_with(request.contents, self.options.strictness) {
            Ok(sig) => sig,
            Err(e) => {
                return ContainerReport::new(vec![Check::fail(
                    CheckKind::Signature,
                    format!("the SES_Signature cannot be read: {e}"),
                )]);
            }
        };
        let report = verify(&sig, SignedContent::Sm3(request.digest), &self.options);
        let mut out = ContainerReport::default();
        for c in &report.checks {
            // By what the step implies for the verdict: an undecidable chain or timestamp
            // (issuer missing, revocation unknown, revoked after an unproven claimed time) is
            // not checked rather than failed (decisions 30 and 31).
            let outcome = match &c.outcome {
                gmseal_ses::verify::Outcome::NotApplicable => continue,
                gmseal_ses::verify::Outcome::Passed => Outcome::Pass,
                o => match o.class() {
                    Verdict::Valid => Outcome::Pass,
                    Verdict::Indeterminate => Outcome::NotChecked,
                    _ => Outcome::Fail,
                },
            };
            out.checks.push(Check::new(
                kind(c.step),
                outcome,
                format!("{}: {}", c.step, c.outcome),
            ));
        }
        for d in &report.deviations {
            out.checks.push(Check::new(
                CheckKind::Format,
                Outcome::Warn,
                format!("tolerated: {d}"),
            ));
        }
        out.signer = report.signer.as_ref().map(|s| s.subject.clone());
        let to_system = |t: der::DateTime| SystemTime::UNIX_EPOCH.checked_add(t.unix_duration());
        out.signing_time = report.signing_time.and_then(to_system);
        out.timestamp = report.proof_of_existence().and_then(to_system);
        out.signer_certificate = Some(sig.signer_certificate().to_vec());
        out.seal = Some(seal_info(sig.seal()));
        out
    }
}
