//! JSON as received: a tree that keeps every number's text, the byte range of every top-level
//! member, and refuses what would make a signature ambiguous (duplicate member names).
//!
//! Signatures over JSON messages are computed over a *signing input* derived from the text the
//! sender wrote (see [`crate::provincial::SigningInput`] and [`crate::interop::RequestSigner`]).
//! This module is the one place that reads JSON text for that purpose: it never re-serialises a
//! caller's JSON through typed structs, so `"6"` and `6`, `1.0` and `1`, or key order are kept as
//! sent. Typed views (the serde structs of the message modules) are derived from the same text.
//!
//! Syntax is checked by `serde_json` (RFC 8259); this module adds limits on size and depth,
//! duplicate-key detection and field paths in every error.

use core::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Result};

mod canonical;

pub use canonical::{es6_number, write_compact_sorted, write_jcs, write_string};

/// Limits on untrusted JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes. Default 16 MiB (a download response carrying many
    /// seals is the largest message of the specifications).
    pub max_input: usize,
    /// Deepest nesting accepted. Default 32 (the specifications nest at most 4 levels).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input: 16 << 20,
            max_depth: 32,
        }
    }
}

/// A JSON value as received. Numbers keep their text (`1.0` stays `1.0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its JSON text.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object: members in the order received (names are unique).
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The JSON type, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// One member of the top-level object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member name.
    pub key: String,
    /// The value.
    pub value: Value,
    /// Byte range of the value's text in [`Document::text`].
    pub raw: Range<usize>,
}

/// A JSON message: its text, exactly as received, and its top-level object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    text: String,
    members: Vec<Member>,
}

impl Document {
    /// Parse `text`, which must hold one JSON object.
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::JsonSyntax`] (with line and column),
    /// [`Error::JsonField`] when the top level is not an object, [`Error::DuplicateKey`],
    /// [`Error::TooDeep`].
    pub fn parse(text: &str, limits: &Limits) -> Result<Self> {
        if text.len() > limits.max_input {
            return Err(Error::TooLarge {
                field: "input".into(),
                limit: limits.max_input,
                found: text.len(),
            });
        }
        let root: &RawValue = serde_json::from_str(text).map_err(syntax_error)?;
        let raw_text = root.get();
        if !raw_text.starts_with('{') {
            return Err(Error::JsonField {
                field: ".".into(),
                message: "the message must be a JSON object".into(),
            });
        }
        let entries: Entries<'_> = serde_json::from_str(raw_text).map_err(syntax_error)?;
        let mut members = Vec::with_capacity(entries.0.len());
        for (key, raw) in entries.0 {
            if members.iter().any(|m: &Member| m.key == key) {
                return Err(Error::DuplicateKey { field: key });
            }
            let range = span_in(text, raw.get()).ok_or_else(|| Error::JsonField {
                field: key.clone(),
                message: "internal: value text not found in the input".into(),
            })?;
            let value = parse_value(raw, &key, 1, limits)?;
            members.push(Member {
                key,
                value,
                raw: range,
            });
        }
        Ok(Document {
            text: text.to_owned(),
            members,
        })
    }

    /// The text as received.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The top-level members in the order received.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// The top-level member `key`.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.key == key)
    }

    /// The value of the top-level member `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.member(key).map(|m| &m.value)
    }

    /// The text of a top-level member's value, exactly as received.
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.member(key).and_then(|m| self.text.get(m.raw.clone()))
    }

    /// The top-level object as a [`Value`].
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.members
                .iter()
                .map(|m| (m.key.clone(), m.value.clone()))
                .collect(),
        )
    }

    /// The text with one more top-level member `"key": value_json` added before the closing
    /// brace. The rest of the text is kept byte for byte.
    ///
    /// # Errors
    /// [`Error::AlreadySigned`]-style callers check for the member first; this returns
    /// [`Error::DuplicateKey`] when `key` is present.
    pub fn with_member_appended(&self, key: &str, value_json: &str) -> Result<String> {
        if self.member(key).is_some() {
            return Err(Error::DuplicateKey { field: key.into() });
        }
        let trimmed_len = self.text.trim_end().len();
        let body = self
            .text
            .get(..trimmed_len.saturating_sub(1))
            .ok_or_else(|| Error::JsonField {
                field: ".".into(),
                message: "empty message".into(),
            })?;
        let mut out = String::with_capacity(self.text.len() + key.len() + value_json.len() + 8);
        out.push_str(body);
        if !self.members.is_empty() {
            out.push(',');
        }
        write_string(key, &mut out);
        out.push(':');
        out.push_str(value_json);
        out.push('}');
        out.push_str(self.text.get(trimmed_len..).unwrap_or(""));
        Ok(out)
    }
}

/// Parse a JSON value of any type (used for JSON carried inside a string field).
///
/// # Errors
/// As [`Document::parse`], with `field` as the path prefix.
pub fn parse_value_text(text: &str, field: &str, limits: &Limits) -> Result<Value> {
    if text.len() > limits.max_input {
        return Err(Error::TooLarge {
            field: field.into(),
            limit: limits.max_input,
            found: text.len(),
        });
    }
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| Error::JsonField {
        field: field.into(),
        message: format!("not JSON: {e}"),
    })?;
    parse_value(raw, field, 0, limits)
}

fn syntax_error(e: serde_json::Error) -> Error {
    Error::JsonSyntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// The byte range of `inner` within `outer`, where `inner` is a subslice of `outer`.
fn span_in(outer: &str, inner: &str) -> Option<Range<usize>> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    let end = start.checked_add(inner.len())?;
    (outer.get(start..end)? == inner).then_some(start..end)
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() || path == "." {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn parse_value(raw: &RawValue, path: &str, depth: usize, limits: &Limits) -> Result<Value> {
    if depth > limits.max_depth {
        return Err(Error::TooDeep {
            field: path.to_owned(),
            limit: limits.max_depth,
        });
    }
    let text = raw.get();
    let field_err = |e: serde_json::Error| Error::JsonField {
        field: path.to_owned(),
        message: e.to_string(),
    };
    match text.as_bytes().first() {
        Some(b'{') => {
            let entries: Entries<'_> = serde_json::from_str(text).map_err(field_err)?;
            let mut members: Vec<(String, Value)> = Vec::with_capacity(entries.0.len());
            for (key, raw) in entries.0 {
                let p = child(path, &key);
                if members.iter().any(|(k, _)| *k == key) {
                    return Err(Error::DuplicateKey { field: p });
                }
                let v = parse_value(raw, &p, depth + 1, limits)?;
                members.push((key, v));
            }
            Ok(Value::Object(members))
        }
        Some(b'[') => {
            let items: Items<'_> = serde_json::from_str(text).map_err(field_err)?;
            let mut out = Vec::with_capacity(items.0.len());
            for (i, raw) in items.0.into_iter().enumerate() {
                out.push(parse_value(
                    raw,
                    &format!("{path}[{i}]"),
                    depth + 1,
                    limits,
                )?);
            }
            Ok(Value::Array(out))
        }
        Some(b'"') => Ok(Value::String(
            serde_json::from_str::<String>(text).map_err(field_err)?,
        )),
        Some(b't') => Ok(Value::Bool(true)),
        Some(b'f') => Ok(Value::Bool(false)),
        Some(b'n') => Ok(Value::Null),
        _ => Ok(Value::Number(text.to_owned())),
    }
}

/// Object members as (unescaped name, raw value), in order, duplicates kept.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V<'a>(core::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Entries<'a>;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let v: &'de RawValue = map.next_value()?;
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(core::marker::PhantomData))
    }
}

/// Array elements as raw values.
struct Items<'a>(Vec<&'a RawValue>);

impl<'de: 'a, 'a> Deserialize<'de> for Items<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct V<'a>(core::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Items<'a>;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON array")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> core::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<&'de RawValue>()? {
                    out.push(v);
                }
                Ok(Items(out))
            }
        }
        d.deserialize_seq(V(core::marker::PhantomData))
    }
}

/// Deserialize a typed view of `text`, with the JSON path of the offending member in errors.
///
/// # Errors
/// [`Error::JsonField`] naming the member (for a missing member, the path ends in its name).
pub fn from_str_with_path<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(path_error)?;
    de.end().map_err(syntax_error)?;
    Ok(value)
}

fn path_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let message = inner.to_string();
    if inner.is_syntax() || inner.is_eof() {
        return syntax_error(inner);
    }
    // serde reports a missing member at the enclosing object; name the member itself.
    let field = match message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        Some(name) => child(&path, name),
        None => path,
    };
    let message = match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(&message).to_owned(),
        None => message,
    };
    Error::JsonField { field, message }
}

/// Serialize a value as compact JSON (for messages built from typed structs).
///
/// # Errors
/// [`Error::JsonField`] if serialisation fails (a map with non-string keys; never for the
/// types of this crate).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::JsonField {
        field: ".".into(),
        message: e.to_string(),
    })
}
