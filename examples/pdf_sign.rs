//! gmseal-pdf: seal-sign a PDF with a key and certificate read from files, the way a document
//! system embeds it, then verify it with the seal layer and a trust anchor.
//!
//! `cargo run -p gmseal-examples --example pdf_sign [-- IN.pdf SEAL.esl CERT.pem KEY.pem OUT.pdf]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use der::DateTime;
use gmseal_examples::{BoxError, TestPki, sample_pdf, sample_png};
use gmseal_pdf::seal::{SealContents, SealVerifier, seal_picture};
use gmseal_pdf::{Placement, SignOptions, Verdict, VerifyOptions};
use gmseal_ses::{Seal, SealBuilder};
use gmseal_sm2::SoftwareSigner;
use gmseal_sm2::key::load_private_key;

/// Sign `input` with the seal, the holder's certificate and key (all files), to `output`.
fn sign_pdf(
    input: &Path,
    seal: &Path,
    cert: &Path,
    key: &Path,
    output: &Path,
) -> Result<(), BoxError> {
    let seal = Seal::from_der(&std::fs::read(seal)?)?;
    let cert = gmseal_cert::Cert::from_pem_or_der(&std::fs::read(cert)?)?;
    // An encrypted key takes Some(password).
    let key = SoftwareSigner::from_secret_key(load_private_key(&std::fs::read(key)?, None)?.secret);

    let options = SignOptions::new()
        // the seal's own picture, its centre 150 mm from the left and 230 mm from the top of page 1
        .seal(seal_picture(&seal)?, Placement::new(1, 150.0, 230.0))
        .reason("approved");
    let contents = SealContents::new(&seal, &key, cert.der().to_vec());
    let signed = gmseal_pdf::sign(std::fs::read(input)?, &contents, &options)?;
    // Write beside and rename: a crash never leaves a half-written file.
    let tmp = output.with_extension("tmp");
    std::fs::write(&tmp, &signed)?;
    std::fs::rename(&tmp, output)?;
    Ok(())
}

/// Files for a run without arguments: a sample PDF, a seal, a certificate and a key.
fn sample_files(dir: &Path, pki: &TestPki) -> Result<[PathBuf; 4], BoxError> {
    let seal = SealBuilder::new(
        "3301020000001",
        "示例有限公司合同专用章",
        pki.maker.der().to_vec(),
    )
    .holder_certificate(pki.org.der().to_vec())
    .validity(
        DateTime::new(2025, 1, 1, 0, 0, 0)?,
        DateTime::new(2035, 1, 1, 0, 0, 0)?,
    )
    .picture("PNG", sample_png()?, 40, 40)
    .sign(&pki.maker_key)?;
    let files = [
        dir.join("in.pdf"),
        dir.join("seal.esl"),
        dir.join("org.der"),
        dir.join("org.key.pem"),
    ];
    std::fs::write(&files[0], sample_pdf("a contract"))?;
    std::fs::write(&files[1], seal.as_der())?;
    std::fs::write(&files[2], pki.org.der())?;
    std::fs::write(&files[3], pki.org_key.to_pkcs8_pem().as_bytes())?;
    Ok(files)
}

fn run(args: &[String]) -> Result<(), BoxError> {
    let dir = tempfile::tempdir()?;
    let pki = TestPki::new()?;
    let (input, seal, cert, key, output) = match args {
        [i, s, c, k, o] => (i.into(), s.into(), c.into(), k.into(), PathBuf::from(o)),
        [] => {
            let [i, s, c, k] = sample_files(dir.path(), &pki)?;
            (i, s, c, k, dir.path().join("out.pdf"))
        }
        _ => return Err("usage: pdf_sign [IN.pdf SEAL.esl CERT KEY OUT.pdf]".into()),
    };
    sign_pdf(&input, &seal, &cert, &key, &output)?;
    println!("signed {}", output.display());

    // Verify: the seal verifier with a chain verifier would make it Valid; without one the
    // chain is "not checked" and the verdict Indeterminate.
    let verifier = SealVerifier::new(gmseal_ses::verify::VerifyOptions::strict());
    let report = gmseal_pdf::verify_bytes(
        &std::fs::read(&output)?,
        &VerifyOptions::new().verifier(&verifier),
    )?;
    print!("{report}");
    let ours = report.signatures.last().ok_or("no signature")?;
    assert!(ours.failures().next().is_none());
    assert!(matches!(
        ours.verdict,
        Verdict::Valid | Verdict::Indeterminate
    ));
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
