//! The byte decoders on their own: round trips and no panic on arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_skf::decode::{
    DevInfo, FileInfo, ecc_public_key, ecc_public_key_blob, ecc_public_key_blob_bytes,
    ecc_signature, ecc_signature_blob, ecc_signature_blob_bytes, name_list,
};
use gmseal_skf::{DevInfoLayout, Malformed, NameEncoding};
use gmseal_sm2::SoftwareSigner;
use gmseal_sm2::signature::hazmat::PrehashSigner;
use proptest::prelude::*;

fn list(names: &[Vec<u8>], final_nul: bool) -> Vec<u8> {
    let mut v = Vec::new();
    for n in names {
        v.extend_from_slice(n);
        v.push(0);
    }
    if final_nul {
        v.push(0);
    }
    v
}

proptest! {
    #[test]
    fn name_lists_round_trip(names in prop::collection::vec(prop::collection::vec(1u8..=255, 1..20), 0..10), final_nul: bool) {
        let bytes = list(&names, final_nul);
        let parsed = name_list(&bytes, 64).unwrap();
        prop_assert_eq!(parsed, names.iter().map(|n| &n[..]).collect::<Vec<_>>());
    }

    #[test]
    fn decoders_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = name_list(&bytes, 8);
        for layout in [DevInfoLayout::Packed, DevInfoLayout::Natural, DevInfoLayout::WithoutBufferSizes] {
            for enc in [NameEncoding::Utf8, NameEncoding::Gbk] {
                let _ = DevInfo::parse(&bytes, layout, enc);
            }
        }
        let _ = FileInfo::parse(&bytes, NameEncoding::Gbk);
        let _ = ecc_public_key(&bytes);
        let _ = ecc_signature(&bytes);
    }

    #[test]
    fn blobs_of_random_keys_and_signatures_round_trip(seed in any::<[u8; 32]>(), e in any::<[u8; 32]>()) {
        let Ok(key) = SoftwareSigner::from_bytes(&seed) else { return Ok(()) };
        let blob = ecc_public_key_blob_bytes(&ecc_public_key_blob(&key.public_key()));
        prop_assert_eq!(ecc_public_key(&blob).unwrap(), key.public_key());
        let sig = key.sign_prehash(&e).unwrap();
        let sblob = ecc_signature_blob_bytes(&ecc_signature_blob(&sig));
        prop_assert!(sblob[..32].iter().all(|b| *b == 0) && sblob[64..96].iter().all(|b| *b == 0));
        prop_assert_eq!(ecc_signature(&sblob).unwrap(), sig);
        // any change in the padding is refused
        let mut bad = sblob;
        bad[e[0] as usize % 32] = 1;
        prop_assert_eq!(ecc_signature(&bad).unwrap_err(), Malformed::NonZeroPadding { field: "r" });
    }
}

#[test]
fn name_list_edge_cases() {
    assert!(name_list(b"", 4).unwrap().is_empty());
    assert!(name_list(b"\0", 4).unwrap().is_empty());
    assert!(name_list(b"\0\0", 4).unwrap().is_empty());
    // bytes after the double NUL are not read
    assert_eq!(name_list(b"a\0\0junk", 4).unwrap(), vec![&b"a"[..]]);
    assert_eq!(name_list(b"abc", 4).unwrap(), vec![&b"abc"[..]]);
    assert_eq!(
        name_list(b"a\0b\0c\0d\0e\0\0", 4).unwrap_err(),
        Malformed::TooManyNames { limit: 4 }
    );
}

#[test]
fn devinfo_layouts_by_offset() {
    let mut buf = vec![0u8; 296];
    buf[2..8].copy_from_slice(b"Vendor");
    buf[130..135].copy_from_slice(b"Label");
    for (i, v) in (1u32..=8).enumerate() {
        buf[198 + 4 * i..202 + 4 * i].copy_from_slice(&v.to_ne_bytes());
    }
    let packed = DevInfo::parse(&buf, DevInfoLayout::Packed, NameEncoding::Utf8).unwrap();
    assert_eq!(packed.manufacturer, "Vendor");
    assert_eq!(packed.label, "Label");
    assert_eq!(
        (
            packed.alg_sym_cap,
            packed.free_space,
            packed.max_buffer_size
        ),
        (1, 6, Some(8))
    );
    let short =
        DevInfo::parse(&buf, DevInfoLayout::WithoutBufferSizes, NameEncoding::Utf8).unwrap();
    assert_eq!((short.free_space, short.max_buffer_size), (6, None));
    let natural = DevInfo::parse(&buf, DevInfoLayout::Natural, NameEncoding::Utf8).unwrap();
    assert_ne!(
        natural.alg_sym_cap, 1,
        "natural layout reads the capabilities two bytes later"
    );
    let err = DevInfo::parse(&buf[..290], DevInfoLayout::Packed, NameEncoding::Utf8).unwrap_err();
    assert!(matches!(
        err,
        Malformed::WrongLength {
            expected: 294,
            found: 290,
            ..
        }
    ));
}

#[test]
fn public_key_blob_checks() {
    let key = SoftwareSigner::generate().public_key();
    let blob = ecc_public_key_blob_bytes(&ecc_public_key_blob(&key));
    let mut b = blob;
    b[..4].copy_from_slice(&255u32.to_ne_bytes());
    assert_eq!(ecc_public_key(&b), Err(Malformed::BitLength { bits: 255 }));
    let mut b = blob;
    b[70] = 1;
    assert_eq!(
        ecc_public_key(&b),
        Err(Malformed::NonZeroPadding { field: "Y" })
    );
    let mut b = blob;
    b[131] ^= 1;
    assert_eq!(ecc_public_key(&b), Err(Malformed::InvalidPoint));
    assert!(matches!(
        ecc_public_key(&blob[..131]),
        Err(Malformed::WrongLength { found: 131, .. })
    ));
}
