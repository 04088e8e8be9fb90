//! Public data from other projects, read from `../shared/peers/` (never
//! copied into this repository). A clone on its own has no `../shared`:
//! a test that needs the data prints a notice and returns early, unless
//! `REQUIRE_SHARED=1` (CI sets it), when it fails instead.

#![allow(dead_code)] // each test binary uses part of it

use std::path::PathBuf;

/// `../shared/peers/REL`, if it is there.
///
/// # Panics
/// When it is missing and `REQUIRE_SHARED=1`.
pub fn peer(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/peers")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!(
            "REQUIRE_SHARED=1 but {} is missing (see ../shared/peers/README.md)",
            path.display()
        );
    }
    eprintln!(
        "notice: {} is not here (a clone on its own has no ../shared); this test checks nothing",
        path.display()
    );
    None
}
