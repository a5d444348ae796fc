//! Small helpers the commands share: certificates from files, times, hex.

use std::path::Path;
use std::time::SystemTime;

use der::{DateTime, Decode};
use gmseal_sm2::key::{looks_like_pem, pem_blocks};
use x509_cert::Certificate;

use crate::error::{CliError, CliResult};
use crate::output::read_limited;

/// The largest certificate file read.
const MAX_CERT_FILE: u64 = 4 << 20;

/// Read the certificates of a file (PEM with one or more `CERTIFICATE` blocks, or one DER
/// certificate), as DER.
pub(crate) fn read_certificates(path: &Path) -> CliResult<Vec<Vec<u8>>> {
    let data = read_limited(path, MAX_CERT_FILE)?;
    let ders = if looks_like_pem(&data) {
        pem_blocks(&data)
            .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?
            .into_iter()
            .filter(|(label, _)| label == "CERTIFICATE" || label == "X509 CERTIFICATE")
            .map(|(_, der)| der)
            .collect()
    } else {
        vec![data]
    };
    if ders.is_empty() {
        return Err(CliError::failed(format!(
            "{} holds no certificate",
            path.display()
        )));
    }
    for der in &ders {
        Certificate::from_der(der).map_err(|e| {
            CliError::failed(format!(
                "{} is not an X.509 certificate: {e}",
                path.display()
            ))
        })?;
    }
    Ok(ders)
}

/// Read the one certificate of a file.
pub(crate) fn read_certificate(path: &Path) -> CliResult<Vec<u8>> {
    let mut v = read_certificates(path)?;
    if v.len() > 1 {
        return Err(CliError::failed(format!(
            "{} holds {} certificates; one is expected",
            path.display(),
            v.len()
        )));
    }
    v.pop()
        .ok_or_else(|| CliError::failed(format!("{} holds no certificate", path.display())))
}

/// A certificate in PEM.
pub(crate) fn certificate_pem(der: &[u8]) -> String {
    gmseal_sm2::key::pem_encode("CERTIFICATE", der)
}

/// Subject, issuer, serial and validity of a certificate, for reports.
#[derive(Debug, Clone)]
pub(crate) struct CertInfo {
    pub(crate) subject: String,
    pub(crate) issuer: String,
    pub(crate) serial: String,
    pub(crate) not_before: String,
    pub(crate) not_after: String,
}

impl CertInfo {
    /// Read a DER certificate; `None` when it does not decode.
    pub(crate) fn of(der: &[u8]) -> Option<CertInfo> {
        let c = Certificate::from_der(der).ok()?;
        let tbs = c.tbs_certificate();
        Some(CertInfo {
            subject: tbs.subject().to_string(),
            issuer: tbs.issuer().to_string(),
            serial: hex::encode(tbs.serial_number().as_bytes()),
            not_before: tbs.validity().not_before.to_string(),
            not_after: tbs.validity().not_after.to_string(),
        })
    }

    /// As JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before,
            "not_after": self.not_after,
        })
    }
}

impl std::fmt::Display for CertInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (issuer {}, serial {}, valid {} to {})",
            self.subject, self.issuer, self.serial, self.not_before, self.not_after
        )
    }
}

/// Parse a time: `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DDTHH:MM:SSZ`, or `now`.
pub(crate) fn parse_time(s: &str) -> Result<DateTime, String> {
    if s == "now" {
        return Ok(now());
    }
    let bad = || format!("{s:?} is not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim_end_matches('Z'))),
        None => (s, None),
    };
    let d: Vec<&str> = date.split('-').collect();
    let [y, m, day] = d.as_slice() else {
        return Err(bad());
    };
    let num = |x: &str| x.parse::<u16>().map_err(|_| bad());
    let (hh, mm, ss) = match time {
        None => (0, 0, 0),
        Some(t) => {
            let p: Vec<&str> = t.split(':').collect();
            let [h, mi, se] = p.as_slice() else {
                return Err(bad());
            };
            (num(h)?, num(mi)?, num(se)?)
        }
    };
    let u8of = |v: u16| u8::try_from(v).map_err(|_| bad());
    DateTime::new(
        num(y)?,
        u8of(num(m)?)?,
        u8of(num(day)?)?,
        u8of(hh)?,
        u8of(mm)?,
        u8of(ss)?,
    )
    .map_err(|_| bad())
}

/// The current time, to the second.
pub(crate) fn now() -> DateTime {
    DateTime::from_system_time(SystemTime::now()).unwrap_or(DateTime::INFINITY)
}

/// `t` plus whole days (saturating at the end of 9999).
pub(crate) fn add_days(t: DateTime, days: u64) -> DateTime {
    t.to_system_time()
        .checked_add(std::time::Duration::from_secs(days.saturating_mul(86_400)))
        .and_then(|s| DateTime::from_system_time(s).ok())
        .unwrap_or(DateTime::INFINITY)
}
