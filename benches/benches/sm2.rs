//! SM2 through gmseal's glue against bare RustCrypto `sm2` in the same run.
//!
//! Baselines: `bare/sign` and `bare/verify` call the `sm2` crate directly with a prebuilt key;
//! `gmseal/*` go through `Sm2Signer` / `Sm2VerifyingKey` (Z computed per call for signing, cached
//! for verifying) and DER encoding/decoding. The ratio gmseal/bare is the glue's overhead.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};
use signature::{Signer, Verifier};

fn bench(c: &mut Criterion) {
    let msg = [0x61u8; 20];
    let signer = SoftwareSigner::from_bytes(&[1u8; 32]).unwrap();
    let bare_sk = sm2::dsa::SigningKey::new("1234567812345678", signer.secret_key()).unwrap();
    let bare_vk = bare_sk.verifying_key().clone();
    let bare_sig: sm2::dsa::Signature = bare_sk.sign(&msg);
    let vk = Sm2VerifyingKey::new(signer.public_key(), DistId::default());
    let der = signer
        .sign_message_encoded(&DistId::default(), &msg, SignatureFormat::Der)
        .unwrap();

    let mut g = c.benchmark_group("sm2");
    g.bench_function("bare/sign", |b| b.iter(|| bare_sk.sign(&msg)));
    g.bench_function("gmseal/sign_der", |b| {
        b.iter(|| {
            signer
                .sign_message_encoded(&DistId::default(), &msg, SignatureFormat::Der)
                .unwrap()
        })
    });
    g.bench_function("bare/verify", |b| {
        b.iter(|| bare_vk.verify(&msg, &bare_sig).unwrap())
    });
    g.bench_function("gmseal/verify_der", |b| {
        b.iter(|| {
            vk.verify_encoded(&msg, &der, SignatureFormat::Der, Strictness::Strict)
                .unwrap()
        })
    });
    g.bench_function("gmseal/verify_der_fresh_key", |b| {
        b.iter(|| {
            Sm2VerifyingKey::new(signer.public_key(), DistId::default())
                .verify_encoded(&msg, &der, SignatureFormat::Der, Strictness::Strict)
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
