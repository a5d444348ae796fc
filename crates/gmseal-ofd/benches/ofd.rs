//! Signing and verifying a generated 100-page OFD (≈8 MB, ≈200 files) against one SM3 pass over
//! the same package bytes, and sOFD's verifier on the same files, in the same run.
//!
//! Baseline `sm3/package`: SM3 over the whole signed package. Results are printed at the end as
//! ratios of criterion's medians to it. Goals (issue #8): sign ≤ 2×, verify ≤ 1.5×; a small
//! sealed document verified in < 2 ms.
//!
//! * `gmseal/sign-seal`: the whole operation with a GB/T 38540 v4 seal: open and check the
//!   package, hash every file, write Seal.esl and Signature.xml, make the SES_Signature (SM2),
//!   rewrite the zip;
//! * `gmseal/verify-seal`: open and check the package, parse the signature files, re-hash all
//!   referenced files, every SES step (signer and maker signatures, certificates, seal validity,
//!   chains through a pinned-certificate verifier), stamps, coverage;
//! * `gmseal/verify-sign` and `sofd/verify-sign`: a Type="Sign" document (bare SM2 value), which
//!   sOFD verifies by re-hashing every reference (it then answers Unchecked for want of a
//!   certificate): the like-for-like comparison;
//! * `sofd/verify-seal`: sOFD on the sealed document; for seals it checks the SES signature but
//!   does not re-hash the references, so it does less work than gmseal (and misses stale
//!   references, see tests/sofd.rs).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/gen.rs"]
mod generate;
#[path = "../tests/support/pki.rs"]
mod pki;

use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use gmseal_ofd::signed_value::cms::SignVerifier;
use gmseal_ofd::signed_value::raw_sm2::RawSm2Signer;
use gmseal_ofd::signed_value::ses::{SesSigner, SesVerifier};
use gmseal_ofd::{Package, Rect, SignOptions, Signer, Stamp, Verdict, Verifier};
use gmseal_ses::SesVersion;

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

    let p = pki::pki();
    let seal = p.seal(SesVersion::V4);
    let ses = SesSigner::new(&seal, p.holder_cert.clone(), &p.holder_key);
    let seal_signer = Signer::new(&ses);
    let raw = RawSm2Signer::new(&p.holder_key);
    let raw_signer = Signer::new(&raw);
    let verifier = Verifier::new()
        .seal_verifier(SesVerifier::new().with_chain_verifier(pki::Pinned(vec![
            p.maker_cert.clone(),
            p.holder_cert.clone(),
        ])))
        .sign_verifier(SignVerifier::new().with_key(p.holder_key.public_key()));
    let options = SignOptions::default().stamp(Stamp::at(0, Rect::new(150.0, 240.0, 40.0, 40.0)));

    let unsigned = generate::generate(100, 80_000, None);
    let sealed = seal_signer.sign(&unsigned, &options).unwrap().package;
    let signed = raw_signer.sign(&unsigned, &options).unwrap().package;
    let files = Package::from_bytes(sealed.clone()).unwrap().files().count();
    eprintln!(
        "document: 100 pages, {files} files, unsigned {} bytes, sealed {} bytes",
        unsigned.len(),
        sealed.len()
    );
    for doc in [&sealed, &signed] {
        let r = verifier
            .verify(&Package::from_bytes(doc.clone()).unwrap())
            .unwrap();
        assert_eq!(r.verdict, Verdict::Valid, "{r}");
    }
    assert_eq!(sofd_verify(&sealed), sofd_sign::VerifyStatus::Valid);
    assert_eq!(sofd_verify(&signed), sofd_sign::VerifyStatus::Unchecked);

    {
        let mut g = c.benchmark_group("ofd-100p");
        g.sample_size(20).measurement_time(Duration::from_secs(6));
        g.bench_function("sm3/package", |b| {
            b.iter(|| gmseal_sm2::digest::sm3(&sealed))
        });
        g.bench_function("gmseal/sign-seal", |b| {
            b.iter(|| seal_signer.sign(&unsigned, &options).unwrap())
        });
        g.bench_function("gmseal/verify-seal", |b| {
            b.iter_batched(
                || sealed.clone(),
                |bytes| verifier.verify_bytes(bytes).unwrap(),
                BatchSize::LargeInput,
            )
        });
        g.bench_function("gmseal/verify-sign", |b| {
            b.iter_batched(
                || signed.clone(),
                |bytes| verifier.verify_bytes(bytes).unwrap(),
                BatchSize::LargeInput,
            )
        });
        g.bench_function("sofd/verify-sign", |b| b.iter(|| sofd_verify(&signed)));
        g.bench_function("sofd/verify-seal", |b| b.iter(|| sofd_verify(&sealed)));
        g.finish();
    }

    // A small sealed document (the 1.6 KB hello-world with our v4 seal, about 5 KB), and
    // ofdrw's 36 KB sealed sample.
    let small = seal_signer
        .sign(
            &gmseal_testkit::corpus_bytes("ofd/unsigned-helloworld.ofd"),
            &options,
        )
        .unwrap()
        .package;
    let ofdrw = gmseal_testkit::corpus_bytes("ofd/seal-v4-wholeprotected-allprotected.ofd");
    {
        let mut g = c.benchmark_group("ofd-small");
        g.bench_function("gmseal/verify-small-seal", |b| {
            b.iter_batched(
                || small.clone(),
                |bytes| verifier.verify_bytes(bytes).unwrap(),
                BatchSize::SmallInput,
            )
        });
        g.bench_function("sofd/verify-small-seal", |b| b.iter(|| sofd_verify(&small)));
        g.bench_function("gmseal/verify-ofdrw-seal", |b| {
            b.iter_batched(
                || ofdrw.clone(),
                |bytes| verifier.verify_bytes(bytes).unwrap(),
                BatchSize::SmallInput,
            )
        });
        g.bench_function("sofd/verify-ofdrw-seal", |b| b.iter(|| sofd_verify(&ofdrw)));
        g.finish();
    }
    c.final_summary();

    // Ratios to the SM3 baseline of the same run.
    if let Some(base) = median_ns(&dir, "ofd-100p", "sm3_package") {
        eprintln!(
            "\nratios to SM3 over the sealed package ({:.1} ms):",
            base / 1e6
        );
        for id in [
            "gmseal_sign-seal",
            "gmseal_verify-seal",
            "gmseal_verify-sign",
            "sofd_verify-sign",
            "sofd_verify-seal",
        ] {
            if let Some(t) = median_ns(&dir, "ofd-100p", id) {
                eprintln!("  {id:<20} {:7.1} ms  {:5.2}x", t / 1e6, t / base);
            }
        }
        for id in [
            "gmseal_verify-small-seal",
            "sofd_verify-small-seal",
            "gmseal_verify-ofdrw-seal",
            "sofd_verify-ofdrw-seal",
        ] {
            if let Some(t) = median_ns(&dir, "ofd-small", id) {
                eprintln!("  {id:<28} {:8.1} µs", t / 1e3);
            }
        }
    }
}
