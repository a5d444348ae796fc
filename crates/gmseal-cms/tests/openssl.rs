//! OpenSSL as an independent oracle, in both directions, as far as OpenSSL 3.0 goes.
//!
//! What OpenSSL 3.0 (checked with 3.0.19 and 3.0.22) can and cannot do with SM2 CMS:
//!
//! * `openssl cms -sign -md sm3` with an SM2 key fails ("asn1_template_ex_i2d: illegal zero
//!   content": the SM2 key type has no CMS signing support), and `openssl smime -sign` /
//!   `openssl ts -reply` fail with "PKCS7_SIGNER_INFO_set: signing not supported for this key
//!   type". So there is no OpenSSL-made SM2 SignedData or SM2 timestamp token to verify; the
//!   SM2 maths of the other direction is cross-checked with `openssl pkeyutl -sign -rawin
//!   -digest sm3 -pkeyopt distid:1234567812345678` over the DER of our signed attributes.
//! * `openssl cms -verify` verifies SM2 with the *empty* ID and has no option to pass a distid:
//!   it accepts our output signed with `DistId::EMPTY` and rejects the standard default-ID
//!   signature; `openssl pkeyutl -verify` checks the default-ID one.
//! * `openssl ts -verify` goes through the PKCS#7 code (`PKCS7_signatureVerify` with
//!   `EVP_VerifyFinal`), which verifies SM2 as `e = SM3(signed attributes)` with no Z at all.
//!   It rejects our standard tokens on the signature only; the same token re-signed without Z
//!   passes everything else (`TSTInfo`, imprint, nonce, ESS `signingCertificateV2`, TSA
//!   certificate and EKU). Our verifier names that no-Z token as such and refuses it.
//! * `openssl ts -reply` with RSA and ECDSA TSA keys works: we verify those tokens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/cms.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use der::Encode;
use gmseal_cms::test_support::{self_signed, tsa_certificate};
use gmseal_cms::*;
use gmseal_sm2::{DistId, SoftwareSigner};
use support::{pem, run, run_any};

const DISTID: &str = "distid:1234567812345678";

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_str().unwrap().to_string()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn openssl_cms_verify_accepts_our_empty_id_output() {
    let Some(openssl) = support::openssl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (key, cert) = self_signed("CN=OpenSSL interop,O=gmseal").unwrap();
    let cert_pem = write(
        dir.path(),
        "cert.pem",
        pem("CERTIFICATE", &cert.to_der().unwrap()),
    );
    let content = b"content checked by openssl cms -verify\n";
    let content_path = write(dir.path(), "content.txt", content);
    for (id, expect_ok) in [(DistId::EMPTY, true), (DistId::default(), false)] {
        for attached in [true, false] {
            let b = SignedDataBuilder::new(OidFamily::Pkcs7);
            let b = if attached {
                b.attached(content.to_vec())
            } else {
                b.detached(ContentDigest::of(content))
            };
            let der = b
                .signer(CmsSigner::new(&key, cert.clone()).dist_id(id.clone()))
                .build()
                .unwrap();
            let p = write(dir.path(), "sig.der", &der);
            let mut cmd = Command::new(&openssl);
            cmd.args(["cms", "-verify", "-binary", "-inform", "DER", "-in", &p])
                .args(["-CAfile", &cert_pem, "-purpose", "any"]);
            if !attached {
                cmd.args(["-content", &content_path]);
            }
            let out = run_any(&mut cmd);
            if expect_ok {
                assert!(out.status.success(), "{}", text(&out));
                assert_eq!(out.stdout, content);
                assert!(text(&out).contains("Verification successful"));
            } else {
                // OpenSSL 3.0 verifies SM2 CMS with the empty ID only (see the module doc).
                assert!(
                    !out.status.success(),
                    "openssl now verifies default-ID SM2 CMS: make this test expect success\n{}",
                    text(&out)
                );
            }
            // Our verifier: the default-ID signature is valid, the empty-ID one is diagnosed.
            let report =
                verify_signed_data(&der, Content::Bytes(content), &VerifyOptions::default())
                    .unwrap();
            assert_eq!(report.integrity_ok(), id.is_default(), "{report}");
        }
    }
}

#[test]
fn openssl_pkeyutl_verifies_our_signatures() {
    let Some(openssl) = support::openssl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (key, cert) = self_signed("CN=pkeyutl").unwrap();
    let pub_pem = write(
        dir.path(),
        "pub.pem",
        gmseal_sm2::key::public_key_to_pem(&key.public_key()),
    );
    // With signed attributes: the signature covers DER(signedAttrs) with tag 0x31.
    let der = SignedDataBuilder::new(OidFamily::Gmt0010)
        .detached(ContentDigest::of(b"doc"))
        .signer(CmsSigner::new(&key, cert.clone()))
        .build()
        .unwrap();
    let attrs = support::signed_attrs_der(&der);
    assert_eq!(attrs[0], 0x31);
    // Without signed attributes: the signature covers the content.
    let hash = gmseal_sm2::digest::sm3(b"Signature.xml bytes");
    let der2 = SignedDataBuilder::new(OidFamily::Gmt0010)
        .attached(hash.to_vec())
        .signer(CmsSigner::new(&key, cert).without_signed_attributes())
        .build()
        .unwrap();
    for (signed, der) in [(attrs, der), (hash.to_vec(), der2)] {
        let input = write(dir.path(), "in.der", &signed);
        let sig = write(dir.path(), "sig.der", support::signature_value(&der));
        let out = run(Command::new(&openssl).args([
            "pkeyutl", "-verify", "-pubin", "-inkey", &pub_pem, "-rawin", "-digest", "sm3",
            "-pkeyopt", DISTID, "-in", &input, "-sigfile", &sig,
        ]));
        assert!(
            text(&out).contains("Signature Verified Successfully"),
            "{}",
            text(&out)
        );
        // The same with a wrong ID fails: the check is able to fail.
        let out = run_any(Command::new(&openssl).args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            &pub_pem,
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345679",
            "-in",
            &input,
            "-sigfile",
            &sig,
        ]));
        assert!(!out.status.success());
    }
}

/// OpenSSL makes the key, the certificate and the signature; we assemble the SignedData
/// around the signature and verify it.
#[test]
fn we_verify_signatures_made_by_openssl() {
    let Some(openssl) = support::openssl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    run(Command::new(&openssl).args(["genpkey", "-algorithm", "SM2", "-out", &d("k.pem")]));
    run(Command::new(&openssl).args([
        "req",
        "-x509",
        "-new",
        "-key",
        &d("k.pem"),
        "-sm3",
        "-sigopt",
        DISTID,
        "-subj",
        "/C=CN/O=gmseal/CN=openssl signer",
        "-days",
        "30",
        "-addext",
        "keyUsage=critical,digitalSignature,nonRepudiation",
        "-addext",
        "subjectKeyIdentifier=hash",
        "-outform",
        "DER",
        "-out",
        &d("c.der"),
    ]));
    let key = SoftwareSigner::from_pem_or_der(&std::fs::read(d("k.pem")).unwrap(), None).unwrap();
    let cert =
        <x509_cert::Certificate as der::Decode>::from_der(&std::fs::read(d("c.der")).unwrap())
            .unwrap();
    let content = b"signed by openssl pkeyutl";
    for sid in [
        SignerIdKind::IssuerAndSerialNumber,
        SignerIdKind::SubjectKeyIdentifier,
    ] {
        let der = SignedDataBuilder::new(OidFamily::Pkcs7)
            .attached(content.to_vec())
            .signer(CmsSigner::new(&key, cert.clone()).signer_id(sid))
            .build()
            .unwrap();
        let attrs = write(dir.path(), "attrs.der", support::signed_attrs_der(&der));
        run(Command::new(&openssl).args([
            "pkeyutl",
            "-sign",
            "-inkey",
            &d("k.pem"),
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            DISTID,
            "-in",
            &attrs,
            "-out",
            &d("sig.der"),
        ]));
        let sig = std::fs::read(d("sig.der")).unwrap();
        assert_ne!(
            sig,
            support::signature_value(&der),
            "openssl signs with a random k"
        );
        let theirs = support::set_signature(&der, sig);
        let report =
            verify_signed_data(&theirs, Content::Attached, &VerifyOptions::default()).unwrap();
        assert!(report.integrity_ok(), "{report}");
        assert!(report.signers[0].tolerated.is_empty());
        // And openssl without distid (empty ID): our verifier names it.
        run(Command::new(&openssl).args([
            "pkeyutl",
            "-sign",
            "-inkey",
            &d("k.pem"),
            "-rawin",
            "-digest",
            "sm3",
            "-in",
            &attrs,
            "-out",
            &d("sig0.der"),
        ]));
        let empty = support::set_signature(&der, std::fs::read(d("sig0.der")).unwrap());
        let report =
            verify_signed_data(&empty, Content::Attached, &VerifyOptions::default()).unwrap();
        assert_eq!(
            report.signers[0]
                .check(CheckKind::Signature)
                .unwrap()
                .outcome,
            Outcome::Failed(Failure::SignedWithEmptyId)
        );
    }
}

/// If a future OpenSSL can sign SM2 CMS, verify what it makes; with 3.0 it cannot (module doc).
#[test]
fn openssl_cms_sign_with_sm2() {
    let Some(openssl) = support::openssl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    run(Command::new(&openssl).args(["genpkey", "-algorithm", "SM2", "-out", &d("k.pem")]));
    run(Command::new(&openssl).args([
        "req",
        "-x509",
        "-new",
        "-key",
        &d("k.pem"),
        "-sm3",
        "-sigopt",
        DISTID,
        "-subj",
        "/CN=openssl cms signer",
        "-days",
        "30",
        "-out",
        &d("c.pem"),
    ]));
    std::fs::write(d("m.txt"), b"message").unwrap();
    let out = run_any(Command::new(&openssl).args([
        "cms",
        "-sign",
        "-binary",
        "-md",
        "sm3",
        "-in",
        &d("m.txt"),
        "-signer",
        &d("c.pem"),
        "-inkey",
        &d("k.pem"),
        "-outform",
        "DER",
        "-out",
        &d("s.der"),
    ]));
    let produced = std::fs::read(d("s.der")).unwrap_or_default();
    if !out.status.success() || produced.is_empty() {
        eprintln!(
            "openssl cannot sign SM2 CMS (expected with OpenSSL 3.0): {}",
            text(&out).lines().next().unwrap_or_default()
        );
        return;
    }
    // OpenSSL would sign with its default (empty) ID.
    let opts = VerifyOptions {
        dist_id: DistId::EMPTY,
        ..VerifyOptions::default()
    };
    let report = verify_signed_data(&produced, Content::Bytes(b"message"), &opts).unwrap();
    assert!(report.integrity_ok(), "{report}");
}

fn tsa_config(dir: &Path, ess_alg: &str) -> String {
    let serial = write(dir, "tsaserial", "01\n");
    write(
        dir,
        "tsa.cnf",
        format!(
            "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\nserial = {serial}\ncrypto_device = builtin\n\
             signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256, sha384, sha512, sm3\n\
             accuracy = secs:1, millisecs:500\nclock_precision_digits = 3\nordering = no\n\
             tsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = {ess_alg}\n"
        ),
    )
}

#[test]
fn we_verify_openssl_ts_reply_tokens_rsa_and_ecdsa() {
    let Some(openssl) = support::openssl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let data = b"the signature value being timestamped";
    std::fs::write(d("data.bin"), data).unwrap();
    let keys: [(&str, &[&str]); 3] = [
        (
            "rsa",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        ),
        (
            "p256",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ),
        (
            "p384",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
    ];
    let mut verified = 0;
    for (name, genopts) in keys {
        run(Command::new(&openssl)
            .args(["genpkey"])
            .args(genopts)
            .args(["-out", &d(&format!("{name}.key"))]));
        run(Command::new(&openssl).args([
            "req",
            "-x509",
            "-new",
            "-key",
            &d(&format!("{name}.key")),
            "-sha256",
            "-subj",
            &format!("/CN=openssl {name} TSA"),
            "-days",
            "30",
            "-addext",
            "extendedKeyUsage=critical,timeStamping",
            "-addext",
            "keyUsage=critical,digitalSignature",
            "-out",
            &d(&format!("{name}.pem")),
        ]));
        for (digest, ess) in [
            ("-sm3", "sha256"),
            ("-sha256", "sha1"),
            ("-sha512", "sha256"),
        ] {
            let cnf = tsa_config(dir.path(), ess);
            run(Command::new(&openssl).args([
                "ts",
                "-query",
                "-data",
                &d("data.bin"),
                digest,
                "-cert",
                "-out",
                &d("q.tsq"),
            ]));
            run(Command::new(&openssl).args([
                "ts",
                "-reply",
                "-config",
                &cnf,
                "-queryfile",
                &d("q.tsq"),
                "-inkey",
                &d(&format!("{name}.key")),
                "-signer",
                &d(&format!("{name}.pem")),
                "-out",
                &d("r.tsr"),
            ]));
            let req = TimeStampReq::from_der(&std::fs::read(d("q.tsq")).unwrap()).unwrap();
            let resp = TimeStampResp::from_der(&std::fs::read(d("r.tsr")).unwrap()).unwrap();
            let token = resp.into_token(&req).unwrap();
            let report = verify_timestamp_token(
                &token,
                TimestampedData::Bytes(data),
                &VerifyOptions::default(),
            )
            .unwrap();
            assert!(report.integrity_ok(), "{name} {digest}: {report}");
            assert!(
                report.checks.iter().all(Check::passed),
                "{name} {digest}: {report}"
            );
            assert_eq!(report.verdict(), Verdict::Indeterminate, "{report}");
            assert_ne!(
                report.tst_info.gen_time.nanos % 1_000_000,
                1,
                "fraction parsed"
            );
            // Other data: the imprint check fails.
            let report = verify_timestamp_token(
                &token,
                TimestampedData::Bytes(b"other"),
                &VerifyOptions::default(),
            )
            .unwrap();
            assert_eq!(report.verdict(), Verdict::Tampered);
            // A flipped byte in the signature value: the TSA signature check fails.
            let mut sig = support::signature_value(&token);
            sig[10] ^= 1;
            let bad = support::set_signature(&token, sig);
            let report = verify_timestamp_token(
                &bad,
                TimestampedData::Bytes(data),
                &VerifyOptions::default(),
            )
            .unwrap();
            assert_eq!(
                report.signer.check(CheckKind::Signature).unwrap().outcome,
                Outcome::Failed(Failure::SignatureInvalid),
                "{name}"
            );
            verified += 1;
        }
    }
    assert_eq!(verified, 9);
}

#[test]
fn openssl_ts_verify_and_our_tokens() {
    let Some(openssl) = support::openssl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let data = b"data timestamped by the gmseal LocalTsa";
    std::fs::write(d("data.bin"), data).unwrap();
    let (tkey, tcert) = tsa_certificate("CN=gmseal TSA,O=gmseal").unwrap();
    write(dir.path(), "tsa.pem", pem("CERTIFICATE", &tcert));
    let tsa = LocalTsa::new(&tkey, &tcert, "1.2.3.4.1".parse().unwrap()).unwrap();
    for alg in [DigestAlgorithm::Sha256, DigestAlgorithm::Sm3] {
        // The request is made by openssl, answered by us.
        let flag = if alg == DigestAlgorithm::Sm3 {
            "-sm3"
        } else {
            "-sha256"
        };
        run(Command::new(&openssl).args([
            "ts",
            "-query",
            "-data",
            &d("data.bin"),
            flag,
            "-cert",
            "-out",
            &d("q.tsq"),
        ]));
        let resp = tsa.respond(&std::fs::read(d("q.tsq")).unwrap()).unwrap();
        std::fs::write(d("r.tsr"), &resp).unwrap();
        // openssl reads our response.
        let out = run(Command::new(&openssl).args(["ts", "-reply", "-in", &d("r.tsr"), "-text"]));
        assert!(text(&out).contains("Status: Granted."), "{}", text(&out));
        // Standard SM2 (with Z): OpenSSL's PKCS#7 path fails on the signature only.
        let verify = |resp: &str| {
            run_any(Command::new(&openssl).args([
                "ts",
                "-verify",
                "-in",
                resp,
                "-queryfile",
                &d("q.tsq"),
                "-CAfile",
                &d("tsa.pem"),
            ]))
        };
        let out = verify(&d("r.tsr"));
        assert!(!out.status.success());
        assert!(text(&out).contains("signature failure"), "{}", text(&out));
        // The same response re-signed without Z, as OpenSSL's PKCS#7 code verifies SM2: all
        // other checks of `openssl ts -verify` pass.
        let parsed = TimeStampResp::from_der(&resp).unwrap();
        let token = parsed.time_stamp_token.clone().unwrap().to_der().unwrap();
        let noz = support::resign_without_z(&token, &tkey);
        let noz_resp = TimeStampResp {
            time_stamp_token: Some(<der::Any as der::Decode>::from_der(&noz).unwrap()),
            ..parsed
        };
        std::fs::write(d("noz.tsr"), noz_resp.to_der().unwrap()).unwrap();
        let out = verify(&d("noz.tsr"));
        assert!(text(&out).contains("Verification: OK"), "{}", text(&out));
        let out = run(Command::new(&openssl).args([
            "ts",
            "-verify",
            "-in",
            &d("noz.tsr"),
            "-data",
            &d("data.bin"),
            "-CAfile",
            &d("tsa.pem"),
        ]));
        assert!(text(&out).contains("Verification: OK"));
        // Our verifier accepts the standard token and names the no-Z one.
        let ours = verify_timestamp_token(
            &token,
            TimestampedData::Bytes(data),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert!(ours.integrity_ok(), "{ours}");
        let theirs = verify_timestamp_token(
            &noz,
            TimestampedData::Bytes(data),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert_eq!(
            theirs.signer.check(CheckKind::Signature).unwrap().outcome,
            Outcome::Failed(Failure::SignedWithoutZ(NoZVariant::PlainSm3))
        );
    }
}
