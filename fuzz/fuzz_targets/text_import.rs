//! The text importer must never panic; what it accepts is normalised.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = marginalia::formats::text::import_bytes(data, Path::new("fuzz.txt"), None) {
        assert!(!t.text.contains('\r'));
        assert!(!t.text.starts_with('\u{feff}'));
        assert!(!t.text.trim().is_empty());
    }
});
