//! Shared test support: keys, certificates, temporary directories.

use gmseal_register::system_register::*;
use gmseal_sm2::SoftwareSigner;

pub(crate) const UPPER_ORG: &str = "91350100M000100Y43";
pub(crate) const SUB_ORG: &str = "91110000600037341L";

pub(crate) fn key_and_cert() -> (SoftwareSigner, Vec<u8>) {
    let key = SoftwareSigner::generate();
    let cert = gmseal_register::testing::self_signed_sm2_certificate(
        &key,
        "CN=Provincial seal platform,O=gmseal test,C=CN",
    )
    .unwrap();
    (key, cert)
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
