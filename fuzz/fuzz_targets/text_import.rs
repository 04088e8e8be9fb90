//! The text importer must never panic; what it accepts is normalised.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = marginalia::formats::text::import_bytes(data, Path::new("fuzz.txt"), None) {
        // CR never survives; exactly one leading BOM is stripped (a second
        // U+FEFF is content, kept verbatim).
        assert!(!t.text.contains('\r'));
        let raw = std::str::from_utf8(data).expect("accepted input is UTF-8");
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        assert_eq!(t.text, raw.replace("\r\n", "\n").replace('\r', "\n"));
        assert!(!t.text.trim().is_empty());
    }
});
