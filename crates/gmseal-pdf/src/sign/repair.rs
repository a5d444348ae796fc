//! Guard for damaged cross-reference data in the input (the second lopdf 0.47 defect of
//! `shared/notes/pdf.md` §3.1).
//!
//! lopdf reads through a wrong entry (it finds the object near the stated offset, or rebuilds
//! the table) but keeps the wrong offset in its table, and an update that lists only the new
//! objects leaves strict readers with the damage. The update therefore carries a complete
//! section whenever any entry of the previous table does not point at its object: every object,
//! at the position where its `N G obj` header really is.

use std::collections::BTreeMap;

use lopdf::xref::XrefEntry;

/// The complete, corrected entries when the previous table is damaged or was recovered;
/// `None` when it is sound (then the update lists only its own objects).
///
/// `body` is the file from its `%PDF-` header on (the origin of the offsets).
pub(super) fn corrected_entries(
    body: &[u8],
    table: &BTreeMap<u32, XrefEntry>,
    recovered: bool,
) -> Option<BTreeMap<u32, XrefEntry>> {
    let bad: Vec<u32> = table
        .iter()
        .filter_map(|(&id, e)| match e {
            XrefEntry::Normal { offset, generation } if id != 0 => {
                (header_at(body, *offset as usize) != Some((id, *generation))).then_some(id)
            }
            _ => None,
        })
        .collect();
    if bad.is_empty() && !recovered {
        return None;
    }
    let found = if bad.is_empty() {
        BTreeMap::new()
    } else {
        scan_headers(body)
    };
    let mut out = BTreeMap::new();
    for (&id, e) in table {
        match e {
            XrefEntry::Normal { generation, .. } if bad.contains(&id) => {
                if let Some(&(offset, g)) = found.get(&id) {
                    if g == *generation {
                        if let Ok(offset) = u32::try_from(offset) {
                            out.insert(
                                id,
                                XrefEntry::Normal {
                                    offset,
                                    generation: g,
                                },
                            );
                        }
                    }
                }
            }
            XrefEntry::Normal { .. } | XrefEntry::Compressed { .. } if id != 0 => {
                out.insert(id, e.clone());
            }
            _ => {}
        }
    }
    Some(out)
}

/// The `N G obj` header at `pos` (after optional white space), if any.
pub(crate) fn header_at(body: &[u8], pos: usize) -> Option<(u32, u16)> {
    let mut i = pos;
    while body.get(i).is_some_and(|c| c.is_ascii_whitespace()) && i < pos + 8 {
        i += 1;
    }
    let (num, i) = digits(body, i)?;
    let i = spaces(body, i)?;
    let (generation, i) = digits(body, i)?;
    let i = spaces(body, i)?;
    if body.get(i..i + 3) != Some(b"obj") {
        return None;
    }
    Some((u32::try_from(num).ok()?, u16::try_from(generation).ok()?))
}

fn digits(b: &[u8], mut i: usize) -> Option<(u64, usize)> {
    let start = i;
    let mut v = 0u64;
    while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
        i += 1;
        if i - start > 10 {
            return None;
        }
    }
    (i > start).then_some((v, i))
}

fn spaces(b: &[u8], mut i: usize) -> Option<usize> {
    let start = i;
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0'))
    {
        i += 1;
    }
    (i > start).then_some(i)
}

/// Every `N G obj` header at the start of a line; the last one of each number wins (the newest
/// revision's copy).
pub(crate) fn scan_headers(body: &[u8]) -> BTreeMap<u32, (u64, u16)> {
    let mut out = BTreeMap::new();
    let mut line_start = true;
    for (i, &c) in body.iter().enumerate() {
        if line_start && c.is_ascii_digit() {
            if let Some((id, g)) = header_at(body, i) {
                out.insert(id, (i as u64, g));
            }
        }
        line_start = c == b'\n' || c == b'\r';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let body = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n2 0 obj <<>> endobj\n";
        assert_eq!(header_at(body, 9), Some((1, 0)));
        assert_eq!(header_at(body, 8), Some((1, 0)));
        assert_eq!(header_at(body, 10), None);
        let all = scan_headers(body);
        assert_eq!(all.get(&2), Some(&(29, 0)));
        let mut table = BTreeMap::new();
        table.insert(
            1,
            XrefEntry::Normal {
                offset: 9,
                generation: 0,
            },
        );
        table.insert(
            2,
            XrefEntry::Normal {
                offset: 25,
                generation: 0,
            },
        );
        let fixed = corrected_entries(body, &table, false).unwrap();
        assert!(matches!(
            fixed.get(&2),
            Some(XrefEntry::Normal {
                offset: 29,
                generation: 0
            })
        ));
        table.insert(
            2,
            XrefEntry::Normal {
                offset: 29,
                generation: 0,
            },
        );
        assert!(corrected_entries(body, &table, false).is_none());
    }
}
