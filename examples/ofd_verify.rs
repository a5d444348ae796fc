//! gmseal-ofd: verify a sealed OFD e-invoice the way a receiving system does — every reference,
//! the seal signature, the seal, the stamp, and which files no signature protects — with the
//! issuer's root as trust anchor.
//!
//! `cargo run -p gmseal-examples --example ofd_verify [-- INVOICE.ofd ROOT.pem]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use der::DateTime;
use gmseal_cert::TrustStore;
use gmseal_examples::{BoxError, TestPki, sample_ofd, sample_png};
use gmseal_ofd::signed_value::ses::SesSigner;
use gmseal_ofd::trust::CertChain;
use gmseal_ofd::{Rect, SignOptions, Signer, Stamp, Verdict, Verifier};
use gmseal_ses::SealBuilder;

/// Verify `invoice` against the trust anchors in `roots` (PEM or DER).
fn verify_invoice(invoice: Vec<u8>, roots: &[u8]) -> Result<Verdict, BoxError> {
    let mut store = TrustStore::new();
    store.add_anchors(roots)?;
    let report = Verifier::trusting(CertChain::new(store)).verify_bytes(invoice)?;
    print!("{report}");
    for file in report.uncovered() {
        println!("warning: {file} is not protected by any signature");
    }
    Ok(report.verdict)
}

/// An invoice sealed by the test PKI's organisation (for a run without arguments).
fn sample_invoice(pki: &TestPki) -> Result<Vec<u8>, BoxError> {
    let seal = SealBuilder::new(
        "3301020000001",
        "示例有限公司发票专用章",
        pki.maker.der().to_vec(),
    )
    .holder_certificate(pki.org.der().to_vec())
    .validity(
        DateTime::new(2025, 1, 1, 0, 0, 0)?,
        DateTime::new(2035, 1, 1, 0, 0, 0)?,
    )
    .picture("PNG", sample_png()?, 40, 30)
    .sign(&pki.maker_key)?;
    let value = SesSigner::new(&seal, pki.org.der().to_vec(), &pki.org_key);
    let signed = Signer::new(&value).sign(
        &sample_ofd("电子发票 e-invoice No. 00000001, 合计 CNY 100.00")?,
        &SignOptions::default().stamp(Stamp::at(0, Rect::new(150.0, 20.0, 40.0, 30.0))),
    )?;
    Ok(signed.package)
}

fn run(args: &[String]) -> Result<(), BoxError> {
    let verdict = match args {
        [invoice, root] => verify_invoice(std::fs::read(invoice)?, &std::fs::read(root)?)?,
        [] => {
            let pki = TestPki::new()?;
            let v = verify_invoice(sample_invoice(&pki)?, pki.root.der())?;
            assert_eq!(v, Verdict::Valid);
            v
        }
        _ => return Err("usage: ofd_verify [INVOICE.ofd ROOT.pem]".into()),
    };
    println!("verdict: {verdict}");
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&args)
}

#[test]
fn example_runs() {
    run(&[]).unwrap();
}
