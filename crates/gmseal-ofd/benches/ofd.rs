//! Signing and verifying a generated 100-page OFD (≈8 MB, 204 files) against one SM3 pass over
//! the same package bytes, and sOFD's verifier on the same file, in the same run.
//!
//! Baseline `sm3/package`: SM3 over the whole signed package (what any verifier must at least
//! hash). Results are printed at the end as ratios of criterion's medians:
//! `gmseal/sign`, `gmseal/verify` and `sofd/verify` divided by `sm3/package`. Goals (issue #8):
//! sign ≤ 2×, verify ≤ 1.5×; a small sealed document verified in < 2 ms.
//!
//! `gmseal/sign` is the whole operation: open and check the package, hash every file, write
//! Signature.xml, sign it (SM2), rewrite the zip. `gmseal/verify` opens and checks the package,
//! parses the signature files, re-hashes all 204 referenced files and verifies the SM2 value.
//! `sofd/verify` is sofd-sign 0.6 on the same document (it re-hashes every reference of a
//! non-SES signature, then answers Unchecked for want of a certificate).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/gen.rs"]
mod generate;
#[path = "../tests/support/scan.rs"]
mod scan;

use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use gmseal_ofd::signed_value::raw_sm2::{RawSm2Signer, RawSm2Verifier};
use gmseal_ofd::{Package, Rect, SignOptions, Signer, Stamp, Verdict, Verifier};
use gmseal_sm2::SoftwareSigner;

fn sofd_verify(bytes: &[u8]) -> sofd_sign::VerifyStatus {
    let mut p = sofd_package::Package::from_bytes(bytes).unwrap();
    let list = sofd_sign::read_sign_list(&mut p, "Doc_0/Signs/Signatures.xml").unwrap();
    let sig = sofd_sign::read_signature(&mut p, &list[0].base_loc).unwrap();
    sofd_sign::verify_signature(&mut p, &sig).unwrap()
}

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
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn main() {
    let dir = output_dir();
    let mut c = Criterion::default()
        .output_directory(&dir)
        .configure_from_args();

    let key = SoftwareSigner::from_bytes(&[7; 32]).unwrap();
    let raw = RawSm2Signer::new(&key);
    let signer = Signer::new(&raw);
    let verifier = Verifier::new().sign_verifier(RawSm2Verifier::new().with_key(key.public_key()));
    let options = SignOptions::default().stamp(Stamp::at(0, Rect::new(150.0, 240.0, 40.0, 40.0)));

    let unsigned = generate::generate(100, 80_000, None);
    let signed = signer.sign(&unsigned, &options).unwrap().package;
    let files = Package::from_bytes(signed.clone()).unwrap().files().count();
    eprintln!(
        "document: 100 pages, {files} files, unsigned {} bytes, signed {} bytes",
        unsigned.len(),
        signed.len()
    );
    let r = verifier
        .verify(&Package::from_bytes(signed.clone()).unwrap())
        .unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r}");
    assert_eq!(sofd_verify(&signed), sofd_sign::VerifyStatus::Unchecked);

    {
        let mut g = c.benchmark_group("ofd-100p");
        g.sample_size(20).measurement_time(Duration::from_secs(8));
        g.bench_function("sm3/package", |b| {
            b.iter(|| gmseal_sm2::digest::sm3(&signed))
        });
        g.bench_function("gmseal/sign", |b| {
            b.iter(|| signer.sign(&unsigned, &options).unwrap())
        });
        g.bench_function("gmseal/verify", |b| {
            b.iter_batched(
                || signed.clone(),
                |bytes| verifier.verify_bytes(bytes).unwrap(),
                BatchSize::LargeInput,
            )
        });
        g.bench_function("sofd/verify", |b| b.iter(|| sofd_verify(&signed)));
        g.finish();
    }

    // Small documents: absolute times.
    let small = signer
        .sign(
            &gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd"),
            &options,
        )
        .unwrap()
        .package;
    let sealed = gmseal_testkit::corpus_bytes("ofd/seal-v4-wholeprotected-allprotected.ofd");
    let seal_verifier = Verifier::new().seal_verifier(scan::ScanSes);
    {
        let mut g = c.benchmark_group("ofd-small");
        g.bench_function("gmseal/verify-helloworld-sign", |b| {
            b.iter_batched(
                || small.clone(),
                |bytes| verifier.verify_bytes(bytes).unwrap(),
                BatchSize::SmallInput,
            )
        });
        // SES checks are a dataHash scan until gmseal-ses is wired in: this measures the OFD
        // side (package, XML, references, stamps) of verifying a 36 KB sealed document.
        g.bench_function("gmseal/verify-ofdrw-seal-ofd-side", |b| {
            b.iter_batched(
                || sealed.clone(),
                |bytes| seal_verifier.verify_bytes(bytes).unwrap(),
                BatchSize::SmallInput,
            )
        });
        g.bench_function("sofd/verify-ofdrw-seal", |b| {
            b.iter(|| {
                let mut p = sofd_package::Package::from_bytes(&sealed).unwrap();
                let list = sofd_sign::read_sign_list(&mut p, "Doc_0/Signs/Signatures.xml").unwrap();
                let sig = sofd_sign::read_signature(&mut p, &list[0].base_loc).unwrap();
                sofd_sign::verify_signature(&mut p, &sig).unwrap()
            })
        });
        g.finish();
    }
    c.final_summary();

    // Ratios to the SM3 baseline of the same run.
    if let Some(base) = median_ns(&dir, "ofd-100p", "sm3_package") {
        eprintln!(
            "\nratios to SM3 over the signed package ({:.1} ms):",
            base / 1e6
        );
        for id in ["gmseal_sign", "gmseal_verify", "sofd_verify"] {
            if let Some(t) = median_ns(&dir, "ofd-100p", id) {
                eprintln!("  {id:<16} {:7.1} ms  {:5.2}x", t / 1e6, t / base);
            }
        }
        for id in [
            "gmseal_verify-helloworld-sign",
            "gmseal_verify-ofdrw-seal-ofd-side",
            "sofd_verify-ofdrw-seal",
        ] {
            if let Some(t) = median_ns(&dir, "ofd-small", id) {
                eprintln!("  {id:<36} {:8.1} µs", t / 1e3);
            }
        }
    }
}
