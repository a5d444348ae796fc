//! Property tests: round trips over arbitrary content, and no panic on arbitrary or mutated
//! input. Also the shared corpus: its OFD signature values are SES structures or bare SM2
//! signatures, never CMS; each must be refused with a typed error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::sync::OnceLock;

use gmseal_cms::test_support::self_signed;
use gmseal_cms::*;
use gmseal_sm2::SoftwareSigner;
use proptest::prelude::*;
use x509_cert::Certificate;

fn key() -> &'static (SoftwareSigner, Certificate) {
    static KEY: OnceLock<(SoftwareSigner, Certificate)> = OnceLock::new();
    KEY.get_or_init(|| self_signed("CN=proptest").unwrap())
}

fn sample() -> &'static Vec<u8> {
    static S: OnceLock<Vec<u8>> = OnceLock::new();
    S.get_or_init(|| {
        let (k, c) = key();
        SignedDataBuilder::new(OidFamily::Gmt0010)
            .attached(b"sample".to_vec())
            .signer(CmsSigner::new(k, c.clone()))
            .build()
            .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn round_trip(content in proptest::collection::vec(any::<u8>(), 0..2048),
                  gm in any::<bool>(), detached in any::<bool>(), attrs in any::<bool>()) {
        let (k, c) = key();
        let family = if gm { OidFamily::Gmt0010 } else { OidFamily::Pkcs7 };
        let mut signer = CmsSigner::new(k, c.clone());
        if !attrs {
            signer = signer.without_signed_attributes();
        }
        let b = SignedDataBuilder::new(family).signer(signer);
        let b = if detached && attrs {
            b.detached(ContentDigest::of(&content))
        } else {
            b.attached(content.clone())
        };
        let der = b.build().unwrap();
        let report = verify_signed_data(&der, Content::Bytes(&content), &VerifyOptions::default()).unwrap();
        prop_assert!(report.integrity_ok());
        // Any other content fails.
        let mut other = content.clone();
        other.push(0);
        if detached && attrs {
            let report = verify_signed_data(&der, Content::Bytes(&other), &VerifyOptions::default()).unwrap();
            prop_assert_eq!(report.verdict(), Verdict::Tampered);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = verify_signed_data(&data, Content::Attached, &VerifyOptions::lenient());
        let _ = verify_timestamp_token(&data, TimestampedData::Bytes(b"x"), &VerifyOptions::default());
        let _ = TimeStampResp::from_der(&data);
        let _ = TimeStampReq::from_der(&data);
    }

    #[test]
    fn mutated_messages_never_panic(pos in any::<prop::sample::Index>(), byte in any::<u8>(),
                                    cut in any::<prop::sample::Index>()) {
        let der = sample();
        let mut m = der.clone();
        let i = pos.index(m.len());
        m[i] = byte;
        m.truncate(cut.index(m.len() + 1).max(i + 1));
        if let Ok(report) = verify_signed_data(&m, Content::Attached, &VerifyOptions::lenient()) {
            // A changed byte that still parses is either harmless re-encoding or detected.
            let _ = report.verdict();
        }
    }
}

#[test]
fn corpus_ofd_signature_values_are_not_cms() {
    let dir = gmseal_testkit::corpus("ofd");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("ofd") {
            continue;
        }
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            if !f.name().ends_with("SignedValue.dat") {
                continue;
            }
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            let err = verify_signed_data(&bytes, Content::Attached, &VerifyOptions::lenient())
                .expect_err("no CMS in the corpus OFD files");
            assert!(
                matches!(err, Error::Malformed { .. } | Error::NotSignedData(_)),
                "{}: {err}",
                path.display()
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 7, "SignedValue.dat files in shared/corpus/ofd");
}
