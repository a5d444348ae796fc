//! Format A: a detached SM2 CMS `SignedData` (GM/T 0010 / GB/T 35275, gmseal-cms) in
//! `/Contents`, under `/Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached`
//! (ISO 32000-1 §12.8.3.3). The SM3 digest of the byte ranges is the `messageDigest` signed
//! attribute; `/M` is the `signingTime` attribute.
//!
//! ```
//! use gmseal_pdf::cms::{CmsContents, CmsVerifier};
//! use gmseal_pdf::{SignOptions, VerifyOptions, Verdict};
//! # let (key, cert) = gmseal_cms::test_support::self_signed("CN=Signer").unwrap();
//! # let pdf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/pdf/attacks/valid.pdf")).unwrap();
//! let signed = gmseal_pdf::sign(pdf, &CmsContents::new(&key, cert), &SignOptions::new())?;
//! let verifier = CmsVerifier::new(gmseal_cms::VerifyOptions::default());
//! let report = gmseal_pdf::verify_bytes(&signed, &VerifyOptions::new().verifier(&verifier))?;
//! let last = report.signatures.last().unwrap();
//! // Intact and verified; no trust anchors were given, so the chain is not checked.
//! assert_eq!(last.verdict, Verdict::Indeterminate);
//! assert!(last.failures().next().is_none());
//! # Ok::<(), gmseal_pdf::Error>(())
//! ```

use gmseal_cms::x509_cert::Certificate;
use gmseal_cms::{
    CmsSigner, Content, ContentDigest, OidFamily, SignedDataBuilder, Timestamper,
    verify_signed_data,
};
use gmseal_sm2::Sm2Signer;

use crate::container::{
    ContainerReport, ContentsRequest, ContentsSigner, ContentsVerifier, Format, SigFilter,
    VerifyRequest,
};
use crate::error::ContainerError;
use crate::report::{Check, CheckKind, Outcome};

/// Room for the CMS structure around the certificates (attributes, algorithm identifiers,
/// signature).
const CMS_OVERHEAD: usize = 2048;
/// Room for a timestamp token when the timestamper announces no bound
/// ([`Timestamper::max_token_len`]; an HTTP TSA cannot): an RSA TSA's token with its chain is a
/// few kilobytes. Larger tokens need [`CmsContents::reserve`].
const TIMESTAMP_ROOM: usize = 12 * 1024;
/// The unsigned attribute around the token (`SEQUENCE { OID, SET { token } }` and the
/// `[1] IMPLICIT SET` of unsigned attributes).
const TOKEN_ATTRIBUTE: usize = 32;

/// Makes format A `/Contents`.
pub struct CmsContents<'a> {
    signer: &'a dyn Sm2Signer,
    certificate: Certificate,
    family: OidFamily,
    filter: SigFilter,
    timestamper: Option<&'a dyn Timestamper>,
    reserve: Option<usize>,
}

impl core::fmt::Debug for CmsContents<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CmsContents")
            .field("filter", &self.filter)
            .field("timestamped", &self.timestamper.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> CmsContents<'a> {
    /// Sign with `signer` (a software key, an SKF device, ...) whose certificate is
    /// `certificate`; PKCS#7 content-type OIDs, `adbe.pkcs7.detached`.
    pub fn new(signer: &'a dyn Sm2Signer, certificate: Certificate) -> Self {
        CmsContents {
            signer,
            certificate,
            family: OidFamily::Pkcs7,
            filter: SigFilter::adobe_pkcs7_detached(),
            timestamper: None,
            reserve: None,
        }
    }

    /// GM/T 0010 content-type OIDs instead of PKCS#7's.
    #[must_use]
    pub fn oid_family(mut self, family: OidFamily) -> Self {
        self.family = family;
        self
    }

    /// Other `/Filter` and `/SubFilter` names (e.g. [`SigFilter::etsi_cades_detached`]).
    #[must_use]
    pub fn sig_filter(mut self, filter: SigFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Add an RFC 3161 / GB/T 20520 timestamp over the signature value: the token goes in
    /// the unsigned attribute `id-aa-timeStampToken` of the SignerInfo (RFC 3161 Appendix A).
    /// `/Contents` reserves [`Timestamper::max_token_len`] for it when the timestamper knows a
    /// bound (gmseal-cms's `LocalTsa` does), 12 KiB otherwise.
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

impl ContentsSigner for CmsContents<'_> {
    fn sig_filter(&self) -> SigFilter {
        self.filter.clone()
    }

    fn max_contents_len(&self) -> usize {
        self.reserve.unwrap_or_else(|| {
            let cert = der::Encode::encoded_len(&self.certificate)
                .ok()
                .and_then(|l| usize::try_from(u32::from(l)).ok())
                .unwrap_or(4096);
            CMS_OVERHEAD
                + cert
                + self.timestamper.map_or(0, |t| {
                    t.max_token_len().unwrap_or(TIMESTAMP_ROOM) + TOKEN_ATTRIBUTE
                })
        })
    }

    fn sign(&self, request: &ContentsRequest<'_>) -> Result<Vec<u8>, ContainerError> {
        let mut signer = CmsSigner::new(self.signer, self.certificate.clone())
            .signing_time(Some(request.signing_time));
        if let Some(tsa) = self.timestamper {
            signer = signer.timestamper(tsa);
        }
        Ok(SignedDataBuilder::new(self.family)
            .detached(ContentDigest(request.digest))
            .signer(signer)
            .build()?)
    }
}

/// Verifies format A `/Contents` with gmseal-cms.
pub struct CmsVerifier<'a> {
    options: gmseal_cms::VerifyOptions<'a>,
}

impl core::fmt::Debug for CmsVerifier<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CmsVerifier").finish_non_exhaustive()
    }
}

impl<'a> CmsVerifier<'a> {
    /// With gmseal-cms's options (trust anchors through `chain`, strictness, time).
    pub fn new(options: gmseal_cms::VerifyOptions<'a>) -> Self {
        CmsVerifier { options }
    }
}

fn kind(k: gmseal_cms::CheckKind) -> CheckKind {
    use gmseal_cms::CheckKind as C;
    match k {
        C::MessageDigest => CheckKind::Digest,
        C::Signature => CheckKind::Signature,
        C::ContentType => CheckKind::Format,
        C::SigningTime => CheckKind::SigningTime,
        C::CertificateChain => CheckKind::CertificateChain,
        C::Timestamp | C::TsaCertificate | C::MessageImprint => CheckKind::Timestamp,
        _ => CheckKind::Certificate,
    }
}

/// A gmseal-cms check as a PDF check outcome, by what it implies for the verdict: an
/// undecidable chain or timestamp (issuer missing, revocation unknown, TSA not decidable) is
/// not checked, not a failure (decision 30); nothing to check (no keyUsage extension, no
/// signingTime) is a note.
fn outcome(c: &gmseal_cms::Check) -> Outcome {
    match (&c.outcome, c.verdict()) {
        (gmseal_cms::Outcome::Passed, _) => Outcome::Pass,
        (_, gmseal_cms::Verdict::Valid) => Outcome::Warn,
        (_, gmseal_cms::Verdict::Indeterminate) => Outcome::NotChecked,
        _ => Outcome::Fail,
    }
}

impl ContentsVerifier for CmsVerifier<'_> {
    fn accepts(&self, format: Format, _sub_filter: Option<&[u8]>) -> bool {
        format == Format::Cms
    }

    fn verify(&self, request: &VerifyRequest<'_>) -> ContainerReport {
        let report = match verify_signed_data(
            request.contents,
            Content::Digest(ContentDigest(request.digest)),
            &self.options,
        ) {
            Ok(r) => r,
            Err(e) => {
                return ContainerReport::new(vec![Check::fail(
                    CheckKind::Signature,
                    format!("the CMS SignedData cannot be read: {e}"),
                )]);
            }
        };
        let mut checks = Vec::new();
        let mut out = ContainerReport::default();
        if report.signers.is_empty() {
            checks.push(Check::fail(
                CheckKind::Signature,
                "the SignedData has no signer",
            ));
        }
        for (i, s) in report.signers.iter().enumerate() {
            for c in &s.checks {
                let outcome = outcome(c);
                let why = match &c.outcome {
                    gmseal_cms::Outcome::Passed => format!("CMS signer {i}: {:?} passed", c.kind),
                    gmseal_cms::Outcome::Failed(f) => format!("CMS signer {i}: {:?}: {f}", c.kind),
                    gmseal_cms::Outcome::NotPerformed(n) => {
                        format!("CMS signer {i}: {:?} not performed: {n}", c.kind)
                    }
                };
                checks.push(Check::new(kind(c.kind), outcome, why));
            }
            for t in &s.tolerated {
                checks.push(Check::new(
                    CheckKind::Signature,
                    Outcome::Warn,
                    format!("tolerated: {t:?}"),
                ));
            }
            if out.signer.is_none() {
                out.signer = s
                    .certificate
                    .as_ref()
                    .map(|c| c.tbs_certificate().subject().to_string());
                out.signer_certificate = s
                    .certificate
                    .as_ref()
                    .and_then(|c| der::Encode::to_der(c).ok());
                out.signing_time = s.signing_time;
                // gmseal-cms validates at the genTime of the first token that verified (with a
                // trusted TSA when a chain verifier is configured).
                if s.validation_time.1 == gmseal_cms::TimeSource::Timestamp {
                    out.timestamp = Some(s.validation_time.0);
                }
            }
        }
        out.checks = checks;
        out
    }
}
