//! A profile that writes whatever it is told, to make certificates our profiles refuse to.
#![allow(dead_code, unreachable_pub, missing_docs)]

use der::asn1::OctetString;
use gmseal_cert::Cert;
use gmseal_cert::issue::Issuer;
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{Role, Sm2Profile};
use gmseal_sm2::{PublicKey, SoftwareSigner};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::name::Name;

use super::pki::validity_2025_2045;

pub struct RawProfile {
    pub subject: Name,
    pub issuer: Name,
    pub issuer_key: PublicKey,
    pub extensions: Vec<Extension>,
}

impl BuilderProfile for RawProfile {
    fn get_issuer(&self, _: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        _: SubjectPublicKeyInfoRef<'_>,
        _: SubjectPublicKeyInfoRef<'_>,
        _: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

impl Sm2Profile for RawProfile {
    fn role(&self) -> Role {
        Role::SubCa
    }
    fn issuer_key(&self) -> Option<&PublicKey> {
        Some(&self.issuer_key)
    }
}

pub fn cn(s: &str) -> Name {
    NameBuilder::new().common_name(s).unwrap().build()
}

pub fn ext(oid: &str, critical: bool, value: &[u8]) -> Extension {
    Extension {
        extn_id: oid.parse().unwrap(),
        critical,
        extn_value: OctetString::new(value).unwrap(),
    }
}

/// basicConstraints cA TRUE, keyUsage keyCertSign + cRLSign.
pub fn ca_exts() -> Vec<Extension> {
    vec![
        ext("2.5.29.19", true, &[0x30, 0x03, 0x01, 0x01, 0xFF]),
        ext("2.5.29.15", true, &[0x03, 0x02, 0x01, 0x06]),
    ]
}

pub fn raw(
    signer: &SoftwareSigner,
    subject: Name,
    issuer: Name,
    key: &PublicKey,
    extensions: Vec<Extension>,
) -> Cert {
    Issuer::new(signer)
        .issue(
            RawProfile {
                subject,
                issuer,
                issuer_key: signer.public_key(),
                extensions,
            },
            key,
            validity_2025_2045(),
        )
        .unwrap()
}
