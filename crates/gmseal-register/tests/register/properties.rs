//! Property tests: signing-input canonicalisation (key order, unicode, numbers vs strings),
//! sign/verify round trips, and no panic on arbitrary input for every parser.

use gmseal_register::json::{Document, Limits, Value, write_compact_sorted};
use gmseal_register::message::{ParseOptions, parse};
use gmseal_register::provincial::*;
use gmseal_register::system_register::{ReadOptions, ReadSystemRegister};
use proptest::prelude::*;

/// A JSON value generator: unicode strings (including escapes and astral characters), integer
/// and decimal numbers, nesting.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        (-1.0e6f64..1.0e6).prop_map(|f| serde_json::json!(f)),
        "\\PC{0,12}".prop_map(serde_json::Value::String),
        "[\"\\\\\n\t\u{1}é😀]{0,6}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-zA-Z0-9_é😀]{1,6}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn top_object() -> impl Strategy<Value = Vec<(String, serde_json::Value)>> {
    prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9é]{0,6}", json_value(), 1..6)
        .prop_map(|m| m.into_iter().filter(|(k, _)| k != "signInfo").collect())
}

fn write(members: &[(String, serde_json::Value)]) -> String {
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| {
            format!(
                "{}:{}",
                serde_json::to_string(k).unwrap(),
                serde_json::to_string(v).unwrap()
            )
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

fn input(text: &str) -> Vec<u8> {
    let doc = Document::parse(text, &Limits::default()).unwrap();
    SigningInput::SortedKeyValue
        .compute(&doc, &Limits::default())
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Member order and insignificant whitespace do not change the sorted input; it is
    /// deterministic.
    #[test]
    fn key_order_does_not_matter(members in top_object(), seed in any::<u64>()) {
        let a = write(&members);
        let mut shuffled = members.clone();
        // deterministic shuffle
        let n = shuffled.len();
        for i in 0..n {
            let j = (seed as usize).wrapping_add(i * 7) % n;
            shuffled.swap(i, j);
        }
        // whitespace between tokens only (pretty printing never touches string contents)
        let parts: Vec<String> = shuffled
            .iter()
            .map(|(k, v)| format!("{} : {}", serde_json::to_string(k).unwrap(), serde_json::to_string_pretty(v).unwrap()))
            .collect();
        let b = format!("{{ \n{}\n}}", parts.join(" ,\n  "));
        prop_assert_eq!(input(&a), input(&b));
    }

    /// The nested compact form re-parses to the same value (unicode and escapes survive).
    #[test]
    fn compact_sorted_round_trips(v in json_value()) {
        let text = serde_json::to_string(&v).unwrap();
        let wrapped = format!("{{\"v\":{text}}}");
        let doc = Document::parse(&wrapped, &Limits::default()).unwrap();
        let mut out = String::new();
        write_compact_sorted(doc.get("v").unwrap(), &mut out);
        // same value (numbers compared through the same float parser, as text is kept) ...
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        let orig: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, orig);
        // ... and canonical: writing it again gives the same text
        let again = Document::parse(&format!("{{\"v\":{out}}}"), &Limits::default()).unwrap();
        let mut out2 = String::new();
        write_compact_sorted(again.get("v").unwrap(), &mut out2);
        prop_assert_eq!(out2, out);
    }

    /// A number and the string of its digits sign differently at nested level but identically at
    /// top level (the k=v form writes both as their text); numbers keep their text (1.0 ≠ 1).
    #[test]
    fn numbers_versus_strings(n in any::<u32>()) {
        let num = format!("{{\"a\":{n}}}");
        let st = format!("{{\"a\":\"{n}\"}}");
        prop_assert_eq!(input(&num), input(&st));
        let num = format!("{{\"a\":[{n}]}}");
        let st = format!("{{\"a\":[\"{n}\"]}}");
        prop_assert_ne!(input(&num), input(&st));
        let one = format!("{{\"a\":{n}.0}}");
        let plain = format!("{{\"a\":{n}}}");
        prop_assert_ne!(input(&one), input(&plain));
    }

    /// Signed messages verify; any change to a member value fails.
    #[test]
    fn sign_verify_round_trip(members in top_object()) {
        let key = gmseal_sm2::SoftwareSigner::from_bytes(&[7u8; 32]).unwrap();
        let text = write(&members);
        let signed = sign_json(&text, &key, &SignOptions::default()).unwrap();
        let report = verify_json(&signed, &key.public_key(), &VerifyOptions::default()).unwrap();
        prop_assert!(report.is_valid());
        let tampered = signed.replacen('{', "{\"zzExtra\":1,", 1);
        let report = verify_json(&tampered, &key.public_key(), &VerifyOptions::default()).unwrap();
        prop_assert!(!report.is_valid());
    }

    /// Parsers never panic.
    #[test]
    fn json_parsers_do_not_panic(s in "\\PC{0,200}") {
        let _ = Document::parse(&s, &Limits::default());
        let _ = parse::<SealMakingRequest>(&s, &ParseOptions::default());
        let _ = parse::<SealDownloadResponse>(&s, &ParseOptions::lenient());
        let key = gmseal_sm2::SoftwareSigner::from_bytes(&[7u8; 32]).unwrap();
        let _ = verify_json(&s, &key.public_key(), &VerifyOptions::default());
    }

    #[test]
    fn json_mutations_do_not_panic(members in top_object(), pos in any::<usize>(), byte in any::<u8>()) {
        let mut text = write(&members).into_bytes();
        let i = pos % text.len();
        text[i] = byte;
        if let Ok(s) = std::str::from_utf8(&text) {
            let _ = parse::<RevocationRequest>(s, &ParseOptions::lenient());
            let _ = parse::<gmseal_register::interop::GetSealsResponse>(s, &ParseOptions::lenient());
        }
    }

    #[test]
    fn der_reader_does_not_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = ReadSystemRegister::read(&bytes, &ReadOptions::default());
        let lenient = ReadOptions { strictness: gmseal_register::Strictness::Lenient, ..ReadOptions::default() };
        if let Ok(r) = ReadSystemRegister::read(&bytes, &lenient) {
            let _ = r.verify(&Default::default());
        }
    }
}

#[test]
fn value_kinds() {
    let doc = Document::parse(
        r#"{"a":null,"b":true,"c":1e2,"d":"x","e":[],"f":{}}"#,
        &Limits::default(),
    )
    .unwrap();
    let kinds: Vec<&str> = doc.members().iter().map(|m| m.value.kind()).collect();
    assert_eq!(
        kinds,
        ["null", "boolean", "number", "string", "array", "object"]
    );
    assert_eq!(doc.get("c"), Some(&Value::Number("1e2".into())));
    assert_eq!(doc.raw("e"), Some("[]"));
}
