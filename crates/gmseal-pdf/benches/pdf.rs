//! Signing and verifying a generated 200-page, ~20 MB PDF, as ratios to SM3 over the same bytes
//! measured in the same run (the goals: sign within 2×, verify within 1.5×; see
//! `shared/notes/perf-docs.md`).
//!
//! The signature container is the test one (raw SM2 over the digest): the CMS and seal layers
//! add one SM2 operation and a few kilobytes of DER, negligible against hashing 20 MB.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/suite/gen.rs"]
mod generate;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gmseal_pdf::{
    Check, CheckKind, ContainerError, ContainerReport, ContentsRequest, ContentsSigner,
    ContentsVerifier, Format, Placement, SealImage, SigFilter, SignOptions, VerifyOptions,
    VerifyRequest,
};
use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};
use sm3::Digest;

struct Raw(SoftwareSigner, SigFilter);

impl ContentsSigner for Raw {
    fn sig_filter(&self) -> SigFilter {
        self.1.clone()
    }
    fn max_contents_len(&self) -> usize {
        8192
    }
    fn sign(&self, r: &ContentsRequest<'_>) -> Result<Vec<u8>, ContainerError> {
        Ok(self
            .0
            .sign_message_encoded(&DistId::default(), &r.digest, SignatureFormat::Der)?)
    }
}

struct RawVerify(Sm2VerifyingKey);

impl ContentsVerifier for RawVerify {
    fn accepts(&self, _: Format, _: Option<&[u8]>) -> bool {
        true
    }
    fn verify(&self, r: &VerifyRequest<'_>) -> ContainerReport {
        let ok = self
            .0
            .verify_encoded(
                &r.digest,
                r.contents,
                SignatureFormat::Der,
                Strictness::Strict,
            )
            .is_ok();
        ContainerReport::new(vec![if ok {
            Check::pass(CheckKind::Signature, "ok")
        } else {
            Check::fail(CheckKind::Signature, "bad")
        }])
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bench(c: &mut Criterion) {
    let input = generate::document(200);
    let key = SoftwareSigner::from_bytes(&[7u8; 32]).unwrap();
    let vk = Sm2VerifyingKey::new(key.public_key(), DistId::default());
    let png = gmseal_pdf::image::test_png(496, 496);
    let opts = SignOptions::new().seal(
        SealImage::from_bytes(&png, 42.0, 42.0).unwrap(),
        Placement::new(1, 150.0, 230.0),
    );
    let format_a = Raw(key.clone(), SigFilter::adobe_pkcs7_detached());
    let format_b = Raw(key.clone(), SigFilter::gm_sm2seal());
    let signed = gmseal_pdf::sign(input.clone(), &format_b, &opts).unwrap();
    let verifier = RawVerify(vk);
    let vopts = VerifyOptions::new().verifier(&verifier);

    let mut g = c.benchmark_group(format!("pdf-{}MB", input.len() / 1_000_000));
    g.sample_size(10);
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.bench_function("sm3 (baseline)", |b| {
        b.iter(|| sm3::Sm3::digest(black_box(&input)))
    });
    g.bench_function("sign format A names", |b| {
        b.iter(|| gmseal_pdf::sign(input.clone(), &format_a, &opts).unwrap())
    });
    g.bench_function("sign format B names", |b| {
        b.iter(|| gmseal_pdf::sign(input.clone(), &format_b, &opts).unwrap())
    });
    g.bench_function("verify", |b| {
        b.iter(|| gmseal_pdf::verify_bytes(black_box(&signed), &vopts).unwrap())
    });
    g.finish();

    // The ratios, measured here in one interleaved run (criterion's own numbers are above).
    let mut sm3 = Vec::new();
    let mut sign = Vec::new();
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
        let t = Instant::now();
        black_box(gmseal_pdf::verify_bytes(&signed, &vopts).unwrap());
        verify.push(t.elapsed());
    }
    let (s, si, v) = (median(sm3), median(sign), median(verify));
    println!(
        "\nratio report ({} bytes, {} pages): sm3 {:.1} ms; sign {:.1} ms = {:.2}x sm3 (input clone for the API, {:.1} ms, not counted); verify {:.1} ms = {:.2}x sm3",
        input.len(),
        200,
        s.as_secs_f64() * 1e3,
        si.as_secs_f64() * 1e3,
        si.as_secs_f64() / s.as_secs_f64(),
        median(copy).as_secs_f64() * 1e3,
        v.as_secs_f64() * 1e3,
        v.as_secs_f64() / s.as_secs_f64(),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
