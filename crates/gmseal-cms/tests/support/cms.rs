//! Shared helpers of the integration tests: take a DER ContentInfo(SignedData) apart, change
//! it, put it back together (our output is DER, so decode/encode round-trips).
#![allow(dead_code)]

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerInfo, SignerInfos};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use gmseal_sm2::encoding::{SignatureFormat, encode};
use gmseal_sm2::signature::hazmat::PrehashSigner;
use gmseal_sm2::{DistId, Sm2SignerExt, SoftwareSigner};
use std::process::Command;

pub(crate) fn split(der: &[u8]) -> (ContentInfo, SignedData) {
    let ci = ContentInfo::from_der(der).unwrap();
    let sd: SignedData = ci.content.decode_as().unwrap();
    (ci, sd)
}

pub(crate) fn join(ci: &ContentInfo, sd: &SignedData) -> Vec<u8> {
    let ci = ContentInfo {
        content_type: ci.content_type,
        content: Any::encode_from(sd).unwrap(),
    };
    ci.to_der().unwrap()
}

/// Apply `f` to the first SignerInfo.
pub(crate) fn edit_signer(der: &[u8], f: impl FnOnce(&mut SignerInfo)) -> Vec<u8> {
    let (ci, mut sd) = split(der);
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    f(&mut infos[0]);
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).unwrap());
    join(&ci, &sd)
}

/// DER of the first signer's signed attributes as a SET (tag 0x31).
pub(crate) fn signed_attrs_der(der: &[u8]) -> Vec<u8> {
    let (_, sd) = split(der);
    sd.signer_infos.0.as_slice()[0]
        .signed_attrs
        .as_ref()
        .unwrap()
        .to_der()
        .unwrap()
}

pub(crate) fn signature_value(der: &[u8]) -> Vec<u8> {
    let (_, sd) = split(der);
    sd.signer_infos.0.as_slice()[0]
        .signature
        .as_bytes()
        .to_vec()
}

pub(crate) fn set_signature(der: &[u8], sig: Vec<u8>) -> Vec<u8> {
    edit_signer(der, |si| si.signature = OctetString::new(sig).unwrap())
}

/// Re-sign the first signer's signed attributes with e = SM3(attrs), no Z.
pub(crate) fn resign_without_z(der: &[u8], key: &SoftwareSigner) -> Vec<u8> {
    let e = gmseal_sm2::digest::sm3(&signed_attrs_der(der));
    let sig = key.sign_prehash(&e).unwrap();
    set_signature(der, encode(&sig, SignatureFormat::Der))
}

/// Re-sign the first signer's signed attributes with another ID.
pub(crate) fn resign_with_id(der: &[u8], key: &SoftwareSigner, id: &DistId) -> Vec<u8> {
    let sig = key.sign_message(id, &signed_attrs_der(der)).unwrap();
    set_signature(der, encode(&sig, SignatureFormat::Der))
}

pub(crate) fn openssl() -> Option<std::path::PathBuf> {
    gmseal_testkit::oracle("openssl")
}

pub(crate) fn run(cmd: &mut Command) -> std::process::Output {
    gmseal_testkit::run(cmd)
}

pub(crate) fn run_any(cmd: &mut Command) -> std::process::Output {
    gmseal_testkit::run_any(cmd)
}

pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    gmseal_sm2::key::pem_encode(label, der)
}
