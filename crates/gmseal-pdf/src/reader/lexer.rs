//! A bounded parser of PDF objects (ISO 32000-1 §7.2–§7.3) into lopdf's object model, for the
//! verifier's lazy reader.
//!
//! It works on a window of the file: when an object runs past the window it answers
//! [`ParseError::Incomplete`] and the reader retries with a larger one. It records where the
//! values of `/Contents` and `/ByteRange` lie, which the byte-range checks need, and enforces
//! limits on nesting, string and name sizes and element counts.

use core::ops::Range;

use lopdf::{Dictionary, Object, StringFormat};

/// Nesting limit for arrays and dictionaries.
const MAX_DEPTH: usize = 64;
/// Elements per array or dictionary.
const MAX_ELEMENTS: usize = 1 << 20;
/// Bytes per string or name.
const MAX_STRING: usize = 32 << 20;

/// Why parsing stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// The window ended inside the object: read more and retry.
    Incomplete,
    /// Not valid syntax; carries what and the position in the window.
    Invalid(&'static str, usize),
}

/// A parser over `buf`; `complete` says whether the end of `buf` is the end of the file.
pub(crate) struct Parser<'a> {
    buf: &'a [u8],
    pos: usize,
    complete: bool,
    /// Where values of the keys `/Contents` and `/ByteRange` were found: key, depth (1 = the
    /// outermost dictionary), byte range of the value in `buf`.
    pub(crate) spans: Vec<(&'static [u8], usize, Range<usize>)>,
    elements: usize,
}

pub(crate) fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delim(c)
}

impl<'a> Parser<'a> {
    pub(crate) fn new(buf: &'a [u8], pos: usize, complete: bool) -> Self {
        Parser {
            buf,
            pos,
            complete,
            spans: Vec::new(),
            elements: 0,
        }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn eof(&self) -> ParseError {
        if self.complete {
            ParseError::Invalid("unexpected end of file", self.pos)
        } else {
            ParseError::Incomplete
        }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Skip white space and comments.
    pub(crate) fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if is_white(c) {
                self.pos += 1;
            } else if c == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters (a keyword or number), without consuming it.
    fn token_at(&self, pos: usize) -> &'a [u8] {
        let rest = self.buf.get(pos..).unwrap_or_default();
        let n = rest.iter().take_while(|&&c| is_regular(c)).count();
        rest.get(..n).unwrap_or_default()
    }

    /// Whether the token at the current position may continue past the window.
    fn token_may_continue(&self, len: usize) -> bool {
        !self.complete && self.pos + len >= self.buf.len()
    }

    /// Consume the keyword `kw` (after white space) or fail.
    pub(crate) fn expect_keyword(&mut self, kw: &'static [u8]) -> Result<(), ParseError> {
        self.skip_ws();
        let t = self.token_at(self.pos);
        if self.token_may_continue(t.len()) {
            return Err(ParseError::Incomplete);
        }
        if t != kw {
            return Err(ParseError::Invalid("expected keyword", self.pos));
        }
        self.pos += t.len();
        Ok(())
    }

    /// The keyword at the current position (after white space), consumed.
    pub(crate) fn keyword(&mut self) -> Result<&'a [u8], ParseError> {
        self.skip_ws();
        let t = self.token_at(self.pos);
        if self.token_may_continue(t.len()) {
            return Err(ParseError::Incomplete);
        }
        self.pos += t.len();
        Ok(t)
    }

    /// An unsigned integer token.
    pub(crate) fn unsigned(&mut self) -> Result<u64, ParseError> {
        self.skip_ws();
        let t = self.token_at(self.pos);
        if self.token_may_continue(t.len()) {
            return Err(ParseError::Incomplete);
        }
        if t.is_empty() || t.len() > 19 || !t.iter().all(u8::is_ascii_digit) {
            return Err(ParseError::Invalid(
                "expected an unsigned integer",
                self.pos,
            ));
        }
        self.pos += t.len();
        Ok(t.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0')))
    }

    /// `N G obj`.
    pub(crate) fn object_header(&mut self) -> Result<(u32, u16), ParseError> {
        let start = self.pos;
        let id = self.unsigned()?;
        let generation = self.unsigned()?;
        self.expect_keyword(b"obj")?;
        match (u32::try_from(id), u16::try_from(generation)) {
            (Ok(i), Ok(g)) => Ok((i, g)),
            _ => Err(ParseError::Invalid("object number out of range", start)),
        }
    }

    /// Any object.
    pub(crate) fn object(&mut self) -> Result<Object, ParseError> {
        self.object_at_depth(0)
    }

    fn count(&mut self) -> Result<(), ParseError> {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            Err(ParseError::Invalid("too many elements", self.pos))
        } else {
            Ok(())
        }
    }

    fn object_at_depth(&mut self, depth: usize) -> Result<Object, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::Invalid("nesting too deep", self.pos));
        }
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(self.eof());
        };
        match c {
            b'/' => self.name().map(Object::Name),
            b'(' => self.literal_string(),
            b'<' => {
                if self.buf.get(self.pos + 1) == Some(&b'<') {
                    self.dictionary(depth + 1).map(Object::Dictionary)
                } else if self.buf.get(self.pos + 1).is_none() {
                    Err(self.eof())
                } else {
                    self.hex_string()
                }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => return Err(self.eof()),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        Some(_) => {
                            self.count()?;
                            items.push(self.object_at_depth(depth + 1)?);
                        }
                    }
                }
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number_or_reference(),
            _ => {
                let t = self.token_at(self.pos);
                if self.token_may_continue(t.len()) {
                    return Err(ParseError::Incomplete);
                }
                let o = match t {
                    b"true" => Object::Boolean(true),
                    b"false" => Object::Boolean(false),
                    b"null" => Object::Null,
                    _ => return Err(ParseError::Invalid("unexpected token", self.pos)),
                };
                self.pos += t.len();
                Ok(o)
            }
        }
    }

    fn number_or_reference(&mut self) -> Result<Object, ParseError> {
        let start = self.pos;
        let t = self.token_at(self.pos);
        if self.token_may_continue(t.len()) {
            return Err(ParseError::Incomplete);
        }
        let n = parse_number(t).ok_or(ParseError::Invalid("bad number", start))?;
        self.pos += t.len();
        let Object::Integer(first) = n else {
            return Ok(n);
        };
        // `N G R`?
        let save = self.pos;
        if first >= 0 {
            self.skip_ws();
            let g = self.token_at(self.pos);
            if self.token_may_continue(g.len()) {
                return Err(ParseError::Incomplete);
            }
            if !g.is_empty() && g.len() <= 5 && g.iter().all(u8::is_ascii_digit) {
                self.pos += g.len();
                self.skip_ws();
                let r = self.token_at(self.pos);
                if self.token_may_continue(r.len()) {
                    return Err(ParseError::Incomplete);
                }
                if r == b"R" {
                    self.pos += 1;
                    let generation = g.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
                    if let (Ok(id), Ok(gn)) = (u32::try_from(first), u16::try_from(generation)) {
                        return Ok(Object::Reference((id, gn)));
                    }
                    return Err(ParseError::Invalid("reference out of range", start));
                }
            }
        }
        self.pos = save;
        Ok(n)
    }

    fn name(&mut self) -> Result<Vec<u8>, ParseError> {
        self.pos += 1; // '/'
        let mut out = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                if self.complete {
                    return Ok(out);
                }
                return Err(ParseError::Incomplete);
            };
            if !is_regular(c) {
                return Ok(out);
            }
            if c == b'#' {
                let h = self.buf.get(self.pos + 1..self.pos + 3);
                match h.and_then(hex_pair) {
                    Some(b) => {
                        out.push(b);
                        self.pos += 3;
                    }
                    None if h.is_none() && !self.complete => return Err(ParseError::Incomplete),
                    None => {
                        out.push(c);
                        self.pos += 1;
                    }
                }
            } else {
                out.push(c);
                self.pos += 1;
            }
            if out.len() > MAX_STRING {
                return Err(ParseError::Invalid("name too long", self.pos));
            }
        }
    }

    fn literal_string(&mut self) -> Result<Object, ParseError> {
        self.pos += 1; // '('
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.eof());
            };
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(Object::String(out, StringFormat::Literal));
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return Err(self.eof());
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                b'\r' => {
                    // An end-of-line in a string reads as \n.
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(c),
            }
            if out.len() > MAX_STRING {
                return Err(ParseError::Invalid("string too long", self.pos));
            }
        }
    }

    fn hex_string(&mut self) -> Result<Object, ParseError> {
        self.pos += 1; // '<'
        let start = self.pos;
        let rest = self.buf.get(start..).unwrap_or_default();
        let Some(end) = rest.iter().position(|&c| c == b'>') else {
            return Err(self.eof());
        };
        let body = rest.get(..end).unwrap_or_default();
        let mut out = Vec::with_capacity(body.len() / 2);
        let mut high: Option<u8> = None;
        for &c in body {
            if is_white(c) {
                continue;
            }
            let v = hex_digit(c).ok_or(ParseError::Invalid("bad hex string", self.pos))?;
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        if out.len() > MAX_STRING {
            return Err(ParseError::Invalid("string too long", self.pos));
        }
        self.pos = start + end + 1;
        Ok(Object::String(out, StringFormat::Hexadecimal))
    }

    fn dictionary(&mut self, depth: usize) -> Result<Dictionary, ParseError> {
        self.pos += 2; // '<<'
        let mut dict = Dictionary::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b'>') => {
                    if self.buf.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        return Ok(dict);
                    }
                    if self.buf.get(self.pos + 1).is_none() {
                        return Err(self.eof());
                    }
                    return Err(ParseError::Invalid("bad dictionary end", self.pos));
                }
                Some(b'/') => {
                    let key = self.name()?;
                    self.skip_ws();
                    let value_start = self.pos;
                    self.count()?;
                    let value = self.object_at_depth(depth)?;
                    let tracked: Option<&'static [u8]> = match key.as_slice() {
                        b"Contents" => Some(b"Contents"),
                        b"ByteRange" => Some(b"ByteRange"),
                        _ => None,
                    };
                    if let Some(k) = tracked {
                        self.spans.push((k, depth, value_start..self.pos));
                    }
                    dict.set(key, value);
                }
                Some(_) => {
                    return Err(ParseError::Invalid(
                        "dictionary key is not a name",
                        self.pos,
                    ));
                }
            }
        }
    }

    /// After a stream dictionary: `stream` and its end-of-line; returns where the data starts.
    pub(crate) fn stream_start(&mut self) -> Result<Option<usize>, ParseError> {
        let save = self.pos;
        self.skip_ws();
        let t = self.token_at(self.pos);
        if self.token_may_continue(t.len()) {
            return Err(ParseError::Incomplete);
        }
        if t != b"stream" {
            self.pos = save;
            return Ok(None);
        }
        self.pos += t.len();
        match (self.peek(), self.buf.get(self.pos + 1)) {
            (Some(b'\r'), Some(b'\n')) => self.pos += 2,
            (Some(b'\n'), _) | (Some(b'\r'), _) => self.pos += 1,
            (None, _) if !self.complete => return Err(ParseError::Incomplete),
            _ => {}
        }
        Ok(Some(self.pos))
    }
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn hex_pair(h: &[u8]) -> Option<u8> {
    let [a, b] = h else { return None };
    Some(hex_digit(*a)? << 4 | hex_digit(*b)?)
}

/// A numeric token: integer or real (`+17`, `-.002`, `34.5`).
fn parse_number(t: &[u8]) -> Option<Object> {
    let s = core::str::from_utf8(t).ok()?;
    if s.contains('.') {
        let v: f64 = if s.starts_with("-.") || s.starts_with("+.") || s.starts_with('.') {
            let (sign, rest) = match s.as_bytes().first() {
                Some(b'-') => (-1.0, &s[1..]),
                Some(b'+') => (1.0, &s[1..]),
                _ => (1.0, s),
            };
            sign * format!("0{rest}").parse::<f64>().ok()?
        } else {
            s.parse().ok()?
        };
        v.is_finite().then_some(Object::Real(v as f32))
    } else {
        s.parse::<i64>().ok().map(Object::Integer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &[u8]) -> Result<Object, ParseError> {
        Parser::new(s, 0, true).object()
    }

    #[test]
    fn objects() {
        assert_eq!(parse(b"12 0 R"), Ok(Object::Reference((12, 0))));
        assert_eq!(parse(b"12 0"), Ok(Object::Integer(12)));
        assert_eq!(parse(b"-.5"), Ok(Object::Real(-0.5)));
        assert_eq!(parse(b"/A#20B"), Ok(Object::Name(b"A B".to_vec())));
        assert_eq!(
            parse(b"(a\\(b\\)\\101\\\nc)"),
            Ok(Object::String(b"a(b)Ac".to_vec(), StringFormat::Literal))
        );
        assert_eq!(
            parse(b"<41 4>"),
            Ok(Object::String(b"A@".to_vec(), StringFormat::Hexadecimal))
        );
        let d = parse(b"<</Type/Sig/ByteRange[0 1 2 3]/Contents<00>/M(x)>>").unwrap();
        let d = d.as_dict().unwrap();
        assert_eq!(d.get(b"Type").unwrap().as_name().unwrap(), b"Sig");
        assert_eq!(d.get(b"ByteRange").unwrap().as_array().unwrap().len(), 4);
    }

    #[test]
    fn spans_and_incomplete() {
        let src = b"<</ByteRange [0 1 2 3] /Contents <00AB>>>";
        let mut p = Parser::new(src, 0, true);
        p.object().unwrap();
        assert_eq!(p.spans.len(), 2);
        let (k, depth, r) = p.spans[1].clone();
        assert_eq!((k, depth), (&b"Contents"[..], 1));
        assert_eq!(&src[r], b"<00AB>");
        assert_eq!(
            Parser::new(b"<</A [1 2", 0, false).object(),
            Err(ParseError::Incomplete)
        );
        assert_eq!(
            Parser::new(b"12 0", 0, false).object(),
            Err(ParseError::Incomplete)
        );
        assert!(matches!(
            Parser::new(b"<</A [1 2", 0, true).object(),
            Err(ParseError::Invalid(..))
        ));
    }

    #[test]
    fn depth_limit() {
        let deep = vec![b'['; 1000];
        assert!(matches!(
            Parser::new(&deep, 0, true).object(),
            Err(ParseError::Invalid("nesting too deep", _))
        ));
    }
}
