//! Batch verification of 1,000 sealed documents (500 OFD, 500 PDF invoices under one seal and
//! one test PKI, verified with trust anchors), as a ratio to one bare SM2 verification
//! measured in the same run.
//!
//! * `sm2/bare-verify` — the baseline: RustCrypto `sm2` verifying a 20-byte message with a
//!   prebuilt key;
//! * `one-by-one` — a fresh verifier per document, no cache (a loop over `verify_bytes`);
//! * `uncached` — one verifier for the batch, no cache, sequential;
//! * `cached` — one verifier and one `VerifyCache`, sequential;
//! * `cached-parallel` — the batch API (`gmseal_pdf::verify_many`,
//!   `gmseal_ofd::Verifier::verify_many`): one cache, rayon's thread pool.
//!
//! A document costs about six SM2 verifications uncached (signer and maker signatures, two
//! certificate signatures in each of two chains) and one with the cache. Each iteration
//! verifies the whole batch; the per-document time is printed with its ratio to the baseline.
//! `GMSEAL_BATCH_DOCS` changes the number of documents (default 1000; 20 under `cargo test`).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fixture.rs"]
mod fixture;

use std::path::PathBuf;

use criterion::Criterion;
use fixture::{
    BatchPki, Kind, Mode, ofd_valid, pdf_valid, sealed_invoices, verify_ofd, verify_pdf,
};
use signature::{Signer, Verifier};

fn output_dir() -> PathBuf {
    if let Some(h) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(h);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("criterion")
}

fn median_ns(dir: &std::path::Path, group: &str, id: &str) -> Option<f64> {
    let p = dir.join(group).join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(p).ok()?;
    // "median":{"confidence_interval":{...},"point_estimate":N,...}
    let median = &text[text.find("\"median\"")?..];
    let pe = &median[median.find("\"point_estimate\":")? + 17..];
    pe[..pe.find(',')?].trim().parse().ok()
}

fn name(mode: Mode) -> &'static str {
    match mode {
        Mode::OneByOne => "one-by-one",
        Mode::Uncached => "uncached",
        Mode::Cached => "cached",
        Mode::CachedParallel => "cached-parallel",
    }
}

fn main() {
    // `cargo test --benches` (no `--bench` argument) runs each bench once, as criterion does:
    // 20 documents are enough to check it works.
    let test_mode = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("GMSEAL_BATCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if test_mode { 20 } else { 1000 });
    let dir = output_dir();
    let mut c = Criterion::default()
        .output_directory(&dir)
        .configure_from_args();

    let pki = BatchPki::new();
    let store = pki.store();
    let docs = sealed_invoices(&pki, n - n / 2, n / 2);
    let of_kind = |k| -> Vec<Vec<u8>> {
        docs.iter()
            .filter(|d| d.kind == k)
            .map(|d| d.bytes.clone())
            .collect()
    };
    let (ofd, pdf) = (of_kind(Kind::Ofd), of_kind(Kind::Pdf));
    let run = |mode| {
        let valid = verify_ofd(&ofd, &store, mode)
            .iter()
            .filter(|r| ofd_valid(r))
            .count()
            + verify_pdf(&pdf, &store, mode)
                .iter()
                .filter(|r| pdf_valid(r))
                .count();
        assert_eq!(valid, n, "{mode:?}");
    };

    let msg = [0x61u8; 20];
    let signer = gmseal_sm2::SoftwareSigner::from_bytes(&[1u8; 32]).unwrap();
    let sk = sm2::dsa::SigningKey::new("1234567812345678", signer.secret_key()).unwrap();
    let vk = sk.verifying_key().clone();
    let sig: sm2::dsa::Signature = sk.sign(&msg);

    let group = format!("batch-{n}");
    let mut g = c.benchmark_group(&group);
    g.sample_size(10);
    g.bench_function("sm2/bare-verify", |b| {
        b.iter(|| vk.verify(&msg, &sig).unwrap())
    });
    for mode in Mode::ALL {
        g.bench_function(name(mode), |b| b.iter(|| run(mode)));
    }
    g.finish();
    c.final_summary();

    if let Some(base) = median_ns(&dir, &group, "sm2_bare-verify") {
        eprintln!(
            "\nper document, as a ratio to one bare SM2 verify ({:.1} µs):",
            base / 1e3
        );
        for mode in Mode::ALL {
            if let Some(t) = median_ns(&dir, &group, name(mode)) {
                let per_doc = t / n as f64;
                eprintln!(
                    "  {:<16} {:8.1} µs/document  {:5.2}x",
                    name(mode),
                    per_doc / 1e3,
                    per_doc / base
                );
            }
        }
    }
}
