//! Spec 002: every message round-trips and signs; RequestSigner against openssl's HMAC-SM3;
//! seal states; digest signing; the document verification report.

use std::process::Command;

use gmseal_register::interop::verification::*;
use gmseal_register::interop::*;
use gmseal_register::json::Limits;
use gmseal_register::message::{ParseOptions, Schema, parse};
use gmseal_register::{Error, Outcome};
use gmseal_testkit::{oracle, run};

const SECRET: &[u8] = b"app-secret-0123456789";

fn env() -> Envelope {
    Envelope::now("1.0", "gmseal-test-app").unwrap()
}

macro_rules! request {
    ($t:ident { $($f:ident : $v:expr),* $(,)? }) => {{
        let e = env();
        $t { version: e.version, app_id: e.app_id, time: e.time, nonce: e.nonce, $($f: $v,)* sign: None }
    }};
}

fn round_trip_request<T: Schema + SignedRequest + PartialEq + std::fmt::Debug>(m: &T) {
    let text = RequestSigner::new(RequestKey::HmacSm3 { app_secret: SECRET })
        .sign_message(m)
        .unwrap();
    let r = parse::<T>(&text, &ParseOptions::default()).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert!(r.deviations.is_empty());
    assert!(r.unknown_fields.is_empty(), "{:?}", r.unknown_fields);
    let rep = RequestVerifier::HmacSm3 { app_secret: SECRET }
        .verify_json(&text, &Limits::default())
        .unwrap();
    assert!(rep.is_valid(), "{rep}");
    let mut back = r.message.clone();
    assert!(back.sign().is_some());
    back.clear_sign();
    assert_eq!(&back, m);
}

fn round_trip_response<T: Schema + serde::Serialize + PartialEq + std::fmt::Debug>(m: &T) {
    let text = serde_json::to_string(m).unwrap();
    let r = parse::<T>(&text, &ParseOptions::default()).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert!(r.deviations.is_empty());
    assert!(r.unknown_fields.is_empty(), "{:?}", r.unknown_fields);
    assert_eq!(&r.message, m);
}

#[test]
fn every_message_round_trips() {
    round_trip_request(&request!(SealFilingRequest {
        code: Some("B-1".into()),
        seal_code: None,
        name: "合同专用章".into(),
        seal_type: Some("04".into()),
        ukey_id: Some("UK1".into()),
        cert_number: Some("0A1B".into()),
        possessor: "某某有限公司".into(),
        possessor_cert_no: "91110000600037341L".into(),
        possessor_type: 1,
        biz_type: 1,
        cert_type: 1
    }));
    round_trip_response(&SealFilingResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some("SC0001".into()),
    });
    round_trip_request(&request!(SealStateRequest {
        seal_code: "SC0001".into(),
        state: SealState::Disabled.code()
    }));
    round_trip_response(&SealStateResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some(String::new()),
    });
    round_trip_request(&request!(GetSealsRequest {
        device_id: None,
        id_card: None,
        org_code: "91110000600037341L".into(),
        seal_type: "0".into(),
        cert_type: Some(0),
        cert_number: None,
        ukey_id: None
    }));
    round_trip_response(&GetSealsResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some(vec![SealEntry {
            sign_id: Some("S1".into()),
            seal_type: Some("01".into()),
            seal_relate_type: Some("1".into()),
            seal_code: Some("SC0001".into()),
            seal_name: Some("公章".into()),
            moulage_data: Some("iVBO".into()),
            width: Some(40),
            height: Some(40),
            dpi_x: Some(945),
            dpi_y: Some(945),
            seal_data: Some("MII=".into()),
            seal_invalid_time: Some("2028-12-31 23:59:59".into()),
            cert_type: Some(1),
            dest_host: Some("https://b.example".into()),
            plat_name: Some("B".into()),
            ukey_id: Some("UK1".into()),
            algorithm: Some("2".into()),
            cert_list: Some(vec![CertEntry {
                algorithm: Some(2),
                cert_code: Some("0A".into()),
                invalid_time: Some("2028-12-31 23:59:59".into()),
                sign_public_key: Some("MII=".into()),
                subject_cn: Some("某某".into()),
            }]),
            state: Some(1),
            user_list: Some(vec![AuthorisedUser {
                user_name: Some("张三".into()),
                mobile_phone: Some("13800000000".into()),
            }]),
        }]),
    });
    round_trip_request(&request!(WillAuthRequest {
        org_code: None,
        name: Some("张三".into()),
        id_card: None,
        mobile: "13800000000".into(),
        seal_code: "SC0001".into(),
        redirect_url: None
    }));
    round_trip_response(&WillAuthResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some(WillAuthData {
            auth_url: Some("https://a".into()),
            client_type: Some("H5".into()),
            auth_id: Some("A1".into()),
        }),
    });
    round_trip_request(&request!(WillAuthResultRequest {
        auth_id: "A1".into(),
        seal_code: "SC0001".into()
    }));
    round_trip_response(&WillAuthResultResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some(WillAuthResult {
            auth_code: Some("C1".into()),
            auth_id: Some("A1".into()),
        }),
    });
    let digest = gmseal_register::base64::encode(&gmseal_sm2::digest::sm3(b"document"));
    round_trip_request(&request!(CloudSignRequest {
        seal_code: "SC0001".into(),
        auth_id: "A1".into(),
        auth_code: "C1".into(),
        r#type: "P7".into(),
        doc_hash: digest.clone(),
        credent_no: "11010519491231002X".into(),
        org_code: None,
        sign_id: "S1".into(),
        hash_type: HashType::Sm3.code()
    }));
    round_trip_response(&CloudSignResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some(SignedData {
            r#type: Some("P7".into()),
            sign_data: Some("MII=".into()),
        }),
    });
    let e = env();
    round_trip_request(&UKeySignRequest {
        version: e.version.clone(),
        app_id: e.app_id.clone(),
        sign_id: "S1".into(),
        hash_type: Some(4),
        sign_format: Some(2),
        seal_code: Some("SC0001".into()),
        doc_hash: Some(digest),
        sign: None,
    });
    round_trip_response(&UKeySignResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some(serde_json::json!("MEUCIQ==")),
    });
    round_trip_request(&UKeyInfoRequest {
        version: e.version,
        app_id: e.app_id,
        r#type: "1".into(),
        sign: None,
    });
    round_trip_response(&UKeyInfoResponse {
        code: "0".into(),
        message: "ok".into(),
        data: Some(UKeyInfo {
            ukey_id: Some("UK1".into()),
            cert_data: Some("MII=".into()),
        }),
    });
    let report = DocumentVerification::from_outcomes("a.pdf", 1234, &[]);
    round_trip_response(&DocumentVerifyResponse::ok(report));
}

#[test]
fn field_names_are_those_of_the_tables() {
    let m = request!(SealFilingRequest {
        code: None,
        seal_code: Some("SC".into()),
        name: "n".into(),
        seal_type: None,
        ukey_id: Some("U".into()),
        cert_number: None,
        possessor: "p".into(),
        possessor_cert_no: "c".into(),
        possessor_type: 2,
        biz_type: 2,
        cert_type: 2
    });
    let v = serde_json::to_value(&m).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "version",
        "appId",
        "time",
        "nonce",
        "sealCode",
        "name",
        "UKeyId",
        "possessor",
        "possessorCertNo",
        "possessorType",
        "bizType",
        "certType",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert!(v["nonce"].is_u64() && v["time"].is_string() && v["bizType"].is_i64());
    // the draft's `cert0wner` is read as certOwner
    let d: SignatureDetail = serde_json::from_value(serde_json::json!({
        "sealType":"01","signTime":"t","provider":"p","certIssuer":"i","cert0wner":"o","certSn":"1",
        "certValidStart":"a","certValidEnd":"b","sealPicBase64":"","sealCode":"c","flowVoList":[]
    }))
    .unwrap();
    assert_eq!(d.cert_owner, "o");
    assert!(
        serde_json::to_string(&d)
            .unwrap()
            .contains("\"certOwner\":\"o\"")
    );
}

#[test]
fn request_signer_bindings() {
    let m = request!(SealStateRequest {
        seal_code: "SC0001".into(),
        state: 4
    });
    let key = gmseal_sm2::SoftwareSigner::generate();
    let pk = key.public_key();
    for (signer, verifier) in [
        (
            RequestKey::HmacSm3 { app_secret: SECRET },
            RequestVerifier::HmacSm3 { app_secret: SECRET },
        ),
        (
            RequestKey::Sm3WithKey { app_secret: SECRET },
            RequestVerifier::Sm3WithKey { app_secret: SECRET },
        ),
        (
            RequestKey::Sm2 { signer: &key },
            RequestVerifier::Sm2 { public_key: &pk },
        ),
    ] {
        let text = RequestSigner::new(signer).sign_message(&m).unwrap();
        assert!(
            verifier
                .verify_json(&text, &Limits::default())
                .unwrap()
                .is_valid(),
            "{signer:?}"
        );
        // tamper with each member's value
        for (from, to) in [
            ("\"SC0001\"", "\"SC0002\""),
            ("\"state\":4", "\"state\":3"),
            ("\"1.0\"", "\"1.1\""),
        ] {
            let t = text.replace(from, to);
            assert_ne!(t, text);
            assert!(
                !verifier
                    .verify_json(&t, &Limits::default())
                    .unwrap()
                    .is_valid(),
                "{signer:?} {from}"
            );
        }
        // a number sent as a string changes the canonical string? no: "state=4" either way
        let t = text.replace("\"state\":4", "\"state\":\"4\"");
        assert!(
            verifier
                .verify_json(&t, &Limits::default())
                .unwrap()
                .is_valid()
        );
    }
    // wrong secret
    let text = RequestSigner::new(RequestKey::HmacSm3 { app_secret: SECRET })
        .sign_message(&m)
        .unwrap();
    assert!(
        !RequestVerifier::HmacSm3 {
            app_secret: b"other"
        }
        .verify_json(&text, &Limits::default())
        .unwrap()
        .is_valid()
    );
    // no sign
    assert!(
        !RequestVerifier::HmacSm3 { app_secret: SECRET }
            .verify_json("{\"a\":1}", &Limits::default())
            .unwrap()
            .is_valid()
    );
}

#[test]
fn canonical_string_is_exact() {
    let text = r#"{"version":"1.0","appId":"app","time":"1700000000000","nonce":42,"sealCode":"","state":1,"x":null,"nested":{"b":[2,1],"a":"é"},"sign":"zz"}"#;
    assert_eq!(
        canonical_string(text, &Limits::default()).unwrap(),
        r#"appId=app&nested={"a":"é","b":[2,1]}&nonce=42&state=1&time=1700000000000&version=1.0"#
    );
}

/// HMAC-SM3 against openssl; the sign of a request recomputed by openssl from the canonical string.
#[test]
fn hmac_sm3_matches_openssl() {
    let Some(_) = oracle("openssl") else { return };
    let m = request!(SealStateRequest {
        seal_code: "SC0001".into(),
        state: 1
    });
    let text = RequestSigner::new(RequestKey::HmacSm3 { app_secret: SECRET })
        .sign_message(&m)
        .unwrap();
    let s = canonical_string(&text, &Limits::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s"), &s).unwrap();
    let out = run(Command::new("openssl").current_dir(dir.path()).args([
        "mac",
        "-digest",
        "SM3",
        "-macopt",
        &format!("hexkey:{}", hex::encode(SECRET)),
        "-in",
        "s",
        "HMAC",
    ]));
    let theirs = String::from_utf8(out.stdout).unwrap().trim().to_lowercase();
    let doc = gmseal_register::json::Document::parse(&text, &Limits::default()).unwrap();
    assert_eq!(doc.get("sign").unwrap().as_str().unwrap(), theirs);
    // and the SM3+key form against `openssl dgst -sm3`
    let text = RequestSigner::new(RequestKey::Sm3WithKey { app_secret: SECRET })
        .sign_message(&m)
        .unwrap();
    let mut data = canonical_string(&text, &Limits::default())
        .unwrap()
        .into_bytes();
    data.extend_from_slice(b"&key=");
    data.extend_from_slice(SECRET);
    std::fs::write(dir.path().join("k"), &data).unwrap();
    let out = run(Command::new("openssl")
        .current_dir(dir.path())
        .args(["dgst", "-sm3", "-r", "k"]));
    let theirs = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let doc = gmseal_register::json::Document::parse(&text, &Limits::default()).unwrap();
    assert_eq!(doc.get("sign").unwrap().as_str().unwrap(), theirs);
}

#[test]
fn seal_states_refuse_illegal_transitions() {
    use SealState::*;
    let all = [Enabled, Cancelled, Disabled];
    for from in all {
        for to in all {
            let mut m = SealStateMachine::in_state(from);
            let allowed = matches!(
                (from, to),
                (Enabled, Disabled)
                    | (Disabled, Enabled)
                    | (Enabled, Cancelled)
                    | (Disabled, Cancelled)
            );
            match m.transition(to) {
                Ok(s) => {
                    assert!(allowed, "{from:?}->{to:?}");
                    assert_eq!(s, to);
                    assert_eq!(m.state(), to);
                }
                Err(Error::IllegalTransition { .. }) => {
                    assert!(!allowed, "{from:?}->{to:?}");
                    assert_eq!(m.state(), from);
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    assert_eq!(
        [Enabled, Cancelled, Disabled].map(SealState::code),
        [1, 3, 4]
    );
    assert_eq!(SealState::from_code(2), None);
    // a state request with an unknown state: strict refuses naming the field, lenient reports
    let m = request!(SealStateRequest {
        seal_code: "S".into(),
        state: 2
    });
    let text = serde_json::to_string(&m).unwrap();
    assert_eq!(
        parse::<SealStateRequest>(&text, &ParseOptions::default())
            .unwrap_err()
            .field(),
        Some("state")
    );
    assert_eq!(
        parse::<SealStateRequest>(&text, &ParseOptions::lenient())
            .unwrap()
            .deviations
            .len(),
        1
    );
}

#[test]
fn digest_sign_rules() {
    for (code, t, len) in [
        (1, HashType::Md5, 16),
        (2, HashType::Sha1, 20),
        (3, HashType::Sha256, 32),
        (4, HashType::Sm3, 32),
    ] {
        assert_eq!(HashType::from_code(code), Some(t));
        assert_eq!(t.digest_len(), len);
    }
    assert_eq!(SignatureType::parse("P7"), Some(SignatureType::P7));
    assert_eq!(SignatureType::from_format_code(1), Some(SignatureType::P1));
    let d32 = gmseal_register::base64::encode(&[7u8; 32]);
    assert!(check_doc_hash("docHash", &d32, SignatureType::P7, HashType::Sm3).is_ok());
    let err = check_doc_hash("docHash", &d32, SignatureType::P7, HashType::Md5).unwrap_err();
    assert_eq!(err.field(), Some("docHash"));
    assert!(check_doc_hash("docHash", &d32, SignatureType::P1, HashType::Md5).is_ok());
    // a cloud-sign request with a P7 digest of the wrong length: strict names docHash
    let m = request!(CloudSignRequest {
        seal_code: "S".into(),
        auth_id: "A".into(),
        auth_code: "C".into(),
        r#type: "P7".into(),
        doc_hash: gmseal_register::base64::encode(&[1u8; 20]),
        credent_no: "x".into(),
        org_code: None,
        sign_id: "s".into(),
        hash_type: 4
    });
    let text = serde_json::to_string(&m).unwrap();
    assert_eq!(
        parse::<CloudSignRequest>(&text, &ParseOptions::default())
            .unwrap_err()
            .field(),
        Some("docHash")
    );
    let m = CloudSignRequest {
        r#type: "P9".into(),
        ..m
    };
    let text = serde_json::to_string(&m).unwrap();
    assert_eq!(
        parse::<CloudSignRequest>(&text, &ParseOptions::default())
            .unwrap_err()
            .field(),
        Some("type")
    );
    // envelope: nonce and time
    let mut v = serde_json::to_value(request!(WillAuthResultRequest {
        auth_id: "A".into(),
        seal_code: "S".into()
    }))
    .unwrap();
    v["nonce"] = serde_json::json!(100_000_000u32);
    assert_eq!(
        parse::<WillAuthResultRequest>(&v.to_string(), &ParseOptions::default())
            .unwrap_err()
            .field(),
        Some("nonce")
    );
    v["nonce"] = serde_json::json!("5");
    assert_eq!(
        parse::<WillAuthResultRequest>(&v.to_string(), &ParseOptions::default())
            .unwrap_err()
            .field(),
        Some("nonce")
    );
    let r = parse::<WillAuthResultRequest>(&v.to_string(), &ParseOptions::lenient()).unwrap();
    assert_eq!(r.message.nonce, 5);
    v["nonce"] = serde_json::json!(5);
    v["time"] = serde_json::json!("2024-01-01");
    assert_eq!(
        parse::<WillAuthResultRequest>(&v.to_string(), &ParseOptions::default())
            .unwrap_err()
            .field(),
        Some("time")
    );
}

#[test]
fn verification_report_from_neutral_outcomes() {
    let ok = SignatureOutcome {
        seal_type: Some("01".into()),
        sign_time: Some("2026-01-02 03:04:05".into()),
        provider: Some("gmseal".into()),
        certificate: Some(CertificateSummary {
            issuer: "CN=CA".into(),
            owner: "CN=某某".into(),
            serial: "0A".into(),
            valid_start: "2026-01-01 00:00:00".into(),
            valid_end: "2027-01-01 00:00:00".into(),
        }),
        seal_name: Some("公章".into()),
        seal_picture: Some(vec![1, 2, 3]),
        seal_code: Some("SC0001".into()),
        valid: true,
        reason: None,
        steps: vec![
            StepOutcome {
                step: "文档完整性".into(),
                passed: true,
                reason: "摘要一致".into(),
            },
            StepOutcome {
                step: "签名值".into(),
                passed: true,
                reason: "验签通过".into(),
            },
        ],
        ..SignatureOutcome::default()
    };
    let bad = SignatureOutcome {
        valid: false,
        reason: Some("签名值无效".into()),
        steps: vec![],
        signer: Some("李四".into()),
        ..SignatureOutcome::default()
    };
    let report = DocumentVerification::from_outcomes("合同.pdf", 2048, &[ok.clone(), bad]);
    assert_eq!(report.sign_count, 2);
    assert!(!report.verify_result);
    assert_eq!(report.details[0].flow_vo_list.len(), 3);
    assert_eq!(report.details[0].seal_pic_base64, "AQID");
    assert_eq!(report.details[1].cert_owner, "李四");
    let last = report.details[1].flow_vo_list.last().unwrap();
    assert_eq!((last.status, last.hint.as_str()), (0, "签名值无效"));
    let json = serde_json::to_value(DocumentVerifyResponse::ok(report)).unwrap();
    let data = &json["data"];
    for k in [
        "fileName",
        "fileSize",
        "signCount",
        "verifyResult",
        "details",
    ] {
        assert!(data.get(k).is_some(), "{k}");
    }
    assert!(
        data["fileSize"].is_i64()
            && data["signCount"].is_i64()
            && data["verifyResult"].is_boolean()
    );
    let d = &data["details"][0];
    for k in [
        "sealType",
        "signTime",
        "provider",
        "certIssuer",
        "certOwner",
        "certSn",
        "certValidStart",
        "certValidEnd",
        "sealPicBase64",
        "sealCode",
        "flowVoList",
    ] {
        assert!(d.get(k).is_some(), "{k}");
    }
    assert_eq!(d["flowVoList"][1]["status"], 1);
    assert!(DocumentVerification::from_outcomes("a", 1, &[ok]).verify_result);
    assert!(!DocumentVerification::from_outcomes("a", 1, &[]).verify_result);
    // the multipart form's canonical string
    let form = DocumentVerifyForm {
        version: "1.0".into(),
        app_id: "app".into(),
        time: "1".into(),
        nonce: 7,
        file_name: "a.pdf".into(),
        file: vec![1],
    };
    assert_eq!(
        form.canonical_string(),
        "appId=app&nonce=7&time=1&version=1.0"
    );
    let sign = RequestSigner::new(RequestKey::HmacSm3 { app_secret: SECRET })
        .sign_canonical(&form.canonical_string())
        .unwrap();
    let rep = RequestVerifier::HmacSm3 { app_secret: SECRET }
        .verify_canonical(&form.canonical_string(), &sign)
        .unwrap();
    assert_eq!(rep.check("signature").unwrap().outcome, Outcome::Pass);
}
