//! Provincial JSON services: build, sign, parse, verify; every message; tampering; the signing
//! inputs; bad input.

use gmseal_register::message::{ParseOptions, Schema, parse};
use gmseal_register::provincial::*;
use gmseal_register::seal_data::{Carrier, SealMakingData};
use gmseal_register::{Error, Outcome, Strictness};
use gmseal_sm2::SoftwareSigner;

use crate::support::*;

fn extend() -> (SoftwareSigner, ExtendData) {
    let (key, cert) = key_and_cert();
    (key, ExtendData::new(&cert, Carrier::UKey).unwrap())
}

fn sign_info_placeholder() -> Option<SignInfo> {
    None
}

/// One of each message, typed.
type Checker = Box<dyn Fn(&str) -> Result<(), Error>>;

fn all_messages() -> Vec<(&'static str, String, Checker)> {
    let (_, ext) = extend();
    let data = SealMakingData {
        seal_name: Some("某某有限公司合同专用章".into()),
        seal_num: Some("XXCA43011112345678".into()),
        seal_carrier: Some("1".into()),
        ..SealMakingData::default()
    };
    let make = SealMakingRequest::new(data, ext.clone()).unwrap();
    let make_resp = SealMakingResponse {
        task_code: "sealMaking".into(),
        version: "1.0".into(),
        result_code: "0".into(),
        result_code_msg: "印章制作成功".into(),
        task_type_code: "6".into(),
        data: Some(TaskIdData {
            task_id: "abcdefg123456".into(),
        }),
        sign_info: sign_info_placeholder(),
    };
    let dl = SealDownloadRequest::new(&["XXCA43011112345678", "XXCA43011187654321"], ext.clone())
        .unwrap();
    let dl_resp = SealDownloadResponse {
        task_code: "downloadSeal".into(),
        version: "1.0".into(),
        result_code: "0".into(),
        result_code_msg: "下载成功".into(),
        task_type_code: "12".into(),
        data: Some(OneOrMany::Many(vec![DownloadedSeal {
            error_code: "0".into(),
            error_msg: "下载成功".into(),
            yzbm: "XXCA43011112345678".into(),
            seal_data: Some("MAA=".into()),
        }])),
        sign_info: None,
    };
    let rv = RevocationRequest::new(&["XXCA43011112345678"], Some(ext)).unwrap();
    let rv_resp = RevocationResponse {
        task_code: "revocationSealInfo".into(),
        version: "1.0".into(),
        result_code: "0".into(),
        result_code_msg: "信息上传成功".into(),
        task_type_code: "2".into(),
        sign_info: None,
    };
    fn check<
        T: Schema + serde::Serialize + PartialEq + std::fmt::Debug + ProvincialMessage + 'static,
    >(
        original: T,
    ) -> (String, Checker) {
        let text = serde_json::to_string(&original).unwrap();
        let f = move |signed: &str| -> Result<(), Error> {
            let r = parse::<T>(signed, &ParseOptions::default())?;
            assert!(r.deviations.is_empty());
            assert!(r.unknown_fields.is_empty(), "{:?}", r.unknown_fields);
            let mut m = r.message;
            assert!(m.sign_info().is_some());
            // equal to the original once the signature is taken off
            let v = serde_json::to_value(&m).unwrap();
            let mut v2 = v.clone();
            v2.as_object_mut().unwrap().remove("signInfo");
            m = serde_json::from_value(v2).unwrap();
            assert_eq!(m, original);
            Ok(())
        };
        (text, Box::new(f))
    }
    let mut out = Vec::new();
    for (name, (text, f)) in [
        ("sealMaking request", check(make)),
        ("sealMaking response", check(make_resp)),
        ("downloadSeal request", check(dl)),
        ("downloadSeal response", check(dl_resp)),
        ("revocation request", check(rv)),
        ("revocation response", check(rv_resp)),
    ] {
        out.push((name, text, f));
    }
    out
}

#[test]
fn every_message_round_trips_signed() {
    let key = SoftwareSigner::generate();
    for (name, text, check) in all_messages() {
        let signed = sign_json(&text, &key, &SignOptions::default()).unwrap();
        // the caller's text is kept byte for byte
        assert!(signed.starts_with(&text[..text.len() - 1]), "{name}");
        check(&signed).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = verify_json(&signed, &key.public_key(), &VerifyOptions::default()).unwrap();
        assert!(report.is_valid(), "{name}: {report}");
        // signing again is refused
        assert!(matches!(
            sign_json(&signed, &key, &SignOptions::default()),
            Err(Error::AlreadySigned { .. })
        ));
    }
}

#[test]
fn typed_message_signs_through_to_signed_json() {
    let (key, ext) = extend();
    let req = SealDownloadRequest::new(&["XXCA43011112345678"], ext).unwrap();
    let signed = to_signed_json(&req, &key, &SignOptions::default()).unwrap();
    let report = verify_json(&signed, &key.public_key(), &VerifyOptions::default()).unwrap();
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        report.check("initiatorCert").unwrap().outcome,
        Outcome::Pass
    );
    // another key: fails, and initiatorCert carries another key
    let other = SoftwareSigner::generate();
    let report = verify_json(&signed, &other.public_key(), &VerifyOptions::default()).unwrap();
    assert!(!report.is_valid());
    assert_eq!(
        report.check("initiatorCert").unwrap().outcome,
        Outcome::Warn
    );
}

#[test]
fn every_signing_input_signs_and_verifies_and_they_differ() {
    let key = SoftwareSigner::generate();
    let (_, text, _) = all_messages().into_iter().next().unwrap();
    let inputs = vec![
        SigningInput::DataExact,
        SigningInput::DataJcs,
        SigningInput::SortedKeyValue,
        SigningInput::FieldValues {
            fields: vec![
                "taskCode".into(),
                "data.sealNum".into(),
                "extendData.transId".into(),
            ],
            separator: "|".into(),
        },
        SigningInput::TokenPrefixed(Box::new(SigningInput::SortedKeyValue)),
    ];
    let doc = gmseal_register::json::Document::parse(&text, &Default::default()).unwrap();
    let mut seen = std::collections::HashSet::new();
    for input in &inputs {
        let bytes = input.compute(&doc, &Default::default()).unwrap();
        assert!(seen.insert(bytes), "{input:?} duplicates another input");
        let opts = SignOptions {
            signing_input: input.clone(),
            ..SignOptions::default()
        };
        let signed = sign_json(&text, &key, &opts).unwrap();
        let vopts = VerifyOptions {
            signing_input: input.clone(),
            ..VerifyOptions::default()
        };
        assert!(
            verify_json(&signed, &key.public_key(), &vopts)
                .unwrap()
                .is_valid(),
            "{input:?}"
        );
        // a verifier configured for the default does not accept another input
        if *input != SigningInput::SortedKeyValue {
            assert!(
                !verify_json(&signed, &key.public_key(), &VerifyOptions::default())
                    .unwrap()
                    .is_valid()
            );
        }
    }
}

#[test]
fn sorted_key_value_is_exact() {
    let text = r#"{"version":"1.0","taskCode":"downloadSeal","empty":"","nul":null,"n":6.50,"b":true,"data":[{"yzbm":"甲","a":1}],"signInfo":{"x":1}}"#;
    let doc = gmseal_register::json::Document::parse(text, &Default::default()).unwrap();
    let s = SigningInput::SortedKeyValue
        .compute(&doc, &Default::default())
        .unwrap();
    assert_eq!(
        String::from_utf8(s).unwrap(),
        r#"b=true&data=[{"a":1,"yzbm":"甲"}]&n=6.50&taskCode=downloadSeal&version=1.0"#
    );
    let s = SigningInput::DataExact
        .compute(&doc, &Default::default())
        .unwrap();
    assert_eq!(s, r#"[{"yzbm":"甲","a":1}]"#.as_bytes());
    let s = SigningInput::DataJcs
        .compute(&doc, &Default::default())
        .unwrap();
    assert_eq!(s, r#"[{"a":1,"yzbm":"甲"}]"#.as_bytes());
    // data as a JSON string: (a) takes its contents, (b) canonicalises the JSON inside
    let text = r#"{"data":"{\"b\":2.0,\"a\":\"x\"}","tokenInfo":"1234567890123456"}"#;
    let doc = gmseal_register::json::Document::parse(text, &Default::default()).unwrap();
    assert_eq!(
        SigningInput::DataExact
            .compute(&doc, &Default::default())
            .unwrap(),
        br#"{"b":2.0,"a":"x"}"#
    );
    assert_eq!(
        SigningInput::DataJcs
            .compute(&doc, &Default::default())
            .unwrap(),
        br#"{"a":"x","b":2}"#
    );
    assert_eq!(
        SigningInput::TokenPrefixed(Box::new(SigningInput::DataExact))
            .compute(&doc, &Default::default())
            .unwrap(),
        br#"1234567890123456{"b":2.0,"a":"x"}"#
    );
    let fv = SigningInput::FieldValues {
        fields: vec!["data.a".into(), "data.b".into(), "tokenInfo".into()],
        separator: "|".into(),
    };
    assert_eq!(
        fv.compute(&doc, &Default::default()).unwrap(),
        b"x|2.0|1234567890123456"
    );
    let missing = SigningInput::FieldValues {
        fields: vec!["data.zz".into()],
        separator: "|".into(),
    };
    assert_eq!(
        missing
            .compute(&doc, &Default::default())
            .unwrap_err()
            .field(),
        Some("data.zz")
    );
}

#[test]
fn tampering_any_member_breaks_verification() {
    let key = SoftwareSigner::generate();
    for (name, text, _) in all_messages() {
        let signed = sign_json(&text, &key, &SignOptions::default()).unwrap();
        let doc = gmseal_register::json::Document::parse(&signed, &Default::default()).unwrap();
        let mut tampered = 0;
        for m in doc.members() {
            if m.key == "signInfo" {
                continue;
            }
            // change one character inside the member's value text
            let raw = &signed[m.raw.clone()];
            let pos = raw
                .char_indices()
                .find(|(_, c)| c.is_ascii_alphanumeric())
                .map(|(i, _)| i);
            let Some(pos) = pos else { continue };
            let c = raw.as_bytes()[pos];
            let new = if c == b'0' {
                '1'
            } else if c.is_ascii_digit() {
                '0'
            } else if c == b'a' {
                'b'
            } else {
                'a'
            };
            let mut t = signed.clone();
            t.replace_range(m.raw.start + pos..m.raw.start + pos + 1, &new.to_string());
            let report = verify_json(&t, &key.public_key(), &VerifyOptions::default()).unwrap();
            assert!(
                !report.is_valid(),
                "{name}: member {} tampered still verifies",
                m.key
            );
            tampered += 1;
        }
        assert!(tampered >= 4, "{name}");
        // adding a member breaks it too; reordering members does not (sorted input)
        let t = signed.replacen('{', r#"{"extra":"x","#, 1);
        assert!(
            !verify_json(&t, &key.public_key(), &VerifyOptions::default())
                .unwrap()
                .is_valid()
        );
    }
}

#[test]
fn whitespace_and_reordering_do_not_matter_under_the_sorted_input_but_do_under_exact() {
    let key = SoftwareSigner::generate();
    let text = r#"{"taskCode":"downloadSeal","version":"1.0","data":[{"yzbm":"A"}]}"#;
    let signed = sign_json(text, &key, &SignOptions::default()).unwrap();
    let reordered = signed.replace(
        r#""taskCode":"downloadSeal","version":"1.0""#,
        r#""version" : "1.0" , "taskCode":"downloadSeal""#,
    );
    assert_ne!(reordered, signed);
    assert!(
        verify_json(&reordered, &key.public_key(), &VerifyOptions::default())
            .unwrap()
            .is_valid()
    );
    let exact = SignOptions {
        signing_input: SigningInput::DataExact,
        ..SignOptions::default()
    };
    let signed = sign_json(text, &key, &exact).unwrap();
    let spaced = signed.replace(r#"[{"yzbm":"A"}]"#, r#"[ {"yzbm":"A"} ]"#);
    let vexact = VerifyOptions {
        signing_input: SigningInput::DataExact,
        ..VerifyOptions::default()
    };
    assert!(
        !verify_json(&spaced, &key.public_key(), &vexact)
            .unwrap()
            .is_valid()
    );
}

#[test]
fn sign_value_encodings() {
    let key = SoftwareSigner::generate();
    let text = r#"{"taskCode":"downloadSeal"}"#;
    let signed = sign_json(text, &key, &SignOptions::default()).unwrap();
    let doc = gmseal_register::json::Document::parse(&signed, &Default::default()).unwrap();
    let sv = doc
        .get("signInfo")
        .unwrap()
        .get("signValue")
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    let raw = gmseal_register::base64::decode_strict("x", &sv).unwrap();
    assert_eq!(raw.len(), 64, "signValue is base64 of 64 bytes");
    // MIME line breaks: strict error naming the field with the offset; lenient reports it
    let broken = format!("{}\\r\\n{}", &sv[..40], &sv[40..]);
    let t = signed.replace(&sv, &broken);
    let err = verify_json(&t, &key.public_key(), &VerifyOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("signInfo.signValue"));
    assert!(err.to_string().contains("offset 40"), "{err}");
    let lenient = VerifyOptions {
        strictness: Strictness::Lenient,
        ..VerifyOptions::default()
    };
    let r = verify_json(&t, &key.public_key(), &lenient).unwrap();
    assert!(r.is_valid(), "{r}");
    assert_eq!(r.deviations.len(), 1);
    // bad base64 character
    let t = signed.replace(&sv, &format!("{}*{}", &sv[..10], &sv[11..]));
    let err = verify_json(&t, &key.public_key(), &VerifyOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Base64 {
                problem: gmseal_register::Base64Problem::InvalidByte {
                    offset: 10,
                    byte: b'*'
                },
                ..
            }
        ),
        "{err}"
    );
    // DER instead of raw: strict fails the check, lenient accepts and reports
    let sig = gmseal_sm2::encoding::decode_raw(&raw).unwrap();
    let der = gmseal_register::base64::encode(&gmseal_sm2::encoding::encode(
        &sig,
        gmseal_sm2::SignatureFormat::Der,
    ));
    let t = signed.replace(&sv, &der);
    assert!(
        !verify_json(&t, &key.public_key(), &VerifyOptions::default())
            .unwrap()
            .is_valid()
    );
    let r = verify_json(&t, &key.public_key(), &lenient).unwrap();
    assert!(r.is_valid());
    assert_eq!(r.deviations.len(), 1);
    // wrong algorithm: failed check
    let t = signed.replace("1.2.156.10197.1.501", "1.2.156.10197.1.502");
    let r = verify_json(&t, &key.public_key(), &VerifyOptions::default()).unwrap();
    assert_eq!(r.check("signAlgorithm").unwrap().outcome, Outcome::Fail);
    assert!(!r.is_valid());
    // no signInfo
    let r = verify_json(text, &key.public_key(), &VerifyOptions::default()).unwrap();
    assert!(!r.is_valid());
}

#[test]
fn bad_input_names_the_field() {
    let opts = ParseOptions::default();
    let cases: Vec<(&str, &str)> = vec![
        (
            r#"{"taskCode":"revocationSealInfo","version":"1.0","resultCode":0,"resultCodeMsg":"x","taskTypeCode":"2","signInfo":{"signAlgorithm":"1.2.156.10197.1.501","signValue":"x"}}"#,
            "resultCode",
        ),
        (
            r#"{"taskCode":"revocationSealInfo","version":"1.0","resultCodeMsg":"x","taskTypeCode":"2","signInfo":{"signAlgorithm":"1.2.156.10197.1.501","signValue":"x"}}"#,
            "resultCode",
        ),
        (
            r#"{"taskCode":"revocationSealInfo","version":"1.0","resultCode":"0","resultCodeMsg":"x","taskTypeCode":"2","signInfo":{"signAlgorithm":"1.2.156.10197.1.501"}}"#,
            "signInfo.signValue",
        ),
        (
            r#"{"taskCode":"revocationSealInfo","version":"1.0","resultCode":"0","resultCodeMsg":"x","taskTypeCode":"3","signInfo":{"signAlgorithm":"1.2.156.10197.1.501","signValue":"x"}}"#,
            "taskTypeCode",
        ),
        (
            r#"{"taskCode":"revocationSealInfo","taskCode":"x"}"#,
            "taskCode",
        ),
    ];
    for (text, field) in cases {
        let err = parse::<RevocationResponse>(text, &opts).unwrap_err();
        assert_eq!(err.field(), Some(field), "{text}: {err}");
    }
    // nested paths
    let (_, ext) = extend();
    let mut v = serde_json::to_value(SealDownloadRequest::new(&["A"], ext).unwrap()).unwrap();
    v["data"][0]["yzbm"] = serde_json::json!(5);
    let err = parse::<SealDownloadRequest>(&v.to_string(), &opts).unwrap_err();
    assert_eq!(err.field(), Some("data[0].yzbm"), "{err}");
    // lenient mode converts the number and reports it
    let r = parse::<SealDownloadRequest>(&v.to_string(), &ParseOptions::lenient()).unwrap();
    assert_eq!(r.message.data.items()[0].yzbm, "5");
    assert_eq!(r.deviations[0].field, "data[0].yzbm");
    // syntax error with a position
    match parse::<RevocationResponse>("{\n\"a\": }", &opts).unwrap_err() {
        Error::JsonSyntax { line: 2, .. } => {}
        e => panic!("{e:?}"),
    }
    // not an object; too large; too deep
    assert!(matches!(
        parse::<RevocationResponse>("[1]", &opts),
        Err(Error::JsonField { .. })
    ));
    let big = format!("{{\"a\":\"{}\"}}", "x".repeat(17 << 20));
    assert!(matches!(
        parse::<RevocationResponse>(&big, &opts),
        Err(Error::TooLarge { .. })
    ));
    let deep = format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40));
    assert!(matches!(
        parse::<RevocationResponse>(&deep, &opts),
        Err(Error::TooDeep { .. })
    ));
    // data as a string holding JSON is accepted; bad JSON inside names data
    let (_, ext) = extend();
    let mut v = serde_json::to_value(SealDownloadRequest::new(&["A"], ext).unwrap()).unwrap();
    v["data"] = serde_json::json!("[{\"yzbm\":\"A\"}]");
    v["signInfo"] =
        serde_json::json!({"signAlgorithm": "1.2.156.10197.1.501", "signValue": "AA=="});
    let r = parse::<SealDownloadRequest>(&v.to_string(), &opts).unwrap();
    assert_eq!(r.message.data.items()[0].yzbm, "A");
    v["data"] = serde_json::json!("[{\"yzbm\":");
    assert_eq!(
        parse::<SealDownloadRequest>(&v.to_string(), &opts)
            .unwrap_err()
            .field(),
        Some("data")
    );
}

#[test]
fn over_long_fields_are_refused_naming_the_field() {
    let (_, ext) = extend();
    let mut v = serde_json::to_value(SealDownloadRequest::new(&["A"], ext).unwrap()).unwrap();
    v["signInfo"] =
        serde_json::json!({"signAlgorithm": "1.2.156.10197.1.501", "signValue": "AA=="});
    let mut t = v.clone();
    t["tokenInfo"] = serde_json::json!("9".repeat(65));
    for opts in [ParseOptions::default(), ParseOptions::lenient()] {
        match parse::<SealDownloadRequest>(&t.to_string(), &opts).unwrap_err() {
            Error::TooLarge {
                field,
                limit: 64,
                found: 65,
            } => assert_eq!(field, "tokenInfo"),
            e => panic!("{e:?}"),
        }
    }
    let mut t = v.clone();
    t["data"][0]["yzbm"] = serde_json::json!("X".repeat(100));
    assert_eq!(
        parse::<SealDownloadRequest>(&t.to_string(), &ParseOptions::default())
            .unwrap_err()
            .field(),
        Some("data[0].yzbm")
    );
    // a seal picture far over the limit is not decoded, and reported
    let d = SealMakingData {
        seal_img: Some("A".repeat(200_000)),
        ..SealMakingData::default()
    };
    let report = d.validate(&gmseal_register::seal_data::SealDataProfile::new());
    let v: Vec<_> = report.for_field("sealImg").collect();
    assert_eq!(v.len(), 1);
    assert!(v[0].detail.contains("not decoded"), "{}", v[0]);
}
