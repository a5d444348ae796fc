//! A test PKI issued by this crate: root (absent parameters) → sub CA (NULL parameters) →
//! one certificate per end-entity role.
#![allow(dead_code, unreachable_pub, missing_docs)]

use gmseal_cert::issue::{Issuer, validity};
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{
    OrganisationEncryption, OrganisationSigning, Personal, RootCa, SealMaker, SubCa, SystemCert,
    TimeStamping,
};
use gmseal_cert::subject::{OrganisationSubject, PersonalSubject};
use gmseal_cert::{AlgorithmParameters, Cert, Role, TrustStore};
use gmseal_sm2::SoftwareSigner;
use x509_cert::time::Validity;

pub const CRL_URI: &str = "http://crl.example.cn/sub.crl";
pub const USCC: &str = "91350100M000100Y43";
pub const RESIDENT_ID: &str = "11010519491231002X";

pub struct Pki {
    pub root_key: SoftwareSigner,
    pub root: Cert,
    pub sub_key: SoftwareSigner,
    pub sub: Cert,
    pub leaves: Vec<(Role, SoftwareSigner, Cert)>,
}

pub fn validity_2025_2045() -> Validity {
    validity(
        "2025-01-01T00:00:00Z".parse().unwrap(),
        "2045-01-01T00:00:00Z".parse().unwrap(),
    )
    .unwrap()
}

pub fn org() -> OrganisationSubject {
    OrganisationSubject::new("测试有限公司", USCC).unwrap()
}

pub fn person() -> PersonalSubject {
    PersonalSubject::resident("张三", RESIDENT_ID).unwrap()
}

impl Pki {
    pub fn new() -> Pki {
        let v = validity_2025_2045();
        let root_key = SoftwareSigner::generate();
        let root_name = NameBuilder::new()
            .country("CN")
            .unwrap()
            .organization("测试")
            .unwrap()
            .common_name("测试根CA")
            .unwrap()
            .build();
        let root = Issuer::new(&root_key)
            .issue(RootCa::new(root_name), &root_key.public_key(), v)
            .unwrap();
        let sub_key = SoftwareSigner::generate();
        let sub_name = NameBuilder::new()
            .country("CN")
            .unwrap()
            .organization("测试")
            .unwrap()
            .common_name("测试子CA")
            .unwrap()
            .build();
        let sub = Issuer::new(&root_key)
            .with_parameters(AlgorithmParameters::Null)
            .issue(
                SubCa::new(sub_name, &root)
                    .unwrap()
                    .path_len(Some(0))
                    .crl_distribution_point("http://crl.example.cn/root.crl"),
                &sub_key.public_key(),
                v,
            )
            .unwrap();
        let mut leaves = Vec::new();
        let issuer = Issuer::new(&sub_key);
        for role in [
            Role::OrganisationSigning,
            Role::OrganisationEncryption,
            Role::PersonalSigning,
            Role::PersonalEncryption,
            Role::SealMaker,
            Role::System,
            Role::TimeStamping,
        ] {
            let key = SoftwareSigner::generate();
            let pk = key.public_key();
            let cert = match role {
                Role::OrganisationSigning => issuer.issue(
                    OrganisationSigning::new(&org(), &sub)
                        .unwrap()
                        .crl_distribution_point(CRL_URI),
                    &pk,
                    v,
                ),
                Role::OrganisationEncryption => issuer.issue(
                    OrganisationEncryption::new(&org(), &sub)
                        .unwrap()
                        .crl_distribution_point(CRL_URI),
                    &pk,
                    v,
                ),
                Role::PersonalSigning => issuer.issue(
                    Personal::signing(&person(), &sub)
                        .unwrap()
                        .crl_distribution_point(CRL_URI),
                    &pk,
                    v,
                ),
                Role::PersonalEncryption => issuer.issue(
                    Personal::encryption(&person(), &sub)
                        .unwrap()
                        .crl_distribution_point(CRL_URI),
                    &pk,
                    v,
                ),
                Role::SealMaker => issuer.issue(
                    SealMaker::new(&org(), &sub)
                        .unwrap()
                        .crl_distribution_point(CRL_URI),
                    &pk,
                    v,
                ),
                Role::System => issuer.issue(
                    SystemCert::new(org().to_name().unwrap(), &sub)
                        .unwrap()
                        .crl_distribution_point(CRL_URI),
                    &pk,
                    v,
                ),
                Role::TimeStamping => issuer.issue(
                    TimeStamping::new(
                        NameBuilder::new()
                            .country("CN")
                            .unwrap()
                            .common_name("测试时间戳服务")
                            .unwrap()
                            .build(),
                        &sub,
                    )
                    .unwrap()
                    .crl_distribution_point(CRL_URI),
                    &pk,
                    v,
                ),
                _ => unreachable!(),
            }
            .unwrap();
            leaves.push((role, key, cert));
        }
        Pki {
            root_key,
            root,
            sub_key,
            sub,
            leaves,
        }
    }

    pub fn leaf(&self, role: Role) -> &Cert {
        &self.leaves.iter().find(|(r, _, _)| *r == role).unwrap().2
    }

    pub fn store(&self) -> TrustStore {
        let mut s = TrustStore::new();
        s.add_anchor(self.root.clone()).unwrap();
        s.add_intermediate(self.sub.clone()).unwrap();
        s
    }
}
