//! Articles by URL: fetched from a server on 127.0.0.1 that the test
//! starts, through the library (limits, cancel) and `marginalia add` /
//! `extract`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod web;

use marginalia::formats::fetch::{FetchError, Limits, fetch};
use marginalia::formats::text::import_url;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap()
}

fn never() -> AtomicBool {
    AtomicBool::new(false)
}

fn small() -> Limits {
    Limits {
        timeout: Duration::from_secs(2),
        max_bytes: 100_000,
        max_redirects: 3,
    }
}

#[test]
fn a_page_is_fetched_and_its_article_and_provenance_kept() {
    let base = web::serve();
    let url = format!("{base}/story");
    let seen = std::sync::Mutex::new(Vec::new());
    let articles = import_url(
        &url,
        &Default::default(),
        &|got, total| seen.lock().unwrap().push((got, total)),
        &never(),
    )
    .unwrap();
    assert_eq!(articles.len(), 1);
    let a = &articles[0];
    assert_eq!(a.title, "Rice prices climb again in border markets");
    assert!(a.text.contains("6,200 won per kilogram"), "{}", a.text);
    assert!(
        a.text.contains("\n\n“People buy corn instead,”"),
        "{}",
        a.text
    );
    for furniture in ["Home", "Related", "Exchange rates", "Privacy", "©"] {
        assert!(!a.text.contains(furniture), "{furniture} in {}", a.text);
    }
    let s = a.source.as_ref().unwrap();
    // The page's canonical address, not where it was fetched.
    assert_eq!(
        s.url.as_deref(),
        Some("https://ledger.example.org/2026/11/rice-prices")
    );
    assert_eq!(s.authors, ["Min-ji Park"]);
    assert_eq!(s.site.as_deref(), Some("The Harbour Ledger"));
    assert_eq!(s.published.as_deref(), Some("2026-11-30T08:15:00+09:00"));
    assert_eq!(s.format.as_deref(), Some("html"));
    assert_eq!(s.file_name, None, "a fetched page has no file name");
    assert_eq!(
        s.sha256.as_deref().map(str::len),
        Some(64),
        "the hash of the bytes fetched"
    );
    assert_eq!(a.origin.as_deref(), Some(url.as_str()));
    // Progress: a start, then the whole body of a known length.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.first(), Some(&(0, None)));
    let n = web::STORY.len() as u64;
    assert_eq!(seen.last(), Some(&(n, Some(n))));
}

#[test]
fn without_a_canonical_address_the_final_address_after_redirects_is_kept() {
    let base = web::serve();
    let a = import_url(
        &format!("{base}/moved"),
        &Default::default(),
        &|_, _| {},
        &never(),
    )
    .unwrap();
    let s = a[0].source.as_ref().unwrap();
    assert_eq!(s.url.as_deref(), Some(format!("{base}/plain").as_str()));
    assert_eq!(a[0].title, "Notes from the field");
    // A text file by URL keeps its plain text.
    let t = import_url(
        &format!("{base}/notes.txt"),
        &Default::default(),
        &|_, _| {},
        &never(),
    )
    .unwrap();
    assert_eq!(t[0].text, "Plain notes: 3 sources.\n");
}

#[test]
fn each_limit_gives_its_own_error() {
    let base = web::serve();
    let get = |path: &str| fetch(&format!("{base}{path}"), &small(), &|_, _| {}, &never());
    assert_eq!(
        get("/missing"),
        Err(FetchError::Status {
            code: 404,
            reason: " Not Found".into()
        })
    );
    assert_eq!(get("/loop"), Err(FetchError::TooManyRedirects { limit: 3 }));
    assert_eq!(get("/huge"), Err(FetchError::TooLarge { limit: 100_000 }));
    assert_eq!(
        get("/endless"),
        Err(FetchError::TooLarge { limit: 100_000 })
    );
    let started = Instant::now();
    assert_eq!(get("/slow"), Err(FetchError::TimedOut { seconds: 2 }));
    assert!(started.elapsed() < Duration::from_secs(6));
    // A redirect to another kind of address is not followed.
    assert!(get("/elsewhere").is_err());
    assert_eq!(get("/story").unwrap().bytes, web::STORY.as_bytes());
    // Nothing listens here.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = fetch(
        &format!("http://127.0.0.1:{port}/x"),
        &small(),
        &|_, _| {},
        &never(),
    );
    assert!(
        matches!(&refused, Err(FetchError::Network(why)) if why.contains("refused")),
        "{refused:?}"
    );
    assert_eq!(
        fetch("ftp://127.0.0.1/a.txt", &small(), &|_, _| {}, &never()),
        Err(FetchError::NotHttp)
    );
}

#[test]
fn a_fetch_under_way_is_cancelled_at_once() {
    let base = web::serve();
    let cancel = AtomicBool::new(false);
    let got_some = AtomicBool::new(false);
    let started = Instant::now();
    let result = fetch(
        &format!("{base}/trickle"),
        &Limits::default(),
        &|got, _| {
            if got > 0 {
                got_some.store(true, Ordering::Relaxed);
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert_eq!(result, Err(FetchError::Cancelled));
    assert!(got_some.load(Ordering::Relaxed));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // A hanging server too: the wait ends when cancelled, not at the timeout.
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        s.store(true, Ordering::Relaxed);
    });
    let started = Instant::now();
    let result = fetch(
        &format!("{base}/slow"),
        &Limits::default(),
        &|_, _| {},
        &stop,
    );
    assert_eq!(result, Err(FetchError::Cancelled));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_cli_adds_and_extracts_by_url() {
    let base = web::serve();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    let p = project.to_str().unwrap();
    let story = format!("{base}/story");
    let o = run(&["new", p, &story]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["add", p, &format!("{base}/plain")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Notes from the field"));
    // The same page again is skipped as a duplicate.
    let o = run(&["add", p, &story]);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("already in the project"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let json = dir.path().join("p.json");
    let o = run(&[
        "export",
        p,
        "--format",
        "json",
        "-o",
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = std::fs::read_to_string(&json).unwrap();
    assert!(
        out.contains("https://ledger.example.org/2026/11/rice-prices"),
        "{out}"
    );
    // extract --json by URL.
    let o = run(&["extract", "--json", &story]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "Rice prices climb again in border markets");
    assert_eq!(v["author"], "Min-ji Park");
    assert_eq!(v["url"], "https://ledger.example.org/2026/11/rice-prices");
    assert_eq!(v["format"], "html");
    // Errors name the address and say what went wrong; the project is untouched.
    let before = std::fs::read(&project).unwrap();
    for (path, says) in [
        ("/missing", "HTTP 404 Not Found"),
        ("/loop", "redirected more than 10 times"),
    ] {
        let url = format!("{base}{path}");
        let o = run(&["add", p, &url]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success());
        assert!(err.contains(&url) && err.contains(says), "{err}");
    }
    let o = run(&["add", p, "ftp://127.0.0.1/a.txt"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("only http:// and https://"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(&project).unwrap(), before);
}
