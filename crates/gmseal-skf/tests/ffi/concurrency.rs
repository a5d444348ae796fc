//! Threads: signing concurrently on one library and on two, and waiting for device events
//! while other calls proceed.

use std::sync::Arc;
use std::thread;

use gmseal_skf::{EventKind, Quirks};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey};

use crate::support::*;

#[test]
fn concurrent_signing_on_one_and_two_libraries() {
    let (_da, a) = default_token();
    let (_db, b) = default_token();
    let sa = Arc::new(signer(&a));
    let sb = Arc::new(signer(&b));
    let mut threads = Vec::new();
    for i in 0..4u8 {
        let (s, pk) = if i % 2 == 0 {
            (sa.clone(), a.public_key)
        } else {
            (sb.clone(), b.public_key)
        };
        threads.push(thread::spawn(move || {
            let vk = Sm2VerifyingKey::new(pk, DistId::default());
            for j in 0..4u8 {
                let m = [i, j];
                let sig = s.sign_message(&DistId::default(), &m).unwrap();
                vk.verify(&m, &sig).unwrap();
            }
        }));
    }
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn device_events_while_other_calls_proceed() {
    let (_d, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    assert_eq!(skf.devices(true).unwrap().len(), 1);
    let waiter = {
        let skf = skf.clone();
        thread::spawn(move || skf.wait_for_event())
    };
    // the waiting thread does not hold the call lock
    let s = signer(&t);
    s.sign_e(&[1; 32]).unwrap();
    assert_eq!(skf.devices(true).unwrap().len(), 1);
    t.admin()
        .unwrap()
        .add_device("SoftKey1", "second", "SN-2")
        .unwrap();
    let ev = waiter.join().unwrap().unwrap();
    assert_eq!(
        (ev.device.as_str(), ev.kind),
        ("SoftKey1", EventKind::Inserted)
    );

    t.admin().unwrap().set_present("SoftKey1", false).unwrap();
    let ev = skf.wait_for_event().unwrap();
    assert_eq!(
        (ev.device.as_str(), ev.kind),
        ("SoftKey1", EventKind::Removed)
    );

    // cancelling makes a blocked wait return
    let waiter = {
        let skf = skf.clone();
        thread::spawn(move || skf.wait_for_event())
    };
    thread::sleep(std::time::Duration::from_millis(100));
    skf.cancel_wait().unwrap();
    assert!(waiter.join().unwrap().is_err());
}
