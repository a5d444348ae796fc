//! A bounded, thread-safe cache for verifying many documents signed under the same
//! certificates.
//!
//! A batch of a thousand invoices sealed by one organisation carries the same signer
//! certificate, the same seal and the same two chains a thousand times. Verified one by one,
//! each document costs six SM2 verifications (GB/T 38540 signer and maker signatures, two
//! certificate signatures per chain), of which five give the same answer every time.
//! [`VerifyCache`] remembers those answers:
//!
//! * **certificate and CRL signatures**, keyed by the issuer's public key and everything the
//!   result depends on (the signed bytes as received, both algorithm identifiers, the
//!   signature value, the [`SignaturePolicy`]) — used by chain validation when
//!   [`ChainOptions::cache`](crate::ChainOptions::cache) is set;
//! * **parsed certificates** ([`VerifyCache::certificate`]);
//! * **values derived from bytes** ([`VerifyCache::get_or_insert_with`]): the layers above
//!   keep their parsed certificates, public keys with Z (`Sm2VerifyingKey`) and seal-maker
//!   signature results here, keyed by the bytes they were computed from.
//!
//! A cached answer is the answer the computation gives, so a report made with the cache is
//! exactly the report made without it (only faster). An entry keeps the bytes it was computed
//! from and answers only for the same bytes, compared in full (the hash that finds it, SipHash
//! with a per-process random key, only narrows the search). Chain validation still counts a
//! cached signature against [`ChainLimits::max_signature_checks`](crate::ChainLimits), so
//! limits trip at the same point with or without the cache.
//!
//! **Time is never part of a cached answer.** Only results that do not depend on the
//! validation time are kept (a signature over given bytes under a given key, a parse, a Z
//! value); validity periods, revocation status at the time, key usage and the path itself are
//! decided afresh by every validation. So there are no time buckets: one cache serves
//! documents signed at any time.
//!
//! The size is bounded ([`VerifyCache::with_capacity`], default 4096 entries): entries live in
//! two generations; when the newer one is full the older one is dropped, and an entry found in
//! the older one moves to the newer one, so what a batch keeps using stays. A computation runs
//! outside the lock: threads verifying in parallel never wait for each other's SM2 work.
//!
//! ```
//! # let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/certs/");
//! # let read = |p: &str| std::fs::read(format!("{corpus}{p}")).unwrap();
//! use gmseal_cert::{verify_chain, ChainOptions, TrustStore, VerifyCache};
//!
//! let mut store = TrustStore::new();
//! store.add_anchors(&read("nrcac-ca/ROOTCA_NRCAC_root_sm2.pem"))?;
//! let leaf = read("nrcac-ca/2DA1A6BD0CE76C624E634B7D6A29D02A.pem");
//!
//! let cache = VerifyCache::new(); // a cheap handle: clone it into every verifier of the batch
//! let options = ChainOptions::at("2025-01-01T00:00:00Z".parse()?).with_cache(cache.clone());
//! for _ in 0..3 {
//!     let report = verify_chain(&leaf, &[] as &[&[u8]], &store, &options)?;
//!     assert!(report.is_trusted());
//! }
//! // the leaf's signature was verified once, then found twice
//! assert_eq!((cache.stats().misses, cache.stats().hits), (1, 2));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::any::{Any, TypeId};
use core::fmt;
use core::hash::BuildHasher;
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use gmseal_sm2::PublicKey;

use crate::cert::Cert;
use crate::signature::{SignatureFailure, SignatureOk, SignaturePolicy};

/// The default bound on the number of entries.
pub const DEFAULT_CAPACITY: usize = 4096;

/// The type computed and the hash of the parts.
type Key = (TypeId, u64);
type Value = Arc<dyn Any + Send + Sync>;

/// An entry: the parts it was computed from (each preceded by its length) and the value.
#[derive(Clone)]
struct Entry {
    parts: Box<[u8]>,
    value: Value,
}

impl Entry {
    fn matches(&self, parts: &[&[u8]]) -> bool {
        let mut rest: &[u8] = &self.parts;
        for p in parts {
            let Some((len, tail)) = rest.split_first_chunk::<8>() else {
                return false;
            };
            if u64::from_be_bytes(*len) != p.len() as u64 {
                return false;
            }
            let Some((bytes, tail)) = tail.split_at_checked(p.len()) else {
                return false;
            };
            if bytes != *p {
                return false;
            }
            rest = tail;
        }
        rest.is_empty()
    }
}

/// Two generations of entries; see the module documentation.
#[derive(Default)]
struct Generations {
    current: HashMap<Key, Entry>,
    previous: HashMap<Key, Entry>,
}

struct Inner {
    entries: Mutex<Generations>,
    hasher: RandomState,
    /// Entries per generation (half the capacity, at least 1).
    generation: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// A bounded, thread-safe cache of verification results; see the [module documentation](self).
///
/// A handle: clones share the same entries. Equality is identity (two handles are equal when
/// they share their entries), so options holding a cache still compare as values.
#[derive(Clone)]
pub struct VerifyCache {
    inner: Arc<Inner>,
}

/// Counters of a [`VerifyCache`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CacheStats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that had to compute.
    pub misses: u64,
    /// Entries held now.
    pub entries: usize,
}

impl Default for VerifyCache {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for VerifyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.stats();
        f.debug_struct("VerifyCache")
            .field("capacity", &(self.inner.generation * 2))
            .field("entries", &s.entries)
            .field("hits", &s.hits)
            .field("misses", &s.misses)
            .finish()
    }
}

impl PartialEq for VerifyCache {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for VerifyCache {}

impl VerifyCache {
    /// A cache of at most [`DEFAULT_CAPACITY`] entries.
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A cache of at most `capacity` entries (at least 2).
    pub fn with_capacity(capacity: usize) -> Self {
        VerifyCache {
            inner: Arc::new(Inner {
                entries: Mutex::new(Generations::default()),
                hasher: RandomState::new(),
                generation: (capacity / 2).max(1),
                hits: AtomicU64::new(0),
                misses: AtomicU64::new(0),
            }),
        }
    }

    /// Hits, misses and entries so far.
    pub fn stats(&self) -> CacheStats {
        let entries = {
            let g = self.lock();
            g.current.len() + g.previous.len()
        };
        CacheStats {
            hits: self.inner.hits.load(Ordering::Relaxed),
            misses: self.inner.misses.load(Ordering::Relaxed),
            entries,
        }
    }

    /// Drop every entry (the counters stay).
    pub fn clear(&self) {
        let mut g = self.lock();
        g.current.clear();
        g.previous.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // A panic while holding the lock cannot leave the maps inconsistent (single inserts
        // and removes), so a poisoned lock is still usable.
        self.inner
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn get(&self, key: &Key, parts: &[&[u8]]) -> Option<Value> {
        let mut g = self.lock();
        if let Some(e) = g.current.get(key) {
            return e.matches(parts).then(|| e.value.clone());
        }
        let e = g.previous.remove(key)?;
        if !e.matches(parts) {
            return None;
        }
        let value = e.value.clone();
        self.insert_locked(&mut g, *key, e);
        Some(value)
    }

    fn insert_locked(&self, g: &mut Generations, key: Key, entry: Entry) {
        if g.current.len() >= self.inner.generation && !g.current.contains_key(&key) {
            g.previous = core::mem::take(&mut g.current);
        }
        g.current.insert(key, entry);
    }

    /// The value of type `T` derived from `parts`, computing it with `compute` the first time.
    ///
    /// `parts` must determine the value completely: the cache answers the same `T` for the
    /// same parts, whatever else has changed. The entry keeps a copy of the parts and answers
    /// only when they are equal byte for byte, each part with its length (`["ab", "c"]` and
    /// `["a", "bc"]` are different keys); different types never share entries. Start the parts
    /// with a name of what is computed when one type serves several computations. `compute`
    /// runs without the lock held; two threads missing at once may both compute (the results
    /// are equal by the rule above).
    pub fn get_or_insert_with<T: Any + Send + Sync>(
        &self,
        parts: &[&[u8]],
        compute: impl FnOnce() -> T,
    ) -> Arc<T> {
        let key = (TypeId::of::<T>(), self.inner.hasher.hash_one(parts));
        if let Some(v) = self.get(&key, parts).and_then(|v| v.downcast::<T>().ok()) {
            self.inner.hits.fetch_add(1, Ordering::Relaxed);
            return v;
        }
        self.inner.misses.fetch_add(1, Ordering::Relaxed);
        let value = Arc::new(compute());
        let mut bytes = Vec::with_capacity(parts.iter().map(|p| p.len() + 8).sum());
        for p in parts {
            bytes.extend_from_slice(&(p.len() as u64).to_be_bytes());
            bytes.extend_from_slice(p);
        }
        let entry = Entry {
            parts: bytes.into_boxed_slice(),
            value: value.clone(),
        };
        let mut g = self.lock();
        self.insert_locked(&mut g, key, entry);
        value
    }

    /// Parse a DER certificate ([`Cert::from_der`]), or take the parsed one from the cache.
    ///
    /// # Errors
    /// As [`Cert::from_der`] (failures are not cached: they are parsed again).
    pub fn certificate(&self, der: &[u8]) -> crate::Result<Arc<Cert>> {
        let parsed = self.get_or_insert_with(&[b"gmseal-cert Cert::from_der", der], || {
            Cert::from_der(der).ok().map(Arc::new)
        });
        match &*parsed {
            Some(cert) => Ok(cert.clone()),
            None => Cert::from_der(der).map(Arc::new),
        }
    }

    /// Verify a signature over certificate or CRL bytes (see
    /// [`verify_signed_bytes`](crate::signature::verify_signed_bytes)), or answer from the
    /// cache.
    pub(crate) fn verify_signed_bytes(
        &self,
        tbs: &[u8],
        inner_alg_der: &[u8],
        outer_alg_der: &[u8],
        signature_bits: &der::asn1::BitString,
        issuer: &PublicKey,
        policy: &SignaturePolicy,
    ) -> Result<SignatureOk, SignatureFailure> {
        let key = issuer.to_sec1_bytes();
        let unused = [signature_bits.unused_bits()];
        let policy_bytes = [
            u8::from(policy.allow_empty_id),
            match policy.encoding {
                gmseal_sm2::Strictness::Strict => 0,
                gmseal_sm2::Strictness::Lenient => 1,
            },
        ];
        let result = self.get_or_insert_with(
            &[
                b"gmseal-cert signed bytes",
                &key,
                tbs,
                inner_alg_der,
                outer_alg_der,
                &unused,
                signature_bits.raw_bytes(),
                &policy_bytes,
            ],
            || {
                crate::signature::verify_signed_bytes(
                    tbs,
                    inner_alg_der,
                    outer_alg_der,
                    signature_bits,
                    issuer,
                    policy,
                )
            },
        );
        (*result).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_keeps_what_is_used() {
        let cache = VerifyCache::with_capacity(4);
        let hot = cache.get_or_insert_with(&[b"hot"], || 1u32);
        assert_eq!(*hot, 1);
        for i in 0u32..100 {
            // the hot entry is looked up between cold ones: it stays
            assert_eq!(*cache.get_or_insert_with(&[b"hot"], || 2u32), 1);
            let v = cache.get_or_insert_with(&[&i.to_be_bytes()], || i);
            assert_eq!(*v, i);
            assert!(cache.stats().entries <= 4);
        }
        assert_eq!(*cache.get_or_insert_with(&[b"hot"], || 3u32), 1);
        cache.clear();
        assert_eq!(cache.stats().entries, 0);
        assert_eq!(*cache.get_or_insert_with(&[b"hot"], || 4u32), 4);
    }

    #[test]
    fn parts_are_length_prefixed_and_types_apart() {
        let cache = VerifyCache::new();
        assert_eq!(*cache.get_or_insert_with(&[b"ab", b"c"], || 1u8), 1);
        assert_eq!(*cache.get_or_insert_with(&[b"a", b"bc"], || 2u8), 2);
        assert_eq!(*cache.get_or_insert_with(&[b"ab", b"c"], || 3u16), 3);
        assert_eq!(*cache.get_or_insert_with(&[b"ab", b"c"], || 4u8), 1);
        let s = cache.stats();
        assert_eq!((s.hits, s.misses, s.entries), (1, 3, 3));
    }

    #[test]
    fn an_entry_answers_only_for_its_own_bytes() {
        let e = Entry {
            parts: [&2u64.to_be_bytes()[..], b"ab", &1u64.to_be_bytes(), b"c"]
                .concat()
                .into_boxed_slice(),
            value: Arc::new(()),
        };
        assert!(e.matches(&[b"ab", b"c"]));
        for other in [
            &[&b"ab"[..], b"d"][..],
            &[b"a", b"bc"],
            &[b"abc"],
            &[b"ab"],
            &[b"ab", b"c", b""],
            &[],
        ] {
            assert!(!e.matches(other), "{other:?}");
        }
    }

    #[test]
    fn handles_share_entries_and_compare_by_identity() {
        let a = VerifyCache::new();
        let b = a.clone();
        assert_eq!(a, b);
        assert_ne!(a, VerifyCache::new());
        a.get_or_insert_with(&[b"x"], || 1u8);
        assert_eq!(b.stats().entries, 1);
    }

    #[test]
    fn shared_between_threads() {
        let cache = VerifyCache::with_capacity(64);
        std::thread::scope(|s| {
            for t in 0u8..4 {
                let cache = &cache;
                s.spawn(move || {
                    for i in 0u8..50 {
                        let v = cache.get_or_insert_with(&[&[i % 8]], || u32::from(i % 8));
                        assert_eq!(*v, u32::from(i % 8), "thread {t}");
                    }
                });
            }
        });
        assert!(cache.stats().hits >= 4 * 50 - 4 * 8);
    }
}
