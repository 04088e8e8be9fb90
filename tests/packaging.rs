//! The desktop integration files agree with the app and with each other:
//! one application id everywhere (the window's, the desktop entry's, the
//! icons', the AppStream component's), one MIME type recognised by the
//! project file's first line, and every packaged file present. The
//! package itself is built by `packaging/build-deb.sh`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn one_app_id_and_one_mime_type_everywhere() {
    let id = marginalia::ui::APP_ID;
    let dir = "packaging/linux";
    let desktop = read(&format!("{dir}/{id}.desktop"));
    assert!(desktop.contains(&format!("Icon={id}\n")));
    assert!(desktop.contains(&format!("StartupWMClass={id}\n")));
    assert!(desktop.contains("Exec=marginalia %f\n"));
    let mime = "application/x-marginalia-project";
    assert!(desktop.contains(&format!("MimeType={mime};\n")));
    let meta = read(&format!("{dir}/{id}.metainfo.xml"));
    assert!(meta.contains(&format!("<id>{id}</id>")));
    assert!(meta.contains(&format!(
        "<launchable type=\"desktop-id\">{id}.desktop</launchable>"
    )));
    assert!(meta.contains(&format!("<mediatype>{mime}</mediatype>")));
    assert!(meta.contains(&format!(
        "<release version=\"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
    let types = read(&format!("{dir}/{id}.xml"));
    assert!(types.contains(&format!("<mime-type type=\"{mime}\">")));
    // The magic is the start of the line every project file begins with.
    let magic = types
        .split("value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap();
    assert!(marginalia::store::HEADER.starts_with(magic), "{magic:?}");
    assert!(read("projects/daily-nk-workers.ron").starts_with(magic));
    // Every icon the package lists is there, and is a PNG of its size.
    let manifest = read("Cargo.toml");
    for size in [16, 32, 48, 64, 128, 256, 512] {
        let file = format!("{dir}/icons/{id}-{size}.png");
        assert!(manifest.contains(&file), "{file} is not packaged");
        let png = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(&file)).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(width, size, "{file}");
    }
    assert!(manifest.contains(&format!("{dir}/icons/{id}.svg")));
}
