//! Seal-making data (appendix 2): a valid record, every rule broken one at a time, the picture
//! profile, the seal-number generator.

use gmseal_register::seal_data::picture::{ConformOptions, check_picture, conform_picture};
use gmseal_register::seal_data::*;
use gmseal_sm2::SoftwareSigner;
use proptest::prelude::*;

const OWNER: &str = "91110000600037341L";

/// An RGBA PNG of a red ring, `px` square at 300 dpi (not conforming).
fn rgba_ring(px: u32) -> Vec<u8> {
    let mut data = Vec::new();
    let c = px as f64 / 2.0;
    for y in 0..px {
        for x in 0..px {
            let d = ((x as f64 - c).powi(2) + (y as f64 - c).powi(2)).sqrt();
            let p = if (c * 0.8..c * 0.95).contains(&d) || (x as f64 - c).abs() < 3.0 && d < c * 0.8
            {
                [220, 20, 30, 255]
            } else {
                [255, 255, 255, 0]
            };
            data.extend_from_slice(&p);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, px, px);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&data).unwrap();
    w.finish().unwrap();
    out
}

pub(crate) fn conforming_picture_40mm() -> Vec<u8> {
    conform_picture(
        &rgba_ring(500),
        &ConformOptions {
            size_mm: Some((40.0, 40.0)),
            ..ConformOptions::default()
        },
    )
    .unwrap()
}

fn owner_cert(personal: bool) -> Vec<u8> {
    let key = SoftwareSigner::generate();
    let subject = if personal {
        "CN=张三,2.5.4.42=张三,2.5.4.12=11010519491231002X,2.5.4.1=11010519491231002X,C=CN"
            .to_string()
    } else {
        format!("CN=某某有限公司,2.5.4.42=某某有限公司,2.5.4.12={OWNER},2.5.4.1={OWNER},C=CN")
    };
    gmseal_register::testing::TestCa::new()
        .unwrap()
        .system_certificate(&key, &subject)
        .unwrap()
}

pub(crate) fn valid_record() -> SealRecord {
    SealRecord {
        seal_name: "某某有限公司合同专用章".into(),
        seal_num: SealNumber::generate("XXCA", "430111", &SealNumberRules::default()).unwrap(),
        category: SealCategory::Contract,
        height: Millimetres::parse("sealHeight", "40").unwrap(),
        width: Millimetres::parse("sealWidth", "40").unwrap(),
        picture: conforming_picture_40mm(),
        valid_start: gmseal_register::time::LocalDateTime::parse("t", "2026-01-01 00:00:00")
            .unwrap(),
        valid_end: gmseal_register::time::LocalDateTime::parse("t", "2028-12-31 23:59:59").unwrap(),
        sign_cert: owner_cert(false),
        filing: FilingType::New,
        carrier: Carrier::UKey,
        local: LocalOr::Filing,
        org_code: crate::support::SUB_ORG.into(),
    }
}

#[test]
fn valid_record_round_trips_through_json() {
    let rec = valid_record();
    let data = rec.to_data();
    let json = serde_json::to_string(&data).unwrap();
    let back: SealMakingData = serde_json::from_str(&json).unwrap();
    assert_eq!(back, data);
    let profile = SealDataProfile {
        expected_org_code: Some(crate::support::SUB_ORG.into()),
        ..SealDataProfile::new()
    };
    let report = back.validate(&profile);
    assert!(report.is_valid(), "{report}");
    assert!(report.notes.is_empty(), "{report}");
    assert_eq!(back.to_record(&profile).unwrap(), rec);
    // every member present, as strings
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 14);
    assert!(v.as_object().unwrap().values().all(|x| x.is_string()));
}

#[test]
fn each_broken_rule_is_reported_for_its_field() {
    let good = valid_record().to_data();
    let profile = SealDataProfile {
        expected_org_code: Some(crate::support::SUB_ORG.into()),
        ..SealDataProfile::new()
    };
    type Mutation = (&'static str, fn(&mut SealMakingData));
    let cases: Vec<Mutation> = vec![
        ("sealName", |d| d.seal_name = Some(" ".into())),
        ("sealNum", |d| d.seal_num = Some("XXCA4301111234567".into())),
        ("sealNum", |d| {
            d.seal_num = Some("xxca43011112345678".into())
        }),
        ("sealSpecificCategory", |d| {
            d.seal_specific_category = Some("06".into())
        }),
        ("sealHeight", |d| d.seal_height = Some("-40".into())),
        ("sealWidth", |d| d.seal_width = Some("40mm".into())),
        ("sealImg", |d| d.seal_img = Some("not base64!".into())),
        ("sealImg", |d| {
            d.seal_img = Some(gmseal_register::base64::encode(&rgba_ring(100)))
        }),
        ("sealImg", |d| {
            d.seal_img = Some(gmseal_register::base64::encode(b"GIF89a"))
        }),
        ("validStartTime", |d| {
            d.valid_start_time = Some("2026/01/01 00:00:00".into())
        }),
        ("validEndTime", |d| {
            d.valid_end_time = Some("2025-01-01 00:00:00".into())
        }),
        ("signCert", |d| d.sign_cert = Some("AAAA".into())),
        ("bakType", |d| d.bak_type = Some("3".into())),
        ("sealCarrier", |d| d.seal_carrier = Some("ukey".into())),
        ("localOr", |d| d.local_or = Some("y".into())),
        ("sealType", |d| d.seal_type = Some("JPG".into())),
        ("orgCode", |d| {
            d.org_code = Some("91110000600037341X".into())
        }),
        ("orgCode", |d| {
            d.org_code = Some("91350100M000100Y43".into())
        }),
        ("sealName", |d| d.seal_name = None),
    ];
    for (field, mutate) in cases {
        let mut d = good.clone();
        mutate(&mut d);
        let report = d.validate(&profile);
        assert!(!report.is_valid(), "{field}");
        assert!(
            report.violations.iter().all(|v| v.field == field),
            "{field}: {report}"
        );
        assert!(d.to_record(&profile).is_err());
    }
    // many rules broken at once: all listed
    let report = SealMakingData::default().validate(&profile);
    assert_eq!(report.violations.len(), 14, "{report}");
    // a personal name seal needs a personal certificate
    let mut d = good.clone();
    d.seal_specific_category = Some("05".into());
    let report = d.validate(&profile);
    assert_eq!(report.for_field("signCert").count(), 1, "{report}");
    d.sign_cert = Some(gmseal_register::base64::encode(&owner_cert(true)));
    assert!(d.validate(&profile).is_valid());
}

#[test]
fn notes_for_non_reference_size_and_picture_mismatch() {
    let mut d = valid_record().to_data();
    d.seal_width = Some("50".into());
    let report = d.validate(&SealDataProfile::new());
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.notes.len(), 2, "{report}");
}

#[test]
fn picture_profile_decodes_the_png() {
    let pic = conforming_picture_40mm();
    let r = check_picture("sealImg", &pic, &PictureProfile::default()).unwrap();
    assert!(r.conforms());
    assert_eq!((r.colour_type, r.bit_depth, r.palette_entries), (3, 8, 2));
    assert!(r.bytes <= 25 * 1024);
    // lying fields do not help: a 2-entry palette PNG of 16-bit RGB is still refused
    let rgba = rgba_ring(200);
    let r = check_picture("sealImg", &rgba, &PictureProfile::default()).unwrap();
    assert!(!r.conforms());
    // an oversize picture: a noisy image cannot be compressed under 25 KB
    let mut noise = Vec::new();
    let mut x: u32 = 1;
    for _ in 0..(600 * 600) {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push(if x >> 16 & 1 == 1 { 1u8 } else { 0 });
    }
    let mut big = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut big, 600, 600);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(vec![255, 255, 255, 200, 0, 0]);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: 23622,
            yppu: 23622,
            unit: png::Unit::Meter,
        }));
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&noise).unwrap();
        w.finish().unwrap();
    }
    let r = check_picture("sealImg", &big, &PictureProfile::default()).unwrap();
    assert_eq!(
        r.violations,
        vec![PictureViolation::TooLarge {
            bytes: big.len(),
            limit: 25 * 1024
        }]
    );
    let err = conform_picture(&big, &ConformOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("sealImg"));
    // dimension limit bounds memory
    let err = check_picture(
        "sealImg",
        &big,
        &PictureProfile {
            max_dimension: 100,
            ..PictureProfile::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("over the limit"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn seal_number_generator_output_validates(initials in "[A-Z]{1,10}", prov in 0usize..34, rest in "[0-9]{4}") {
        let region = format!("{}{rest}", seal_number::PROVINCE_CODES[prov]);
        let n = SealNumber::generate(&initials, &region, &SealNumberRules::default()).unwrap();
        prop_assert_eq!(n.initials(), initials.as_str());
        prop_assert_eq!(n.region_code(), region.as_str());
        prop_assert_eq!(n.code().len(), 8);
        prop_assert!(SealNumber::parse(n.as_str(), &SealNumberRules::default()).is_ok());
    }

    #[test]
    fn seal_number_validator_accepts_exactly_the_format(s in "\\PC{0,30}") {
        let ok = SealNumber::parse(&s, &SealNumberRules::default()).is_ok();
        let initials = s.chars().take_while(|c| c.is_ascii_uppercase()).count();
        let rest: String = s.chars().skip(initials).collect();
        let expected = (1..=10).contains(&initials)
            && rest.len() == 14
            && rest.bytes().all(|b| b.is_ascii_digit())
            && seal_number::PROVINCE_CODES.contains(&&rest[..2]);
        prop_assert_eq!(ok, expected);
    }

    #[test]
    fn validation_never_panics(
        name in proptest::option::of("\\PC{0,20}"),
        num in proptest::option::of("[A-Z0-9]{0,20}"),
        img in proptest::option::of("[A-Za-z0-9+/=\\r\\n]{0,64}"),
        h in proptest::option::of("[0-9.\\-]{0,6}"),
        t in proptest::option::of("[0-9: -]{0,20}"),
    ) {
        let d = SealMakingData { seal_name: name, seal_num: num, seal_img: img, seal_height: h, valid_start_time: t, ..SealMakingData::default() };
        let _ = d.validate(&SealDataProfile::new());
    }
}

/// pngcheck (an independent PNG reader) confirms what the converter writes: 8-bit palette,
/// two entries, 600 dpi, a valid file.
#[test]
fn pngcheck_confirms_the_converted_picture() {
    let Some(_) = gmseal_testkit::oracle("pngcheck") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seal.png");
    std::fs::write(&path, conforming_picture_40mm()).unwrap();
    let out = gmseal_testkit::run(std::process::Command::new("pngcheck").arg("-v").arg(&path));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "945 x 945 image, 8-bit palette",
        "2 palette entries",
        "(600 dpi)",
        "No errors detected",
    ] {
        assert!(
            text.contains(want),
            "pngcheck output lacks {want:?}:\n{text}"
        );
    }
    std::fs::write(&path, rgba_ring(64)).unwrap();
    let out = gmseal_testkit::run(std::process::Command::new("pngcheck").arg("-v").arg(&path));
    assert!(String::from_utf8_lossy(&out.stdout).contains("RGB+alpha"));
}
