//! gmseal-register: build and sign a SystemRegister registration package with the platform's
//! system key, write it as DER, read it back and verify it.
//!
//! `cargo run -p gmseal-examples --example register_system`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use der::DateTime;
use gmseal_cert::Issuer;
use gmseal_cert::issue::validity;
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::SystemCert;
use gmseal_examples::{BoxError, TestPki};
use gmseal_register::system_register::{
    BjcaHeader, BjcaRegisterInfo, BjcaSubSystemInfo, BjcaSystemInfo, ReadOptions,
    ReadSystemRegister, SignOptions, SystemRegister, SystemType, VerifyOptions,
};
use gmseal_sm2::SoftwareSigner;

fn run() -> Result<(), BoxError> {
    let pki = TestPki::new()?;
    // The platform's system certificate (gmseal-cert's SystemCert profile).
    let system_key = SoftwareSigner::generate();
    let name = NameBuilder::new()
        .country("CN")?
        .common_name("某某电子印章平台")?
        .build();
    let valid = validity(
        DateTime::new(2025, 1, 1, 0, 0, 0)?,
        DateTime::new(2030, 1, 1, 0, 0, 0)?,
    )?;
    let system_cert = Issuer::new(&pki.root_key).issue(
        SystemCert::new(name, &pki.root)?,
        &system_key.public_key(),
        valid,
    )?;

    let info = BjcaRegisterInfo::new(
        BjcaHeader::new("BJCARegisterInfo", 1, "gmseal")?,
        BjcaSystemInfo::new(
            SystemType::Manage,
            system_cert.der().to_vec(),
            "https://seal.example.cn/ess",
            "91350100M000100Y43",
            "省公共资源交易中心",
        )?,
        Some(BjcaSubSystemInfo::new(
            "91110000600037341L",
            "某某二级电子印章平台",
        )?),
    );
    let der = SystemRegister::sign(info, &system_key, &SignOptions::default())?.to_der()?;
    println!("SystemRegister: {} bytes of DER", der.len());

    let package = ReadSystemRegister::read(&der, &ReadOptions::default())?;
    let report = package.verify(&VerifyOptions::default())?;
    print!("{report}");
    assert!(report.is_valid());
    Ok(())
}

fn main() -> Result<(), BoxError> {
    run()
}

#[test]
fn example_runs() {
    run().unwrap();
}
