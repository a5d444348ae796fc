//! Certificates carried by the platform messages: the system certificate of a `SystemRegister`,
//! `initiatorCert`, `signCert`. Parsed with `x509-cert`; the key is taken with
//! `gmseal_sm2::key::public_key_from_certificate_der` (which accepts the SM2-OID key variant).
//!
//! Chain verification is the caller's business (gmseal-cert); this module checks only what the
//! platform specifications themselves require of the certificate: that it decodes, carries an
//! SM2 key, allows digitalSignature, and (spec 001, "数字证书格式规范") the subject rule.

use der::Decode;
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsage;

use crate::deviation::{DeviationKind, Tolerance};
use crate::error::{Error, Result};

/// A decoded certificate with its SM2 public key.
#[derive(Debug, Clone)]
pub struct SystemCertificate {
    der: Vec<u8>,
    certificate: Certificate,
    public_key: gmseal_sm2::PublicKey,
}

impl SystemCertificate {
    /// Decode a DER certificate.
    ///
    /// # Errors
    /// [`Error::Certificate`] naming `field`.
    pub fn from_der(field: &str, der: &[u8]) -> Result<Self> {
        let certificate = Certificate::from_der(der).map_err(|e| Error::Certificate {
            field: field.into(),
            reason: format!("not a DER X.509 certificate: {e}"),
        })?;
        let public_key = gmseal_sm2::key::public_key_from_certificate_der(der)
            .map_err(|e| Error::Certificate {
                field: field.into(),
                reason: format!("no SM2 public key: {e}"),
            })?
            .key;
        Ok(SystemCertificate {
            der: der.to_vec(),
            certificate,
            public_key,
        })
    }

    /// Decode the contents of an OCTET STRING that should hold DER (R5); base64 or PEM text is
    /// accepted in lenient mode and reported.
    pub(crate) fn from_octets(field: &str, octets: &[u8], tol: &mut Tolerance) -> Result<Self> {
        if octets.first() == Some(&0x30) {
            return Self::from_der(field, octets);
        }
        let text = core::str::from_utf8(octets).map_err(|_| Error::Certificate {
            field: field.into(),
            reason: "neither DER nor text".into(),
        })?;
        if gmseal_sm2::key::looks_like_pem(octets) {
            tol.allow(
                field,
                DeviationKind::Container("PEM text instead of DER"),
                "R5: the certificate is DER",
            )?;
            let blocks = gmseal_sm2::key::pem_blocks(octets).map_err(|e| Error::Certificate {
                field: field.into(),
                reason: format!("bad PEM: {e}"),
            })?;
            let der = blocks
                .into_iter()
                .find(|(label, _)| label == "CERTIFICATE")
                .map(|(_, der)| der)
                .ok_or_else(|| Error::Certificate {
                    field: field.into(),
                    reason: "PEM holds no CERTIFICATE block".into(),
                })?;
            return Self::from_der(field, &der);
        }
        tol.allow(
            field,
            DeviationKind::Container("base64 text instead of DER"),
            "R5: the certificate is DER",
        )?;
        let der = crate::b64::decode(
            field,
            text.trim(),
            &mut Tolerance::new(crate::Strictness::Lenient),
        )?;
        Self::from_der(field, &der)
    }

    /// Decode a base64 certificate field (`initiatorCert`, `signCert`).
    ///
    /// # Errors
    /// [`Error::Base64`] or [`Error::Certificate`] naming `field`.
    pub fn from_base64(field: &str, text: &str) -> Result<Self> {
        let der = crate::b64::decode_strict(field, text)?;
        Self::from_der(field, &der)
    }

    /// The DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The SM2 public key.
    pub fn public_key(&self) -> &gmseal_sm2::PublicKey {
        &self.public_key
    }

    /// Whether keyUsage allows digitalSignature; `None` when the certificate has no keyUsage
    /// extension (then every usage is allowed, RFC 5280 §4.2.1.3).
    ///
    /// A keyUsage extension that does not decode counts as not allowing it.
    pub fn allows_digital_signature(&self) -> Option<bool> {
        match self
            .certificate
            .tbs_certificate()
            .get_extension::<KeyUsage>()
        {
            Ok(Some((_, ku))) => Some(ku.digital_signature()),
            Ok(None) => None,
            Err(_) => Some(false),
        }
    }

    /// The subject as an RFC 4514 string.
    pub fn subject(&self) -> String {
        self.certificate.tbs_certificate().subject().to_string()
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        self.certificate.tbs_certificate().issuer().to_string()
    }

    /// The serial number in upper-case hex.
    pub fn serial_hex(&self) -> String {
        self.certificate
            .tbs_certificate()
            .serial_number()
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }
}
