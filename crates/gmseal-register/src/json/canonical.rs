//! Canonical JSON texts used as signing inputs.
//!
//! * [`write_compact_sorted`]: compact JSON, object members sorted by the UTF-8 bytes of their
//!   names (= Unicode code point order), numbers exactly as received, strings escaped minimally.
//!   This is the nested-value form of the "sorted `k=v&`" rule of many Chinese SM2 JSON APIs.
//! * [`write_jcs`]: RFC 8785 (JSON Canonicalization Scheme): members sorted by UTF-16 code
//!   units, numbers re-formatted as ECMAScript `Number.prototype.toString` does (RFC 8785 §3.2.2.3),
//!   strings escaped as in RFC 8785 §3.2.2.2.

use super::Value;
use crate::error::{Error, Result};

/// Write `s` as a JSON string: `"` and `\` escaped, control characters as `\b \t \n \f \r` or
/// `\u00xx` (lower-case hex), everything else literal (RFC 8785 §3.2.2.2).
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Compact JSON with members sorted by name (UTF-8 byte order), numbers as received.
pub fn write_compact_sorted(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact_sorted(v, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<&(String, Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_compact_sorted(v, out);
            }
            out.push('}');
        }
    }
}

/// RFC 8785 canonical JSON.
///
/// # Errors
/// [`Error::InvalidField`] for a number outside the IEEE 754 double range (RFC 8785 §3.2.2.3
/// has no form for it); `field` names where the value sits.
pub fn write_jcs(value: &Value, field: &str, out: &mut String) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&es6_number(n, field)?),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_jcs(v, &format!("{field}[{i}]"), out)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<&(String, Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                let p = if field.is_empty() {
                    k.clone()
                } else {
                    format!("{field}.{k}")
                };
                write_jcs(v, &p, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON number re-formatted as ECMAScript's `Number.prototype.toString` (ECMA-262
/// §7.1.12.1, the algorithm RFC 8785 §3.2.2.3 prescribes).
///
/// # Errors
/// [`Error::InvalidField`] when the number is not a finite double.
pub fn es6_number(text: &str, field: &str) -> Result<String> {
    let f: f64 = text
        .parse()
        .map_err(|_| Error::invalid(field, "a JSON number", text))?;
    if !f.is_finite() {
        return Err(Error::invalid(
            field,
            "RFC 8785 §3.2.2.3: numbers must be finite IEEE 754 doubles",
            text,
        ));
    }
    if f == 0.0 {
        return Ok("0".into());
    }
    // Rust's `{:e}` prints the shortest digit string that round-trips (as ECMAScript requires),
    // in the form d[.ddd]e[-]x.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci
        .split_once('e')
        .ok_or_else(|| Error::invalid(field, "a JSON number", text))?;
    let exp: i32 = exp
        .parse()
        .map_err(|_| Error::invalid(field, "a JSON number", text))?;
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let n = exp + 1; // position of the decimal point relative to the digit string
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        for _ in 0..(n - k) {
            out.push('0');
        }
    } else if 0 < n && n <= 21 {
        let (a, b) = digits.split_at(n as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        for _ in 0..(-n) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn es6_numbers_rfc8785_examples() {
        // RFC 8785 Appendix B (selection) and ECMAScript edge cases.
        for (input, want) in [
            ("0", "0"),
            ("-0", "0"),
            ("1", "1"),
            ("1.0", "1"),
            ("4.50", "4.5"),
            ("2e-3", "0.002"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123456789012345678901", "123456789012345680000"),
            ("9007199254740992", "9007199254740992"),
            ("9007199254740993", "9007199254740992"),
            ("-1.5e-10", "-1.5e-10"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("5e-324", "5e-324"),
            ("333333333.3333332", "333333333.3333332"),
            ("1e23", "1e+23"),
            ("295147905179352830000", "295147905179352830000"),
        ] {
            assert_eq!(es6_number(input, "x").unwrap(), want, "{input}");
        }
        assert!(es6_number("1e400", "x").is_err());
    }

    #[test]
    fn string_escaping() {
        let mut s = String::new();
        write_string("a\"b\\c\u{1}\n€\u{2028}", &mut s);
        assert_eq!(s, "\"a\\\"b\\\\c\\u0001\\n€\u{2028}\"");
    }
}
