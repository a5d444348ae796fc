//! A second-level seal platform talking to the provincial platform, end to end:
//!
//! 1. the provincial platform issues a registration package (SystemRegister) for us;
//! 2. we read and verify it, and keep its certificate for verifying the platform's responses;
//! 3. we prepare seal-making data with a picture converted to the provincial profile, validate
//!    it, and sign a seal-making request;
//! 4. the platform verifies the request and answers with a signed response, which we verify;
//! 5. the seal is later disabled on the interoperability platform (HMAC-SM3 signed request).
//!
//! Run: `cargo run -p gmseal-register --example seal_platform`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gmseal_register::interop::{self, RequestKey, RequestSigner, SealState, SealStateMachine};
use gmseal_register::message::{ParseOptions, parse};
use gmseal_register::provincial::{self, ExtendData, SealMakingRequest, SealMakingResponse};
use gmseal_register::seal_data::picture::{ConformOptions, conform_picture};
use gmseal_register::seal_data::*;
use gmseal_register::system_register::*;
use gmseal_register::testing::TestCa;
use gmseal_sm2::SoftwareSigner;

fn main() -> Result<(), gmseal_register::Error> {
    let dir = std::env::temp_dir().join("gmseal-register-example");
    std::fs::create_dir_all(&dir).expect("temporary directory");

    // 1. The provincial platform's key and certificate (from a test CA; gmseal-cert's
    //    SystemCert profile), and the package it issues.
    let ca = TestCa::new()?;
    let platform = SoftwareSigner::generate();
    let platform_cert = ca.system_certificate(&platform, "CN=Provincial seal platform,C=CN")?;
    let info = BjcaRegisterInfo::new(
        BjcaHeader::new("BJCARegisterInfo", 1, "BJCA")?,
        BjcaSystemInfo::new(
            SystemType::Manage,
            platform_cert,
            "https://seal.example.cn/anysign-ess-server-service",
            "91350100M000100Y43",
            "省公共资源交易中心",
        )?,
        Some(BjcaSubSystemInfo::new(
            "91110000600037341L",
            "某某二级电子印章平台",
        )?),
    );
    let package = SystemRegister::sign(info, &platform, &SignOptions::default())?;
    let path = dir.join("SystemRegister.der");
    std::fs::write(&path, package.to_der()?).expect("write package");
    println!("1. registration package written to {}", path.display());

    // 2. We read and verify it.
    let read = ReadSystemRegister::read(
        &std::fs::read(&path).expect("read"),
        &ReadOptions::default(),
    )?;
    // The platform's certificate must chain to the CA we trust.
    let store = ca.trust_store()?;
    let registration = read.verify(
        &VerifyOptions::default().with_chain(&store, gmseal_cert::ChainOptions::default()),
    )?;
    assert!(registration.is_valid(), "{registration}");
    println!("2. package verification:\n{registration}");
    let platform_key = *registration.certificate.public_key();
    let our_org = read
        .package
        .register_info
        .sub_system_info
        .as_ref()
        .map(|s| s.org_code.to_string())
        .unwrap_or_default();

    // 3. Seal-making data: a picture in the provincial profile, a fresh seal number.
    let ours = SoftwareSigner::generate();
    let our_cert = ca.system_certificate(&ours, "CN=Second-level platform,C=CN")?;
    let owner = SoftwareSigner::generate();
    let owner_cert = ca.system_certificate(
        &owner,
        "CN=某某有限公司,2.5.4.42=某某有限公司,2.5.4.12=91110000600037341L,2.5.4.1=91110000600037341L",
    )?;
    let picture = conform_picture(
        &ring_png(480),
        &ConformOptions {
            size_mm: Some((40.0, 40.0)),
            ..ConformOptions::default()
        },
    )?;
    std::fs::write(dir.join("sealImg.png"), &picture).expect("write picture");
    let record = SealRecord {
        seal_name: "某某有限公司合同专用章".into(),
        seal_num: SealNumber::generate("XXCA", "430111", &SealNumberRules::default())?,
        category: SealCategory::Contract,
        height: Millimetres::parse("sealHeight", "40")?,
        width: Millimetres::parse("sealWidth", "40")?,
        picture,
        valid_start: gmseal_register::time::LocalDateTime::parse(
            "validStartTime",
            "2026-01-01 00:00:00",
        )?,
        valid_end: gmseal_register::time::LocalDateTime::parse(
            "validEndTime",
            "2028-12-31 23:59:59",
        )?,
        sign_cert: owner_cert,
        filing: FilingType::New,
        carrier: Carrier::UKey,
        local: LocalOr::Filing,
        org_code: our_org.clone(),
    };
    let profile = SealDataProfile {
        expected_org_code: Some(our_org),
        ..SealDataProfile::new()
    };
    let data = record.to_data();
    println!(
        "3. seal-making data for {}: {}",
        record.seal_num,
        data.validate(&profile)
    );
    let request = SealMakingRequest::new(data, ExtendData::new(&our_cert, Carrier::UKey)?)?;
    let text = provincial::to_signed_json(&request, &ours, &provincial::SignOptions::default())?;
    std::fs::write(dir.join("sealMaking.json"), &text).expect("write request");

    // 4. The platform verifies the request (with our registered key) and answers.
    let received = parse::<SealMakingRequest>(&text, &ParseOptions::default())?;
    let check = provincial::verify_json(received.text(), &ours.public_key(), &Default::default())?;
    println!("4. platform checks our request:\n{check}");
    let response = SealMakingResponse {
        task_code: "sealMaking".into(),
        version: "1.0".into(),
        result_code: "0".into(),
        result_code_msg: "印章制作成功".into(),
        task_type_code: "6".into(),
        data: Some(provincial::TaskIdData {
            task_id: "T0001".into(),
        }),
        sign_info: None,
    };
    let answer =
        provincial::to_signed_json(&response, &platform, &provincial::SignOptions::default())?;
    let check = provincial::verify_json(&answer, &platform_key, &Default::default())?;
    println!("   we check the platform's answer with the package's certificate:\n{check}");

    // 5. Later: disable the seal on the interoperability platform.
    let mut state = SealStateMachine::new();
    state.transition(SealState::Disabled)?;
    let e = interop::Envelope::now("1.0", "our-app-id")?;
    let req = interop::SealStateRequest {
        version: e.version,
        app_id: e.app_id,
        time: e.time,
        nonce: e.nonce,
        seal_code: record.seal_num.to_string(),
        state: state.state().code(),
        sign: None,
    };
    let signed = RequestSigner::new(RequestKey::HmacSm3 {
        app_secret: b"the app secret",
    })
    .sign_message(&req)?;
    println!("5. interop state request: {signed}");
    println!("files in {}", dir.display());
    Ok(())
}

/// A red ring on a transparent background, RGBA.
fn ring_png(px: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity((px * px * 4) as usize);
    let c = f64::from(px) / 2.0;
    for y in 0..px {
        for x in 0..px {
            let d = ((f64::from(x) - c).powi(2) + (f64::from(y) - c).powi(2)).sqrt();
            let ink = (c * 0.82..c * 0.95).contains(&d);
            data.extend_from_slice(&if ink {
                [220, 20, 30, 255]
            } else {
                [255, 255, 255, 0]
            });
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, px, px);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().expect("png header");
    w.write_image_data(&data).expect("png data");
    w.finish().expect("png end");
    out
}
