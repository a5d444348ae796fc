//! gmseal-cms: a detached SM2 CMS signature (GM/T 0010) over a file, streamed through SM3, and
//! its verification report.
//!
//! `cargo run -p gmseal-examples --example cms_sign [-- FILE]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use der::Decode;
use gmseal_cms::{
    CmsSigner, Content, ContentDigest, OidFamily, SignedDataBuilder, VerifyOptions,
    verify_signed_data,
};
use gmseal_examples::{BoxError, TestPki};

fn run(file: Option<&str>) -> Result<(), BoxError> {
    let pki = TestPki::new()?;
    let data = match file {
        Some(p) => std::fs::read(p)?,
        None => b"a document to sign".to_vec(),
    };

    // SM3 over the content, streamed (ContentDigest::of_reader for files of any size).
    let digest = ContentDigest::of_reader(std::io::Cursor::new(&data))?;
    let certificate = x509_cert::Certificate::from_der(pki.org.der())?;
    let der = SignedDataBuilder::new(OidFamily::Gmt0010)
        .detached(digest)
        .signer(CmsSigner::new(&pki.org_key, certificate))
        .build()?;
    println!("SignedData: {} bytes", der.len());

    let report = verify_signed_data(&der, Content::Digest(digest), &VerifyOptions::default())?;
    print!("{report}");
    assert!(report.integrity_ok());
    // The chain was not checked (no trust anchors here): see gmseal-cert and `gmseal verify --trust`.
    Ok(())
}

fn main() -> Result<(), BoxError> {
    run(std::env::args().nth(1).as_deref())
}

#[test]
fn example_runs() {
    run(None).unwrap();
}
