//! Verifying our own signatures: every corpus file, several seals, tampering.

use gmseal_pdf::{
    ChangeKind, CheckKind, ModificationLevel, Outcome, Placement, SealImage, SignOptions, Verdict,
    VerifyOptions, sign, verify_bytes,
};

use crate::support::*;

fn opts(password: Option<&str>) -> SignOptions {
    let o = SignOptions::new().seal(
        SealImage::from_bytes(&seal_png(), 30.0, 30.0).unwrap(),
        Placement::new(1, 20.0, 20.0),
    );
    match password {
        Some(p) => o.password(p),
        None => o,
    }
}

#[test]
fn every_corpus_file_verifies_after_signing() {
    let key = key();
    let verifier = RawSm2Verifier::new(&key);
    for (name, password) in corpus_inputs() {
        let signed = sign(corpus_pdf(name), &RawSm2::new(&key), &opts(password)).unwrap();
        let mut vo = VerifyOptions::new().verifier(&verifier);
        if let Some(p) = password {
            vo = vo.password(p);
        }
        let report = verify_bytes(&signed, &vo).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.signatures.len(), 1, "{name}:\n{report}");
        let s = &report.signatures[0];
        assert_eq!(s.verdict, Verdict::Valid, "{name}:\n{report}");
        assert!(s.covers_whole_file, "{name}");
        assert_eq!(report.verdict(), Some(Verdict::Valid), "{name}:\n{report}");
        assert!(report.findings.is_empty(), "{name}:\n{report}");
    }
}

#[test]
fn three_seals_each_a_revision_all_valid() {
    let key = key();
    let verifier = RawSm2Verifier::new(&key);
    let mut doc = corpus_pdf("qpdf-11-pages.pdf");
    for i in 1..=3u32 {
        let o = SignOptions::new().seal(
            SealImage::from_bytes(&seal_png(), 40.0, 40.0).unwrap(),
            Placement::new(i, 100.0, 100.0),
        );
        doc = sign(doc, &RawSm2::new(&key), &o).unwrap();
    }
    let report = verify_bytes(&doc, &VerifyOptions::new().verifier(&verifier)).unwrap();
    assert_eq!(report.signatures.len(), 3, "{report}");
    let names: Vec<&str> = report
        .signatures
        .iter()
        .map(|s| s.field_name.as_str())
        .collect();
    assert_eq!(names, ["Seal1", "Seal2", "Seal3"]);
    for (i, s) in report.signatures.iter().enumerate() {
        assert_eq!(s.verdict, Verdict::Valid, "{report}");
        assert_eq!(s.covers_whole_file, i == 2);
        let expect = if i == 2 {
            ModificationLevel::None
        } else {
            ModificationLevel::FormFilling
        };
        assert_eq!(s.modification, expect, "{s}");
    }
    assert_eq!(report.revisions.len(), 4);
}

#[test]
fn a_flipped_byte_is_tampering() {
    let key = key();
    let verifier = RawSm2Verifier::new(&key);
    let signed = sign(
        corpus_pdf("pdf20-simple.pdf"),
        &RawSm2::new(&key),
        &opts(None),
    )
    .unwrap();
    // A byte of the page content, inside the first range.
    let pos = signed
        .windows(5)
        .position(|w| w == b"BT\r\n/")
        .or_else(|| signed.windows(2).position(|w| w == b"BT"))
        .unwrap();
    let mut bad = signed.clone();
    bad[pos + 1] = b'X';
    let report = verify_bytes(&bad, &VerifyOptions::new().verifier(&verifier)).unwrap();
    let s = &report.signatures[0];
    assert_eq!(s.verdict, Verdict::Tampered, "{report}");
    assert_eq!(
        s.check(CheckKind::Signature).unwrap().outcome,
        Outcome::Fail
    );
}

#[test]
fn without_verifier_the_signature_is_indeterminate() {
    let key = key();
    let signed = sign(
        corpus_pdf("pdf20-simple.pdf"),
        &RawSm2::new(&key),
        &opts(None),
    )
    .unwrap();
    let report = verify_bytes(&signed, &VerifyOptions::new()).unwrap();
    assert_eq!(
        report.signatures[0].verdict,
        Verdict::Indeterminate,
        "{report}"
    );
    assert!(report.signatures[0].digest.is_some());
}

#[test]
fn encrypted_needs_the_password() {
    let key = key();
    let name = "pyhanko-minimal-with-field-aes256.pdf";
    let err = sign(corpus_pdf(name), &RawSm2::new(&key), &opts(None)).unwrap_err();
    assert!(matches!(err, gmseal_pdf::Error::PasswordRequired), "{err}");
    let err = sign(corpus_pdf(name), &RawSm2::new(&key), &opts(Some("wrong"))).unwrap_err();
    assert!(matches!(err, gmseal_pdf::Error::WrongPassword), "{err}");
    let signed = sign(
        corpus_pdf(name),
        &RawSm2::new(&key),
        &opts(Some("usersecret")),
    )
    .unwrap();
    let err = verify_bytes(&signed, &VerifyOptions::new()).unwrap_err();
    assert!(matches!(err, gmseal_pdf::Error::PasswordRequired), "{err}");
    let err = verify_bytes(&signed, &VerifyOptions::new().password("nope")).unwrap_err();
    assert!(matches!(err, gmseal_pdf::Error::WrongPassword), "{err}");
    let _ = ChangeKind::AddedSignature;
}

mod robustness {
    use gmseal_pdf::{VerifyOptions, verify_bytes};
    use proptest::prelude::*;

    fn signed() -> Vec<u8> {
        std::fs::read(crate::support::vectors_dir().join("attacks/valid.pdf")).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Flipped bytes and truncations of a signed file: an error or a report, never a panic,
        /// and never a valid signature without a verifier.
        #[test]
        fn mutated_files_never_panic(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8), cut in any::<usize>()) {
            let mut f = signed();
            for (pos, b) in flips {
                let n = f.len();
                f[pos % n] = b;
            }
            let keep = f.len() - cut % (f.len() / 2);
            f.truncate(keep);
            if let Ok(r) = verify_bytes(&f, &VerifyOptions::new()) {
                prop_assert!(r.signatures.iter().all(|s| s.verdict != gmseal_pdf::Verdict::Valid));
            }
        }
    }
}

/// Inputs found by fuzzing (test-vectors/pdf/fuzz/, see SOURCES.md): each must finish with a
/// report or an error. The first one looped for ever in `find_endstream`.
#[test]
fn fuzz_regressions_terminate() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/pdf/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // Either outcome is fine; returning (within a generous bound) is the test.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = verify_bytes(&bytes, &Default::default());
            let _ = tx.send(());
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_secs(60)).is_ok(),
            "{} did not finish",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 1);
}
