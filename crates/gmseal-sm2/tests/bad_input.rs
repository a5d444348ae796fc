//! Bad inputs give typed errors that name the problem.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_sm2::encoding::{SignatureFormat, Strictness, decode, decode_der, decode_raw};
use gmseal_sm2::key::{load_private_key, load_public_key};
use gmseal_sm2::{
    Component, DistId, KeyError, SignatureFormatError as F, Sm2SignerExt, SoftwareSigner,
};

fn good_der() -> Vec<u8> {
    let k = SoftwareSigner::from_bytes(&[7u8; 32]).unwrap();
    k.sign_message_encoded(&DistId::default(), b"m", SignatureFormat::Der)
        .unwrap()
}

#[test]
fn truncated_der_signatures() {
    let der = good_der();
    for cut in 0..der.len() {
        let err = decode_der(&der[..cut]).unwrap_err();
        let ok = matches!(
            err,
            F::Empty
                | F::Truncated
                | F::ExtraElements
                | F::NotAnInteger { .. }
                | F::EmptyInteger { .. }
        );
        assert!(ok, "cut at {cut}: {err:?}");
    }
    assert_eq!(decode_der(&[]).unwrap_err(), F::Empty);
    assert_eq!(decode_der(&der[..2]).unwrap_err(), F::Truncated);
}

#[test]
fn out_of_range_values() {
    // r = 0
    assert_eq!(
        decode_der(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01]).unwrap_err(),
        F::Zero {
            component: Component::R
        }
    );
    // s = n
    let n =
        gmseal_testkit::unhex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
    let mut der = vec![0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00];
    der.extend(&n);
    assert_eq!(
        decode_der(&der).unwrap_err(),
        F::NotBelowOrder {
            component: Component::S
        }
    );
    let mut raw = vec![0u8; 31];
    raw.push(1);
    raw.extend(&n);
    assert_eq!(
        decode_raw(&raw).unwrap_err(),
        F::NotBelowOrder {
            component: Component::S
        }
    );
}

#[test]
fn raw_lengths() {
    let der = good_der();
    let sig = decode_der(&der).unwrap();
    let raw = gmseal_sm2::encoding::encode(&sig, SignatureFormat::Raw);
    assert_eq!(
        decode_raw(&raw[..63]).unwrap_err(),
        F::WrongRawLength { len: 63 }
    );
    let mut long = vec![0u8];
    long.extend(&raw);
    assert_eq!(
        decode_raw(&long).unwrap_err(),
        F::WrongRawLength { len: 65 }
    );
    // a 65-byte value with a leading zero is tolerated (and reported) in lenient mode only
    let d = decode(&long, SignatureFormat::Raw, Strictness::Lenient).unwrap();
    assert_eq!(d.signature, sig);
    assert_eq!(
        d.deviations,
        vec![gmseal_sm2::Deviation::RawWithLeadingZero]
    );
    let mut bad = long.clone();
    bad[0] = 1;
    assert!(decode(&bad, SignatureFormat::Raw, Strictness::Lenient).is_err());
    // messages name the problem
    assert_eq!(
        F::WrongRawLength { len: 63 }.to_string(),
        "raw r||s signature has 63 bytes, expected 64"
    );
}

#[test]
fn extra_sequence_elements() {
    let mut der = good_der();
    der.extend([0x02, 0x01, 0x01]);
    der[1] += 3;
    assert_eq!(decode_der(&der).unwrap_err(), F::ExtraElements);
}

#[test]
fn garbage_pem() {
    for input in [
        &b"-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n"[..],
        b"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg\n",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ] {
        let err = load_private_key(input, None).unwrap_err();
        assert!(
            matches!(err, KeyError::Pem(_) | KeyError::Der(_)),
            "{err:?}"
        );
    }
    let err =
        load_private_key(b"-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", None).unwrap_err();
    assert_eq!(err, KeyError::UnexpectedPemLabel("FOO".into()));
    assert_eq!(
        load_private_key(b"\x01\x02\x03", None).unwrap_err(),
        KeyError::UnrecognisedInput
    );
    assert_eq!(
        load_public_key(b"\x30\x03\x02\x01\x00").unwrap_err(),
        KeyError::UnrecognisedInput
    );
    let legacy = b"-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n";
    assert!(
        matches!(load_private_key(legacy, Some(b"x")).unwrap_err(), KeyError::Pem(m) if m.contains("legacy"))
    );
}

#[test]
fn wrong_kind_and_truncated_keys() {
    let k = SoftwareSigner::generate();
    let public_pem = gmseal_sm2::key::public_key_to_pem(&k.public_key());
    assert!(matches!(
        load_private_key(public_pem.as_bytes(), None).unwrap_err(),
        KeyError::WrongKind { .. }
    ));
    assert!(matches!(
        load_public_key(k.to_pkcs8_pem().as_bytes()).unwrap_err(),
        KeyError::WrongKind { .. }
    ));
    let der = gmseal_sm2::key::private_key_to_der(k.secret_key());
    for cut in 0..der.len() {
        assert!(load_private_key(&der[..cut], None).is_err(), "cut at {cut}");
    }
    let spki = gmseal_sm2::key::public_key_to_der(&k.public_key());
    for cut in 0..spki.len() {
        assert!(load_public_key(&spki[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn invalid_points_and_scalars() {
    let k = SoftwareSigner::generate();
    let mut spki = gmseal_sm2::key::public_key_to_der(&k.public_key());
    let last = spki.len() - 1;
    spki[last] ^= 1; // point no longer on the curve
    assert_eq!(load_public_key(&spki).unwrap_err(), KeyError::InvalidPoint);
    assert_eq!(
        load_public_key(&[4u8; 65]).unwrap_err(),
        KeyError::InvalidPoint
    );
    assert!(matches!(
        SoftwareSigner::from_bytes(&[0u8; 32]).unwrap_err(),
        gmseal_sm2::Error::Key(KeyError::InvalidScalar)
    ));
    assert!(matches!(
        SoftwareSigner::from_bytes(&[0xFFu8; 32]).unwrap_err(),
        gmseal_sm2::Error::Key(KeyError::InvalidScalar)
    ));
}

#[test]
fn wrong_password_and_missing_password() {
    let k = SoftwareSigner::generate();
    let pem = gmseal_sm2::key::private_key_to_encrypted_pem(k.secret_key(), b"right").unwrap();
    assert_eq!(
        load_private_key(pem.as_bytes(), None).unwrap_err(),
        KeyError::PasswordRequired
    );
    assert_eq!(
        load_private_key(pem.as_bytes(), Some(b"wrong")).unwrap_err(),
        KeyError::DecryptionFailed
    );
    let ok = load_private_key(pem.as_bytes(), Some(b"right")).unwrap();
    assert_eq!(&ok.secret, k.secret_key());
    assert_eq!(ok.notes, vec![gmseal_sm2::key::KeyNote::Sm4Encryption]);
}

#[test]
fn dist_id_limits() {
    assert!(DistId::new(vec![0u8; 8191]).is_ok());
    assert!(matches!(
        DistId::new(vec![0u8; 8192]).unwrap_err(),
        gmseal_sm2::Error::DistIdTooLong { len: 8192 }
    ));
    // non-UTF-8 IDs work
    let id = DistId::new(vec![0xFF, 0x00, 0x80]).unwrap();
    let k = SoftwareSigner::generate();
    let sig = k.sign_message(&id, b"x").unwrap();
    gmseal_sm2::Sm2VerifyingKey::new(k.public_key(), id)
        .verify(b"x", &sig)
        .unwrap();
}

#[test]
#[allow(clippy::single_range_in_vec_init)]
fn bad_ranges() {
    use std::io::Cursor;
    let data = Cursor::new(vec![0u8; 10]);
    assert!(matches!(
        gmseal_sm2::digest::sm3_ranges(data.clone(), &[0..11]).unwrap_err(),
        gmseal_sm2::Error::BadRange { start: 0, end: 11 }
    ));
    assert!(gmseal_sm2::digest::sm3_ranges(data.clone(), &[5..8, 0..2]).is_err());
    #[allow(clippy::reversed_empty_ranges)]
    let inverted = 5..3;
    assert!(gmseal_sm2::digest::sm3_ranges(data, &[inverted]).is_err());
}
