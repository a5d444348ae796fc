//! gmseal-skf: sign with the key in a UKey through its vendor's SKF library — the device signs
//! `e` only; gmseal computes Z and SM3. Any gmseal signing API takes the container as its
//! `Sm2Signer`.
//!
//! With a real key: `GMSEAL_SKF_MODULE=/path/libvendor.so GMSEAL_SKF_APP=APP
//! GMSEAL_SKF_CONTAINER=CON GMSEAL_SKF_PIN=... cargo run -p gmseal-examples --example skf_sign`.
//! Without `GMSEAL_SKF_MODULE` it uses gmseal's software token (only built with `cargo test`
//! or when gmseal-skf-soft is a dev-dependency, as here).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_examples::BoxError;
use gmseal_skf::{SignerConfig, SkfSigner};
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt, Sm2VerifyingKey};

fn run() -> Result<(), BoxError> {
    let dir = tempfile::tempdir()?;
    let env = |k: &str| std::env::var(k).ok();
    let config = match env("GMSEAL_SKF_MODULE") {
        Some(lib) => SignerConfig::new(
            lib,
            env("GMSEAL_SKF_APP").ok_or("GMSEAL_SKF_APP")?,
            env("GMSEAL_SKF_CONTAINER").ok_or("GMSEAL_SKF_CONTAINER")?,
            env("GMSEAL_SKF_PIN").ok_or("GMSEAL_SKF_PIN")?,
        ),
        None => {
            let token = gmseal_skf_soft::TestToken::create(dir.path(), &Default::default())?;
            SignerConfig::new(
                &token.library,
                &token.application,
                &token.container,
                &token.user_pin,
            )
        }
    };
    let signer = SkfSigner::open(&config)?;
    println!(
        "container certificate: {}",
        if signer.certificate().is_some() {
            "present"
        } else {
            "none"
        }
    );

    let signer: &dyn Sm2Signer = &signer;
    let message = b"signed by the UKey";
    let signature = signer.sign_message(&DistId::default(), message)?;
    Sm2VerifyingKey::new(signer.public_key(), DistId::default()).verify(message, &signature)?;
    println!("the device's signature verifies under its public key");
    Ok(())
}

fn main() -> Result<(), BoxError> {
    run()
}

#[test]
fn example_runs() {
    run().unwrap();
}
