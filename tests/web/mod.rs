//! A small web server on 127.0.0.1 for the URL tests: each path gives one
//! kind of answer (a page, a redirect, an error, a slow or huge body).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// The article page: furniture around one story, with its metadata in
/// OpenGraph, meta tags and JSON-LD.
pub const STORY: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Rice prices climb again | The Harbour Ledger</title>
<link rel="canonical" href="https://ledger.example.org/2026/11/rice-prices">
<meta property="og:title" content="Rice prices climb again in border markets">
<meta property="og:site_name" content="The Harbour Ledger">
<meta name="author" content="Min-ji Park">
<meta property="article:published_time" content="2026-11-30T08:15:00+09:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>
<article><h1>Rice prices climb again in border markets</h1>
<p>Rice sold for 6,200 won per kilogram in Hyesan on Sunday, a trader told the paper, up 12% from a month earlier.</p>
<p>“People buy corn instead,” said the trader, who asked not to be named. Officials declined to comment on the figures.</p>
<p>Prices in Sinuiju rose less, according to another source in the city, who put the increase at about 5%.</p>
</article>
<aside><h3>Related</h3><ul><li><a href="/a">Fuel costs</a></li><li><a href="/b">Exchange rates</a></li></ul></aside>
<footer>© 2026 The Harbour Ledger · <a href="/privacy">Privacy</a></footer>
</body></html>"#;

/// A page that names no canonical address.
pub const PLAIN: &str = "<html><head><title>Notes from the field</title></head><body><article><h1>Notes from the field</h1><p>The market opened late on Monday because of the rain, and most stalls sold only vegetables.</p><p>Several traders said the new rules on cross-border trade had not yet been explained to them.</p></article></body></html>";

/// Starts the server; returns its base address (`http://127.0.0.1:PORT`).
pub fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    base
}

fn answer(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The headers, up to the blank line.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let _ = match path.as_str() {
        "/story" => ok(&mut stream, "text/html; charset=utf-8", STORY.as_bytes()),
        "/plain" => ok(&mut stream, "text/html", PLAIN.as_bytes()),
        "/notes.txt" => ok(
            &mut stream,
            "text/plain",
            "Plain notes: 3 sources.\n".as_bytes(),
        ),
        "/moved" => redirect(&mut stream, "/plain"),
        "/loop" => redirect(&mut stream, "/loop"),
        "/elsewhere" => redirect(&mut stream, "ftp://127.0.0.1/x.txt"),
        "/missing" => write!(
            stream,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
        ),
        "/huge" => write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 900000000\r\nConnection: close\r\n\r\n<html>"
        ),
        "/endless" => endless(&mut stream),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(20));
            ok(&mut stream, "text/html", PLAIN.as_bytes())
        }
        "/trickle" => trickle(&mut stream),
        _ => write!(
            stream,
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    };
}

fn ok(stream: &mut TcpStream, content_type: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}

fn redirect(stream: &mut TcpStream, to: &str) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

/// A body with no length that never ends (until the client hangs up).
fn endless(stream: &mut TcpStream) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body><p>"
    )?;
    let chunk = "word ".repeat(2000);
    loop {
        stream.write_all(chunk.as_bytes())?;
    }
}

/// A page sent a few bytes a second: progress can be seen, and cancelled.
fn trickle(stream: &mut TcpStream) -> std::io::Result<()> {
    let body = PLAIN.as_bytes();
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    for piece in body.chunks(16) {
        stream.write_all(piece)?;
        stream.flush()?;
        std::thread::sleep(Duration::from_millis(150));
    }
    Ok(())
}
