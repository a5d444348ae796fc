//! Published SM2 vectors from `gm-vectors.json`: Z, e and signatures, positive and negative.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gmseal_sm2::distid::{CurveParams, z_for_curve, z_preimage};
use gmseal_sm2::encoding::{
    Deviation, SignatureFormat, Strictness, decode, decode_der, encode, from_components,
};
use gmseal_sm2::{
    Component, DistId, Error, PublicKey, SignatureFormatError, Sm2VerifyingKey, message_digest,
};
use gmseal_testkit::{unhex, vectors};
use serde_json::Value;

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("field {k} missing in {}", v["id"]))
}

fn arr32(b: &[u8]) -> [u8; 32] {
    b.try_into().expect("32 bytes")
}

fn id_of(v: &Value) -> Option<DistId> {
    v["id_ascii"]
        .as_str()
        .map(|id| DistId::new(id.as_bytes().to_vec()).unwrap())
}

fn public_key(v: &Value) -> PublicKey {
    PublicKey::from_sec1_bytes(&unhex(s(v, "public_key_uncompressed"))).unwrap()
}

/// Recompute r and s from the vector's fixed k with the curve arithmetic of the `sm2` crate
/// (GB/T 32918.2 §6.1 A4–A7): proves the e we compute is the e the standard signs.
fn fixed_k_signature(d: &[u8], k: &[u8], e: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    use sm2::elliptic_curve::ff::PrimeField;
    use sm2::elliptic_curve::ops::Reduce;
    use sm2::elliptic_curve::point::AffineCoordinates;
    use sm2::{FieldBytes, ProjectivePoint, Scalar};

    let fb = |b: &[u8]| FieldBytes::from(arr32(b));
    let d = Scalar::from_repr(fb(d)).unwrap();
    let k = Scalar::from_repr(fb(k)).unwrap();
    let e = <Scalar as Reduce<FieldBytes>>::reduce(&fb(e));
    let point = (ProjectivePoint::GENERATOR * k).to_affine();
    let x1 = point.x();
    let r = e + <Scalar as Reduce<FieldBytes>>::reduce(&x1);
    let s = (d + Scalar::ONE).invert().unwrap() * (k - r * d);
    (r.to_repr().to_vec(), s.to_repr().to_vec(), x1.to_vec())
}

#[test]
fn sm2_signature_vectors() {
    let all = vectors();
    let curves = &all["curves"];
    let mut on_recommended = 0;
    let mut z_checked = 0;
    let mut fixed_k = 0;
    for v in all["sm2_sign"].as_array().unwrap() {
        let name = s(v, "id");
        if v.get("curve").is_none() {
            // DER-only vector: the minimal encoding of the Annex A signature.
            let sig = decode_der(&unhex(s(v, "signature_der"))).unwrap();
            assert_eq!(
                encode(&sig, SignatureFormat::Der),
                unhex(s(v, "signature_der")),
                "{name}"
            );
            continue;
        }
        match s(v, "curve") {
            "sm2-test-fp256" => {
                // RustCrypto's `sm2` implements sm2p256v1 only: Z and e are checked, the
                // signature itself cannot be.
                let c = &curves["sm2-test-fp256"];
                let curve = CurveParams {
                    a: arr32(&unhex(s(c, "a"))),
                    b: arr32(&unhex(s(c, "b"))),
                    gx: arr32(&unhex(s(c, "Gx"))),
                    gy: arr32(&unhex(s(c, "Gy"))),
                };
                let x = arr32(&unhex(s(v, "public_key_x")));
                let y = arr32(&unhex(s(v, "public_key_y")));
                let id = id_of(v).unwrap();
                assert_eq!(
                    z_preimage(&curve, &x, &y, &id),
                    unhex(s(v, "za_preimage_hex")),
                    "{name}"
                );
                let z = z_for_curve(&curve, &x, &y, &id);
                assert_eq!(z.to_vec(), unhex(s(v, "za")), "{name}");
                let mut m = z.to_vec();
                m.extend(unhex(s(v, "msg_hex")));
                assert_eq!(
                    gmseal_sm2::digest::sm3(&m).to_vec(),
                    unhex(s(v, "e")),
                    "{name}"
                );
                z_checked += 1;
            }
            "sm2p256v1" => {
                let pk = public_key(v);
                let sig = from_components(&unhex(s(v, "r")), &unhex(s(v, "s"))).unwrap();
                assert_eq!(
                    encode(&sig, SignatureFormat::Der),
                    unhex(s(v, "signature_der")),
                    "{name}"
                );
                let e = arr32(&unhex(s(v, "e")));
                if let Some(id) = id_of(v) {
                    let msg = v["msg_hex"]
                        .as_str()
                        .map(unhex)
                        .unwrap_or_else(|| s(v, "msg_ascii").as_bytes().to_vec());
                    let vk = Sm2VerifyingKey::new(pk, id.clone());
                    if let Some(za) = v["za"].as_str() {
                        assert_eq!(vk.z().to_vec(), unhex(za), "{name}: Z");
                        z_checked += 1;
                    }
                    if let Some(pre) = v["za_preimage_hex"].as_str() {
                        let (x, y) = gmseal_sm2::distid::coordinates(&pk);
                        assert_eq!(z_preimage(&CurveParams::SM2P256V1, &x, &y, &id), unhex(pre));
                    }
                    assert_eq!(message_digest(&pk, &id, &msg), e, "{name}: e");
                    vk.verify(&msg, &sig)
                        .unwrap_or_else(|err| panic!("{name}: {err}"));
                    // the same signature under another ID must fail
                    let other = if id.is_default() {
                        DistId::EMPTY
                    } else {
                        DistId::DEFAULT
                    };
                    assert!(
                        Sm2VerifyingKey::new(pk, other).verify(&msg, &sig).is_err(),
                        "{name}"
                    );
                } else {
                    // prehash vectors: e given, ID and message unknown
                    let vk = Sm2VerifyingKey::new(pk, DistId::default());
                    vk.verify_digest(&e, &sig)
                        .unwrap_or_else(|err| panic!("{name}: {err}"));
                }
                if let (Some(d), Some(k)) = (v["private_key"].as_str(), v["k"].as_str()) {
                    let (r, s_, x1) = fixed_k_signature(&unhex(d), &unhex(k), &e);
                    assert_eq!(r, unhex(s(v, "r")), "{name}: fixed-k r");
                    assert_eq!(s_, unhex(s(v, "s")), "{name}: fixed-k s");
                    if let Some(x) = v["x1"].as_str() {
                        assert_eq!(x1, unhex(x), "{name}: x1");
                    }
                    fixed_k += 1;
                }
                on_recommended += 1;
            }
            other => panic!("unknown curve {other}"),
        }
    }
    assert_eq!(on_recommended, 5, "signature vectors on sm2p256v1");
    assert_eq!(z_checked, 4, "Z values checked");
    assert_eq!(fixed_k, 3, "fixed-k recomputations");
}

#[test]
fn default_id_example() {
    let v = &vectors()["sm2_default_id"];
    let pk = PublicKey::from_sec1_bytes(&unhex(s(v, "example_public_key"))).unwrap();
    let (x, y) = gmseal_sm2::distid::coordinates(&pk);
    assert_eq!(
        z_preimage(&CurveParams::SM2P256V1, &x, &y, &DistId::default()),
        unhex(s(v, "example_za_preimage_hex"))
    );
    assert_eq!(
        gmseal_sm2::z_value(&pk, &DistId::default()).to_vec(),
        unhex(s(v, "example_za"))
    );
    assert_eq!(DistId::default().as_bytes(), unhex(s(v, "id_hex")));
    assert_eq!(DistId::default().entl(), 0x0080);
}

/// What each negative vector must be rejected for.
enum Expect {
    /// Decodes, but the signature does not verify.
    Verify,
    /// r, s out of range when built from components.
    Range(SignatureFormatError),
    /// Strict DER decoding fails with this error; lenient decoding accepts with this deviation
    /// and the signature then verifies (it is the Annex A signature, only badly encoded).
    Der(SignatureFormatError, Option<Deviation>),
}

fn expectation(id: &str) -> Expect {
    use Component::*;
    use SignatureFormatError as F;
    match id {
        "sm2-verify-prehash-openssl-key1-3"
        | "neg-wrong-message"
        | "neg-wrong-id-empty"
        | "neg-wrong-id-alice"
        | "neg-r-s-swapped"
        | "neg-r-plus-s-equals-n" => Expect::Verify,
        "neg-r-zero" => Expect::Range(F::Zero { component: R }),
        "neg-s-zero" => Expect::Range(F::Zero { component: S }),
        "neg-r-equals-n" => Expect::Range(F::NotBelowOrder { component: R }),
        "neg-s-plus-n" => Expect::Range(F::NotBelowOrder { component: S }),
        "neg-r-plus-n" => Expect::Range(F::NotBelowOrder { component: R }),
        "neg-der-raw-rs" => Expect::Der(
            F::NotASequence { tag: 0xF5 },
            Some(Deviation::RawInsteadOfDer),
        ),
        "neg-der-trailing-byte" => Expect::Der(
            F::TrailingData { len: 1 },
            Some(Deviation::TrailingZeros(1)),
        ),
        "neg-der-r-extra-leading-zero" => Expect::Der(
            F::NonMinimalInteger { component: R },
            Some(Deviation::NonMinimalInteger(R)),
        ),
        "neg-der-r-missing-sign-byte" => Expect::Der(
            F::NegativeInteger { component: R },
            Some(Deviation::MissingSignOctet(R)),
        ),
        "neg-der-long-form-length" => {
            Expect::Der(F::NonMinimalLength, Some(Deviation::NonMinimalLength))
        }
        "neg-der-indefinite-length" => {
            Expect::Der(F::IndefiniteLength, Some(Deviation::IndefiniteLength))
        }
        other => panic!("negative vector {other} has no expectation: add one"),
    }
}

#[test]
fn sm2_negative_vectors() {
    let all = vectors();
    let list = all["sm2_sign_negative"].as_array().unwrap();
    assert_eq!(list.len(), 17);
    for v in list {
        let name = s(v, "id");
        let pk = public_key(v);
        let id = id_of(v).unwrap_or_default();
        let vk = Sm2VerifyingKey::new(pk, id);
        let msg = v["msg_ascii"].as_str().map(|m| m.as_bytes().to_vec());
        let verify = |sig: &gmseal_sm2::Signature| match (&msg, v["e"].as_str()) {
            (Some(m), _) => vk.verify(m, sig),
            (None, Some(e)) => vk.verify_digest(&arr32(&unhex(e)), sig),
            _ => panic!("{name}: neither message nor e"),
        };
        match expectation(name) {
            Expect::Verify => {
                let sig = from_components(&unhex(s(v, "r")), &unhex(s(v, "s"))).unwrap();
                assert!(
                    matches!(verify(&sig), Err(Error::VerificationFailed)),
                    "{name}"
                );
            }
            Expect::Range(want) => {
                let got = from_components(&unhex(s(v, "r")), &unhex(s(v, "s"))).unwrap_err();
                assert_eq!(got, want, "{name}");
                // also when encoded as DER: the range check holds in lenient mode too
                let der = der_of(&unhex(s(v, "r")), &unhex(s(v, "s")));
                assert_eq!(
                    decode(&der, SignatureFormat::Der, Strictness::Lenient).unwrap_err(),
                    want,
                    "{name}"
                );
            }
            Expect::Der(want, deviation) => {
                let bytes = unhex(s(v, "signature_der"));
                assert_eq!(decode_der(&bytes).unwrap_err(), want, "{name}: strict");
                let lenient = decode(&bytes, SignatureFormat::Der, Strictness::Lenient).unwrap();
                assert_eq!(
                    lenient.deviations.first().copied(),
                    deviation,
                    "{name}: lenient"
                );
                verify(&lenient.signature).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
    }
}

/// DER with minimal INTEGER encodings of arbitrary (possibly out-of-range) values.
fn der_of(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(v: &[u8]) -> Vec<u8> {
        let start = v
            .iter()
            .position(|b| *b != 0)
            .unwrap_or(v.len().saturating_sub(1));
        let mut m = v[start..].to_vec();
        if m.is_empty() {
            m.push(0);
        }
        if m[0] & 0x80 != 0 {
            m.insert(0, 0);
        }
        let mut out = vec![0x02, m.len() as u8];
        out.extend(m);
        out
    }
    let mut body = int(r);
    body.extend(int(s));
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}
