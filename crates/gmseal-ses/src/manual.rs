//! The manual: how the seal versions differ, what each signature covers, how verification
//! proceeds, and where real files and other implementations depart from the standards.
//!
//! # The versions
//!
//! | | v1: GM/T 0031-2014 | v4: GB/T 38540-2020 | v5: GM/T 0031-2025 |
//! |---|---|---|---|
//! | `SES_Header.version` | 1 | 4 | 5 |
//! | `SESeal` | `{ esealInfo, signInfo }` | `{ eSealInfo, cert, signAlgID, signedValue }` | v4 + `timeStamp [0] EXPLICIT BIT STRING OPTIONAL` |
//! | dates | UTCTime | GeneralizedTime | GeneralizedTime |
//! | holder certificates | `SEQUENCE OF OCTET STRING` | `certListType` + certificates or `CertDigestObj` digests | as v4 |
//! | `TBS_Sign` | `{ version, eseal, timeInfo BIT STRING, dataHash, propertyInfo, cert, signatureAlgorithm }` | `{ version, eseal, timeInfo GeneralizedTime, dataHash, propertyInfo, extDatas [0] OPTIONAL }` | as v4 |
//! | `SES_Signature` | `{ toSign, signature }` | `{ toSign, cert, signatureAlgID, signature, timeStamp [0] OPTIONAL }` | as v4 |
//!
//! A decoder tells the layouts apart by the number of elements (`SESeal`: 2 for v1, 4 or 5
//! for v4/v5; `SES_Signature`: 2 for v1, 4 or 5 for v4/v5) and v4 from v5 by the header
//! version. Header versions other than 1, 4 and 5 are [`Error::UnsupportedVersion`], except
//! 1–3 on the v4 layout (GOMAIN writes 3), which lenient mode accepts as v4.
//!
//! The v5 structures come from ofdrw's v5 classes (added 2026-04): the text of GM/T 0031-2025
//! was not available. They are the v4 structures plus the seal timestamp; this crate reads,
//! makes and verifies them, and `TBS_Sign.version` 4 or 5 is accepted in a v5 signature.
//!
//! # What each signature covers
//!
//! * **The maker's signature**, v4/v5: the DER of `SES_SealInfo` alone, exactly as received
//!   ([`Seal::maker_signed_bytes`]). Every v4 sample seen verifies this way.
//! * **The maker's signature**, v1: the DER of `SEQUENCE { esealInfo, cert,
//!   signatureAlgorithm }`, built from the three elements as received (only the outer
//!   SEQUENCE header is new). The dms360 sample verifies this way and not over the seal
//!   information alone.
//! * **The signer's signature**, every version: the DER of `TBS_Sign` as received
//!   ([`SealSignature::tbs_der`]). In v1 the signer's certificate and algorithm are inside it;
//!   in v4 they are outside.
//! * `dataHash`: SM3 of the signed data (for OFD: the bytes of this signature's
//!   `Signature.xml`; for PDF: the byte ranges).
//! * The v4 `timeStamp`: a timestamp token over the signature value; the v5 seal `timeStamp`:
//!   over the maker's signature value.
//!
//! Both signatures are SM2 with SM3 and the default ID `1234567812345678`. Nothing is ever
//! re-encoded before verifying.
//!
//! # Verification
//!
//! [`verify`](crate::verify::verify) performs every step of [`Step`](crate::verify::Step) and
//! reports each one: passed, failed (with a [`Finding`](crate::verify::Finding)), not
//! performed (with the reason) or not applicable. Choices made where the standard's text was
//! not at hand:
//!
//! * the signing time is `timeInfo` (v1: its text, read as described in
//!   [`parse_time_info`](crate::time::parse_time_info));
//! * the signer's certificate must be valid at the signing time, the maker's when the seal was
//!   made (`createDate`); the seal itself must be valid (`validStart`..`validEnd`) at the
//!   signing time;
//! * key usage, when present, must include `digitalSignature`;
//! * the signer is bound to the seal when its certificate is byte-identical to an entry of the
//!   certificate list, or its SM3 digest equals an entry of the digest list (digest types
//!   `SM3` or `1.2.156.10197.1.401`; other types make the step "not performed").
//!
//! Chain building and revocation checking plug in through
//! [`ChainVerifier`](crate::verify::ChainVerifier): gmseal-cms's
//! [`CertChainVerifier`](crate::verify::CertChainVerifier) over a gmseal-cert trust store
//! implements it (leaf key usage `digitalSignature` for the maker and the signer); without
//! one the chain steps are "not performed: no trust anchors configured". Timestamp tokens plug
//! in through [`TimestampVerifier`](crate::verify::TimestampVerifier):
//! [`TimestampTokenVerifier`](crate::verify::TimestampTokenVerifier) verifies them with
//! gmseal-cms (imprint over the signature value, TSA signature, ESS certificate id,
//! timeStamping key purpose, the TSA's chain at `genTime`); without one a present token is
//! "present, not verified".
//!
//! # Times
//!
//! * `timeInfo` is what the signer *claims*. The signer's certificate and the seal's validity
//!   are checked at it, as the standard asks; the maker's certificate at `createDate`.
//! * A timestamp over the signature value that verifies with a trusted TSA proves the
//!   signature existed at its `genTime`
//!   ([`VerifyReport::proof_of_existence`](crate::verify::VerifyReport::proof_of_existence)).
//!   The claimed time may not be later than `genTime` (five minutes of clock skew allowed;
//!   otherwise [`Finding::TimeAfterTimestamp`](crate::verify::Finding::TimeAfterTimestamp)),
//!   and the signer's **chain** — path, every certificate's validity, revocation — is
//!   validated at `genTime`: a revocation after it does not count.
//! * Without such a timestamp the chain is validated at the claimed time, and a certificate
//!   revoked *after* that time makes the chain step indeterminate
//!   ([`Finding::RevokedAfterClaimedTime`](crate::verify::Finding::RevokedAfterClaimedTime)):
//!   a signer holding a compromised key can claim any time, so nothing shows the signature
//!   came before the revocation (ETSI EN 319 102-1 reaches the same "no proof of existence"
//!   result). A certificate revoked *before* the claimed time is untrusted.
//! * The seal's own (v5) timestamp over the maker's signature does the same for the maker's
//!   chain and `createDate`.
//! * A timestamp whose TSA is untrusted or undecided gives no time and its step fails
//!   (untrusted or indeterminate); a token that does not cover the signature value is
//!   rejected.
//!
//! The [`Verdict`](crate::verify::Verdict) is the worst class among the outcomes: `Tampered`
//! (a signature or the data hash does not match), `Invalid` (a rule is broken),
//! `Untrusted` (a chain or timestamp was rejected), `Indeterminate` (a step could not be
//! performed or decided), `Valid`.
//!
//! # Raw `r‖s` and the other deviations
//!
//! The standards require DER `SEQUENCE { r, s }` signature values. tongz (oesplugin) writes raw
//! 64-byte `r‖s` signer signatures, and so does a GOMAIN PDF seal signature, next to a DER
//! maker signature in the same file. ofdrw's verifier and sOFD's reject them; the seals are
//! nonetheless in use, so lenient mode verifies them and reports
//! [`Deviation::SignatureEncoding`]. Making a seal or a signature with raw values is possible
//! ([`SealBuilder::signature_format`], [`SignatureBuilder::signature_format`]) for systems that
//! expect them; DER is the default.
//!
//! # Other implementations
//!
//! Checked in `tests/interop.rs`:
//!
//! * **sOFD** (`sofd-crypto` 0.6): reads our v4/v5 signatures exactly as we do (signed content,
//!   signature, certificate, data hash, picture) and verifies them; we verify what its SM2
//!   signer signs. It departs from GB/T 38540 in three places, where we follow the standard:
//!   it takes the *last* element of `SES_Signature` as the signature, so a present `timeStamp`
//!   is mistaken for it; it reads the v4 layout only, so in v1 it finds no certificate (which v1
//!   keeps inside `TBS_Sign`); it accepts DER signatures only. Its path validation verifies
//!   every link of our gmseal-cert test PKI but counts the end-entity certificate against
//!   `pathLenConstraint` (a sub CA with pathLen 0 fails), where RFC 5280 §4.2.1.9 and
//!   gmseal-cert count intermediate CA certificates only.
//! * **easyofd-rust** (`easyofd-gm` 0.1.4): its v1 decoder reads our v1 seals and signatures,
//!   and we read and verify its v1 output. It writes the seal name and picture type as
//!   PrintableString (the standard: UTF8String and IA5String): lenient mode accepts that for
//!   ASCII names, but for a Chinese name the bytes are not a valid PrintableString and the DER
//!   is malformed. Its "v4" has no `certListType` field, unlike GB/T 38540, ofdrw and every v4
//!   seal in the corpus: neither side can read the other's v4, and easyofd cannot read
//!   ofdrw's either. easyofd is wrong in each case.
//! * **ofdrw** (the corpus files it made): all verify; its verifier skips the maker's
//!   signature, certificates, seal validity and binding, which this crate checks.
//!
//! [`Error::UnsupportedVersion`]: crate::Error::UnsupportedVersion
//! [`Seal::maker_signed_bytes`]: crate::Seal::maker_signed_bytes
//! [`SealSignature::tbs_der`]: crate::SealSignature::tbs_der
//! [`Deviation::SignatureEncoding`]: crate::Deviation::SignatureEncoding
//! [`SealBuilder::signature_format`]: crate::SealBuilder::signature_format
//! [`SignatureBuilder::signature_format`]: crate::SignatureBuilder::signature_format
