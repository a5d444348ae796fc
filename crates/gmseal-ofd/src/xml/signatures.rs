//! `Signatures.xml`, the signature list of a document (GB/T 33190-2016 §18.1).
//!
//! ```text
//! Signatures ::= MaxSignId? Signature*
//! Signature  ::= @ID @Type(Seal|Sign, default Seal) @BaseLoc @Relative(OFD 2.0)
//! ```
//!
//! Real files put `MaxSignId` before or after the entries, and ofdrw appends a second
//! `MaxSignId` when it adds a signature to a list that has one (`h.ofd`). The signer edits an
//! existing list textually: it inserts the new entry before the closing tag and rewrites the text
//! of every `MaxSignId`, leaving every other byte as it was.

use core::fmt;

use super::{Element, OFD_NAMESPACE, escape, parse_root, qualified};
use crate::error::{Limit, XmlError};
use crate::package::Limits;

/// `Signature/@Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureType {
    /// An electronic seal (`Seal`, the default): SignedValue.dat is an SES_Signature.
    #[default]
    Seal,
    /// A plain digital signature (`Sign`): SignedValue.dat is CMS SignedData or a bare SM2
    /// signature.
    Sign,
}

impl SignatureType {
    /// The attribute value.
    pub fn as_str(&self) -> &'static str {
        match self {
            SignatureType::Seal => "Seal",
            SignatureType::Sign => "Sign",
        }
    }
}

impl fmt::Display for SignatureType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `Signature` entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignatureEntry {
    /// `ID`.
    pub id: String,
    /// `Type` (the default `Seal` when absent).
    pub kind: SignatureType,
    /// `Type` exactly as written, when present.
    pub type_attr: Option<String>,
    /// `BaseLoc`: location of this signature's Signature.xml.
    pub base_loc: String,
    /// `Relative` (OFD 2.0): ID of the signature this one depends on.
    pub relative: Option<String>,
}

/// The parsed `Signatures.xml`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignaturesXml {
    /// Namespace of the root element.
    pub namespace: Option<String>,
    /// Text of every `MaxSignId` element, in document order.
    pub max_sign_ids: Vec<String>,
    /// The entries, in document order.
    pub entries: Vec<SignatureEntry>,
    root: Element,
}

impl SignaturesXml {
    /// Parse Signatures.xml.
    ///
    /// # Errors
    /// [`XmlError`] for malformed XML, a root other than `Signatures`, an entry without `ID` or
    /// `BaseLoc`, a `Type` other than Seal/Sign (any case), or more than
    /// [`Limits::max_signatures`] entries.
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Self, XmlError> {
        let root = parse_root(bytes, limits, "Signatures")?;
        let mut entries = Vec::new();
        let mut max_sign_ids = Vec::new();
        for e in root.elements() {
            match e.name.as_str() {
                "MaxSignId" => max_sign_ids.push(e.text().trim().to_owned()),
                "Signature" => {
                    if entries.len() >= limits.max_signatures {
                        return Err(XmlError::LimitExceeded {
                            limit: Limit::Signatures,
                            max: limits.max_signatures as u64,
                        });
                    }
                    let id = e.attr("ID").ok_or(XmlError::MissingAttribute {
                        element: "Signature",
                        attribute: "ID",
                    })?;
                    let base_loc = e.attr("BaseLoc").ok_or(XmlError::MissingAttribute {
                        element: "Signature",
                        attribute: "BaseLoc",
                    })?;
                    let type_attr = e.attr("Type").map(|t| t.trim().to_owned());
                    let kind = match type_attr.as_deref() {
                        None => SignatureType::Seal,
                        Some(t) if t.eq_ignore_ascii_case("Seal") => SignatureType::Seal,
                        Some(t) if t.eq_ignore_ascii_case("Sign") => SignatureType::Sign,
                        Some(t) => {
                            return Err(XmlError::InvalidValue {
                                field: "Signature@Type",
                                value: t.to_owned(),
                            });
                        }
                    };
                    entries.push(SignatureEntry {
                        id: id.trim().to_owned(),
                        kind,
                        type_attr,
                        base_loc: base_loc.trim().to_owned(),
                        relative: e.attr("Relative").map(|r| r.trim().to_owned()),
                    });
                }
                _ => {}
            }
        }
        Ok(SignaturesXml {
            namespace: root.namespace.clone(),
            max_sign_ids,
            entries,
            root,
        })
    }

    /// The effective `MaxSignId`: the last one written.
    pub fn max_sign_id(&self) -> Option<&str> {
        self.max_sign_ids.last().map(String::as_str)
    }

    /// This list with `entry` appended and every `MaxSignId` set to `max_sign_id` (one is
    /// inserted first in the list when there is none). All other bytes are kept.
    pub(crate) fn extended(
        &self,
        bytes: &[u8],
        entry: &SignatureEntry,
        max_sign_id: &str,
    ) -> Option<Vec<u8>> {
        let prefix = self.root.prefix.as_deref();
        let new_entry = entry_xml(prefix, entry);
        let max_tag = qualified(prefix, "MaxSignId");
        let new_max = format!("<{max_tag}>{}</{max_tag}>", escape(max_sign_id));
        // Edits as (start, end, replacement), applied in order of position.
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for m in self.root.children_named("MaxSignId") {
            edits.push((m.start, m.end, new_max.clone()));
        }
        let root_tag = qualified(prefix, "Signatures");
        if self.root.empty {
            // `<Signatures .../>`: reopen it.
            let start_tag = bytes.get(self.root.start..self.root.end)?;
            let start_tag = start_tag.strip_suffix(b"/>")?;
            let mut text = String::from_utf8(start_tag.to_vec()).ok()?;
            text = text.trim_end().to_owned();
            text.push('>');
            text.push_str(&new_max);
            text.push_str(&new_entry);
            text.push_str(&format!("</{root_tag}>"));
            edits.push((self.root.start, self.root.end, text));
        } else {
            let mut insert = String::new();
            if self.max_sign_ids.is_empty() {
                edits.push((self.root.content_start, self.root.content_start, new_max));
            }
            insert.push_str(&new_entry);
            edits.push((self.root.content_end, self.root.content_end, insert));
        }
        edits.sort_by_key(|(s, e, _)| (*s, *e));
        let mut out = Vec::with_capacity(bytes.len() + 256);
        let mut at = 0usize;
        for (s, e, text) in edits {
            out.extend_from_slice(bytes.get(at..s)?);
            out.extend_from_slice(text.as_bytes());
            at = e;
        }
        out.extend_from_slice(bytes.get(at..)?);
        Some(out)
    }
}

fn entry_xml(prefix: Option<&str>, e: &SignatureEntry) -> String {
    let tag = qualified(prefix, "Signature");
    let mut s = format!(
        "<{tag} ID=\"{}\" Type=\"{}\" BaseLoc=\"{}\"",
        escape(&e.id),
        e.kind.as_str(),
        escape(&e.base_loc)
    );
    if let Some(r) = &e.relative {
        s.push_str(&format!(" Relative=\"{}\"", escape(r)));
    }
    s.push_str("/>");
    s
}

/// A new Signatures.xml holding one entry.
pub(crate) fn new_signatures_xml(entry: &SignatureEntry, max_sign_id: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signatures xmlns:ofd=\"{OFD_NAMESPACE}\"><ofd:MaxSignId>{}</ofd:MaxSignId>{}</ofd:Signatures>",
        escape(max_sign_id),
        entry_xml(Some("ofd"), entry)
    )
    .into_bytes()
}

impl SignatureEntry {
    /// A new entry.
    pub(crate) fn new(id: String, kind: SignatureType, base_loc: String) -> Self {
        SignatureEntry {
            id,
            kind,
            type_attr: Some(kind.as_str().to_owned()),
            base_loc,
            relative: None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn entry() -> SignatureEntry {
        SignatureEntry::new(
            "s009".into(),
            SignatureType::Seal,
            "/Doc_0/Signs/Sign_2/Signature.xml".into(),
        )
    }

    #[test]
    fn extend_keeps_bytes() {
        let x = br#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="s001" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/><ofd:MaxSignId>s006</ofd:MaxSignId><ofd:Signature ID="s007" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_1/Signature.xml"/><ofd:MaxSignId>s008</ofd:MaxSignId></ofd:Signatures>"#;
        let s = SignaturesXml::parse(x, &Limits::default()).unwrap();
        assert_eq!(s.max_sign_ids, ["s006", "s008"]);
        assert_eq!(s.max_sign_id(), Some("s008"));
        let y = s.extended(x, &entry(), "s010").unwrap();
        let t = SignaturesXml::parse(&y, &Limits::default()).unwrap();
        assert_eq!(t.entries.len(), 3);
        assert_eq!(t.max_sign_ids, ["s010", "s010"]);
        assert_eq!(t.entries[..2], s.entries[..]);
        let y = String::from_utf8(y).unwrap();
        assert!(y.ends_with(r#"<ofd:Signature ID="s009" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_2/Signature.xml"/></ofd:Signatures>"#));
    }

    #[test]
    fn extend_without_max_and_empty_root() {
        let x = br#"<Signatures xmlns="http://www.ofdspec.org/2016"><Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></Signatures>"#;
        let s = SignaturesXml::parse(x, &Limits::default()).unwrap();
        assert_eq!(s.entries[0].kind, SignatureType::Seal);
        assert!(s.entries[0].type_attr.is_none());
        let y = s.extended(x, &entry(), "2").unwrap();
        let t = SignaturesXml::parse(&y, &Limits::default()).unwrap();
        assert_eq!(t.max_sign_ids, ["2"]);
        assert_eq!(t.entries.len(), 2);

        let x = br#"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016" />"#;
        let s = SignaturesXml::parse(x, &Limits::default()).unwrap();
        let y = s.extended(x, &entry(), "s009").unwrap();
        let t = SignaturesXml::parse(&y, &Limits::default()).unwrap();
        assert_eq!(t.entries.len(), 1);
        assert_eq!(t.max_sign_id(), Some("s009"));
    }

    #[test]
    fn bad_type() {
        let x = br#"<Signatures><Signature ID="1" Type="Stamp" BaseLoc="a"/></Signatures>"#;
        assert!(SignaturesXml::parse(x, &Limits::default()).is_err());
    }
}
