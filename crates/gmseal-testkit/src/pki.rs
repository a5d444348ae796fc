//! A test PKI issued with gmseal-cert's profiles: a root CA, a subordinate CA below it, end-entity
//! certificates for every role, CRLs issued by the subordinate CA, and trust stores.
//!
//! ```
//! use gmseal_testkit::pki::{Leaf, TestPki, date};
//! use gmseal_cert::{ChainOptions, profile::Role, verify_chain_certs};
//!
//! let pki = TestPki::shared(); // one per test process; TestPki::new() for a fresh one
//! let signer = pki.leaf(Role::OrganisationSigning, "测试有限公司");
//! let report = verify_chain_certs(&signer.cert, &[], &pki.store(), &ChainOptions::at(date(2026, 6, 1)));
//! assert!(report.is_trusted(), "{report}");
//!
//! // Revoked on 2026-03-01, with a reason.
//! let crl = pki.crl(&[(&signer.cert, date(2026, 3, 1), Some(gmseal_testkit::pki::CrlReason::KeyCompromise))]);
//! let mut store = pki.store();
//! store.add_crl(crl).unwrap();
//! let report = verify_chain_certs(&signer.cert, &[], &store, &ChainOptions::at(date(2026, 6, 1)));
//! assert!(!report.is_trusted());
//!
//! // An expired one.
//! let old = pki.issue(Leaf::new(gmseal_cert::profile::Role::SealMaker, "旧制章单位").validity(date(2020, 1, 1), date(2021, 1, 1)));
//! assert!(!verify_chain_certs(&old.cert, &[], &pki.store(), &ChainOptions::at(date(2026, 6, 1))).is_trusted());
//! ```
//!
//! Names: the CAs are `C=CN, O=gmseal, CN=<label> root CA` / `... sub CA`; organisation roles
//! follow the spec 001 subject rule with the credit code [`USCC`], personal roles with
//! [`RESIDENT_ID`], the system and timestamp roles are `C=CN, O=gmseal, CN=<name>`. Validity:
//! the CAs 2020-01-01 to 2045-01-01, end entities 2020-01-01 to 2040-01-01 unless asked.

use std::sync::OnceLock;

use gmseal_cert::der::DateTime;
use gmseal_cert::issue::{CrlContents, Issuer, RevokedEntry, serial_from_bytes, validity};
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{
    OrganisationEncryption, OrganisationSigning, Personal, Role, RootCa, SealMaker, SubCa,
    SystemCert, TimeStamping,
};
use gmseal_cert::subject::{OrganisationSubject, PersonalSubject};
use gmseal_cert::x509_cert::name::Name;
use gmseal_cert::{Cert, Crl, TrustStore};
use gmseal_sm2::SoftwareSigner;

pub use gmseal_cert::x509_cert::ext::pkix::CrlReason;

/// The unified social credit code of every organisation certificate (passes GB 32100).
pub const USCC: &str = "91350100M000100Y43";
/// The resident ID number of every personal certificate (passes GB 11643).
pub const RESIDENT_ID: &str = "11010519491231002X";

/// Midnight UTC of a date.
pub fn date(year: u16, month: u8, day: u8) -> DateTime {
    DateTime::new(year, month, day, 0, 0, 0).expect("a valid date")
}

/// A key and the certificate issued for it.
#[derive(Debug, Clone)]
pub struct KeyCert {
    /// The private key.
    pub key: SoftwareSigner,
    /// The certificate.
    pub cert: Cert,
}

impl KeyCert {
    /// The certificate's DER.
    pub fn der(&self) -> Vec<u8> {
        self.cert.der().to_vec()
    }

    /// The certificate as `x509-cert` decodes it.
    pub fn certificate(&self) -> gmseal_cert::x509_cert::Certificate {
        self.cert.certificate().clone()
    }
}

/// What to issue: the role, the subject's name and, when they matter, the key, the validity
/// and the serial number.
#[derive(Debug, Clone)]
pub struct Leaf<'a> {
    role: Role,
    name: &'a str,
    key: Option<SoftwareSigner>,
    not_before: DateTime,
    not_after: DateTime,
    serial: Option<u64>,
}

impl<'a> Leaf<'a> {
    /// A certificate of `role` for `name` (the unit, the person or the CN), fresh key, valid
    /// 2020-01-01 to 2040-01-01, random serial.
    pub fn new(role: Role, name: &'a str) -> Self {
        Leaf {
            role,
            name,
            key: None,
            not_before: date(2020, 1, 1),
            not_after: date(2040, 1, 1),
            serial: None,
        }
    }

    /// Use this key.
    pub fn key(mut self, key: SoftwareSigner) -> Self {
        self.key = Some(key);
        self
    }

    /// A key made from 32 copies of `seed` (the same key every run).
    pub fn key_seed(self, seed: u8) -> Self {
        self.key(SoftwareSigner::from_bytes(&[seed; 32]).expect("a valid SM2 key"))
    }

    /// notBefore and notAfter.
    pub fn validity(mut self, not_before: DateTime, not_after: DateTime) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// A fixed serial number.
    pub fn serial(mut self, serial: u64) -> Self {
        self.serial = Some(serial);
        self
    }
}

/// A root CA and a subordinate CA that issues the end-entity certificates and the CRLs.
#[derive(Debug, Clone)]
pub struct TestPki {
    /// The self-signed root (the trust anchor).
    pub root: KeyCert,
    /// The subordinate CA, issued by the root.
    pub sub: KeyCert,
}

impl Default for TestPki {
    fn default() -> Self {
        Self::new()
    }
}

fn ca_name(label: &str, what: &str) -> Name {
    NameBuilder::new()
        .country("CN")
        .and_then(|b| b.organization("gmseal"))
        .and_then(|b| b.common_name(&format!("{label} {what}")))
        .expect("a valid CA name")
        .build()
}

fn plain_name(cn: &str) -> Name {
    NameBuilder::new()
        .country("CN")
        .and_then(|b| b.organization("gmseal"))
        .and_then(|b| b.common_name(cn))
        .expect("a valid name")
        .build()
}

impl TestPki {
    /// A fresh PKI labelled "gmseal test".
    pub fn new() -> Self {
        Self::named("gmseal test")
    }

    /// A fresh PKI whose CA names start with `label` (another label gives another root, for
    /// "untrusted root" tests).
    pub fn named(label: &str) -> Self {
        Self::with_sub_ca_validity(label, date(2020, 1, 1), date(2045, 1, 1))
    }

    /// A fresh PKI whose subordinate CA is valid from `not_before` to `not_after` (e.g. an
    /// expired intermediate).
    pub fn with_sub_ca_validity(label: &str, not_before: DateTime, not_after: DateTime) -> Self {
        let ca_validity = validity(date(2020, 1, 1), date(2045, 1, 1)).expect("validity");
        let root_key = SoftwareSigner::generate();
        let root = Issuer::new(&root_key)
            .issue(
                RootCa::new(ca_name(label, "root CA")),
                &root_key.public_key(),
                ca_validity,
            )
            .expect("issue the root");
        let sub_key = SoftwareSigner::generate();
        let sub = Issuer::new(&root_key)
            .issue(
                SubCa::new(ca_name(label, "sub CA"), &root)
                    .expect("root is a CA")
                    .path_len(Some(0)),
                &sub_key.public_key(),
                validity(not_before, not_after).expect("validity"),
            )
            .expect("issue the sub CA");
        TestPki {
            root: KeyCert {
                key: root_key,
                cert: root,
            },
            sub: KeyCert {
                key: sub_key,
                cert: sub,
            },
        }
    }

    /// One PKI per test process (made on first use).
    pub fn shared() -> &'static TestPki {
        static PKI: OnceLock<TestPki> = OnceLock::new();
        PKI.get_or_init(TestPki::new)
    }

    /// A certificate of `role` for `name`, issued by the subordinate CA, with a fresh key.
    pub fn leaf(&self, role: Role, name: &str) -> KeyCert {
        self.issue(Leaf::new(role, name))
    }

    /// Issue what `leaf` describes (end-entity roles only).
    pub fn issue(&self, leaf: Leaf<'_>) -> KeyCert {
        let key = leaf.key.unwrap_or_else(SoftwareSigner::generate);
        let pk = key.public_key();
        let v = validity(leaf.not_before, leaf.not_after).expect("validity");
        let ca = &self.sub.cert;
        let org = || OrganisationSubject::new(leaf.name, USCC).expect("organisation subject");
        let person = || PersonalSubject::resident(leaf.name, RESIDENT_ID).expect("person");
        let issuer = Issuer::new(&self.sub.key);
        let serial = leaf
            .serial
            .map(|s| serial_from_bytes(&s.to_be_bytes()).expect("serial"));
        macro_rules! issue {
            ($profile:expr) => {{
                let profile = $profile.expect("profile");
                match serial {
                    Some(s) => issuer.issue_with_serial(profile, &pk, v, s),
                    None => issuer.issue(profile, &pk, v),
                }
            }};
        }
        let cert = match leaf.role {
            Role::OrganisationSigning => issue!(OrganisationSigning::new(&org(), ca)),
            Role::OrganisationEncryption => issue!(OrganisationEncryption::new(&org(), ca)),
            Role::PersonalSigning => issue!(Personal::signing(&person(), ca)),
            Role::PersonalEncryption => issue!(Personal::encryption(&person(), ca)),
            Role::SealMaker => issue!(SealMaker::new(&org(), ca)),
            Role::System => issue!(SystemCert::new(plain_name(leaf.name), ca)),
            Role::TimeStamping => issue!(TimeStamping::new(plain_name(leaf.name), ca)),
            Role::RootCa | Role::SubCa => panic!("TestPki::issue issues end-entity roles only"),
        }
        .expect("issue the certificate");
        KeyCert { key, cert }
    }

    /// A trust store with the root as anchor and the subordinate CA as intermediate.
    pub fn store(&self) -> TrustStore {
        let mut s = TrustStore::new();
        s.add_anchor(self.root.cert.clone()).expect("anchor");
        s.add_intermediate(self.sub.cert.clone())
            .expect("intermediate");
        s
    }

    /// A v2 CRL of the subordinate CA (thisUpdate 2020-01-01, nextUpdate 2045-01-01) listing
    /// `revoked` (certificate, revocation date, reason).
    pub fn crl(&self, revoked: &[(&Cert, DateTime, Option<CrlReason>)]) -> Crl {
        let contents = CrlContents {
            this_update: date(2020, 1, 1),
            next_update: Some(date(2045, 1, 1)),
            crl_number: 1,
            revoked: revoked
                .iter()
                .map(|(cert, date, reason)| RevokedEntry {
                    serial: cert.serial().clone(),
                    date: *date,
                    reason: *reason,
                })
                .collect(),
        };
        Issuer::new(&self.sub.key)
            .issue_crl(&self.sub.cert, &contents)
            .expect("issue the CRL")
    }

    /// `cert` (one of this PKI's end-entity certificates) re-signed by the sub CA with the
    /// empty SM2 ID, as OpenSSL 3.0 signs without `distid` (DER): gmseal-cert refuses its
    /// signature unless `ChainOptions::allow_empty_id`.
    pub fn resign_with_empty_id(&self, cert: &Cert) -> Vec<u8> {
        use gmseal_cert::der::asn1::{Any, BitString};
        use gmseal_cert::der::{Encode, Tag};
        use gmseal_cert::x509_cert::spki::AlgorithmIdentifierOwned;
        use gmseal_sm2::{DistId, SignatureFormat, Sm2SignerExt};
        let tbs = cert.tbs_der();
        let sig = self
            .sub
            .key
            .sign_message_encoded(&DistId::EMPTY, tbs, SignatureFormat::Der)
            .expect("sign");
        let alg = AlgorithmIdentifierOwned {
            oid: gmseal_sm2::oid::SM2_WITH_SM3,
            parameters: None,
        }
        .to_der()
        .expect("algorithm");
        let bits = BitString::from_bytes(&sig)
            .and_then(|b| b.to_der())
            .expect("signature");
        Any::new(Tag::Sequence, [tbs, &alg, &bits].concat())
            .and_then(|a| a.to_der())
            .expect("certificate")
    }

    /// [`store`](Self::store) with [`crl`](Self::crl)`(revoked)` added.
    pub fn store_with_crl(&self, revoked: &[(&Cert, DateTime, Option<CrlReason>)]) -> TrustStore {
        let mut s = self.store();
        s.add_crl(self.crl(revoked)).expect("CRL");
        s
    }
}
