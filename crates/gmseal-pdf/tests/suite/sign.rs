//! Signing the corpus: original bytes kept, qpdf clean.

use gmseal_pdf::{Placement, SealImage, SignOptions, sign};

use crate::support::*;

#[test]
fn every_corpus_file_signs_and_keeps_its_bytes() {
    let key = key();
    let (_keep, dir) = out_dir("corpus-signed");
    for (name, password) in corpus_inputs() {
        let input = corpus_pdf(name);
        let mut opts = SignOptions::new().seal(
            SealImage::from_bytes(&seal_png(), 30.0, 30.0).unwrap(),
            Placement::new(1, 20.0, 20.0),
        );
        if let Some(p) = password {
            opts = opts.password(p);
        }
        let signed = sign(input.clone(), &RawSm2::new(&key), &opts)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(signed.starts_with(&input), "{name}: original bytes changed");
        let path = write(&dir, name, &signed);
        qpdf_check(&path, password);
    }
}
