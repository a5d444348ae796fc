//! The character-string types the seal structures use, and the variants real files use instead.

use core::fmt;

use der::Choice;
use der::asn1::{BmpString, Ia5String, PrintableString};

/// A character string as found in a seal: the standard's type or one of the others real files
/// use instead (easyofd writes the seal name as PrintableString, GB/T 38540 says UTF8String).
///
/// Decoding accepts all four; the conformance check of [`Seal`](crate::Seal) and
/// [`SealSignature`](crate::SealSignature) reports a type other than the standard's as a
/// [`Deviation::StringType`](crate::Deviation::StringType).
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
pub enum SesString {
    /// UTF8String.
    #[asn1(type = "UTF8String")]
    Utf8String(String),
    /// PrintableString.
    #[asn1(type = "PrintableString")]
    PrintableString(PrintableString),
    /// IA5String.
    #[asn1(type = "IA5String")]
    Ia5String(Ia5String),
    /// BMPString (UCS-2).
    #[asn1(type = "BMPString")]
    BmpString(BmpString),
}

/// The ASN.1 type of a [`SesString`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringKind {
    /// UTF8String.
    Utf8String,
    /// PrintableString.
    PrintableString,
    /// IA5String.
    Ia5String,
    /// BMPString.
    BmpString,
}

impl fmt::Display for StringKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StringKind::Utf8String => "UTF8String",
            StringKind::PrintableString => "PrintableString",
            StringKind::Ia5String => "IA5String",
            StringKind::BmpString => "BMPString",
        })
    }
}

impl SesString {
    /// A UTF8String.
    pub fn utf8(s: impl Into<String>) -> Self {
        SesString::Utf8String(s.into())
    }

    /// An IA5String.
    ///
    /// # Errors
    /// `der` refuses characters outside ASCII.
    pub fn ia5(s: &str) -> der::Result<Self> {
        Ok(SesString::Ia5String(Ia5String::new(s)?))
    }

    /// The ASN.1 type.
    pub fn kind(&self) -> StringKind {
        match self {
            SesString::Utf8String(_) => StringKind::Utf8String,
            SesString::PrintableString(_) => StringKind::PrintableString,
            SesString::Ia5String(_) => StringKind::Ia5String,
            SesString::BmpString(_) => StringKind::BmpString,
        }
    }

    /// The text.
    pub fn to_text(&self) -> String {
        match self {
            SesString::Utf8String(s) => s.clone(),
            SesString::PrintableString(s) => s.as_str().to_owned(),
            SesString::Ia5String(s) => s.as_str().to_owned(),
            SesString::BmpString(s) => s.to_string(),
        }
    }
}

impl fmt::Display for SesString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}
