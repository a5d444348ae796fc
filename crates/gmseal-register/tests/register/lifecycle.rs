//! Spec 001 seal lifecycle.

use gmseal_register::Error;
use gmseal_register::lifecycle::*;
use gmseal_register::seal_data::{Carrier, SealNumber, SealNumberRules};
use gmseal_register::time::LocalDateTime;

fn t(s: &str) -> LocalDateTime {
    LocalDateTime::parse("t", s).unwrap()
}

fn application() -> Application {
    Application {
        credit_code: crate::support::SUB_ORG.into(),
        region_code: "430111".into(),
        unit_type: UnitType::Enterprise,
        unit_name: "某某有限公司".into(),
        legal_representative: Person {
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
            mobile: "13800000000".into(),
        },
        address: "长沙市雨花区".into(),
        agent: Person {
            name: "李四".into(),
            id_number: "11010519491231002X".into(),
            mobile: "13900000000".into(),
        },
        approver_name: "某某市场监督管理局".into(),
        approver_region_code: "430100".into(),
        seal_name: "某某有限公司公章".into(),
        picture: vec![1],
        application_package: None,
        carrier: Carrier::UKey,
    }
}

fn in_use() -> SealStage {
    let num = SealNumber::generate("XXCA", "430111", &SealNumberRules::default()).unwrap();
    let mut s = SealStage::Applied;
    for op in [
        Operation::AssignCode(num),
        Operation::IssueCertificate(vec![0x30]),
        Operation::MakeSeal(vec![0x30]),
        Operation::Download,
        Operation::Deliver {
            carrier: Carrier::UKey,
            valid_until: t("2027-01-01 00:00:00"),
        },
    ] {
        s = s.apply(op).unwrap().stage;
    }
    s
}

#[test]
fn new_seal_flow_and_maintenance() {
    assert!(
        application().problems().is_empty(),
        "{:?}",
        application().problems()
    );
    let s = in_use();
    assert_eq!(s.name(), "in use");
    let s = s
        .apply(Operation::Renew {
            valid_until: t("2029-01-01 00:00:00"),
        })
        .unwrap()
        .stage;
    assert!(
        matches!(s, SealStage::InUse { valid_until, .. } if valid_until == t("2029-01-01 00:00:00"))
    );
    let err = s
        .apply(Operation::Renew {
            valid_until: t("2028-01-01 00:00:00"),
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("valid_until"));
    let s = s
        .apply(Operation::UnlockUKey {
            ukey_id: "UK1".into(),
        })
        .unwrap()
        .stage;
    let s = s
        .apply(Operation::ReplaceCarrier {
            carrier: Carrier::Server,
            carrier_id: "HSM-1".into(),
        })
        .unwrap()
        .stage;
    assert!(
        s.apply(Operation::UnlockUKey {
            ukey_id: "UK1".into()
        })
        .is_err()
    );
    let done = s
        .apply(Operation::Cancel {
            reason: "业务终止".into(),
        })
        .unwrap();
    assert!(matches!(done.stage, SealStage::Cancelled { .. }));
    assert!(done.replacement.is_none());
    // nothing after cancellation
    for op in [
        Operation::Download,
        Operation::Cancel { reason: "x".into() },
        Operation::Renew {
            valid_until: t("2030-01-01 00:00:00"),
        },
    ] {
        assert!(matches!(
            done.stage.apply(op),
            Err(Error::IllegalTransition { .. })
        ));
    }
}

#[test]
fn change_and_loss_start_a_replacement() {
    let t1 = in_use()
        .apply(Operation::Change {
            reason: "更名".into(),
            new_application: Box::new(application()),
        })
        .unwrap();
    assert!(matches!(t1.stage, SealStage::Cancelled { .. }));
    assert_eq!(*t1.replacement.unwrap(), application());
    let t2 = in_use()
        .apply(Operation::ReportLoss {
            new_application: Box::new(application()),
        })
        .unwrap();
    assert!(matches!(t2.stage, SealStage::ReportedLost { .. }));
    assert!(t2.replacement.is_some());
}

#[test]
fn out_of_order_steps_are_refused() {
    let s = SealStage::Applied;
    for op in [
        Operation::Download,
        Operation::MakeSeal(vec![]),
        Operation::Cancel { reason: "x".into() },
        Operation::UnlockUKey {
            ukey_id: "u".into(),
        },
    ] {
        let name = op.name();
        match s.apply(op) {
            Err(Error::IllegalTransition { from, to }) => assert_eq!((from, to), ("applied", name)),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn application_problems_are_listed() {
    let mut a = application();
    a.credit_code = "91110000600037341X".into();
    a.region_code = "4301".into();
    a.agent.mobile = "2380000000".into();
    a.legal_representative.id_number = "110105194912310021".into();
    let fields: Vec<&str> = a.problems().into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "credit_code",
            "region_code",
            "legal_representative",
            "agent"
        ]
    );
}
