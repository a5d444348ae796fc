//! What an incremental update changed, object by object, classified as additions a later seal
//! makes (signature, field, widget, appearance, `/Annots` and `/Fields` growing, an empty
//! signature field filled) or modifications (page content, catalog, existing objects, freed
//! objects, objects switched to bytes prepared in an earlier revision).
//!
//! The rules follow what ISO 32000-1 §12.8.2.2 (DocMDP P=2) allows after a signature and what
//! the published attacks abuse (Mladenov et al., "1 Trillion Dollar Refund", CCS 2019; Mainka
//! et al., "Shadow Attacks", NDSS 2021).

use std::collections::HashSet;
use std::io::{Read, Seek};

use lopdf::{Dictionary, Object, ObjectId};

use crate::reader::{Entry, Loaded, Reader, ref_set};
use crate::report::{Change, ChangeKind};

/// Changes past this many per revision are summarised as one.
const MAX_CHANGED: usize = 10_000;

/// Keys an update may change in an `/AcroForm` dictionary.
const ACROFORM_KEYS: &[&str] = &["Fields", "SigFlags", "DR", "DA", "NeedAppearances"];
/// Keys a signature dictionary value and its widget may gain when an empty field is signed.
const FILL_KEYS: &[&str] = &["V", "AP", "AS", "F", "MK", "Lock", "SV", "P"];
/// Keys of the catalog an update may change.
const CATALOG_KEYS: &[&str] = &["AcroForm", "DSS", "Version"];

/// The changes revision `k` (≥ 1) made to revision `k - 1`.
pub(crate) fn revision_changes<R: Read + Seek>(r: &mut Reader<R>, k: usize) -> Vec<Change> {
    let mut out = Vec::new();
    let Some(revision) = r.revisions.get(k).cloned() else {
        return out;
    };
    let prev = k - 1;
    let mut ids: Vec<u32> = revision
        .sections
        .iter()
        .filter_map(|&s| r.sections.get(s))
        .flat_map(|s| s.entries.keys().copied())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    ids.sort_unstable();
    let push = |out: &mut Vec<Change>, object: Option<ObjectId>, kind: ChangeKind| {
        out.push(Change {
            revision: k,
            object,
            kind,
        });
    };

    // Trailer-level changes.
    let root_old = r.trailer_value(b"Root", prev);
    let root_new = r.trailer_value(b"Root", k);
    if root_old != root_new {
        push(
            &mut out,
            root_new.as_ref().and_then(|o| o.as_reference().ok()),
            ChangeKind::RootReplaced,
        );
    }
    if r.trailer_value(b"Encrypt", prev) != r.trailer_value(b"Encrypt", k) {
        push(&mut out, None, ChangeKind::EncryptionChanged);
    }
    let info_old = r.trailer_value(b"Info", prev);
    if info_old != r.trailer_value(b"Info", k) {
        push(&mut out, None, ChangeKind::InfoChanged);
    }
    let root_id = root_old.and_then(|o| o.as_reference().ok());
    let info_id = info_old.and_then(|o| o.as_reference().ok());
    let acroform_id = root_id.and_then(|c| r.load(c, prev).ok()).and_then(|c| {
        c.obj
            .as_dict()
            .ok()?
            .get(b"AcroForm")
            .ok()?
            .as_reference()
            .ok()
    });

    for (n, id) in ids.into_iter().enumerate() {
        if id == 0 {
            continue;
        }
        if n >= MAX_CHANGED {
            push(&mut out, None, ChangeKind::Unreadable);
            break;
        }
        let Some((new_e, _)) = r.entry(id, k) else {
            continue;
        };
        let old_e = r.entry(id, prev).map(|(e, _)| e);
        if old_e == Some(new_e) {
            continue;
        }
        let old_in_use = matches!(old_e, Some(Entry::InUse { .. } | Entry::Compressed { .. }));
        let generation = match new_e {
            Entry::InUse { generation, .. } => generation,
            Entry::Free => {
                if old_in_use {
                    push(&mut out, Some((id, 0)), ChangeKind::ObjectFreed);
                }
                continue;
            }
            Entry::Compressed { .. } => 0,
        };
        let oid = (id, generation);
        // An entry pointing back into bytes of an earlier revision.
        if let Entry::InUse { offset, .. } = new_e {
            let at = r.file_pos(offset);
            if at < revision.start {
                let old_broken = match old_e {
                    Some(e @ Entry::InUse { .. }) => r.load_entry(oid, e, prev, 0).is_err(),
                    None | Some(Entry::Free) => false,
                    Some(Entry::Compressed { .. }) => false,
                };
                let new_ok = r.load_entry(oid, new_e, k, 0).is_ok();
                let kind = if old_broken && new_ok {
                    ChangeKind::Repaired
                } else {
                    ChangeKind::ShadowReference { offset: at }
                };
                push(&mut out, Some(oid), kind);
                continue;
            }
        }
        let new = match r.load_entry(oid, new_e, k, 0) {
            Ok(l) => l,
            Err(_) => {
                push(&mut out, Some(oid), ChangeKind::Unreadable);
                continue;
            }
        };
        if is_structural(&new.obj) {
            continue;
        }
        let old = match old_e {
            Some(e) if old_in_use => r.load_entry(oid, e, prev, 0).ok(),
            _ => None,
        };
        let Some(old) = old else {
            push(&mut out, Some(oid), classify_new(&new.obj));
            continue;
        };
        if same_object(r, oid, &old, &new) {
            push(&mut out, Some(oid), ChangeKind::Rewritten);
            continue;
        }
        let kind = classify_modified(
            r,
            k,
            oid,
            &old.obj,
            &new.obj,
            Roles {
                catalog: root_id == Some(oid),
                acroform: acroform_id == Some(oid),
                info: info_id == Some(oid),
            },
        );
        push(&mut out, Some(oid), kind);
    }
    out
}

/// Cross-reference and object streams are the update's own machinery.
fn is_structural(o: &Object) -> bool {
    matches!(o, Object::Stream(s) if matches!(s.dict.get(b"Type").and_then(Object::as_name), Ok(b"XRef" | b"ObjStm")))
}

fn dict_of(o: &Object) -> Option<&Dictionary> {
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn name(d: &Dictionary, key: &[u8]) -> Option<String> {
    d.get(key)
        .and_then(Object::as_name)
        .ok()
        .map(|n| String::from_utf8_lossy(n).into_owned())
}

fn is_sig_dict(d: &Dictionary) -> bool {
    matches!(name(d, b"Type").as_deref(), Some("Sig" | "DocTimeStamp"))
}

fn is_annotation(d: &Dictionary) -> bool {
    name(d, b"Type").as_deref() == Some("Annot")
        || (d.has(b"Subtype") && d.has(b"Rect") && name(d, b"Type").is_none() && !d.has(b"BBox"))
}

fn is_field(d: &Dictionary) -> bool {
    d.has(b"FT") || (d.has(b"T") && (d.has(b"Kids") || d.has(b"Parent")))
}

/// What a new object is.
fn classify_new(o: &Object) -> ChangeKind {
    let Some(d) = dict_of(o) else {
        return ChangeKind::AddedObject { kind: None };
    };
    if is_sig_dict(d) {
        ChangeKind::AddedSignature
    } else if is_field(d) {
        ChangeKind::AddedField {
            name: d
                .get(b"T")
                .ok()
                .and_then(|t| lopdf::decode_text_string(t).ok()),
        }
    } else if is_annotation(d) {
        ChangeKind::AddedAnnotation {
            subtype: name(d, b"Subtype"),
        }
    } else {
        ChangeKind::AddedObject {
            kind: name(d, b"Type").or_else(|| name(d, b"Subtype")),
        }
    }
}

/// Whether two versions of an object are the same (dictionary and stream data).
fn same_object<R: Read + Seek>(
    r: &mut Reader<R>,
    id: ObjectId,
    old: &Loaded,
    new: &Loaded,
) -> bool {
    if old.obj != new.obj {
        return false;
    }
    match (&old.data, &new.data) {
        (None, None) => true,
        (Some(a), Some(b)) if a.end - a.start == b.end - b.start => {
            const MAX: usize = 64 << 20;
            match (r.stream_data(id, old, MAX), r.stream_data(id, new, MAX)) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            }
        }
        _ => false,
    }
}

/// Keys whose values differ.
fn changed_keys(old: &Dictionary, new: &Dictionary) -> Vec<String> {
    let mut keys: Vec<String> = old
        .iter()
        .filter(|(k, v)| new.get(k).ok() != Some(*v))
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
        .collect();
    for (k, _) in new.iter() {
        if !old.has(k) {
            keys.push(String::from_utf8_lossy(k).into_owned());
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

#[derive(Clone, Copy)]
struct Roles {
    catalog: bool,
    acroform: bool,
    info: bool,
}

/// An array of references that only grew: how many were added, if only annotations or fields
/// were added; `Err(removed)` if references were removed.
fn grown<R: Read + Seek>(
    r: &mut Reader<R>,
    k: usize,
    old: &Object,
    new: &Object,
) -> Option<Result<(usize, bool), usize>> {
    let (Object::Array(_), Object::Array(na)) = (old, new) else {
        return None;
    };
    let (o, n) = (ref_set(old), ref_set(new));
    let direct_same = {
        let od: Vec<&Object> = match old {
            Object::Array(a) => a.iter().filter(|x| x.as_reference().is_err()).collect(),
            _ => Vec::new(),
        };
        let nd: Vec<&Object> = na.iter().filter(|x| x.as_reference().is_err()).collect();
        od == nd
    };
    let removed = o.difference(&n).count();
    if removed > 0 {
        return Some(Err(removed));
    }
    if !direct_same {
        return None;
    }
    let added: Vec<ObjectId> = n.difference(&o).copied().collect();
    let mut fields = false;
    for id in &added {
        let l = r.load(*id, k).ok()?;
        let d = dict_of(&l.obj)?;
        if is_field(d) {
            fields = true;
        } else if !is_annotation(d) {
            return None;
        }
    }
    Some(Ok((added.len(), fields)))
}

/// Classify a changed existing object.
fn classify_modified<R: Read + Seek>(
    r: &mut Reader<R>,
    k: usize,
    id: ObjectId,
    old: &Object,
    new: &Object,
    roles: Roles,
) -> ChangeKind {
    // Indirect arrays: /Annots, /Fields (or page content arrays, which may not grow).
    if let Object::Array(_) = old {
        return match grown(r, k, old, new) {
            Some(Ok((count, true))) => ChangeKind::FieldsAdded { count },
            Some(Ok((count, false))) => ChangeKind::AnnotationsAdded { count },
            Some(Err(count)) => ChangeKind::Removed { count },
            None => ChangeKind::ObjectModified {
                kind: Some("array".into()),
                keys: Vec::new(),
            },
        };
    }
    let (Some(od), Some(nd)) = (dict_of(old), dict_of(new)) else {
        return ChangeKind::ObjectModified {
            kind: None,
            keys: Vec::new(),
        };
    };
    let stream_changed = matches!((old, new), (Object::Stream(_), Object::Stream(_)));
    let keys = changed_keys(od, nd);
    if roles.info {
        return ChangeKind::InfoChanged;
    }
    if is_sig_dict(od) {
        return ChangeKind::SignatureModified;
    }
    if roles.catalog {
        let other: Vec<String> = keys
            .iter()
            .filter(|k| !CATALOG_KEYS.contains(&k.as_str()))
            .cloned()
            .collect();
        if !other.is_empty() {
            return ChangeKind::CatalogModified { keys: other };
        }
        // The form may be added, not swapped for another one.
        if let (Ok(Object::Reference(a)), Ok(Object::Reference(b))) =
            (od.get(b"AcroForm"), nd.get(b"AcroForm"))
        {
            if a != b {
                return ChangeKind::CatalogModified {
                    keys: vec!["AcroForm".into()],
                };
            }
        }
        // A direct /AcroForm may only change in the form's allowed keys.
        if let (Ok(Object::Dictionary(a)), Ok(Object::Dictionary(b))) =
            (od.get(b"AcroForm"), nd.get(b"AcroForm"))
        {
            return acroform_change(r, k, id, a, b);
        }
        return ChangeKind::AcroFormUpdated;
    }
    if roles.acroform {
        return acroform_change(r, k, id, od, nd);
    }
    if name(od, b"Type").as_deref() == Some("Page") {
        if keys.iter().all(|k| k == "Annots") {
            let (a, b) = (
                od.get(b"Annots")
                    .cloned()
                    .unwrap_or(Object::Array(Vec::new())),
                nd.get(b"Annots")
                    .cloned()
                    .unwrap_or(Object::Array(Vec::new())),
            );
            // An indirect /Annots replaced by another object is judged by its content.
            let a = r.resolve(&a, k - 1).unwrap_or(Object::Null);
            let b = r.resolve(&b, k).unwrap_or(Object::Null);
            let a = if matches!(a, Object::Null) {
                Object::Array(Vec::new())
            } else {
                a
            };
            return match grown(r, k, &a, &b) {
                Some(Ok((count, _))) => ChangeKind::AnnotationsAdded { count },
                Some(Err(count)) => ChangeKind::Removed { count },
                None => ChangeKind::PageModified { keys },
            };
        }
        return ChangeKind::PageModified { keys };
    }
    // A signature field (or its widget) that had no value, signed now.
    let sig_field = name(od, b"FT").as_deref() == Some("Sig") || parent_is_sig_field(r, k, od);
    if sig_field && !stream_changed {
        let had_value = od.get(b"V").is_ok_and(|v| !matches!(v, Object::Null));
        if had_value && keys.iter().any(|k| k == "V") {
            return ChangeKind::SignatureModified;
        }
        if keys.iter().all(|k| FILL_KEYS.contains(&k.as_str())) {
            return ChangeKind::SignatureFieldFilled;
        }
    }
    ChangeKind::ObjectModified {
        kind: name(od, b"Type")
            .or_else(|| name(od, b"FT").map(|f| format!("{f} field")))
            .or_else(|| name(od, b"Subtype")),
        keys,
    }
}

fn parent_is_sig_field<R: Read + Seek>(r: &mut Reader<R>, k: usize, d: &Dictionary) -> bool {
    let Ok(p) = d.get(b"Parent").and_then(Object::as_reference) else {
        return false;
    };
    r.load(p, k)
        .ok()
        .and_then(|l| dict_of(&l.obj).and_then(|d| name(d, b"FT")))
        .as_deref()
        == Some("Sig")
}

fn acroform_change<R: Read + Seek>(
    r: &mut Reader<R>,
    k: usize,
    _id: ObjectId,
    od: &Dictionary,
    nd: &Dictionary,
) -> ChangeKind {
    let keys = changed_keys(od, nd);
    let other: Vec<String> = keys
        .iter()
        .filter(|k| !ACROFORM_KEYS.contains(&k.as_str()))
        .cloned()
        .collect();
    if !other.is_empty() {
        return ChangeKind::ObjectModified {
            kind: Some("AcroForm".into()),
            keys: other,
        };
    }
    if keys.iter().any(|k| k == "Fields") {
        let a = od
            .get(b"Fields")
            .cloned()
            .unwrap_or(Object::Array(Vec::new()));
        let b = nd
            .get(b"Fields")
            .cloned()
            .unwrap_or(Object::Array(Vec::new()));
        let a = r.resolve(&a, k - 1).unwrap_or(Object::Array(Vec::new()));
        let b = r.resolve(&b, k).unwrap_or(Object::Null);
        return match grown(r, k, &a, &b) {
            Some(Ok((count, _))) => ChangeKind::FieldsAdded { count },
            Some(Err(count)) => ChangeKind::Removed { count },
            None => ChangeKind::ObjectModified {
                kind: Some("AcroForm".into()),
                keys,
            },
        };
    }
    ChangeKind::AcroFormUpdated
}
