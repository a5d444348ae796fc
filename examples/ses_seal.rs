//! gmseal-ses: the seal maker makes a GB/T 38540 seal for an organisation; the organisation
//! signs data with it; the signature is verified step by step, and a change is caught.
//!
//! `cargo run -p gmseal-examples --example ses_seal`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use der::DateTime;
use gmseal_examples::{BoxError, TestPki, sample_png};
use gmseal_ses::verify::{Outcome, SignedContent, Step, Verdict, VerifyOptions, verify};
use gmseal_ses::{Seal, SealBuilder, SealSignature, SignatureBuilder};

fn run() -> Result<(), BoxError> {
    let pki = TestPki::new()?;

    // The seal maker's system makes the seal (esID, name, holder certificate, validity, picture).
    let seal = SealBuilder::new(
        "3301020000001",
        "示例有限公司合同专用章",
        pki.maker.der().to_vec(),
    )
    .holder_certificate(pki.org.der().to_vec())
    .validity(
        DateTime::new(2025, 1, 1, 0, 0, 0)?,
        DateTime::new(2030, 1, 1, 0, 0, 0)?,
    )
    .picture("PNG", sample_png()?, 40, 40)
    .sign(&pki.maker_key)?;
    let seal = Seal::from_der(seal.as_der())?; // what the holder receives: a .esl file
    println!(
        "seal {} ({}), valid to {}",
        seal.name(),
        seal.version(),
        seal.valid_end()
    );

    // The holder signs data with the seal.
    let data = b"the bytes a document format says are signed";
    let signature = SignatureBuilder::new(&seal, pki.org.der().to_vec())
        .data(data)
        .time(DateTime::new(2026, 6, 1, 0, 0, 0)?)
        .sign(&pki.org_key)?;
    let signature = SealSignature::from_der(signature.as_der())?;

    // Verification: every step of GB/T 38540 §7 (chains need a ChainVerifier: gmseal-cert).
    let report = verify(
        &signature,
        SignedContent::Bytes(data),
        &VerifyOptions::strict(),
    );
    print!("{report}");
    assert_eq!(
        report.outcome(Step::SignerSignature),
        Some(&Outcome::Passed)
    );
    assert_eq!(report.verdict, Verdict::Indeterminate); // no trust anchors given

    let tampered = verify(
        &signature,
        SignedContent::Bytes(b"other bytes"),
        &VerifyOptions::strict(),
    );
    assert_eq!(tampered.verdict, Verdict::Tampered);
    println!("changed data: {}", tampered.verdict);
    Ok(())
}

fn main() -> Result<(), BoxError> {
    run()
}

#[test]
fn example_runs() {
    run().unwrap();
}
