//! TimeStampToken, TimeStampResp and TimeStampReq (gmseal-cms): parsing and verification of
//! tokens with the fixed trust store of `gmseal_fuzz` (so a token whose signature verifies goes
//! on through the TSA certificate rules and the TSA's chain). Never a panic; a response or a
//! request that decodes re-encodes to the input bytes (DER is canonical); a response that
//! answers the fixed request yields a token that is verified in turn.
#![no_main]

use gmseal_cms::tsp::{
    TimeStampReq, TimeStampResp, TimestampedData, TstInfo, verify_timestamp_token,
};
use gmseal_fuzz::{CONTENT, cms_options, timestamp_request};
use gmseal_sm2::Strictness;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let strict = cms_options(Strictness::Strict);
    for options in [&strict, &cms_options(Strictness::Lenient)] {
        if let Ok(report) = verify_timestamp_token(data, TimestampedData::Bytes(CONTENT), options) {
            let _ = report.to_string();
        }
    }
    let _ = TstInfo::from_token(data);
    if let Ok(resp) = TimeStampResp::from_der(data) {
        assert_eq!(
            resp.to_der().ok().as_deref(),
            Some(data),
            "TimeStampResp is not canonical"
        );
        let request = timestamp_request();
        if let Ok(token) = resp.into_token(&request) {
            let _ = verify_timestamp_token(
                &token,
                TimestampedData::Imprint(&request.message_imprint),
                &strict,
            );
        }
    }
    if let Ok(req) = TimeStampReq::from_der(data) {
        assert_eq!(
            req.to_der().ok().as_deref(),
            Some(data),
            "TimeStampReq is not canonical"
        );
    }
});
