//! A small, bounded XML tree over quick-xml, and the GB/T 33190 files built on it.
//!
//! The OFD files a signer or verifier needs (OFD.xml, Document.xml, Signatures.xml,
//! Signature.xml, a page's Content.xml) are read into a tree of [`Element`]s that keeps the byte
//! span of every element, so the signer can edit a file by inserting text without re-serialising
//! (and so without changing) anything else. Elements are matched by local name; the namespace of
//! the root is checked by the callers. Document type declarations are refused (no entity is ever
//! expanded), and depth, node count and size are bounded by [`Limits`].

pub mod document;
pub mod ofd;
pub mod page;
pub mod signature;
pub mod signatures;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::{Limit, XmlError};
use crate::package::Limits;

/// The OFD namespace of GB/T 33190-2016.
pub const OFD_NAMESPACE: &str = "http://www.ofdspec.org/2016";

/// An XML element with its byte span in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Local name (without prefix).
    pub name: String,
    /// Prefix as written (`ofd`), if any.
    pub prefix: Option<String>,
    /// Namespace URI, resolved from the declarations in scope.
    pub namespace: Option<String>,
    /// Attributes other than namespace declarations: local name and unescaped value.
    pub attributes: Vec<(String, String)>,
    /// Child elements and text runs, in order.
    pub children: Vec<Node>,
    /// Offset of the `<` of the start tag.
    pub start: usize,
    /// Offset just after the `>` of the start tag.
    pub content_start: usize,
    /// Offset of the `<` of the end tag (equal to `end` for an empty element).
    pub content_end: usize,
    /// Offset just after the end tag (or the empty element).
    pub end: usize,
    /// Written as `<x/>`.
    pub empty: bool,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Character data (entities resolved, CDATA included).
    Text(String),
}

impl Element {
    /// The value of attribute `name` (unprefixed local name).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements with local name `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first child element with local name `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The concatenated direct text of this element.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                s.push_str(t);
            }
        }
        s
    }

    /// Trimmed text of the child `name`, if the child exists.
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text().trim().to_owned())
    }

    /// All descendant elements, depth first (iterative, so deep trees cannot overflow the stack).
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(e) = stack.pop() {
            out.push(e);
            let mut kids: Vec<&Element> = e.elements().collect();
            kids.reverse();
            stack.extend(kids);
        }
        out
    }
}

struct Open {
    element: Element,
    ns_decls: usize,
    text: String,
}

fn flush_text(open: &mut Open) {
    if !open.text.is_empty() {
        let t = std::mem::take(&mut open.text);
        open.element.children.push(Node::Text(t));
    }
}

fn syntax(offset: u64, e: impl std::fmt::Display) -> XmlError {
    XmlError::Syntax {
        offset,
        message: e.to_string(),
    }
}

fn split_qname(raw: &[u8]) -> Result<(Option<String>, String), XmlError> {
    let s = core::str::from_utf8(raw).map_err(|_| XmlError::NotUtf8)?;
    Ok(match s.split_once(':') {
        Some((p, l)) => (Some(p.to_owned()), l.to_owned()),
        None => (None, s.to_owned()),
    })
}

fn lookup<'a>(scopes: &'a [(Option<String>, String)], prefix: Option<&str>) -> Option<&'a str> {
    scopes
        .iter()
        .rev()
        .find(|(p, _)| p.as_deref() == prefix)
        .map(|(_, uri)| uri.as_str())
        .filter(|uri| !uri.is_empty())
}

fn start_element(
    e: &quick_xml::events::BytesStart<'_>,
    scopes: &mut Vec<(Option<String>, String)>,
    offset: u64,
) -> Result<(Element, usize), XmlError> {
    let (prefix, name) = split_qname(e.name().as_ref())?;
    let mut attributes = Vec::new();
    let mut decls = 0usize;
    for a in e.attributes() {
        let a = a.map_err(|err| syntax(offset, err))?;
        let key = core::str::from_utf8(a.key.as_ref()).map_err(|_| XmlError::NotUtf8)?;
        let value = a
            .unescape_value()
            .map_err(|err| syntax(offset, err))?
            .into_owned();
        if key == "xmlns" {
            scopes.push((None, value));
            decls += 1;
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            scopes.push((Some(p.to_owned()), value));
            decls += 1;
        } else {
            let local = key.split_once(':').map_or(key, |(_, l)| l);
            attributes.push((local.to_owned(), value));
        }
    }
    let namespace = lookup(scopes, prefix.as_deref()).map(str::to_owned);
    Ok((
        Element {
            name,
            prefix,
            namespace,
            attributes,
            children: Vec::new(),
            start: 0,
            content_start: 0,
            content_end: 0,
            end: 0,
            empty: false,
        },
        decls,
    ))
}

fn resolve_ref(r: &quick_xml::events::BytesRef<'_>, offset: u64) -> Result<String, XmlError> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            Ok(None) => Err(syntax(offset, "empty character reference")),
            Err(e) => Err(syntax(offset, e)),
        };
    }
    let name = r.decode().map_err(|_| XmlError::NotUtf8)?;
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| syntax(offset, format!("undefined entity &{name};")))
}

/// Parse `bytes` into a tree.
///
/// # Errors
/// [`XmlError`] when the text is not well-formed UTF-8 XML, has a document type declaration, or
/// exceeds the size, depth or node limits.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Element, XmlError> {
    if bytes.len() as u64 > limits.max_xml_size {
        return Err(XmlError::LimitExceeded {
            limit: Limit::XmlSize,
            max: limits.max_xml_size,
        });
    }
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Open> = Vec::new();
    let mut scopes: Vec<(Option<String>, String)> = Vec::new();
    let mut root: Option<Element> = None;
    let mut nodes = 0usize;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let offset = before as u64;
        let event = reader
            .read_event()
            .map_err(|e| syntax(reader.error_position(), e))?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Decl(d) => {
                if let Some(enc) = d.encoding() {
                    let enc = enc.map_err(|e| syntax(offset, e))?;
                    let enc = enc.as_ref();
                    if !enc.eq_ignore_ascii_case(b"utf-8") && !enc.eq_ignore_ascii_case(b"utf8") {
                        return Err(XmlError::InvalidValue {
                            field: "xml@encoding",
                            value: String::from_utf8_lossy(enc).into_owned(),
                        });
                    }
                }
            }
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::PI(_) | Event::Comment(_) => {}
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if root.is_some() {
                    return Err(syntax(offset, "content after the root element"));
                }
                nodes += 1;
                if nodes > limits.max_xml_nodes {
                    return Err(XmlError::LimitExceeded {
                        limit: Limit::XmlNodes,
                        max: limits.max_xml_nodes as u64,
                    });
                }
                if stack.len() + 1 > limits.max_xml_depth {
                    return Err(XmlError::LimitExceeded {
                        limit: Limit::XmlDepth,
                        max: limits.max_xml_depth as u64,
                    });
                }
                let (mut el, decls) = start_element(e, &mut scopes, offset)?;
                el.start = before;
                el.content_start = after;
                if let Some(parent) = stack.last_mut() {
                    flush_text(parent);
                }
                if empty {
                    el.empty = true;
                    el.content_end = after;
                    el.end = after;
                    scopes.truncate(scopes.len().saturating_sub(decls));
                    match stack.last_mut() {
                        Some(parent) => parent.element.children.push(Node::Element(el)),
                        None => root = Some(el),
                    }
                } else {
                    stack.push(Open {
                        element: el,
                        ns_decls: decls,
                        text: String::new(),
                    });
                }
            }
            Event::End(_) => {
                let Some(mut open) = stack.pop() else {
                    return Err(syntax(offset, "unmatched end tag"));
                };
                flush_text(&mut open);
                scopes.truncate(scopes.len().saturating_sub(open.ns_decls));
                let mut el = open.element;
                el.content_end = before;
                el.end = after;
                match stack.last_mut() {
                    Some(parent) => parent.element.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|_| XmlError::NotUtf8)?;
                match stack.last_mut() {
                    Some(open) => {
                        if open.text.is_empty() {
                            nodes += 1;
                        }
                        open.text.push_str(&s);
                    }
                    None if s.trim().is_empty() => {}
                    None => return Err(syntax(offset, "text outside the root element")),
                }
            }
            Event::CData(t) => {
                let s = core::str::from_utf8(&t).map_err(|_| XmlError::NotUtf8)?;
                match stack.last_mut() {
                    Some(open) => open.text.push_str(s),
                    None => return Err(syntax(offset, "CDATA outside the root element")),
                }
            }
            Event::GeneralRef(r) => {
                let s = resolve_ref(&r, offset)?;
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&s),
                    None => return Err(syntax(offset, "reference outside the root element")),
                }
            }
            Event::Eof => break,
        }
        if nodes > limits.max_xml_nodes {
            return Err(XmlError::LimitExceeded {
                limit: Limit::XmlNodes,
                max: limits.max_xml_nodes as u64,
            });
        }
    }
    if !stack.is_empty() {
        return Err(syntax(
            bytes.len() as u64,
            "unclosed element at end of input",
        ));
    }
    root.ok_or_else(|| syntax(0, "no root element"))
}

/// Parse and check the root's local name.
pub(crate) fn parse_root(
    bytes: &[u8],
    limits: &Limits,
    expected: &'static str,
) -> Result<Element, XmlError> {
    let root = parse(bytes, limits)?;
    if root.name != expected {
        return Err(XmlError::UnexpectedRoot {
            expected,
            found: root.name,
        });
    }
    Ok(root)
}

/// Escape text for element content or a double-quoted attribute value.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `prefix:name` or `name`.
pub(crate) fn qualified(prefix: Option<&str>, name: &str) -> String {
    match prefix {
        Some(p) => format!("{p}:{name}"),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn spans_and_text() {
        let x = br#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:A xmlns:ofd="http://www.ofdspec.org/2016" K="v&amp;w"><ofd:B>x &lt; y&#x4e2d;</ofd:B><ofd:C/></ofd:A>"#;
        let r = parse(x, &Limits::default()).unwrap();
        assert_eq!(r.name, "A");
        assert_eq!(r.namespace.as_deref(), Some(OFD_NAMESPACE));
        assert_eq!(r.attr("K"), Some("v&w"));
        let b = r.child("B").unwrap();
        assert_eq!(b.text(), "x < y中");
        assert_eq!(&x[b.start..b.end], b"<ofd:B>x &lt; y&#x4e2d;</ofd:B>");
        assert_eq!(&x[b.content_start..b.content_end], b"x &lt; y&#x4e2d;");
        let c = r.child("C").unwrap();
        assert!(c.empty);
        assert_eq!(&x[c.start..c.end], b"<ofd:C/>");
        assert_eq!(&x[r.content_end..r.end], b"</ofd:A>");
    }

    #[test]
    fn refusals() {
        let l = Limits::default();
        assert_eq!(
            parse(b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", &l),
            Err(XmlError::Doctype)
        );
        assert!(parse(b"<a>&e;</a>", &l).is_err());
        assert!(parse(b"<a><b></a>", &l).is_err());
        assert!(parse(b"<a/><b/>", &l).is_err());
        assert!(parse(b"<a x='1' x='2'/>", &l).is_err());
        assert!(parse(b"", &l).is_err());
        let deep = "<a>".repeat(300) + &"</a>".repeat(300);
        assert!(matches!(
            parse(deep.as_bytes(), &l),
            Err(XmlError::LimitExceeded {
                limit: Limit::XmlDepth,
                ..
            })
        ));
        assert!(parse(br#"<?xml version="1.0" encoding="GBK"?><a/>"#, &l).is_err());
    }
}
