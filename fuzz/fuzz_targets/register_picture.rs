//! The seal-picture profile check and converter (PNG decoding of untrusted pictures): no panic
//! and bounded memory on any input.
#![no_main]

use gmseal_register::seal_data::picture::{
    ConformOptions, PictureProfile, check_picture, conform_picture,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let profile = PictureProfile {
        max_dimension: 1024,
        ..PictureProfile::default()
    };
    if check_picture("sealImg", data, &profile).is_ok() {
        let _ = conform_picture(
            data,
            &ConformOptions {
                size_mm: None,
                profile,
            },
        );
    }
});
