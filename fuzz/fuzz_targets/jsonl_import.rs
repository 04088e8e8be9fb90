//! The JSONL importer must never panic, and its planned edits must apply
//! and keep every invariant.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marginalia::formats::{import::Report, jsonl};
use marginalia::model::{Command, History, Project};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let project = Project::new("fuzz");
    let mut report = Report::default();
    if let Ok(edits) = jsonl::plan(&project, input, &mut report) {
        let mut p = project.clone();
        History::new()
            .execute(&mut p, Command::Edits("import".into(), edits))
            .expect("planned edits apply");
        let saved = marginalia::store::to_ron_string(&p).expect("serialises");
        marginalia::store::load_str(&saved, std::path::Path::new("fuzz.ron")).expect("invariants hold");
    }
});
