//! The signature value (`SignedValue.dat`) behind two small traits.
//!
//! In GB/T 33190 §18 the signature never covers the zip: the signature value covers the bytes
//! of Signature.xml, which lists the digest of every protected file. What the value is depends
//! on the signature type:
//!
//! * `Type="Seal"`: a DER `SES_Signature` (GB/T 38540-2020 v4, or GM/T 0031-2014 v1) whose
//!   `dataHash` is SM3(Signature.xml) and whose `propertyInfo` is the absolute path of
//!   Signature.xml;
//! * `Type="Sign"`: GB/T 35275 SignedData over SM3(Signature.xml), or a bare DER SM2 signature
//!   over the Signature.xml bytes ([`raw_sm2`], the ofdrw `DigitalSignContainer` form).
//!
//! [`SignedValueSigner`] produces the value from the Signature.xml bytes; [`SignedValueVerifier`]
//! checks it and describes what it found. The OFD layer (references, coverage, stamps, package)
//! never looks inside the value.

pub mod cms;
pub mod raw_sm2;
pub mod ses;

use crate::error::SignedValueError;
use crate::path::PackagePath;
use crate::report::SignedValueReport;
use crate::xml::signatures::SignatureType;
use gmseal_sm2::Strictness;

/// What a signer is given.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SignInput<'a> {
    /// The exact bytes of Signature.xml as they will be stored.
    pub signature_xml: &'a [u8],
    /// Its package path ([`PackagePath::to_loc`] gives the absolute form SES `propertyInfo`
    /// uses).
    pub signature_path: &'a PackagePath,
    /// The `SignatureDateTime` written in Signature.xml.
    pub signature_date_time: &'a str,
    /// The signing time.
    pub time: std::time::SystemTime,
}

/// Produces `SignedValue.dat` for a new signature.
pub trait SignedValueSigner {
    /// Seal or Sign.
    fn kind(&self) -> SignatureType;

    /// The `SignatureMethod` to write (an OID such as `1.2.156.10197.1.501`), if any.
    fn signature_method(&self) -> Option<String>;

    /// The seal (DER `SESeal`) to store as `Seal.esl`, referenced and named by `Seal/BaseLoc`.
    /// `None` leaves the seal only inside the signed value, as e-invoice signers do.
    fn seal_file(&self) -> Option<Vec<u8>> {
        None
    }

    /// The signed value over `input.signature_xml`.
    ///
    /// # Errors
    /// [`SignedValueError`] when the key or the encoder fails.
    fn sign(&self, input: &SignInput<'_>) -> Result<Vec<u8>, SignedValueError>;
}

/// What a verifier is given.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct VerifyInput<'a> {
    /// Seal or Sign, from Signatures.xml.
    pub kind: SignatureType,
    /// The bytes of Signature.xml as stored.
    pub signature_xml: &'a [u8],
    /// Its package path.
    pub signature_path: &'a PackagePath,
    /// The bytes of the signed value file.
    pub signed_value: &'a [u8],
    /// The bytes of the `Seal/BaseLoc` file, when Signature.xml names one.
    pub seal_file: Option<&'a [u8]>,
    /// `SignatureMethod` as written.
    pub signature_method: Option<&'a str>,
    /// `SignatureDateTime` as written.
    pub signature_date_time: Option<&'a str>,
    /// Strict or lenient.
    pub strictness: Strictness,
}

/// Checks `SignedValue.dat` and describes it.
pub trait SignedValueVerifier: Send + Sync {
    /// Verify the value. A value that does not verify is a failed check in the report; an
    /// error means the value could not be read at all (the OFD verifier turns it into a
    /// finding on that signature).
    ///
    /// # Errors
    /// [`SignedValueError`] when the value is not in a format this verifier reads.
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError>;
}

impl<T: SignedValueVerifier + ?Sized> SignedValueVerifier for Box<T> {
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError> {
        (**self).verify(input)
    }
}

impl<T: SignedValueVerifier + ?Sized> SignedValueVerifier for &T {
    fn verify(&self, input: &VerifyInput<'_>) -> Result<SignedValueReport, SignedValueError> {
        (**self).verify(input)
    }
}
