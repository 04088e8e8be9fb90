//! Article files made for the tests: an EPUB book, and the zip they are
//! made of.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;

/// Three paragraphs of a news article, with Korean and curly quotes.
pub const PARAGRAPHS: [&str; 3] = [
    "Many Chinese factories have opened again, but North Korean workers in Liaoning aren’t able to go to work yet, a China-based source told Daily NK on Wednesday.",
    "North Korean authorities are reportedly refusing to let workers go back over worries about treatment for COVID-19 (코로나19).",
    "Should the workers receive treatment in China, they would most likely have to pay for it out-of-pocket, about RMB 10,000.",
];

/// A zip file of these entries (`mimetype` stored, as EPUB wants).
pub fn zip_file(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in entries {
        let options: zip::write::SimpleFileOptions = if *name == "mimetype" {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
        } else {
            zip::write::SimpleFileOptions::default()
        };
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

/// A two-chapter EPUB of [`PARAGRAPHS`] ("Part one", "Part two").
pub fn epub(path: &Path) {
    let chapter = |title: &str, paras: &[&str]| {
        let ps: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
        format!(
            "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>{title}</title></head><body><h1>{title}</h1>{ps}</body></html>"
        )
    };
    let c1 = chapter("Part one", &PARAGRAPHS[..2]);
    let c2 = chapter("Part two", &PARAGRAPHS[2..]);
    let opf = "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><metadata><dc:title>NK Workers</dc:title><dc:creator>Daily NK</dc:creator><dc:language>en</dc:language></metadata><manifest><item id=\"c1\" href=\"text/c%201.xhtml\" media-type=\"application/xhtml+xml\"/><item id=\"c2\" href=\"text/c2.xhtml\" media-type=\"application/xhtml+xml\"/></manifest><spine><itemref idref=\"c1\"/><itemref idref=\"c2\"/></spine></package>";
    let container = "<?xml version=\"1.0\"?><container><rootfiles><rootfile full-path=\"OEBPS/book.opf\"/></rootfiles></container>";
    zip_file(
        path,
        &[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", container.as_bytes()),
            ("OEBPS/book.opf", opf.as_bytes()),
            ("OEBPS/text/c 1.xhtml", c1.as_bytes()),
            ("OEBPS/text/c2.xhtml", c2.as_bytes()),
        ],
    );
}
