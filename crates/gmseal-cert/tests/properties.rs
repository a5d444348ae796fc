//! Property tests: issue → encode → parse → verify round trips for random subjects (Chinese
//! text included), and no panic (and no false trust) on arbitrary or mutated input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/pki.rs"]
mod pki;

use std::sync::OnceLock;

use gmseal_cert::identity::uscc_check_character;
use gmseal_cert::issue::Issuer;
use gmseal_cert::lint::{has_errors, lint_with_issuer};
use gmseal_cert::name::display_name;
use gmseal_cert::profile::{OrganisationSigning, Personal};
use gmseal_cert::subject::{self, OrganisationSubject, PersonalSubject, SubjectPlace};
use gmseal_cert::{
    Cert, ChainOptions, Crl, Role, TrustStore, parse_certificates, parse_crls, verify_chain,
    verify_chain_certs,
};
use gmseal_sm2::SoftwareSigner;
use gmseal_testkit::corpus;
use pki::{Pki, validity_2025_2045};
use proptest::prelude::*;

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(Pki::new)
}

fn opts() -> ChainOptions {
    ChainOptions::at("2030-01-01T00:00:00Z".parse().unwrap())
}

/// Names: CJK ideographs, ASCII letters, digits, spaces and punctuation that needs escaping.
fn name_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::char::range('\u{4E00}', '\u{9FA5}'),
            prop::char::range('a', 'z'),
            prop::char::range('0', '9'),
            Just('（'),
            Just(','),
            Just('+'),
        ],
        1..40,
    )
    .prop_map(|v| v.into_iter().collect::<String>())
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn credit_code() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "0123456789ABCDEFGHJKLMNPQRTUWXY".chars().collect();
    prop::collection::vec(prop::sample::select(chars), 17).prop_map(|v| {
        let prefix: String = v.into_iter().collect();
        let check = uscc_check_character(&prefix).unwrap();
        format!("{prefix}{check}")
    })
}

fn resident_id() -> impl Strategy<Value = String> {
    (
        100000u32..999999,
        1950u32..2020,
        1u32..13,
        1u32..29,
        0u32..1000,
    )
        .prop_map(|(area, y, m, d, seq)| {
            let body = format!("{area:06}{y:04}{m:02}{d:02}{seq:03}");
            let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
            let sum: u32 = body
                .chars()
                .zip(w)
                .map(|(c, w)| c.to_digit(10).unwrap() * w)
                .sum();
            let check = b"10X98765432"[(sum % 11) as usize] as char;
            format!("{body}{check}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn organisation_round_trip(
        unit in name_text(),
        code in credit_code(),
        province in proptest::option::of(name_text()),
        ou in proptest::option::of(name_text()),
    ) {
        let p = pki();
        let subject = OrganisationSubject::new(&unit, &code).unwrap().with_place(SubjectPlace {
            province: province.clone(),
            organizational_unit: ou,
            ..SubjectPlace::default()
        });
        let key = SoftwareSigner::generate();
        let cert = Issuer::new(&p.sub_key)
            .issue(
                OrganisationSigning::new(&subject, &p.sub).unwrap().crl_distribution_point(pki::CRL_URI),
                &key.public_key(),
                validity_2025_2045(),
            )
            .unwrap();
        // encode -> parse
        let again = Cert::from_der(cert.der()).unwrap();
        prop_assert_eq!(&again, &cert);
        prop_assert_eq!(again.subject(), &subject.to_name().unwrap());
        // verify
        let r = verify_chain(cert.der(), &[] as &[&[u8]], &p.store(), &opts()).unwrap();
        prop_assert!(r.is_trusted(), "{}", r);
        // read back
        let c = subject::credit_code(&again).unwrap();
        prop_assert_eq!(&c.value, &code);
        prop_assert!(c.is_valid());
        prop_assert_eq!(subject::unit_name(&again).unwrap().value, unit.clone());
        if let Some(pr) = &province {
            prop_assert_eq!(
                gmseal_cert::name::attribute_value(again.subject(), gmseal_cert::oid::attr::STATE),
                Some(pr.clone())
            );
        }
        prop_assert!(display_name(again.subject()).contains(&code));
        let f = lint_with_issuer(&again, Role::OrganisationSigning, &p.sub);
        prop_assert!(!has_errors(&f), "{:?}", f);
    }

    #[test]
    fn personal_round_trip(name in name_text(), id in resident_id()) {
        let p = pki();
        let subject = PersonalSubject::resident(&name, &id).unwrap();
        let key = SoftwareSigner::generate();
        let cert = Issuer::new(&p.sub_key)
            .issue(Personal::signing(&subject, &p.sub).unwrap(), &key.public_key(), validity_2025_2045())
            .unwrap();
        let again = Cert::from_der(cert.der()).unwrap();
        prop_assert!(verify_chain_certs(&again, &[], &p.store(), &opts()).is_trusted());
        prop_assert_eq!(subject::id_number(&again).unwrap().value, id);
        prop_assert_eq!(subject::person_name(&again).unwrap().value, name);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = Cert::from_der(&bytes);
        let _ = Crl::from_der(&bytes);
        let _ = parse_certificates(&bytes);
        let _ = parse_crls(&bytes);
        let _ = verify_chain(&bytes, &[&bytes[..]], &TrustStore::new(), &opts());
        let mut der = vec![0x30, 0x82, (bytes.len() >> 8) as u8, bytes.len() as u8];
        der.extend_from_slice(&bytes);
        let _ = Cert::from_der(&der);
        let _ = Crl::from_der(&der);
    }
}

fn sheca() -> (Vec<u8>, TrustStore) {
    let leaf = std::fs::read(corpus(
        "certs/nrcac-ca/2DA1A6BD0CE76C624E634B7D6A29D02A.pem",
    ))
    .unwrap();
    let leaf = Cert::from_pem_or_der(&leaf).unwrap().der().to_vec();
    let mut store = TrustStore::new();
    store
        .add_anchors(&std::fs::read(corpus("certs/nrcac-ca/ROOTCA_NRCAC_root_sm2.pem")).unwrap())
        .unwrap();
    (leaf, store)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any change to a real certificate either fails to parse or is not trusted.
    #[test]
    fn mutated_certificates_are_never_trusted(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let (orig, store) = sheca();
        let mut der = orig.clone();
        for (i, v) in edits {
            let i = i.index(der.len());
            der[i] = v;
        }
        if let Some(c) = cut {
            der.truncate(c.index(der.len()));
        }
        prop_assume!(der != orig);
        let opts = ChainOptions::at("2025-01-01T00:00:00Z".parse().unwrap());
        if let Ok(report) = verify_chain(&der, &[] as &[&[u8]], &store, &opts) {
            prop_assert!(!report.is_trusted(), "{}", report);
        }
    }

    /// The same for CRLs: a mutated CRL never validates.
    #[test]
    fn mutated_crls_never_validate(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let base = "certs/openhitls/test_for_crl/sm2/sm2_with_userid/crl_verify";
        let orig = Crl::from_pem_or_der(&std::fs::read(corpus(&format!("{base}/crl/root.crl"))).unwrap()).unwrap().der().to_vec();
        let issuer = Cert::from_pem_or_der(&std::fs::read(corpus(&format!("{base}/certs/root.crt"))).unwrap()).unwrap();
        let mut der = orig.clone();
        for (i, v) in edits {
            let i = i.index(der.len());
            der[i] = v;
        }
        prop_assume!(der != orig);
        if let Ok(crl) = Crl::from_der(&der) {
            prop_assert!(crl.validate_for(&issuer, &Default::default()).is_err());
        }
    }
}
