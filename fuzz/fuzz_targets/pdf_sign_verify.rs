//! Structure-aware: one or two seals signed into a small PDF by gmseal-pdf, with what the fuzzer
//! chooses (format A — SM2 CMS — or format B — a v1/v4/v5 seal signature —, filter names,
//! invisible, placed or riding appearance, field name, reason, location, contact, name,
//! timestamps), then verified with the CMS and seal verifiers over the fixed trust store of
//! `gmseal_fuzz`.
//!
//! Invariants: every signature gmseal-pdf makes verifies Valid (the later one covering the whole
//! file, the earlier one followed by an allowed change only). Then one mutation of the signed
//! file: no panic.
#![no_main]

use arbitrary::Arbitrary;
use gmseal_cms::LocalTsa;
use gmseal_fuzz::{Fixture, Mutation, base_pdf, cms_options, picture_png, seal, ses_options};
use gmseal_pdf::cms::{CmsContents, CmsVerifier};
use gmseal_pdf::seal::{SealContents, SealVerifier};
use gmseal_pdf::{
    ContentsSigner, Edge, Placement, RidingSeal, SealImage, SigFilter, SignOptions, Verdict,
    VerifyOptions, verify_bytes,
};
use gmseal_ses::{SesVersion, TsaTimestamper};
use gmseal_sm2::Strictness;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Format {
    Cms { gmt0010: bool, cades: bool },
    Seal { version: u8, filter: u8 },
}

#[derive(Debug, Arbitrary)]
enum Look {
    Invisible,
    Placed { x: u8, y: u8, w: u8, h: u8 },
    Riding { y: u8, left: bool },
}

#[derive(Debug, Arbitrary)]
struct Signature {
    format: Format,
    look: Look,
    field_name: Option<String>,
    reason: Option<String>,
    location: Option<String>,
    contact: Option<String>,
    name: Option<String>,
    timestamp: bool,
}

#[derive(Debug, Arbitrary)]
struct Input {
    first: Signature,
    second: Option<Signature>,
    mutation: Mutation,
}

thread_local! {
    static TSA: LocalTsa<'static> = gmseal_fuzz::tsa();
}

fn sign(pdf: Vec<u8>, s: &Signature, tsa: &LocalTsa<'_>) -> Option<Vec<u8>> {
    let f = Fixture::get();
    let mut options = SignOptions::new().signing_time(gmseal_fuzz::signing_system_time());
    let mm = |v: u8| f64::from(v) + 1.0;
    options = match s.look {
        Look::Invisible => options.invisible_on_page(1),
        Look::Placed { x, y, w, h } => options.seal(
            SealImage::from_bytes(picture_png(), mm(w), mm(h)).ok()?,
            Placement::new(1, f64::from(x), f64::from(y)),
        ),
        Look::Riding { y, left } => options.riding_seal(
            SealImage::from_bytes(picture_png(), 40.0, 40.0).ok()?,
            RidingSeal::new(f64::from(y)).edge(if left { Edge::Left } else { Edge::Right }),
        ),
    };
    if let Some(n) = &s.field_name {
        options = options.field_name(n.as_str());
    }
    if let Some(v) = &s.reason {
        options = options.reason(v.as_str());
    }
    if let Some(v) = &s.location {
        options = options.location(v.as_str());
    }
    if let Some(v) = &s.contact {
        options = options.contact_info(v.as_str());
    }
    if let Some(v) = &s.name {
        options = options.signer_name(v.as_str());
    }
    let ts = TsaTimestamper::new(tsa);
    let (cms, sealed);
    let signer: &dyn ContentsSigner = match &s.format {
        Format::Cms { gmt0010, cades } => {
            let mut c = CmsContents::new(&f.signer.key, f.signer.certificate());
            if *gmt0010 {
                c = c.oid_family(gmseal_cms::OidFamily::Gmt0010);
            }
            if *cades {
                c = c.sig_filter(SigFilter::etsi_cades_detached());
            }
            if s.timestamp {
                c = c.timestamper(tsa);
            }
            cms = c;
            &cms
        }
        Format::Seal { version, filter } => {
            let v = [SesVersion::V1, SesVersion::V4, SesVersion::V5][usize::from(*version) % 3];
            let mut c = SealContents::new(seal(v), &f.signer.key, f.signer.der()).sig_filter(
                [
                    SigFilter::gm_sm2seal(),
                    SigFilter::gomain_sm2seal(),
                    SigFilter::foxit_sm(),
                    SigFilter::gm_sm2(),
                ][usize::from(*filter) % 4]
                    .clone(),
            );
            if s.timestamp {
                c = c.timestamper(&ts);
            }
            sealed = c;
            &sealed
        }
    };
    gmseal_pdf::sign(pdf, signer, &options).ok()
}

fuzz_target!(|input: Input| {
    TSA.with(|tsa| run(&input, tsa));
});

fn run(input: &Input, tsa: &LocalTsa<'_>) {
    let Some(mut pdf) = sign(base_pdf().to_vec(), &input.first, tsa) else {
        return;
    };
    let mut ours = 1;
    if let Some(second) = &input.second {
        if let Some(again) = sign(pdf.clone(), second, tsa) {
            pdf = again;
            ours = 2;
        }
    }
    let cms = CmsVerifier::new(cms_options(Strictness::Strict));
    let seal = SealVerifier::new(ses_options(Strictness::Strict));
    let options = VerifyOptions::new().verifier(&cms).verifier(&seal);
    let report = verify_bytes(&pdf, &options).expect("our own signed PDF reads");
    assert_eq!(report.signatures.len(), ours, "{report}");
    for s in &report.signatures {
        assert_eq!(s.verdict, Verdict::Valid, "{report}");
    }
    assert!(
        report
            .signatures
            .last()
            .is_some_and(|s| s.covers_whole_file),
        "{report}"
    );

    input.mutation.apply(&mut pdf);
    if let Ok(r) = verify_bytes(&pdf, &options) {
        let _ = r.to_string();
    }
}
