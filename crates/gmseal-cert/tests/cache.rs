//! The verification cache changes nothing but speed: every chain report made with a shared
//! [`VerifyCache`] — cold, warm, in another order, with a cache that keeps evicting — equals
//! the report made without one. The cases cover every kind of signature result the cache
//! stores (valid, bad, empty ID refused and tolerated, issuer key unusable via other PKIs) and
//! the outcomes around them (expired, revoked, untrusted root, issuer missing, work limit).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/pki.rs"]
mod pki;

use gmseal_cert::der::DateTime;
use gmseal_cert::issue::{CrlContents, Issuer, RevokedEntry, serial_from_bytes, validity};
use gmseal_cert::profile::OrganisationSigning;
use gmseal_cert::{
    Cert, ChainLimits, ChainOptions, ChainReport, RevocationPolicy, Role, TrustStore, VerifyCache,
    verify_chain_certs, verify_chain_certs_with_crls,
};
use gmseal_sm2::SoftwareSigner;

struct Case {
    name: String,
    leaf: Cert,
    extra: Vec<Cert>,
    store: TrustStore,
    options: ChainOptions,
}

fn run(c: &Case, cache: Option<&VerifyCache>) -> ChainReport {
    let mut options = c.options.clone();
    options.cache = cache.cloned();
    verify_chain_certs_with_crls(&c.leaf, &c.extra, &[], &c.store, &options)
}

fn time(s: &str) -> DateTime {
    s.parse().unwrap()
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(gmseal_testkit::corpus(&format!("certs/{rel}"))).unwrap()
}

fn corpus_cert(rel: &str) -> Cert {
    Cert::from_pem_or_der(&read(rel)).unwrap()
}

/// openHiTLS's CRL test set: root → intermediate → usr1..3, CRLs of both CAs.
fn hitls(base: &str, intermediate: &str, crls: &[&str]) -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add_anchors(&read(&format!("{base}/certs/root.crt")))
        .unwrap();
    store
        .add_intermediates(&read(&format!("{base}/intermediate/certs/{intermediate}")))
        .unwrap();
    for c in crls {
        store.add_crls(&read(&format!("{base}/{c}"))).unwrap();
    }
    store
}

fn cases() -> Vec<Case> {
    let p = pki::Pki::new();
    let other = pki::Pki::new(); // same names, other keys
    let opts = ChainOptions::at(time("2026-06-01T00:00:00Z"));
    let mut out = Vec::new();
    let mut push = |name: &str, leaf: &Cert, extra: Vec<Cert>, store: &TrustStore, options| {
        out.push(Case {
            name: name.to_owned(),
            leaf: leaf.clone(),
            extra,
            store: store.clone(),
            options,
        });
    };

    // The generated PKI: every role, an expired leaf, a revoked one, a bad signature.
    for (role, _, cert) in &p.leaves {
        push(&format!("{role:?}"), cert, vec![], &p.store(), opts.clone());
    }
    let signing = p.leaf(Role::OrganisationSigning).clone();
    let key = SoftwareSigner::generate();
    let expired = Issuer::new(&p.sub_key)
        .issue(
            OrganisationSigning::new(&pki::org(), &p.sub).unwrap(),
            &key.public_key(),
            validity(time("2020-01-01T00:00:00Z"), time("2021-01-01T00:00:00Z")).unwrap(),
        )
        .unwrap();
    push("expired", &expired, vec![], &p.store(), opts.clone());
    let crl = Issuer::new(&p.sub_key)
        .issue_crl(
            &p.sub,
            &CrlContents {
                this_update: time("2026-03-01T00:00:00Z"),
                next_update: Some(time("2026-09-01T00:00:00Z")),
                crl_number: 1,
                revoked: vec![RevokedEntry {
                    serial: serial_from_bytes(signing.serial().as_bytes()).unwrap(),
                    date: time("2026-02-01T00:00:00Z"),
                    reason: None,
                }],
            },
        )
        .unwrap();
    let mut revoked = p.store();
    revoked.add_crl(crl).unwrap();
    push("revoked", &signing, vec![], &revoked, opts.clone());
    push(
        "revoked later",
        &signing,
        vec![],
        &revoked,
        ChainOptions::at(time("2026-01-01T00:00:00Z")),
    );
    push(
        "revocation required, no CRL",
        p.leaf(Role::SealMaker),
        vec![],
        &p.store(),
        opts.clone().with_revocation(RevocationPolicy::Require),
    );
    let mut der = signing.der().to_vec();
    let n = der.len() - 3;
    der[n] ^= 0x01; // inside s
    push(
        "bad signature",
        &Cert::from_der(&der).unwrap(),
        vec![],
        &p.store(),
        opts.clone(),
    );
    // Another PKI with the same names: its leaf against our store (the sub CA's key does not
    // verify it), and with its own chain as extra certificates (an untrusted root).
    let stranger = other.leaf(Role::OrganisationSigning);
    push(
        "same names, other keys",
        stranger,
        vec![],
        &p.store(),
        opts.clone(),
    );
    push(
        "untrusted root",
        stranger,
        vec![other.sub.clone(), other.root.clone()],
        &TrustStore::new(),
        opts.clone(),
    );
    push(
        "work limit",
        &signing,
        vec![],
        &p.store(),
        opts.clone().with_limits(ChainLimits {
            max_signature_checks: 1,
            ..ChainLimits::default()
        }),
    );

    // openHiTLS: CRLs of both CAs, default-ID and empty-ID variants, a tampered CRL.
    const HITLS: &str = "openhitls/test_for_crl/sm2/sm2_with_userid/crl_verify";
    const NOID: &str = "openhitls/test_for_crl/sm2/sm2_without_userid/crl_verify";
    let t = ChainOptions::at(time("2026-06-01T00:00:00Z"));
    for (base, label) in [(HITLS, "default id"), (NOID, "empty id")] {
        let store = hitls(
            base,
            "intermediate.crt",
            &["intermediate/crl/intermediate.crl", "crl/root_updated.crl"],
        );
        for n in 1..=3 {
            let leaf = corpus_cert(&format!("{base}/intermediate/certs/usr{n}.crt"));
            push(&format!("{label} usr{n}"), &leaf, vec![], &store, t.clone());
            push(
                &format!("{label} usr{n}, empty id allowed"),
                &leaf,
                vec![],
                &store,
                t.clone().allow_empty_id(true),
            );
        }
    }
    let store = hitls(
        HITLS,
        "intermediate.crt",
        &["intermediate/crl/intermediate_usr3_change_sign.crl"],
    );
    push(
        "tampered CRL",
        &corpus_cert(&format!("{HITLS}/intermediate/certs/usr3.crt")),
        vec![],
        &store,
        t.clone(),
    );

    // Tongsuo: a dual-certificate chain, and a chain signed without Z.
    let mut tongsuo = TrustStore::new();
    for c in gmseal_cert::parse_certificates(&read("tongsuo/dual_chain-ca.crt")).unwrap() {
        if c.is_self_issued() {
            tongsuo.add_anchor(c).unwrap();
        } else {
            tongsuo.add_intermediate(c).unwrap();
        }
    }
    let t2024 = ChainOptions::at(time("2024-01-01T00:00:00Z"));
    for f in [
        "dual_client_sign.crt",
        "dual_client_enc.crt",
        "dual_server_sign.crt",
    ] {
        push(
            f,
            &corpus_cert(&format!("tongsuo/{f}")),
            vec![],
            &tongsuo,
            t2024.clone(),
        );
    }
    let mut noz = TrustStore::new();
    noz.add_anchors(&read("tongsuo/sm2-noza-root-cert.pem"))
        .unwrap();
    push(
        "no Z",
        &corpus_cert("tongsuo/sm2-noza-cert.pem"),
        vec![],
        &noz,
        t2024.allow_empty_id(true),
    );

    // The national root and the first certificates it issued.
    let mut nrcac = TrustStore::new();
    nrcac
        .add_anchors(&read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem"))
        .unwrap();
    let mut names: Vec<_> = std::fs::read_dir(gmseal_testkit::corpus("certs/nrcac-ca"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names.iter().take(12) {
        let c = Cert::from_pem_or_der(&std::fs::read(path).unwrap()).unwrap();
        let mid = (c.not_before().unix_duration() + c.not_after().unix_duration()) / 2;
        let o = ChainOptions::at(DateTime::from_unix_duration(mid).unwrap());
        push(&path.display().to_string(), &c, vec![], &nrcac, o);
    }
    out
}

#[test]
fn reports_with_the_cache_equal_reports_without() {
    let cases = cases();
    let expected: Vec<ChainReport> = cases.iter().map(|c| run(c, None)).collect();
    // Sanity: the cases produce different kinds of report.
    let trusted = expected.iter().filter(|r| r.is_trusted()).count();
    assert!(trusted > 2 && trusted < expected.len(), "{trusted} trusted");

    for (label, cache) in [
        ("default", VerifyCache::new()),
        ("tiny, always evicting", VerifyCache::with_capacity(2)),
    ] {
        // cold, then warm
        for pass in 0..2 {
            for (c, want) in cases.iter().zip(&expected) {
                assert_eq!(
                    &run(c, Some(&cache)),
                    want,
                    "{label}, pass {pass}: {}",
                    c.name
                );
            }
        }
        // warm, reverse order
        for (c, want) in cases.iter().zip(&expected).rev() {
            assert_eq!(&run(c, Some(&cache)), want, "{label}, reversed: {}", c.name);
        }
        let s = cache.stats();
        assert!(s.misses > 0, "{label}: {s:?}");
        if label == "default" {
            assert!(s.hits > 0, "{label}: {s:?}");
        }
    }
}

#[test]
fn a_shared_chain_is_verified_once() {
    let p = pki::Pki::new();
    let store = p.store();
    let cache = VerifyCache::new();
    let options = ChainOptions::at(time("2026-06-01T00:00:00Z")).with_cache(cache.clone());
    for _ in 0..2 {
        for (_, _, leaf) in &p.leaves {
            assert!(verify_chain_certs(leaf, &[], &store, &options).is_trusted());
        }
    }
    // 7 leaf signatures and the sub CA's once; the second round all from the cache.
    let s = cache.stats();
    assert_eq!((s.misses, s.hits), (8, 6 + 14), "{s:?}");
}

/// Flip the last occurrence of `needle` in `der` to `with` (same length, so the DER stays
/// well-formed).
fn replace_last(der: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let at = der
        .windows(needle.len())
        .rposition(|w| w == needle)
        .expect("needle present");
    let mut out = der.to_vec();
    out[at..at + needle.len()].copy_from_slice(with);
    out
}

#[test]
fn a_tampered_look_alike_of_a_cached_certificate_still_fails() {
    let p = pki::Pki::new();
    let store = p.store();
    let cache = VerifyCache::new();
    let options = ChainOptions::at(time("2026-06-01T00:00:00Z")).with_cache(cache.clone());
    let leaf = p.leaf(Role::OrganisationSigning);
    // warm: the genuine leaf and its sub CA are in the cache
    for _ in 0..2 {
        assert!(verify_chain_certs(leaf, &[], &store, &options).is_trusted());
    }
    let der = leaf.der();

    // 1. the subject changed (one digit of the USCC), same signature
    let subject = replace_last(der, pki::USCC.as_bytes(), b"91350100M000100Y44");
    // 2. the signature changed (last byte of s), same to-be-signed bytes
    let mut signature = der.to_vec();
    let last = signature.len() - 1;
    signature[last] ^= 1;
    // 3. the same names under a look-alike PKI: same subject and issuer names, other keys
    let other = pki::Pki::new();
    let look_alike = other.leaf(Role::OrganisationSigning).der().to_vec();

    for (what, bytes) in [
        ("subject", subject),
        ("signature", signature),
        ("look-alike issuer", look_alike),
    ] {
        let cert = Cert::from_der(&bytes).unwrap();
        let cached = verify_chain_certs(&cert, &[], &store, &options);
        assert!(!cached.is_trusted(), "{what}: {cached:?}");
        let mut plain = options.clone();
        plain.cache = None;
        assert_eq!(
            cached,
            verify_chain_certs(&cert, &[], &store, &plain),
            "{what}"
        );
    }
    // and the genuine one is still trusted
    assert!(verify_chain_certs(leaf, &[], &store, &options).is_trusted());
}
