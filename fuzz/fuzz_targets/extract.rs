//! Article extraction from any bytes under any of the names it reads: it
//! must never panic (panics inside readers are caught and become errors),
//! and an article it returns is never empty.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marginalia::formats::extract::{Options, extract_bytes};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the name; the rest is the file.
    let Some((pick, bytes)) = data.split_first() else {
        return;
    };
    let names = ["a.txt", "a.html", "a.md", "a.docx", "a.odt", "a.epub", "a.pdf"];
    let name = names[*pick as usize % names.len()];
    if let Ok(articles) = extract_bytes(bytes.to_vec(), name, &Options::default()) {
        for a in articles {
            assert!(!a.text.trim().is_empty(), "an empty article came back");
        }
    }
});
