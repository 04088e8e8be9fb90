//! Fetching an article by URL: http and https only, with a time limit, a
//! size limit and a redirect limit, cancellable while it runs.
//!
//! The request runs on its own thread. The caller's thread only waits for
//! it, so cancelling returns at once even while a connection hangs; the
//! abandoned request ends by itself at its time limit.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;
use thiserror::Error;

/// How long, how big and how many redirects a fetch may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole request, from connecting to the last byte.
    pub timeout: Duration,
    /// The largest body accepted, after decompression.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
}

impl Default for Limits {
    /// 30 seconds, the size limit of an article file, 10 redirects.
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            max_bytes: super::extract::MAX_SOURCE_BYTES as u64,
            max_redirects: 10,
        }
    }
}

/// A fetched page or file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Where it was fetched from in the end (after redirects).
    pub url: String,
    /// The body, decompressed.
    pub bytes: Vec<u8>,
    /// The server's `Content-Type` media type, lower-case, if it sent one.
    pub content_type: Option<String>,
}

impl Fetched {
    /// A file name that tells the readers what the body is: the last part
    /// of the URL's path when it has an article extension, else one made
    /// from the content type (`page.html`, `page.pdf`…), else `page`.
    pub fn name_hint(&self) -> String {
        let path = self.url.split(['?', '#']).next().unwrap_or_default();
        let last = path.rsplit('/').next().unwrap_or_default();
        if super::extract::Format::is_article_name(last) {
            return last.to_string();
        }
        let ext = match self.content_type.as_deref() {
            Some("text/html" | "application/xhtml+xml") => ".html",
            Some("application/pdf") => ".pdf",
            Some("text/markdown") => ".md",
            Some("text/plain") => ".txt",
            Some("application/epub+zip") => ".epub",
            Some("application/vnd.oasis.opendocument.text") => ".odt",
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document") => {
                ".docx"
            }
            _ => "",
        };
        format!("page{ext}")
    }
}

/// Why a fetch failed. The URL is named by the caller.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FetchError {
    /// Not http or https.
    #[error("only http:// and https:// addresses can be fetched")]
    NotHttp,
    /// Not a usable address.
    #[error("not a web address: {0}")]
    BadUrl(String),
    /// The server answered with an error status.
    #[error("the server answered HTTP {code}{reason}")]
    Status {
        /// The status code.
        code: u16,
        /// " Not Found" and the like, or empty.
        reason: String,
    },
    /// The body is larger than the limit.
    #[error("the page is larger than the {limit}-byte limit")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// Redirected too often (a loop, usually).
    #[error("redirected more than {limit} times")]
    TooManyRedirects {
        /// The limit.
        limit: u32,
    },
    /// No answer in time.
    #[error("no complete answer within {seconds} s")]
    TimedOut {
        /// The limit, in seconds.
        seconds: u64,
    },
    /// The host is unknown or could not be reached, TLS failed, and the like.
    #[error("{0}")]
    Network(String),
    /// Stopped by the user.
    #[error("cancelled")]
    Cancelled,
}

/// Whether `s` is an http or https address (the only kinds fetched).
pub fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Whether `s` looks like an address of another kind (`ftp://`, `file://`),
/// which is refused rather than taken for a file name.
pub fn is_other_url(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once("://") else {
        return false;
    };
    !is_url(s)
        && scheme.len() >= 2
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Fetches `url`. `progress(bytes, total)` is called as the body arrives
/// (`total` when the server says it); setting `cancel` makes this return
/// [`FetchError::Cancelled`] within a tenth of a second.
pub fn fetch(
    url: &str,
    limits: &Limits,
    progress: &dyn Fn(u64, Option<u64>),
    cancel: &AtomicBool,
) -> Result<Fetched, FetchError> {
    if !is_url(url) {
        return Err(FetchError::NotHttp);
    }
    enum Msg {
        Progress(u64, Option<u64>),
        Done(Result<Fetched, FetchError>),
    }
    let (tx, rx) = channel();
    let (owned, limits_copy) = (url.to_string(), *limits);
    let spawned = std::thread::Builder::new()
        .name("fetch".into())
        .spawn(move || {
            let report = |got, total| {
                let _ = tx.send(Msg::Progress(got, total));
            };
            let result = fetch_here(&owned, &limits_copy, &report);
            let _ = tx.send(Msg::Done(result));
        });
    if let Err(e) = spawned {
        return Err(FetchError::Network(format!(
            "cannot start the request: {e}"
        )));
    }
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(FetchError::Cancelled);
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Msg::Progress(got, total)) => progress(got, total),
            Ok(Msg::Done(result)) => return result,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(FetchError::Network(
                    "the request stopped unexpectedly".into(),
                ));
            }
        }
    }
}

/// The request itself, on the calling thread.
fn fetch_here(
    url: &str,
    limits: &Limits,
    progress: &dyn Fn(u64, Option<u64>),
) -> Result<Fetched, FetchError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .max_redirects(limits.max_redirects)
        .http_status_as_error(false)
        .user_agent(concat!("Marginalia/", env!("CARGO_PKG_VERSION")))
        .accept("text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8")
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| from_ureq(e, limits))?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status {
            code: status.as_u16(),
            reason: status
                .canonical_reason()
                .map_or(String::new(), |r| format!(" {r}")),
        });
    }
    let final_url = ureq::ResponseExt::get_uri(&response).to_string();
    let body = response.body_mut();
    let content_type = body.mime_type().map(str::to_ascii_lowercase);
    let total = body.content_length();
    if total.is_some_and(|n| n > limits.max_bytes) {
        return Err(FetchError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let bytes = read_body(body.as_reader(), total, limits, progress)?;
    Ok(Fetched {
        url: final_url,
        bytes,
        content_type,
    })
}

/// Reads the body in pieces, reporting each, up to the size limit.
fn read_body(
    mut reader: impl std::io::Read,
    total: Option<u64>,
    limits: &Limits,
    progress: &dyn Fn(u64, Option<u64>),
) -> Result<Vec<u8>, FetchError> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(from_io(e, limits)),
        };
        bytes.extend_from_slice(&chunk[..n]);
        if bytes.len() as u64 > limits.max_bytes {
            return Err(FetchError::TooLarge {
                limit: limits.max_bytes,
            });
        }
        progress(bytes.len() as u64, total);
    }
    Ok(bytes)
}

fn from_io(e: std::io::Error, limits: &Limits) -> FetchError {
    // ureq wraps its own errors (a timeout mid-body) in io::Error.
    match e.into_inner() {
        Some(inner) => match inner.downcast::<ureq::Error>() {
            Ok(u) => from_ureq(*u, limits),
            Err(other) => FetchError::Network(other.to_string()),
        },
        None => FetchError::Network("the connection failed while reading".into()),
    }
}

fn from_ureq(e: ureq::Error, limits: &Limits) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::TimedOut {
            seconds: limits.timeout.as_secs().max(1),
        },
        ureq::Error::TooManyRedirects => FetchError::TooManyRedirects {
            limit: limits.max_redirects,
        },
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
            limit: limits.max_bytes,
        },
        ureq::Error::BadUri(why) => FetchError::BadUrl(why),
        ureq::Error::HostNotFound => FetchError::Network("the host was not found".into()),
        ureq::Error::ConnectionFailed => {
            FetchError::Network("the server could not be reached".into())
        }
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                FetchError::Network("the server refused the connection".into())
            }
            std::io::ErrorKind::TimedOut => FetchError::TimedOut {
                seconds: limits.timeout.as_secs().max(1),
            },
            _ => FetchError::Network(format!("could not connect: {io}")),
        },
        ureq::Error::Rustls(e) => {
            FetchError::Network(format!("the secure connection (TLS) failed: {e}"))
        }
        other => FetchError::Network(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_urls() {
        assert!(is_url("https://example.org/a"));
        assert!(is_url("HTTP://example.org"));
        assert!(!is_url("ftp://example.org"));
        assert!(!is_url("/tmp/https://x"));
        assert!(is_other_url("ftp://example.org/a.txt"));
        assert!(is_other_url("file:///etc/passwd"));
        assert!(!is_other_url("https://x"));
        assert!(
            !is_other_url("notes/a://b.txt"),
            "a relative path, not a scheme"
        );
        let err = fetch(
            "file:///etc/passwd",
            &Limits::default(),
            &|_, _| {},
            &AtomicBool::new(false),
        );
        assert_eq!(err, Err(FetchError::NotHttp));
    }

    #[test]
    fn the_name_hint_follows_the_path_then_the_content_type() {
        let f = |url: &str, ct: Option<&str>| Fetched {
            url: url.into(),
            bytes: vec![],
            content_type: ct.map(Into::into),
        };
        assert_eq!(
            f("https://x.org/r/report.pdf?v=2", None).name_hint(),
            "report.pdf"
        );
        assert_eq!(
            f("https://x.org/news/2024/story", Some("text/html")).name_hint(),
            "page.html"
        );
        assert_eq!(
            f("https://x.org/dl", Some("application/pdf")).name_hint(),
            "page.pdf"
        );
        assert_eq!(f("https://x.org/", None).name_hint(), "page");
    }
}
