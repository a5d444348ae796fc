//! Seal-signature verification (all steps, 3-certificate chains) and making, against one bare
//! SM2 verify / sign of RustCrypto's `sm2` in the same run.
//!
//! * `bare/verify`, `bare/sign`: the `sm2` crate directly, prebuilt key, 20-byte message;
//! * `ses/verify_all_steps`: [`verify`] of a parsed v4 signature over 1 KiB of data, with
//!   gmseal-cert's chain verifier over the test PKI (signer and maker chains: leaf → sub CA →
//!   root each, the anchor's own signature not checked): 6 SM2 verifications (2 seal, 4
//!   certificate), certificate parses, SM3 of TBS_Sign and the seal;
//! * `ses/parse_and_verify`: the same from DER;
//! * `ses/sign`: [`SignatureBuilder::sign`] (sign, check the result under the key, re-parse);
//! * `ses/make_seal`: [`SealBuilder::sign`].
//!
//! The ratio `ses/*` ÷ `bare/*` is the cost of the seal layer in SM2 operations.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("../tests/common/pki.rs");
}

use criterion::{Criterion, criterion_group, criterion_main};
use der::DateTime;
use gmseal_ses::verify::{CertChainVerifier, SignedContent, VerifyOptions, verify, verify_der};
use gmseal_ses::{SesVersion, SignatureBuilder};
use signature::{Signer, Verifier};

fn bench(c: &mut Criterion) {
    let msg = [0x61u8; 20];
    let key = gmseal_sm2::SoftwareSigner::from_bytes(&[1u8; 32]).unwrap();
    let bare_sk = sm2::dsa::SigningKey::new("1234567812345678", key.secret_key()).unwrap();
    let bare_vk = bare_sk.verifying_key().clone();
    let bare_sig: sm2::dsa::Signature = bare_sk.sign(&msg);

    let data = vec![0x5Au8; 1024];
    let at = DateTime::new(2026, 6, 1, 0, 0, 0).unwrap();
    let seal = pki::sample_seal(SesVersion::V4);
    let (holder, holder_cert) = pki::holder();
    let sig = SignatureBuilder::new(&seal, holder_cert.clone())
        .data(&data)
        .time(at)
        .sign(&holder)
        .unwrap();
    let store = pki::store();
    let chain = CertChainVerifier::new(&store, gmseal_cert::ChainOptions::default());
    let options = VerifyOptions::default().with_chain_verifier(&chain);
    let report = verify(&sig, SignedContent::Bytes(&data), &options);
    assert_eq!(
        report.verdict,
        gmseal_ses::verify::Verdict::Valid,
        "{report}"
    );
    let maker = pki::maker().0;
    let seal_builder = pki::sample_builder(SesVersion::V4);

    let mut g = c.benchmark_group("ses");
    g.bench_function("bare/verify", |b| {
        b.iter(|| bare_vk.verify(&msg, &bare_sig).unwrap())
    });
    g.bench_function("bare/sign", |b| b.iter(|| bare_sk.sign(&msg)));
    g.bench_function("ses/verify_all_steps", |b| {
        b.iter(|| verify(&sig, SignedContent::Bytes(&data), &options))
    });
    g.bench_function("ses/parse_and_verify", |b| {
        b.iter(|| verify_der(sig.as_der(), SignedContent::Bytes(&data), &options).unwrap())
    });
    g.bench_function("ses/sign", |b| {
        b.iter(|| {
            SignatureBuilder::new(&seal, holder_cert.clone())
                .data(&data)
                .time(at)
                .sign(&holder)
                .unwrap()
        })
    });
    g.bench_function("ses/make_seal", |b| {
        b.iter(|| seal_builder.sign(&maker).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
