//! Real articles in: web pages, PDF, Word, OpenDocument, EPUB, Markdown and
//! text in other encodings, through `marginalia extract` and `add`, and
//! the bad inputs each must refuse clearly. Every file is made here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod make;

use make::{PARAGRAPHS, epub, zip_file};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn docx(path: &Path) {
    let mut body = String::from(
        "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Workers stay home</w:t></w:r></w:p>",
    );
    for p in PARAGRAPHS {
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"
        ));
    }
    body.push_str(
        "<w:p><w:r><w:t>Said so.</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
    );
    let document = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>"
    );
    let notes = "<?xml version=\"1.0\"?><w:footnotes xmlns:w=\"w\"><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:t>---</w:t></w:r></w:p></w:footnote><w:footnote w:id=\"1\"><w:p><w:r><w:t>Interview, March 2020.</w:t></w:r></w:p></w:footnote></w:footnotes>";
    let core = "<?xml version=\"1.0\"?><cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\"><dc:title>Workers stay home</dc:title><dc:creator>Jeong Tae Joo</dc:creator><dcterms:created xmlns:dcterms=\"t\">2024-01-02T03:04:05Z</dcterms:created></cp:coreProperties>";
    zip_file(
        path,
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", document.as_bytes()),
            ("word/footnotes.xml", notes.as_bytes()),
            ("docProps/core.xml", core.as_bytes()),
        ],
    );
}

fn odt(path: &Path) {
    let mut body = String::from("<text:h>Workers stay home</text:h>");
    for p in PARAGRAPHS {
        body.push_str(&format!("<text:p>{p}</text:p>"));
    }
    let content = format!(
        "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"o\" xmlns:text=\"t\"><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    let meta = "<?xml version=\"1.0\"?><office:document-meta xmlns:office=\"o\" xmlns:dc=\"d\"><office:meta><dc:title>Workers stay home</dc:title></office:meta></office:document-meta>";
    zip_file(
        path,
        &[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
            ("meta.xml", meta.as_bytes()),
        ],
    );
}

/// A PDF with a running header and page numbers, its lines broken as a
/// typesetter would (one hyphenated).
fn pdf(path: &Path, pages: &[Vec<&str>], extra_trailer: &str) {
    let n = pages.len();
    let streams: Vec<String> = pages
        .iter()
        .enumerate()
        .map(|(i, lines)| {
            let mut stream =
                String::from("BT /F1 11 Tf 72 740 Td 16 TL (Daily Example Report) Tj T* T* ");
            for l in lines {
                stream.push_str(&format!(
                    "({}) Tj T* ",
                    l.replace('(', "\\(").replace(')', "\\)")
                ));
            }
            stream.push_str(&format!("T* (Page {} of {n}) Tj ET", i + 1));
            stream
        })
        .collect();
    pdf_pages(path, &streams, extra_trailer);
}

/// A PDF of these page content streams (Helvetica as /F1).
fn pdf_pages(path: &Path, streams: &[String], extra_trailer: &str) {
    let mut objects: Vec<String> = Vec::new();
    let n = streams.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    for (i, stream) in streams.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ));
    }
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R {extra_trailer}>>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    std::fs::write(path, out).unwrap();
}

fn html_page(charset: &str) -> String {
    let ps: String = PARAGRAPHS.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="{charset}"><title>Workers stay home | Daily NK</title>
<link rel="canonical" href="https://www.dailynk.com/english/workers-stay-home/">
<meta property="og:title" content="Workers stay home"><meta property="og:site_name" content="Daily NK">
<script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"2020-03-05","author":{{"@type":"Person","name":"Jeong Tae Joo"}}}}</script>
</head><body><nav><a href="/">Home</a> | <a href="/n">North Korea</a> | <a href="/c">China</a></nav>
<article><h1>Workers stay home</h1>{ps}</article>
<aside><h3>Related</h3><ul><li><a href="/a">Prices of rice rise again in Hyesan markets this week</a></li></ul></aside>
<div class="share">Share this article</div><footer>Copyright Daily NK. All rights reserved.</footer></body></html>"#
    )
}

fn extract_json(path: &Path) -> serde_json::Value {
    let o = run(&["extract", "--json", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}: {}", path.display(), stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn every_format_gives_the_article_text_and_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = words(&PARAGRAPHS.join(" "));
    let path = |n: &str| -> PathBuf { d.join(n) };
    std::fs::write(path("a.html"), html_page("utf-8")).unwrap();
    std::fs::write(
        path("a.md"),
        format!("# Workers stay home\n\n{}\n", PARAGRAPHS.join("\n\n")),
    )
    .unwrap();
    docx(&path("a.docx"));
    odt(&path("a.odt"));
    epub(&path("a.epub"));
    pdf(
        &path("a.pdf"),
        &[
            vec![
                "Many Chinese factories have opened again, but North Korean workers in Liaoning",
                "aren't able to go to work yet, a China-based source told Daily NK on Wed-",
                "nesday.",
            ],
            vec!["Prices fell."],
        ],
        "",
    );
    let keys = [
        "author",
        "encoding",
        "format",
        "language",
        "published",
        "sha256",
        "site",
        "text",
        "title",
        "url",
    ];
    let j = extract_json(&path("a.html"));
    let mut got: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    got.sort_unstable();
    assert_eq!(got, keys, "exactly these keys");
    assert_eq!(
        words(j["text"].as_str().unwrap()),
        body,
        "menus, related, share and footer gone"
    );
    assert!(!j["text"].as_str().unwrap().contains('<'));
    assert_eq!(j["title"], "Workers stay home");
    assert_eq!(
        j["url"],
        "https://www.dailynk.com/english/workers-stay-home/"
    );
    assert_eq!(j["author"], "Jeong Tae Joo");
    assert_eq!(j["published"], "2020-03-05");
    assert_eq!(j["site"], "Daily NK");
    assert_eq!(j["language"], "en");
    assert_eq!(j["format"], "html");
    assert_eq!(j["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        j["text"].as_str().unwrap().matches("\n\n").count(),
        2,
        "three paragraphs"
    );

    for (file, format) in [("a.md", "markdown"), ("a.docx", "docx"), ("a.odt", "odt")] {
        let j = extract_json(&path(file));
        assert_eq!(j["format"], format);
        assert_eq!(j["title"], "Workers stay home", "{file}");
        let text = words(j["text"].as_str().unwrap());
        let text = text.strip_prefix("Workers stay home ").unwrap_or(&text);
        let text = text
            .strip_suffix(" Said so.[1] [1] Interview, March 2020.")
            .unwrap_or(text);
        assert_eq!(text, body, "{file}");
        assert!(j["url"].is_null());
    }
    let j = extract_json(&path("a.docx"));
    assert_eq!(j["author"], "Jeong Tae Joo");
    assert!(
        j["published"].is_null(),
        "when the file was made is not when the article was published"
    );
    assert!(
        j["text"]
            .as_str()
            .unwrap()
            .ends_with("Said so.[1]\n\n[1] Interview, March 2020.")
    );

    let j = extract_json(&path("a.epub"));
    assert_eq!(j["title"], "NK Workers");
    assert_eq!(j["language"], "en");
    assert_eq!(
        words(j["text"].as_str().unwrap()),
        format!(
            "Part one {} {} Part two {}",
            PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2]
        )
    );

    let j = extract_json(&path("a.pdf"));
    assert_eq!(
        j["text"],
        "Many Chinese factories have opened again, but North Korean workers in Liaoning aren't able to go to work yet, a China-based source told Daily NK on Wednesday.\n\nPrices fell.",
        "header and page numbers gone, the hyphenated word joined"
    );
}

#[test]
fn add_takes_every_format_with_provenance_and_an_epub_by_chapter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("page.html"), html_page("utf-8")).unwrap();
    epub(&d.join("book.epub"));
    // windows-1252: curly quotes and an é.
    std::fs::write(
        d.join("old.txt"),
        b"Caf\xe9 owners in Dandong said \x93business is slow\x94 this spring, as the border stayed shut.",
    )
    .unwrap();
    let project = d.join("p.ron");
    let p = project.to_str().unwrap();
    assert!(run(&["new", p]).status.success());
    for f in ["page.html", "book.epub", "old.txt"] {
        let o = run(&["add", p, d.join(f).to_str().unwrap()]);
        assert!(o.status.success(), "{f}: {}", stderr(&o));
    }
    let o = run(&[
        "export",
        p,
        "--format",
        "json",
        "--output",
        d.join("out.json").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.json")).unwrap()).unwrap();
    let docs = json["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4, "the page, two chapters, the old text");
    assert_eq!(docs[0]["title"], "Workers stay home");
    assert_eq!(
        docs[0]["source"]["url"],
        "https://www.dailynk.com/english/workers-stay-home/"
    );
    assert_eq!(docs[0]["source"]["authors"][0], "Jeong Tae Joo");
    assert_eq!(docs[0]["source"]["file_name"], "page.html");
    assert!(
        docs[0]["source"]["added"]
            .as_str()
            .unwrap()
            .starts_with("20")
    );
    assert_eq!(docs[1]["title"], "NK Workers: Part one");
    assert_eq!(docs[2]["title"], "NK Workers: Part two");
    assert_eq!(docs[3]["source"]["encoding"], "windows-1252");
    assert!(
        docs[3]["text"]
            .as_str()
            .unwrap()
            .starts_with("Café owners in Dandong said “business is slow”")
    );
    // The project keeps it: saved, reopened, still there.
    let o = run(&["--help"]);
    assert!(o.status.success());
    let saved = std::fs::read_to_string(&project).unwrap();
    assert!(
        saved.contains("url: Some(\"https://www.dailynk.com/english/workers-stay-home/\")")
            || saved.contains("url: \"https://www.dailynk.com/english/workers-stay-home/\""),
        "{}",
        &saved[..saved.len().min(2000)]
    );
    let o = run(&["check", p]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn encodings_are_detected_and_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("k.txt");
    let source = "북한 노동자들은 아직 일터로 돌아가지 못하고 있다고 소식통이 전했다. ".repeat(6);
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(&source);
    std::fs::write(&f, &bytes).unwrap();
    let j = extract_json(&f);
    assert_eq!(j["encoding"], "EUC-KR");
    assert_eq!(words(j["text"].as_str().unwrap()), words(&source));
    let o = run(&[
        "extract",
        "--json",
        "--encoding",
        "windows-1252",
        f.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["encoding"], "windows-1252");
    let o = run(&["extract", "--encoding", "klingon", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown encoding \"klingon\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_inputs_get_clear_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<(PathBuf, &str)> = {
        let deep = d.join("deep.html");
        std::fs::write(&deep, format!("<html><body>{}x", "<div>".repeat(100_000))).unwrap();
        let big = d.join("big.html");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(200 << 20)
            .unwrap();
        let scripts = d.join("scripts.html");
        std::fs::write(
            &scripts,
            "<html><head><script>var x=1;</script></head><body><script>document.write('hi')</script></body></html>",
        )
        .unwrap();
        let bomb = d.join("bomb.docx");
        let zeros = vec![0u8; 1 << 20];
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        for _ in 0..210 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
        let encrypted = d.join("locked.pdf");
        pdf(
            &encrypted,
            &[vec!["Secret text of the report here."]],
            "/Encrypt << /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >> /ID [<00><00>] ",
        );
        let truncated = d.join("cut.pdf");
        pdf(&truncated, &[vec!["Text that will be cut off."]], "");
        let full = std::fs::read(&truncated).unwrap();
        std::fs::write(&truncated, &full[..full.len() / 3]).unwrap();
        let liar = d.join("report.pdf");
        std::fs::write(&liar, html_page("utf-8")).unwrap();
        let scan = d.join("scan.pdf");
        pdf(&scan, &[vec![]], "");
        vec![
            (deep, "nested 100002 levels deep"),
            (big, "larger than the 104857600-byte limit"),
            (scripts, "no article text was found"),
            (bomb, "unpacked, over the"),
            (encrypted, "encrypted"),
            (truncated, "the PDF cannot be read"),
            (liar, "named as a PDF but holds a web page"),
            (scan, "no text layer"),
        ]
    };
    for (path, says) in cases {
        let started = std::time::Instant::now();
        let o = run(&["extract", path.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", path.display());
        assert!(
            err.contains(path.to_str().unwrap()),
            "names the file: {err}"
        );
        assert!(
            err.contains(says),
            "{}: expected {says:?} in {err}",
            path.display()
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(started.elapsed().as_secs() < 30, "{}", path.display());
    }
}

#[test]
fn a_newer_saved_page_replaces_the_text_and_the_file_facts_not_the_article_facts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let old = d.join("workers.html");
    std::fs::write(&old, html_page("utf-8")).unwrap();
    let project = d.join("p.ron");
    let p = project.to_str().unwrap();
    assert!(run(&["new", p, old.to_str().unwrap()]).status.success());
    // The newer page: a corrected figure, no canonical address, another byline.
    let newer = d.join("workers-updated.html");
    let page = html_page("utf-8")
        .replace("RMB 10,000", "RMB 12,000")
        .replace(
            "<link rel=\"canonical\" href=\"https://www.dailynk.com/english/workers-stay-home/\">",
            "",
        )
        .replace("Jeong Tae Joo", "Someone Else");
    std::fs::write(&newer, &page).unwrap();
    let o = run(&["retext", p, "--doc", "1", newer.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("article source: now workers-updated.html (html, sha256 "),
        "{out}"
    );
    let json = d.join("p.json");
    let o = run(&[
        "export",
        p,
        "--format",
        "json",
        "-o",
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let doc = &v["documents"][0];
    assert!(doc["text"].as_str().unwrap().contains("RMB 12,000"));
    let source = &doc["source"];
    // The file's facts are the newer file's…
    assert_eq!(source["file_name"], "workers-updated.html");
    let sha = marginalia::formats::extract::sha256_hex(page.as_bytes());
    assert_eq!(source["sha256"], sha.as_str());
    // …what the article is stays as recorded.
    assert_eq!(
        source["url"],
        "https://www.dailynk.com/english/workers-stay-home/"
    );
    assert_eq!(source["authors"], serde_json::json!(["Jeong Tae Joo"]));
}

#[test]
fn a_two_column_pdf_drawn_row_by_row_is_read_column_by_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("columns.pdf");
    let left = [
        "Rice sold for 6,200 won per kilo-",
        "gram in Hyesan on Sunday, a trader",
        "told the paper.",
        "",
        "People buy corn instead, said the",
    ];
    let right = [
        "trader, who asked not to be named.",
        "",
        "Prices in Sinuiju rose less, an-",
        "other source in the city said.",
        "",
    ];
    // Each row drawn across both columns, as some producers do.
    let mut stream = String::from("BT /F1 11 Tf ");
    stream.push_str("1 0 0 1 72 740 Tm (Rice prices climb again in the border towns) Tj ");
    for (row, (l, r)) in left.iter().zip(right).enumerate() {
        let y = 700 - 14 * row;
        stream.push_str(&format!(
            "1 0 0 1 72 {y} Tm ({l}) Tj 1 0 0 1 320 {y} Tm ({r}) Tj "
        ));
    }
    stream.push_str("ET");
    pdf_pages(&path, &[stream], "");
    let j = extract_json(&path);
    assert_eq!(
        j["text"],
        "Rice prices climb again in the border towns\n\n\
         Rice sold for 6,200 won per kilogram in Hyesan on Sunday, a trader told the paper.\n\n\
         People buy corn instead, said the trader, who asked not to be named.\n\n\
         Prices in Sinuiju rose less, another source in the city said."
    );
}
