//! Every JSON sample of the specifications (test-vectors/register, see SOURCES.md).

use gmseal_register::message::{ParseOptions, Received, Schema, parse};
use gmseal_register::provincial::*;
use gmseal_register::{DeviationKind, Error};
use gmseal_testkit::test_vectors;

fn read(name: &str, ext: &str) -> String {
    std::fs::read_to_string(test_vectors(&format!("register/spec001_{name}.{ext}"))).unwrap()
}

/// The repairs of SOURCES.md, applied to the verbatim sample, give the committed .json.
fn repaired(name: &str) -> String {
    let specific: &[(&str, &str)] = match name {
        "seal_making_request" => &[("\t\t………………\n", "")],
        "seal_download_request" => &[("}, \n\t\t{ ……待下载的印章设备编码列表… \n\t\t}", "}")],
        "seal_download_response" => &[("} ,\n{ \n …..印章列表…. \n}", "}")],
        "revocation_request" => &[(
            "},\n\n\t{\n\n\n   \t\t\t\t……待撤销的印章设备编码列表… \n}",
            "}",
        )],
        _ => &[],
    };
    let mut t = read(name, "sample.txt");
    for (from, to) in specific {
        assert!(t.contains(from), "{name}: repair {from:?} does not apply");
        t = t.replace(from, to);
    }
    t.replace(['\u{201C}', '\u{201D}'], "\"")
        .replace('\u{FF0C}', ",")
}

const ALL: [&str; 6] = [
    "seal_making_request",
    "seal_making_response",
    "seal_download_request",
    "seal_download_response",
    "revocation_request",
    "revocation_response",
];

#[test]
fn repairs_are_exactly_those_documented() {
    for name in ALL {
        assert_eq!(repaired(name), read(name, "json"), "{name}");
    }
}

#[test]
fn verbatim_samples_are_refused_with_a_position() {
    for name in ALL {
        let text = read(name, "sample.txt");
        let r = parse::<RevocationResponse>(&text, &ParseOptions::lenient());
        match name {
            // these two samples are valid JSON as printed
            "seal_making_response" | "revocation_response" => {}
            _ => match r {
                Err(Error::JsonSyntax { line, column, .. }) => {
                    assert!(line > 1 && column > 0, "{name}")
                }
                other => panic!("{name}: {other:?}"),
            },
        }
    }
}

fn kinds<T>(r: &Received<T>) -> Vec<(String, String)> {
    r.deviations
        .iter()
        .map(|d| {
            (
                d.field.clone(),
                format!("{:?}", d.kind)
                    .split([' ', '{', '('])
                    .next()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

fn lenient<T: Schema>(name: &str) -> Received<T> {
    parse::<T>(&read(name, "json"), &ParseOptions::lenient())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn strict_err<T: Schema + std::fmt::Debug>(name: &str) -> Error {
    parse::<T>(&read(name, "json"), &ParseOptions::default())
        .err()
        .unwrap_or_else(|| panic!("{name}: strict parse accepted it"))
}

fn pair(f: &str, k: &str) -> (String, String) {
    (f.to_string(), k.to_string())
}

#[test]
fn seal_making_request_sample() {
    let r = lenient::<SealMakingRequest>("seal_making_request");
    assert_eq!(
        kinds(&r),
        vec![
            pair("taskCode", "UnexpectedValue"),
            pair("tokenInfo", "Format"),
            pair("extendData.initiatorCert", "Format"),
        ]
    );
    assert_eq!(r.unknown_fields, vec!["data.yzbm".to_string()]);
    assert_eq!(r.message.data.seal_carrier.as_deref(), Some("1"));
    assert_eq!(
        r.message.extend_data.trans_id.as_deref(),
        Some("4232224f26f7440bad0d13a69a204650")
    );
    // strict: the taskCode is the first thing refused, named
    assert_eq!(
        strict_err::<SealMakingRequest>("seal_making_request").field(),
        Some("taskCode")
    );
    // the data record is missing every appendix-2 member but sealCarrier: all listed
    let report = r
        .message
        .data
        .validate(&gmseal_register::seal_data::SealDataProfile::new());
    assert_eq!(report.violations.len(), 13, "{report}");
}

#[test]
fn seal_making_response_sample() {
    let r = lenient::<SealMakingResponse>("seal_making_response");
    assert_eq!(
        kinds(&r),
        vec![
            pair("data.taskId", "KeyWhitespace"),
            pair("taskTypeCode", "UnexpectedValue")
        ]
    );
    assert!(r.unknown_fields.is_empty(), "{:?}", r.unknown_fields);
    assert_eq!(r.message.data.unwrap().task_id, "abcdefg123456");
    let e = strict_err::<SealMakingResponse>("seal_making_response");
    assert_eq!(e.field(), Some("data.taskId"), "{e}");
}

#[test]
fn seal_download_request_sample() {
    let r = lenient::<SealDownloadRequest>("seal_download_request");
    assert_eq!(
        kinds(&r),
        vec![
            pair("taskTypeCode", "UnexpectedValue"),
            pair("tokenInfo", "Format"),
            pair("extendData.initiatorCert", "Format"),
        ]
    );
    assert_eq!(r.message.data.items().len(), 1);
    assert_eq!(
        strict_err::<SealDownloadRequest>("seal_download_request").field(),
        Some("taskTypeCode")
    );
}

#[test]
fn seal_download_response_sample() {
    let r = lenient::<SealDownloadResponse>("seal_download_response");
    assert_eq!(
        kinds(&r),
        vec![
            pair("data[0].sealData", "KeyAlias"),
            pair("taskCode", "UnexpectedValue"),
            pair("taskTypeCode", "UnexpectedValue"),
        ]
    );
    let data = r.message.data.unwrap();
    assert_eq!(data.items()[0].seal_data.as_deref(), Some("base64印章数据"));
    assert!(r.unknown_fields.is_empty(), "{:?}", r.unknown_fields);
    assert_eq!(
        strict_err::<SealDownloadResponse>("seal_download_response").field(),
        Some("taskCode")
    );
}

#[test]
fn revocation_request_sample() {
    let r = lenient::<RevocationRequest>("revocation_request");
    assert_eq!(
        kinds(&r),
        vec![
            pair("signInfo.signAlgorithm", "KeyWhitespace"),
            pair("signInfo.signValue", "KeyWhitespace"),
            pair("taskCode", "ValueWhitespace"),
            pair("tokenInfo", "Format"),
            pair("extendData.initiatorCert", "Format"),
        ]
    );
    let items = r.message.data.items();
    assert_eq!(items[0].device_code.as_deref(), Some("设备编码"));
    let e = strict_err::<RevocationRequest>("revocation_request");
    assert_eq!(e.field(), Some("signInfo.signAlgorithm"), "{e}");
}

#[test]
fn revocation_response_sample_is_strictly_valid() {
    let r = parse::<RevocationResponse>(
        &read("revocation_response", "json"),
        &ParseOptions::default(),
    )
    .unwrap();
    assert!(r.deviations.is_empty());
    assert_eq!(r.message.result_code_msg, "信息上传成功");
    // the placeholder signValue is refused by the verifier with an error naming it
    let key = gmseal_sm2::SoftwareSigner::generate();
    let err = verify_json(r.text(), &key.public_key(), &VerifyOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("signInfo.signValue"), "{err}");
}

#[test]
fn deviation_kinds_display() {
    let r = lenient::<SealDownloadResponse>("seal_download_response");
    for d in &r.deviations {
        let s = d.to_string();
        assert!(s.starts_with('`'), "{s}");
    }
    assert!(matches!(
        r.deviations[0].kind,
        DeviationKind::KeyAlias { .. }
    ));
}
