//! Files of an application.

use gmseal_skf::{Error, PinType, Quirks, Rights, SarCode};

use crate::support::*;

#[test]
fn create_write_read_delete() {
    let (_d, t) = default_token();
    let skf = open(&t, Quirks::STANDARD);
    let app = app(&t, &skf);
    app.create_file("public", 16, Rights::Anyone, Rights::Anyone)
        .unwrap();
    app.create_file("secret", 8, Rights::User, Rights::User)
        .unwrap();
    let err = app
        .create_file("public", 4, Rights::Anyone, Rights::Anyone)
        .unwrap_err();
    assert_eq!(err.sar_code(), Some(SarCode::FileAlreadyExists));
    let mut names: Vec<String> = app.files().unwrap().iter().map(|n| n.to_string()).collect();
    names.sort();
    assert_eq!(names, ["public", "secret"]);

    app.write_file("public", 4, b"data").unwrap();
    assert_eq!(
        app.read_file("public").unwrap(),
        b"\0\0\0\0data\0\0\0\0\0\0\0\0"
    );
    assert_eq!(app.read_file_at("public", 4, 4).unwrap(), b"data");
    assert_eq!(app.read_file_at("public", 14, 100).unwrap(), b"\0\0");
    let info = app.file_info("public").unwrap();
    assert_eq!((info.name.as_str(), info.size), ("public", 16));
    // writing past the end of a file is refused
    assert!(app.write_file("public", 14, b"xyz").is_err());

    // user-only files need the user PIN
    let err = app.read_file("secret").unwrap_err();
    assert_eq!(err.sar_code(), Some(SarCode::UserNotLoggedIn), "{err}");
    app.verify_pin(PinType::User, &t.user_pin).unwrap();
    app.write_file("secret", 0, b"12345678").unwrap();
    assert_eq!(app.read_file("secret").unwrap(), b"12345678");

    app.delete_file("public").unwrap();
    let err = app.file_info("public").unwrap_err();
    assert!(
        matches!(
            err,
            Error::Sar {
                code: SarCode::FileNotExist,
                ..
            }
        ),
        "{err}"
    );
}
