//! ESS `SigningCertificate` / `SigningCertificateV2` (RFC 2634 §5.4, RFC 5035 §3): the signed
//! attribute that binds a timestamp token to its TSA certificate (RFC 3161 §2.4.1,
//! RFC 5816).

use der::Sequence;
use der::asn1::OctetString;
use der::{Any, Decode};
use spki::AlgorithmIdentifierOwned;

use crate::algorithm::DigestAlgorithm;

/// ```text
/// SigningCertificateV2 ::= SEQUENCE {
///     certs        SEQUENCE OF ESSCertIDv2,
///     policies     SEQUENCE OF PolicyInformation OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub(crate) certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub(crate) policies: Option<Any>,
}

/// ```text
/// ESSCertIDv2 ::= SEQUENCE {
///     hashAlgorithm   AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///     certHash        Hash,
///     issuerSerial    IssuerSerial OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub(crate) hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub(crate) cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub(crate) issuer_serial: Option<Any>,
}

/// ```text
/// SigningCertificate ::= SEQUENCE {
///     certs        SEQUENCE OF ESSCertID,
///     policies     SEQUENCE OF PolicyInformation OPTIONAL }
/// ESSCertID ::= SEQUENCE { certHash Hash (SHA-1), issuerSerial IssuerSerial OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct SigningCertificate {
    pub(crate) certs: Vec<EssCertId>,
    #[asn1(optional = "true")]
    pub(crate) policies: Option<Any>,
}

/// See [`SigningCertificate`].
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct EssCertId {
    pub(crate) cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub(crate) issuer_serial: Option<Any>,
}

/// Does the first ESS certificate ID in the attribute value designate `cert_der`?
/// `None` when the value does not decode or names an unsupported hash.
pub(crate) fn designates(v2: bool, value: &Any, cert_der: &[u8]) -> Option<bool> {
    let der = der::Encode::to_der(value).ok()?;
    if v2 {
        let sc = SigningCertificateV2::from_der(&der).ok()?;
        let first = sc.certs.first()?;
        let alg = match &first.hash_algorithm {
            None => DigestAlgorithm::Sha256,
            Some(a) => DigestAlgorithm::from_oid(&a.oid)?,
        };
        Some(alg.digest(cert_der) == first.cert_hash.as_bytes())
    } else {
        let sc = SigningCertificate::from_der(&der).ok()?;
        let first = sc.certs.first()?;
        Some(DigestAlgorithm::Sha1.digest(cert_der) == first.cert_hash.as_bytes())
    }
}
