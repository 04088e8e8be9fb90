//! The brat importer: input is `TEXT \0 ANN`. It must never panic, and the
//! edits it plans must apply to the project and keep every invariant.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marginalia::formats::{brat, import::{Planner, Report}};
use marginalia::model::{Command, History, Project};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (text, ann) = input.split_once('\0').unwrap_or((input, ""));
    if text.trim().is_empty() {
        return;
    }
    let project = Project::new("fuzz");
    let mut report = Report::default();
    let mut planner = Planner::new(&project);
    if brat::plan_document(&mut planner, "doc", text, ann, &mut report).is_ok() {
        let mut p = project.clone();
        History::new()
            .execute(&mut p, Command::Edits("import".into(), planner.finish()))
            .expect("planned edits apply");
        let saved = marginalia::store::to_ron_string(&p).expect("serialises");
        marginalia::store::load_str(&saved, std::path::Path::new("fuzz.ron")).expect("invariants hold");
    }
});
