//! Only here so that the crate gets an `OUT_DIR`: the test fixture derives from it where cargo
//! puts this crate's cdylib (`<target>/<profile>/deps/`), whatever binary (test, example,
//! doctest) uses the fixture.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
}
