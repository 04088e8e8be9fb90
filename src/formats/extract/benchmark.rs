//! The ScrapingHub article-extraction benchmark's score, for the test and
//! `marginalia-perf --aeb`: per page, precision and recall of overlapping
//! 4-token (`\w+`) shingles counted with multiplicity; each averaged over
//! the pages; F1 of the two averages.

use super::{Options, extract_bytes};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// The figures of one run over the benchmark.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Pages read.
    pub pages: usize,
    /// Mean precision.
    pub precision: f64,
    /// Mean recall.
    pub recall: f64,
    /// F1 of the means.
    pub f1: f64,
    /// Pages given a non-empty title.
    pub titled: usize,
    /// Pages whose markup names a canonical or `og:url`.
    pub urls_named: usize,
    /// Of those, pages whose URL equals the benchmark's.
    pub urls_equal: usize,
    /// Seconds of wall time extracting on every core (reading the files
    /// and scoring included, decompressing excluded).
    pub seconds: f64,
}

/// Scores the extractor on the benchmark in `dir` (`ground-truth.json`
/// and `html/ID.html.gz`).
pub fn run(dir: &Path) -> anyhow::Result<Report> {
    use anyhow::Context;
    let truth_path = dir.join("ground-truth.json");
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&truth_path)
            .with_context(|| format!("reading {}", truth_path.display()))?,
    )?;
    let truth = truth
        .as_object()
        .context("ground-truth.json is not an object")?;
    let mut pages = Vec::new();
    for (id, page) in truth {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
        )
        .read_to_end(&mut bytes)?;
        pages.push((id.clone(), page.clone(), bytes));
    }
    let mut r = Report {
        pages: pages.len(),
        ..Report::default()
    };
    // On every core, as adding a folder of pages does.
    let started = std::time::Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let scored: Vec<Vec<PageScore>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((id, page, bytes)) = pages.get(i) else {
                            break;
                        };
                        out.push(score_page(id, page, bytes));
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    r.seconds = started.elapsed().as_secs_f64();
    let (mut sum_p, mut sum_r) = (0.0, 0.0);
    for page in scored.into_iter().flatten() {
        sum_p += page.precision;
        sum_r += page.recall;
        r.titled += usize::from(page.titled);
        r.urls_named += usize::from(page.names_url);
        r.urls_equal += usize::from(page.names_url && page.url_equal);
    }
    let n = r.pages.max(1) as f64;
    (r.precision, r.recall) = (sum_p / n, sum_r / n);
    r.f1 = 2.0 * r.precision * r.recall / (r.precision + r.recall).max(f64::MIN_POSITIVE);
    Ok(r)
}

/// One page's figures.
struct PageScore {
    precision: f64,
    recall: f64,
    titled: bool,
    names_url: bool,
    url_equal: bool,
}

fn score_page(id: &str, page: &serde_json::Value, bytes: &[u8]) -> PageScore {
    let lower = String::from_utf8_lossy(bytes).to_lowercase();
    let names_url = lower.contains("rel=\"canonical\"")
        || lower.contains("rel='canonical'")
        || lower.contains("og:url");
    let got = extract_bytes(bytes.to_vec(), &format!("{id}.html"), &Options::default());
    let article = got
        .ok()
        .and_then(|mut a| (!a.is_empty()).then(|| a.remove(0)));
    let text = article.as_ref().map_or("", |a| a.text.as_str());
    let (precision, recall) = precision_recall(text, page["articleBody"].as_str().unwrap_or(""));
    let url = article.as_ref().and_then(|a| a.source.url.as_deref());
    PageScore {
        precision,
        recall,
        titled: article
            .as_ref()
            .and_then(|a| a.title.as_deref())
            .is_some_and(|t| !t.trim().is_empty()),
        names_url,
        url_equal: url.is_some() && url == page["url"].as_str(),
    }
}

/// `\w+` tokens, then their overlapping 4-grams, counted.
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    static WORD: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(word) = WORD.get_or_init(|| regex::Regex::new(r"\w+").ok()) else {
        return HashMap::new();
    };
    let tokens: Vec<&str> = word.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    if tokens.len() < 4 {
        if !tokens.is_empty() {
            *out.entry(tokens).or_default() += 1;
        }
        return out;
    }
    for w in tokens.windows(4) {
        *out.entry(w.to_vec()).or_default() += 1;
    }
    out
}

/// Precision and recall of `got` against `truth` (1 for an empty side
/// that should be empty).
pub fn precision_recall(got: &str, truth: &str) -> (f64, f64) {
    let (g, t) = (shingles(got), shingles(truth));
    let shared: usize = g
        .iter()
        .map(|(k, n)| (*n).min(*t.get(k).unwrap_or(&0)))
        .sum();
    let (ng, nt) = (g.values().sum::<usize>(), t.values().sum::<usize>());
    let p = if ng == 0 {
        f64::from(u8::from(nt == 0))
    } else {
        shared as f64 / ng as f64
    };
    let r = if nt == 0 {
        1.0
    } else {
        shared as f64 / nt as f64
    };
    (p, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metric_counts_shared_shingles_with_multiplicity() {
        assert_eq!(precision_recall("a b c d", "a b c d"), (1.0, 1.0));
        // 2 of got's 3 shingles are in truth's 2.
        let (p, r) = precision_recall("a b c d e x", "a b c d e");
        assert!((p - 2.0 / 3.0).abs() < 1e-9 && (r - 1.0).abs() < 1e-9);
        assert_eq!(precision_recall("", "a b c d"), (0.0, 0.0));
        assert_eq!(precision_recall("", ""), (1.0, 1.0));
    }
}
