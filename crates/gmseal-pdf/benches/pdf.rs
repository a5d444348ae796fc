//! Signing and verifying a generated 200-page, ~20 MB PDF, as ratios to SM3 over the same bytes
//! measured in the same run (the goals: sign within 2×, verify within 1.5×; see
//! `shared/notes/perf-docs.md`).
//!
//! Format A is gmseal-cms's SM2 `SignedData`, format B gmseal-ses's `SES_Signature` (its seal
//! and certificates made for the run); verification checks format B with gmseal-ses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/suite/gen.rs"]
mod generate;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gmseal_pdf::{Placement, SealImage, SignOptions, VerifyOptions};
use sm3::Digest;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bench(c: &mut Criterion) {
    let input = generate::document(200);
    // benches/run-all.sh signs the same file with pyHanko
    if let Some(dir) = std::env::var_os("GMSEAL_BENCH_DUMP") {
        std::fs::write(std::path::Path::new(&dir).join("pdf-200p.pdf"), &input).unwrap();
    }
    let png = gmseal_pdf::image::test_png(496, 496);
    let opts = SignOptions::new().seal(
        SealImage::from_bytes(&png, 42.0, 42.0).unwrap(),
        Placement::new(1, 150.0, 230.0),
    );
    let (cms_key, cms_cert) = gmseal_cms::test_support::self_signed("CN=Bench").unwrap();
    let format_a = gmseal_pdf::cms::CmsContents::new(&cms_key, cms_cert);
    let (maker_key, maker_cert) = gmseal_cms::test_support::self_signed("CN=Maker").unwrap();
    let (holder_key, holder_cert) = gmseal_cms::test_support::self_signed("CN=Holder").unwrap();
    let holder_cert = der::Encode::to_der(&holder_cert).unwrap();
    let now = std::time::SystemTime::now();
    let seal = gmseal_ses::SealBuilder::new(
        "3301020000001",
        "bench seal",
        der::Encode::to_der(&maker_cert).unwrap(),
    )
    .holder_certificate(holder_cert.clone())
    .validity(
        der::DateTime::from_system_time(now).unwrap(),
        der::DateTime::from_system_time(now + Duration::from_secs(300 * 86400)).unwrap(),
    )
    .picture("PNG", png.clone(), 42, 42)
    .sign(&maker_key)
    .unwrap();
    let format_b = gmseal_pdf::seal::SealContents::new(&seal, &holder_key, holder_cert);
    let signed = gmseal_pdf::sign(input.clone(), &format_b, &opts).unwrap();
    let verifier =
        gmseal_pdf::seal::SealVerifier::new(gmseal_ses::verify::VerifyOptions::default());
    let vopts = VerifyOptions::new().verifier(&verifier);

    let mut g = c.benchmark_group(format!("pdf-{}MB", input.len() / 1_000_000));
    g.sample_size(10);
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.bench_function("sm3 (baseline)", |b| {
        b.iter(|| sm3::Sm3::digest(black_box(&input)))
    });
    g.bench_function("sign format A (CMS)", |b| {
        b.iter(|| gmseal_pdf::sign(input.clone(), &format_a, &opts).unwrap())
    });
    g.bench_function("sign format B (seal)", |b| {
        b.iter(|| gmseal_pdf::sign(input.clone(), &format_b, &opts).unwrap())
    });
    g.bench_function("verify format B", |b| {
        b.iter(|| gmseal_pdf::verify_bytes(black_box(&signed), &vopts).unwrap())
    });
    g.finish();

    // The ratios, measured here in one interleaved run (criterion's own numbers are above).
    let mut sm3 = Vec::new();
    let mut sign = Vec::new();
    let mut sign_a = Vec::new();
    let mut copy = Vec::new();
    let mut verify = Vec::new();
    for _ in 0..15 {
        let t = Instant::now();
        black_box(sm3::Sm3::digest(black_box(&input)));
        sm3.push(t.elapsed());
        let t = Instant::now();
        black_box(input.clone());
        copy.push(t.elapsed());
        let owned = input.clone();
        let t = Instant::now();
        black_box(gmseal_pdf::sign(owned, &format_b, &opts).unwrap());
        sign.push(t.elapsed());
        let owned = input.clone();
        let t = Instant::now();
        black_box(gmseal_pdf::sign(owned, &format_a, &opts).unwrap());
        sign_a.push(t.elapsed());
        let t = Instant::now();
        black_box(gmseal_pdf::verify_bytes(&signed, &vopts).unwrap());
        verify.push(t.elapsed());
    }
    let (s, si, sa, v) = (median(sm3), median(sign), median(sign_a), median(verify));
    println!(
        "\nratio report ({} bytes, {} pages): sm3 {:.1} ms; sign A {:.1} ms = {:.2}x; sign B {:.1} ms = {:.2}x sm3 (input clone for the API, {:.1} ms, not counted); verify B {:.1} ms = {:.2}x sm3",
        input.len(),
        200,
        s.as_secs_f64() * 1e3,
        sa.as_secs_f64() * 1e3,
        sa.as_secs_f64() / s.as_secs_f64(),
        si.as_secs_f64() * 1e3,
        si.as_secs_f64() / s.as_secs_f64(),
        median(copy).as_secs_f64() * 1e3,
        v.as_secs_f64() * 1e3,
        v.as_secs_f64() / s.as_secs_f64(),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
