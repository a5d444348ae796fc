//! A signing smoke test for a real UKey, run against the software token when no vendor library
//! is configured (it never skips).
//!
//! ```sh
//! GMSEAL_SKF_MODULE=/opt/vendor/lib/libskf.so GMSEAL_SKF_APP=SEAL_APP \
//! GMSEAL_SKF_CONTAINER=SEAL_CON GMSEAL_SKF_PIN=... [GMSEAL_SKF_DEVICE=...] \
//! [GMSEAL_SKF_QUIRKS=standard|legacy-header|gbk] \
//!   cargo test -p gmseal-skf --test hardware -- --nocapture
//! ```
//!
//! It verifies the PIN once (a wrong PIN costs a try on the device), prints what the library
//! and device report, signs one message with the default ID, and checks the signature with
//! gmseal's verifier and, when installed, `openssl`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use gmseal_skf::{KeyUsage, LibraryConfig, Quirks, SignerConfig, Skf, SkfSigner};
use gmseal_sm2::key::public_key_to_pem;
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey};

#[test]
fn sign_with_the_configured_key() {
    let dir = tempfile::tempdir().unwrap();
    let (config, what) = match std::env::var_os("GMSEAL_SKF_MODULE") {
        Some(module) => {
            let var = |name: &str| {
                std::env::var(name)
                    .unwrap_or_else(|_| panic!("{name} must be set with GMSEAL_SKF_MODULE"))
            };
            let quirks = std::env::var("GMSEAL_SKF_QUIRKS").unwrap_or_else(|_| "standard".into());
            let quirks =
                Quirks::preset(&quirks).unwrap_or_else(|| panic!("unknown quirks preset {quirks}"));
            let mut c = SignerConfig::new(
                module,
                var("GMSEAL_SKF_APP"),
                var("GMSEAL_SKF_CONTAINER"),
                var("GMSEAL_SKF_PIN"),
            )
            .library_config(LibraryConfig::with_quirks(quirks));
            if let Ok(d) = std::env::var("GMSEAL_SKF_DEVICE") {
                c = c.device(d);
            }
            (c, "the vendor library of GMSEAL_SKF_MODULE")
        }
        None => {
            let t = gmseal_skf_soft::TestToken::create(dir.path(), &Default::default()).unwrap();
            let c = SignerConfig::new(&t.library, &t.application, &t.container, &t.user_pin);
            (
                c,
                "the software token (set GMSEAL_SKF_MODULE to test a UKey)",
            )
        }
    };
    eprintln!("testing {what}: {}", config.library.display());

    let skf = Skf::open(&config.library, config.library_config.clone()).unwrap();
    eprintln!("missing functions: {:?}", skf.missing_functions());
    for name in skf.devices(true).unwrap() {
        let dev = skf.connect(&name).unwrap();
        eprintln!("device {name:?}: {:?}", dev.info());
        eprintln!("  applications: {:?}", dev.applications());
    }
    drop(skf);

    let signer = SkfSigner::open(&config).unwrap();
    eprintln!("container type: {:?}", signer.container().container_type());
    eprintln!(
        "signing certificate: {:?} bytes",
        signer.certificate().map(<[u8]>::len)
    );
    eprintln!(
        "encryption key: {:?}",
        signer
            .container()
            .public_key(KeyUsage::Encrypt)
            .map(|_| "present")
    );
    let msg = b"gmseal SKF hardware smoke test";
    let sig = signer.sign_message(&DistId::default(), msg).unwrap();
    Sm2VerifyingKey::new(signer.public_key(), DistId::default())
        .verify(msg, &sig)
        .unwrap();

    if gmseal_testkit::oracle("openssl").is_some() {
        let p = dir.path();
        std::fs::write(p.join("pub.pem"), public_key_to_pem(&signer.public_key())).unwrap();
        std::fs::write(p.join("msg"), msg).unwrap();
        std::fs::write(p.join("sig"), sig.to_der().as_bytes()).unwrap();
        gmseal_testkit::run(
            Command::new("openssl")
                .current_dir(p)
                .args([
                    "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
                ])
                .args(["-digest", "sm3", "-pkeyopt", "distid:1234567812345678"])
                .args(["-in", "msg", "-sigfile", "sig"]),
        );
    }
    eprintln!("signature verified");
}
