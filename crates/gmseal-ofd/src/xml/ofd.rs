//! `OFD.xml`, the package entry point (GB/T 33190-2016 §7.4): one `DocBody` per document, each
//! naming its `DocRoot` (Document.xml) and, once signed, its `Signatures` list.

use super::{Element, escape, parse_root, qualified};
use crate::error::XmlError;
use crate::package::Limits;

/// One `DocBody` of OFD.xml.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocBody {
    /// `DocRoot`: location of Document.xml (relative to the package root or absolute).
    pub doc_root: String,
    /// `Signatures`: location of Signatures.xml, when the document has signatures.
    pub signatures: Option<String>,
}

/// The parsed `OFD.xml`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OfdXml {
    /// Namespace of the root element.
    pub namespace: Option<String>,
    /// The documents.
    pub doc_bodies: Vec<DocBody>,
    root: Element,
}

impl OfdXml {
    /// Parse OFD.xml.
    ///
    /// # Errors
    /// [`XmlError`] for malformed XML, a root other than `OFD`, no `DocBody`, a `DocBody`
    /// without `DocRoot`, or two `Signatures` in one `DocBody`.
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Self, XmlError> {
        let root = parse_root(bytes, limits, "OFD")?;
        let mut doc_bodies = Vec::new();
        for body in root.children_named("DocBody") {
            let doc_root = body.child_text("DocRoot").ok_or(XmlError::MissingElement {
                parent: "DocBody",
                element: "DocRoot",
            })?;
            if body.children_named("Signatures").count() > 1 {
                return Err(XmlError::DuplicateElement {
                    element: "Signatures",
                });
            }
            doc_bodies.push(DocBody {
                doc_root,
                signatures: body.child_text("Signatures").filter(|s| !s.is_empty()),
            });
        }
        if doc_bodies.is_empty() {
            return Err(XmlError::MissingElement {
                parent: "OFD",
                element: "DocBody",
            });
        }
        Ok(OfdXml {
            namespace: root.namespace.clone(),
            doc_bodies,
            root,
        })
    }

    /// OFD.xml with `<Signatures>loc</Signatures>` added to DocBody `index`, after `DocRoot`
    /// (or `Versions`), as the schema orders them. Everything else is kept byte for byte.
    pub(crate) fn with_signatures(&self, bytes: &[u8], index: usize, loc: &str) -> Option<Vec<u8>> {
        let body = self.root.children_named("DocBody").nth(index)?;
        let after = body.child("Versions").or_else(|| body.child("DocRoot"))?;
        let tag = qualified(body.prefix.as_deref(), "Signatures");
        let insert = format!("<{tag}>{}</{tag}>", escape(loc));
        let mut out = Vec::with_capacity(bytes.len() + insert.len());
        out.extend_from_slice(bytes.get(..after.end)?);
        out.extend_from_slice(insert.as_bytes());
        out.extend_from_slice(bytes.get(after.end..)?);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn insert_signatures() {
        let x = br#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;
        let o = OfdXml::parse(x, &Limits::default()).unwrap();
        assert_eq!(o.doc_bodies[0].doc_root, "Doc_0/Document.xml");
        assert!(o.doc_bodies[0].signatures.is_none());
        let y = o
            .with_signatures(x, 0, "/Doc_0/Signs/Signatures.xml")
            .unwrap();
        let o2 = OfdXml::parse(&y, &Limits::default()).unwrap();
        assert_eq!(
            o2.doc_bodies[0].signatures.as_deref(),
            Some("/Doc_0/Signs/Signatures.xml")
        );
        let s = String::from_utf8(y).unwrap();
        assert!(s.contains("</ofd:DocRoot><ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>"));
    }
}
