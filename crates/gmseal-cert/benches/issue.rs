//! Placeholder until the issuing bench lands.
fn main() {}
