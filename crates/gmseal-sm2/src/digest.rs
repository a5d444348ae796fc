//! Streaming computation of `e = SM3(Z ‖ M)` and of plain SM3 over readers and byte ranges.
//!
//! Documents are signed over parts of a file (the two `/ByteRange` runs of a PDF, the files of
//! an OFD package); these helpers hash such parts straight from a reader, in fixed-size chunks,
//! without concatenating them in memory.

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

use sm2::PublicKey;
use sm3::{Digest, Sm3};

use crate::distid::{DistId, z_value};
use crate::error::{Error, Result};

/// Size of the buffer used to read from streams.
const CHUNK: usize = 64 * 1024;

/// An SM3 state that has absorbed Z; feeding it M and finishing gives e.
///
/// ```
/// use gmseal_sm2::{DistId, MessageHasher, SoftwareSigner};
/// let pk = SoftwareSigner::generate().public_key();
/// let mut h = MessageHasher::new(&pk, &DistId::default());
/// h.update(b"message ");
/// h.update(b"digest");
/// let e = h.finalize();
/// assert_eq!(e, MessageHasher::new(&pk, &DistId::default()).chain(b"message digest").finalize());
/// ```
#[derive(Clone, Debug)]
pub struct MessageHasher {
    sm3: Sm3,
}

impl MessageHasher {
    /// Start with the Z of `public_key` and `id`.
    pub fn new(public_key: &PublicKey, id: &DistId) -> Self {
        Self::with_z(&z_value(public_key, id))
    }

    /// Start with a Z computed earlier.
    pub fn with_z(z: &[u8; 32]) -> Self {
        let mut sm3 = Sm3::new();
        sm3.update(z);
        MessageHasher { sm3 }
    }

    /// Absorb more message bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.sm3.update(data);
    }

    /// Absorb more message bytes, builder style.
    #[must_use]
    pub fn chain(mut self, data: &[u8]) -> Self {
        self.update(data);
        self
    }

    /// Absorb everything `reader` yields.
    ///
    /// # Errors
    /// [`Error::Io`] when reading fails.
    pub fn update_reader<R: Read>(&mut self, reader: R) -> Result<u64> {
        hash_reader_into(&mut self.sm3, reader)
    }

    /// Absorb the given byte ranges of `reader`, in order.
    ///
    /// # Errors
    /// [`Error::BadRange`] when a range is empty-inverted, overlaps the previous one or runs past
    /// the end of the input; [`Error::Io`] when reading fails.
    pub fn update_ranges<R: Read + Seek>(
        &mut self,
        reader: R,
        ranges: &[Range<u64>],
    ) -> Result<()> {
        hash_ranges_into(&mut self.sm3, reader, ranges)
    }

    /// Finish: `e = SM3(Z ‖ M)`.
    pub fn finalize(self) -> [u8; 32] {
        self.sm3.finalize().into()
    }
}

impl io::Write for MessageHasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sm3.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `e = SM3(Z ‖ M)` for a whole message in memory.
pub fn message_digest(public_key: &PublicKey, id: &DistId, message: &[u8]) -> [u8; 32] {
    MessageHasher::new(public_key, id).chain(message).finalize()
}

/// Plain SM3 of the given byte ranges of `reader` (no Z): what a seal's `dataHash` or a CMS
/// `messageDigest` holds.
///
/// ```
/// use std::io::Cursor;
/// let file = b"0123456789";
/// let h = gmseal_sm2::digest::sm3_ranges(Cursor::new(file), &[0..3, 7..10]).unwrap();
/// assert_eq!(h, gmseal_sm2::digest::sm3(b"012789"));
/// ```
///
/// # Errors
/// As [`MessageHasher::update_ranges`].
pub fn sm3_ranges<R: Read + Seek>(reader: R, ranges: &[Range<u64>]) -> Result<[u8; 32]> {
    let mut sm3 = Sm3::new();
    hash_ranges_into(&mut sm3, reader, ranges)?;
    Ok(sm3.finalize().into())
}

/// Plain SM3 of everything `reader` yields.
///
/// # Errors
/// [`Error::Io`] when reading fails.
pub fn sm3_reader<R: Read>(reader: R) -> Result<[u8; 32]> {
    let mut sm3 = Sm3::new();
    hash_reader_into(&mut sm3, reader)?;
    Ok(sm3.finalize().into())
}

/// Plain SM3 of a byte slice.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    Sm3::digest(data).into()
}

fn hash_reader_into<R: Read>(sm3: &mut Sm3, mut reader: R) -> Result<u64> {
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::Io(e)),
        };
        sm3.update(&buf[..n]);
        total += n as u64;
    }
}

fn hash_ranges_into<R: Read + Seek>(
    sm3: &mut Sm3,
    mut reader: R,
    ranges: &[Range<u64>],
) -> Result<()> {
    let len = reader.seek(SeekFrom::End(0))?;
    let mut previous_end = 0u64;
    for r in ranges {
        if r.start > r.end || r.end > len || r.start < previous_end {
            return Err(Error::BadRange {
                start: r.start,
                end: r.end,
            });
        }
        previous_end = r.end;
    }
    let mut buf = vec![0u8; CHUNK];
    for r in ranges {
        reader.seek(SeekFrom::Start(r.start))?;
        let mut left = r.end - r.start;
        while left > 0 {
            let want = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
            let chunk = &mut buf[..want];
            reader.read_exact(chunk)?;
            sm3.update(&*chunk);
            left -= want as u64;
        }
    }
    Ok(())
}
