//! Key and certificate loading (PEM and DER, every form): no panic on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gmseal_sm2::key::load_private_key(data, None);
    let _ = gmseal_sm2::key::load_private_key(data, Some(b"pw"));
    let _ = gmseal_sm2::key::load_public_key(data);
    let _ = gmseal_sm2::key::pem_blocks(data);
});
