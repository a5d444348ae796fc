//! Everything gmseal-skf decodes from a vendor library: name lists (and each name in both
//! encodings), DEVINFO in each layout, FILEATTRIBUTE, ECC public key and signature blobs, and the
//! certificate a container returns (its key is compared with the container's). None may panic or
//! read out of bounds (run it with `FUZZ_SANITIZER=address` too). Blobs that decode re-encode to
//! the input bytes (the decoders refuse everything non-canonical: padding, bit length, values
//! out of range).
#![no_main]

use gmseal_skf::decode::{
    DevInfo, FileInfo, ecc_public_key, ecc_public_key_blob, ecc_public_key_blob_bytes,
    ecc_signature, ecc_signature_blob, ecc_signature_blob_bytes, name_list,
};
use gmseal_skf::{DevInfoLayout, Name, NameEncoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(names) = name_list(data, 1024) {
        for n in names {
            for encoding in [NameEncoding::Utf8, NameEncoding::Gbk] {
                let name = Name::decode(n, encoding);
                assert_eq!(name.raw(), n);
                let _ = name.to_string();
            }
        }
    }
    for layout in [
        DevInfoLayout::Packed,
        DevInfoLayout::Natural,
        DevInfoLayout::WithoutBufferSizes,
    ] {
        for encoding in [NameEncoding::Utf8, NameEncoding::Gbk] {
            if let Ok(info) = DevInfo::parse(data, layout, encoding) {
                let _ = (
                    info.supports_sm2(),
                    info.supports_sm4(),
                    format!("{info:?}"),
                );
            }
        }
    }
    let _ = FileInfo::parse(data, NameEncoding::Gbk);
    if let Ok(key) = ecc_public_key(data) {
        assert_eq!(
            &ecc_public_key_blob_bytes(&ecc_public_key_blob(&key))[..],
            data
        );
    }
    if let Ok(sig) = ecc_signature(data) {
        assert_eq!(
            &ecc_signature_blob_bytes(&ecc_signature_blob(&sig))[..],
            data
        );
    }
    let _ = gmseal_sm2::key::public_key_from_certificate_der(data);
});
