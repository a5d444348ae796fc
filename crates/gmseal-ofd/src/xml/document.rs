//! `Document.xml` (GB/T 33190-2016 §7.5): the page list and the default page area.

use super::{Element, parse_root};
use crate::error::{Limit, XmlError};
use crate::geometry::Rect;
use crate::package::Limits;

/// One `Pages/Page` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageEntry {
    /// `ID`: the page object's ID, which `StampAnnot/@PageRef` names.
    pub id: String,
    /// `BaseLoc`: location of the page's Content.xml, relative to Document.xml.
    pub base_loc: String,
}

/// The parsed `Document.xml`, as far as signing needs it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DocumentXml {
    /// Pages in document order.
    pub pages: Vec<PageEntry>,
    /// `CommonData/PageArea/PhysicalBox`: the default page size.
    pub physical_box: Option<Rect>,
}

/// The `PhysicalBox` of a `PageArea` element, if present and well-formed.
pub(crate) fn physical_box(area: Option<&Element>) -> Option<Rect> {
    area.and_then(|a| a.child_text("PhysicalBox"))
        .and_then(|t| Rect::parse(&t))
}

impl DocumentXml {
    /// Parse Document.xml.
    ///
    /// # Errors
    /// [`XmlError`] for malformed XML, a root other than `Document`, a `Page` without `ID` or
    /// `BaseLoc`, or more pages than [`Limits::max_pages`].
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Self, XmlError> {
        let root = parse_root(bytes, limits, "Document")?;
        let mut pages = Vec::new();
        if let Some(list) = root.child("Pages") {
            for p in list.children_named("Page") {
                if pages.len() >= limits.max_pages {
                    return Err(XmlError::LimitExceeded {
                        limit: Limit::Pages,
                        max: limits.max_pages as u64,
                    });
                }
                let id = p.attr("ID").ok_or(XmlError::MissingAttribute {
                    element: "Page",
                    attribute: "ID",
                })?;
                let base_loc = p.attr("BaseLoc").ok_or(XmlError::MissingAttribute {
                    element: "Page",
                    attribute: "BaseLoc",
                })?;
                pages.push(PageEntry {
                    id: id.trim().to_owned(),
                    base_loc: base_loc.trim().to_owned(),
                });
            }
        }
        let physical_box = physical_box(root.child("CommonData").and_then(|c| c.child("PageArea")));
        Ok(DocumentXml {
            pages,
            physical_box,
        })
    }

    /// Index of the page whose ID is `id`.
    pub fn page_index(&self, id: &str) -> Option<usize> {
        self.pages.iter().position(|p| p.id == id.trim())
    }
}
