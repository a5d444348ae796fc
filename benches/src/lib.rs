//! Shared helpers of the gmseal benchmarks (see `benches/`).
#![forbid(unsafe_code)]
