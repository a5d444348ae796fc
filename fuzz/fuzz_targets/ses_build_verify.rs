//! Structure-aware: a seal (v1, v4 or v5) made by gmseal-ses's `SealBuilder` and a seal
//! signature made with it by `SignatureBuilder`, from values the fuzzer chooses (seal code, name,
//! type, vendor, validity, picture, holder binding, extensions, DER or raw signatures, signing
//! time, `propertyInfo`, timestamps), then verified against the fixed trust store and timestamp
//! verifier of `gmseal_fuzz`.
//!
//! Invariants: what the builders make decodes strictly, and verifies — Valid in lenient mode when
//! the seal lists the signer's certificate, the signing time lies inside the seal's validity and
//! no critical extension is unknown; Valid in strict mode too when, besides, both signatures are
//! DER and a v1 time is in UTC. Then one mutation of the signature's DER: no panic.
#![no_main]

use std::time::Duration;

use arbitrary::Arbitrary;
use gmseal_cms::LocalTsa;
use gmseal_fuzz::{Fixture, Mutation, picture_png, ses_options, signing_time, tsa};
use gmseal_ses::der::DateTime;
use gmseal_ses::der::asn1::{ObjectIdentifier, OctetString};
use gmseal_ses::ext::ExtData;
use gmseal_ses::verify::{SignedContent, Verdict, verify};
use gmseal_ses::{
    SealBuilder, SealSignature, SesVersion, SignatureBuilder, Strictness, TsaTimestamper,
    V1TimeInfo,
};
use gmseal_sm2::SignatureFormat;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Picture {
    Fixture,
    Other { kind: u8, data: Vec<u8> },
}

#[derive(Debug, Arbitrary)]
enum Holder {
    Certificate,
    Sm3Digest,
    Nobody,
}

#[derive(Debug, Arbitrary)]
enum SigningTime {
    Fixed,
    /// Seconds after 2020-01-01.
    Other(u32),
}

#[derive(Debug, Arbitrary)]
struct Ext {
    n: u8,
    critical: bool,
    value: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    version: u8,
    es_id: String,
    name: String,
    vendor: String,
    seal_type: i8,
    /// validStart: days after 2020-01-01; validEnd: that many days later.
    start_days: u16,
    length_days: u16,
    picture: Picture,
    width_mm: u8,
    height_mm: u8,
    holder: Holder,
    seal_ext: Option<Ext>,
    seal_raw: bool,
    seal_timestamp: bool,
    data: Vec<u8>,
    time: SigningTime,
    property_info: Option<String>,
    signature_ext: Option<Ext>,
    signature_raw: bool,
    signature_timestamp: bool,
    v1_local_time: bool,
    mutation: Mutation,
}

fn ext(e: &Ext) -> Option<ExtData> {
    Some(ExtData {
        extn_id: ObjectIdentifier::new_unwrap("1.3.6.1.4.1.61112")
            .push_arc(u32::from(e.n))
            .ok()?,
        critical: e.critical,
        extn_value: OctetString::new(e.value.clone()).ok()?,
    })
}

fn days_after_2020(days: u64) -> Option<DateTime> {
    let base = gmseal_fuzz::date(2020, 1, 1).unix_duration();
    DateTime::from_unix_duration(base + Duration::from_secs(days * 86_400)).ok()
}

fn format(raw: bool) -> SignatureFormat {
    if raw {
        SignatureFormat::Raw
    } else {
        SignatureFormat::Der
    }
}

thread_local! {
    static TSA: LocalTsa<'static> = tsa();
}

fuzz_target!(|input: Input| {
    TSA.with(|tsa| run(&input, tsa));
});

fn run(input: &Input, tsa: &LocalTsa<'_>) {
    let f = Fixture::get();
    let version = match input.version % 3 {
        0 => SesVersion::V1,
        1 => SesVersion::V4,
        _ => SesVersion::V5,
    };
    let (Some(start), Some(end)) = (
        days_after_2020(u64::from(input.start_days)),
        days_after_2020(u64::from(input.start_days) + u64::from(input.length_days)),
    ) else {
        return;
    };
    let mut seal = SealBuilder::new(input.es_id.as_str(), input.name.as_str(), f.maker.der())
        .version(version)
        .vendor_id(input.vendor.as_str())
        .seal_type(i64::from(input.seal_type))
        .validity(start, end)
        .signature_format(format(input.seal_raw));
    seal = match &input.picture {
        Picture::Fixture => seal.picture(
            "PNG",
            picture_png().to_vec(),
            i64::from(input.width_mm),
            i64::from(input.height_mm),
        ),
        Picture::Other { kind, data } => seal.picture(
            ["PNG", "JPG", "BMP", "GIF", "SVG", "OFD", ""][usize::from(*kind) % 7],
            data.clone(),
            i64::from(input.width_mm),
            i64::from(input.height_mm),
        ),
    };
    seal = match input.holder {
        Holder::Certificate => seal.holder_certificate(f.signer.der()),
        Holder::Sm3Digest => seal.holder_certificate_sm3(&f.signer.der()),
        Holder::Nobody => seal,
    };
    if let Some(e) = input.seal_ext.as_ref().and_then(ext) {
        seal = seal.extension(e);
    }
    let timestamper = TsaTimestamper::new(tsa);
    let made = if input.seal_timestamp {
        seal.sign_with_timestamp(&f.maker.key, Some(&timestamper))
    } else {
        seal.sign(&f.maker.key)
    };
    let Ok(seal) = made else {
        return;
    };

    let time = match input.time {
        SigningTime::Fixed => signing_time(),
        SigningTime::Other(s) => match DateTime::from_unix_duration(
            gmseal_fuzz::date(2020, 1, 1).unix_duration() + Duration::from_secs(u64::from(s)),
        ) {
            Ok(t) => t,
            Err(_) => return,
        },
    };
    let mut sig = SignatureBuilder::new(&seal, f.signer.der())
        .data(&input.data)
        .time(time)
        .signature_format(format(input.signature_raw))
        .v1_time_info(if input.v1_local_time {
            V1TimeInfo::TextLocal
        } else {
            V1TimeInfo::TextUtc
        });
    if let Some(p) = &input.property_info {
        sig = sig.property_info(p.as_str());
    }
    if let Some(e) = input.signature_ext.as_ref().and_then(ext) {
        sig = sig.extension(e);
    }
    if input.signature_timestamp {
        sig = sig.timestamper(&timestamper);
    }
    let Ok(sig) = sig.sign(&f.signer.key) else {
        return;
    };
    let der = sig.as_der().to_vec();
    SealSignature::from_der_with(&der, Strictness::Strict)
        .expect("our own signature decodes strictly");

    let content = SignedContent::Bytes(&input.data);
    let strict = verify(&sig, content, &ses_options(Strictness::Strict));
    let lenient_sig = SealSignature::from_der_with(&der, Strictness::Lenient)
        .expect("our own signature decodes leniently");
    let lenient = verify(&lenient_sig, content, &ses_options(Strictness::Lenient));

    let no_critical = |e: &Option<Ext>| e.as_ref().is_none_or(|e| !e.critical);
    let expected_valid = matches!(input.holder, Holder::Certificate)
        && matches!(input.picture, Picture::Fixture)
        && matches!(input.time, SigningTime::Fixed)
        && start <= time
        && time <= end
        && no_critical(&input.seal_ext)
        && no_critical(&input.signature_ext);
    if expected_valid {
        assert_eq!(lenient.verdict, Verdict::Valid, "{lenient}");
        let utc = version != SesVersion::V1 || !input.v1_local_time;
        if !input.seal_raw && !input.signature_raw && utc {
            assert_eq!(strict.verdict, Verdict::Valid, "{strict}");
        }
    }
    let _ = (strict.to_string(), lenient.to_string());

    let mut mutated = der;
    input.mutation.apply(&mut mutated);
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        if let Ok(s) = SealSignature::from_der_with(&mutated, strictness) {
            let _ = verify(&s, content, &ses_options(strictness)).to_string();
        }
    }
}
