//! Signing through the SKF binding and the software token against a software key in the same
//! run.
//!
//! Baseline: `sign/software` (a `SoftwareSigner` with the same key). `sign/skf_verified` goes
//! through `SkfSigner` (binding, call lock, dlopen'd token: store read, key unsealed, signed,
//! blob converted) and verifies the result as `SkfSigner` does by default; `sign/skf_unverified`
//! without that check. The ratio to the baseline is the cost of the device path; on real
//! hardware the device's own signing time dominates instead.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use gmseal_skf::{SignerConfig, SkfSigner};
use gmseal_skf_soft::{TestToken, TestTokenSpec};
use gmseal_sm2::{DistId, Sm2SignerExt, SoftwareSigner};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let software = SoftwareSigner::from_bytes(&[7u8; 32]).unwrap();
    let token = TestToken::create(
        dir.path(),
        &TestTokenSpec::default().secret(software.secret_key().clone()),
    )
    .unwrap();
    let config = SignerConfig::new(
        &token.library,
        &token.application,
        &token.container,
        &token.user_pin,
    );
    let mut skf = SkfSigner::open(&config).unwrap();
    let msg = [0x61u8; 64];
    let id = DistId::default();

    let mut g = c.benchmark_group("sign");
    g.bench_function("software", |b| {
        b.iter(|| software.sign_message(&id, &msg).unwrap())
    });
    g.bench_function("skf_verified", |b| {
        b.iter(|| skf.sign_message(&id, &msg).unwrap())
    });
    skf.set_verify_signatures(false);
    g.bench_function("skf_unverified", |b| {
        b.iter(|| skf.sign_message(&id, &msg).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
