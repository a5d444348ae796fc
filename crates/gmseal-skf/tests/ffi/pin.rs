//! PIN handling: counting down, lock, unblock, change, security state.

use gmseal_skf::{Error, PinType, Quirks, SarCode};
use gmseal_skf_soft::TestTokenSpec;
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey};

use crate::support::*;

#[test]
fn wrong_pin_counts_down_to_lock_then_unblock() {
    let spec = TestTokenSpec::default().retries(3);
    let (_dir, t) = token(&spec);
    let admin = t.admin().unwrap();
    let skf = open(&t, Quirks::STANDARD);
    let app = app(&t, &skf);
    for left in [2u32, 1, 0] {
        match app.verify_pin(PinType::User, "00000000").unwrap_err() {
            Error::PinIncorrect {
                remaining_retries, ..
            } => assert_eq!(remaining_retries, left),
            e => panic!("expected PinIncorrect, got {e}"),
        }
        // the counter is on disk before the error is returned
        assert_eq!(
            admin
                .pin_remaining(&t.device, &t.application, false)
                .unwrap(),
            left
        );
        assert_eq!(app.pin_info(PinType::User).unwrap().remaining_retries, left);
    }
    assert!(app.pin_info(PinType::User).unwrap().is_locked());
    // even the right PIN is refused now
    let err = app.verify_pin(PinType::User, &t.user_pin).unwrap_err();
    assert!(matches!(err, Error::PinLocked { .. }), "{err}");
    assert_eq!(err.sar_code(), Some(SarCode::PinLocked));

    // unblocking with a wrong admin PIN costs an admin try
    match app.unblock_pin("99999999", "11112222").unwrap_err() {
        Error::PinIncorrect {
            remaining_retries, ..
        } => assert_eq!(remaining_retries, 2),
        e => panic!("expected PinIncorrect, got {e}"),
    }
    assert_eq!(
        admin
            .pin_remaining(&t.device, &t.application, true)
            .unwrap(),
        2
    );
    app.unblock_pin(&t.admin_pin, "11112222").unwrap();
    let info = app.pin_info(PinType::User).unwrap();
    assert_eq!((info.remaining_retries, info.max_retries), (3, 3));
    assert!(!info.default_pin);
    // a successful admin PIN resets the admin counter too
    assert_eq!(
        admin
            .pin_remaining(&t.device, &t.application, true)
            .unwrap(),
        3
    );
    assert!(app.verify_pin(PinType::User, &t.user_pin).is_err());
    app.verify_pin(PinType::User, "11112222").unwrap();

    // the key survived: it is sealed under an application key, not the PIN itself
    let mut cfg = signer_config(&t, Quirks::STANDARD);
    cfg.pin = "11112222".to_string().into();
    let signer = gmseal_skf::SkfSigner::open(&cfg).unwrap();
    let sig = signer
        .sign_message(&DistId::default(), b"after unblock")
        .unwrap();
    Sm2VerifyingKey::new(t.public_key, DistId::default())
        .verify(b"after unblock", &sig)
        .unwrap();
}

#[test]
fn a_good_pin_resets_the_counter() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let app = app(&t, &skf);
    assert!(app.verify_pin(PinType::User, "bad").is_err());
    assert_eq!(app.pin_info(PinType::User).unwrap().remaining_retries, 5);
    app.verify_pin(PinType::User, &t.user_pin).unwrap();
    assert_eq!(app.pin_info(PinType::User).unwrap().remaining_retries, 6);
}

#[test]
fn change_pin_keeps_the_key() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let app = app(&t, &skf);
    let err = app
        .change_pin(PinType::User, "wrong", "22223333")
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::PinIncorrect {
                remaining_retries: 5,
                ..
            }
        ),
        "{err}"
    );
    app.change_pin(PinType::User, &t.user_pin, "22223333")
        .unwrap();
    assert!(app.verify_pin(PinType::User, &t.user_pin).is_err());
    app.verify_pin(PinType::User, "22223333").unwrap();
    let c = app.open_container(t.container.as_str()).unwrap();
    c.sign_prehash(&[9; 32]).unwrap();
    app.change_pin(PinType::Admin, &t.admin_pin, "87654321")
        .unwrap();
    app.verify_pin(PinType::Admin, "87654321").unwrap();
}

#[test]
fn security_state_ends_with_clear_and_close() {
    let (_dir, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let app = logged_in(&t, &skf);
    let c = app.open_container(t.container.as_str()).unwrap();
    c.sign_prehash(&[1; 32]).unwrap();
    app.clear_secure_state().unwrap();
    let err = c.sign_prehash(&[1; 32]).unwrap_err();
    assert_eq!(err.sar_code(), Some(SarCode::UserNotLoggedIn), "{err}");
    // a new application handle starts logged out
    app.verify_pin(PinType::User, &t.user_pin).unwrap();
    let app2 = crate::support::app(&t, &skf);
    let c2 = app2.open_container(t.container.as_str()).unwrap();
    assert!(c2.sign_prehash(&[1; 32]).is_err());
    // the admin PIN does not allow signing
    app2.verify_pin(PinType::Admin, &t.admin_pin).unwrap();
    assert!(c2.sign_prehash(&[1; 32]).is_err());
}

#[test]
fn retry_counter_is_shared_through_the_store() {
    // Two separately loaded copies of the token over one store: what one counts, the other
    // sees.
    let (dir, t) = default_token();
    let config =
        gmseal_skf_soft::TokenConfig::read(&gmseal_skf_soft::sidecar_path(&t.library)).unwrap();
    let second = gmseal_skf_soft::fixture::install(dir.path(), &config).unwrap();
    let a = app(&t, &open(&t, Quirks::STANDARD));
    let skf2 = gmseal_skf::Skf::open_standard(&second).unwrap();
    let b = skf2
        .connect(t.device.as_str())
        .unwrap()
        .open_application(t.application.as_str())
        .unwrap();
    assert!(a.verify_pin(PinType::User, "nope").is_err());
    assert!(a.verify_pin(PinType::User, "nope").is_err());
    assert_eq!(b.pin_info(PinType::User).unwrap().remaining_retries, 4);
}
