//! The `gmseal` binary, end to end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn gmseal() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gmseal"))
}

#[test]
fn demo_runs_and_its_signature_verifies_with_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let out = gmseal_testkit::run(gmseal().arg("demo").arg("--dir").arg(dir.path()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("strict verification: VALID"), "{text}");
    assert!(text.contains("tampered copy: REJECTED"), "{text}");
    if gmseal_testkit::oracle("openssl").is_some() {
        let out = gmseal_testkit::run_any(Command::new("openssl").current_dir(dir.path()).args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "signer.pub.pem",
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
            "-in",
            "document.txt",
            "-sigfile",
            "document.sig.der",
        ]));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let out = gmseal_testkit::run_any(Command::new("openssl").current_dir(dir.path()).args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "signer.pub.pem",
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
            "-in",
            "document-tampered.txt",
            "-sigfile",
            "document.sig.der",
        ]));
        assert!(!out.status.success());
    }
}

#[test]
fn keygen_writes_loadable_keys_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.pem");
    gmseal_testkit::run(gmseal().arg("keygen").arg("--out").arg(&key));
    let secret = gmseal_sm2::key::load_private_key(&std::fs::read(&key).unwrap(), None).unwrap();
    let public =
        gmseal_sm2::key::load_public_key(&std::fs::read(dir.path().join("k.pub.pem")).unwrap())
            .unwrap();
    assert_eq!(secret.public_key(), public.key);
    let again = gmseal()
        .arg("keygen")
        .arg("--out")
        .arg(&key)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
}

#[test]
fn usage_errors_exit_2() {
    let out = gmseal().arg("no-such-command").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
