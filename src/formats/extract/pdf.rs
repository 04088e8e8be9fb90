//! PDF (pure Rust: `pdf-extract` on `lopdf`). The text comes page by
//! page; lines that repeat at the top or bottom of most pages (running
//! headers, footers, page numbers) are dropped, words hyphenated at a line
//! end are joined, and the line breaks inside a paragraph are removed.

use super::{ExtractError, Extracted};
use crate::model::Provenance;
use std::collections::HashMap;

/// The article in a PDF. Runs inside [`super::guarded`]: the reader may
/// panic or loop on a hostile file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let pages = pages(bytes).map_err(|e| {
        let detail = e.to_string();
        if detail.to_ascii_lowercase().contains("decrypt")
            || memchr::memmem::find(bytes, b"/Encrypt").is_some()
        {
            ExtractError::Encrypted
        } else {
            ExtractError::Corrupt {
                format: "the PDF",
                detail,
            }
        }
    })?;
    let text = clean(&pages);
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        // An encrypted file read with the empty password gives nothing.
        return Err(if memchr::memmem::find(bytes, b"/Encrypt").is_some() {
            ExtractError::Encrypted
        } else {
            ExtractError::NoTextLayer
        });
    }
    Ok(Extracted {
        title: None,
        text,
        source: Provenance::default(),
    })
}

/// Each page's text, in reading order by where the glyphs are (see
/// [`super::pdf_layout`]).
fn pages(bytes: &[u8]) -> Result<Vec<String>, pdf_extract::OutputError> {
    let mut doc = pdf_extract::Document::load_mem(bytes)?;
    if doc.is_encrypted() {
        // Many files are "encrypted" with an empty password.
        doc.decrypt("")?;
    }
    let mut glyphs = Glyphs::default();
    pdf_extract::output_doc(&doc, &mut glyphs)?;
    Ok(glyphs
        .pages
        .iter()
        .map(|page| super::pdf_layout::page_text(page))
        .collect())
}

/// Collects every page's glyphs with their positions.
#[derive(Default)]
struct Glyphs {
    pages: Vec<Vec<super::pdf_layout::Glyph>>,
}

impl pdf_extract::OutputDev for Glyphs {
    fn begin_page(
        &mut self,
        _page: u32,
        _media: &pdf_extract::MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.pages.push(Vec::new());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        // The font size as drawn: the side of the square with the area the
        // text matrix gives an em.
        let (vx, vy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (vx * vy).abs().sqrt();
        if let Some(page) = self.pages.last_mut() {
            page.push(super::pdf_layout::Glyph {
                x: trm.m31,
                y: trm.m32,
                end: trm.m31 + width * size,
                size,
                text: text.to_string(),
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// The pages as one text: furniture dropped, paragraphs rejoined.
pub fn clean(pages: &[String]) -> String {
    let furniture = repeated_edges(pages);
    let mut lines: Vec<String> = Vec::new();
    for page in pages {
        // A page that ends a sentence ends its paragraph; one that stops
        // mid-sentence goes on over the page break.
        if lines.last().is_some_and(|l| ends_sentence(l)) {
            lines.push(String::new());
        }
        let page_lines: Vec<&str> = page.lines().map(str::trim).collect();
        let (first, last) = edges(&page_lines);
        for (i, line) in page_lines.iter().enumerate() {
            let at_edge = first.is_some_and(|f| i <= f + 1) || last.is_some_and(|l| i + 1 >= l);
            if at_edge && (furniture.contains_key(&shape(line)) || is_page_number(line)) {
                continue;
            }
            lines.push((*line).to_string());
        }
    }
    let text_lines = lines.iter().filter(|l| !l.is_empty()).count();
    let no_gaps = text_lines >= 8 && text_lines == lines.len();
    let paragraphs = if no_gaps || double_spaced(&lines) {
        by_line_length(&lines)
    } else {
        by_blank_lines(&lines)
    };
    paragraphs
        .into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Whether (nearly) every line is followed by a blank one: the blank
/// lines then say nothing about paragraphs. (Not every: the last line of a
/// column is followed by the next column's first.)
fn double_spaced(lines: &[String]) -> bool {
    let text_lines = lines.iter().filter(|l| !l.is_empty()).count();
    let followed = lines
        .windows(2)
        .filter(|w| !w[0].is_empty() && w[1].is_empty())
        .count();
    text_lines >= 4 && followed * 10 >= text_lines * 7
}

/// Paragraphs separated by blank lines.
fn by_blank_lines(lines: &[String]) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        join_line(&mut current, line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// Paragraphs told by their last line: one that ends a sentence well short
/// of the full line width ends the paragraph.
fn by_line_length(lines: &[String]) -> Vec<String> {
    let text: Vec<&String> = lines.iter().filter(|l| !l.is_empty()).collect();
    let mut widths: Vec<usize> = text.iter().map(|l| l.chars().count()).collect();
    widths.sort_unstable();
    let full = widths.get(widths.len() * 9 / 10).copied().unwrap_or(0);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text {
        join_line(&mut current, line);
        if ends_sentence(line) && line.chars().count() * 10 < full * 8 {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// Whether a line ends with the end of a sentence (or a quote, a colon).
pub(super) fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .ends_with(['.', '!', '?', '”', '"', ':', '’', ')'])
}

/// Appends a line to a paragraph: a word broken by a hyphen at the line
/// end is joined ("inter-" + "national" → "international"); else a space.
fn join_line(paragraph: &mut String, line: &str) {
    let next_lower = line.chars().next().is_some_and(char::is_lowercase);
    let hyphen_break = paragraph.ends_with('-')
        && paragraph
            .chars()
            .rev()
            .nth(1)
            .is_some_and(char::is_alphabetic)
        && next_lower;
    if hyphen_break {
        paragraph.pop();
    } else if !paragraph.is_empty() {
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

/// Indexes of the first and last non-empty lines.
fn edges(lines: &[&str]) -> (Option<usize>, Option<usize>) {
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    (first, last)
}

/// A line with its digits made `#`, so "Page 3" and "Page 4" match.
fn shape(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "3", "- 3 -", "Page 3", "3 of 12", "iv".
fn is_page_number(line: &str) -> bool {
    let s = shape(line).to_ascii_lowercase();
    let s = s.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    matches!(s, "#" | "##" | "###" | "page #" | "page ##" | "page ###")
        || s.starts_with("page #") && s.contains(" of #")
        || (s.starts_with('#') && s.contains(" of #") && s.len() <= 12)
        || (!s.is_empty() && s.len() <= 5 && s.chars().all(|c| "ivxlc".contains(c)))
}

/// Line shapes found within the first or last two lines of at least half
/// the pages (and on three or more): running headers and footers.
fn repeated_edges(pages: &[String]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let lines: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut seen = std::collections::HashSet::new();
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            if (i < 2 || i + 2 >= n) && seen.insert(shape(line)) {
                *counts.entry(shape(line)).or_default() += 1;
            }
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    counts.retain(|_, n| *n >= needed);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_footers_and_page_numbers_go_and_paragraphs_are_rejoined() {
        let page =
            |n: usize, body: &str| format!("Daily Example Report\n\n{body}\n\nPage {n} of 4\n");
        let pages = vec![
            page(
                1,
                "Trade across the border re-\nsumed on Sunday, a source\nsaid.\n\nPrices fell.",
            ),
            page(2, "Rice cost 5,000 won in the inter-\nnational market."),
            page(3, "A well-known trader agreed."),
            page(4, "End."),
        ];
        assert_eq!(
            clean(&pages),
            "Trade across the border resumed on Sunday, a source said.\n\nPrices fell.\n\n\
             Rice cost 5,000 won in the international market.\n\nA well-known trader agreed.\n\nEnd."
        );
    }

    #[test]
    fn broken_and_hostile_pdfs_fail_clearly() {
        assert!(matches!(
            extract(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"),
            Err(ExtractError::Corrupt { .. } | ExtractError::Encrypted)
        ));
    }
}
