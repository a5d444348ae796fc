//! The seal lifecycle of the provincial scheme (spec 001, §"电子印章申请和管理流程"): new seal
//! (新制), change (变更), report loss and reissue (挂失补办), cancellation (注销), renewal (更新),
//! carrier replacement (更换) and UKey unlock (UKEY解锁), as typed transitions that carry the
//! data each step needs.
//!
//! ```text
//!  apply ─▶ Applied ─code─▶ Coded ─certify─▶ Certified ─make─▶ Made ─download─▶ Downloaded ─deliver─▶ InUse
//!                                                                                                   │
//!   InUse ── renew ──▶ InUse (new validity)           InUse ── replace carrier ──▶ InUse (new carrier)
//!   InUse ── unlock UKey ──▶ InUse (UKey carriers only)
//!   InUse ── cancel ──▶ Cancelled (final)
//!   InUse ── change ──▶ Cancelled, and a new application (新制 of the replacement seal)
//!   InUse ── report loss ──▶ ReportedLost (final), and a new application
//! ```
//!
//! Steps a) and b) of each flow (the user unit submits material, the maker checks it) happen
//! outside any system and are not modelled; each transition starts at the maker's action in the
//! seal system. The new-seal flow's step d) lists the application data ([`Application`]).

use crate::error::{Error, Result};
use crate::seal_data::{Carrier, SealNumber};
use crate::time::LocalDateTime;

/// 单位类型 of the application (step d).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitType {
    /// 国家行政机关.
    StateOrgan,
    /// 企业事业单位.
    Enterprise,
    /// 社会团体.
    SocialOrganisation,
}

/// A person of the application (legal representative or agent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// 姓名.
    pub name: String,
    /// 公民身份号码 (GB 11643).
    pub id_number: String,
    /// 手机号码.
    pub mobile: String,
}

/// The application data of spec 001 §"电子印章新制" step d).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// 单位统一社会信用代码.
    pub credit_code: String,
    /// 单位行政区划码 (GB/T 2260, 6 digits).
    pub region_code: String,
    /// 单位类型.
    pub unit_type: UnitType,
    /// 单位名称.
    pub unit_name: String,
    /// 法定代表人.
    pub legal_representative: Person,
    /// 单位地址.
    pub address: String,
    /// 经办人.
    pub agent: Person,
    /// 审批单位名称.
    pub approver_name: String,
    /// 审批单位行政区划码.
    pub approver_region_code: String,
    /// 电子印章名称.
    pub seal_name: String,
    /// 电子印章印模 (PNG, the picture profile applies).
    pub picture: Vec<u8>,
    /// 电子印章申请数据包 exported by an application system, when the seal is to be imported
    /// into one (optional).
    pub application_package: Option<Vec<u8>>,
    /// The carrier.
    pub carrier: Carrier,
}

impl Application {
    /// The rules of step d) that can be checked here, each broken one listed: credit code
    /// (GB 32100), region codes (6 digits), identity numbers (GB 11643), mobile numbers
    /// (11 digits starting with 1), non-empty names.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Err(e) = gmseal_cert::identity::validate_uscc(&self.credit_code) {
            out.push(("credit_code", e.to_string()));
        }
        for (f, r) in [
            ("region_code", &self.region_code),
            ("approver_region_code", &self.approver_region_code),
        ] {
            if r.len() != 6 || !r.bytes().all(|b| b.is_ascii_digit()) {
                out.push((f, format!("{r:?} is not a 6-digit region code")));
            }
        }
        for (f, p) in [
            ("legal_representative", &self.legal_representative),
            ("agent", &self.agent),
        ] {
            if let Err(e) = gmseal_cert::identity::validate_resident_id(&p.id_number) {
                out.push((f, format!("identity number: {e}")));
            }
            let m = p.mobile.as_bytes();
            if m.len() != 11 || m.first() != Some(&b'1') || !m.iter().all(u8::is_ascii_digit) {
                out.push((
                    f,
                    format!("mobile {:?} is not an 11-digit number", p.mobile),
                ));
            }
            if p.name.trim().is_empty() {
                out.push((f, "empty name".into()));
            }
        }
        for (f, v) in [
            ("unit_name", &self.unit_name),
            ("seal_name", &self.seal_name),
            ("approver_name", &self.approver_name),
            ("address", &self.address),
        ] {
            if v.trim().is_empty() {
                out.push((f, "empty".into()));
            }
        }
        if self.picture.is_empty() {
            out.push(("picture", "no picture".into()));
        }
        out
    }
}

/// Where a seal is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealStage {
    /// Application entered (step d).
    Applied,
    /// Unique code assigned (step e).
    Coded {
        /// The seal number.
        seal_num: SealNumber,
    },
    /// Certificate issued by the CA (step f); one certificate per seal.
    Certified {
        /// The seal number.
        seal_num: SealNumber,
        /// The signer certificate (DER).
        certificate: Vec<u8>,
    },
    /// Seal made by the platform (step g).
    Made {
        /// The seal number.
        seal_num: SealNumber,
        /// The seal (DER of the SESeal).
        seal: Vec<u8>,
    },
    /// Downloaded by the maker (step h).
    Downloaded {
        /// The seal number.
        seal_num: SealNumber,
    },
    /// Delivered and in use (step i).
    InUse {
        /// The seal number.
        seal_num: SealNumber,
        /// The carrier.
        carrier: Carrier,
        /// End of validity.
        valid_until: LocalDateTime,
    },
    /// Cancelled (注销, also the old seal of a change): final.
    Cancelled {
        /// The seal number.
        seal_num: SealNumber,
        /// Why.
        reason: String,
    },
    /// Reported lost (挂失): final.
    ReportedLost {
        /// The seal number.
        seal_num: SealNumber,
    },
}

impl SealStage {
    /// A name for messages.
    pub fn name(&self) -> &'static str {
        match self {
            SealStage::Applied => "applied",
            SealStage::Coded { .. } => "coded",
            SealStage::Certified { .. } => "certified",
            SealStage::Made { .. } => "made",
            SealStage::Downloaded { .. } => "downloaded",
            SealStage::InUse { .. } => "in use",
            SealStage::Cancelled { .. } => "cancelled",
            SealStage::ReportedLost { .. } => "reported lost",
        }
    }
}

/// An operation on a seal, with the data it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Step e: assign the unique code.
    AssignCode(SealNumber),
    /// Step f: the CA issued the signer certificate.
    IssueCertificate(Vec<u8>),
    /// Step g: the platform made the seal.
    MakeSeal(Vec<u8>),
    /// Step h: the maker downloaded it.
    Download,
    /// Step i: delivered on a carrier, valid until a time.
    Deliver {
        /// The carrier.
        carrier: Carrier,
        /// End of validity.
        valid_until: LocalDateTime,
    },
    /// 电子印章更新: the seal or its certificate expires; new validity.
    Renew {
        /// New end of validity (after the old one).
        valid_until: LocalDateTime,
    },
    /// 电子印章更换: the carrier is damaged; new carrier (identifier of the new UKey or
    /// server slot).
    ReplaceCarrier {
        /// The new carrier.
        carrier: Carrier,
        /// Identifier of the new carrier.
        carrier_id: String,
    },
    /// 电子印章UKEY解锁: PIN reset of a UKey carrier.
    UnlockUKey {
        /// The UKey's identifier.
        ukey_id: String,
    },
    /// 电子印章注销.
    Cancel {
        /// Why.
        reason: String,
    },
    /// 电子印章变更: the old seal is cancelled and a new one applied for.
    Change {
        /// Why (organisation change, renaming...).
        reason: String,
        /// The application of the replacement seal.
        new_application: Box<Application>,
    },
    /// 电子印章挂失补办: the old seal is reported lost and a new one applied for.
    ReportLoss {
        /// The application of the replacement seal.
        new_application: Box<Application>,
    },
}

impl Operation {
    /// A name for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::AssignCode(_) => "assign code",
            Operation::IssueCertificate(_) => "issue certificate",
            Operation::MakeSeal(_) => "make seal",
            Operation::Download => "download",
            Operation::Deliver { .. } => "deliver",
            Operation::Renew { .. } => "renew",
            Operation::ReplaceCarrier { .. } => "replace carrier",
            Operation::UnlockUKey { .. } => "unlock UKey",
            Operation::Cancel { .. } => "cancel",
            Operation::Change { .. } => "change",
            Operation::ReportLoss { .. } => "report loss",
        }
    }
}

/// The result of an operation: the seal's new stage and, for change and loss, the application
/// of the replacement seal (whose life starts at [`SealStage::Applied`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The new stage.
    pub stage: SealStage,
    /// The replacement's application (change, report loss).
    pub replacement: Option<Box<Application>>,
}

impl SealStage {
    /// Apply `op`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when `op` is not allowed in this stage (the stage is left
    /// as it was); [`Error::InvalidField`] when the data breaks a rule (renewal to an earlier
    /// time, unlocking a server-hosted seal).
    pub fn apply(&self, op: Operation) -> Result<Transition> {
        let illegal = || Error::IllegalTransition {
            from: self.name(),
            to: op.name(),
        };
        let stage = match (self, &op) {
            (SealStage::Applied, Operation::AssignCode(n)) => SealStage::Coded {
                seal_num: n.clone(),
            },
            (SealStage::Coded { seal_num }, Operation::IssueCertificate(c)) => {
                SealStage::Certified {
                    seal_num: seal_num.clone(),
                    certificate: c.clone(),
                }
            }
            (SealStage::Certified { seal_num, .. }, Operation::MakeSeal(s)) => SealStage::Made {
                seal_num: seal_num.clone(),
                seal: s.clone(),
            },
            (SealStage::Made { seal_num, .. }, Operation::Download) => SealStage::Downloaded {
                seal_num: seal_num.clone(),
            },
            (
                SealStage::Downloaded { seal_num },
                Operation::Deliver {
                    carrier,
                    valid_until,
                },
            ) => SealStage::InUse {
                seal_num: seal_num.clone(),
                carrier: *carrier,
                valid_until: *valid_until,
            },
            (
                SealStage::InUse {
                    seal_num,
                    carrier,
                    valid_until,
                },
                Operation::Renew { valid_until: new },
            ) => {
                if new <= valid_until {
                    return Err(Error::invalid(
                        "valid_until",
                        "a renewal extends the validity",
                        &new.to_string(),
                    ));
                }
                SealStage::InUse {
                    seal_num: seal_num.clone(),
                    carrier: *carrier,
                    valid_until: *new,
                }
            }
            (
                SealStage::InUse {
                    seal_num,
                    valid_until,
                    ..
                },
                Operation::ReplaceCarrier { carrier, .. },
            ) => SealStage::InUse {
                seal_num: seal_num.clone(),
                carrier: *carrier,
                valid_until: *valid_until,
            },
            (SealStage::InUse { carrier, .. }, Operation::UnlockUKey { .. }) => {
                if *carrier != Carrier::UKey {
                    return Err(Error::invalid(
                        "carrier",
                        "UKey unlock applies to UKey carriers",
                        "server",
                    ));
                }
                self.clone()
            }
            (SealStage::InUse { seal_num, .. }, Operation::Cancel { reason })
            | (SealStage::InUse { seal_num, .. }, Operation::Change { reason, .. }) => {
                SealStage::Cancelled {
                    seal_num: seal_num.clone(),
                    reason: reason.clone(),
                }
            }
            (SealStage::InUse { seal_num, .. }, Operation::ReportLoss { .. }) => {
                SealStage::ReportedLost {
                    seal_num: seal_num.clone(),
                }
            }
            _ => return Err(illegal()),
        };
        let replacement = match op {
            Operation::Change {
                new_application, ..
            }
            | Operation::ReportLoss { new_application } => Some(new_application),
            _ => None,
        };
        Ok(Transition { stage, replacement })
    }
}
