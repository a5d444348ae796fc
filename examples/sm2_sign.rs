//! gmseal-sm2: load an SM2 key from a PEM file, sign with the standard ID, verify, and see a
//! raw `r‖s` signature refused strictly and accepted (and reported) leniently.
//!
//! `cargo run -p gmseal-examples --example sm2_sign [-- KEY.pem]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_examples::BoxError;
use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::key::load_private_key;
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};

fn run(key_file: Option<&str>) -> Result<(), BoxError> {
    // A vendor keeps the key in a file (PKCS#8 or SEC1, PEM or DER, maybe encrypted).
    let dir = tempfile::tempdir()?;
    let path = match key_file {
        Some(p) => p.into(),
        None => {
            let p = dir.path().join("signer.key.pem");
            std::fs::write(&p, SoftwareSigner::generate().to_pkcs8_pem().as_bytes())?;
            p
        }
    };
    let loaded = load_private_key(&std::fs::read(&path)?, None)?;
    let key = SoftwareSigner::from_secret_key(loaded.secret);

    // Sign: gmseal computes Z over the ID and e = SM3(Z || M); the key signs e.
    let id = DistId::default(); // "1234567812345678", GM/T 0009
    let message = b"an SM2 signature with the standard ID";
    let der = key.sign_message_encoded(&id, message, SignatureFormat::Der)?;

    let verifier = Sm2VerifyingKey::new(key.public_key(), id);
    let tolerated =
        verifier.verify_encoded(message, &der, SignatureFormat::Der, Strictness::Strict)?;
    assert!(tolerated.is_empty());
    println!("DER signature ({} bytes) verifies", der.len());

    // Some deployed systems write raw r||s: refused strictly, accepted leniently and reported.
    let raw = key.sign_message_encoded(&DistId::default(), message, SignatureFormat::Raw)?;
    assert!(
        verifier
            .verify_encoded(message, &raw, SignatureFormat::Der, Strictness::Strict)
            .is_err()
    );
    let tolerated =
        verifier.verify_encoded(message, &raw, SignatureFormat::Der, Strictness::Lenient)?;
    println!("raw r||s accepted leniently, tolerated: {tolerated:?}");
    Ok(())
}

fn main() -> Result<(), BoxError> {
    run(std::env::args().nth(1).as_deref())
}

#[test]
fn example_runs() {
    run(None).unwrap();
}
