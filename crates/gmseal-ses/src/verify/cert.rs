//! What verification needs from a certificate: its SM2 key, validity, key usage and names.
//! Path building and revocation are not here: they plug in through
//! [`ChainVerifier`](super::ChainVerifier).

use der::referenced::OwnedToRef;
use der::{DateTime, Decode};
use gmseal_sm2::PublicKey;
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsage;

use super::report::{CertSummary, Finding, Outcome, hex};
use crate::error::CertRole;
use crate::time::secs;

/// A decoded certificate with the parts verification uses.
#[derive(Debug, Clone)]
pub(crate) struct CertView {
    pub(crate) public_key: PublicKey,
    pub(crate) summary: CertSummary,
    /// `Some(true)` when key usage has digitalSignature, `None` without the extension.
    pub(crate) digital_signature: Option<bool>,
}

pub(crate) fn inspect(der: &[u8]) -> Result<CertView, Finding> {
    let cert = Certificate::from_der(der).map_err(Finding::CertificateMalformed)?;
    let tbs = cert.tbs_certificate();
    let public_key =
        gmseal_sm2::key::public_key_from_spki(&tbs.subject_public_key_info().owned_to_ref())
            .map_err(Finding::CertificateKey)?
            .key;
    let digital_signature = match tbs.get_extension::<KeyUsage>() {
        Ok(Some((_, ku))) => Some(ku.digital_signature()),
        Ok(None) => None,
        Err(e) => return Err(Finding::CertificateMalformed(e)),
    };
    let validity = tbs.validity();
    Ok(CertView {
        public_key,
        summary: CertSummary {
            subject: tbs.subject().to_string(),
            issuer: tbs.issuer().to_string(),
            serial: hex(tbs.serial_number().as_bytes()),
            not_before: validity.not_before.to_date_time(),
            not_after: validity.not_after.to_date_time(),
        },
        digital_signature,
    })
}

/// The certificate step: decodes, valid at `at`, key usage allows signing.
pub(crate) fn certificate_outcome(
    view: &Result<CertView, Finding>,
    at: Option<DateTime>,
    role: CertRole,
) -> Outcome {
    let view = match view {
        Ok(v) => v,
        Err(f) => return Outcome::Failed(f.clone()),
    };
    if view.digital_signature == Some(false) {
        return Outcome::Failed(Finding::KeyUsage { role });
    }
    let Some(at) = at else {
        return Outcome::NotPerformed(super::report::NotPerformed::SigningTimeUnknown);
    };
    let s = &view.summary;
    if secs(&at) < secs(&s.not_before) || secs(&at) > secs(&s.not_after) {
        return Outcome::Failed(Finding::CertificateNotValidAt {
            at,
            not_before: s.not_before,
            not_after: s.not_after,
        });
    }
    Outcome::Passed
}
