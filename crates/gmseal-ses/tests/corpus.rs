//! Every seal (`*.esl`) and seal signature (`SignedValue.dat`) of the shared OFD corpus
//! (`../shared/corpus/ofd/`, see its SOURCES.md), read from the zip files in place: each
//! decodes, re-encodes to the same bytes, and verifies, or fails for the documented reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::Read;

use der::Encode;
use gmseal_ses::verify::{
    Finding, NotPerformed, Outcome, SignedContent, Step, Verdict, VerifyOptions, verify,
    verify_seal,
};
use gmseal_ses::{
    CertRole, Deviation, Error, Seal, SealSignature, SealStructure, SesVersion, SignatureStructure,
    Strictness,
};

/// All files of an OFD (zip) package.
fn unzip(name: &str) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(gmseal_testkit::corpus(&format!("ofd/{name}"))).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        out.insert(f.name().to_owned(), v);
    }
    out
}

/// What the corpus's SOURCES.md documents for each seal signature.
enum Expect {
    /// Every step passes; the chain steps are not performed (no anchors): indeterminate.
    Valid,
    /// `SESV4SignDoc.ofd`: signed in 2026 with a seal valid 2020–2022 and a signer certificate
    /// that expired in 2022.
    ExpiredAtSigning,
    /// `n.ofd` (v1): the document was changed after signing (signer signature and dataHash
    /// fail); the maker signature verifies; the dms360 certificates are CA certificates
    /// without digitalSignature; the certList holds an IA5String "1", not a certificate.
    V1Tampered,
    /// `DigitalSign.ofd` is Type="Sign": its SignedValue.dat is a bare SM2 signature, not a
    /// seal signature.
    NotASealSignature,
}

fn expectation(ofd: &str) -> Expect {
    match ofd {
        "seal-v4-continue-SESV4SignDoc.ofd" => Expect::ExpiredAtSigning,
        "seal-v1-tampered-n.ofd" => Expect::V1Tampered,
        "sign-sm2-raw-DigitalSign.ofd" => Expect::NotASealSignature,
        _ => Expect::Valid,
    }
}

#[test]
fn every_corpus_seal_and_signature() {
    let (mut seals, mut signatures) = (0, 0);
    let mut dir: Vec<_> = std::fs::read_dir(gmseal_testkit::corpus("ofd"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("ofd"))
        .collect();
    dir.sort();
    for path in dir {
        let ofd = path.file_name().unwrap().to_str().unwrap().to_owned();
        let files = unzip(&ofd);
        for (name, bytes) in &files {
            if name.ends_with(".esl") {
                seals += 1;
                check_seal(&ofd, name, bytes, &files);
            } else if name.ends_with("SignedValue.dat") {
                signatures += 1;
                let dir = name.rsplit_once('/').unwrap().0;
                let xml = &files[&format!("{dir}/Signature.xml")];
                check_signature(&ofd, name, bytes, xml);
            }
        }
    }
    // 6 .esl files (1 v1, 5 v4) and 7 SignedValue.dat files (1 v1, 5 v4, 1 bare SM2)
    assert_eq!((seals, signatures), (6, 7));
}

fn check_seal(ofd: &str, name: &str, bytes: &[u8], files: &BTreeMap<String, Vec<u8>>) {
    let lenient = Seal::from_der_with(bytes, Strictness::Lenient).unwrap();
    let reencoded = match lenient.structure() {
        SealStructure::V1(s) => s.to_der().unwrap(),
        SealStructure::V4(s) => s.to_der().unwrap(),
    };
    assert_eq!(reencoded, bytes, "{ofd} {name}: re-encoding differs");
    let report = verify_seal(&lenient, None, &VerifyOptions::lenient());
    assert_eq!(
        report.outcome(Step::MakerSignature),
        Some(&Outcome::Passed),
        "{ofd} {name}: {report}"
    );
    // The seal file is byte-identical to the seal inside the signature of the same directory.
    let dir = name.rsplit_once('/').unwrap().0;
    if let Some(sv) = files.get(&format!("{dir}/SignedValue.dat")) {
        let sig = SealSignature::from_der_with(sv, Strictness::Lenient).unwrap();
        assert_eq!(sig.seal().as_der(), bytes, "{ofd} {name}");
    }
    match lenient.version() {
        SesVersion::V1 => {
            // strict mode refuses the IA5String certList entry
            match Seal::from_der(bytes) {
                Err(Error::Deviation(Deviation::CertListEntry { index: 0, .. })) => {}
                other => panic!("{ofd} {name}: {other:?}"),
            }
            assert_eq!(lenient.picture().declared_type, "PNG");
            assert!(lenient.picture().type_matches());
        }
        SesVersion::V4 => {
            assert_eq!(Seal::from_der(bytes).unwrap(), lenient);
            let p = lenient.picture();
            assert_eq!((p.width_mm, p.height_mm), (40, 40));
            assert!(p.type_matches());
        }
        SesVersion::V5 => panic!("no v5 seal in the corpus"),
    }
}

fn check_signature(ofd: &str, name: &str, bytes: &[u8], signature_xml: &[u8]) {
    let expect = expectation(ofd);
    if let Expect::NotASealSignature = expect {
        assert!(bytes.len() < 80);
        let err = SealSignature::from_der_with(bytes, Strictness::Lenient).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Asn1 {
                    structure: "TBS_Sign",
                    ..
                }
            ),
            "{err}"
        );
        return;
    }
    let sig = SealSignature::from_der_with(bytes, Strictness::Lenient).unwrap();
    let reencoded = match sig.structure() {
        SignatureStructure::V1(s) => s.to_der().unwrap(),
        SignatureStructure::V4(s) => s.to_der().unwrap(),
    };
    assert_eq!(reencoded, bytes, "{ofd} {name}: re-encoding differs");
    assert!(sig.property_info().ends_with("/Signature.xml"));
    assert!(name.starts_with(&sig.property_info()[1..sig.property_info().len() - 13]));
    let report = verify(
        &sig,
        SignedContent::Bytes(signature_xml),
        &VerifyOptions::lenient(),
    );
    let outcome = |s| report.outcome(s).unwrap().clone();
    match expect {
        Expect::Valid => {
            assert_eq!(sig.version(), SesVersion::V4);
            assert_eq!(SealSignature::from_der(bytes).unwrap(), sig);
            for c in &report.checks {
                match c.step {
                    Step::SignerChain | Step::MakerChain => assert_eq!(
                        c.outcome,
                        Outcome::NotPerformed(NotPerformed::NoTrustAnchors)
                    ),
                    Step::Timestamp | Step::SealTimestamp => {
                        assert_eq!(c.outcome, Outcome::NotApplicable)
                    }
                    _ => assert_eq!(c.outcome, Outcome::Passed, "{ofd} {name}: {report}"),
                }
            }
            assert_eq!(report.verdict, Verdict::Indeterminate);
            assert!(report.deviations.is_empty());
        }
        Expect::ExpiredAtSigning => {
            assert_eq!(outcome(Step::SignerSignature), Outcome::Passed);
            assert_eq!(outcome(Step::MakerSignature), Outcome::Passed);
            assert_eq!(outcome(Step::DataHash), Outcome::Passed);
            assert_eq!(outcome(Step::SignerBinding), Outcome::Passed);
            assert!(matches!(
                outcome(Step::SignerCertificate),
                Outcome::Failed(Finding::CertificateNotValidAt { .. })
            ));
            assert!(matches!(
                outcome(Step::SealValidity),
                Outcome::Failed(Finding::SealNotValidAt { .. })
            ));
            assert_eq!(report.verdict, Verdict::Invalid);
        }
        Expect::V1Tampered => {
            assert_eq!(sig.version(), SesVersion::V1);
            assert_eq!(
                report.signing_time.unwrap().to_string(),
                "2020-01-25T07:31:56Z"
            );
            assert_eq!(outcome(Step::MakerSignature), Outcome::Passed);
            assert_eq!(
                outcome(Step::SignerSignature),
                Outcome::Failed(Finding::SignatureInvalid)
            );
            assert!(matches!(
                outcome(Step::DataHash),
                Outcome::Failed(Finding::DataHashMismatch { .. })
            ));
            assert_eq!(
                outcome(Step::SignerCertificate),
                Outcome::Failed(Finding::KeyUsage {
                    role: CertRole::Signer
                })
            );
            assert_eq!(
                outcome(Step::MakerCertificate),
                Outcome::Failed(Finding::KeyUsage {
                    role: CertRole::Maker
                })
            );
            assert_eq!(
                outcome(Step::SignerBinding),
                Outcome::Failed(Finding::SignerNotInSeal { entries: 0 })
            );
            assert_eq!(outcome(Step::SealValidity), Outcome::Passed);
            assert_eq!(report.verdict, Verdict::Tampered);
            assert!(matches!(
                report.deviations.as_slice(),
                [Deviation::CertListEntry { index: 0, .. }]
            ));
            assert!(SealSignature::from_der(bytes).is_err());
        }
        Expect::NotASealSignature => unreachable!(),
    }
}
