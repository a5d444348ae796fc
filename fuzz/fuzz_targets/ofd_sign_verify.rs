//! Structure-aware: one or two signatures added to an OFD by gmseal-ofd, with what the fuzzer
//! chooses (a v1/v4/v5 seal, GB/T 35275 SignedData in either OID family, or a bare SM2
//! signature; fixed, riding or keyword stamps; continue or whole-protected mode; CheckMethod
//! style; Provider), then verified with the seal, SignedData and bare-SM2
//! back ends over the fixed trust store of `gmseal_fuzz`.
//!
//! Invariants: every signature gmseal-ofd adds verifies Valid with every reference matching, and
//! a package with one signature is Valid. Then one mutation of the signed package: no panic.
#![no_main]

use arbitrary::Arbitrary;
use gmseal_fuzz::{BASE_OFD, Fixture, Mutation, ofd_verifier, seal, signing_system_time};
use gmseal_ofd::digest::CheckMethodStyle;
use gmseal_ofd::signed_value::cms::SignedDataSigner;
use gmseal_ofd::signed_value::raw_sm2::RawSm2Signer;
use gmseal_ofd::signed_value::ses::SesSigner;
use gmseal_ofd::xml::signature::Provider;
use gmseal_ofd::{
    Limits, Occurrence, Rect, ReferenceOutcome, Side, SignOptions, SignedValueSigner, Signer,
    Stamp, Strictness, Verdict, Verifier,
};
use gmseal_ses::SesVersion;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Value {
    Seal {
        version: u8,
        raw: bool,
        without_seal_file: bool,
    },
    SignedData {
        gmt0010: bool,
    },
    BareSm2,
}

#[derive(Debug, Arbitrary)]
enum Look {
    At {
        page: u8,
        x: u8,
        y: u8,
        w: u8,
        h: u8,
        clip: Option<(u8, u8, u8, u8)>,
    },
    Riding {
        side: u8,
        w: u8,
        h: u8,
        offset: u8,
        first: u8,
        last: u8,
    },
    Keyword {
        keyword: String,
        occurrence: u8,
    },
}

#[derive(Debug, Arbitrary)]
struct Signature {
    value: Value,
    stamps: Vec<Look>,
    whole_protected: bool,
    check_method_name: bool,
    provider: Option<(String, String, String)>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    first: Signature,
    second: Option<Signature>,
    mutation: Mutation,
}

fn rect(x: u8, y: u8, w: u8, h: u8) -> Rect {
    Rect::new(
        f64::from(x),
        f64::from(y),
        f64::from(w) + 1.0,
        f64::from(h) + 1.0,
    )
}

fn stamp(look: &Look) -> Stamp {
    match look {
        Look::At {
            page,
            x,
            y,
            w,
            h,
            clip,
        } => {
            let s = Stamp::at(usize::from(*page % 4), rect(*x, *y, *w, *h));
            match clip {
                Some((a, b, c, d)) => s.clip(rect(*a, *b, *c, *d)),
                None => s,
            }
        }
        Look::Riding {
            side,
            w,
            h,
            offset,
            first,
            last,
        } => Stamp::riding(
            [Side::Right, Side::Left, Side::Top, Side::Bottom][usize::from(*side % 4)],
            f64::from(*w) + 1.0,
            f64::from(*h) + 1.0,
            f64::from(*offset),
        )
        .pages(usize::from(*first % 4), usize::from(*last % 4)),
        Look::Keyword {
            keyword,
            occurrence,
        } => Stamp::keyword(keyword, 40.0, 40.0).occurrence(match occurrence % 4 {
            0 => Occurrence::First,
            1 => Occurrence::Last,
            2 => Occurrence::All,
            n => Occurrence::Nth(usize::from(n)),
        }),
    }
}

fn sign(package: &[u8], s: &Signature) -> Option<Vec<u8>> {
    let f = Fixture::get();
    let mut options = SignOptions::default().time(signing_system_time());
    for look in s.stamps.iter().take(3) {
        options = options.stamp(stamp(look));
    }
    if s.whole_protected {
        options = options.whole_protected();
    }
    if s.check_method_name {
        options = options.check_method(CheckMethodStyle::Name);
    }
    if let Some((name, version, company)) = &s.provider {
        options = options.provider(Provider::new(name, version, company));
    }
    let (ses, cms, raw);
    let value: &dyn SignedValueSigner = match &s.value {
        Value::Seal {
            version,
            raw: r,
            without_seal_file,
        } => {
            let v = [SesVersion::V1, SesVersion::V4, SesVersion::V5][usize::from(*version % 3)];
            let mut signer = SesSigner::new(seal(v), f.signer.der(), &f.signer.key);
            if *r {
                signer = signer.signature_format(gmseal_sm2::SignatureFormat::Raw);
            }
            if *without_seal_file {
                signer = signer.without_seal_file();
            }
            ses = signer;
            &ses
        }
        Value::SignedData { gmt0010 } => {
            let mut signer = SignedDataSigner::new(&f.signer.key, f.signer.certificate());
            if !*gmt0010 {
                signer = signer.family(gmseal_cms::OidFamily::Pkcs7);
            }
            cms = signer;
            &cms
        }
        Value::BareSm2 => {
            raw = RawSm2Signer::new(&f.signer.key);
            &raw
        }
    };
    Signer::new(value)
        .sign(package, &options)
        .ok()
        .map(|s| s.package)
}

thread_local! {
    static VERIFIERS: [Verifier; 2] = [
        ofd_verifier(Limits::default(), Strictness::Strict),
        ofd_verifier(Limits::default(), Strictness::Lenient),
    ];
}

fuzz_target!(|input: Input| {
    let Some(mut package) = sign(BASE_OFD, &input.first) else {
        return;
    };
    let mut ours = 1;
    if let Some(second) = &input.second {
        if let Some(again) = sign(&package, second) {
            package = again;
            ours = 2;
        }
    }
    VERIFIERS.with(|verifiers| {
        let strict = &verifiers[0];
        let report = strict
            .verify_bytes(package.clone())
            .expect("our own OFD reads");
        let seal_raw = |s: &Signature| matches!(s.value, Value::Seal { raw: true, .. });
        let any_raw =
            seal_raw(&input.first) || (ours == 2 && input.second.as_ref().is_some_and(seal_raw));
        assert_eq!(report.signatures().count(), ours, "{report}");
        for s in report.signatures() {
            assert!(
                s.references
                    .iter()
                    .all(|r| r.outcome == ReferenceOutcome::Match),
                "{report}"
            );
            if !any_raw {
                assert_eq!(s.verdict, Verdict::Valid, "{report}");
            }
        }
        if ours == 1 && !any_raw {
            assert_eq!(report.verdict, Verdict::Valid, "{report}");
        }
        let lenient = verifiers[1]
            .verify_bytes(package.clone())
            .expect("our own OFD reads");
        for s in lenient.signatures() {
            assert_eq!(s.verdict, Verdict::Valid, "{lenient}");
        }

        input.mutation.apply(&mut package);
        for v in verifiers {
            if let Ok(r) = v.verify_bytes(package.clone()) {
                let _ = r.to_string();
            }
        }
    });
});
