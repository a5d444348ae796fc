//! Cross-checks with the `openssl` command (OpenSSL 3): it parses our DER, verifies both
//! signatures of our seals and seal signatures (and of the ofdrw corpus sample) over the bytes
//! we say are signed, and signs a `TBS_Sign` we then assemble and verify.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use std::path::Path;
use std::process::Command;

use der::DateTime;
use der::Encode;
use gmseal_ses::verify::{Outcome, SignedContent, Step, VerifyOptions, verify};
use gmseal_ses::{SealSignature, SealStructure, SesVersion, SignatureBuilder};
use gmseal_sm2::PublicKey;
use gmseal_sm2::key::{public_key_from_certificate_der, public_key_to_pem};
use gmseal_testkit::{oracle, run, run_any, test_vectors};

const DISTID: &str = "distid:1234567812345678";

fn openssl_verify(dir: &Path, key: &PublicKey, msg: &[u8], sig: &[u8]) -> bool {
    std::fs::write(dir.join("pub.pem"), public_key_to_pem(key)).unwrap();
    std::fs::write(dir.join("msg"), msg).unwrap();
    std::fs::write(dir.join("sig"), sig).unwrap();
    let out = run_any(
        Command::new("openssl")
            .current_dir(dir)
            .args([
                "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
            ])
            .args(["-digest", "sm3", "-pkeyopt", DISTID])
            .args(["-in", "msg", "-sigfile", "sig"]),
    );
    out.status.success()
        && String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully")
}

fn asn1parse(dir: &Path, der: &[u8]) -> String {
    std::fs::write(dir.join("x.der"), der).unwrap();
    let out = run(Command::new("openssl").current_dir(dir).args([
        "asn1parse",
        "-inform",
        "DER",
        "-in",
        "x.der",
        "-i",
    ]));
    String::from_utf8(out.stdout).unwrap()
}

fn both_signatures(dir: &Path, sig: &SealSignature) {
    let signer = public_key_from_certificate_der(sig.signer_certificate())
        .unwrap()
        .key;
    let maker = public_key_from_certificate_der(sig.seal().maker_certificate())
        .unwrap()
        .key;
    assert!(
        openssl_verify(dir, &signer, sig.tbs_der(), sig.signature_value()),
        "openssl rejects the signer's signature over TBS_Sign"
    );
    assert!(
        openssl_verify(
            dir,
            &maker,
            sig.seal().maker_signed_bytes(),
            sig.seal().maker_signature()
        ),
        "openssl rejects the maker's signature"
    );
    // the oracle can say no
    let mut tbs = sig.tbs_der().to_vec();
    tbs[10] ^= 1;
    assert!(!openssl_verify(dir, &signer, &tbs, sig.signature_value()));
    // the maker-signed bytes differ by version (see the manual): a v1 maker does not sign
    // SES_SealInfo alone, a v4 maker does
    let alone = match sig.seal().structure() {
        SealStructure::V1(s) => s.eseal_info.to_der().unwrap(),
        SealStructure::V4(s) => s.e_seal_info.to_der().unwrap(),
    };
    assert_eq!(
        openssl_verify(dir, &maker, &alone, sig.seal().maker_signature()),
        sig.version() != SesVersion::V1
    );
}

#[test]
fn openssl_verifies_our_seals_and_signatures() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for version in [SesVersion::V1, SesVersion::V4, SesVersion::V5] {
        let seal = pki::sample_seal(version);
        let (key, cert) = pki::holder();
        let sig = SignatureBuilder::new(&seal, cert)
            .data(b"data")
            .time(DateTime::new(2026, 6, 1, 0, 0, 0).unwrap())
            .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
            .sign(&key)
            .unwrap();
        both_signatures(dir.path(), &sig);
        // openssl parses the whole structure; the fields are where the standard puts them
        let text = asn1parse(dir.path(), sig.as_der());
        assert!(text.contains("IA5STRING         :ES"), "{text}");
        assert!(
            text.contains("UTF8STRING        :gmseal 测试专用章"),
            "{text}"
        );
        assert!(text.contains("IA5STRING         :/Doc_0/Signs/Sign_0/Signature.xml"));
        assert!(text.contains("SM2-with-SM3"));
        if version == SesVersion::V1 {
            assert!(text.contains("UTCTIME"));
            assert!(!text.contains("GENERALIZEDTIME"));
        } else {
            assert!(text.contains("GENERALIZEDTIME   :20260601000000Z"));
            assert!(!text.contains("UTCTIME"));
        }
    }
}

#[test]
fn openssl_verifies_the_corpus_sample_over_our_signed_bytes() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let der = std::fs::read(test_vectors("ses/ofdrw-v4-SignedValue.dat")).unwrap();
    both_signatures(dir.path(), &SealSignature::from_der(&der).unwrap());
    let der = std::fs::read(test_vectors("ses/dms360-v1-SignedValue.dat")).unwrap();
    let sig = SealSignature::from_der_with(&der, gmseal_ses::Strictness::Lenient).unwrap();
    let maker = public_key_from_certificate_der(sig.seal().maker_certificate())
        .unwrap()
        .key;
    assert!(openssl_verify(
        dir.path(),
        &maker,
        sig.seal().maker_signed_bytes(),
        sig.seal().maker_signature()
    ));
}

#[test]
fn we_assemble_and_verify_an_openssl_signature() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (key, cert) = pki::holder();
    std::fs::write(d.join("key.pem"), key.to_pkcs8_pem().as_bytes()).unwrap();
    for version in [SesVersion::V1, SesVersion::V4] {
        let seal = pki::sample_seal(version);
        let builder = SignatureBuilder::new(&seal, cert.clone())
            .data(b"data")
            .time(DateTime::new(2026, 6, 1, 0, 0, 0).unwrap());
        let tbs = builder.to_be_signed().unwrap();
        std::fs::write(d.join("tbs"), &tbs).unwrap();
        run(Command::new("openssl").current_dir(d).args([
            "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-pkeyopt",
            DISTID, "-in", "tbs", "-out", "sig",
        ]));
        let value = std::fs::read(d.join("sig")).unwrap();
        let sig = builder.assemble(&tbs, &value, None).unwrap();
        let report = verify(
            &sig,
            SignedContent::Bytes(b"data"),
            &VerifyOptions::default(),
        );
        assert_eq!(
            report.outcome(Step::SignerSignature),
            Some(&Outcome::Passed),
            "{report}"
        );
    }
}
