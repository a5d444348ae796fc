//! Structure-aware: SignedData built by gmseal-cms from values the fuzzer chooses (OID family,
//! attached or detached content, one or two signers, signer identifier, signature OID and
//! parameters, signed and unsigned attributes, signing time, DER or raw signature, timestamp,
//! certificates), then verified against the fixed trust store of `gmseal_fuzz`.
//!
//! Invariants: what the builder makes verifies — Valid in strict mode when every signer is the
//! fixture's signer with a DER signature and a certificate the message carries, Valid in
//! lenient mode when the only deviation is a raw `r‖s` signature, never Valid when a signer's
//! certificate is revoked. Then one mutation of the DER: no panic.
#![no_main]

use arbitrary::Arbitrary;
use gmseal_cms::der::Any;
use gmseal_cms::der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use gmseal_cms::x509_cert::attr::Attribute;
use gmseal_cms::{
    AlgorithmParams, CmsSigner, Content, ContentDigest, LocalTsa, OidFamily, SignedDataBuilder,
    SignerIdKind, Sm2SignatureOid, Verdict, verify_signed_data,
};
use gmseal_fuzz::{Fixture, Mutation, cms_options, signing_system_time, tsa};
use gmseal_sm2::{SignatureFormat, Strictness};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

#[derive(Debug, Arbitrary)]
enum Who {
    Signer,
    Revoked,
}

#[derive(Debug, Arbitrary)]
enum SigningTime {
    Absent,
    Fixed,
    /// Seconds after 2020-01-01.
    Other(u32),
}

#[derive(Debug, Arbitrary)]
struct SignerSpec {
    who: Who,
    ski: bool,
    oid: u8,
    null_params: bool,
    signed_attributes: bool,
    signing_time: SigningTime,
    /// Extra signed attributes: private OIDs `1.3.6.1.4.1.61112.<n>` with OCTET STRING values.
    extra_signed: Vec<(u8, Vec<u8>)>,
    unsigned: Vec<(u8, Vec<u8>)>,
    raw_signature: bool,
    timestamp: bool,
    include_certificate: bool,
}

#[derive(Debug, Arbitrary)]
struct Input {
    gmt0010: bool,
    detached: bool,
    content: Vec<u8>,
    first: SignerSpec,
    second: Option<SignerSpec>,
    /// Also put the sub CA and this signer's certificate in `certificates`.
    extra_certificates: bool,
    mutation: Mutation,
}

fn attributes(list: &[(u8, Vec<u8>)]) -> Vec<Attribute> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (n, value) in list.iter().take(4) {
        if seen.contains(n) {
            continue;
        }
        seen.push(*n);
        let oid = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.61112").push_arc(u32::from(*n));
        let (Ok(oid), Ok(value)) = (oid, OctetString::new(value.clone())) else {
            continue;
        };
        let Ok(any) = Any::encode_from(&value) else {
            continue;
        };
        let Ok(values) = SetOfVec::try_from(vec![any]) else {
            continue;
        };
        out.push(Attribute { oid, values });
    }
    out
}

fn signer<'a>(spec: &SignerSpec, tsa: &'a LocalTsa<'a>) -> CmsSigner<'a> {
    let f = Fixture::get();
    let kc = match spec.who {
        Who::Signer => &f.signer,
        Who::Revoked => &f.revoked,
    };
    let oid = match spec.oid % 3 {
        0 => Sm2SignatureOid::Sm2WithSm3,
        1 => Sm2SignatureOid::Sm2Sign,
        _ => Sm2SignatureOid::Sm2Curve,
    };
    let params = if spec.null_params {
        AlgorithmParams::Null
    } else {
        AlgorithmParams::Absent
    };
    let mut s = CmsSigner::new(&kc.key, kc.certificate())
        .signer_id(if spec.ski {
            SignerIdKind::SubjectKeyIdentifier
        } else {
            SignerIdKind::IssuerAndSerialNumber
        })
        .signature_algorithm(oid, params)
        .signing_time(match spec.signing_time {
            SigningTime::Absent => None,
            SigningTime::Fixed => Some(signing_system_time()),
            SigningTime::Other(s) => Some(
                gmseal_fuzz::date(2020, 1, 1).to_system_time() + Duration::from_secs(u64::from(s)),
            ),
        })
        .signature_format(if spec.raw_signature {
            SignatureFormat::Raw
        } else {
            SignatureFormat::Der
        })
        .include_certificate(spec.include_certificate);
    if !spec.signed_attributes {
        s = s.without_signed_attributes();
    }
    for a in attributes(&spec.extra_signed) {
        s = s.signed_attribute(a);
    }
    for a in attributes(&spec.unsigned) {
        s = s.unsigned_attribute(a);
    }
    if spec.timestamp {
        s = s.timestamper(tsa);
    }
    s
}

thread_local! {
    static TSA: LocalTsa<'static> = tsa();
}

fuzz_target!(|input: Input| {
    TSA.with(|tsa| run(&input, tsa));
});

fn run(input: &Input, tsa: &LocalTsa<'_>) {
    let f = Fixture::get();
    let family = if input.gmt0010 {
        OidFamily::Gmt0010
    } else {
        OidFamily::Pkcs7
    };
    let digest = ContentDigest::of(&input.content);
    let mut builder = SignedDataBuilder::new(family);
    builder = if input.detached {
        builder.detached(digest)
    } else {
        builder.attached(input.content.clone())
    };
    let specs: Vec<&SignerSpec> = std::iter::once(&input.first)
        .chain(input.second.as_ref())
        .collect();
    for spec in &specs {
        builder = builder.signer(signer(spec, tsa));
    }
    if input.extra_certificates {
        builder = builder
            .certificate(f.pki.sub.certificate())
            .certificate(f.signer.certificate());
    }
    let Ok(der) = builder.build() else {
        return;
    };
    let content = if input.detached {
        Content::Digest(digest)
    } else {
        Content::Attached
    };

    let strict = verify_signed_data(&der, content, &cms_options(Strictness::Strict))
        .expect("our own SignedData parses");
    let lenient = verify_signed_data(&der, content, &cms_options(Strictness::Lenient))
        .expect("our own SignedData parses in lenient mode");
    let certified = |s: &SignerSpec| s.include_certificate || input.extra_certificates;
    let plain_time = |s: &SignerSpec| !matches!(s.signing_time, SigningTime::Other(_));
    let all_good = specs
        .iter()
        .all(|s| matches!(s.who, Who::Signer) && certified(s) && plain_time(s));
    if all_good && specs.iter().all(|s| !s.raw_signature) {
        assert_eq!(strict.verdict(), Verdict::Valid, "{strict}");
    }
    if all_good {
        assert_eq!(lenient.verdict(), Verdict::Valid, "{lenient}");
    }
    if specs.iter().any(|s| matches!(s.who, Who::Revoked)) {
        assert_ne!(strict.verdict(), Verdict::Valid, "{strict}");
        assert_ne!(lenient.verdict(), Verdict::Valid, "{lenient}");
    }
    let _ = (strict.to_string(), lenient.to_string());

    let mut mutated = der;
    input.mutation.apply(&mut mutated);
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        if let Ok(r) = verify_signed_data(&mutated, content, &cms_options(strictness)) {
            let _ = r.to_string();
        }
    }
}
