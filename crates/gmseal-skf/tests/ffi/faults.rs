//! A misbehaving library: wrong lengths, unterminated names, bad blobs, panics, missing
//! functions. Each gives a typed error (or a tolerated, correct reading), never undefined
//! behaviour; `valgrind.sh` runs these under valgrind.

use gmseal_skf::{
    Error, HashAlg, LibraryConfig, Malformed, PinType, Quirks, SarCode, Skf, SkfSigner,
};
use gmseal_skf_soft::{Faults, TestTokenSpec, TokenConfig, fixture};
use gmseal_sm2::{DistId, Sm2SignerExt};

use crate::support::*;

fn with_faults(f: impl FnOnce(&mut Faults)) -> (tempfile::TempDir, gmseal_skf_soft::TestToken) {
    let mut faults = Faults::default();
    f(&mut faults);
    token(&TestTokenSpec::default().faults(faults))
}

fn malformed(e: Error) -> (&'static str, Malformed) {
    match e {
        Error::Malformed { function, problem } => (function, problem),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn name_list_claiming_more_than_the_buffer() {
    let (_d, t) = with_faults(|f| f.name_list_overlong = true);
    let skf = open(&t, Quirks::STANDARD);
    let (function, problem) = malformed(skf.devices(true).unwrap_err());
    assert_eq!(function, "SKF_EnumDev");
    assert!(
        matches!(problem, Malformed::LengthExceedsBuffer { .. }),
        "{problem}"
    );
}

#[test]
fn name_list_without_any_nul() {
    let (_d, t) = with_faults(|f| f.name_list_unterminated = true);
    t.admin().unwrap().add_device("SoftKey1", "l", "s").unwrap();
    let skf = open(&t, Quirks::STANDARD);
    // read tolerantly: the whole answer is one name
    let names = skf.devices(true).unwrap();
    assert_eq!(names, vec!["SoftKey0SoftKey1"]);
    assert!(skf.connect(&names[0]).is_err());
}

#[test]
fn absurd_length_query() {
    let (_d, t) = with_faults(|f| f.name_list_huge = true);
    let skf = open(&t, Quirks::STANDARD);
    let (_, problem) = malformed(skf.devices(true).unwrap_err());
    assert!(
        matches!(
            problem,
            Malformed::TooLarge {
                len: 0xFFFF_FFF0,
                ..
            }
        ),
        "{problem}"
    );
}

#[test]
fn devinfo_strings_without_nul_and_not_text() {
    let (_d, t) = with_faults(|f| f.devinfo_unterminated = true);
    let skf = open(&t, Quirks::STANDARD);
    let info = skf.connect(t.device.as_str()).unwrap().info().unwrap();
    assert_eq!(info.manufacturer.raw().len(), 64);
    assert_eq!(info.label.raw().len(), 32);
    assert_eq!(info.serial_number.raw().len(), 32);
    assert!(!info.label.is_lossless());
    // the fields after the strings are still read from the right place
    assert_eq!(info.total_space, 1 << 20);
}

#[test]
fn bad_public_key_blobs() {
    type Set = fn(&mut Faults);
    type Check = fn(&Malformed) -> bool;
    let cases: [(Set, Check); 4] = [
        (
            |f| f.pubkey_bad_padding = true,
            |p| matches!(p, Malformed::NonZeroPadding { field: "X" }),
        ),
        (
            |f| f.pubkey_short = true,
            |p| matches!(p, Malformed::WrongLength { found: 100, .. }),
        ),
        (
            |f| f.pubkey_overlong = true,
            |p| matches!(p, Malformed::LengthExceedsBuffer { .. }),
        ),
        (
            |f| f.pubkey_off_curve = true,
            |p| matches!(p, Malformed::InvalidPoint),
        ),
    ];
    for (set, check) in cases {
        let (_d, t) = with_faults(set);
        let err = SkfSigner::open(&signer_config(&t, Quirks::STANDARD)).unwrap_err();
        let (function, problem) = malformed(err);
        assert_eq!(function, "SKF_ExportPublicKey");
        assert!(check(&problem), "{problem}");
    }
}

#[test]
fn certificate_length_beyond_the_buffer() {
    let mut faults = Faults::default();
    faults.cert_overlong = true;
    let (_d, t) = token(
        &TestTokenSpec::default()
            .faults(faults)
            .certificate(vec![0x30, 0x03, 0x02, 0x01, 0x01]),
    );
    let (function, problem) =
        malformed(SkfSigner::open(&signer_config(&t, Quirks::STANDARD)).unwrap_err());
    assert_eq!(function, "SKF_ExportCertificate");
    assert!(
        matches!(problem, Malformed::LengthExceedsBuffer { .. }),
        "{problem}"
    );
}

#[test]
fn bad_signatures() {
    let (_d, t) = with_faults(|f| f.signature_bad_padding = true);
    let err = signer(&t)
        .sign_message(&DistId::default(), b"m")
        .unwrap_err();
    // the device's problem is in the error chain: sm2 Error -> signature::Error -> skf Error
    let mut chain = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        chain.push_str(&format!(" / {s}"));
        source = s.source();
    }
    assert!(
        chain.contains("SKF_ECCSignData") && chain.contains("leading bytes"),
        "{chain}"
    );

    let (_d, t) = with_faults(|f| f.signature_zero = true);
    let s = signer(&t);
    let (_, problem) = malformed(s.sign_e(&[3; 32]).unwrap_err());
    assert_eq!(problem, Malformed::InvalidSignatureValue);

    // a well-formed signature that does not verify: caught by the signer's own check
    let (_d, t) = with_faults(|f| f.signature_wrong = true);
    let mut s = signer(&t);
    let err = s.sign_e(&[3; 32]).unwrap_err();
    assert!(matches!(err, Error::SignatureDoesNotVerify), "{err}");
    // with the check off, gmseal-sm2's checked signing still catches it
    s.set_verify_signatures(false);
    s.sign_e(&[3; 32]).unwrap();
    let err = s
        .sign_message_checked(&DistId::default(), b"m")
        .unwrap_err();
    assert!(matches!(err, gmseal_sm2::Error::SignerMisbehaved), "{err}");
}

#[test]
fn digest_length_beyond_the_buffer() {
    let (_d, t) = with_faults(|f| f.digest_overlong = true);
    let skf = open(&t, Quirks::STANDARD);
    let dev = skf.connect(t.device.as_str()).unwrap();
    let err = dev
        .sm2_prehash(&t.public_key, &DistId::default(), b"x")
        .unwrap_err();
    let (function, problem) = malformed(err);
    assert_eq!(function, "SKF_DigestFinal");
    assert!(
        matches!(
            problem,
            Malformed::LengthExceedsBuffer {
                claimed: 100,
                capacity: 64
            }
        ),
        "{problem}"
    );
}

#[test]
fn pin_info_with_more_tries_left_than_allowed() {
    let (_d, t) = with_faults(|f| f.pin_info_garbage = true);
    let skf = open(&t, Quirks::STANDARD);
    let (_, problem) = malformed(app(&t, &skf).pin_info(PinType::User).unwrap_err());
    assert!(
        matches!(
            problem,
            Malformed::UnexpectedValue {
                value: u32::MAX,
                ..
            }
        ),
        "{problem}"
    );
}

#[test]
fn null_handle_with_success() {
    let (_d, t) = with_faults(|f| f.null_handle = true);
    let skf = open(&t, Quirks::STANDARD);
    let (function, problem) = malformed(skf.connect(t.device.as_str()).unwrap_err());
    assert_eq!(
        (function, problem),
        ("SKF_ConnectDev", Malformed::NullHandle)
    );
}

#[test]
fn event_name_longer_than_the_buffer() {
    let (_d, t) = with_faults(|f| f.event_name_overlong = true);
    let skf = open(&t, Quirks::STANDARD);
    skf.devices(true).unwrap(); // the token takes its first look at the store
    t.admin().unwrap().add_device("SoftKey9", "l", "s").unwrap();
    let (function, problem) = malformed(skf.wait_for_event().unwrap_err());
    assert_eq!(function, "SKF_WaitForDevEvent");
    assert!(
        matches!(problem, Malformed::LengthExceedsBuffer { .. }),
        "{problem}"
    );
}

#[test]
fn panic_inside_the_library_is_an_error_code() {
    let (_d, t) = with_faults(|f| f.panic_in = vec!["SKF_GenRandom".into()]);
    let skf = open(&t, Quirks::STANDARD);
    let dev = skf.connect(t.device.as_str()).unwrap();
    for _ in 0..2 {
        let err = dev.random(16).unwrap_err();
        assert_eq!(err.sar_code(), Some(SarCode::Fail), "{err}");
    }
    // the library is still usable
    assert!(dev.info().is_ok());
    let s = signer(&t);
    s.sign_e(&[5; 32]).unwrap();
}

#[test]
fn library_lacking_optional_functions() {
    let (dir, t) = default_token();
    let config = TokenConfig::read(&gmseal_skf_soft::sidecar_path(&t.library)).unwrap();
    let hidden = [
        "SKF_DigestInit",
        "SKF_Digest",
        "SKF_SetSymmKey",
        "SKF_WaitForDevEvent",
    ];
    let lib = fixture::install_without(dir.path(), &config, &hidden).unwrap();
    let skf = Skf::open(&lib, LibraryConfig::default()).unwrap();
    let mut missing = skf.missing_functions();
    missing.sort_unstable();
    let mut expected = hidden.to_vec();
    expected.sort_unstable();
    assert_eq!(missing, expected);
    assert!(!skf.has_function("SKF_DigestInit"));
    assert!(skf.has_function("SKF_DigestUpdate"));
    // signing does not need them
    let mut cfg = signer_config(&t, Quirks::STANDARD);
    cfg.library = lib.clone();
    let s = SkfSigner::open(&cfg).unwrap();
    s.sign_message(&DistId::default(), b"m").unwrap();
    // what needs them says which one is missing
    let dev = skf.connect(t.device.as_str()).unwrap();
    let err = dev.digest(HashAlg::Sm3, None).unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingFunction {
                function: "SKF_DigestInit"
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("SKF_DigestInit"));
    assert!(matches!(
        skf.wait_for_event(),
        Err(Error::MissingFunction { .. })
    ));
}

#[test]
fn not_an_skf_library_and_no_library() {
    let (dir, t) = default_token();
    let config = TokenConfig::read(&gmseal_skf_soft::sidecar_path(&t.library)).unwrap();
    let lib =
        fixture::install_without(dir.path(), &config, gmseal_skf::sys::FUNCTION_NAMES).unwrap();
    let err = Skf::open(&lib, LibraryConfig::default()).unwrap_err();
    assert!(matches!(err, Error::NotAnSkfLibrary { .. }), "{err}");
    let err = Skf::open(dir.path().join("nonexistent.so"), LibraryConfig::default()).unwrap_err();
    assert!(matches!(err, Error::Load { .. }), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn unplugged_device() {
    let (_d, t) = default_token();
    let s = signer(&t);
    s.sign_e(&[1; 32]).unwrap();
    t.admin().unwrap().set_present(&t.device, false).unwrap();
    let err = s.sign_e(&[1; 32]).unwrap_err();
    assert_eq!(err.sar_code(), Some(SarCode::DeviceRemoved), "{err}");
    let skf = open(&t, Quirks::STANDARD);
    assert!(skf.devices(true).unwrap().is_empty());
    assert_eq!(skf.devices(false).unwrap().len(), 1);
    assert_eq!(
        skf.device_state(t.device.as_str()).unwrap(),
        gmseal_skf::DeviceState::Absent
    );
    t.admin().unwrap().set_present(&t.device, true).unwrap();
    assert_eq!(
        skf.device_state(t.device.as_str()).unwrap(),
        gmseal_skf::DeviceState::Present
    );
    s.sign_e(&[1; 32]).unwrap();
}

#[test]
fn library_refusing_the_length_query() {
    let mut faults = Faults::default();
    faults.no_length_query = true;
    let cert = gmseal_sm2::key::pem_blocks(&gmseal_testkit::corpus_bytes(
        "certs/tongsuo/dual_client_sign.crt",
    ))
    .unwrap()
    .remove(0)
    .1;
    let key = gmseal_sm2::key::load_private_key(
        &gmseal_testkit::corpus_bytes("certs/tongsuo/keys/dual_client_sign.key"),
        None,
    )
    .unwrap();
    let (_d, t) = token(
        &TestTokenSpec::default()
            .faults(faults)
            .secret(key.secret)
            .certificate(cert.clone()),
    );
    let skf = open(&t, Quirks::STANDARD);
    assert_eq!(skf.devices(true).unwrap(), vec![t.device.as_str()]);
    let s = signer(&t);
    assert_eq!(s.certificate(), Some(&cert[..]));
    assert_eq!(
        s.application().containers().unwrap(),
        vec![t.container.as_str()]
    );
}
