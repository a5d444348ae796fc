//! Platform messages against a bare SM2 verification in the same run.
//!
//! Baseline `sm2/verify`: `Sm2VerifyingKey::verify` over the same signing input the message
//! check computes. `provincial/verify_json` adds parsing the text, the sorted `k=v&` input and
//! base64; `provincial/parse` is the typed parse alone; `system_register/read_verify` reads and
//! verifies a package (certificate parsing included). Report each as a ratio to the baseline.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use gmseal_register::json::{Document, Limits};
use gmseal_register::message::{ParseOptions, parse};
use gmseal_register::provincial::{self, ExtendData, SealDownloadRequest, SigningInput};
use gmseal_register::seal_data::Carrier;
use gmseal_register::system_register::*;
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};

fn bench(c: &mut Criterion) {
    let key = SoftwareSigner::from_bytes(&[3u8; 32]).unwrap();
    let ca = gmseal_register::testing::TestCa::new().unwrap();
    let cert = ca.system_certificate(&key, "CN=bench").unwrap();
    let codes: Vec<String> = (0..20).map(|i| format!("XXCA430111{i:08}")).collect();
    let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let req =
        SealDownloadRequest::new(&refs, ExtendData::new(&cert, Carrier::UKey).unwrap()).unwrap();
    let text = provincial::to_signed_json(&req, &key, &Default::default()).unwrap();
    let doc = Document::parse(&text, &Limits::default()).unwrap();
    let input = SigningInput::SortedKeyValue
        .compute(&doc, &Limits::default())
        .unwrap();
    let sig = key.sign_message(&DistId::default(), &input).unwrap();
    let vk = Sm2VerifyingKey::new(key.public_key(), DistId::default());

    let info = BjcaRegisterInfo::new(
        BjcaHeader::new("BJCARegisterInfo", 1, "BJCA").unwrap(),
        BjcaSystemInfo::new(
            SystemType::Manage,
            cert,
            "https://x.example/",
            "91350100M000100Y43",
            "x",
        )
        .unwrap(),
        Some(BjcaSubSystemInfo::new("91110000600037341L", "y").unwrap()),
    );
    let package = SystemRegister::sign(info, &key, &SignOptions::default())
        .unwrap()
        .to_der()
        .unwrap();

    let mut g = c.benchmark_group("register");
    g.bench_function("sm2/verify", |b| {
        b.iter(|| vk.verify(&input, &sig).unwrap())
    });
    g.bench_function("provincial/verify_json", |b| {
        b.iter(|| {
            assert!(
                provincial::verify_json(&text, &key.public_key(), &Default::default())
                    .unwrap()
                    .is_valid()
            )
        })
    });
    g.bench_function("provincial/parse", |b| {
        b.iter(|| parse::<SealDownloadRequest>(&text, &ParseOptions::default()).unwrap())
    });
    g.bench_function("system_register/read_verify", |b| {
        b.iter(|| {
            let r = ReadSystemRegister::read(&package, &ReadOptions::default()).unwrap();
            assert!(r.verify(&VerifyOptions::default()).unwrap().is_valid())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
