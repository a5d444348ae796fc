//! Issuing certificates and CRLs with any [`Sm2Signer`] (software key, SKF device, remote
//! service).
//!
//! `x509-cert`'s builder is used in its two steps: `finalize` gives the TBS DER, which is
//! signed here as GM/T 0015 requires — `SM3(Z ‖ TBS)`, Z over the default ID and the issuer's
//! key — and `assemble` takes the DER `SEQUENCE { r, s }` signature. The builder's one-step
//! `build` cannot be used with the `sm2` crate's `SigningKey`: `sm2::dsa::Signature` encodes
//! as raw `r‖s` in a BIT STRING (`SignatureBitStringEncoding`), which no other implementation
//! accepts.

use der::asn1::{BitString, OctetString};
use der::referenced::OwnedToRef;
use der::{DateTime, Encode};
use gmseal_sm2::{PublicKey, Sm2Signer};
use signature::Keypair;
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::Version;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, CrlReason, KeyUsages};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::cert::Cert;
use crate::crl::{CertificateList, Crl, TbsCertList};
use crate::error::{Error, Result};
use crate::profile::{Sm2Profile, key_identifier};
use crate::signature::{AlgorithmParameters, sign_tbs};

/// Issues certificates and CRLs with an SM2 signer.
///
/// ```
/// use gmseal_cert::issue::{Issuer, validity};
/// use gmseal_cert::profile::RootCa;
/// use gmseal_cert::name::NameBuilder;
/// use gmseal_sm2::SoftwareSigner;
///
/// let key = SoftwareSigner::generate();
/// let subject = NameBuilder::new().country("CN")?.common_name("测试根CA")?.build();
/// let v = validity("2025-01-01T00:00:00Z".parse()?, "2045-01-01T00:00:00Z".parse()?)?;
/// let root = Issuer::new(&key).issue(RootCa::new(subject), &key.public_key(), v)?;
/// assert!(root.is_ca());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Issuer<'a> {
    signer: &'a dyn Sm2Signer,
    parameters: AlgorithmParameters,
    verify_after_signing: bool,
}

impl core::fmt::Debug for Issuer<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Issuer")
            .field("parameters", &self.parameters)
            .field("verify_after_signing", &self.verify_after_signing)
            .finish_non_exhaustive()
    }
}

/// Adapts a `&dyn Sm2Signer` to what `x509-cert`'s builder asks of a signer: its public key
/// and the signature AlgorithmIdentifier. The builder never signs through it.
struct BuilderKey<'a> {
    signer: &'a dyn Sm2Signer,
    parameters: AlgorithmParameters,
}

impl Keypair for BuilderKey<'_> {
    type VerifyingKey = PublicKey;

    fn verifying_key(&self) -> PublicKey {
        self.signer.verifying_key()
    }
}

impl DynSignatureAlgorithmIdentifier for BuilderKey<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.parameters.algorithm_identifier())
    }
}

impl<'a> Issuer<'a> {
    /// An issuer signing with `signer`, writing SM3withSM2 with absent parameters.
    pub fn new(signer: &'a dyn Sm2Signer) -> Self {
        Issuer {
            signer,
            parameters: AlgorithmParameters::Absent,
            verify_after_signing: false,
        }
    }

    /// Write the algorithm parameters as NULL (as Chinese CAs do) or absent (as OpenSSL does).
    pub fn with_parameters(mut self, parameters: AlgorithmParameters) -> Self {
        self.parameters = parameters;
        self
    }

    /// Verify each signature under the signer's public key before returning (for devices and
    /// remote services whose output is not trusted blindly; costs one verification, about
    /// three signatures).
    pub fn verify_after_signing(mut self, verify: bool) -> Self {
        self.verify_after_signing = verify;
        self
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>> {
        let sig = sign_tbs(self.signer, tbs)?;
        if self.verify_after_signing {
            let key = self.signer.verifying_key();
            crate::signature::verify_signature_value(
                tbs,
                &sig,
                &key,
                &crate::SignaturePolicy::STRICT,
            )
            .map_err(|_| Error::Sm2(gmseal_sm2::Error::SignerMisbehaved))?;
        }
        Ok(sig)
    }

    /// Issue a certificate for `subject_key` with a random 16-octet serial number.
    ///
    /// # Errors
    /// [`Error::SignerKeyMismatch`] when the signer's key is not the issuer's (or, for a root,
    /// not `subject_key`); [`Error::Sm2`] when the signer fails; [`Error::Builder`].
    pub fn issue<P: Sm2Profile>(
        &self,
        profile: P,
        subject_key: &PublicKey,
        validity: Validity,
    ) -> Result<Cert> {
        self.issue_with_serial(profile, subject_key, validity, random_serial()?)
    }

    /// Issue a certificate with a given serial number.
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn issue_with_serial<P: Sm2Profile>(
        &self,
        profile: P,
        subject_key: &PublicKey,
        validity: Validity,
        serial: SerialNumber,
    ) -> Result<Cert> {
        let signer_key = self.signer.verifying_key();
        let expected = profile.issuer_key().unwrap_or(subject_key);
        if *expected != signer_key {
            return Err(Error::SignerKeyMismatch);
        }
        let spki = SubjectPublicKeyInfoOwned::from_key(subject_key)
            .map_err(|e| Error::Builder(e.into()))?;
        let key = BuilderKey {
            signer: self.signer,
            parameters: self.parameters,
        };
        let mut builder = CertificateBuilder::new(profile, serial, validity, spki)?;
        let tbs = builder.finalize(&key)?;
        let sig = self.sign(&tbs)?;
        let bits = BitString::from_bytes(&sig).map_err(|e| Error::Builder(e.into()))?;
        let cert = builder.assemble(bits, &key)?;
        let der = cert.to_der().map_err(|e| Error::Builder(e.into()))?;
        Cert::from_der(&der)
    }

    /// Issue a v2 CRL for `ca` (whose key the signer holds): authorityKeyIdentifier (the CA's
    /// SKI), cRLNumber, and a reasonCode per entry when given.
    ///
    /// `x509-cert`'s `CrlBuilder` is not used: it copies the issuer certificate's own
    /// authorityKeyIdentifier (the key of the issuer's issuer) into the CRL.
    ///
    /// # Errors
    /// [`Error::SignerKeyMismatch`], [`Error::IssuerNotAuthorised`] (no cRLSign),
    /// [`Error::Sm2`], [`Error::Builder`].
    pub fn issue_crl(&self, ca: &Cert, contents: &CrlContents) -> Result<Crl> {
        if *ca.public_key()? != self.signer.verifying_key() {
            return Err(Error::SignerKeyMismatch);
        }
        if !ca.allows_key_usage(KeyUsages::CRLSign) {
            return Err(Error::IssuerNotAuthorised {
                what: "keyUsage lacks cRLSign",
            });
        }
        let der_err = |e: der::Error| Error::Builder(e.into());
        let key_id = match ca.subject_key_identifier() {
            Some(k) => k.to_vec(),
            None => key_identifier(
                ca.certificate()
                    .tbs_certificate()
                    .subject_public_key_info()
                    .owned_to_ref(),
            )
            .map_err(der_err)?,
        };
        let mut exts = vec![Extension {
            extn_id: crate::oid::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            critical: false,
            extn_value: OctetString::new(
                AuthorityKeyIdentifier {
                    key_identifier: Some(OctetString::new(key_id).map_err(der_err)?),
                    ..Default::default()
                }
                .to_der()
                .map_err(der_err)?,
            )
            .map_err(der_err)?,
        }];
        let number = der::asn1::Uint::new(&contents.crl_number.to_be_bytes()).map_err(der_err)?;
        exts.push(Extension {
            extn_id: crate::oid::ID_CE_CRL_NUMBER,
            critical: false,
            extn_value: OctetString::new(CrlNumber(number).to_der().map_err(der_err)?)
                .map_err(der_err)?,
        });
        let revoked = contents
            .revoked
            .iter()
            .map(|r| {
                let crl_entry_extensions = match r.reason {
                    Some(reason) => Some(vec![Extension {
                        extn_id: crate::oid::ID_CE_CRL_REASONS,
                        critical: false,
                        extn_value: OctetString::new(reason.to_der()?)?,
                    }]),
                    None => None,
                };
                Ok(RevokedCert {
                    serial_number: r.serial.clone(),
                    revocation_date: Time::from(r.date),
                    crl_entry_extensions,
                })
            })
            .collect::<der::Result<Vec<_>>>()
            .map_err(der_err)?;
        let mut tbs = TbsCertList {
            version: Some(Version::V2),
            signature: self.parameters.algorithm_identifier(),
            issuer: ca.subject().clone(),
            this_update: Time::from(contents.this_update),
            next_update: contents.next_update.map(Time::from),
            revoked_certificates: if revoked.is_empty() {
                None
            } else {
                Some(revoked)
            },
            crl_extensions: Some(exts),
        };
        // RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime after.
        tbs.this_update = rfc5280_time(tbs.this_update)?;
        tbs.next_update = tbs.next_update.map(rfc5280_time).transpose()?;
        let tbs_der = tbs.to_der().map_err(der_err)?;
        let sig = self.sign(&tbs_der)?;
        let list = CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm: self.parameters.algorithm_identifier(),
            signature: BitString::from_bytes(&sig).map_err(der_err)?,
        };
        let der = list.to_der().map_err(der_err)?;
        Crl::from_der(&der)
    }
}

fn rfc5280_time(t: Time) -> Result<Time> {
    Ok(Time::from(t.to_date_time()))
}

/// What a CRL lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlContents {
    /// thisUpdate.
    pub this_update: DateTime,
    /// nextUpdate (RFC 5280 requires it; `None` writes none).
    pub next_update: Option<DateTime>,
    /// cRLNumber.
    pub crl_number: u64,
    /// The revoked certificates.
    pub revoked: Vec<RevokedEntry>,
}

/// A revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    /// Its serial number.
    pub serial: SerialNumber,
    /// revocationDate.
    pub date: DateTime,
    /// reasonCode.
    pub reason: Option<CrlReason>,
}

/// A validity period, checked to be non-empty; times are written as RFC 5280 §4.1.2.5
/// requires (UTCTime through 2049, GeneralizedTime from 2050).
///
/// # Errors
/// [`Error::InvalidProfileInput`] when `not_after` is before `not_before`.
pub fn validity(not_before: DateTime, not_after: DateTime) -> Result<Validity> {
    if not_after < not_before {
        return Err(Error::InvalidProfileInput {
            what: "notAfter before notBefore",
        });
    }
    Ok(Validity::new(Time::from(not_before), Time::from(not_after)))
}

/// A random positive 16-octet serial number (128 bits from the operating system, top bit
/// cleared, first octet non-zero), well above CA/B Forum's 64 bits of entropy.
///
/// # Errors
/// [`Error::Sm2`] if the operating system's generator fails.
pub fn random_serial() -> Result<SerialNumber> {
    let mut b = [0u8; 16];
    loop {
        getrandom::fill(&mut b)
            .map_err(|e| Error::Sm2(gmseal_sm2::Error::Signer(signature::Error::from_source(e))))?;
        b[0] &= 0x7F;
        if b[0] != 0 {
            break;
        }
    }
    SerialNumber::new(&b).map_err(|e| Error::Builder(e.into()))
}

/// Decode a serial number from big-endian bytes (positive).
///
/// # Errors
/// [`Error::Builder`] for more than 20 octets.
pub fn serial_from_bytes(bytes: &[u8]) -> Result<SerialNumber> {
    SerialNumber::new(bytes).map_err(|e| Error::Builder(e.into()))
}
