//! A parsed SM2 certificate that keeps its bytes: the signed part is verified exactly as
//! received (GM/T 0015 / RFC 5280 §4.1).

mod extensions;

use core::fmt;
use core::ops::Range;

use der::flagset::FlagSet;
use der::referenced::OwnedToRef;
use der::{DateTime, Decode, Reader, SliceReader, Tag, TagNumber};
use gmseal_sm2::key::KeyNote;
use gmseal_sm2::{KeyError, PublicKey};
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsages;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

pub use extensions::{CertExtensions, Ext, ExtensionDeviation, key_usage_names};

use crate::cache::VerifyCache;
use crate::error::{Error, Result, Structure};
use crate::name::{display_name, names_match};
use crate::signature::{
    SignatureAlgorithm, SignatureFailure, SignatureOk, SignaturePolicy, verify_signed_bytes,
};

/// Certificates larger than this are refused (real SM2 certificates are 0.5–3 KiB).
pub const MAX_CERTIFICATE_LEN: usize = 256 * 1024;

/// A certificate: the DER as received, the decoded structure, the byte ranges that are
/// signed, its extensions and its SM2 public key.
///
/// ```
/// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/certs/nrcac-ca/ROOTCA_NRCAC_root_sm2.pem")).unwrap();
/// use gmseal_cert::{Cert, SignaturePolicy};
/// let root = Cert::from_pem_or_der(&pem).unwrap();
/// assert_eq!(root.summary().subject, "C=CN,O=NRCAC,CN=ROOTCA");
/// assert!(root.is_ca());
/// // Self-signed: it verifies under its own key.
/// root.verify_signed_by(root.public_key().unwrap(), &SignaturePolicy::STRICT).unwrap();
/// ```
#[derive(Clone)]
pub struct Cert {
    der: Vec<u8>,
    cert: Certificate,
    tbs: Range<usize>,
    inner_alg: Range<usize>,
    outer_alg: Range<usize>,
    signature_algorithm: SignatureAlgorithm,
    extensions: CertExtensions,
    public_key: core::result::Result<PublicKey, KeyError>,
    key_notes: Vec<KeyNote>,
}

impl fmt::Debug for Cert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cert")
            .field("subject", &display_name(self.subject()))
            .field("issuer", &display_name(self.issuer()))
            .field("serial", &self.serial_hex())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Cert {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Cert {}

impl Cert {
    /// Parse a DER certificate.
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::Der`] (truncated, trailing data, wrong structure),
    /// [`Error::DuplicateExtension`] or [`Error::MalformedExtension`] for a known extension
    /// that does not decode. A key that is not SM2 is not an error here (see
    /// [`public_key`](Self::public_key)).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        if der.len() > MAX_CERTIFICATE_LEN {
            return Err(Error::TooLarge {
                what: Structure::Certificate,
                len: der.len(),
                limit: MAX_CERTIFICATE_LEN,
            });
        }
        let cert = Certificate::from_der(der).map_err(Error::der(Structure::Certificate))?;
        let (tbs, inner_alg, outer_alg) =
            signed_ranges(der).map_err(Error::der(Structure::Certificate))?;
        let signature_algorithm = SignatureAlgorithm::classify(cert.signature_algorithm());
        let extensions = CertExtensions::decode(
            cert.tbs_certificate()
                .extensions()
                .map(|e| e.as_slice())
                .unwrap_or(&[]),
        )?;
        let (public_key, key_notes) = match gmseal_sm2::key::public_key_from_spki(
            &cert
                .tbs_certificate()
                .subject_public_key_info()
                .owned_to_ref(),
        ) {
            Ok(k) => (Ok(k.key), k.notes),
            Err(e) => (Err(e), Vec::new()),
        };
        Ok(Cert {
            der: der.to_vec(),
            cert,
            tbs,
            inner_alg,
            outer_alg,
            signature_algorithm,
            extensions,
            public_key,
            key_notes,
        })
    }

    /// Parse one certificate from PEM (the first `CERTIFICATE` block) or DER.
    ///
    /// # Errors
    /// As [`from_der`](Self::from_der), [`Error::Pem`], or [`Error::NothingFound`].
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self> {
        parse_certificates(input)?
            .into_iter()
            .next()
            .ok_or(Error::NothingFound {
                what: Structure::Certificate,
            })
    }

    /// The DER as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER of the signed part (TBSCertificate) as received.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// The decoded certificate (`x509-cert`).
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The subject name.
    pub fn subject(&self) -> &Name {
        self.cert.tbs_certificate().subject()
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        self.cert.tbs_certificate().issuer()
    }

    /// The serial number.
    pub fn serial(&self) -> &SerialNumber {
        self.cert.tbs_certificate().serial_number()
    }

    /// The serial number in upper-case hex (as encoded, sign octet included).
    pub fn serial_hex(&self) -> String {
        crate::hex_upper(self.serial().as_bytes())
    }

    /// notBefore.
    pub fn not_before(&self) -> DateTime {
        self.cert
            .tbs_certificate()
            .validity()
            .not_before
            .to_date_time()
    }

    /// notAfter.
    pub fn not_after(&self) -> DateTime {
        self.cert
            .tbs_certificate()
            .validity()
            .not_after
            .to_date_time()
    }

    /// The signature algorithm (outer), classified.
    pub fn signature_algorithm(&self) -> &SignatureAlgorithm {
        &self.signature_algorithm
    }

    /// The DER of the outer signature AlgorithmIdentifier.
    pub fn signature_algorithm_der(&self) -> &[u8] {
        self.der.get(self.outer_alg.clone()).unwrap_or_default()
    }

    /// The DER of the AlgorithmIdentifier inside the TBS.
    pub fn tbs_signature_algorithm_der(&self) -> &[u8] {
        self.der.get(self.inner_alg.clone()).unwrap_or_default()
    }

    /// The signature value (content of the BIT STRING).
    pub fn signature_value(&self) -> &[u8] {
        self.cert.signature().raw_bytes()
    }

    /// The decoded extensions.
    pub fn extensions(&self) -> &CertExtensions {
        &self.extensions
    }

    /// The SM2 public key.
    ///
    /// # Errors
    /// [`Error::PublicKey`] when the key is not SM2 or not a valid point.
    pub fn public_key(&self) -> Result<&PublicKey> {
        self.public_key
            .as_ref()
            .map_err(|e| Error::PublicKey(e.clone()))
    }

    /// Variants of the SubjectPublicKeyInfo that were accepted (the SM2 OID as key algorithm,
    /// a compressed point...).
    pub fn key_notes(&self) -> &[KeyNote] {
        &self.key_notes
    }

    /// Is it a CA certificate (basicConstraints `cA` TRUE)?
    pub fn is_ca(&self) -> bool {
        self.extensions
            .basic_constraints
            .as_ref()
            .is_some_and(|bc| bc.value.ca)
    }

    /// Is the issuer name the subject name (self-issued, RFC 5280 §6.1)?
    pub fn is_self_issued(&self) -> bool {
        names_match(self.subject(), self.issuer())
    }

    /// The key usages, or `None` when the extension is absent (every usage allowed).
    pub fn key_usage(&self) -> Option<FlagSet<KeyUsages>> {
        self.extensions.key_usage.as_ref().map(|k| k.value)
    }

    /// Does keyUsage allow `usage`? (`true` when the extension is absent, RFC 5280 §4.2.1.3.)
    pub fn allows_key_usage(&self, usage: KeyUsages) -> bool {
        self.key_usage().is_none_or(|ku| ku.contains(usage))
    }

    /// Check the key usage a signer certificate needs: `digitalSignature` or `nonRepudiation`
    /// (GM/T 0015 signing certificates carry both; seal and document signatures accept
    /// either).
    ///
    /// # Errors
    /// [`KeyUsageProblem`] naming what is missing.
    pub fn check_signing_usage(&self) -> core::result::Result<(), KeyUsageProblem> {
        self.check_key_usage(KeyUsageRequirement::Signing)
    }

    /// Check a key-usage requirement.
    ///
    /// # Errors
    /// [`KeyUsageProblem`] naming what is missing.
    pub fn check_key_usage(
        &self,
        req: KeyUsageRequirement,
    ) -> core::result::Result<(), KeyUsageProblem> {
        let ku = self.key_usage();
        let ok = match req {
            KeyUsageRequirement::Any => true,
            KeyUsageRequirement::Signing => ku.is_none_or(|k| {
                k.contains(KeyUsages::DigitalSignature) || k.contains(KeyUsages::NonRepudiation)
            }),
            KeyUsageRequirement::AllOf(bits) => ku.is_none_or(|k| k.contains(bits)),
            KeyUsageRequirement::AllOfPresent(bits) => ku.is_some_and(|k| k.contains(bits)),
        };
        if ok {
            Ok(())
        } else {
            Err(KeyUsageProblem {
                required: req,
                found: ku,
            })
        }
    }

    /// Is the certificate valid at `time` (notBefore ≤ time ≤ notAfter)?
    pub fn validity_at(&self, time: DateTime) -> ValidityStatus {
        let nb = self.not_before();
        let na = self.not_after();
        if time < nb {
            ValidityStatus::NotYetValid { not_before: nb }
        } else if time > na {
            ValidityStatus::Expired { not_after: na }
        } else {
            ValidityStatus::Valid
        }
    }

    /// The subjectKeyIdentifier bytes.
    pub fn subject_key_identifier(&self) -> Option<&[u8]> {
        self.extensions.subject_key_identifier.as_deref()
    }

    /// The authorityKeyIdentifier keyIdentifier bytes.
    pub fn authority_key_identifier(&self) -> Option<&[u8]> {
        self.extensions.authority_key_id()
    }

    /// Is this the certificate CMS's `IssuerAndSerialNumber` names?
    pub fn matches_issuer_serial(&self, issuer: &Name, serial: &SerialNumber) -> bool {
        self.serial() == serial && names_match(self.issuer(), issuer)
    }

    /// Is this the certificate CMS's `SubjectKeyIdentifier` names (by the extension)?
    pub fn matches_ski(&self, ski: &[u8]) -> bool {
        self.subject_key_identifier() == Some(ski)
    }

    /// Verify this certificate's signature under `issuer_key`, over the TBS bytes as
    /// received.
    ///
    /// # Errors
    /// The [`SignatureFailure`] naming why it is not accepted.
    pub fn verify_signed_by(
        &self,
        issuer_key: &PublicKey,
        policy: &SignaturePolicy,
    ) -> core::result::Result<SignatureOk, SignatureFailure> {
        verify_signed_bytes(
            self.tbs_der(),
            self.tbs_signature_algorithm_der(),
            self.signature_algorithm_der(),
            self.cert.signature(),
            issuer_key,
            policy,
        )
    }

    /// Verify this certificate's signature under `issuer`'s key (names are not compared).
    ///
    /// # Errors
    /// As [`verify_signed_by`](Self::verify_signed_by); [`SignatureFailure::IssuerKey`] when
    /// the issuer's key is not SM2.
    pub fn verify_issued_by(
        &self,
        issuer: &Cert,
        policy: &SignaturePolicy,
    ) -> core::result::Result<SignatureOk, SignatureFailure> {
        self.verify_issued_by_cached(issuer, policy, None)
    }

    /// As [`verify_issued_by`](Self::verify_issued_by), answered from `cache` when it has
    /// the result.
    pub(crate) fn verify_issued_by_cached(
        &self,
        issuer: &Cert,
        policy: &SignaturePolicy,
        cache: Option<&VerifyCache>,
    ) -> core::result::Result<SignatureOk, SignatureFailure> {
        let key = issuer
            .public_key()
            .map_err(|_| SignatureFailure::IssuerKey)?;
        match cache {
            None => self.verify_signed_by(key, policy),
            Some(c) => c.verify_signed_bytes(
                self.tbs_der(),
                self.tbs_signature_algorithm_der(),
                self.signature_algorithm_der(),
                self.cert.signature(),
                key,
                policy,
            ),
        }
    }

    /// SM3 of the DER (a fingerprint for reports).
    pub fn fingerprint_sm3(&self) -> [u8; 32] {
        gmseal_sm2::digest::sm3(&self.der)
    }

    /// A short description for reports.
    pub fn summary(&self) -> CertSummary {
        CertSummary {
            subject: display_name(self.subject()),
            issuer: display_name(self.issuer()),
            serial: self.serial_hex(),
            not_before: self.not_before(),
            not_after: self.not_after(),
            is_ca: self.is_ca(),
            key_usage: self.key_usage().map(key_usage_names).unwrap_or_default(),
            fingerprint_sm3: crate::hex_upper(&self.fingerprint_sm3()),
        }
    }
}

/// A short description of a certificate for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertSummary {
    /// Subject, in certificate order (`C=CN,O=...,CN=...`).
    pub subject: String,
    /// Issuer, same format.
    pub issuer: String,
    /// Serial number, upper-case hex.
    pub serial: String,
    /// notBefore.
    pub not_before: DateTime,
    /// notAfter.
    pub not_after: DateTime,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// Key usages set (empty when the extension is absent).
    pub key_usage: Vec<&'static str>,
    /// SM3 of the DER, upper-case hex.
    pub fingerprint_sm3: String,
}

impl fmt::Display for CertSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (issuer {}, serial {}, valid {} to {})",
            self.subject, self.issuer, self.serial, self.not_before, self.not_after
        )
    }
}

/// Validity of a certificate at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidityStatus {
    /// Within notBefore..=notAfter.
    Valid,
    /// Before notBefore.
    NotYetValid {
        /// notBefore.
        not_before: DateTime,
    },
    /// After notAfter.
    Expired {
        /// notAfter.
        not_after: DateTime,
    },
}

/// A key-usage requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyUsageRequirement {
    /// No requirement.
    #[default]
    Any,
    /// `digitalSignature` or `nonRepudiation` (or no keyUsage extension).
    Signing,
    /// All of these bits (or no keyUsage extension).
    AllOf(FlagSet<KeyUsages>),
    /// All of these bits, and the extension must be present.
    AllOfPresent(FlagSet<KeyUsages>),
}

/// A key-usage requirement not met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsageProblem {
    /// What was required.
    pub required: KeyUsageRequirement,
    /// What the certificate allows (`None`: extension absent).
    pub found: Option<FlagSet<KeyUsages>>,
}

impl fmt::Display for KeyUsageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = match self.found {
            Some(k) => key_usage_names(k).join(","),
            None => "no keyUsage extension".into(),
        };
        match self.required {
            KeyUsageRequirement::Any => write!(f, "key usage {found}"),
            KeyUsageRequirement::Signing => write!(
                f,
                "key usage is {found}; digitalSignature or nonRepudiation required"
            ),
            KeyUsageRequirement::AllOf(b) | KeyUsageRequirement::AllOfPresent(b) => write!(
                f,
                "key usage is {found}; {} required",
                key_usage_names(b).join(",")
            ),
        }
    }
}

impl std::error::Error for KeyUsageProblem {}

/// Parse every certificate in `input`: PEM (any number of `CERTIFICATE` blocks; other blocks
/// ignored) or one DER certificate.
///
/// # Errors
/// [`Error::Pem`], or the first certificate's error.
pub fn parse_certificates(input: &[u8]) -> Result<Vec<Cert>> {
    if gmseal_sm2::key::looks_like_pem(input) {
        let blocks = gmseal_sm2::key::pem_blocks(input).map_err(Error::Pem)?;
        let mut out = Vec::new();
        for (label, der) in blocks {
            if matches!(
                label.as_str(),
                "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE"
            ) {
                out.push(Cert::from_der(&der)?);
            }
        }
        if out.is_empty() {
            return Err(Error::NothingFound {
                what: Structure::Certificate,
            });
        }
        Ok(out)
    } else {
        Ok(vec![Cert::from_der(input)?])
    }
}

/// The byte ranges of `SEQUENCE { tbs SEQUENCE { [0] version?, serial, signature, ... },
/// signatureAlgorithm, signatureValue }`: (TBS, inner algorithm, outer algorithm). Works for
/// certificates and CRLs (whose TBS has an optional INTEGER version instead of `[0]`).
pub(crate) fn signed_ranges(der: &[u8]) -> der::Result<(Range<usize>, Range<usize>, Range<usize>)> {
    let base = der.as_ptr() as usize;
    let range = |s: &[u8]| {
        let start = s.as_ptr() as usize - base;
        start..start + s.len()
    };
    let mut outer = SliceReader::new(der)?;
    let (tbs, alg) = outer.sequence(|r| -> der::Result<_> {
        let tbs = r.tlv_bytes()?;
        let alg = r.tlv_bytes()?;
        let _sig = r.tlv_bytes()?;
        Ok((tbs, alg))
    })?;
    outer.finish()?;
    let mut t = SliceReader::new(tbs)?;
    let inner = t.sequence(|r| -> der::Result<_> {
        let tag = Tag::peek(r)?;
        let is_cert_version = tag
            == Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(0),
            };
        if is_cert_version {
            r.tlv_bytes()?; // [0] version
            r.tlv_bytes()?; // serialNumber
        } else if tag == Tag::Integer {
            // certificate without version: serialNumber; CRL: version
            r.tlv_bytes()?;
        }
        let alg = r.tlv_bytes()?;
        // skip the rest of the TBS
        while !r.is_finished() {
            r.tlv_bytes()?;
        }
        Ok(alg)
    })?;
    Ok((range(tbs), range(inner), range(alg)))
}
