//! Shared test support: keys, certificates, temporary directories.

use gmseal_register::system_register::*;
use gmseal_sm2::SoftwareSigner;

pub(crate) const UPPER_ORG: &str = "91350100M000100Y43";
pub(crate) const SUB_ORG: &str = "91110000600037341L";

/// A fresh key and a system certificate for it, issued by the shared test PKI's sub CA
/// (gmseal-cert's SystemCert profile).
pub(crate) fn key_and_cert() -> (SoftwareSigner, Vec<u8>) {
    let kc = gmseal_testkit::pki::TestPki::shared().leaf(
        gmseal_cert::profile::Role::System,
        "Provincial seal platform",
    );
    let der = kc.der();
    (kc.key, der)
}

pub(crate) fn register_info(cert: Vec<u8>) -> BjcaRegisterInfo {
    BjcaRegisterInfo::new(
        BjcaHeader::new("BJCARegisterInfo", 1, "BJCA").unwrap(),
        BjcaSystemInfo::new(
            SystemType::Manage,
            cert,
            "https://seal.example.cn/anysign-ess-server-service",
            UPPER_ORG,
            "湖南省公共资源交易中心",
        )
        .unwrap(),
        Some(BjcaSubSystemInfo::new(SUB_ORG, "某某二级电子印章平台").unwrap()),
    )
}
