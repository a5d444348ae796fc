//! A fixed, deterministic workload for instruction counting with callgrind.
//!
//! `benches/callgrind.sh` runs it under `valgrind --tool=callgrind` and compares the instruction
//! count with the committed baseline (`benches/callgrind-baseline.txt`); CI fails on a regression
//! of more than 10 %. Instruction counts, unlike wall-clock time, repeat exactly on the noisy
//! shared machines CI runs on.
//!
//! Usage: `callgrind-workload <N>` — N rounds of: sign a message through `Sm2Signer` (DER),
//! decode it strictly, verify it with a fresh `Sm2VerifyingKey` (Z computed), and verify a raw
//! signature leniently. `N = 0` runs the setup alone so that it can be subtracted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey, SoftwareSigner};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().unwrap())
        .unwrap_or(16);
    let signer = SoftwareSigner::from_bytes(&[0x42u8; 32]).unwrap();
    let id = DistId::default();
    let mut checksum = 0u8;
    for i in 0..rounds {
        let msg = format!("gmseal callgrind workload message {i}");
        let der = signer
            .sign_message_encoded(&id, msg.as_bytes(), SignatureFormat::Der)
            .unwrap();
        let vk = Sm2VerifyingKey::new(signer.public_key(), id.clone());
        vk.verify_encoded(
            msg.as_bytes(),
            &der,
            SignatureFormat::Der,
            Strictness::Strict,
        )
        .unwrap();
        let raw = signer
            .sign_message_encoded(&id, msg.as_bytes(), SignatureFormat::Raw)
            .unwrap();
        vk.verify_encoded(
            msg.as_bytes(),
            &raw,
            SignatureFormat::Der,
            Strictness::Lenient,
        )
        .unwrap();
        checksum ^= der[der.len() - 1] ^ raw[0];
    }
    println!("{rounds} rounds, checksum {checksum:02x}");
}
