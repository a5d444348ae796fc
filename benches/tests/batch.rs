//! Batch verification gives, document for document, the reports of one-by-one verification:
//! with and without the shared cache, sequential and on rayon, with tampered documents (some
//! of them look-alikes of cached ones: the same seal, certificates and signer) mixed in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fixture.rs"]
mod fixture;

use fixture::{
    BatchPki, Kind, Mode, edit_zip, invoice_ofd, invoice_pdf, ofd_valid, pdf_contents, pdf_valid,
    replace_first, sealed_invoices, verify_ofd, verify_pdf, zip_entry,
};

const SIGNED_VALUE: &str = "Doc_0/Signs/Sign_0/SignedValue.dat";

/// The genuine documents, then tampered ones, interleaved.
fn batch(pki: &BatchPki, kind: Kind) -> (Vec<Vec<u8>>, Vec<bool>) {
    let (o, p) = if kind == Kind::Ofd { (6, 0) } else { (0, 6) };
    let genuine: Vec<Vec<u8>> = sealed_invoices(pki, o, p)
        .into_iter()
        .map(|d| d.bytes)
        .collect();
    let mut tampered = Vec::new();
    match kind {
        Kind::Ofd => {
            // a page changed after sealing
            tampered.push(edit_zip(&genuine[0], |name, data| {
                if name.ends_with("Content.xml") {
                    replace_first(&data, b"Amount: ", b"Amount:9")
                } else {
                    data
                }
            }));
            // another invoice's seal signature (valid, same seal and signer) swapped in
            let other = zip_entry(&genuine[1], SIGNED_VALUE);
            tampered.push(edit_zip(&genuine[2], |name, data| {
                if name == SIGNED_VALUE {
                    other.clone()
                } else {
                    data
                }
            }));
            // one bit of the signature value
            tampered.push(edit_zip(&genuine[3], |name, mut data| {
                if name == SIGNED_VALUE {
                    let last = data.len() - 1;
                    data[last] ^= 1;
                }
                data
            }));
            // sealed under a look-alike PKI (same names, other keys): not trusted
            let other_pki = BatchPki::new();
            tampered.push(other_pki.seal_ofd(&invoice_ofd(99)));
        }
        Kind::Pdf => {
            tampered.push(replace_first(&genuine[0], b"Amount: ", b"Amount:9"));
            // another invoice's /Contents swapped in (same reserved size)
            let (at, len) = pdf_contents(&genuine[1]);
            let (at2, len2) = pdf_contents(&genuine[2]);
            assert_eq!(len, len2);
            let mut swapped = genuine[2].clone();
            swapped[at2..at2 + len].copy_from_slice(&genuine[1][at..at + len]);
            tampered.push(swapped);
            // a hex digit of the signature changed (inside the DER, not the zero padding)
            let (at, _) = pdf_contents(&genuine[3]);
            let mut flipped = genuine[3].clone();
            let i = at + 400;
            flipped[i] = if flipped[i] == b'0' { b'1' } else { b'0' };
            tampered.push(flipped);
            let other_pki = BatchPki::new();
            tampered.push(other_pki.seal_pdf(invoice_pdf(99)));
        }
    }
    let mut docs = Vec::new();
    let mut expect = Vec::new();
    let mut t = tampered.into_iter();
    for g in genuine {
        docs.push(g);
        expect.push(true);
        if let Some(x) = t.next() {
            docs.push(x);
            expect.push(false);
        }
    }
    (docs, expect)
}

#[test]
fn ofd_batch_equals_one_by_one() {
    let pki = BatchPki::new();
    let store = pki.store();
    let (docs, expect) = batch(&pki, Kind::Ofd);
    let one = verify_ofd(&docs, &store, Mode::OneByOne);
    let valid: Vec<bool> = one.iter().map(ofd_valid).collect();
    assert_eq!(valid, expect);
    for mode in Mode::ALL {
        let got = verify_ofd(&docs, &store, mode);
        assert_eq!(got.len(), one.len());
        for (i, (g, w)) in got.iter().zip(&one).enumerate() {
            assert_eq!(format!("{g:?}"), format!("{w:?}"), "{mode:?}, document {i}");
        }
    }
}

#[test]
fn pdf_batch_equals_one_by_one() {
    let pki = BatchPki::new();
    let store = pki.store();
    let (docs, expect) = batch(&pki, Kind::Pdf);
    let one = verify_pdf(&docs, &store, Mode::OneByOne);
    let valid: Vec<bool> = one.iter().map(pdf_valid).collect();
    assert_eq!(valid, expect, "{one:#?}");
    for mode in Mode::ALL {
        let got = verify_pdf(&docs, &store, mode);
        assert_eq!(got.len(), one.len());
        for (i, (g, w)) in got.iter().zip(&one).enumerate() {
            assert_eq!(format!("{g:?}"), format!("{w:?}"), "{mode:?}, document {i}");
        }
    }
}
