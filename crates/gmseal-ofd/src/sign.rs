//! Adding a signature to an OFD package (GB/T 33190-2016 §18).
//!
//! The signer never changes an existing file, with the two exceptions the format requires:
//! OFD.xml gains a `Signatures` element when the document had no signature (a textual insertion),
//! and an existing Signatures.xml gains the new entry and the new `MaxSignId` (a textual
//! insertion, every other byte kept). Every other entry of the zip is copied raw, compressed
//! bytes and CRC unchanged. It then writes, under `<Signs>/Sign_N/`:
//!
//! * `Seal.esl` when the signed-value signer has a seal file (Type="Seal");
//! * `Signature.xml`: Provider, SignatureMethod, SignatureDateTime, References with one
//!   Reference per file of the package (SM3, base64), the StampAnnots, and Seal/BaseLoc;
//! * `SignedValue.dat`: what the [`SignedValueSigner`] makes of the Signature.xml bytes.
//!
//! The protected files are what ofdrw protects: every file of the signed package except this
//! signature's own Signature.xml and SignedValue.dat, so OFD.xml, the seal file and every earlier
//! signature's files are covered. In [`ProtectMode::Continue`] (the default) Signatures.xml is
//! left out so that later signatures can be added; [`ProtectMode::WholeProtected`] includes it
//! and locks the document: signing it again is refused with [`SignError::DocumentLocked`].

pub mod placement;

use std::collections::HashMap;
use std::time::SystemTime;

use crate::digest::CheckMethodStyle;
use crate::error::{Error, SignError};
use crate::geometry::Rect;
use crate::package::writer::{NewFile, rewrite};
use crate::package::{Compression, Limits, Package};
use crate::path::{LocForm, PackagePath, resolve};
use crate::signed_value::{SignInput, SignedValueSigner};
use crate::xml::document::DocumentXml;
use crate::xml::ofd::OfdXml;
use crate::xml::page::PageXml;
use crate::xml::signature::{Provider, SignatureXml, StampAnnot};
use crate::xml::signatures::{SignatureEntry, SignatureType, SignaturesXml, new_signatures_xml};
use placement::{Occurrence, Stamp, check_size, riding_slice};

/// Whether the new signature protects Signatures.xml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ProtectMode {
    /// Leave Signatures.xml out of the references so further signatures can be added (ofdrw
    /// `ContinueSign`). The verifier checks the list's consistency instead.
    #[default]
    Continue,
    /// Protect Signatures.xml too; no signature can be added afterwards (ofdrw
    /// `WholeProtected`).
    WholeProtected,
}

/// Options of one signing operation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SignOptions {
    /// Which document (`DocBody`) to sign; 0 by default.
    pub document: usize,
    /// Whether Signatures.xml is protected.
    pub protect: ProtectMode,
    /// How `CheckMethod` is written.
    pub check_method: CheckMethodStyle,
    /// `Provider`.
    pub provider: Provider,
    /// `SignatureDateTime`; `None` writes the signing time as `YYYY-MM-DDThh:mm:ssZ`.
    pub signature_date_time: Option<String>,
    /// The signing time handed to the signed-value signer; `None` is now.
    pub time: Option<SystemTime>,
    /// The seal appearances.
    pub stamps: Vec<Stamp>,
    /// Limits for reading the package.
    pub limits: Limits,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            document: 0,
            protect: ProtectMode::Continue,
            check_method: CheckMethodStyle::Oid,
            provider: Provider::new("gmseal-ofd", env!("CARGO_PKG_VERSION"), "gmseal"),
            signature_date_time: None,
            time: None,
            stamps: Vec::new(),
            limits: Limits::default(),
        }
    }
}

impl SignOptions {
    /// Add a stamp.
    #[must_use]
    pub fn stamp(mut self, s: Stamp) -> Self {
        self.stamps.push(s);
        self
    }

    /// Sign document `index`.
    #[must_use]
    pub fn document(mut self, index: usize) -> Self {
        self.document = index;
        self
    }

    /// Protect Signatures.xml (no further signature possible).
    #[must_use]
    pub fn whole_protected(mut self) -> Self {
        self.protect = ProtectMode::WholeProtected;
        self
    }

    /// How `CheckMethod` is written.
    #[must_use]
    pub fn check_method(mut self, style: CheckMethodStyle) -> Self {
        self.check_method = style;
        self
    }

    /// The `Provider`.
    #[must_use]
    pub fn provider(mut self, p: Provider) -> Self {
        self.provider = p;
        self
    }

    /// The signing time (and `SignatureDateTime` unless set separately).
    #[must_use]
    pub fn time(mut self, t: SystemTime) -> Self {
        self.time = Some(t);
        self
    }

    /// `SignatureDateTime` as written.
    #[must_use]
    pub fn signature_date_time(mut self, s: &str) -> Self {
        self.signature_date_time = Some(s.to_owned());
        self
    }
}

/// The result of signing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Signed {
    /// The signed package.
    pub package: Vec<u8>,
    /// The new signature's ID.
    pub signature_id: String,
    /// Its Signature.xml.
    pub signature_file: PackagePath,
    /// Its stamps.
    pub stamps: Vec<StampAnnot>,
    /// The files it protects, in reference order.
    pub protected: Vec<PackagePath>,
}

/// Adds signatures to OFD packages.
pub struct Signer<'a> {
    value: &'a dyn SignedValueSigner,
}

impl core::fmt::Debug for Signer<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signer")
            .field("kind", &self.value.kind())
            .finish_non_exhaustive()
    }
}

/// An ID style learnt from existing IDs: prefix and zero-padded width.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IdStyle {
    prefix: String,
    width: usize,
}

fn split_id(id: &str) -> Option<(&str, u64, usize)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let (p, n) = id.split_at(id.len() - digits);
    Some((p, n.parse().ok()?, digits))
}

impl IdStyle {
    fn format(&self, n: u64) -> String {
        format!("{}{:0width$}", self.prefix, n, width = self.width)
    }
}

fn page_size(
    package: &Package,
    doc_dir: &PackagePath,
    document: &DocumentXml,
    index: usize,
    limits: &Limits,
) -> Rect {
    // GB/T 33190 requires CommonData/PageArea; A4 is the fallback for documents that lack it.
    page_box(package, doc_dir, document, index, limits).unwrap_or(Rect::new(0.0, 0.0, 210.0, 297.0))
}

/// The page's own PhysicalBox, else the document's (what the verifier checks stamps against).
fn page_box(
    package: &Package,
    doc_dir: &PackagePath,
    document: &DocumentXml,
    index: usize,
    limits: &Limits,
) -> Option<Rect> {
    let own = document
        .pages
        .get(index)
        .and_then(|p| resolve(doc_dir, &p.base_loc).ok())
        .and_then(|r| package.read_xml(r.path.as_str()).ok())
        .and_then(|b| PageXml::parse(&b, limits).ok())
        .and_then(|p| p.physical_box);
    own.or(document.physical_box)
}

impl<'a> Signer<'a> {
    /// A signer whose signature values come from `value`.
    pub fn new(value: &'a dyn SignedValueSigner) -> Self {
        Signer { value }
    }

    /// Open `bytes` and sign.
    ///
    /// # Errors
    /// As [`Package::from_bytes`] and [`sign_package`](Self::sign_package).
    pub fn sign(&self, bytes: &[u8], options: &SignOptions) -> Result<Signed, Error> {
        let package = Package::from_bytes_with_limits(bytes.to_vec(), options.limits)?;
        self.sign_package(&package, options)
    }

    /// Add one signature to `package`.
    ///
    /// # Errors
    /// [`Error::Xml`] / [`Error::MissingFile`] for a broken package structure,
    /// [`SignError`] for impossible requests (locked document, no such page, keyword not found,
    /// a seal with no stamp), [`Error::SignedValue`] when the signer fails.
    pub fn sign_package(&self, package: &Package, options: &SignOptions) -> Result<Signed, Error> {
        let limits = &options.limits;
        let xml_err = |file: &str, error| Error::Xml {
            file: format!("/{file}"),
            error,
        };
        let ofd_bytes = package.read_xml("OFD.xml")?;
        let ofd = OfdXml::parse(&ofd_bytes, limits).map_err(|e| xml_err("OFD.xml", e))?;
        let body = ofd
            .doc_bodies
            .get(options.document)
            .ok_or(SignError::NoSuchDocument {
                index: options.document,
                count: ofd.doc_bodies.len(),
            })?;
        let root = PackagePath::root();
        let loc_err = |loc: &str, reason| Error::Location {
            loc: loc.to_owned(),
            in_file: "/OFD.xml".into(),
            reason,
        };
        let doc_path = resolve(&root, &body.doc_root)
            .map_err(|r| loc_err(&body.doc_root, r))?
            .path;
        if !package.contains(doc_path.as_str()) {
            return Err(Error::MissingFile {
                path: doc_path.as_str().to_owned(),
                referenced_from: "/OFD.xml".into(),
            });
        }
        let doc_bytes = package.read_xml(doc_path.as_str())?;
        let document =
            DocumentXml::parse(&doc_bytes, limits).map_err(|e| xml_err(doc_path.as_str(), e))?;
        let doc_dir = doc_path.parent();

        // The signature list: existing (extended) or new (and OFD.xml gains a pointer to it).
        let mut replace: HashMap<String, Vec<u8>> = HashMap::new();
        let (list_path, existing) = match &body.signatures {
            Some(loc) => {
                let p = resolve(&root, loc).map_err(|r| loc_err(loc, r))?.path;
                if !package.contains(p.as_str()) {
                    return Err(Error::MissingFile {
                        path: p.as_str().to_owned(),
                        referenced_from: "/OFD.xml".into(),
                    });
                }
                let bytes = package.read_xml(p.as_str())?;
                let parsed =
                    SignaturesXml::parse(&bytes, limits).map_err(|e| xml_err(p.as_str(), e))?;
                (p, Some((bytes, parsed)))
            }
            None => {
                let p = PackagePath::new(&format!("{}Signs/Signatures.xml", doc_dir.as_str()))
                    .map_err(|r| loc_err("Signs/Signatures.xml", r))?;
                if package.contains(p.as_str()) {
                    return Err(Error::Xml {
                        file: "/OFD.xml".into(),
                        error: crate::error::XmlError::MissingElement {
                            parent: "DocBody",
                            element: "Signatures",
                        },
                    });
                }
                let new_ofd = ofd
                    .with_signatures(&ofd_bytes, options.document, &p.to_loc())
                    .ok_or(Error::Xml {
                        file: "/OFD.xml".into(),
                        error: crate::error::XmlError::MissingElement {
                            parent: "DocBody",
                            element: "DocRoot",
                        },
                    })?;
                replace.insert("OFD.xml".to_owned(), new_ofd);
                (p, None)
            }
        };
        let list_dir = list_path.parent();

        // Existing IDs (signatures, stamps, MaxSignId) and the lock.
        let mut ids: Vec<String> = Vec::new();
        if let Some((_, list)) = &existing {
            ids.extend(list.max_sign_ids.iter().cloned());
            for e in &list.entries {
                ids.push(e.id.clone());
                let Ok(r) = resolve(&list_dir, &e.base_loc) else {
                    continue;
                };
                let Ok(bytes) = package.read_xml(r.path.as_str()) else {
                    continue;
                };
                let Ok(sig) = SignatureXml::parse(&bytes, limits) else {
                    continue;
                };
                ids.extend(sig.stamp_annots.iter().map(|a| a.id.clone()));
                for reference in &sig.references.references {
                    if resolve(&root, &reference.file_ref).is_ok_and(|x| x.path == list_path) {
                        return Err(SignError::DocumentLocked {
                            signature_id: e.id.clone(),
                        }
                        .into());
                    }
                }
            }
        }
        let style_from = existing.as_ref().and_then(|(_, l)| {
            l.max_sign_id()
                .map(str::to_owned)
                .or_else(|| l.entries.last().map(|e| e.id.clone()))
        });
        let style = style_from
            .as_deref()
            .and_then(split_id)
            .map(|(p, _, w)| IdStyle {
                prefix: p.to_owned(),
                width: if w > 1 { w } else { 1 },
            })
            .unwrap_or(IdStyle {
                prefix: "s".into(),
                width: 3,
            });
        let max_n = ids
            .iter()
            .filter_map(|i| split_id(i).map(|(_, n, _)| n))
            .max()
            .unwrap_or(0);

        // Stamps.
        let annots = self.place(package, &doc_dir, &document, options)?;
        if self.value.kind() == SignatureType::Seal && annots.is_empty() {
            return Err(SignError::NoStamp.into());
        }
        let count = annots.len() as u64 + 1;
        let last = max_n
            .checked_add(count)
            .ok_or_else(|| SignError::IdAllocation {
                max_sign_id: style_from.clone().unwrap_or_default(),
            })?;
        let sig_id = style.format(max_n + 1);
        let stamp_annots: Vec<StampAnnot> = annots
            .into_iter()
            .enumerate()
            .map(|(i, (page_ref, boundary, clip))| {
                StampAnnot::new(style.format(max_n + 2 + i as u64), page_ref, boundary, clip)
            })
            .collect();
        let max_sign_id = style.format(last);

        // Files of the new signature.
        let mut n = existing.as_ref().map_or(0, |(_, l)| l.entries.len());
        let sign_dir = loop {
            let dir = format!("{}Sign_{n}/", list_dir.as_str());
            if !package
                .entries()
                .iter()
                .any(|e| e.path.as_str().starts_with(&dir))
            {
                break dir;
            }
            n += 1;
        };
        let mk = |name: &str| {
            PackagePath::new(&format!("{sign_dir}{name}")).map_err(|r| loc_err(name, r))
        };
        let sig_path = mk("Signature.xml")?;
        let value_path = mk("SignedValue.dat")?;
        let seal = self.value.seal_file();
        let seal_path = match &seal {
            Some(_) => Some(mk("Seal.esl")?),
            None => None,
        };

        let entry = SignatureEntry::new(sig_id.clone(), self.value.kind(), sig_path.to_loc());
        let list_bytes = match &existing {
            Some((bytes, list)) => {
                list.extended(bytes, &entry, &max_sign_id)
                    .ok_or(Error::Xml {
                        file: list_path.to_loc(),
                        error: crate::error::XmlError::MissingElement {
                            parent: "Signatures",
                            element: "Signature",
                        },
                    })?
            }
            None => new_signatures_xml(&entry, &max_sign_id),
        };

        // References: every file of the new package but this signature's own two files.
        let mut refs: Vec<(String, Vec<u8>)> = Vec::new();
        let mut protected = Vec::new();
        let protect_list = options.protect == ProtectMode::WholeProtected;
        for e in package.files() {
            let p = e.path.as_str();
            if p == list_path.as_str() {
                continue;
            }
            let digest = match replace.get(p) {
                Some(b) => gmseal_sm2::digest::sm3(b),
                None => package.sm3(p)?,
            };
            refs.push((e.path.to_loc(), digest.to_vec()));
            protected.push(e.path.clone());
        }
        if let (Some(p), Some(bytes)) = (&seal_path, &seal) {
            refs.push((p.to_loc(), gmseal_sm2::digest::sm3(bytes).to_vec()));
            protected.push(p.clone());
        }
        if protect_list {
            refs.push((
                list_path.to_loc(),
                gmseal_sm2::digest::sm3(&list_bytes).to_vec(),
            ));
            protected.push(list_path.clone());
        }

        let time = options.time.unwrap_or_else(SystemTime::now);
        let date_time = options
            .signature_date_time
            .clone()
            .unwrap_or_else(|| crate::time::utc_date_time(time));
        let sig = SignatureXml::new(
            options.provider.clone(),
            self.value.signature_method(),
            Some(date_time.clone()),
            Some(options.check_method.as_str().to_owned()),
            refs,
            stamp_annots.clone(),
            seal_path.as_ref().map(PackagePath::to_loc),
            value_path.to_loc(),
        );
        let sig_bytes = sig.to_xml();
        let value = self.value.sign(&SignInput {
            signature_xml: &sig_bytes,
            signature_path: &sig_path,
            signature_date_time: &date_time,
            time,
        })?;

        let mut add = Vec::new();
        if existing.is_some() {
            replace.insert(list_path.as_str().to_owned(), list_bytes);
        } else {
            add.push(NewFile {
                path: list_path.clone(),
                data: list_bytes,
                compression: Compression::Deflated,
            });
        }
        if let (Some(p), Some(bytes)) = (seal_path, seal) {
            add.push(NewFile {
                path: p,
                data: bytes,
                compression: Compression::Stored,
            });
        }
        add.push(NewFile {
            path: sig_path.clone(),
            data: sig_bytes,
            compression: Compression::Deflated,
        });
        add.push(NewFile {
            path: value_path,
            data: value,
            compression: Compression::Stored,
        });
        let out = rewrite(package, &replace, &add)?;
        Ok(Signed {
            package: out,
            signature_id: sig_id,
            signature_file: sig_path,
            stamps: stamp_annots,
            protected,
        })
    }

    /// Resolve the requested stamps to (PageRef, Boundary, Clip).
    fn place(
        &self,
        package: &Package,
        doc_dir: &PackagePath,
        document: &DocumentXml,
        options: &SignOptions,
    ) -> Result<Vec<(String, Rect, Option<Rect>)>, Error> {
        let pages = document.pages.len();
        let page_id = |i: usize| -> Result<String, SignError> {
            document
                .pages
                .get(i)
                .map(|p| p.id.clone())
                .ok_or(SignError::NoSuchPage {
                    index: i,
                    count: pages,
                })
        };
        let mut out = Vec::new();
        for s in &options.stamps {
            match s {
                Stamp::At {
                    page,
                    boundary,
                    clip,
                } => {
                    if !boundary.is_usable() || clip.is_some_and(|c| !c.is_usable()) {
                        return Err(SignError::InvalidGeometry {
                            what: "boundary and clip need finite values and positive sizes",
                        }
                        .into());
                    }
                    let id = page_id(*page)?;
                    // The verifier reports a stamp that shows nothing of itself on the page
                    // (Finding::StampNotVisible): refuse to make one.
                    let visible = match clip {
                        Some(c) => Rect::new(boundary.x + c.x, boundary.y + c.y, c.w, c.h),
                        None => *boundary,
                    };
                    if let Some(page_box) =
                        page_box(package, doc_dir, document, *page, &options.limits)
                    {
                        if !visible.intersects(&page_box) {
                            return Err(SignError::StampNotVisible {
                                page: *page,
                                visible,
                                page_box,
                            }
                            .into());
                        }
                    }
                    out.push((id, *boundary, *clip));
                }
                Stamp::Riding {
                    side,
                    width,
                    height,
                    offset,
                    first_page,
                    last_page,
                } => {
                    check_size(*width, *height)?;
                    if !offset.is_finite() {
                        return Err(SignError::InvalidGeometry {
                            what: "riding seal offset must be finite",
                        }
                        .into());
                    }
                    let last = last_page.unwrap_or(pages.saturating_sub(1));
                    if last >= pages {
                        return Err(SignError::NoSuchPage {
                            index: last,
                            count: pages,
                        }
                        .into());
                    }
                    let n = (last + 1).saturating_sub(*first_page);
                    if n < 2 {
                        return Err(SignError::RidingNeedsPages { pages: n }.into());
                    }
                    for (k, i) in (*first_page..=last).enumerate() {
                        let size = page_size(package, doc_dir, document, i, &options.limits);
                        let (b, c) = riding_slice(*side, *width, *height, *offset, &size, k, n);
                        out.push((page_id(i)?, b, Some(c)));
                    }
                }
                Stamp::Keyword {
                    keyword,
                    width,
                    height,
                    occurrence,
                    pages: range,
                } => {
                    check_size(*width, *height)?;
                    let (first, last) = range.unwrap_or((0, pages.saturating_sub(1)));
                    let mut hits = Vec::new();
                    for i in first..=last.min(pages.saturating_sub(1)) {
                        let Some(p) = document.pages.get(i) else {
                            break;
                        };
                        let Ok(r) = resolve(doc_dir, &p.base_loc) else {
                            continue;
                        };
                        if r.form == LocForm::Absolute && !package.contains(r.path.as_str()) {
                            continue;
                        }
                        let Ok(bytes) = package.read_xml(r.path.as_str()) else {
                            continue;
                        };
                        let page =
                            PageXml::parse(&bytes, &options.limits).map_err(|e| Error::Xml {
                                file: r.path.to_loc(),
                                error: e,
                            })?;
                        for h in page.find(keyword) {
                            hits.push((i, h));
                        }
                    }
                    let chosen: Vec<(usize, Rect)> = match occurrence {
                        Occurrence::First => hits.first().copied().into_iter().collect(),
                        Occurrence::Last => hits.last().copied().into_iter().collect(),
                        Occurrence::All => hits,
                        Occurrence::Nth(k) => hits.get(*k).copied().into_iter().collect(),
                    };
                    if chosen.is_empty() {
                        return Err(SignError::KeywordNotFound {
                            keyword: keyword.clone(),
                        }
                        .into());
                    }
                    for (i, h) in chosen {
                        let cx = h.x + h.w / 2.0;
                        let cy = h.y + h.h / 2.0;
                        let b = Rect::new(cx - width / 2.0, cy - height / 2.0, *width, *height);
                        out.push((page_id(i)?, b, None));
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_styles() {
        assert_eq!(split_id("s006"), Some(("s", 6, 3)));
        assert_eq!(split_id("002"), Some(("", 2, 3)));
        assert_eq!(split_id("1"), Some(("", 1, 1)));
        assert_eq!(split_id("abc"), None);
        let s = IdStyle {
            prefix: "s".into(),
            width: 3,
        };
        assert_eq!(s.format(7), "s007");
        assert_eq!(s.format(1234), "s1234");
    }
}
