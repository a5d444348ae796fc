//! A blocking RFC 3161 §3.4 client: POST `application/timestamp-query` over plain HTTP/1.1.
//!
//! Deliberately minimal and dependency-free (feature `http`): `http://` URLs only (TSAs serve
//! RFC 3161 over plain HTTP; the token is signed), `Connection: close`, a bounded response
//! size and timeouts. Use another HTTP stack for proxies or TLS and pass the bytes to
//! [`TimeStampResp::from_der`].

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use super::{MessageImprint, TimeStampReq, TimeStampResp, Timestamper};
use crate::algorithm::DigestAlgorithm;
use crate::error::{Error, Result};

/// Largest response accepted.
const MAX_RESPONSE: u64 = 1 << 20;

/// A TSA reached over HTTP.
#[derive(Clone, Debug)]
pub struct HttpTsa {
    host: String,
    port: u16,
    path: String,
    timeout: Duration,
    digest: DigestAlgorithm,
}

impl HttpTsa {
    /// A client for `url` (`http://host[:port]/path`).
    ///
    /// # Errors
    /// [`Error::Transport`] for another scheme or a malformed URL.
    pub fn new(url: &str) -> Result<Self> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| Error::Transport(format!("only http:// URLs are supported: {url}")))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| Error::Transport(format!("bad port in {url}")))?,
            ),
            None => (authority, 80),
        };
        if host.is_empty() {
            return Err(Error::Transport(format!("no host in {url}")));
        }
        Ok(HttpTsa {
            host: host.to_string(),
            port,
            path: path.to_string(),
            timeout: Duration::from_secs(30),
            digest: DigestAlgorithm::Sm3,
        })
    }

    /// Read/connect timeout (default 30 s).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The imprint algorithm to use (default SM3).
    #[must_use]
    pub fn with_digest(mut self, digest: DigestAlgorithm) -> Self {
        self.digest = digest;
        self
    }

    /// POST a DER request, return the DER response body.
    ///
    /// # Errors
    /// [`Error::Transport`] for network failures, non-200 answers and oversized bodies.
    pub fn post(&self, request_der: &[u8]) -> Result<Vec<u8>> {
        let t = |e: std::io::Error| Error::Transport(e.to_string());
        let addr = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(t)?
            .next()
            .ok_or_else(|| Error::Transport(format!("cannot resolve {}", self.host)))?;
        let mut stream = TcpStream::connect_timeout(&addr, self.timeout).map_err(t)?;
        stream.set_read_timeout(Some(self.timeout)).map_err(t)?;
        stream.set_write_timeout(Some(self.timeout)).map_err(t)?;
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/timestamp-query\r\nAccept: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.path,
            self.host,
            request_der.len()
        );
        stream.write_all(head.as_bytes()).map_err(t)?;
        stream.write_all(request_der).map_err(t)?;
        let mut raw = Vec::new();
        stream
            .take(MAX_RESPONSE + 16 * 1024)
            .read_to_end(&mut raw)
            .map_err(t)?;
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| Error::Transport("no HTTP header terminator".into()))?;
        let (header, body) = raw.split_at(split);
        let body = body.get(4..).unwrap_or_default();
        let header = String::from_utf8_lossy(header);
        let status = header.lines().next().unwrap_or_default();
        if status.split_whitespace().nth(1) != Some("200") {
            return Err(Error::Transport(format!("TSA answered {status}")));
        }
        let chunked = header.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("transfer-encoding:") && l.contains("chunked")
        });
        if chunked {
            return Err(Error::Transport(
                "chunked responses are not supported".into(),
            ));
        }
        if body.len() as u64 > MAX_RESPONSE {
            return Err(Error::Transport("response too large".into()));
        }
        Ok(body.to_vec())
    }

    /// Send `request`, return the token after checking it answers the request.
    ///
    /// # Errors
    /// Transport errors and those of [`TimeStampResp::into_token`].
    pub fn request(&self, request: &TimeStampReq) -> Result<Vec<u8>> {
        let body = self.post(&request.to_der()?)?;
        TimeStampResp::from_der(&body)?.into_token(request)
    }
}

impl Timestamper for HttpTsa {
    fn digest_algorithm(&self) -> DigestAlgorithm {
        self.digest
    }

    fn timestamp(&self, imprint: &MessageImprint) -> Result<Vec<u8>> {
        self.request(&TimeStampReq::new(imprint.clone())?)
    }
}
