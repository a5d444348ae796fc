//! Seals (`SESeal`, v1/v4/v5, strict and lenient), their verification with the fixed trust
//! store of `gmseal_fuzz` (maker signature, certificates, the maker's chain and CRLs) and picture
//! sniffing: no panic; a strict decode re-encodes to the input bytes.
#![no_main]

use gmseal_fuzz::{ses_options, validation_time};
use gmseal_ses::der::Encode;
use gmseal_ses::verify::verify_seal;
use gmseal_ses::{Seal, SealStructure, Strictness};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(seal) = Seal::from_der_with(data, Strictness::Strict) {
        let again = match seal.structure() {
            SealStructure::V1(s) => s.to_der(),
            SealStructure::V4(s) => s.to_der(),
        };
        assert_eq!(
            again.ok().as_deref(),
            Some(data),
            "strict decode is not canonical"
        );
        let _ = verify_seal(
            &seal,
            Some(validation_time()),
            &ses_options(Strictness::Strict),
        )
        .to_string();
    }
    if let Ok(seal) = Seal::from_der_with(data, Strictness::Lenient) {
        let _ = verify_seal(&seal, None, &ses_options(Strictness::Lenient)).to_string();
        let _ = seal.picture();
    }
    let _ = gmseal_ses::time::parse_time_info(data);
    let _ = gmseal_ses::picture::PictureFormat::sniff(data);
});
