//! The `openssl` command (OpenSSL 3) as an independent oracle, both directions.
//!
//! OpenSSL 3.0's `verify -vfyopt distid:...` applies the SM2 ID to the target certificate only
//! (intermediates and CRLs are checked with no ID, and `-check_ss_sig` ignores it), so each
//! link is checked on its own: `openssl verify -partial_chain` with the issuer as the only
//! trusted certificate, and `openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:...`
//! over the exact signed bytes of every certificate and CRL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/pki.rs"]
mod pki;

use std::path::Path;
use std::process::Command;

use gmseal_cert::der::DateTime;
use gmseal_cert::issue::{CrlContents, Issuer, RevokedEntry};
use gmseal_cert::signature::SignatureFailure;
use gmseal_cert::{
    Cert, ChainOptions, Crl, Problem, Role, TrustStore, Verdict, verify_chain, verify_chain_certs,
};
use gmseal_sm2::key::{pem_encode, public_key_to_pem};
use gmseal_testkit::{oracle, run, run_any};
use pki::Pki;
use x509_cert::ext::pkix::CrlReason;

const DISTID: &str = "distid:1234567812345678";

fn openssl(dir: &Path) -> Command {
    let mut c = Command::new("openssl");
    c.current_dir(dir);
    c
}

fn write_cert(dir: &Path, name: &str, c: &Cert) {
    std::fs::write(dir.join(name), pem_encode("CERTIFICATE", c.der())).unwrap();
}

/// OpenSSL's SM2 verifies `sig` over `tbs` with Z over the default ID and `key`.
fn pkeyutl_verifies(dir: &Path, tbs: &[u8], sig: &[u8], key: &gmseal_sm2::PublicKey) -> bool {
    std::fs::write(dir.join("tbs.der"), tbs).unwrap();
    std::fs::write(dir.join("sig.der"), sig).unwrap();
    std::fs::write(dir.join("issuer_pub.pem"), public_key_to_pem(key)).unwrap();
    let out = run_any(openssl(dir).args([
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "issuer_pub.pem",
        "-rawin",
        "-digest",
        "sm3",
        "-pkeyopt",
        DISTID,
        "-in",
        "tbs.der",
        "-sigfile",
        "sig.der",
    ]));
    out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verified Successfully")
}

#[test]
fn openssl_verifies_every_signature_we_make() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = Pki::new();
    let root_pk = pki.root.public_key().unwrap();
    let sub_pk = pki.sub.public_key().unwrap();
    let mut n = 0;
    for (cert, issuer) in std::iter::once((&pki.root, root_pk))
        .chain(std::iter::once((&pki.sub, root_pk)))
        .chain(pki.leaves.iter().map(|(_, _, c)| (c, sub_pk)))
    {
        assert!(
            pkeyutl_verifies(d, cert.tbs_der(), cert.signature_value(), issuer),
            "{:?}",
            cert
        );
        n += 1;
    }
    assert_eq!(n, 9);
    // The oracle can fail: one flipped bit of the TBS.
    let mut tbs = pki.sub.tbs_der().to_vec();
    let last = tbs.len() - 1;
    tbs[last] ^= 1;
    assert!(!pkeyutl_verifies(
        d,
        &tbs,
        pki.sub.signature_value(),
        root_pk
    ));
    // ... and so does the right signature under the wrong key.
    assert!(!pkeyutl_verifies(
        d,
        pki.sub.tbs_der(),
        pki.sub.signature_value(),
        sub_pk
    ));

    // The CRL.
    let crl = Issuer::new(&pki.sub_key)
        .issue_crl(
            &pki.sub,
            &CrlContents {
                this_update: "2026-01-01T00:00:00Z".parse().unwrap(),
                next_update: Some("2026-02-01T00:00:00Z".parse().unwrap()),
                crl_number: 42,
                revoked: vec![RevokedEntry {
                    serial: pki.leaf(Role::PersonalSigning).serial().clone(),
                    date: "2025-12-01T00:00:00Z".parse().unwrap(),
                    reason: Some(CrlReason::KeyCompromise),
                }],
            },
        )
        .unwrap();
    assert!(pkeyutl_verifies(
        d,
        crl.tbs_der(),
        crl.list().signature.raw_bytes(),
        sub_pk
    ));
    std::fs::write(d.join("sub.crl"), pem_encode("X509 CRL", crl.der())).unwrap();
    let text = String::from_utf8(
        run(openssl(d).args(["crl", "-in", "sub.crl", "-noout", "-text"])).stdout,
    )
    .unwrap();
    for want in [
        "Version 2 (0x1)",
        "Signature Algorithm: SM2-with-SM3",
        "X509v3 Authority Key Identifier",
        "X509v3 CRL Number",
        "42",
        "Key Compromise",
        "Next Update: Feb  1 00:00:00 2026 GMT",
        &pki.leaf(Role::PersonalSigning).serial_hex(),
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

#[test]
fn openssl_verify_accepts_each_link() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = Pki::new();
    write_cert(d, "root.pem", &pki.root);
    write_cert(d, "sub.pem", &pki.sub);
    let verify = |ca: &str, cert: &str, extra: &[&str]| {
        let out = run_any(
            openssl(d)
                .args(["verify", "-vfyopt", DISTID, "-partial_chain", "-CAfile", ca])
                .args(extra)
                .arg(cert),
        );
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, text) = verify("root.pem", "sub.pem", &[]);
    assert!(ok, "{text}");
    for (role, _, c) in &pki.leaves {
        let file = format!("{role:?}.pem");
        write_cert(d, &file, c);
        let (ok, text) = verify("sub.pem", &file, &[]);
        assert!(ok, "{role}: {text}");
        // OpenSSL's own TSA purpose check (critical extKeyUsage timeStamping only).
        let (ok, text) = verify("sub.pem", &file, &["-purpose", "timestampsign"]);
        assert_eq!(ok, *role == Role::TimeStamping, "{role}: {text}");
        // The wrong issuer is refused.
        let (ok, _) = verify("root.pem", &file, &[]);
        assert!(!ok, "{role}");
    }
}

#[test]
fn openssl_x509_text_shows_the_profile_extensions() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = Pki::new();
    let text_of = |c: &Cert| {
        write_cert(d, "c.pem", c);
        String::from_utf8(
            run(openssl(d).args([
                "x509", "-in", "c.pem", "-noout", "-text", "-nameopt", "utf8",
            ]))
            .stdout,
        )
        .unwrap()
    };
    let common = [
        "Version: 3 (0x2)",
        "Signature Algorithm: SM2-with-SM3",
        "ASN1 OID: SM2",
        "X509v3 Subject Key Identifier",
        "X509v3 Authority Key Identifier",
    ];
    let root = text_of(&pki.root);
    for want in common.iter().chain(&[
        "X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign",
        "X509v3 Basic Constraints: critical\n                CA:TRUE",
        "Subject: C=CN, O=测试, CN=测试根CA",
    ]) {
        assert!(root.contains(want), "root: missing {want:?} in\n{root}");
    }
    let sub = text_of(&pki.sub);
    assert!(sub.contains("CA:TRUE, pathlen:0"), "{sub}");
    assert!(sub.contains("URI:http://crl.example.cn/root.crl"), "{sub}");
    for (role, _, c) in &pki.leaves {
        let t = text_of(c);
        for want in common {
            assert!(t.contains(want), "{role}: missing {want:?} in\n{t}");
        }
        let ku = if role.is_encryption() {
            "X509v3 Key Usage: critical\n                Key Encipherment, Data Encipherment, Key Agreement"
        } else {
            "X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation"
        };
        assert!(t.contains(ku), "{role}: {t}");
        assert!(
            t.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"),
            "{role}: {t}"
        );
        assert!(
            t.contains("URI:http://crl.example.cn/sub.crl"),
            "{role}: {t}"
        );
        if *role == Role::TimeStamping {
            assert!(
                t.contains("X509v3 Extended Key Usage: critical\n                Time Stamping"),
                "{t}"
            );
        } else {
            assert!(!t.contains("Extended Key Usage"), "{role}: {t}");
        }
        if role.has_organisation_subject() {
            assert!(
                t.contains("Subject: C=CN, title=91350100M000100Y43, 2.5.4.1=91350100M000100Y43, GN=测试有限公司, CN=测试有限公司"),
                "{role}: {t}"
            );
            assert!(t.contains("1.2.156.10260.4.4"), "{role}: {t}");
        }
        if role.has_personal_subject() {
            assert!(
                t.contains("Subject: C=CN, title=11010519491231002X, 2.5.4.1=11010519491231002X, GN=张三, CN=张三"),
                "{role}: {t}"
            );
            assert!(t.contains("1.2.156.10260.4.1.1.1"), "{role}: {t}");
        }
    }
}

fn genkey(d: &Path, out: &str) {
    run(openssl(d).args([
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:SM2",
        "-out",
        out,
    ]));
}

/// A root, a leaf and a CRL revoking the leaf, all made by OpenSSL; `distid` false makes
/// OpenSSL 3.0 sign with its default empty ID.
fn openssl_pki(d: &Path, distid: bool) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let sigopt: Vec<&str> = if distid {
        vec!["-sigopt", DISTID]
    } else {
        vec![]
    };
    let vfyopt: Vec<&str> = if distid {
        vec!["-vfyopt", DISTID]
    } else {
        vec![]
    };
    genkey(d, "ca.key");
    genkey(d, "ee.key");
    run(openssl(d)
        .args(["req", "-x509", "-new", "-key", "ca.key", "-sm3"])
        .args(&sigopt)
        .args(["-subj", "/C=CN/O=OpenSSL/CN=ossl root", "-days", "3650"])
        .args(["-addext", "basicConstraints=critical,CA:TRUE"])
        .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        .args(["-out", "ca.pem"]));
    run(openssl(d)
        .args(["req", "-new", "-key", "ee.key", "-sm3"])
        .args(&sigopt)
        .args(["-subj", "/C=CN/CN=ossl leaf", "-out", "ee.csr"]));
    std::fs::write(
        d.join("ext.cnf"),
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    )
    .unwrap();
    run(openssl(d)
        .args([
            "x509", "-req", "-in", "ee.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        ])
        .args(["-CAcreateserial", "-sm3"])
        .args(&sigopt)
        .args(&vfyopt)
        .args(["-days", "365", "-extfile", "ext.cnf", "-out", "ee.pem"]));
    std::fs::create_dir_all(d.join("db")).unwrap();
    std::fs::write(d.join("db/index.txt"), "").unwrap();
    std::fs::write(d.join("db/crlnumber"), "01\n").unwrap();
    std::fs::write(
        d.join("ca.cnf"),
        "[ca]\ndefault_ca=d\n[d]\ndatabase=db/index.txt\ncrlnumber=db/crlnumber\ndefault_md=sm3\ndefault_crl_days=30\ncrl_extensions=e\n[e]\nauthorityKeyIdentifier=keyid\n",
    )
    .unwrap();
    run(openssl(d).args([
        "ca",
        "-config",
        "ca.cnf",
        "-keyfile",
        "ca.key",
        "-cert",
        "ca.pem",
        "-revoke",
        "ee.pem",
        "-crl_reason",
        "keyCompromise",
    ]));
    run(openssl(d)
        .args([
            "ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-gencrl",
        ])
        .args(&sigopt)
        .args(["-out", "ca.crl"]));
    (
        std::fs::read(d.join("ca.pem")).unwrap(),
        std::fs::read(d.join("ee.pem")).unwrap(),
        std::fs::read(d.join("ca.crl")).unwrap(),
    )
}

#[test]
fn certificates_and_crls_made_by_openssl_verify_with_our_code() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ca, ee, crl) = openssl_pki(dir.path(), true);
    let mut store = TrustStore::new();
    store.add_anchors(&ca).unwrap();
    let opts = ChainOptions::default();
    let r = verify_chain(&ee, &[] as &[&[u8]], &store, &opts).unwrap();
    assert!(r.is_trusted(), "{r}");
    // OpenSSL's CRL revokes it.
    let crl = Crl::from_pem_or_der(&crl).unwrap();
    let ca_cert = Cert::from_pem_or_der(&ca).unwrap();
    crl.validate_for(&ca_cert, &Default::default()).unwrap();
    store.add_crl(crl).unwrap();
    // The revocation date is "now" to the second: validate a minute later.
    let later = DateTime::from_unix_duration(
        opts.time.unix_duration() + std::time::Duration::from_secs(60),
    )
    .unwrap();
    let r = verify_chain(&ee, &[] as &[&[u8]], &store, &ChainOptions::at(later)).unwrap();
    match &r.verdict {
        Verdict::Untrusted {
            problem: Problem::Revoked(rev),
            ..
        } => assert_eq!(rev.reason, Some(CrlReason::KeyCompromise)),
        v => panic!("{v}"),
    }
}

#[test]
fn openssl_default_empty_id_needs_the_compatibility_option() {
    if oracle("openssl").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ca, ee, crl) = openssl_pki(dir.path(), false);
    let mut store = TrustStore::new();
    store.add_anchors(&ca).unwrap();
    let leaf = Cert::from_pem_or_der(&ee).unwrap();
    let strict = verify_chain_certs(&leaf, &[], &store, &ChainOptions::default());
    assert_eq!(
        strict.verdict,
        Verdict::Untrusted {
            cert: 0,
            problem: Problem::Signature(SignatureFailure::EmptyId)
        }
    );
    store.add_crls(&crl).unwrap();
    let later = DateTime::from_unix_duration(
        ChainOptions::default().time.unix_duration() + std::time::Duration::from_secs(60),
    )
    .unwrap();
    let compat = verify_chain_certs(
        &leaf,
        &[],
        &store,
        &ChainOptions::at(later).allow_empty_id(true),
    );
    // Revoked — found through an empty-ID CRL, itself reported as tolerated.
    assert!(
        matches!(
            compat.verdict,
            Verdict::Untrusted {
                problem: Problem::Revoked(_),
                ..
            }
        ),
        "{compat}"
    );
    assert_eq!(compat.tolerated.len(), 2, "{compat}");
}
