//! The seal information (`SES_SealInfo`) a [`SealBuilder`] encodes, per version.

use der::Encode;
use der::asn1::{Ia5String, OctetString, PrintableString};

use super::SealBuilder;
use crate::cert_list::{CertDigestObj, CertEntry, SesCertList};
use crate::error::{Error, Result, asn1};
use crate::header::{HEADER_ID, SesHeader};
use crate::picture::SesEsPictureInfo;
use crate::string::SesString;
use crate::time::{SesTime, TimeKind};
use crate::version::SesVersion;
use crate::{v1, v4};

impl SealBuilder {
    /// DER `SES_SealInfo` of the builder's version, after checking every field.
    pub(super) fn seal_info_der(&self) -> Result<Vec<u8>> {
        let invalid = |field, reason| Error::InvalidInput { field, reason };
        if let Some(rule) = &self.es_id_rule {
            rule(&self.es_id).map_err(|reason| Error::EsIdRejected {
                es_id: self.es_id.clone(),
                reason,
            })?;
        }
        if self.es_id.is_empty() {
            return Err(invalid("esID", "empty"));
        }
        let es_id = Ia5String::new(&self.es_id).map_err(|_| invalid("esID", "not IA5 (ASCII)"))?;
        if self.name.is_empty() {
            return Err(invalid("name", "empty"));
        }
        let vid = Ia5String::new(&self.vendor_id).map_err(|_| invalid("Vid", "not IA5 (ASCII)"))?;
        let header = SesHeader {
            id: Ia5String::new(HEADER_ID).map_err(asn1("SES_Header"))?,
            version: self.version.header_version(),
            vid,
        };
        let (start, end) = self
            .validity
            .ok_or_else(|| invalid("validStart", "no validity given"))?;
        if start.unix_duration() >= end.unix_duration() {
            return Err(invalid("validEnd", "not after validStart"));
        }
        let created = self.create_date.unwrap_or(start);
        let (ptype, data, width, height) = self
            .picture
            .as_ref()
            .ok_or_else(|| invalid("picture", "no picture given"))?;
        if data.is_empty() {
            return Err(invalid("picture", "empty picture data"));
        }
        if *width <= 0 || *height <= 0 {
            return Err(invalid("picture", "width and height must be positive (mm)"));
        }
        let picture = SesEsPictureInfo {
            r#type: SesString::ia5(ptype).map_err(|_| invalid("type", "not IA5 (ASCII)"))?,
            data: OctetString::new(data.clone()).map_err(asn1("picture"))?,
            width: *width,
            height: *height,
        };
        let ext_datas = (!self.ext_datas.is_empty()).then(|| self.ext_datas.clone());
        let certs = self
            .certificates
            .iter()
            .map(|c| OctetString::new(c.clone()))
            .collect::<der::Result<Vec<_>>>()
            .map_err(asn1("certList"))?;
        match (certs.is_empty(), self.digests.is_empty()) {
            (true, true) => return Err(invalid("certList", "no holder certificate given")),
            (false, false) => {
                return Err(invalid(
                    "certList",
                    "certificates and certificate digests cannot be mixed",
                ));
            }
            _ => {}
        }
        let name = SesString::utf8(self.name.clone());
        let der = if self.version == SesVersion::V1 {
            if !self.digests.is_empty() {
                return Err(Error::NotInVersion {
                    feature: "a certificate digest list",
                    version: self.version,
                });
            }
            let utc = |t| {
                SesTime::new(t, TimeKind::UtcTime)
                    .map_err(|_| invalid("createDate", "UTCTime holds only 1950-2049"))
            };
            v1::SesSealInfo {
                header,
                es_id,
                property: v1::SesEsPropertyInfo {
                    r#type: self.seal_type,
                    name,
                    cert_list: certs.into_iter().map(CertEntry::Certificate).collect(),
                    create_date: utc(created)?,
                    valid_start: utc(start)?,
                    valid_end: utc(end)?,
                },
                picture,
                ext_datas,
            }
            .to_der()
            .map_err(asn1("SES_SealInfo"))?
        } else {
            let gt = |t| SesTime::GeneralizedTime(der::asn1::GeneralizedTime::from_date_time(t));
            let (cert_list_type, cert_list) = if certs.is_empty() {
                let digests = self
                    .digests
                    .iter()
                    .map(|(t, v)| {
                        Ok(CertDigestObj {
                            r#type: PrintableString::new(t)
                                .map_err(|_| invalid("CertDigestObj.type", "not printable"))?,
                            value: OctetString::new(v.clone()).map_err(asn1("CertDigestObj"))?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                (2, SesCertList::CertDigestList(digests))
            } else {
                (1, SesCertList::Certs(certs))
            };
            v4::SesSealInfo {
                header,
                es_id,
                property: v4::SesEsPropertyInfo {
                    r#type: self.seal_type,
                    name,
                    cert_list_type,
                    cert_list,
                    create_date: gt(created),
                    valid_start: gt(start),
                    valid_end: gt(end),
                },
                picture,
                ext_datas,
            }
            .to_der()
            .map_err(asn1("SES_SealInfo"))?
        };
        Ok(der)
    }
}
