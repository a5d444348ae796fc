//! Signing through the `Sm2Signer` abstraction, checked with gmseal's verifier and `openssl`.

use std::process::Command;

use gmseal_skf::{
    BlockCipherParam, ContainerType, Error, HashAlg, KeyUsage, Malformed, Padding, PinType, Quirks,
    SkfSigner, SymAlg,
};
use gmseal_skf_soft::TestTokenSpec;
use gmseal_sm2::encoding::{SignatureFormat, Strictness};
use gmseal_sm2::key::{
    load_private_key, pem_blocks, public_key_from_certificate_der, public_key_to_pem,
};
use gmseal_sm2::{DistId, Sm2Signer, Sm2SignerExt, Sm2VerifyingKey};
use gmseal_testkit::{corpus_bytes, oracle, run_any};

use crate::support::*;

fn sign_with(signer: &dyn Sm2Signer, id: &DistId, msg: &[u8]) -> Vec<u8> {
    signer
        .sign_message_encoded(id, msg, SignatureFormat::Der)
        .unwrap()
}

#[test]
fn dyn_signer_backed_by_the_token_verifies() {
    let (_dir, t) = default_token();
    let signer = signer(&t);
    assert_eq!(signer.public_key(), t.public_key);
    let id = DistId::default();
    let msg = b"seal this document";
    let der = sign_with(&signer, &id, msg);
    let vk = Sm2VerifyingKey::new(t.public_key, id.clone());
    vk.verify_encoded(msg, &der, SignatureFormat::Der, Strictness::Strict)
        .unwrap();
    // the verifier can say no: other message, other ID
    assert!(
        vk.verify_encoded(
            b"seal this documenT",
            &der,
            SignatureFormat::Der,
            Strictness::Strict
        )
        .is_err()
    );
    let other_id = Sm2VerifyingKey::new(t.public_key, DistId::new(*b"ALICE123@YAHOO.COM").unwrap());
    assert!(
        other_id
            .verify_encoded(msg, &der, SignatureFormat::Der, Strictness::Strict)
            .is_err()
    );
    // an arbitrary ID works too (Z is gmseal's, the device only sees e)
    let alice = DistId::new(*b"ALICE123@YAHOO.COM").unwrap();
    let sig = signer.sign_message(&alice, msg).unwrap();
    other_id.verify(msg, &sig).unwrap();
    // a second signature verifies too (this token's k is deterministic, RFC 6979 style;
    // hardware uses random k: no assertion either way)
    let again = sign_with(&signer, &id, msg);
    vk.verify_encoded(msg, &again, SignatureFormat::Der, Strictness::Strict)
        .unwrap();
    // a prehash of the wrong length is refused before reaching the device
    use gmseal_sm2::signature::hazmat::PrehashSigner;
    assert!(signer.sign_prehash(&[0u8; 31]).is_err());
}

#[test]
fn imported_key_and_certificate_from_the_corpus() {
    let key = load_private_key(
        &corpus_bytes("certs/tongsuo/keys/dual_client_sign.key"),
        None,
    )
    .unwrap();
    let cert = pem_blocks(&corpus_bytes("certs/tongsuo/dual_client_sign.crt"))
        .unwrap()
        .remove(0)
        .1;
    let spec = TestTokenSpec::default()
        .secret(key.secret.clone())
        .certificate(cert.clone());
    let (_dir, t) = token(&spec);
    let signer = signer(&t);
    assert_eq!(signer.certificate(), Some(&cert[..]));
    let in_cert = public_key_from_certificate_der(&cert).unwrap().key;
    assert_eq!(signer.public_key(), in_cert);
    assert_eq!(signer.public_key(), key.public_key());
    let sig = signer.sign_message(&DistId::default(), b"m").unwrap();
    Sm2VerifyingKey::new(in_cert, DistId::default())
        .verify(b"m", &sig)
        .unwrap();
}

#[test]
fn certificate_of_another_key_is_refused() {
    let cert = pem_blocks(&corpus_bytes("certs/tongsuo/dual_client_sign.crt"))
        .unwrap()
        .remove(0)
        .1;
    let spec = TestTokenSpec::default().certificate(cert);
    let (_dir, t) = token(&spec);
    let err = SkfSigner::open(&signer_config(&t, Quirks::STANDARD)).unwrap_err();
    assert!(matches!(err, Error::CertificateKeyMismatch), "{err}");
}

#[test]
fn openssl_verifies_a_device_signature() {
    if oracle("openssl").is_none() {
        return;
    }
    let (dir, t) = default_token();
    let signer = signer(&t);
    let msg: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
    let der = sign_with(&signer, &DistId::default(), &msg);
    let p = dir.path();
    std::fs::write(p.join("pub.pem"), public_key_to_pem(&t.public_key)).unwrap();
    std::fs::write(p.join("msg"), &msg).unwrap();
    std::fs::write(p.join("sig"), &der).unwrap();
    let mut bad = msg.clone();
    bad[0] ^= 1;
    std::fs::write(p.join("bad"), &bad).unwrap();
    let verify = |file: &str| {
        let out = run_any(
            Command::new("openssl")
                .current_dir(p)
                .args([
                    "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
                ])
                .args(["-digest", "sm3", "-pkeyopt", "distid:1234567812345678"])
                .args(["-in", file, "-sigfile", "sig"]),
        );
        out.status.success()
            && String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully")
    };
    assert!(verify("msg"), "openssl rejected the device signature");
    assert!(
        !verify("bad"),
        "openssl accepted a signature over other data"
    );
}

#[test]
fn device_digest_agrees_with_gmseal_z_and_e() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let dev = skf.connect(t.device.as_str()).unwrap();
    for id in [
        DistId::default(),
        DistId::EMPTY,
        DistId::new(*b"ALICE123@YAHOO.COM").unwrap(),
    ] {
        for msg in [&b""[..], b"abc", &[0x5Au8; 1000][..]] {
            let e = dev.sm2_prehash(&t.public_key, &id, msg).unwrap();
            let expected = Sm2VerifyingKey::new(t.public_key, id.clone()).digest(msg);
            if id.is_empty() {
                // ID length 0: the device hashes without Z (GM/T 0016 §7.6.34)
                assert_eq!(e, gmseal_sm2::digest::sm3(msg));
            } else {
                assert_eq!(e, expected, "e for {id}");
            }
        }
    }
    // plain SM3 of "abc" (GB/T 32905 Annex A)
    let mut h = dev.digest(HashAlg::Sm3, None).unwrap();
    h.update(b"a").unwrap();
    h.update(b"bc").unwrap();
    assert_eq!(
        hex::encode(h.finalize().unwrap()),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    let one_shot = dev
        .digest(HashAlg::Sm3, None)
        .unwrap()
        .digest(b"abc")
        .unwrap();
    assert_eq!(
        hex::encode(one_shot),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    // SHA-256 is not offered by this token
    assert!(dev.digest(HashAlg::Sha256, None).is_err());
}

#[test]
fn device_verifies_and_rejects() {
    let (_dir, t) = default_token();
    let signer = signer(&t);
    let dev = signer.container().device();
    let e = [0x42u8; 32];
    let sig = signer.sign_e(&e).unwrap();
    dev.ecc_verify(&t.public_key, &e, &sig).unwrap();
    let mut other = e;
    other[0] ^= 1;
    assert!(dev.ecc_verify(&t.public_key, &other, &sig).is_err());
}

#[test]
fn key_generated_through_the_binding() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let app = logged_in(&t, &skf);
    let c = app.create_container("GEN_CON").unwrap();
    assert_eq!(c.container_type().unwrap(), ContainerType::Empty);
    let pk = c.generate_sign_key().unwrap();
    assert_eq!(c.container_type().unwrap(), ContainerType::Ecc);
    assert_eq!(c.public_key(KeyUsage::Sign).unwrap(), pk);
    assert_eq!(c.certificate(KeyUsage::Sign).unwrap(), None);
    assert!(app.containers().unwrap().iter().any(|n| n == "GEN_CON"));
    let signer = SkfSigner::new(app.clone(), c).unwrap();
    let sig = signer.sign_message(&DistId::default(), b"x").unwrap();
    Sm2VerifyingKey::new(pk, DistId::default())
        .verify(b"x", &sig)
        .unwrap();
    drop(signer);
    app.delete_container("GEN_CON").unwrap();
    assert!(!app.containers().unwrap().iter().any(|n| n == "GEN_CON"));
    // a container without a key is not a signer
    let empty = app.create_container("EMPTY").unwrap();
    let err = SkfSigner::new(app.clone(), empty).unwrap_err();
    assert!(
        matches!(err, Error::NotAnEccContainer { container_type: 0 }),
        "{err}"
    );
}

#[test]
fn device_info_random_and_lock() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    assert!(skf.missing_functions().is_empty());
    assert_eq!(skf.devices(true).unwrap(), vec![t.device.as_str()]);
    let dev = skf.connect(t.device.as_str()).unwrap();
    let info = dev.info().unwrap();
    assert_eq!(info.label, "gmseal test key");
    assert_eq!(info.serial_number, "SN-0001");
    assert!(info.supports_sm2() && info.supports_sm4());
    assert_eq!(info.alg_asym_cap, 0x0002_0200 | 0x0002_0800);
    assert_eq!(info.max_buffer_size, Some(4096));
    let a = dev.random(64).unwrap();
    let b = dev.random(64).unwrap();
    assert_eq!(a.len(), 64);
    assert_ne!(a, b);
    dev.lock(1000).unwrap();
    let other = skf.connect(t.device.as_str()).unwrap();
    assert!(
        other.lock(0).is_err(),
        "second handle locked a locked device"
    );
    dev.unlock().unwrap();
    other.lock(0).unwrap();
    other.unlock().unwrap();
}

#[test]
fn sm4_session_keys() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let dev = skf.connect(t.device.as_str()).unwrap();
    // GB/T 32907-2016 Annex A, example 1
    let key = hex::decode("0123456789abcdeffedcba9876543210").unwrap();
    let ecb = dev.set_symmetric_key(SymAlg::Sm4Ecb, &key).unwrap();
    let ct = ecb.encrypt(&BlockCipherParam::default(), &key).unwrap();
    assert_eq!(hex::encode(&ct), "681edf34d206965e86b3e94f536e4246");
    assert_eq!(ecb.decrypt(&BlockCipherParam::default(), &ct).unwrap(), key);
    // CBC with PKCS#5, round trip and the length the padding gives
    let cbc = dev.set_symmetric_key(SymAlg::Sm4Cbc, &key).unwrap();
    let param = BlockCipherParam {
        iv: vec![7; 16],
        padding: Padding::Pkcs5,
        feed_bit_len: 0,
    };
    let msg = b"thirty-one bytes of plain text!";
    let ct = cbc.encrypt(&param, msg).unwrap();
    assert_eq!(ct.len(), 32);
    assert_eq!(cbc.decrypt(&param, &ct).unwrap(), msg);
    // first block of CBC = ECB(plain XOR IV): a cross-check between the modes
    let mut block = [0u8; 16];
    for (i, b) in block.iter_mut().enumerate() {
        *b = msg[i] ^ 7;
    }
    assert_eq!(
        &ecb.encrypt(&BlockCipherParam::default(), &block).unwrap()[..],
        &ct[..16]
    );
    // no padding with a partial block is refused
    assert!(ecb.encrypt(&BlockCipherParam::default(), b"short").is_err());
    assert!(dev.set_symmetric_key(SymAlg::Sm4Ecb, &key[..8]).is_err());
}

#[cfg(unix)]
#[test]
fn test_binary_does_not_export_skf_symbols() {
    // The token is loaded by path only: nothing in this process answers to SKF_EnumDev
    // except the copies loaded with RTLD_LOCAL.
    let this = libloading::os::unix::Library::this();
    // SAFETY: the symbol is only looked up, never called.
    let found = unsafe { this.get::<unsafe extern "C" fn()>(b"SKF_EnumDev\0") };
    assert!(found.is_err(), "the test binary exports SKF_EnumDev");
}

#[test]
fn pin_types_and_sar_names() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let app = app(&t, &skf);
    let info = app.pin_info(PinType::User).unwrap();
    assert_eq!((info.max_retries, info.remaining_retries), (6, 6));
    assert!(info.default_pin);
    let c = app.open_container(t.container.as_str()).unwrap();
    let err = c.sign_prehash(&[1; 32]).unwrap_err();
    assert_eq!(
        err.sar_code().and_then(|c| c.name()),
        Some("SAR_USER_NOT_LOGGED_IN")
    );
    assert!(err.to_string().contains("SAR_USER_NOT_LOGGED_IN"), "{err}");
    let _ = Malformed::InvalidPoint;
}

#[test]
fn the_token_under_test_is_the_one_cargo_just_built() {
    // The fixture finds the cdylib in this build's target directory (CARGO_TARGET_DIR or
    // target/), next to this test binary: not a stale copy from elsewhere.
    let lib = gmseal_skf_soft::fixture::cdylib_path().unwrap();
    let exe = std::env::current_exe().unwrap();
    assert_eq!(
        lib.parent(),
        exe.parent(),
        "{} vs {}",
        lib.display(),
        exe.display()
    );
    let skf = gmseal_skf::Skf::open_standard(&lib).unwrap();
    assert!(skf.missing_functions().is_empty());
}
