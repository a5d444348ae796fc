//! Everything gmseal-skf decodes from a vendor library: name lists, DEVINFO in each layout,
//! FILEATTRIBUTE, ECC public key and signature blobs. None may panic or read out of bounds.
#![no_main]

use gmseal_skf::decode::{DevInfo, FileInfo, ecc_public_key, ecc_signature, name_list};
use gmseal_skf::{DevInfoLayout, NameEncoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = name_list(data, 1024);
    for layout in [
        DevInfoLayout::Packed,
        DevInfoLayout::Natural,
        DevInfoLayout::WithoutBufferSizes,
    ] {
        for encoding in [NameEncoding::Utf8, NameEncoding::Gbk] {
            let _ = DevInfo::parse(data, layout, encoding);
        }
    }
    let _ = FileInfo::parse(data, NameEncoding::Gbk);
    let _ = ecc_public_key(data);
    let _ = ecc_signature(data);
});
