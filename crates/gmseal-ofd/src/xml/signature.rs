//! `Signature.xml`, one signature's description (GB/T 33190-2016 §18.2).
//!
//! ```text
//! Signature  ::= SignedInfo SignedValue(ST_Loc)
//! SignedInfo ::= Provider SignatureMethod? SignatureDateTime? References StampAnnot* Seal?
//!                (OFD 2.0 adds Parameters)
//! Provider   ::= @ProviderName @Version? @Company? @ProtocolVer?
//! References ::= @CheckMethod? Reference+
//! Reference  ::= @FileRef(ST_Loc) CheckValue(base64)
//! StampAnnot ::= @ID @PageRef(page object ID) @Boundary(ST_Box, mm) @Clip?
//! Seal       ::= BaseLoc(ST_Loc of the .esl file)
//! ```
//!
//! The parser accepts the children in any order (ofdrw writes `SignedValue` first and `Seal`
//! before `References`); the signature covers the bytes as stored, so order does not matter to
//! verification. The writer uses the schema order.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::{Element, OFD_NAMESPACE, escape, parse_root};
use crate::error::{Limit, XmlError};
use crate::geometry::Rect;
use crate::package::Limits;

/// How the `Provider` element was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderForm {
    /// Attributes, as the schema says.
    Attributes,
    /// Child elements `ProviderName`, `Version`, `Company` (dms360 iOFD).
    ChildElements,
}

/// `SignedInfo/Provider`: the software that made the signature.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Provider {
    /// `ProviderName` (required by the schema).
    pub provider_name: Option<String>,
    /// `Version`.
    pub version: Option<String>,
    /// `Company`.
    pub company: Option<String>,
    /// `ProtocolVer` (OFD 2.0).
    pub protocol_ver: Option<String>,
    /// How it was written (`None` for a provider the writer builds).
    pub form: Option<ProviderForm>,
}

impl Provider {
    /// A provider with a name, version and company.
    pub fn new(name: &str, version: &str, company: &str) -> Self {
        Provider {
            provider_name: Some(name.to_owned()),
            version: Some(version.to_owned()),
            company: Some(company.to_owned()),
            protocol_ver: None,
            form: None,
        }
    }
}

/// `References/Reference`: one protected file and its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reference {
    /// `FileRef` as written.
    pub file_ref: String,
    /// `CheckValue`, base64-decoded.
    pub check_value: Vec<u8>,
}

/// `References`: the protected files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct References {
    /// `CheckMethod` as written.
    pub check_method: Option<String>,
    /// The references, in order.
    pub references: Vec<Reference>,
}

/// `StampAnnot`: where the seal appears.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StampAnnot {
    /// `ID`.
    pub id: String,
    /// `PageRef`: the ID of the page object (from Document.xml), not an index.
    pub page_ref: String,
    /// `Boundary` in mm, page coordinates.
    pub boundary: Rect,
    /// `Clip` in mm, relative to the boundary.
    pub clip: Option<Rect>,
}

/// The parsed `Signature.xml`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SignatureXml {
    /// Namespace of the root element.
    pub namespace: Option<String>,
    /// `SignedInfo/Provider`.
    pub provider: Provider,
    /// `SignedInfo/SignatureMethod`.
    pub signature_method: Option<String>,
    /// `SignedInfo/SignatureDateTime`, as written.
    pub signature_date_time: Option<String>,
    /// `SignedInfo/References`.
    pub references: References,
    /// `SignedInfo/StampAnnot`.
    pub stamp_annots: Vec<StampAnnot>,
    /// `SignedInfo/Seal/BaseLoc`.
    pub seal: Option<String>,
    /// `SignedValue`: location of the signature value file.
    pub signed_value: String,
}

fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    B64.decode(compact.as_bytes()).ok()
}

fn parse_provider(p: &Element) -> Provider {
    let attrs = p.attr("ProviderName").is_some();
    let from = |name: &str| -> Option<String> {
        p.attr(name)
            .map(str::to_owned)
            .or_else(|| p.child_text(name))
    };
    let children = p.child("ProviderName").is_some();
    Provider {
        provider_name: from("ProviderName"),
        version: from("Version"),
        company: from("Company"),
        protocol_ver: from("ProtocolVer"),
        form: if attrs {
            Some(ProviderForm::Attributes)
        } else if children {
            Some(ProviderForm::ChildElements)
        } else {
            None
        },
    }
}

fn parse_stamp(s: &Element) -> Result<StampAnnot, XmlError> {
    let req = |a: &'static str| {
        s.attr(a).ok_or(XmlError::MissingAttribute {
            element: "StampAnnot",
            attribute: a,
        })
    };
    let id = req("ID")?.trim().to_owned();
    let page_ref = req("PageRef")?.trim().to_owned();
    let b = req("Boundary")?;
    let boundary = Rect::parse(b).ok_or_else(|| XmlError::InvalidValue {
        field: "StampAnnot@Boundary",
        value: b.to_owned(),
    })?;
    let clip = match s.attr("Clip") {
        None => None,
        Some(c) => Some(Rect::parse(c).ok_or_else(|| XmlError::InvalidValue {
            field: "StampAnnot@Clip",
            value: c.to_owned(),
        })?),
    };
    Ok(StampAnnot {
        id,
        page_ref,
        boundary,
        clip,
    })
}

impl SignatureXml {
    /// Parse Signature.xml.
    ///
    /// # Errors
    /// [`XmlError`] for malformed XML, a root other than `Signature`, a missing `SignedInfo`,
    /// `Provider`, `References` or `SignedValue`, a `Reference` without `FileRef` or
    /// `CheckValue`, a `CheckValue` that is not base64, a `StampAnnot` without `ID`, `PageRef`
    /// or a valid `Boundary`, or more references than [`Limits::max_references`].
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Self, XmlError> {
        let root = parse_root(bytes, limits, "Signature")?;
        let info = root.child("SignedInfo").ok_or(XmlError::MissingElement {
            parent: "Signature",
            element: "SignedInfo",
        })?;
        let once = |e: &Element, name: &'static str| -> Result<(), XmlError> {
            if e.children_named(name).count() > 1 {
                return Err(XmlError::DuplicateElement { element: name });
            }
            Ok(())
        };
        once(&root, "SignedInfo")?;
        once(&root, "SignedValue")?;
        for n in [
            "Provider",
            "SignatureMethod",
            "SignatureDateTime",
            "References",
            "Seal",
        ] {
            once(info, n)?;
        }
        let provider =
            info.child("Provider")
                .map(parse_provider)
                .ok_or(XmlError::MissingElement {
                    parent: "SignedInfo",
                    element: "Provider",
                })?;
        let refs_el = info.child("References").ok_or(XmlError::MissingElement {
            parent: "SignedInfo",
            element: "References",
        })?;
        let mut references = References {
            check_method: refs_el.attr("CheckMethod").map(|m| m.trim().to_owned()),
            references: Vec::new(),
        };
        for r in refs_el.children_named("Reference") {
            if references.references.len() >= limits.max_references {
                return Err(XmlError::LimitExceeded {
                    limit: Limit::References,
                    max: limits.max_references as u64,
                });
            }
            let file_ref = r.attr("FileRef").ok_or(XmlError::MissingAttribute {
                element: "Reference",
                attribute: "FileRef",
            })?;
            let cv = r.child_text("CheckValue").ok_or(XmlError::MissingElement {
                parent: "Reference",
                element: "CheckValue",
            })?;
            let check_value = b64_decode(&cv).ok_or_else(|| XmlError::InvalidValue {
                field: "CheckValue",
                value: cv.chars().take(120).collect(),
            })?;
            references.references.push(Reference {
                file_ref: file_ref.trim().to_owned(),
                check_value,
            });
        }
        let mut stamp_annots = Vec::new();
        for s in info.children_named("StampAnnot") {
            stamp_annots.push(parse_stamp(s)?);
        }
        let seal = match info.child("Seal") {
            None => None,
            Some(s) => Some(s.child_text("BaseLoc").ok_or(XmlError::MissingElement {
                parent: "Seal",
                element: "BaseLoc",
            })?),
        };
        let signed_value = root
            .child_text("SignedValue")
            .filter(|s| !s.is_empty())
            .ok_or(XmlError::MissingElement {
                parent: "Signature",
                element: "SignedValue",
            })?;
        Ok(SignatureXml {
            namespace: root.namespace.clone(),
            provider,
            signature_method: info.child_text("SignatureMethod"),
            signature_date_time: info.child_text("SignatureDateTime"),
            references,
            stamp_annots,
            seal,
            signed_value,
        })
    }

    /// Serialise in schema order, with the `ofd` prefix and the GB/T 33190 namespace. Every
    /// location should be absolute.
    pub fn to_xml(&self) -> Vec<u8> {
        let mut s = String::with_capacity(256 + 120 * self.references.references.len());
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str(&format!(
            "<ofd:Signature xmlns:ofd=\"{OFD_NAMESPACE}\"><ofd:SignedInfo><ofd:Provider"
        ));
        let p = &self.provider;
        for (name, v) in [
            ("ProviderName", &p.provider_name),
            ("Version", &p.version),
            ("Company", &p.company),
            ("ProtocolVer", &p.protocol_ver),
        ] {
            if let Some(v) = v {
                s.push_str(&format!(" {name}=\"{}\"", escape(v)));
            }
        }
        s.push_str("/>");
        if let Some(m) = &self.signature_method {
            s.push_str(&format!(
                "<ofd:SignatureMethod>{}</ofd:SignatureMethod>",
                escape(m)
            ));
        }
        if let Some(t) = &self.signature_date_time {
            s.push_str(&format!(
                "<ofd:SignatureDateTime>{}</ofd:SignatureDateTime>",
                escape(t)
            ));
        }
        s.push_str("<ofd:References");
        if let Some(m) = &self.references.check_method {
            s.push_str(&format!(" CheckMethod=\"{}\"", escape(m)));
        }
        s.push('>');
        for r in &self.references.references {
            s.push_str(&format!(
                "<ofd:Reference FileRef=\"{}\"><ofd:CheckValue>{}</ofd:CheckValue></ofd:Reference>",
                escape(&r.file_ref),
                B64.encode(&r.check_value)
            ));
        }
        s.push_str("</ofd:References>");
        for a in &self.stamp_annots {
            s.push_str(&format!(
                "<ofd:StampAnnot ID=\"{}\" PageRef=\"{}\" Boundary=\"{}\"",
                escape(&a.id),
                escape(&a.page_ref),
                a.boundary
            ));
            if let Some(c) = &a.clip {
                s.push_str(&format!(" Clip=\"{c}\""));
            }
            s.push_str("/>");
        }
        if let Some(seal) = &self.seal {
            s.push_str(&format!(
                "<ofd:Seal><ofd:BaseLoc>{}</ofd:BaseLoc></ofd:Seal>",
                escape(seal)
            ));
        }
        s.push_str(&format!(
            "</ofd:SignedInfo><ofd:SignedValue>{}</ofd:SignedValue></ofd:Signature>",
            escape(&self.signed_value)
        ));
        s.into_bytes()
    }

    /// A signature description for the writer.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        provider: Provider,
        signature_method: Option<String>,
        signature_date_time: Option<String>,
        check_method: Option<String>,
        references: Vec<(String, Vec<u8>)>,
        stamp_annots: Vec<StampAnnot>,
        seal: Option<String>,
        signed_value: String,
    ) -> Self {
        SignatureXml {
            namespace: Some(OFD_NAMESPACE.to_owned()),
            provider,
            signature_method,
            signature_date_time,
            references: References {
                check_method,
                references: references
                    .into_iter()
                    .map(|(file_ref, check_value)| Reference {
                        file_ref,
                        check_value,
                    })
                    .collect(),
            },
            stamp_annots,
            seal,
            signed_value,
        }
    }
}

impl StampAnnot {
    /// A stamp appearance.
    pub fn new(id: String, page_ref: String, boundary: Rect, clip: Option<Rect>) -> Self {
        StampAnnot {
            id,
            page_ref,
            boundary,
            clip,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trip() {
        let sig = SignatureXml::new(
            Provider::new("gmseal-ofd", "0.1.0", "gmseal & co"),
            Some("1.2.156.10197.1.501".into()),
            Some("2026-11-25T10:00:00Z".into()),
            Some("1.2.156.10197.1.401".into()),
            vec![
                ("/OFD.xml".into(), vec![1; 32]),
                ("/Doc_0/Document.xml".into(), vec![2; 32]),
            ],
            vec![StampAnnot::new(
                "s002".into(),
                "1".into(),
                Rect::new(202.0, 40.0, 40.0, 40.0),
                Some(Rect::new(0.0, 0.0, 8.0, 40.0)),
            )],
            Some("/Doc_0/Signs/Sign_0/Seal.esl".into()),
            "/Doc_0/Signs/Sign_0/SignedValue.dat".into(),
        );
        let x = sig.to_xml();
        let back = SignatureXml::parse(&x, &Limits::default()).unwrap();
        let mut expected = sig.clone();
        expected.provider.form = Some(ProviderForm::Attributes);
        assert_eq!(back, expected);
    }

    #[test]
    fn dms360_provider_and_order() {
        let x = r#"<ofd:Signature xmlns:ofd="http://www.ofdspec.org/2016"><ofd:SignedInfo><ofd:Provider><ofd:ProviderName>iOFD</ofd:ProviderName><ofd:Version>2.1.1</ofd:Version></ofd:Provider><ofd:References CheckMethod="1.2.156.10197.1.401.2"><ofd:Reference FileRef="/a"><ofd:CheckValue>
        AAEC
        </ofd:CheckValue></ofd:Reference></ofd:References></ofd:SignedInfo><ofd:SignedValue>/v.dat</ofd:SignedValue></ofd:Signature>"#;
        let s = SignatureXml::parse(x.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(s.provider.form, Some(ProviderForm::ChildElements));
        assert_eq!(s.provider.provider_name.as_deref(), Some("iOFD"));
        assert_eq!(s.references.references[0].check_value, [0, 1, 2]);
    }

    #[test]
    fn refusals() {
        let l = Limits::default();
        for x in [
            "<Signature><SignedValue>/a</SignedValue></Signature>",
            "<Signature><SignedInfo><Provider ProviderName='x'/><References/></SignedInfo></Signature>",
            "<Signature><SignedInfo><Provider ProviderName='x'/><References><Reference><CheckValue>AA==</CheckValue></Reference></References></SignedInfo><SignedValue>/a</SignedValue></Signature>",
            "<Signature><SignedInfo><Provider ProviderName='x'/><References><Reference FileRef='/a'><CheckValue>!!</CheckValue></Reference></References></SignedInfo><SignedValue>/a</SignedValue></Signature>",
            "<Signature><SignedInfo><Provider ProviderName='x'/><References/><StampAnnot ID='1' PageRef='1' Boundary='1 2 3'/></SignedInfo><SignedValue>/a</SignedValue></Signature>",
        ] {
            assert!(SignatureXml::parse(x.as_bytes(), &l).is_err(), "{x}");
        }
    }
}
