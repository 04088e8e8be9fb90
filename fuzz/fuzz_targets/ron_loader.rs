//! The RON project loader must never panic, and whatever it accepts must
//! save and load again to the same project.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("fuzz.ron");
    if let Ok(loaded) = marginalia::store::load_str(text, path) {
        let saved = marginalia::store::to_ron_string(&loaded.project).expect("a loaded project serialises");
        let again = marginalia::store::load_str(&saved, path).expect("a saved project loads");
        assert!(again.project == loaded.project);
    }
});
