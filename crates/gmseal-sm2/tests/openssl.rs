//! Cross-checks with the `openssl` command (OpenSSL 3), both directions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::key::{load_private_key, load_public_key, public_key_to_pem};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};
use gmseal_testkit::{oracle, run, run_any};

const DISTID: &str = "distid:1234567812345678";

fn openssl_verify(dir: &Path, pubkey: &str, msg: &str, sig: &str) -> bool {
    let out = run_any(
        Command::new("openssl")
            .current_dir(dir)
            .args([
                "pkeyutl", "-verify", "-pubin", "-inkey", pubkey, "-rawin", "-digest", "sm3",
            ])
            .args(["-pkeyopt", DISTID, "-in", msg, "-sigfile", sig]),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    out.status.success() && text.contains("Signature Verified Successfully")
}

#[test]
fn openssl_verifies_our_signatures() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5u8 {
        let key = SoftwareSigner::generate();
        let msg: Vec<u8> = (0..(i as usize * 97 + 3))
            .map(|j| (j as u8).wrapping_mul(31))
            .collect();
        std::fs::write(
            dir.path().join("pub.pem"),
            public_key_to_pem(&key.public_key()),
        )
        .unwrap();
        std::fs::write(dir.path().join("msg"), &msg).unwrap();
        let sig = key
            .sign_message_encoded(&DistId::default(), &msg, SignatureFormat::Der)
            .unwrap();
        std::fs::write(dir.path().join("sig"), &sig).unwrap();
        assert!(
            openssl_verify(dir.path(), "pub.pem", "msg", "sig"),
            "openssl rejected signature {i}"
        );
        // the oracle can say no: a changed message fails
        let mut bad = msg.clone();
        bad.push(0);
        std::fs::write(dir.path().join("bad"), &bad).unwrap();
        assert!(!openssl_verify(dir.path(), "pub.pem", "bad", "sig"));
        // and so does a different ID
        let other = key
            .sign_message_encoded(&DistId::EMPTY, &msg, SignatureFormat::Der)
            .unwrap();
        std::fs::write(dir.path().join("sig2"), &other).unwrap();
        assert!(!openssl_verify(dir.path(), "pub.pem", "msg", "sig2"));
    }
}

#[test]
fn we_verify_openssl_signatures() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(Command::new("openssl").current_dir(d).args([
        "genpkey",
        "-algorithm",
        "SM2",
        "-out",
        "key.pem",
    ]));
    run(Command::new("openssl")
        .current_dir(d)
        .args(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"]));
    let key = load_private_key(&std::fs::read(d.join("key.pem")).unwrap(), None).unwrap();
    let public = load_public_key(&std::fs::read(d.join("pub.pem")).unwrap())
        .unwrap()
        .key;
    assert_eq!(key.public_key(), public);
    let vk = Sm2VerifyingKey::new(public, DistId::default());
    for i in 0..5usize {
        let msg: Vec<u8> = (0..i * 131 + 1).map(|j| (j * 7) as u8).collect();
        std::fs::write(d.join("msg"), &msg).unwrap();
        run(Command::new("openssl").current_dir(d).args([
            "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-pkeyopt",
            DISTID, "-in", "msg", "-out", "sig",
        ]));
        let sig = std::fs::read(d.join("sig")).unwrap();
        let tolerated = vk
            .verify_encoded(&msg, &sig, SignatureFormat::Der, Strictness::Strict)
            .unwrap_or_else(|e| panic!("openssl signature {i}: {e}"));
        assert!(tolerated.is_empty());
        assert!(
            vk.verify_encoded(b"other", &sig, SignatureFormat::Der, Strictness::Strict)
                .is_err()
        );
        // without distid OpenSSL 3.0 signs with the empty ID: that must not verify under the default
        run(Command::new("openssl").current_dir(d).args([
            "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-in", "msg",
            "-out", "sig0",
        ]));
        let sig0 = std::fs::read(d.join("sig0")).unwrap();
        assert!(
            vk.verify_encoded(&msg, &sig0, SignatureFormat::Der, Strictness::Strict)
                .is_err()
        );
        Sm2VerifyingKey::new(public, DistId::EMPTY)
            .verify_encoded(&msg, &sig0, SignatureFormat::Der, Strictness::Strict)
            .unwrap();
    }
}

#[test]
fn openssl_reads_our_keys() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = SoftwareSigner::generate();
    std::fs::write(d.join("key.pem"), key.to_pkcs8_pem().as_bytes()).unwrap();
    let out = run(Command::new("openssl")
        .current_dir(d)
        .args(["pkey", "-in", "key.pem", "-pubout"]));
    let theirs = load_public_key(&out.stdout).unwrap().key;
    assert_eq!(theirs, key.public_key());
    // and signs with our key file so that we verify
    std::fs::write(d.join("msg"), b"hello").unwrap();
    run(Command::new("openssl").current_dir(d).args([
        "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-pkeyopt", DISTID,
        "-in", "msg", "-out", "sig",
    ]));
    Sm2VerifyingKey::new(key.public_key(), DistId::default())
        .verify_encoded(
            b"hello",
            &std::fs::read(d.join("sig")).unwrap(),
            SignatureFormat::Der,
            Strictness::Strict,
        )
        .unwrap();
}

/// Every key form OpenSSL writes, freshly generated, loads to the same key.
#[test]
fn openssl_key_forms_live() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ossl = |args: &[&str]| {
        run(Command::new("openssl").current_dir(d).args(args));
    };
    ossl(&["genpkey", "-algorithm", "SM2", "-out", "k.pem"]);
    ossl(&["pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem"]);
    ossl(&["ec", "-in", "k.pem", "-out", "sec1.pem"]);
    ossl(&[
        "ec",
        "-in",
        "k.pem",
        "-param_enc",
        "explicit",
        "-out",
        "sec1x.pem",
    ]);
    ossl(&[
        "pkcs8", "-topk8", "-in", "k.pem", "-v2", "sm4-cbc", "-passout", "pass:pw", "-out",
        "sm4.pem",
    ]);
    ossl(&[
        "pkcs8",
        "-topk8",
        "-in",
        "k.pem",
        "-v2",
        "aes-128-cbc",
        "-passout",
        "pass:pw",
        "-out",
        "aes.pem",
    ]);
    ossl(&["pkey", "-in", "k.pem", "-outform", "DER", "-out", "k.der"]);
    let public = load_public_key(&std::fs::read(d.join("pub.pem")).unwrap())
        .unwrap()
        .key;
    for (f, pw) in [
        ("k.pem", None),
        ("sec1.pem", None),
        ("sec1x.pem", None),
        ("sm4.pem", Some(&b"pw"[..])),
        ("aes.pem", Some(b"pw")),
        ("k.der", None),
    ] {
        let k = load_private_key(&std::fs::read(d.join(f)).unwrap(), pw)
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(k.public_key(), public, "{f}");
    }
}
