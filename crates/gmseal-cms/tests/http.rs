//! The HTTP TSA client (feature `http`) against a LocalTsa served on the loopback interface.
#![cfg(feature = "http")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpListener;

use gmseal_cms::test_support::{self_signed, tsa_certificate};
use gmseal_cms::tsp::HttpTsa;
use gmseal_cms::*;

/// Serve `n` requests on 127.0.0.1 with `answer`, then stop.
fn serve(n: usize, answer: impl Fn(&[u8]) -> (u16, Vec<u8>) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let mut s = stream.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the header, then Content-Length bytes.
            let (head_end, len) = loop {
                let k = s.read(&mut chunk).unwrap();
                buf.extend_from_slice(&chunk[..k]);
                if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..p]).to_ascii_lowercase();
                    let len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map(|v| v.trim().parse::<usize>().unwrap())
                        .unwrap();
                    assert!(head.contains("content-type: application/timestamp-query"));
                    break (p + 4, len);
                }
            };
            while buf.len() < head_end + len {
                let k = s.read(&mut chunk).unwrap();
                buf.extend_from_slice(&chunk[..k]);
            }
            let (code, body) = answer(&buf[head_end..head_end + len]);
            let head = format!(
                "HTTP/1.1 {code} X\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            s.write_all(head.as_bytes()).unwrap();
            s.write_all(&body).unwrap();
        }
    });
    format!("http://{addr}/tsa")
}

#[test]
fn http_client_against_a_loopback_tsa() {
    let url = serve(2, |req| {
        let (key, cert) = tsa_certificate("CN=HTTP TSA").unwrap();
        let tsa = LocalTsa::new(&key, &cert, "1.2.3.4".parse().unwrap()).unwrap();
        (200, tsa.respond(req).unwrap())
    });
    let client = HttpTsa::new(&url).unwrap();
    let req = TimeStampReq::new(MessageImprint::of(DigestAlgorithm::Sm3, b"x").unwrap()).unwrap();
    let token = client.request(&req).unwrap();
    let report = verify_timestamp_token(
        &token,
        TimestampedData::Bytes(b"x"),
        &VerifyOptions::default(),
    )
    .unwrap();
    assert!(report.integrity_ok());

    // As the timestamper of a CMS signature.
    let (key, cert) = self_signed("CN=Signer").unwrap();
    let der = SignedDataBuilder::new(OidFamily::Pkcs7)
        .detached(ContentDigest::of(b"doc"))
        .signer(CmsSigner::new(&key, cert).timestamper(&client))
        .build()
        .unwrap();
    let report =
        verify_signed_data(&der, Content::Bytes(b"doc"), &VerifyOptions::default()).unwrap();
    assert_eq!(report.signers[0].timestamps.len(), 1);
    assert!(report.integrity_ok());
}

#[test]
fn http_errors_are_typed() {
    assert!(matches!(
        HttpTsa::new("https://tsa.example/"),
        Err(Error::Transport(_))
    ));
    assert!(matches!(
        HttpTsa::new("http://:80/"),
        Err(Error::Transport(_))
    ));
    let url = serve(1, |_| (500, b"no".to_vec()));
    let client = HttpTsa::new(&url).unwrap();
    let req = TimeStampReq::new(MessageImprint::of(DigestAlgorithm::Sm3, b"x").unwrap()).unwrap();
    assert!(matches!(client.request(&req), Err(Error::Transport(_))));
}
