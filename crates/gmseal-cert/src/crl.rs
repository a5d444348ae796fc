//! Certificate revocation lists (RFC 5280 §5; GM/T 0015 / GB/T 20518 CRL profile): parsing,
//! signature verification, and revocation lookup.
//!
//! `x509-cert` 0.3's `TbsCertList` requires the `version` field, so v1 CRLs (which omit it,
//! e.g. openHiTLS's `sm2_with_userid/crl_verify/crl/root_updated.crl`) do not decode with it.
//! This module therefore declares its own [`TbsCertList`] with an optional version; everything
//! else reuses `x509-cert`'s types.

use core::fmt;
use core::ops::Range;

use der::asn1::{BitString, GeneralizedTime, ObjectIdentifier};
use der::{DateTime, Decode, Sequence};
use gmseal_sm2::PublicKey;
use spki::AlgorithmIdentifierOwned;
use x509_cert::certificate::Version;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, CrlReason, KeyUsages};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use crate::cert::{Cert, signed_ranges};
use crate::error::{Error, Result, Structure};
use crate::name::{display_name, names_match};
use crate::oid;
use crate::signature::{SignatureFailure, SignatureOk, SignaturePolicy, verify_signed_bytes};

/// CRLs larger than this are refused.
pub const MAX_CRL_LEN: usize = 16 * 1024 * 1024;

/// `CertificateList` with the lenient [`TbsCertList`].
///
/// ```text
/// CertificateList  ::=  SEQUENCE  {
///      tbsCertList          TBSCertList,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
/// ```
/// RFC 5280 §5.1.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertificateList {
    /// The signed part.
    pub tbs_cert_list: TbsCertList,
    /// The signature algorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature.
    pub signature: BitString,
}

/// `TBSCertList` with `version` optional, as RFC 5280 §5.1 defines it.
///
/// ```text
/// TBSCertList  ::=  SEQUENCE  {
///      version                 Version OPTIONAL, -- if present, MUST be v2
///      signature               AlgorithmIdentifier,
///      issuer                  Name,
///      thisUpdate              Time,
///      nextUpdate              Time OPTIONAL,
///      revokedCertificates     SEQUENCE OF SEQUENCE  { ... } OPTIONAL,
///      crlExtensions           [0]  EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TbsCertList {
    /// Version (absent in v1 CRLs).
    pub version: Option<Version>,
    /// Signature algorithm (must equal the outer one).
    pub signature: AlgorithmIdentifierOwned,
    /// Issuer.
    pub issuer: Name,
    /// thisUpdate.
    pub this_update: Time,
    /// nextUpdate.
    pub next_update: Option<Time>,
    /// Revoked certificates.
    pub revoked_certificates: Option<Vec<RevokedCert>>,
    /// CRL extensions.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub crl_extensions: Option<Extensions>,
}

/// A revocation entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The serial number revoked.
    pub serial: SerialNumber,
    /// revocationDate.
    pub date: DateTime,
    /// The reasonCode entry extension, if present.
    pub reason: Option<CrlReason>,
    /// The invalidityDate entry extension, if present.
    pub invalidity_date: Option<DateTime>,
}

/// A parsed CRL that keeps its bytes.
#[derive(Clone)]
pub struct Crl {
    der: Vec<u8>,
    list: CertificateList,
    tbs: Range<usize>,
    inner_alg: Range<usize>,
    outer_alg: Range<usize>,
    crl_number: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    is_delta: bool,
    unsupported_critical: Vec<ObjectIdentifier>,
}

/// Two CRLs are equal when their DER is.
impl PartialEq for Crl {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Crl {}

impl fmt::Debug for Crl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &display_name(self.issuer()))
            .field("this_update", &self.this_update())
            .field("entries", &self.len())
            .finish_non_exhaustive()
    }
}

/// Critical CRL (and CRL entry) extensions this module processes.
const PROCESSED_CRL_EXTENSIONS: &[ObjectIdentifier] = &[
    oid::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    oid::ID_CE_CRL_NUMBER,
    oid::ID_CE_CRL_REASONS,
    oid::ID_CE_INVALIDITY_DATE,
];

impl Crl {
    /// Parse a DER CRL.
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::Der`], [`Error::MalformedExtension`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        if der.len() > MAX_CRL_LEN {
            return Err(Error::TooLarge {
                what: Structure::Crl,
                len: der.len(),
                limit: MAX_CRL_LEN,
            });
        }
        let list = CertificateList::from_der(der).map_err(Error::der(Structure::Crl))?;
        let (tbs, inner_alg, outer_alg) = signed_ranges(der).map_err(Error::der(Structure::Crl))?;
        let mut crl_number = None;
        let mut authority_key_id = None;
        let mut is_delta = false;
        let mut unsupported_critical = Vec::new();
        let mut seen: Vec<ObjectIdentifier> = Vec::new();
        for ext in list.tbs_cert_list.crl_extensions.iter().flatten() {
            if seen.contains(&ext.extn_id) {
                return Err(Error::DuplicateExtension { oid: ext.extn_id });
            }
            seen.push(ext.extn_id);
            let v = ext.extn_value.as_bytes();
            let bad = |source| Error::MalformedExtension {
                oid: ext.extn_id,
                source,
            };
            match ext.extn_id {
                oid::ID_CE_CRL_NUMBER => {
                    crl_number = Some(CrlNumber::from_der(v).map_err(bad)?.0.as_bytes().to_vec());
                }
                oid::ID_CE_AUTHORITY_KEY_IDENTIFIER => {
                    let aki = AuthorityKeyIdentifier::from_der(v).map_err(bad)?;
                    authority_key_id = aki.key_identifier.map(|k| k.as_bytes().to_vec());
                }
                oid::ID_CE_DELTA_CRL_INDICATOR => is_delta = true,
                other if ext.critical && !PROCESSED_CRL_EXTENSIONS.contains(&other) => {
                    unsupported_critical.push(other);
                }
                _ => {}
            }
        }
        for entry in list.tbs_cert_list.revoked_certificates.iter().flatten() {
            for ext in entry.crl_entry_extensions.iter().flatten() {
                if ext.critical
                    && !PROCESSED_CRL_EXTENSIONS.contains(&ext.extn_id)
                    && !unsupported_critical.contains(&ext.extn_id)
                {
                    unsupported_critical.push(ext.extn_id);
                }
            }
        }
        Ok(Crl {
            der: der.to_vec(),
            list,
            tbs,
            inner_alg,
            outer_alg,
            crl_number,
            authority_key_id,
            is_delta,
            unsupported_critical,
        })
    }

    /// Parse one CRL from PEM (`X509 CRL`) or DER.
    ///
    /// # Errors
    /// As [`from_der`](Self::from_der), [`Error::Pem`], [`Error::NothingFound`].
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self> {
        parse_crls(input)?
            .into_iter()
            .next()
            .ok_or(Error::NothingFound {
                what: Structure::Crl,
            })
    }

    /// The DER as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The decoded list.
    pub fn list(&self) -> &CertificateList {
        &self.list
    }

    /// The TBSCertList bytes as received.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// The issuer.
    pub fn issuer(&self) -> &Name {
        &self.list.tbs_cert_list.issuer
    }

    /// thisUpdate.
    pub fn this_update(&self) -> DateTime {
        self.list.tbs_cert_list.this_update.to_date_time()
    }

    /// nextUpdate.
    pub fn next_update(&self) -> Option<DateTime> {
        self.list
            .tbs_cert_list
            .next_update
            .map(|t| t.to_date_time())
    }

    /// The cRLNumber (big-endian bytes).
    pub fn crl_number(&self) -> Option<&[u8]> {
        self.crl_number.as_deref()
    }

    /// The authorityKeyIdentifier key identifier.
    pub fn authority_key_identifier(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }

    /// Is it a delta CRL (deltaCRLIndicator)?
    pub fn is_delta(&self) -> bool {
        self.is_delta
    }

    /// Critical CRL or entry extensions this module does not process.
    pub fn unsupported_critical_extensions(&self) -> &[ObjectIdentifier] {
        &self.unsupported_critical
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .as_ref()
            .map_or(0, Vec::len)
    }

    /// No entries?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All entries.
    pub fn entries(&self) -> impl Iterator<Item = Revocation> + '_ {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .map(revocation)
    }

    /// The entry for `serial`, if it is listed.
    pub fn find(&self, serial: &SerialNumber) -> Option<Revocation> {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|e| &e.serial_number == serial)
            .map(revocation)
    }

    /// Verify the CRL's signature under `issuer_key`, over the TBS bytes as received.
    ///
    /// # Errors
    /// The [`SignatureFailure`].
    pub fn verify_signed_by(
        &self,
        issuer_key: &PublicKey,
        policy: &SignaturePolicy,
    ) -> core::result::Result<SignatureOk, SignatureFailure> {
        verify_signed_bytes(
            self.tbs_der(),
            self.der.get(self.inner_alg.clone()).unwrap_or_default(),
            self.der.get(self.outer_alg.clone()).unwrap_or_default(),
            &self.list.signature,
            issuer_key,
            policy,
        )
    }

    /// Check that this CRL can be used for certificates issued by `issuer`: the names match,
    /// the issuer may sign CRLs (cRLSign, when keyUsage is present), no unsupported critical
    /// extension, not a delta CRL, and the signature verifies under the issuer's key with
    /// `policy`. Times are not checked here: a CRL issued after the validation time still
    /// tells the status at that time; whether it is current is [`Crl::covers`].
    ///
    /// # Errors
    /// The [`CrlProblem`] that makes the CRL unusable.
    pub fn validate_for(
        &self,
        issuer: &Cert,
        policy: &SignaturePolicy,
    ) -> core::result::Result<SignatureOk, CrlProblem> {
        self.validate_for_cached(issuer, policy, None)
    }

    /// As [`validate_for`](Self::validate_for), the signature answered from `cache` when it
    /// has the result.
    pub(crate) fn validate_for_cached(
        &self,
        issuer: &Cert,
        policy: &SignaturePolicy,
        cache: Option<&crate::cache::VerifyCache>,
    ) -> core::result::Result<SignatureOk, CrlProblem> {
        if !names_match(self.issuer(), issuer.subject()) {
            return Err(CrlProblem::IssuerMismatch);
        }
        if !issuer.allows_key_usage(KeyUsages::CRLSign) {
            return Err(CrlProblem::IssuerCannotSignCrls);
        }
        if let Some(oid) = self.unsupported_critical.first() {
            return Err(CrlProblem::UnsupportedCriticalExtension(*oid));
        }
        if self.is_delta {
            return Err(CrlProblem::DeltaCrl);
        }
        let key = issuer
            .public_key()
            .map_err(|_| CrlProblem::Signature(SignatureFailure::IssuerKey))?;
        match cache {
            None => self.verify_signed_by(key, policy),
            Some(c) => c.verify_signed_bytes(
                self.tbs_der(),
                self.der.get(self.inner_alg.clone()).unwrap_or_default(),
                self.der.get(self.outer_alg.clone()).unwrap_or_default(),
                &self.list.signature,
                key,
                policy,
            ),
        }
        .map_err(CrlProblem::Signature)
    }

    /// Does this CRL tell the status at `time` (i.e. `time` is not after nextUpdate)? A CRL
    /// without nextUpdate covers every time.
    pub fn covers(&self, time: DateTime) -> bool {
        self.next_update().is_none_or(|nu| time <= nu)
    }
}

fn revocation(e: &RevokedCert) -> Revocation {
    let mut reason = None;
    let mut invalidity_date = None;
    for ext in e.crl_entry_extensions.iter().flatten() {
        match ext.extn_id {
            oid::ID_CE_CRL_REASONS => reason = CrlReason::from_der(ext.extn_value.as_bytes()).ok(),
            oid::ID_CE_INVALIDITY_DATE => {
                invalidity_date = GeneralizedTime::from_der(ext.extn_value.as_bytes())
                    .ok()
                    .map(|t| t.to_date_time());
            }
            _ => {}
        }
    }
    Revocation {
        serial: e.serial_number.clone(),
        date: e.revocation_date.to_date_time(),
        reason,
        invalidity_date,
    }
}

/// Why a CRL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CrlProblem {
    /// The CRL's issuer is not the certificate issuer's subject.
    IssuerMismatch,
    /// The issuer's keyUsage lacks cRLSign.
    IssuerCannotSignCrls,
    /// A critical CRL or entry extension this crate does not process (e.g.
    /// issuingDistributionPoint); carries its OID.
    UnsupportedCriticalExtension(ObjectIdentifier),
    /// A delta CRL (not supported: only complete CRLs are used).
    DeltaCrl,
    /// The signature is not accepted.
    Signature(SignatureFailure),
}

impl fmt::Display for CrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrlProblem::IssuerMismatch => f.write_str("CRL issuer is not the certificate's issuer"),
            CrlProblem::IssuerCannotSignCrls => {
                f.write_str("CRL issuer's keyUsage does not include cRLSign")
            }
            CrlProblem::UnsupportedCriticalExtension(oid) => {
                write!(f, "CRL has an unsupported critical extension {oid}")
            }
            CrlProblem::DeltaCrl => f.write_str("delta CRLs are not supported"),
            CrlProblem::Signature(e) => write!(f, "CRL signature: {e}"),
        }
    }
}

impl std::error::Error for CrlProblem {}

/// Parse every CRL in `input`: PEM (`X509 CRL` blocks; other blocks ignored) or one DER CRL.
///
/// # Errors
/// [`Error::Pem`], [`Error::NothingFound`] or the first CRL's error.
pub fn parse_crls(input: &[u8]) -> Result<Vec<Crl>> {
    if gmseal_sm2::key::looks_like_pem(input) {
        let blocks = gmseal_sm2::key::pem_blocks(input).map_err(Error::Pem)?;
        let mut out = Vec::new();
        for (label, der) in blocks {
            if label == "X509 CRL" {
                out.push(Crl::from_der(&der)?);
            }
        }
        if out.is_empty() {
            return Err(Error::NothingFound {
                what: Structure::Crl,
            });
        }
        Ok(out)
    } else {
        Ok(vec![Crl::from_der(input)?])
    }
}
