//! Article extraction from any bytes under any of the names it reads: it
//! must never panic (panics inside readers are caught and become errors),
//! and an article it returns is never empty.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marginalia::formats::extract::{Options, extract_bytes};

fuzz_target!(|data: &[u8]| {
    let names = ["a.txt", "a.html", "a.md", "a.docx", "a.odt", "a.epub", "a.pdf"];
    let name = names[data.first().map_or(0, |b| *b as usize % names.len())];
    if let Ok(articles) = extract_bytes(data.to_vec(), name, &Options::default()) {
        for a in articles {
            let _ = a.text.len();
        }
    }
});
