//! Property tests: round trips of made seals, and no panic on arbitrary or mutated input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod pki {
    include!("common/pki.rs");
}

use std::sync::OnceLock;

use der::{DateTime, Encode};
use gmseal_ses::verify::{SignedContent, VerifyOptions, verify, verify_seal};
use gmseal_ses::{
    Seal, SealBuilder, SealSignature, SealStructure, SesVersion, SignatureBuilder, Strictness,
};
use proptest::prelude::*;

fn sample_signatures() -> &'static Vec<Vec<u8>> {
    static S: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    S.get_or_init(|| {
        let mut v = Vec::new();
        for version in [SesVersion::V1, SesVersion::V4, SesVersion::V5] {
            let (key, cert) = pki::holder();
            let sig = SignatureBuilder::new(&pki::sample_seal(version), cert)
                .data(b"d")
                .time(DateTime::new(2026, 1, 1, 0, 0, 0).unwrap())
                .sign(&key)
                .unwrap();
            v.push(sig.as_der().to_vec());
        }
        v.push(
            std::fs::read(gmseal_testkit::test_vectors(
                "ses/dms360-v1-SignedValue.dat",
            ))
            .unwrap(),
        );
        v
    })
}

fn exercise(bytes: &[u8]) {
    for mode in [Strictness::Strict, Strictness::Lenient] {
        if let Ok(sig) = SealSignature::from_der_with(bytes, mode) {
            let options = VerifyOptions::default().with_strictness(mode);
            let report = verify(&sig, SignedContent::Bytes(b"d"), &options);
            let _ = report.to_string();
            let _ = sig.seal().picture();
        }
        if let Ok(seal) = Seal::from_der_with(bytes, mode) {
            let _ = verify_seal(&seal, None, &VerifyOptions::lenient()).to_string();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
        let _ = gmseal_ses::time::parse_time_info(&bytes);
    }

    #[test]
    fn mutated_signatures_never_panic(
        which in 0usize..4,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = sample_signatures()[which].clone();
        for (i, b) in edits {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
        if truncate {
            let n = cut.index(bytes.len());
            bytes.truncate(n);
        }
        exercise(&bytes);
    }

    #[test]
    fn time_info_text_never_panics(s in "\\PC{0,40}") {
        let _ = gmseal_ses::time::parse_time_info(s.as_bytes());
    }

    #[test]
    fn made_seals_round_trip(
        version in prop::sample::select(vec![SesVersion::V1, SesVersion::V4, SesVersion::V5]),
        name in "\\PC{1,24}",
        es_id in "[0-9A-Za-z-]{1,32}",
        seal_type in 1i64..20,
        width in 1i64..200,
        height in 1i64..200,
        start_days in 0u64..6000,
        days in 1u64..3000,
    ) {
        let start = DateTime::from_unix_duration(core::time::Duration::from_secs(
            1_577_836_800 + start_days * 86_400,
        )).unwrap();
        let end = DateTime::from_unix_duration(start.unix_duration() + core::time::Duration::from_secs(days * 86_400)).unwrap();
        let (maker, maker_cert) = pki::maker();
        let seal = SealBuilder::new(es_id.clone(), name.clone(), maker_cert)
            .version(version)
            .seal_type(seal_type)
            .holder_certificate(pki::holder().1)
            .validity(start, end)
            .picture("PNG", pki::png(), width, height)
            .sign(&maker)
            .unwrap();
        prop_assert_eq!(seal.name(), name);
        prop_assert_eq!(seal.es_id(), es_id);
        prop_assert_eq!(seal.seal_type(), seal_type);
        prop_assert_eq!(seal.valid_start(), start);
        prop_assert_eq!(seal.valid_end(), end);
        prop_assert_eq!((seal.picture().width_mm, seal.picture().height_mm), (width, height));
        let again = match seal.structure() {
            SealStructure::V1(s) => s.to_der().unwrap(),
            SealStructure::V4(s) => s.to_der().unwrap(),
        };
        prop_assert_eq!(again.as_slice(), seal.as_der());
        let report = verify_seal(&seal, Some(start), &VerifyOptions::default());
        prop_assert!(report.failures().is_empty(), "{}", report);
    }
}
