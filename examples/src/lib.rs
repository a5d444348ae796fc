//! What the gmseal examples share: a throwaway test PKI and a one-page sample PDF, so that every
//! example runs on its own. Real deployments load their keys and certificates from files or
//! UKeys instead (see each example).
#![forbid(unsafe_code)]

use der::DateTime;
use gmseal_cert::issue::validity;
use gmseal_cert::name::NameBuilder;
use gmseal_cert::profile::{OrganisationSigning, RootCa, SealMaker};
use gmseal_cert::subject::OrganisationSubject;
use gmseal_cert::{Cert, Issuer};
use gmseal_sm2::SoftwareSigner;

/// A boxed error, for examples.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A test PKI: a root CA, a seal maker and an organisation (the seal holder).
#[derive(Debug)]
pub struct TestPki {
    /// The root CA's key.
    pub root_key: SoftwareSigner,
    /// The root CA's certificate.
    pub root: Cert,
    /// The seal maker's key.
    pub maker_key: SoftwareSigner,
    /// The seal maker's certificate.
    pub maker: Cert,
    /// The organisation's key.
    pub org_key: SoftwareSigner,
    /// The organisation's certificate.
    pub org: Cert,
}

impl TestPki {
    /// Issue the three certificates, valid 2025–2035.
    ///
    /// # Errors
    /// Certificate issuing errors.
    pub fn new() -> Result<Self, BoxError> {
        let valid = validity(
            DateTime::new(2025, 1, 1, 0, 0, 0)?,
            DateTime::new(2035, 1, 1, 0, 0, 0)?,
        )?;
        let root_key = SoftwareSigner::generate();
        let name = NameBuilder::new()
            .country("CN")?
            .organization("gmseal examples")?
            .common_name("gmseal example root CA")?
            .build();
        let root =
            Issuer::new(&root_key).issue(RootCa::new(name), &root_key.public_key(), valid)?;
        let maker_key = SoftwareSigner::generate();
        let maker = Issuer::new(&root_key).issue(
            SealMaker::new(
                &OrganisationSubject::new("示例印章制作有限公司", "91350100M000100Y43")?,
                &root,
            )?,
            &maker_key.public_key(),
            valid,
        )?;
        let org_key = SoftwareSigner::generate();
        let org = Issuer::new(&root_key).issue(
            OrganisationSigning::new(
                &OrganisationSubject::new("示例有限公司", "91110000600037341L")?,
                &root,
            )?,
            &org_key.public_key(),
            valid,
        )?;
        Ok(TestPki {
            root_key,
            root,
            maker_key,
            maker,
            org_key,
            org,
        })
    }
}

/// A one-page PDF with a line of text.
pub fn sample_pdf(text: &str) -> Vec<u8> {
    let content = format!(
        "BT /F1 14 Tf 72 760 Td ({}) Tj ET\n",
        text.replace(['(', ')', '\\'], " ")
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A small PNG seal picture: a red ring on a transparent background, 128 x 128 pixels.
///
/// # Errors
/// PNG encoding errors.
pub fn sample_png() -> Result<Vec<u8>, BoxError> {
    const SIDE: u32 = 128;
    let mut rgba = Vec::new();
    for y in 0..SIDE {
        for x in 0..SIDE {
            let (dx, dy) = (f64::from(x) - 63.5, f64::from(y) - 63.5);
            let d = (dx * dx + dy * dy).sqrt();
            let on = (54.0..62.0).contains(&d) || d < 14.0;
            rgba.extend_from_slice(&[0xE6, 0x00, 0x12, if on { 255 } else { 0 }]);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, SIDE, SIDE);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header()?;
    w.write_image_data(&rgba)?;
    w.finish()?;
    Ok(out)
}

/// A one-page OFD package (GB/T 33190) with a line of text.
///
/// # Errors
/// Zip writing errors.
pub fn sample_ofd(text: &str) -> Result<Vec<u8>, BoxError> {
    use std::io::Write;
    const NS: &str = "http://www.ofdspec.org/2016";
    let text = text.replace('&', "&amp;").replace('<', "&lt;");
    let files = [
        (
            "OFD.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>00000000000000000000000000000001</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
            ),
        ),
        (
            "Doc_0/Document.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:MaxUnitID>4</ofd:MaxUnitID></ofd:CommonData><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>"
            ),
        ),
        (
            "Doc_0/PublicRes.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:Fonts><ofd:Font ID=\"3\" FontName=\"宋体\" FamilyName=\"宋体\"/></ofd:Fonts></ofd:Res>"
            ),
        ),
        (
            "Doc_0/Pages/Page_0/Content.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"{NS}\"><ofd:Content><ofd:Layer ID=\"2\"><ofd:TextObject ID=\"4\" Boundary=\"20 60 170 10\" Font=\"3\" Size=\"5\"><ofd:TextCode X=\"0\" Y=\"5\">{text}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
            ),
        ),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in files {
        zip.start_file(name, options)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.finish()?;
    Ok(out.into_inner())
}
