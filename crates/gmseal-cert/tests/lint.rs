//! The profile linter on what we issue (clean), on wrong roles and broken certificates, and on
//! the corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/pki.rs"]
mod pki;

use gmseal_cert::issue::Issuer;
use gmseal_cert::lint::{FindingKind, Severity, has_errors, lint, lint_pair, lint_with_issuer};
use gmseal_cert::name::{NameBuilder, StringType};
use gmseal_cert::oid::attr;
use gmseal_cert::profile::SystemCert;
use gmseal_cert::{Cert, Role};
use gmseal_sm2::SoftwareSigner;
use gmseal_testkit::corpus;
use pki::{Pki, validity_2025_2045};
use x509_cert::ext::pkix::KeyUsages;

fn read(rel: &str) -> Cert {
    Cert::from_pem_or_der(&std::fs::read(corpus(&format!("certs/{rel}"))).unwrap()).unwrap()
}

fn kinds(f: &[gmseal_cert::lint::Finding], sev: Severity) -> Vec<&FindingKind> {
    f.iter()
        .filter(|x| x.severity == sev)
        .map(|x| &x.kind)
        .collect()
}

#[test]
fn what_we_issue_is_clean() {
    let pki = Pki::new();
    let f = lint(&pki.root, Role::RootCa);
    assert!(f.is_empty(), "{f:?}");
    let f = lint_with_issuer(&pki.sub, Role::SubCa, &pki.root);
    assert!(f.is_empty(), "{f:?}");
    for (role, _, c) in &pki.leaves {
        let f = lint_with_issuer(c, *role, &pki.sub);
        assert!(f.is_empty(), "{role}: {f:?}");
    }
    let f = lint_pair(
        pki.leaf(Role::OrganisationSigning),
        pki.leaf(Role::OrganisationEncryption),
        Role::OrganisationSigning,
        Role::OrganisationEncryption,
    );
    // Only the "signature not checked" notices of lint() without an issuer.
    assert!(
        f.iter().all(|x| x.kind == FindingKind::SignatureNotChecked),
        "{f:?}"
    );
}

#[test]
fn wrong_role_is_reported() {
    let pki = Pki::new();
    let enc = pki.leaf(Role::OrganisationEncryption);
    let f = lint_with_issuer(enc, Role::OrganisationSigning, &pki.sub);
    assert!(
        kinds(&f, Severity::Error).contains(&&FindingKind::KeyUsageMissing(
            KeyUsages::DigitalSignature.into()
        ))
    );
    assert!(has_errors(&f));
    // A signing certificate claimed as a CA.
    let f = lint_with_issuer(pki.leaf(Role::SealMaker), Role::SubCa, &pki.sub);
    let e = kinds(&f, Severity::Error);
    assert!(
        e.contains(&&FindingKind::BasicConstraintsCa { expected: true }),
        "{f:?}"
    );
    assert!(e.contains(&&FindingKind::KeyUsageMissing(
        KeyUsages::KeyCertSign.into()
    )));
    // The TSA profile needs the critical timeStamping EKU.
    let f = lint_with_issuer(pki.leaf(Role::System), Role::TimeStamping, &pki.sub);
    assert!(
        kinds(&f, Severity::Error).contains(&&FindingKind::MissingExtension(
            gmseal_cert::oid::ID_CE_EXT_KEY_USAGE
        ))
    );
    // Wrong issuer: bad signature and AKI mismatch.
    let f = lint_with_issuer(pki.leaf(Role::System), Role::System, &pki.root);
    let e = kinds(&f, Severity::Error);
    assert!(e.contains(&&FindingKind::BadSignature));
    assert!(e.contains(&&FindingKind::AuthorityKeyIdentifierMismatch));
    // A pair whose halves are the same certificate.
    let s = pki.leaf(Role::OrganisationSigning);
    let f = lint_pair(
        s,
        s,
        Role::OrganisationSigning,
        Role::OrganisationEncryption,
    );
    let e = kinds(&f, Severity::Error);
    assert!(e.contains(&&FindingKind::PairSameKey));
    assert!(e.contains(&&FindingKind::PairSameSerial));
}

#[test]
fn subject_rule_violations() {
    let pki = Pki::new();
    let key = SoftwareSigner::generate();
    // T holds an invalid code, 2.5.4.1 another one, G differs from CN, BMPString for O.
    let name = NameBuilder::new()
        .country("CN")
        .unwrap()
        .push(attr::ORGANIZATION, "某", StringType::Bmp, "O")
        .unwrap()
        .push(
            attr::TITLE,
            "91350100M000100Y44",
            StringType::Printable,
            "T",
        )
        .unwrap()
        .push(
            attr::ALIASED_ENTRY_NAME,
            "91110000600037341L",
            StringType::Printable,
            "A",
        )
        .unwrap()
        .push(attr::GIVEN_NAME, "甲公司", StringType::Utf8, "G")
        .unwrap()
        .common_name("乙公司")
        .unwrap()
        .build();
    let c = Issuer::new(&pki.sub_key)
        .issue(
            SystemCert::new(name, &pki.sub)
                .unwrap()
                .crl_distribution_point("http://x/y.crl"),
            &key.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let f = lint_with_issuer(&c, Role::SealMaker, &pki.sub);
    let e = kinds(&f, Severity::Error);
    assert!(
        e.iter()
            .any(|k| matches!(k, FindingKind::InvalidCreditCode { .. })),
        "{f:?}"
    );
    assert!(e.contains(&&FindingKind::SubjectValuesDiffer(
        attr::TITLE,
        attr::ALIASED_ENTRY_NAME
    )));
    let w = kinds(&f, Severity::Warning);
    assert!(w.contains(&&FindingKind::SubjectValuesDiffer(
        attr::GIVEN_NAME,
        attr::COMMON_NAME
    )));
    assert!(
        w.iter().any(
            |k| matches!(k, FindingKind::StringType { oid, .. } if *oid == attr::ORGANIZATION)
        )
    );
    // As a system certificate (no subject rule) it is clean.
    assert!(!has_errors(&lint_with_issuer(&c, Role::System, &pki.sub)));

    // A Chinese-DN certificate without T / 2.5.4.1 / G.
    let sign = read("emmansun/dual_test_server_sign.pem");
    let f = lint(&sign, Role::OrganisationSigning);
    for oid in [attr::TITLE, attr::ALIASED_ENTRY_NAME, attr::GIVEN_NAME] {
        assert!(
            kinds(&f, Severity::Error).contains(&&FindingKind::MissingSubjectAttribute(oid)),
            "{f:?}"
        );
    }
}

#[test]
fn corpus_signature_deviations() {
    let f = lint(
        &read("openssl3-local/openssl-3.0.19_req-x509_no-distid.pem"),
        Role::RootCa,
    );
    assert!(
        kinds(&f, Severity::Error).contains(&&FindingKind::EmptyIdSignature),
        "{f:?}"
    );
    let f = lint(
        &read("openssl3-local/openssl-3.0.19_req-x509_distid-default.pem"),
        Role::RootCa,
    );
    assert!(
        !kinds(&f, Severity::Error).contains(&&FindingKind::EmptyIdSignature),
        "{f:?}"
    );
    let root = read("tongsuo/sm2-noza-root-cert.pem");
    let f = lint(&root, Role::RootCa);
    assert!(
        kinds(&f, Severity::Error).contains(&&FindingKind::NoZSignature),
        "{f:?}"
    );
    // A leaf linted without its issuer: signature not checked.
    let f = lint(&read("tongsuo/sm2-leaf.crt"), Role::System);
    assert!(
        kinds(&f, Severity::Notice).contains(&&FindingKind::SignatureNotChecked),
        "{f:?}"
    );
    let odd = read("emmansun/openssl3_selfsigned_emptyid_sm2oid_spki.pem");
    let f = lint_with_issuer(&odd, Role::RootCa, &odd);
    assert!(
        kinds(&f, Severity::Notice).contains(&&FindingKind::KeyVariant(
            gmseal_sm2::key::KeyNote::Sm2AlgorithmOid
        ))
    );
    assert!(kinds(&f, Severity::Error).contains(&&FindingKind::EmptyIdSignature));
    // Tongsuo's sign/enc pair lints as a pair, with its non-critical keyUsage noted.
    let f = lint_pair(
        &read("tongsuo/dual_client_sign.crt"),
        &read("tongsuo/dual_client_enc.crt"),
        Role::PersonalSigning,
        Role::PersonalEncryption,
    );
    assert!(kinds(&f, Severity::Error).contains(&&FindingKind::PairSubjectDiffers));
}

#[test]
fn national_ca_certificates_lint() {
    let root = read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem");
    // The national root is the one certificate of the hierarchy with non-critical
    // basicConstraints (RFC 5280 §4.2.1.9: MUST be critical in CA certificates) and keyUsage.
    let f = lint(&root, Role::RootCa);
    assert_eq!(
        f.iter()
            .map(|x| (x.severity, x.kind.clone()))
            .collect::<Vec<_>>(),
        vec![
            (
                Severity::Error,
                FindingKind::Criticality {
                    oid: gmseal_cert::oid::ID_CE_BASIC_CONSTRAINTS,
                    expected: true
                }
            ),
            (
                Severity::Warning,
                FindingKind::Criticality {
                    oid: gmseal_cert::oid::ID_CE_KEY_USAGE,
                    expected: true
                }
            ),
        ]
    );
    let mut clean = 0;
    let mut with_errors = Vec::new();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for e in std::fs::read_dir(corpus("certs/nrcac-ca")).unwrap() {
        let p = e.unwrap().path();
        let c = Cert::from_pem_or_der(&std::fs::read(&p).unwrap()).unwrap();
        if c == root {
            continue;
        }
        let issuer_is_root = c.issuer() == root.subject();
        let f = if issuer_is_root {
            lint_with_issuer(&c, Role::SubCa, &root)
        } else {
            lint(&c, Role::SubCa)
        };
        for x in &f {
            *counts
                .entry(format!("{}: {}", x.severity, x.kind))
                .or_default() += 1;
        }
        if has_errors(&f) {
            with_errors.push(p.file_name().unwrap().to_string_lossy().to_string());
        } else {
            clean += 1;
        }
    }
    eprintln!("NRCAC CA certificates: {clean} without errors; findings: {counts:#?}");
    eprintln!("with errors: {with_errors:?}");
    assert_eq!(clean + with_errors.len(), 86);
    assert!(with_errors.is_empty(), "{with_errors:?}");
    // 14 issued by roots outside the corpus, and one emailAddress in a UTF8String.
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert_eq!(
        counts.get("notice: no issuer given: signature not checked"),
        Some(&14)
    );
}
