//! Vendor variants: two differently configured copies of the token loaded side by side, and
//! what a wrong quirk setting does.

use gmseal_skf::{
    AlgIdVariant, BoolWidth, DevInfoLayout, Error, KeyUsage, LibraryConfig, NameEncoding, PinType,
    Quirks, RawName, SarCode, Skf, SkfSigner,
};
use gmseal_skf_soft::{AlgIds, AppSpec, SoftQuirks, TestTokenSpec};
use gmseal_sm2::{DistId, Sm2SignerExt, Sm2VerifyingKey};

use crate::support::*;

fn vendor_b_soft() -> SoftQuirks {
    let mut q = SoftQuirks::default();
    q.alg_ids = AlgIds::Legacy;
    q.devinfo_size = 286;
    q.bool_width = 8;
    q.name_list_final_nul = false;
    q.gbk_names = true;
    q
}

fn vendor_b() -> Quirks {
    Quirks::STANDARD
        .with_alg_ids(AlgIdVariant::Legacy)
        .with_devinfo_layout(DevInfoLayout::WithoutBufferSizes)
        .with_bool_width(BoolWidth::U64)
        .with_name_encoding(NameEncoding::Gbk)
}

const DEV_B: &str = "签章钥匙";
const APP_B: &str = "签章应用";
const CON_B: &str = "印章容器";

#[test]
fn two_vendor_variants_side_by_side() {
    let (_da, a) = default_token();
    let spec_b = TestTokenSpec::default().quirks(vendor_b_soft());
    let (_db, b) = token(&spec_b);
    // a device, application and container with Chinese names on B
    let admin = b.admin().unwrap();
    admin.add_device(DEV_B, "中文标签", "SN-B").unwrap();
    admin
        .add_application(
            DEV_B,
            APP_B,
            &AppSpec::new("12345678", "88888888").kdf_iterations(64),
        )
        .unwrap();
    admin.add_container(DEV_B, APP_B, CON_B).unwrap();
    let pk_b = admin
        .set_sign_key(DEV_B, APP_B, CON_B, "88888888", None)
        .unwrap();

    let skf_a = Skf::open(&a.library, LibraryConfig::default()).unwrap();
    let skf_b = Skf::open(&b.library, LibraryConfig::with_quirks(vendor_b())).unwrap();

    // A: standard everything
    assert_eq!(skf_a.devices(false).unwrap(), vec!["SoftKey0"]);
    let info_a = skf_a.connect("SoftKey0").unwrap().info().unwrap();
    assert_eq!(info_a.max_ecc_buffer_size, Some(1024));
    assert_eq!(info_a.total_space, 1 << 20);

    // B: the names come back in GBK, without the final NUL, and decode
    let devs = skf_b.devices(false).unwrap();
    assert_eq!(devs.len(), 2);
    let chinese = devs
        .iter()
        .find(|n| *n == DEV_B)
        .expect("GBK device name decoded");
    assert!(chinese.is_lossless());
    assert_eq!(chinese.raw(), &encoding_rs::GBK.encode(DEV_B).0[..]);
    let dev_b = skf_b.connect(chinese).unwrap();
    let info_b = dev_b.info().unwrap();
    assert_eq!(info_b.label, "中文标签");
    assert_eq!(
        info_b.max_ecc_buffer_size, None,
        "286-byte layout has no buffer sizes"
    );
    assert_eq!(info_b.total_space, 1 << 20);
    assert_eq!(info_b.alg_asym_cap, 0x0002_0100 | 0x0002_0400);
    assert!(info_b.supports_sm2());
    let app_b = dev_b.open_application(APP_B).unwrap();
    assert_eq!(app_b.containers().unwrap(), vec![CON_B]);
    // BOOL written as 8 bytes
    assert!(app_b.pin_info(PinType::User).unwrap().default_pin);
    app_b.verify_pin(PinType::User, "88888888").unwrap();

    // signing on both, interleaved
    let signer_a = signer(&a);
    let signer_b = SkfSigner::new(app_b.clone(), app_b.open_container(CON_B).unwrap()).unwrap();
    for i in 0..3u8 {
        let m = [i; 10];
        let sa = signer_a.sign_message(&DistId::default(), &m).unwrap();
        let sb = signer_b.sign_message(&DistId::default(), &m).unwrap();
        Sm2VerifyingKey::new(a.public_key, DistId::default())
            .verify(&m, &sa)
            .unwrap();
        Sm2VerifyingKey::new(pk_b, DistId::default())
            .verify(&m, &sb)
            .unwrap();
        assert!(
            Sm2VerifyingKey::new(pk_b, DistId::default())
                .verify(&m, &sa)
                .is_err()
        );
    }

    // key generation: B takes only the legacy SM2 ID, A only the standard one
    let c = app_b.create_container("新容器").unwrap();
    c.generate_sign_key().unwrap();
    let app_a = logged_in(&a, &skf_a);
    app_a
        .create_container("NEW")
        .unwrap()
        .generate_sign_key()
        .unwrap();
    let b_with_standard_ids = Skf::open(
        &b.library,
        LibraryConfig::with_quirks(vendor_b().with_alg_ids(AlgIdVariant::Standard)),
    )
    .unwrap();
    let app = b_with_standard_ids
        .connect(DEV_B)
        .unwrap()
        .open_application(APP_B)
        .unwrap();
    app.verify_pin(PinType::User, "88888888").unwrap();
    let err = app
        .open_container("新容器")
        .unwrap()
        .generate_sign_key()
        .unwrap_err();
    assert_eq!(err.sar_code(), Some(SarCode::InvalidParam), "{err}");
}

#[test]
fn names_pass_through_as_raw_bytes() {
    let spec = TestTokenSpec::default().quirks(vendor_b_soft());
    let (_d, t) = token(&spec);
    t.admin().unwrap().add_device(DEV_B, "x", "y").unwrap();
    // Read with UTF-8 configured (the wrong setting): the name is not valid UTF-8, decodes
    // lossily, but its raw bytes still open the device.
    let skf = Skf::open(&t.library, LibraryConfig::default()).unwrap();
    let names = skf.devices(true).unwrap();
    let odd = names.iter().find(|n| !n.is_lossless()).expect("lossy name");
    skf.connect(odd).unwrap();
    let raw = encoding_rs::GBK.encode(DEV_B).0.into_owned();
    skf.connect(RawName(&raw)).unwrap();
    // a name with an interior NUL never reaches the library
    let err = skf.connect("a\0b").unwrap_err();
    assert!(matches!(err, Error::Argument(_)), "{err}");
    // text GBK cannot express is refused with the GBK setting
    let gbk = Skf::open(&t.library, LibraryConfig::with_quirks(vendor_b())).unwrap();
    let err = gbk.connect("😀").unwrap_err();
    assert!(matches!(err, Error::Argument(_)), "{err}");
}

#[test]
fn wrong_devinfo_layout_reads_wrong_values_not_memory() {
    for (size, layout) in [
        (294u32, DevInfoLayout::Packed),
        (296, DevInfoLayout::Natural),
        (286, DevInfoLayout::WithoutBufferSizes),
    ] {
        let mut q = SoftQuirks::default();
        q.devinfo_size = size;
        let (_d, t) = token(&TestTokenSpec::default().quirks(q));
        for read_as in [
            DevInfoLayout::Packed,
            DevInfoLayout::Natural,
            DevInfoLayout::WithoutBufferSizes,
        ] {
            let skf = open(&t, Quirks::STANDARD.with_devinfo_layout(read_as));
            let info = skf.connect(t.device.as_str()).unwrap().info().unwrap();
            assert_eq!(info.label, "gmseal test key");
            let right = (info.total_space == 1 << 20) && info.alg_hash_cap == 1;
            // Packed and WithoutBufferSizes share the offsets of the capability fields.
            let same_offsets =
                (read_as == DevInfoLayout::Natural) == (layout == DevInfoLayout::Natural);
            assert_eq!(
                right, same_offsets,
                "token {size}, read as {read_as:?}: {info:?}"
            );
        }
    }
}

#[test]
fn bool_widths_read_through_an_eight_byte_slot() {
    for width in [1u32, 4, 8] {
        let mut q = SoftQuirks::default();
        q.bool_width = width;
        let (_d, t) = token(&TestTokenSpec::default().quirks(q));
        for read in [BoolWidth::U8, BoolWidth::U32, BoolWidth::U64] {
            let skf = open(&t, Quirks::STANDARD.with_bool_width(read));
            let app = app(&t, &skf);
            assert!(
                app.pin_info(PinType::User).unwrap().default_pin,
                "written {width}, read {read:?}"
            );
            assert!(app.pin_info(PinType::Admin).unwrap().default_pin);
        }
    }
    let _ = KeyUsage::Sign;
}
