//! TimeStampToken, TimeStampResp and TimeStampReq parsers (gmseal-cms): never a panic.
#![no_main]

use gmseal_cms::VerifyOptions;
use gmseal_cms::tsp::{
    TimeStampReq, TimeStampResp, TimestampedData, TstInfo, verify_timestamp_token,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify_timestamp_token(
        data,
        TimestampedData::Bytes(b"fuzz"),
        &VerifyOptions::lenient(),
    );
    let _ = TstInfo::from_token(data);
    if let Ok(resp) = TimeStampResp::from_der(data) {
        if let Ok(req) = TimeStampReq::from_der(data) {
            let _ = resp.into_token(&req);
        }
    }
    let _ = TimeStampReq::from_der(data);
});
