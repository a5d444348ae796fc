//! Property tests: round trips and no panics on arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_sm2::encoding::{SignatureFormat, Strictness, decode, encode, from_components};
use gmseal_sm2::key::{load_private_key, load_public_key, pem_blocks};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};
use proptest::prelude::*;

fn scalar() -> impl Strategy<Value = [u8; 32]> {
    // values below n (top byte < 0xFF keeps them below the order), not zero
    prop::array::uniform32(any::<u8>()).prop_map(|mut a| {
        a[0] &= 0x7F;
        a[31] |= 1;
        a
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn der_raw_round_trip(r in scalar(), s in scalar()) {
        let sig = from_components(&r, &s).unwrap();
        let der = encode(&sig, SignatureFormat::Der);
        let raw = encode(&sig, SignatureFormat::Raw);
        prop_assert_eq!(raw.len(), 64);
        prop_assert_eq!(decode(&der, SignatureFormat::Der, Strictness::Strict).unwrap().signature, sig);
        prop_assert_eq!(decode(&raw, SignatureFormat::Raw, Strictness::Strict).unwrap().signature, sig);
        // cross-format, lenient
        prop_assert_eq!(decode(&raw, SignatureFormat::Der, Strictness::Lenient).unwrap().signature, sig);
        prop_assert_eq!(decode(&der, SignatureFormat::Raw, Strictness::Lenient).unwrap().signature, sig);
        // our DER is what RustCrypto's DER encoder writes
        let theirs = sig.to_der();
        prop_assert_eq!(der.as_slice(), theirs.as_bytes());
    }

    #[test]
    fn strict_decoder_agrees_with_rustcrypto(r in scalar(), s in scalar(), pos in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let sig = from_components(&r, &s).unwrap();
        let mut der = encode(&sig, SignatureFormat::Der);
        let i = pos.index(der.len());
        der[i] = byte;
        let der = &der[..=cut.index(der.len())];
        let ours = gmseal_sm2::encoding::decode_der(der).ok();
        let theirs = sm2::dsa::Signature::from_der(der).ok();
        prop_assert_eq!(ours, theirs, "disagreement on {}", hex::encode(der));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sign_verify_round_trip(id in prop::collection::vec(any::<u8>(), 0..64), msg in prop::collection::vec(any::<u8>(), 0..512), flip in any::<prop::sample::Index>()) {
        let key = SoftwareSigner::generate();
        let id = DistId::new(id).unwrap();
        let sig = key.sign_message(&id, &msg).unwrap();
        let vk = Sm2VerifyingKey::new(key.public_key(), id.clone());
        prop_assert!(vk.verify(&msg, &sig).is_ok());
        let mut other = msg.clone();
        if other.is_empty() { other.push(1) } else { let i = flip.index(other.len()); other[i] ^= 0x01; }
        prop_assert!(vk.verify(&other, &sig).is_err());
        let mut other_id = id.as_bytes().to_vec();
        other_id.push(b'x');
        prop_assert!(Sm2VerifyingKey::new(key.public_key(), DistId::new(other_id).unwrap()).verify(&msg, &sig).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoders_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        for f in [SignatureFormat::Der, SignatureFormat::Raw] {
            for s in [Strictness::Strict, Strictness::Lenient] {
                let _ = decode(&bytes, f, s);
            }
        }
        let _ = load_private_key(&bytes, None);
        let _ = load_private_key(&bytes, Some(b"pw"));
        let _ = load_public_key(&bytes);
        let _ = pem_blocks(&bytes);
    }

    #[test]
    fn der_like_inputs_never_panic(tail in prop::collection::vec(any::<u8>(), 0..120), tag in prop::sample::select(vec![0x30u8, 0x02, 0x04, 0xA0])) {
        let mut bytes = vec![tag];
        bytes.extend(tail);
        let _ = decode(&bytes, SignatureFormat::Der, Strictness::Lenient);
        let _ = load_private_key(&bytes, Some(b"pw"));
        let _ = load_public_key(&bytes);
    }

    #[test]
    fn pem_wrapped_garbage_never_panics(body in "[A-Za-z0-9+/=\r\n ]{0,300}", label in prop::sample::select(vec!["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "SM2 PRIVATE KEY", "PUBLIC KEY", "CERTIFICATE"])) {
        let pem = format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n");
        let _ = load_private_key(pem.as_bytes(), Some(b"pw"));
        let _ = load_public_key(pem.as_bytes());
    }
}
