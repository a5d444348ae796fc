//! Parsing JSON messages into typed views while keeping the text as received.
//!
//! [`parse`] reads a message in three layers:
//! 1. the [`Document`]: syntax, limits, duplicate keys, raw spans;
//! 2. the typed serde view, with the JSON path of any missing or mistyped member;
//! 3. the message's own rules ([`Schema::check`]): fixed values of the specification's table,
//!    formats.
//!
//! Strict mode refuses the first deviation with an error naming the field. Lenient mode
//! normalises what real messages (and the specifications' own samples) get wrong, and lists
//! each deviation: member names with whitespace (`"signValue "`), member names the samples use
//! instead of the table's (`data` for `sealData`), numbers where the table has strings and the
//! reverse. The normalised form is used only for the typed view; signatures are always checked
//! over the text as received.

use serde::de::DeserializeOwned;

use crate::deviation::{Deviation, DeviationKind, Strictness, Tolerance};
use crate::error::{Error, Result};
use crate::json::{self, Document, Limits, Value};

/// How to parse.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// Strict (default) or lenient.
    pub strictness: Strictness,
    /// Size and depth limits.
    pub limits: Limits,
}

impl ParseOptions {
    /// Lenient parsing with default limits.
    pub fn lenient() -> Self {
        ParseOptions {
            strictness: Strictness::Lenient,
            limits: Limits::default(),
        }
    }
}

/// What a message type tells the parser about itself.
pub trait Schema: DeserializeOwned {
    /// The member names the specification's table defines, as JSON paths with `[]` for "any
    /// element" (`data[].yzbm`); members elsewhere are reported as unknown.
    const KNOWN_FIELDS: &'static [&'static str];

    /// Member names the specification's samples use instead of the table's: (path of the alias
    /// with `[]` for any element, name in the table).
    const ALIASES: &'static [(&'static str, &'static str)] = &[];

    /// Largest length, in characters, of string members (generic paths as in
    /// [`KNOWN_FIELDS`](Self::KNOWN_FIELDS)); longer values are an [`Error::TooLarge`] naming
    /// the member, in both modes.
    const MAX_LENGTHS: &'static [(&'static str, usize)] = &[];

    /// The message's own rules (fixed values, formats). `doc` is the text as received.
    ///
    /// # Errors
    /// What strict mode refuses.
    fn check(&self, doc: &Document, tol: &mut Tolerance) -> Result<()>;
}

/// A message as received: the typed view, the text, and what was tolerated.
#[derive(Debug, Clone, PartialEq)]
pub struct Received<T> {
    /// The typed view.
    pub message: T,
    /// The text as received, parsed.
    pub document: Document,
    /// Deviations tolerated (lenient mode; empty in strict mode).
    pub deviations: Vec<Deviation>,
    /// Members the specification does not define (paths). Not an error in either mode: they
    /// are covered by the signature like every other member.
    pub unknown_fields: Vec<String>,
}

impl<T> Received<T> {
    /// The text as received.
    pub fn text(&self) -> &str {
        self.document.text()
    }
}

/// Parse a message.
///
/// # Errors
/// [`Error::JsonSyntax`], [`Error::JsonField`] (with the path of the member),
/// [`Error::DuplicateKey`], [`Error::TooLarge`], [`Error::TooDeep`], and in strict mode
/// [`Error::InvalidField`] for the first deviation.
pub fn parse<T: Schema>(text: &str, options: &ParseOptions) -> Result<Received<T>> {
    let document = Document::parse(text, &options.limits)?;
    check_lengths(&document.to_value(), "", T::MAX_LENGTHS)?;
    let mut tol = Tolerance::new(options.strictness);
    let message: T = match options.strictness {
        Strictness::Strict => json::from_str_with_path(text)?,
        Strictness::Lenient => {
            let mut value = document.to_value();
            normalise_keys(&mut value, "", &mut tol);
            apply_aliases(&mut value, T::ALIASES, &mut tol);
            typed_with_coercion(value, &mut tol)?
        }
    };
    let mut unknown_fields = Vec::new();
    collect_unknown(
        &document.to_value(),
        "",
        T::KNOWN_FIELDS,
        &mut unknown_fields,
    );
    if options.strictness == Strictness::Lenient {
        // names with whitespace or aliases were reported already
        unknown_fields.retain(|f| {
            !tol.found.iter().any(|d| match &d.kind {
                DeviationKind::KeyWhitespace { received }
                | DeviationKind::KeyAlias { received } => {
                    let as_received = match d.field.rsplit_once('.') {
                        Some((parent, _)) => format!("{parent}.{received}"),
                        None => received.clone(),
                    };
                    generic(&as_received) == generic(f)
                }
                _ => false,
            })
        });
    }
    message.check(&document, &mut tol)?;
    Ok(Received {
        message,
        document,
        deviations: tol.found,
        unknown_fields,
    })
}

fn check_lengths(value: &Value, path: &str, limits: &[(&str, usize)]) -> Result<()> {
    if limits.is_empty() {
        return Ok(());
    }
    match value {
        Value::String(s) => {
            let g = generic(path);
            if let Some((_, max)) = limits.iter().find(|(p, _)| *p == g) {
                let n = s.chars().count();
                if n > *max {
                    return Err(Error::TooLarge {
                        field: path.to_owned(),
                        limit: *max,
                        found: n,
                    });
                }
            }
        }
        Value::Object(members) => {
            for (k, v) in members {
                check_lengths(v, &join(path, k.trim()), limits)?;
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_lengths(v, &format!("{path}[{i}]"), limits)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `a[3].b` → `a[].b`
fn generic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn collect_unknown(value: &Value, path: &str, known: &[&str], out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (k, v) in members {
                let p = join(path, k);
                let g = generic(&p);
                let prefix = format!("{g}.");
                let index_prefix = format!("{g}[]");
                if known
                    .iter()
                    .any(|f| *f == g || f.starts_with(&prefix) || f.starts_with(&index_prefix))
                {
                    collect_unknown(v, &p, known, out);
                } else {
                    out.push(p);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_unknown(v, &format!("{path}[{i}]"), known, out);
            }
        }
        _ => {}
    }
}

fn normalise_keys(value: &mut Value, path: &str, tol: &mut Tolerance) {
    match value {
        Value::Object(members) => {
            for (k, v) in members.iter_mut() {
                let trimmed = k.trim();
                if trimmed.len() != k.len() {
                    tol.found.push(Deviation::new(
                        join(path, trimmed),
                        DeviationKind::KeyWhitespace {
                            received: k.clone(),
                        },
                    ));
                    *k = trimmed.to_owned();
                }
                let p = join(path, k);
                normalise_keys(v, &p, tol);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                normalise_keys(v, &format!("{path}[{i}]"), tol);
            }
        }
        _ => {}
    }
}

fn apply_aliases(value: &mut Value, aliases: &[(&str, &str)], tol: &mut Tolerance) {
    fn walk(value: &mut Value, path: &str, aliases: &[(&str, &str)], tol: &mut Tolerance) {
        match value {
            Value::Object(members) => {
                let names: Vec<String> = members.iter().map(|(k, _)| k.clone()).collect();
                for (k, v) in members.iter_mut() {
                    let p = join(path, k);
                    let g = generic(&p);
                    if let Some((_, canonical)) = aliases.iter().find(|(a, _)| *a == g) {
                        if !names.iter().any(|n| n == canonical) {
                            tol.found.push(Deviation::new(
                                join(path, canonical),
                                DeviationKind::KeyAlias {
                                    received: k.clone(),
                                },
                            ));
                            *k = (*canonical).to_owned();
                        }
                    }
                    let p = join(path, k);
                    walk(v, &p, aliases, tol);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    walk(v, &format!("{path}[{i}]"), aliases, tol);
                }
            }
            _ => {}
        }
    }
    walk(value, "", aliases, tol);
}

/// Deserialize the typed view; on a type mismatch between string and number at a path,
/// convert that value and try again (at most 64 times), reporting each conversion.
fn typed_with_coercion<T: DeserializeOwned>(mut value: Value, tol: &mut Tolerance) -> Result<T> {
    for _ in 0..64 {
        let mut text = String::new();
        json::write_compact_sorted(&value, &mut text);
        match json::from_str_with_path::<T>(&text) {
            Ok(t) => return Ok(t),
            Err(Error::JsonField { field, message }) => {
                let Some(slot) = at_path(&mut value, &field) else {
                    return Err(Error::JsonField { field, message });
                };
                let converted = match slot {
                    Value::Number(n) if message.contains("expected a string") => {
                        Some((Value::String(n.clone()), "number", "string"))
                    }
                    Value::Bool(b) if message.contains("expected a string") => {
                        Some((Value::String(b.to_string()), "boolean", "string"))
                    }
                    Value::String(s)
                        if !message.contains("expected a string")
                            && message.starts_with("invalid type: string")
                            && !s.is_empty()
                            && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
                    {
                        Some((Value::Number(s.clone()), "string", "number"))
                    }
                    _ => None,
                };
                let Some((new, from, to)) = converted else {
                    return Err(Error::JsonField { field, message });
                };
                *slot = new;
                tol.found.push(Deviation::new(
                    field,
                    DeviationKind::TypeCoerced { from, to },
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Err(Error::JsonField {
        field: ".".into(),
        message: "too many type conversions".into(),
    })
}

/// The value at a path like `data[0].yzbm`.
fn at_path<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut cur = value;
    for seg in path.split('.') {
        let (name, indices) = match seg.find('[') {
            Some(i) => (seg.get(..i)?, seg.get(i..)?),
            None => (seg, ""),
        };
        if !name.is_empty() {
            cur = match cur {
                Value::Object(m) => m.iter_mut().find(|(k, _)| k == name).map(|(_, v)| v)?,
                _ => return None,
            };
        }
        for idx in indices.split('[').filter(|s| !s.is_empty()) {
            let i: usize = idx.trim_end_matches(']').parse().ok()?;
            cur = match cur {
                Value::Array(a) => a.get_mut(i)?,
                _ => return None,
            };
        }
    }
    Some(cur)
}

/// Check that the string member `field` (top level) equals `expected`; whitespace around it
/// and other values are deviations.
pub(crate) fn expect_value(
    tol: &mut Tolerance,
    field: &str,
    found: &str,
    expected: &[&str],
    rule: &'static str,
) -> Result<()> {
    if expected.contains(&found) {
        return Ok(());
    }
    if expected.contains(&found.trim()) {
        return tol.allow(field, DeviationKind::ValueWhitespace, rule);
    }
    tol.allow(
        field,
        DeviationKind::UnexpectedValue {
            expected: expected.join(" or "),
            found: found.to_owned(),
        },
        rule,
    )
}
