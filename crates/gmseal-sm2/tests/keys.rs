//! Keys and certificates of the corpus, and the loading quirks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_sm2::key::{KeyNote, PrivateKeyForm, load_private_key, load_public_key};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};
use gmseal_testkit::{corpus, corpus_bytes};

#[test]
fn tongsuo_keys_match_their_certificates() {
    let pairs = [
        ("certs/tongsuo/keys/sm2.key", "certs/tongsuo/sm2-cert.pem"),
        (
            "certs/tongsuo/keys/sm2-root.key",
            "certs/tongsuo/sm2-root-cert.pem",
        ),
        (
            "certs/tongsuo/keys/dual_server_sign.key",
            "certs/tongsuo/dual_server_sign.crt",
        ),
        (
            "certs/tongsuo/keys/dual_server_enc.key",
            "certs/tongsuo/dual_server_enc.crt",
        ),
        (
            "certs/tongsuo/keys/dual_client_sign.key",
            "certs/tongsuo/dual_client_sign.crt",
        ),
        (
            "certs/tongsuo/keys/dual_client_enc.key",
            "certs/tongsuo/dual_client_enc.crt",
        ),
    ];
    for (key, cert) in pairs {
        let k = load_private_key(&corpus_bytes(key), None).unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(k.form, PrivateKeyForm::Pkcs8);
        let c = load_public_key(&corpus_bytes(cert)).unwrap_or_else(|e| panic!("{cert}: {e}"));
        assert_eq!(k.public_key(), c.key, "{key} vs {cert}");
    }
    // sm2-root.key names the SM2 OID as its algorithm: accepted and reported
    let root = load_private_key(&corpus_bytes("certs/tongsuo/keys/sm2-root.key"), None).unwrap();
    assert_eq!(root.notes, vec![KeyNote::Sm2AlgorithmOid]);
}

#[test]
fn every_corpus_certificate_yields_an_sm2_key() {
    let mut n = 0;
    let mut sm2_oid_spki = 0;
    for entry in walk(&corpus("certs")) {
        let name = entry.to_string_lossy().to_string();
        if !(name.ends_with(".pem") || name.ends_with(".crt")) || name.contains("csr") {
            continue;
        }
        let bytes = std::fs::read(&entry).unwrap();
        if !String::from_utf8_lossy(&bytes).contains("BEGIN CERTIFICATE") {
            continue;
        }
        let k = load_public_key(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        if k.notes.contains(&KeyNote::Sm2AlgorithmOid) {
            sm2_oid_spki += 1;
        }
        n += 1;
    }
    assert!(n >= 137, "only {n} certificates found");
    // emmansun/openssl3_selfsigned_emptyid_sm2oid_spki.pem
    assert!(sm2_oid_spki >= 1, "the SM2-OID SPKI variant was not met");
}

#[test]
fn openhitls_keys_sign_and_verify_with_their_certificate() {
    let key = load_private_key(
        &corpus_bytes("certs/openhitls/sm2_with_userid/sign.key"),
        None,
    )
    .unwrap();
    let cert = load_public_key(&corpus_bytes("certs/openhitls/sm2_with_userid/sign.crt")).unwrap();
    assert_eq!(key.public_key(), cert.key);
    let signer = SoftwareSigner::from_secret_key(key.secret);
    let sig = signer.sign_message(&DistId::default(), b"corpus").unwrap();
    Sm2VerifyingKey::new(cert.key, DistId::default())
        .verify(b"corpus", &sig)
        .unwrap();
}

/// Keys written by OpenSSL 3.0.19 (see test-vectors/openssl/SOURCES.md).
#[test]
fn openssl_key_files() {
    let dir = gmseal_testkit::test_vectors("openssl");
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    let public = load_public_key(&read("sm2-pub.pem")).unwrap().key;
    type Case<'a> = (&'a str, Option<&'a [u8]>, PrivateKeyForm, &'a [KeyNote]);
    let cases: &[Case<'_>] = &[
        ("sm2-pkcs8.pem", None, PrivateKeyForm::Pkcs8, &[]),
        (
            "sm2-sec1.pem",
            None,
            PrivateKeyForm::Sec1,
            &[KeyNote::Sm2PemLabel],
        ),
        (
            "sm2-sec1-explicit.pem",
            None,
            PrivateKeyForm::Sec1,
            &[KeyNote::Sm2PemLabel, KeyNote::ExplicitCurveParameters],
        ),
        (
            "sm2-pkcs8-explicit.pem",
            None,
            PrivateKeyForm::Pkcs8,
            &[KeyNote::ExplicitCurveParameters],
        ),
        (
            "sm2-pkcs8-aes256.pem",
            Some(b"secret"),
            PrivateKeyForm::EncryptedPkcs8,
            &[],
        ),
        (
            "sm2-pkcs8-sm4.pem",
            Some(b"secret"),
            PrivateKeyForm::EncryptedPkcs8,
            &[KeyNote::Sm4Encryption],
        ),
        ("sm2-pkcs8.der", None, PrivateKeyForm::Pkcs8, &[]),
        ("sm2-sec1.der", None, PrivateKeyForm::Sec1, &[]),
    ];
    for (file, pw, form, notes) in cases {
        let k = load_private_key(&read(file), *pw).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(k.public_key(), public, "{file}");
        assert_eq!(k.form, *form, "{file}");
        assert_eq!(k.notes, notes.to_vec(), "{file}");
    }
    assert_eq!(
        load_private_key(&read("sm2-pkcs8-sm4.pem"), Some(b"wrong")).unwrap_err(),
        gmseal_sm2::KeyError::DecryptionFailed
    );
    // not SM2: a P-256 key and an RSA public key
    assert!(matches!(
        load_private_key(&read("p256-pkcs8.pem"), None).unwrap_err(),
        gmseal_sm2::KeyError::WrongCurve(oid) if oid.to_string() == "1.2.840.10045.3.1.7"
    ));
    assert!(matches!(
        load_public_key(&read("rsa-pub.pem")).unwrap_err(),
        gmseal_sm2::KeyError::UnsupportedAlgorithm(oid) if oid.to_string() == "1.2.840.113549.1.1.1"
    ));
}

#[test]
fn raw_point_forms() {
    let k = SoftwareSigner::generate();
    let point = k.public_key().to_sec1_bytes();
    assert_eq!(load_public_key(&point).unwrap().key, k.public_key());
    assert_eq!(load_public_key(&point[1..]).unwrap().key, k.public_key());
    use sm2::elliptic_curve::sec1::ToSec1Point;
    let compressed = k.public_key().to_sec1_point(true);
    let c = load_public_key(compressed.as_bytes()).unwrap();
    assert_eq!(c.key, k.public_key());
    assert_eq!(c.notes, vec![KeyNote::CompressedPoint]);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
