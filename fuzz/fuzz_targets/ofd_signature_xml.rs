//! The GB/T 33190 XML parsers (Signature.xml, Signatures.xml, OFD.xml, Document.xml, page
//! content) on arbitrary bytes: no panic; a Signature.xml that parses survives a write/parse
//! round trip.
#![no_main]

use gmseal_ofd::Limits;
use gmseal_ofd::xml::document::DocumentXml;
use gmseal_ofd::xml::ofd::OfdXml;
use gmseal_ofd::xml::page::PageXml;
use gmseal_ofd::xml::signature::SignatureXml;
use gmseal_ofd::xml::signatures::SignaturesXml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let l = Limits::default().xml_depth(64);
    if let Ok(s) = SignatureXml::parse(data, &l) {
        let again = SignatureXml::parse(&s.to_xml(), &l).expect("our own Signature.xml parses");
        assert_eq!(again.references, s.references);
        assert_eq!(again.stamp_annots.len(), s.stamp_annots.len());
        assert_eq!(again.signed_value, s.signed_value);
    }
    let _ = SignaturesXml::parse(data, &l);
    let _ = OfdXml::parse(data, &l);
    let _ = DocumentXml::parse(data, &l);
    if let Ok(p) = PageXml::parse(data, &l) {
        let _ = p.find("签章");
    }
});
