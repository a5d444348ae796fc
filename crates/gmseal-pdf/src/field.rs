//! Interactive-form plumbing for signing: finding fields by fully qualified name, adding a
//! signature field and its widgets, filling an empty signature field (ISO 32000-1 §12.7,
//! §12.7.4.5), and the page attributes a placement needs.
//!
//! Everything is read from the previous revision and changed objects are cloned into the
//! incremental update first: the original bytes are never touched.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId};

use crate::error::{Error, Result};
use crate::placement::PageGeometry;

/// Bounds on walking untrusted trees.
const MAX_DEPTH: usize = 32;
const MAX_FIELDS: usize = 100_000;

/// A terminal form field found by name.
#[derive(Clone, Debug)]
pub(crate) struct FoundField {
    pub(crate) id: ObjectId,
    pub(crate) is_sig: bool,
    pub(crate) has_value: bool,
    /// Its widget annotations: the field itself when merged, else its kids.
    pub(crate) widgets: Vec<ObjectId>,
}

/// Follow a reference (one level; lopdf resolves chains itself).
fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    match obj {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

fn dict_of(doc: &Document, id: ObjectId) -> Option<&Dictionary> {
    doc.get_object(id).ok()?.as_dict().ok()
}

/// The catalog's id.
pub(crate) fn catalog_id(doc: &Document) -> Result<ObjectId> {
    doc.trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| Error::Malformed {
            what: "trailer has no /Root reference",
            offset: None,
        })
}

/// The AcroForm dictionary, wherever it is.
fn acroform(doc: &Document) -> Option<&Dictionary> {
    let cat = dict_of(doc, catalog_id(doc).ok()?)?;
    resolve(doc, cat.get(b"AcroForm").ok()?)?.as_dict().ok()
}

/// A field's partial name `/T`.
pub(crate) fn partial_name(dict: &Dictionary) -> Option<String> {
    dict.get(b"T")
        .ok()
        .and_then(|t| lopdf::decode_text_string(t).ok())
}

/// Walk the field tree: `(fully qualified name, id, dict)` of every terminal field.
fn terminal_fields(doc: &Document) -> Vec<(String, ObjectId)> {
    let mut out = Vec::new();
    let Some(form) = acroform(doc) else {
        return out;
    };
    let Some(Object::Array(fields)) = form.get(b"Fields").ok().and_then(|f| resolve(doc, f)) else {
        return out;
    };
    let mut seen = HashSet::new();
    let mut stack: Vec<(String, ObjectId, usize)> = fields
        .iter()
        .rev()
        .filter_map(|f| f.as_reference().ok())
        .map(|id| (String::new(), id, 0))
        .collect();
    while let Some((prefix, id, depth)) = stack.pop() {
        if depth > MAX_DEPTH || seen.len() > MAX_FIELDS || !seen.insert(id) {
            continue;
        }
        let Some(dict) = dict_of(doc, id) else {
            continue;
        };
        let name = match partial_name(dict) {
            Some(t) if prefix.is_empty() => t,
            Some(t) => format!("{prefix}.{t}"),
            None => prefix.clone(),
        };
        let kids: Vec<ObjectId> = match dict.get(b"Kids").ok().and_then(|k| resolve(doc, k)) {
            Some(Object::Array(k)) => k.iter().filter_map(|k| k.as_reference().ok()).collect(),
            _ => Vec::new(),
        };
        // Kids that carry a /T are fields; kids without are widgets of this field.
        let field_kids: Vec<ObjectId> = kids
            .iter()
            .copied()
            .filter(|k| dict_of(doc, *k).is_some_and(|d| d.has(b"T")))
            .collect();
        if field_kids.is_empty() {
            out.push((name, id));
        } else {
            for k in field_kids.into_iter().rev() {
                stack.push((name.clone(), k, depth + 1));
            }
        }
    }
    out
}

/// Field type, inherited (ISO 32000-1 Table 220).
fn field_type(doc: &Document, id: ObjectId) -> Option<Vec<u8>> {
    let mut cur = id;
    for _ in 0..MAX_DEPTH {
        let d = dict_of(doc, cur)?;
        if let Ok(ft) = d.get(b"FT").and_then(Object::as_name) {
            return Some(ft.to_vec());
        }
        cur = d.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// Every fully qualified field name.
pub(crate) fn field_names(doc: &Document) -> HashSet<String> {
    terminal_fields(doc).into_iter().map(|(n, _)| n).collect()
}

/// Find a terminal field by fully qualified name.
pub(crate) fn find_field(doc: &Document, name: &str) -> Option<FoundField> {
    let (_, id) = terminal_fields(doc).into_iter().find(|(n, _)| n == name)?;
    let dict = dict_of(doc, id)?;
    let is_sig = field_type(doc, id).as_deref() == Some(b"Sig");
    let has_value = dict.get(b"V").is_ok_and(|v| !matches!(v, Object::Null));
    let widgets = match dict.get(b"Kids").ok().and_then(|k| resolve(doc, k)) {
        Some(Object::Array(k)) if !dict.has(b"Rect") => {
            k.iter().filter_map(|k| k.as_reference().ok()).collect()
        }
        _ => vec![id],
    };
    Some(FoundField {
        id,
        is_sig,
        has_value,
        widgets,
    })
}

/// A name `Seal1`, `Seal2`, ... not yet in use.
pub(crate) fn fresh_name(doc: &Document) -> String {
    let names = field_names(doc);
    (1u32..)
        .map(|i| format!("Seal{i}"))
        .find(|n| !names.contains(n))
        .unwrap_or_else(|| "Seal".to_string())
}

/// Whether the document is certified with DocMDP P=1 (ISO 32000-1 §12.8.2.2).
pub(crate) fn certified_no_changes(doc: &Document) -> bool {
    let p = (|| -> Option<i64> {
        let cat = dict_of(doc, catalog_id(doc).ok()?)?;
        let perms = resolve(doc, cat.get(b"Perms").ok()?)?.as_dict().ok()?;
        let sig = resolve(doc, perms.get(b"DocMDP").ok()?)?.as_dict().ok()?;
        let refs = resolve(doc, sig.get(b"Reference").ok()?)?.as_array().ok()?;
        for r in refs {
            let r = resolve(doc, r)?.as_dict().ok()?;
            if r.get(b"TransformMethod").and_then(Object::as_name).ok() == Some(b"DocMDP") {
                let params = resolve(doc, r.get(b"TransformParams").ok()?)?
                    .as_dict()
                    .ok()?;
                return Some(params.get(b"P").and_then(Object::as_i64).unwrap_or(2));
            }
        }
        None
    })();
    p == Some(1)
}

/// The page's visible box and rotation, inherited through the page tree.
pub(crate) fn page_geometry(doc: &Document, page: ObjectId, number: u32) -> Result<PageGeometry> {
    let lookup = |key: &[u8]| -> Option<Object> {
        let mut cur = page;
        for _ in 0..MAX_DEPTH {
            let d = dict_of(doc, cur)?;
            if let Ok(v) = d.get(key) {
                return resolve(doc, v).cloned();
            }
            cur = d.get(b"Parent").and_then(Object::as_reference).ok()?;
        }
        None
    };
    let as_box = |o: Option<Object>| -> Option<[f64; 4]> {
        let a = o?.as_array().ok()?.clone();
        let v: Vec<f64> = a
            .iter()
            .map(|x| {
                x.as_float()
                    .map(f64::from)
                    .or_else(|_| x.as_i64().map(|i| i as f64))
            })
            .collect::<std::result::Result<_, _>>()
            .ok()?;
        let [a, b, c, d] = v.as_slice() else {
            return None;
        };
        let r = [*a, *b, *c, *d];
        (r.iter().all(|x| x.is_finite()) && a != c && b != d).then_some(r)
    };
    let media = as_box(lookup(b"MediaBox")).ok_or(Error::NoMediaBox { page: number })?;
    let bbox = match as_box(lookup(b"CropBox")) {
        // The crop box is clipped to the media box.
        Some(c) => {
            let m = PageGeometry::new(media, 0).bbox;
            let c = PageGeometry::new(c, 0).bbox;
            let i = [
                c[0].max(m[0]),
                c[1].max(m[1]),
                c[2].min(m[2]),
                c[3].min(m[3]),
            ];
            if i[0] < i[2] && i[1] < i[3] { i } else { m }
        }
        None => media,
    };
    let rotate = lookup(b"Rotate").and_then(|r| r.as_i64().ok()).unwrap_or(0);
    Ok(PageGeometry::new(bbox, rotate))
}

/// Clone `id` into the update (if not there yet) and get it mutably as a dictionary.
fn cloned_dict(inc: &mut IncrementalDocument, id: ObjectId) -> Result<&mut Dictionary> {
    inc.opt_clone_object_to_new_document(id)
        .map_err(Error::Load)?;
    inc.new_document
        .get_object_mut(id)
        .and_then(Object::as_dict_mut)
        .map_err(|_| Error::Malformed {
            what: "expected a dictionary",
            offset: None,
        })
}

/// Clone `id` into the update and get it mutably as an array.
fn cloned_array(inc: &mut IncrementalDocument, id: ObjectId) -> Result<&mut Vec<Object>> {
    inc.opt_clone_object_to_new_document(id)
        .map_err(Error::Load)?;
    inc.new_document
        .get_object_mut(id)
        .and_then(Object::as_array_mut)
        .map_err(|_| Error::Malformed {
            what: "expected an array",
            offset: None,
        })
}

/// The dictionary `owner` (cloned into the update), or its direct sub-dictionary `inner`.
fn owner_dict<'a>(
    inc: &'a mut IncrementalDocument,
    owner: ObjectId,
    inner: Option<&[u8]>,
) -> Result<&'a mut Dictionary> {
    let d = cloned_dict(inc, owner)?;
    match inner {
        Some(k) => d
            .get_mut(k)
            .and_then(Object::as_dict_mut)
            .map_err(|_| Error::Malformed {
                what: "expected a direct dictionary",
                offset: None,
            }),
        None => Ok(d),
    }
}

/// Push `item` onto the array under `key` of a dictionary; the array may be direct, indirect
/// (then that object is cloned) or missing.
fn push_to_array_key(
    inc: &mut IncrementalDocument,
    owner: ObjectId,
    inner: Option<&[u8]>,
    key: &[u8],
    item: Object,
) -> Result<()> {
    let current = owner_dict(inc, owner, inner)?.get(key).ok().cloned();
    if let Some(Object::Reference(arr)) = current {
        if inc
            .get_prev_documents()
            .get_object(arr)
            .is_ok_and(|o| o.as_array().is_ok())
        {
            cloned_array(inc, arr)?.push(item);
            return Ok(());
        }
    }
    let d = owner_dict(inc, owner, inner)?;
    match d.get_mut(key) {
        Ok(Object::Array(a)) => a.push(item),
        _ => d.set(key.to_vec(), Object::Array(vec![item])),
    }
    Ok(())
}

/// Where the interactive form dictionary is: its own object, or direct in the catalog.
/// Creates it (and points the catalog at it) when missing.
fn acroform_location(inc: &mut IncrementalDocument) -> Result<(ObjectId, Option<&'static [u8]>)> {
    let catalog = catalog_id(inc.get_prev_documents())?;
    let form = dict_of(inc.get_prev_documents(), catalog)
        .and_then(|c| c.get(b"AcroForm").ok())
        .cloned();
    Ok(match form {
        Some(Object::Reference(id)) if dict_of(inc.get_prev_documents(), id).is_some() => {
            (id, None)
        }
        Some(Object::Dictionary(_)) => (catalog, Some(b"AcroForm")),
        _ => {
            let mut d = Dictionary::new();
            d.set("Fields", Object::Array(Vec::new()));
            let id = inc.new_document.add_object(Object::Dictionary(d));
            cloned_dict(inc, catalog)?.set("AcroForm", Object::Reference(id));
            (id, None)
        }
    })
}

/// Add `field` to `/AcroForm /Fields`, creating the form if needed, and set `/SigFlags 3`
/// (signatures exist, append only: ISO 32000-1 Table 219).
pub(crate) fn register_field(inc: &mut IncrementalDocument, field: ObjectId) -> Result<()> {
    let (owner, inner) = acroform_location(inc)?;
    push_to_array_key(inc, owner, inner, b"Fields", Object::Reference(field))?;
    owner_dict(inc, owner, inner)?.set("SigFlags", 3);
    Ok(())
}

/// Set `/SigFlags 3` (an existing field was signed).
pub(crate) fn register_sig_flags(inc: &mut IncrementalDocument) -> Result<()> {
    let (owner, inner) = acroform_location(inc)?;
    let current = dict_of(inc.get_prev_documents(), owner)
        .and_then(|d| match inner {
            Some(k) => d.get(k).ok()?.as_dict().ok(),
            None => Some(d),
        })
        .and_then(|d| d.get(b"SigFlags").ok()?.as_i64().ok());
    if current != Some(3) {
        owner_dict(inc, owner, inner)?.set("SigFlags", 3);
    }
    Ok(())
}

/// Add `annot` to the page's `/Annots`.
pub(crate) fn add_annotation(
    inc: &mut IncrementalDocument,
    page: ObjectId,
    annot: ObjectId,
) -> Result<()> {
    push_to_array_key(inc, page, None, b"Annots", Object::Reference(annot))
}

/// Set keys of an existing object, cloning it into the update.
pub(crate) fn update_dict(
    inc: &mut IncrementalDocument,
    id: ObjectId,
    f: impl FnOnce(&mut Dictionary),
) -> Result<()> {
    f(cloned_dict(inc, id)?);
    Ok(())
}

/// The widget's rectangle and page.
pub(crate) fn widget_rect_and_page(
    doc: &Document,
    widget: ObjectId,
) -> Option<([f64; 4], Option<ObjectId>)> {
    let d = dict_of(doc, widget)?;
    let r = resolve(doc, d.get(b"Rect").ok()?)?.as_array().ok()?;
    let v: Vec<f64> = r
        .iter()
        .filter_map(|x| {
            x.as_float()
                .map(f64::from)
                .or_else(|_| x.as_i64().map(|i| i as f64))
                .ok()
        })
        .collect();
    let [a, b, c, e] = v.as_slice() else {
        return None;
    };
    let page = d.get(b"P").and_then(Object::as_reference).ok();
    Some(([a.min(*c), b.min(*e), a.max(*c), b.max(*e)], page))
}

/// The page a widget lies on: its `/P`, else the page whose `/Annots` lists it.
pub(crate) fn page_of_widget(
    doc: &Document,
    widget: ObjectId,
    hint: Option<ObjectId>,
) -> Option<(u32, ObjectId)> {
    let pages = doc.get_pages();
    if let Some(p) = hint {
        if let Some((n, _)) = pages.iter().find(|(_, id)| **id == p) {
            return Some((*n, p));
        }
    }
    pages.into_iter().find(|(_, pid)| {
        dict_of(doc, *pid)
            .and_then(|d| resolve(doc, d.get(b"Annots").ok()?)?.as_array().ok())
            .is_some_and(|a| a.iter().any(|x| x.as_reference().ok() == Some(widget)))
    })
}
