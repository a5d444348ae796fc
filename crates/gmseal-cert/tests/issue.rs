//! Issuing: every role, its extensions, the subject rule and its readers, CRLs, and chain
//! verification of what we issue, including the negative cases (revoked, loops, long chains,
//! pathLen, non-CA issuer, unknown critical extension, wrong keys).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/pki.rs"]
mod pki;
#[path = "support/raw.rs"]
mod raw;

use der::DateTime;
use gmseal_cert::chain::ChainLimits;
use gmseal_cert::issue::{CrlContents, Issuer, RevokedEntry, validity};
use gmseal_cert::name::{NameBuilder, display_name};
use gmseal_cert::profile::{IssuerRef, Role, RootCa, SubCa, SystemCert};
use gmseal_cert::signature::SignatureFailure;
use gmseal_cert::subject::{self, IdentitySource};
use gmseal_cert::{
    Cert, ChainOptions, Error, KeyUsageRequirement, Problem, TrustStore, Verdict,
    verify_chain_certs, verify_chain_certs_with_crls,
};
use gmseal_sm2::{PublicKey, SoftwareSigner};
use pki::{Pki, RESIDENT_ID, USCC, validity_2025_2045};
use raw::{ca_exts, cn, ext, raw};
use x509_cert::ext::pkix::{CrlReason, KeyUsages};
use x509_cert::name::Name;

fn t2030() -> ChainOptions {
    ChainOptions::at("2030-01-01T00:00:00Z".parse().unwrap())
}

fn problem(v: &Verdict) -> &Problem {
    match v {
        Verdict::Untrusted { problem, .. } | Verdict::Indeterminate { problem, .. } => problem,
        Verdict::Trusted => panic!("trusted"),
    }
}

#[test]
fn every_role_verifies_with_our_chain_code() {
    let pki = Pki::new();
    let store = pki.store();
    assert!(
        pki.root
            .verify_issued_by(&pki.root, &Default::default())
            .is_ok()
    );
    for (role, _, cert) in &pki.leaves {
        let mut opts = t2030();
        if !role.is_encryption() {
            opts = opts.with_leaf_key_usage(KeyUsageRequirement::Signing);
        }
        if *role == Role::TimeStamping {
            opts = opts.with_leaf_extended_key_usage(gmseal_cert::oid::ID_KP_TIME_STAMPING);
        }
        let r = verify_chain_certs(cert, &[], &store, &opts);
        assert!(r.is_trusted(), "{role}: {r}");
        assert_eq!(r.path.len(), 3);
        assert!(r.tolerated.is_empty());
        // The issued key usage is the role's.
        assert_eq!(cert.key_usage(), Some(role.key_usage()), "{role}");
        assert!(!cert.is_ca());
        assert_eq!(
            cert.authority_key_identifier(),
            pki.sub.subject_key_identifier()
        );
    }
    // Encryption certificates cannot pass as signing certificates.
    let enc = pki.leaf(Role::OrganisationEncryption);
    let r = verify_chain_certs(
        enc,
        &[],
        &store,
        &t2030().with_leaf_key_usage(KeyUsageRequirement::Signing),
    );
    assert!(matches!(problem(&r.verdict), Problem::LeafKeyUsage(_)));
    // Only the TSA has timeStamping.
    let r = verify_chain_certs(
        pki.leaf(Role::SealMaker),
        &[],
        &store,
        &t2030().with_leaf_extended_key_usage(gmseal_cert::oid::ID_KP_TIME_STAMPING),
    );
    assert!(matches!(
        problem(&r.verdict),
        Problem::LeafExtendedKeyUsage(_)
    ));
}

#[test]
fn ca_profiles_and_parameters() {
    let pki = Pki::new();
    assert!(pki.root.is_ca() && pki.root.is_self_issued());
    assert_eq!(
        pki.root.authority_key_identifier(),
        pki.root.subject_key_identifier()
    );
    // root: parameters absent; sub CA: NULL, inside and outside the TBS.
    assert_eq!(
        pki.root.signature_algorithm_der(),
        &[
            0x30, 0x0A, 0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x75
        ]
    );
    assert_eq!(
        pki.sub.signature_algorithm_der(),
        &[
            0x30, 0x0C, 0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x75, 0x05, 0x00
        ]
    );
    assert_eq!(
        pki.sub.signature_algorithm_der(),
        pki.sub.tbs_signature_algorithm_der()
    );
    let bc = pki.sub.extensions().basic_constraints.clone().unwrap();
    assert!(bc.critical && bc.value.ca);
    assert_eq!(bc.value.path_len_constraint, Some(0));
    let ku = pki.sub.extensions().key_usage.clone().unwrap();
    assert!(ku.critical);
    assert_eq!(ku.value, KeyUsages::KeyCertSign | KeyUsages::CRLSign);
    // The signature value is DER SEQUENCE{r, s}, never raw r||s.
    for c in [&pki.root, &pki.sub] {
        assert_eq!(c.signature_value()[0], 0x30);
        gmseal_sm2::encoding::decode_der(c.signature_value()).unwrap();
    }
    // SKI is SHA-1 of the key (as every corpus certificate): 20 bytes.
    assert_eq!(pki.sub.subject_key_identifier().unwrap().len(), 20);
}

#[test]
fn subject_rule_and_readers() {
    let pki = Pki::new();
    for role in [
        Role::OrganisationSigning,
        Role::OrganisationEncryption,
        Role::SealMaker,
        Role::System,
    ] {
        let c = pki.leaf(role);
        let code = subject::credit_code(c).unwrap();
        assert_eq!(code.value, USCC);
        assert_eq!(code.source, IdentitySource::SubjectTitle);
        assert!(code.is_valid());
        let all = subject::credit_codes(c);
        assert_eq!(all[1].source, IdentitySource::SubjectAliasedEntryName);
        if role != Role::System {
            assert_eq!(all[2].source, IdentitySource::Gmt0015_2023CreditCode);
        }
        let name = subject::unit_name(c).unwrap();
        assert_eq!(name.value, "测试有限公司");
        assert_eq!(name.source, IdentitySource::SubjectGivenName);
    }
    for role in [Role::PersonalSigning, Role::PersonalEncryption] {
        let c = pki.leaf(role);
        let id = subject::id_number(c).unwrap();
        assert_eq!(
            (id.value.as_str(), id.source),
            (RESIDENT_ID, IdentitySource::SubjectTitle)
        );
        assert!(id.is_valid());
        assert!(
            subject::id_numbers(c)
                .iter()
                .any(|v| v.source == IdentitySource::Gmt0015_2023ResidentId)
        );
        assert_eq!(subject::person_name(c).unwrap().value, "张三");
    }
    assert_eq!(
        display_name(pki.leaf(Role::OrganisationSigning).subject()),
        format!("C=CN,T={USCC},2.5.4.1={USCC},G=测试有限公司,CN=测试有限公司")
    );
}

#[test]
fn dual_certificate_pair() {
    let pki = Pki::new();
    let sign = pki.leaf(Role::OrganisationSigning);
    let enc = pki.leaf(Role::OrganisationEncryption);
    // Same subject (byte for byte) and issuer, different key and serial.
    assert_eq!(sign.subject(), enc.subject());
    assert_eq!(sign.issuer(), enc.issuer());
    assert_ne!(sign.serial(), enc.serial());
    assert_ne!(sign.public_key().unwrap(), enc.public_key().unwrap());
    assert!(sign.check_signing_usage().is_ok());
    assert!(enc.check_signing_usage().is_err());
}

#[test]
fn readers_fall_back_to_identity_extensions_and_cn_suffix() {
    let pki = Pki::new();
    // A subject with no T / 2.5.4.1 / G: CN "单位@code" and the 2023 extension.
    let name = NameBuilder::new()
        .country("CN")
        .unwrap()
        .organization("某单位")
        .unwrap()
        .common_name(&format!("某单位@{USCC}"))
        .unwrap()
        .build();
    let key = SoftwareSigner::generate();
    let c = Issuer::new(&pki.sub_key)
        .issue(
            SystemCert::new(name, &pki.sub).unwrap().extension(
                gmseal_cert::gmt0015::unified_social_credit_code_extension(USCC).unwrap(),
            ),
            &key.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let code = subject::credit_code(&c).unwrap();
    assert_eq!(code.source, IdentitySource::Gmt0015_2023CreditCode);
    let all = subject::credit_codes(&c);
    assert_eq!(
        all.last().unwrap().source,
        IdentitySource::SubjectCommonNameSuffix
    );
    assert_eq!(subject::unit_name(&c).unwrap().value, "某单位");
    // An invalid code is returned with its error when nothing valid exists.
    let name = NameBuilder::new()
        .common_name("x@91350100M000100Y44")
        .unwrap()
        .build();
    let c = Issuer::new(&pki.sub_key)
        .issue(
            SystemCert::new(name, &pki.sub).unwrap(),
            &key.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let code = subject::credit_code(&c).unwrap();
    assert!(!code.is_valid());
    // The 2012 IdentifyCode.
    let ext = gmseal_cert::gmt0015::identify_code_extension(
        &gmseal_cert::gmt0015::IdentifyCode::ResidentCardNumber(RESIDENT_ID.into()),
    )
    .unwrap();
    let c = Issuer::new(&pki.sub_key)
        .issue(
            SystemCert::new(
                NameBuilder::new().common_name("李四").unwrap().build(),
                &pki.sub,
            )
            .unwrap()
            .extension(ext),
            &key.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let id = subject::id_number(&c).unwrap();
    assert_eq!(id.source, IdentitySource::Gmt0015_2012IdentifyCode);
    assert_eq!(id.value, RESIDENT_ID);
}

#[test]
fn typed_errors_when_issuing() {
    let pki = Pki::new();
    let key = SoftwareSigner::generate();
    // Wrong signer for the issuer.
    let err = Issuer::new(&key)
        .issue(
            SystemCert::new(Name::default(), &pki.sub).unwrap(),
            &key.public_key(),
            validity_2025_2045(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::SignerKeyMismatch));
    // Root whose subject key is not the signer's.
    let other = SoftwareSigner::generate();
    let err = Issuer::new(&key)
        .issue(
            RootCa::new(Name::default()),
            &other.public_key(),
            validity_2025_2045(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::SignerKeyMismatch));
    // An end-entity certificate cannot issue.
    let err = SubCa::new(Name::default(), pki.leaf(Role::System)).unwrap_err();
    assert!(matches!(err, Error::IssuerNotAuthorised { .. }));
    // Invalid identities.
    assert!(matches!(
        subject::OrganisationSubject::new("x", "123"),
        Err(Error::Identity { .. })
    ));
    assert!(matches!(
        subject::PersonalSubject::resident("x", "110105194902310021"),
        Err(Error::Identity { .. })
    ));
    assert!(
        validity(
            "2030-01-01T00:00:00Z".parse().unwrap(),
            "2029-01-01T00:00:00Z".parse().unwrap()
        )
        .is_err()
    );
    // CRL by a key that is not the CA's.
    let err = Issuer::new(&key)
        .issue_crl(&pki.sub, &crl_contents(vec![]))
        .unwrap_err();
    assert!(matches!(err, Error::SignerKeyMismatch));
}

fn crl_contents(revoked: Vec<RevokedEntry>) -> CrlContents {
    CrlContents {
        this_update: "2029-06-01T00:00:00Z".parse().unwrap(),
        next_update: Some("2030-06-01T00:00:00Z".parse().unwrap()),
        crl_number: 7,
        revoked,
    }
}

#[test]
fn issued_crl_revokes() {
    let pki = Pki::new();
    let victim = pki.leaf(Role::PersonalSigning);
    let crl = Issuer::new(&pki.sub_key)
        .issue_crl(
            &pki.sub,
            &crl_contents(vec![RevokedEntry {
                serial: victim.serial().clone(),
                date: "2029-05-01T00:00:00Z".parse().unwrap(),
                reason: Some(CrlReason::KeyCompromise),
            }]),
        )
        .unwrap();
    assert_eq!(crl.crl_number(), Some(&[7u8][..]));
    assert_eq!(
        crl.authority_key_identifier(),
        pki.sub.subject_key_identifier()
    );
    crl.validate_for(&pki.sub, &Default::default()).unwrap();
    let mut store = pki.store();
    store.add_crl(crl).unwrap();
    let r = verify_chain_certs(victim, &[], &store, &t2030());
    match problem(&r.verdict) {
        Problem::Revoked(rev) => assert_eq!(rev.reason, Some(CrlReason::KeyCompromise)),
        p => panic!("{p}"),
    }
    // Others are fine; after nextUpdate the status is unknown.
    let other = pki.leaf(Role::SealMaker);
    assert!(verify_chain_certs(other, &[], &store, &t2030()).is_trusted());
    let late = ChainOptions::at("2031-01-01T00:00:00Z".parse().unwrap());
    let r = verify_chain_certs(other, &[], &store, &late);
    assert!(matches!(
        r.verdict,
        Verdict::Indeterminate {
            problem: Problem::RevocationUnknown(_),
            ..
        }
    ));
    // Revocation checking off.
    let r = verify_chain_certs(
        victim,
        &[],
        &store,
        &t2030().with_revocation(gmseal_cert::RevocationPolicy::Off),
    );
    assert!(r.is_trusted());
}

#[test]
fn crls_given_with_the_leaf_count_like_the_stores() {
    let pki = Pki::new();
    let victim = pki.leaf(Role::OrganisationSigning);
    let revoked = crl_contents(vec![RevokedEntry {
        serial: victim.serial().clone(),
        date: "2029-05-01T00:00:00Z".parse().unwrap(),
        reason: Some(CrlReason::AffiliationChanged),
    }]);
    let crl = Issuer::new(&pki.sub_key)
        .issue_crl(&pki.sub, &revoked)
        .unwrap();
    let store = pki.store();
    // Not in the store, given with the leaf: revoked.
    let r = verify_chain_certs_with_crls(victim, &[], std::slice::from_ref(&crl), &store, &t2030());
    match problem(&r.verdict) {
        Problem::Revoked(rev) => assert_eq!(rev.reason, Some(CrlReason::AffiliationChanged)),
        p => panic!("{p}"),
    }
    // The same CRL signed by another key (a forged CRL carried in a message) is unusable:
    // revocation status unknown, never "revoked" or "good" on its say-so.
    let forger = SoftwareSigner::generate();
    let fake_ca = Issuer::new(&forger)
        .issue(
            RootCa::new(pki.sub.subject().clone()),
            &forger.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let forged = Issuer::new(&forger)
        .issue_crl(&fake_ca, &crl_contents(vec![]))
        .unwrap();
    let r = verify_chain_certs_with_crls(victim, &[], &[forged], &store, &t2030());
    assert!(
        matches!(
            r.verdict,
            Verdict::Indeterminate {
                problem: Problem::RevocationUnknown(_),
                ..
            }
        ),
        "{r}"
    );
    // Beyond the limit, extra CRLs are ignored.
    let limits = ChainLimits {
        max_extra_certificates: 0,
        ..ChainLimits::default()
    };
    let r = verify_chain_certs_with_crls(victim, &[], &[crl], &store, &t2030().with_limits(limits));
    assert!(r.is_trusted(), "{r}");
}

#[test]
fn loops_terminate() {
    // X and Y certify each other; the leaf is issued by X; nothing is trusted.
    let kx = SoftwareSigner::generate();
    let ky = SoftwareSigner::generate();
    let x = raw(&ky, cn("X"), cn("Y"), &kx.public_key(), ca_exts());
    let y = raw(&kx, cn("Y"), cn("X"), &ky.public_key(), ca_exts());
    let leaf_key = SoftwareSigner::generate();
    let leaf = raw(&kx, cn("leaf"), cn("X"), &leaf_key.public_key(), vec![]);
    let r = verify_chain_certs(&leaf, &[x.clone(), y.clone()], &TrustStore::new(), &t2030());
    assert!(
        matches!(
            r.verdict,
            Verdict::Indeterminate {
                problem: Problem::IssuerNotFound { .. },
                ..
            }
        ),
        "{r}"
    );
    assert!(r.path.len() <= 3);
    // With Y trusted, the loop is a path.
    let mut store = TrustStore::new();
    store.add_anchor(y).unwrap();
    let r = verify_chain_certs(&leaf, &[x], &store, &t2030());
    assert!(r.is_trusted(), "{r}");
}

#[test]
fn long_chains_hit_the_limit() {
    let root_key = SoftwareSigner::generate();
    let root = Issuer::new(&root_key)
        .issue(
            RootCa::new(cn("R")),
            &root_key.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let mut chain = Vec::new();
    let mut parent = root.clone();
    let mut parent_key = root_key;
    for i in 0..20 {
        let k = SoftwareSigner::generate();
        let c = Issuer::new(&parent_key)
            .issue(
                SubCa::new(cn(&format!("CA {i}")), &parent).unwrap(),
                &k.public_key(),
                validity_2025_2045(),
            )
            .unwrap();
        chain.push(c.clone());
        parent = c;
        parent_key = k;
    }
    let leaf = chain.pop().unwrap();
    let mut store = TrustStore::new();
    store.add_anchor(root).unwrap();
    let r = verify_chain_certs(&leaf, &chain, &store, &t2030());
    assert!(
        matches!(problem(&r.verdict), Problem::PathTooLong { limit: 8 }),
        "{r}"
    );
    let big = ChainLimits {
        max_path_len: 25,
        ..ChainLimits::default()
    };
    let r = verify_chain_certs(&leaf, &chain, &store, &t2030().with_limits(big));
    assert!(r.is_trusted(), "{r}");
    assert_eq!(r.path.len(), 21);
}

#[test]
fn many_impostor_issuers_exhaust_the_budget() {
    let pki = Pki::new();
    let leaf = pki.leaf(Role::SealMaker);
    // 100 certificates with the sub CA's name but other keys.
    let impostors: Vec<Cert> = (0..100)
        .map(|_| {
            let k = SoftwareSigner::generate();
            raw(
                &k,
                pki.sub.subject().clone(),
                cn("nobody"),
                &k.public_key(),
                ca_exts(),
            )
        })
        .collect();
    let limits = ChainLimits {
        max_extra_certificates: 200,
        ..ChainLimits::default()
    };
    let r = verify_chain_certs(leaf, &impostors, &pki.store(), &t2030().with_limits(limits));
    // The genuine sub CA's subjectKeyIdentifier matches the leaf's authorityKeyIdentifier, so
    // it is tried first.
    assert!(r.is_trusted(), "{r}");
    // Without the genuine one: bounded failure.
    let mut store = TrustStore::new();
    store.add_anchor(pki.root.clone()).unwrap();
    let r = verify_chain_certs(leaf, &impostors, &store, &t2030().with_limits(limits));
    assert!(
        matches!(
            r.verdict,
            Verdict::Indeterminate {
                problem: Problem::BudgetExhausted { limit: 64 },
                ..
            }
        ),
        "{r}"
    );
    // With a budget large enough, every impostor is tried and refused.
    let r = verify_chain_certs(
        leaf,
        &impostors,
        &store,
        &t2030().with_limits(ChainLimits {
            max_signature_checks: 1000,
            ..limits
        }),
    );
    assert_eq!(
        problem(&r.verdict),
        &Problem::Signature(SignatureFailure::BadSignature)
    );
}

#[test]
fn path_len_non_ca_and_unknown_critical_extension() {
    let pki = Pki::new();
    let store = pki.store();
    // The sub CA has pathLen 0: a CA below it cannot issue.
    let k2 = SoftwareSigner::generate();
    let sub2 = Issuer::new(&pki.sub_key)
        .issue(
            SubCa::new(cn("sub2"), &pki.sub).unwrap(),
            &k2.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let k3 = SoftwareSigner::generate();
    let leaf = Issuer::new(&k2)
        .issue(
            SystemCert::new(cn("leaf"), &sub2).unwrap(),
            &k3.public_key(),
            validity_2025_2045(),
        )
        .unwrap();
    let r = verify_chain_certs(&leaf, &[sub2], &store, &t2030());
    assert!(
        matches!(
            problem(&r.verdict),
            Problem::PathLengthExceeded {
                path_len: 0,
                intermediates: 1
            }
        ),
        "{r}"
    );
    assert!(matches!(r.verdict, Verdict::Untrusted { cert: 2, .. }));

    // A certificate issued by an end-entity certificate.
    let system = pki.leaf(Role::System);
    let system_key = &pki
        .leaves
        .iter()
        .find(|(r, _, _)| *r == Role::System)
        .unwrap()
        .1;
    let k = SoftwareSigner::generate();
    let bad = raw(
        system_key,
        cn("victim"),
        system.subject().clone(),
        &k.public_key(),
        vec![],
    );
    let r = verify_chain_certs(&bad, std::slice::from_ref(system), &store, &t2030());
    assert!(matches!(problem(&r.verdict), Problem::NotACa), "{r}");

    // A CA without keyCertSign.
    let kca = SoftwareSigner::generate();
    let no_certsign = raw(
        &pki.sub_key,
        cn("no certsign"),
        pki.sub.subject().clone(),
        &kca.public_key(),
        vec![
            ext("2.5.29.19", true, &[0x30, 0x03, 0x01, 0x01, 0xFF]),
            ext("2.5.29.15", true, &[0x03, 0x02, 0x07, 0x80]),
        ],
    );
    let leaf = raw(&kca, cn("l"), cn("no certsign"), &k.public_key(), vec![]);
    let r = verify_chain_certs(&leaf, &[no_certsign], &store, &t2030());
    assert!(
        matches!(problem(&r.verdict), Problem::MissingKeyCertSign),
        "{r}"
    );

    // An unknown critical extension on the leaf.
    let leaf = raw(
        &pki.sub_key,
        cn("critical"),
        pki.sub.subject().clone(),
        &k.public_key(),
        vec![ext("1.2.3.4", true, &[0x05, 0x00])],
    );
    let r = verify_chain_certs(&leaf, &[], &store, &t2030());
    assert_eq!(
        problem(&r.verdict),
        &Problem::UnsupportedCriticalExtension("1.2.3.4".parse().unwrap())
    );
}

#[test]
fn tampered_issued_certificate_fails_for_the_right_reason() {
    let pki = Pki::new();
    let store = pki.store();
    let good = pki.leaf(Role::SealMaker);
    // Flip one byte of the subject inside the TBS: the signature no longer verifies.
    let mut der = good.der().to_vec();
    let cn_pos = der
        .windows("测试有限公司".len())
        .rposition(|w| w == "测试有限公司".as_bytes())
        .unwrap();
    der[cn_pos] ^= 1;
    let tampered = Cert::from_der(&der).unwrap();
    let r = verify_chain_certs(&tampered, &[], &store, &t2030());
    assert_eq!(
        problem(&r.verdict),
        &Problem::Signature(SignatureFailure::BadSignature)
    );
    // Re-encode the signature as raw r||s inside the BIT STRING.
    let sig = gmseal_sm2::encoding::decode_der(good.signature_value()).unwrap();
    let raw_sig = gmseal_sm2::encoding::encode(&sig, gmseal_sm2::SignatureFormat::Raw);
    let tbs = good.tbs_der();
    let alg = good.signature_algorithm_der();
    let mut body = Vec::new();
    body.extend_from_slice(tbs);
    body.extend_from_slice(alg);
    body.extend_from_slice(&[0x03, 0x41, 0x00]);
    body.extend_from_slice(&raw_sig);
    let mut der = vec![0x30, 0x82, (body.len() >> 8) as u8, body.len() as u8];
    der.extend_from_slice(&body);
    let raw_cert = Cert::from_der(&der).unwrap();
    let r = verify_chain_certs(&raw_cert, &[], &store, &t2030());
    assert_eq!(
        problem(&r.verdict),
        &Problem::Signature(SignatureFailure::RawSignature)
    );
    // Lenient encoding accepts it and reports it.
    let r = verify_chain_certs(
        &raw_cert,
        &[],
        &store,
        &t2030().with_signature_policy(gmseal_cert::SignaturePolicy {
            allow_empty_id: false,
            encoding: gmseal_sm2::Strictness::Lenient,
        }),
    );
    assert!(r.is_trusted(), "{r}");
    assert_eq!(r.tolerated.len(), 1);
}

#[test]
fn external_signer_through_the_trait_object() {
    // A signer that is not a SoftwareSigner (as an SKF device would be).
    struct Device(SoftwareSigner);
    impl signature::Keypair for Device {
        type VerifyingKey = PublicKey;
        fn verifying_key(&self) -> PublicKey {
            self.0.public_key()
        }
    }
    impl signature::hazmat::PrehashSigner<gmseal_sm2::Signature> for Device {
        fn sign_prehash(&self, e: &[u8]) -> signature::Result<gmseal_sm2::Signature> {
            self.0.sign_prehash(e)
        }
    }
    let dev = Device(SoftwareSigner::generate());
    let pk = signature::Keypair::verifying_key(&dev);
    let root = Issuer::new(&dev)
        .verify_after_signing(true)
        .issue(RootCa::new(cn("device root")), &pk, validity_2025_2045())
        .unwrap();
    root.verify_issued_by(&root, &Default::default()).unwrap();
    let _ = IssuerRef::from_cert(&root).unwrap();
    let _: DateTime = root.not_before();
}
