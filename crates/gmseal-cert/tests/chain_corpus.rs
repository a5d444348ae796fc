//! Chain and CRL verification on the real chains of the corpus: the national root and the CA
//! certificates it issued, Tongsuo's dual-certificate chain, openHiTLS's CRL test sets
//! (default-ID and empty-ID variants, tampered CRLs), Tongsuo's no-Z chain.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_cert::chain::{DeviationSubject, RevocationUnknown};
use gmseal_cert::crl::CrlProblem;
use gmseal_cert::der::DateTime;
use gmseal_cert::signature::SignatureFailure;
use gmseal_cert::{
    Cert, ChainOptions, CheckKind, KeyUsageRequirement, Outcome, PathRole, Problem,
    RevocationPolicy, TrustStore, Verdict, parse_certificates, verify_chain, verify_chain_certs,
};
use gmseal_testkit::corpus;

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(corpus(&format!("certs/{rel}"))).unwrap()
}

fn cert(rel: &str) -> Cert {
    Cert::from_pem_or_der(&read(rel)).unwrap()
}

fn at(s: &str) -> ChainOptions {
    ChainOptions::at(s.parse::<DateTime>().unwrap())
}

fn untrusted(v: &Verdict) -> &Problem {
    match v {
        Verdict::Untrusted { problem, .. } => problem,
        other => panic!("expected untrusted, got {other}"),
    }
}

fn indeterminate(v: &Verdict) -> &Problem {
    match v {
        Verdict::Indeterminate { problem, .. } => problem,
        other => panic!("expected indeterminate, got {other}"),
    }
}

#[test]
fn every_rootca_issued_ca_certificate_chains_to_the_national_root() {
    let mut store = TrustStore::new();
    store
        .add_anchors(&read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem"))
        .unwrap();
    let dir = corpus("certs/nrcac-ca");
    let mut trusted = 0;
    let mut other_root = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let c = Cert::from_pem_or_der(&std::fs::read(&path).unwrap()).unwrap();
        // Validate in the middle of the certificate's validity.
        let mid = (c.not_before().unix_duration() + c.not_after().unix_duration()) / 2;
        let opts = ChainOptions::at(DateTime::from_unix_duration(mid).unwrap());
        let report = verify_chain_certs(&c, &[], &store, &opts);
        if gmseal_cert::name::display_name(c.issuer()) == "C=CN,O=NRCAC,CN=ROOTCA" {
            assert!(report.is_trusted(), "{}: {report}", path.display());
            trusted += 1;
        } else {
            // Civil Servant ROOT and Device ROOT are not in the corpus.
            assert!(
                matches!(
                    indeterminate(&report.verdict),
                    Problem::IssuerNotFound { .. }
                ),
                "{}",
                path.display()
            );
            other_root += 1;
        }
    }
    // 72 issued by ROOTCA plus ROOTCA itself (a trust anchor); 14 by the other roots.
    assert_eq!(trusted, 73);
    assert_eq!(other_root, 14);
}

#[test]
fn report_lists_path_and_checks() {
    let mut store = TrustStore::new();
    store
        .add_anchors(&read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem"))
        .unwrap();
    let report = verify_chain(
        &read("emmansun/SHECA_SM2_issued_by_NRCAC_ROOTCA.pem"),
        &[] as &[&[u8]],
        &store,
        &at("2024-06-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(report.verdict, Verdict::Trusted);
    assert_eq!(report.path.len(), 2);
    assert_eq!(report.path[0].role, PathRole::Leaf);
    assert_eq!(
        report.path[0].summary.subject,
        "C=CN,O=UniTrust,CN=SHECA SM2"
    );
    assert_eq!(report.path[1].role, PathRole::TrustAnchor);
    assert_eq!(report.anchor().unwrap().subject, "C=CN,O=NRCAC,CN=ROOTCA");
    for kind in [
        CheckKind::Signature,
        CheckKind::NameChaining,
        CheckKind::Validity,
        CheckKind::CriticalExtensions,
        CheckKind::BasicConstraints,
        CheckKind::KeyCertSign,
        CheckKind::TrustAnchor,
        CheckKind::Revocation,
    ] {
        assert!(
            report.checks.iter().any(|c| c.kind == kind),
            "missing {kind}: {report}"
        );
    }
    // No CRL in the store: revocation not checked under the default policy...
    assert!(report.checks.iter().any(|c| c.kind == CheckKind::Revocation
        && matches!(c.outcome, Outcome::NotChecked(_))));
    // ...and indeterminate when CRLs are required.
    let report = verify_chain(
        &read("emmansun/SHECA_SM2_issued_by_NRCAC_ROOTCA.pem"),
        &[] as &[&[u8]],
        &store,
        &at("2024-06-01T00:00:00Z").with_revocation(RevocationPolicy::Require),
    )
    .unwrap();
    assert_eq!(
        indeterminate(&report.verdict),
        &Problem::RevocationUnknown(RevocationUnknown::NoCrl)
    );
    assert!(report.to_string().contains("indeterminate"));
}

#[test]
fn expiry_and_not_yet_valid() {
    let mut store = TrustStore::new();
    store
        .add_anchors(&read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem"))
        .unwrap();
    let sheca = read("emmansun/SHECA_SM2_issued_by_NRCAC_ROOTCA.pem");
    let r = verify_chain(&sheca, &[] as &[&[u8]], &store, &at("2050-01-01T00:00:00Z")).unwrap();
    assert!(matches!(untrusted(&r.verdict), Problem::Expired { .. }));
    let r = verify_chain(&sheca, &[] as &[&[u8]], &store, &at("2001-01-01T00:00:00Z")).unwrap();
    assert!(matches!(untrusted(&r.verdict), Problem::NotYetValid { .. }));
}

/// Tongsuo's TLCP dual-certificate chain: root → sub CA → sign/enc certificates.
fn tongsuo_store() -> TrustStore {
    let both = parse_certificates(&read("tongsuo/dual_chain-ca.crt")).unwrap();
    let mut store = TrustStore::new();
    for c in both {
        if c.is_self_issued() {
            store.add_anchor(c).unwrap();
        } else {
            store.add_intermediate(c).unwrap();
        }
    }
    store
}

#[test]
fn dual_certificate_chain() {
    let store = tongsuo_store();
    let sign = cert("tongsuo/dual_client_sign.crt");
    let enc = cert("tongsuo/dual_client_enc.crt");
    let t = at("2024-01-01T00:00:00Z");
    for leaf in [&sign, &enc] {
        let r = verify_chain_certs(leaf, &[], &store, &t);
        assert!(r.is_trusted(), "{r}");
        assert_eq!(r.path.len(), 3);
    }
    // Tongsuo's pair differs in CN ("client sign" / "client enc"), keys and serials.
    assert_ne!(sign.serial(), enc.serial());
    assert_ne!(sign.public_key().unwrap(), enc.public_key().unwrap());
    // Asking for a signing key usage: the encryption certificate fails.
    let t = t.with_leaf_key_usage(KeyUsageRequirement::Signing);
    assert!(verify_chain_certs(&sign, &[], &store, &t).is_trusted());
    let r = verify_chain_certs(&enc, &[], &store, &t);
    assert!(matches!(untrusted(&r.verdict), Problem::LeafKeyUsage(_)));
    // The *_expire variants are expired now.
    let r = verify_chain_certs(
        &cert("tongsuo/dual_client_sign_expire.crt"),
        &[],
        &store,
        &ChainOptions::default(),
    );
    assert!(
        matches!(untrusted(&r.verdict), Problem::Expired { .. }),
        "{r}"
    );
}

#[test]
fn intermediate_passed_as_extra_certificate() {
    let both = parse_certificates(&read("tongsuo/dual_chain-ca.crt")).unwrap();
    let (roots, subs): (Vec<_>, Vec<_>) = both.into_iter().partition(|c| c.is_self_issued());
    let mut store = TrustStore::new();
    store.add_anchor(roots[0].clone()).unwrap();
    let leaf = read("tongsuo/dual_server_sign.crt");
    let t = at("2024-01-01T00:00:00Z");
    let r = verify_chain(&leaf, &[] as &[&[u8]], &store, &t).unwrap();
    assert!(matches!(
        indeterminate(&r.verdict),
        Problem::IssuerNotFound { .. }
    ));
    let r = verify_chain(&leaf, &[subs[0].der()], &store, &t).unwrap();
    assert!(r.is_trusted(), "{r}");
    assert_eq!(r.path[1].source, gmseal_cert::chain::CertSource::Extra);
}

#[test]
fn no_z_chain_is_refused_with_that_reason() {
    let mut store = TrustStore::new();
    store
        .add_anchors(&read("tongsuo/sm2-noza-root-cert.pem"))
        .unwrap();
    let r = verify_chain(
        &read("tongsuo/sm2-noza-cert.pem"),
        &[] as &[&[u8]],
        &store,
        &ChainOptions::default().allow_empty_id(true),
    )
    .unwrap();
    // Self-issued leaf with the root's name: it is signed without Z.
    assert!(
        matches!(
            untrusted(&r.verdict),
            Problem::Signature(SignatureFailure::NoZ)
        ),
        "{r}"
    );
}

const HITLS: &str = "openhitls/test_for_crl/sm2/sm2_with_userid/crl_verify";
const HITLS_NOID: &str = "openhitls/test_for_crl/sm2/sm2_without_userid/crl_verify";
const T_2026: &str = "2026-06-01T00:00:00Z";

fn hitls_store(base: &str, intermediates: &[&str], crls: &[&str]) -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add_anchors(&read(&format!("{base}/certs/root.crt")))
        .unwrap();
    for i in intermediates {
        store
            .add_intermediates(&read(&format!("{base}/intermediate/certs/{i}")))
            .unwrap();
    }
    for c in crls {
        store.add_crls(&read(&format!("{base}/{c}"))).unwrap();
    }
    store
}

fn usr(base: &str, n: u8) -> Cert {
    cert(&format!("{base}/intermediate/certs/usr{n}.crt"))
}

#[test]
fn crl_revocation_of_leaf_and_intermediate() {
    let t = at(T_2026);
    // intermediate.crl revokes usr1.
    let store = hitls_store(
        HITLS,
        &["intermediate.crt"],
        &["intermediate/crl/intermediate.crl"],
    );
    let r = verify_chain_certs(&usr(HITLS, 1), &[], &store, &t);
    match untrusted(&r.verdict) {
        Problem::Revoked(rev) => assert_eq!(
            rev.serial.as_bytes(),
            hex::decode("10E481A94786707AC327720E87E7B6A06B50F22A").unwrap()
        ),
        p => panic!("{p}"),
    }
    assert!(matches!(r.verdict, Verdict::Untrusted { cert: 0, .. }));
    let r = verify_chain_certs(&usr(HITLS, 2), &[], &store, &t);
    assert!(r.is_trusted(), "{r}");
    // usr3 is revoked by the later CRL.
    assert!(verify_chain_certs(&usr(HITLS, 3), &[], &store, &t).is_trusted());
    let store = hitls_store(
        HITLS,
        &["intermediate.crt"],
        &["intermediate/crl/intermediate_usr3.crl"],
    );
    let r = verify_chain_certs(&usr(HITLS, 3), &[], &store, &t);
    assert!(matches!(untrusted(&r.verdict), Problem::Revoked(_)));
    // Validated before the revocation date, usr3 passes and the report says it was revoked
    // later.
    let early = verify_chain_certs(&usr(HITLS, 3), &[], &store, &at("2025-12-11T06:35:00Z"));
    assert!(early.is_trusted(), "{early}");
    assert!(
        early
            .checks
            .iter()
            .any(|c| matches!(c.outcome, Outcome::RevokedAfterValidationTime(_)))
    );

    // root.crl revokes the intermediate: every user certificate fails, at path index 1.
    let store = hitls_store(
        HITLS,
        &["intermediate.crt"],
        &["crl/root.crl", "intermediate/crl/intermediate.crl"],
    );
    let r = verify_chain_certs(&usr(HITLS, 2), &[], &store, &t);
    assert!(matches!(untrusted(&r.verdict), Problem::Revoked(_)));
    assert!(matches!(r.verdict, Verdict::Untrusted { cert: 1, .. }));
    // The v1 root_updated.crl no longer lists the intermediate.
    let store = hitls_store(
        HITLS,
        &["intermediate.crt"],
        &["crl/root_updated.crl", "intermediate/crl/intermediate.crl"],
    );
    let r = verify_chain_certs(
        &usr(HITLS, 2),
        &[],
        &store,
        &t.clone().with_revocation(RevocationPolicy::Require),
    );
    assert!(r.is_trusted(), "{r}");
    // server1 (issued by the root) is listed in both root CRLs.
    let r = verify_chain_certs(
        &cert(&format!("{HITLS}/certs/server1.crt")),
        &[],
        &store,
        &t,
    );
    assert!(matches!(untrusted(&r.verdict), Problem::Revoked(_)));
}

#[test]
fn tampered_crls_make_status_unknown() {
    let t = at(T_2026);
    // Signature changed.
    let store = hitls_store(
        HITLS,
        &["intermediate.crt"],
        &["intermediate/crl/intermediate_usr3_change_sign.crl"],
    );
    let r = verify_chain_certs(&usr(HITLS, 3), &[], &store, &t);
    assert_eq!(
        indeterminate(&r.verdict),
        &Problem::RevocationUnknown(RevocationUnknown::CrlUnusable(CrlProblem::Signature(
            SignatureFailure::BadSignature
        )))
    );
    // Issuer name changed: not a CRL of this issuer at all.
    let store = hitls_store(
        HITLS,
        &["intermediate.crt"],
        &["intermediate/crl/intermediate_usr3_change_dn.crl"],
    );
    assert!(verify_chain_certs(&usr(HITLS, 3), &[], &store, &t).is_trusted());
    let r = verify_chain_certs(
        &usr(HITLS, 3),
        &[],
        &store,
        &t.clone().with_revocation(RevocationPolicy::Require),
    );
    assert_eq!(
        indeterminate(&r.verdict),
        &Problem::RevocationUnknown(RevocationUnknown::NoCrl)
    );

    // extension_crl: server.crt is revoked by root.crl.
    let base = "openhitls/test_for_crl/sm2/sm2_with_userid/extension_crl";
    let server = cert(&format!("{base}/server.crt"));
    let with = |crls: &[&str]| {
        let mut store = TrustStore::new();
        store
            .add_anchors(&read(&format!("{base}/root.crt")))
            .unwrap();
        for c in crls {
            store.add_crls(&read(&format!("{base}/{c}"))).unwrap();
        }
        verify_chain_certs(&server, &[], &store, &t)
    };
    assert!(matches!(
        untrusted(&with(&["root.crl"]).verdict),
        Problem::Revoked(_)
    ));
    assert_eq!(
        indeterminate(&with(&["root_add_unrecognized_critical_extension.crl"]).verdict),
        &Problem::RevocationUnknown(RevocationUnknown::CrlUnusable(
            CrlProblem::UnsupportedCriticalExtension("2.5.29.18".parse().unwrap())
        ))
    );
    for tampered in [
        "root_change_aki.crl",
        "root_change_date1.crl",
        "root_change_date2.crl",
    ] {
        assert_eq!(
            indeterminate(&with(&[tampered]).verdict),
            &Problem::RevocationUnknown(RevocationUnknown::CrlUnusable(CrlProblem::Signature(
                SignatureFailure::BadSignature
            ))),
            "{tampered}"
        );
        // A genuine CRL next to the tampered one still decides.
        assert!(matches!(
            untrusted(&with(&[tampered, "root.crl"]).verdict),
            Problem::Revoked(_)
        ));
    }
}

#[test]
fn tampered_intermediate_is_skipped_for_the_genuine_one() {
    // intermediate_no_crlsign.crt (default-ID set) has a signature that does not verify.
    let t = at(T_2026);
    let store = hitls_store(HITLS, &["intermediate_no_crlsign.crt"], &[]);
    let r = verify_chain_certs(&usr(HITLS, 2), &[], &store, &t);
    assert!(
        matches!(
            untrusted(&r.verdict),
            Problem::Signature(SignatureFailure::BadSignature)
        ),
        "{r}"
    );
    assert_eq!(r.path.last().unwrap().role, PathRole::RejectedIssuer);
    let store = hitls_store(
        HITLS,
        &["intermediate_no_crlsign.crt", "intermediate.crt"],
        &[],
    );
    let r = verify_chain_certs(&usr(HITLS, 2), &[], &store, &t);
    assert!(r.is_trusted(), "{r}");
}

#[test]
fn empty_id_chains_need_the_compatibility_option() {
    let t = at(T_2026);
    let store = hitls_store(
        HITLS_NOID,
        &["intermediate.crt"],
        &["intermediate/crl/intermediate.crl", "crl/root_updated.crl"],
    );
    let leaf = usr(HITLS_NOID, 2);
    let r = verify_chain_certs(&leaf, &[], &store, &t);
    assert!(
        matches!(
            untrusted(&r.verdict),
            Problem::Signature(SignatureFailure::EmptyId)
        ),
        "{r}"
    );
    assert!(r.tolerated.is_empty());
    let r = verify_chain_certs(&leaf, &[], &store, &t.clone().allow_empty_id(true));
    assert!(r.is_trusted(), "{r}");
    // Both certificate signatures and both CRL signatures were tolerated, and reported.
    let certs = r
        .tolerated
        .iter()
        .filter(|d| d.about == DeviationSubject::Certificate)
        .count();
    let crls = r
        .tolerated
        .iter()
        .filter(|d| d.about == DeviationSubject::Crl)
        .count();
    assert_eq!((certs, crls), (2, 2), "{r}");
    assert!(
        r.checks
            .iter()
            .any(|c| matches!(c.outcome, Outcome::PassedWithDeviations(_)))
    );
    // usr1 is revoked in intermediate.crl.
    let r = verify_chain_certs(&usr(HITLS_NOID, 1), &[], &store, &t.allow_empty_id(true));
    assert!(matches!(untrusted(&r.verdict), Problem::Revoked(_)));
}

#[test]
fn crl_from_an_issuer_without_crl_sign_is_unusable() {
    // The empty-ID set's intermediate_no_crlsign.crt is a genuine certificate without cRLSign,
    // with the same key as intermediate.crt.
    let t = at(T_2026).allow_empty_id(true);
    let store = hitls_store(
        HITLS_NOID,
        &["intermediate_no_crlsign.crt"],
        &["intermediate/crl/intermediate.crl"],
    );
    let r = verify_chain_certs(&usr(HITLS_NOID, 2), &[], &store, &t);
    assert_eq!(
        indeterminate(&r.verdict),
        &Problem::RevocationUnknown(RevocationUnknown::CrlUnusable(
            CrlProblem::IssuerCannotSignCrls
        )),
        "{r}"
    );
}

#[test]
fn leaf_that_is_an_anchor() {
    let root = read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem");
    let mut store = TrustStore::new();
    store.add_anchors(&root).unwrap();
    let r = verify_chain(&root, &[] as &[&[u8]], &store, &at("2030-01-01T00:00:00Z")).unwrap();
    assert!(r.is_trusted());
    assert_eq!(r.path.len(), 1);
    // Without it as anchor: a self-issued certificate that is not trusted.
    let empty = TrustStore::new();
    let r = verify_chain(&root, &[] as &[&[u8]], &empty, &at("2030-01-01T00:00:00Z")).unwrap();
    assert!(matches!(
        untrusted(&r.verdict),
        Problem::UntrustedRoot { .. }
    ));
}

#[test]
fn store_from_directories() {
    let mut store = TrustStore::new();
    let n = store
        .add_intermediates_from_dir(corpus("certs/nrcac-ca"))
        .unwrap();
    assert_eq!(n, 87);
    let n = store
        .add_crls_from_dir(corpus(&format!("certs/{HITLS}/intermediate/crl")))
        .unwrap();
    assert_eq!(n, 4);
    assert!(store.add_anchors_from_dir("/nonexistent/dir").is_err());
    // Lookups CMS needs.
    let sheca = cert("nrcac-ca/2DA1A6BD0CE76C624E634B7D6A29D02A.pem");
    let found = store
        .find_by_issuer_serial(sheca.issuer(), sheca.serial())
        .unwrap();
    assert_eq!(found, &sheca);
    let found = store
        .find_by_ski(sheca.subject_key_identifier().unwrap())
        .unwrap();
    assert_eq!(found, &sheca);
}
