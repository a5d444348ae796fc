//! SignedData signing and verification, reported against the bare SM2 operations measured
//! in the same run (the CMS overhead is the ratio).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use gmseal_cms::test_support::self_signed;
use gmseal_cms::*;
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey};

fn bench(c: &mut Criterion) {
    let (key, cert) = self_signed("CN=bench").unwrap();
    let digest = ContentDigest::of(&[7u8; 4096]);
    let attrs = [0x31u8; 200];
    let mut g = c.benchmark_group("cms");
    g.bench_function("baseline: SM2 sign of 200 bytes", |b| {
        b.iter(|| key.sign_message(&DistId::default(), &attrs).unwrap())
    });
    g.bench_function("SignedData detached build", |b| {
        b.iter(|| {
            SignedDataBuilder::new(OidFamily::Pkcs7)
                .detached(digest)
                .signer(CmsSigner::new(&key, cert.clone()))
                .build()
                .unwrap()
        })
    });
    let sig = key.sign_message(&DistId::default(), &attrs).unwrap();
    let vk = Sm2VerifyingKey::new(key.public_key(), DistId::default());
    g.bench_function("baseline: SM2 verify of 200 bytes", |b| {
        b.iter(|| vk.verify(&attrs, &sig).unwrap())
    });
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .detached(digest)
        .signer(CmsSigner::new(&key, cert.clone()))
        .build()
        .unwrap();
    g.bench_function("SignedData detached verify", |b| {
        b.iter(|| {
            verify_signed_data(&der, Content::Digest(digest), &VerifyOptions::default()).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
