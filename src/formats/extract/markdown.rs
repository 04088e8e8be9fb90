//! Markdown rendered to plain text: no `#`, `*` or link syntax left, link
//! text kept, paragraphs and headings on their own lines, list items one
//! per line, footnotes at the end.

use super::Extracted;
use crate::model::Provenance;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The article in Markdown `text`; its first heading is the title.
pub fn extract(text: &str) -> Extracted {
    let mut out = String::new();
    let mut notes = String::new();
    let mut in_note = false;
    let mut title: Option<String> = None;
    let mut heading: Option<String> = None;
    let mut cell = 0;
    let parser = Parser::new_ext(
        text,
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH,
    );
    for event in parser {
        let sink = if in_note { &mut notes } else { &mut out };
        match event {
            Event::Start(Tag::Heading { .. }) => {
                paragraph(sink);
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take()
                    && title.is_none()
                    && !h.trim().is_empty()
                {
                    title = Some(h.trim().to_string());
                }
                paragraph(sink);
            }
            // A note is one line after its mark.
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) if in_note => {}
            Event::Start(
                Tag::Paragraph | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::Table(_),
            )
            | Event::End(
                TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::CodeBlock | TagEnd::Table,
            ) => paragraph(sink),
            Event::Start(Tag::Item)
            | Event::Start(Tag::TableRow)
            | Event::Start(Tag::TableHead) => {
                line(sink);
                cell = 0;
            }
            Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableRow)
            | Event::End(TagEnd::TableHead) => line(sink),
            Event::Start(Tag::TableCell) => {
                if cell > 0 {
                    sink.push('\t');
                }
                cell += 1;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_note = true;
                line(&mut notes);
                notes.push_str(&format!("[{label}] "));
            }
            Event::End(TagEnd::FootnoteDefinition) => in_note = false,
            Event::FootnoteReference(label) => sink.push_str(&format!("[{label}]")),
            Event::Text(t) | Event::Code(t) => {
                sink.push_str(&t);
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak => sink.push(' '),
            Event::HardBreak => sink.push('\n'),
            Event::Rule => paragraph(sink),
            // Raw HTML and the rest carry no text.
            _ => {}
        }
    }
    let mut text = super::html::tidy(&out);
    let notes = super::html::tidy(&notes);
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes);
    }
    Extracted {
        title,
        text,
        source: Provenance::default(),
    }
}

fn paragraph(s: &mut String) {
    let trimmed = s.trim_end_matches([' ', '\n']).len();
    s.truncate(trimmed);
    if !s.is_empty() {
        s.push_str("\n\n");
    }
}

fn line(s: &mut String) {
    let trimmed = s.trim_end_matches(' ').len();
    s.truncate(trimmed);
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_text() {
        let md = "# Border trade\n\nA *source* told [Daily NK](https://dailynk.com) on **Sunday**.\n\
                  Prices fell.\n\n- rice\n- corn\n\n| item | price |\n|---|---|\n| rice | 5,000 |\n\n\
                  Said so.[^1]\n\n[^1]: Interview, March 2020.\n";
        let got = extract(md);
        assert_eq!(got.title.as_deref(), Some("Border trade"));
        assert_eq!(
            got.text,
            "Border trade\n\nA source told Daily NK on Sunday. Prices fell.\n\nrice\ncorn\n\nitem\tprice\nrice\t5,000\n\nSaid so.[1]\n\n[1] Interview, March 2020."
        );
        for syntax in ["#", "*", "](", "[Daily"] {
            assert!(!got.text.contains(syntax), "{syntax}");
        }
    }
}
