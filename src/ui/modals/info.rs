//! Article info: where the article came from (URL, headline, authors,
//! date, site, language) as read from its page or file, for the analyst
//! to check and correct; the format, encoding, file, time added and hash
//! of the original are shown as read.

use super::{ModalCx, Outcome, ok_cancel};
use crate::model::{DocId, Provenance};
use crate::ui::commands::UiCommand;
use egui::{RichText, Ui};

/// The dialog's state: the fields being edited.
#[derive(Debug)]
pub struct InfoModal {
    /// The article.
    pub doc: DocId,
    /// What it had when opened (the read-only fields come from it).
    pub before: Provenance,
    /// Editable fields, in [`FIELDS`] order.
    pub fields: [String; 6],
}

/// The editable fields' labels (tests find them by these).
pub const FIELDS: [&str; 6] = [
    "URL:",
    "Headline:",
    "Authors (comma-separated):",
    "Published:",
    "Site:",
    "Language:",
];

impl InfoModal {
    /// The dialog for `doc`, whose source is `source` (empty if none).
    pub fn new(doc: DocId, source: Option<&Provenance>) -> Self {
        let before = source.cloned().unwrap_or_default();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let fields = [
            s(&before.url),
            s(&before.title),
            before.authors.join(", "),
            s(&before.published),
            s(&before.site),
            s(&before.language),
        ];
        InfoModal {
            doc,
            before,
            fields,
        }
    }

    /// The source with the edited fields (blank means unknown).
    pub fn edited(&self) -> Provenance {
        let v = |i: usize| {
            let t = self.fields[i].trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        Provenance {
            url: v(0),
            title: v(1),
            authors: self.fields[2]
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            published: v(3),
            site: v(4),
            language: v(5),
            ..self.before.clone()
        }
    }

    /// Draws the dialog; Save gives the command (one undo step).
    pub fn ui(&mut self, ui: &mut Ui, cx: &ModalCx) -> Outcome {
        ui.heading("Article info");
        if let Some(d) = cx.ws.and_then(|w| w.project.document(self.doc)) {
            ui.label(RichText::new(&d.title).italics());
        }
        egui::Grid::new("article-info")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                for (i, label) in FIELDS.iter().enumerate() {
                    let name = ui.label(*label);
                    let r = ui
                        .add(egui::TextEdit::singleline(&mut self.fields[i]).desired_width(420.0));
                    let _ = r.labelled_by(name.id);
                    ui.end_row();
                }
                let b = &self.before;
                for (label, value) in [
                    ("Read from:", b.file_name.clone()),
                    ("Format:", b.format.clone()),
                    ("Encoding:", b.encoding.clone()),
                    ("Added:", b.added.clone()),
                    ("SHA-256:", b.sha256.clone()),
                ] {
                    ui.label(RichText::new(label).weak());
                    ui.label(value.unwrap_or_else(|| "—".into()));
                    ui.end_row();
                }
            });
        let changed = self.edited() != self.before;
        let (ok, cancel) = ok_cancel(ui, "Save", changed, cx.escape);
        if ok && changed {
            let source = self.edited();
            let source = (!source.is_empty()).then(|| Box::new(source));
            Outcome::Run(vec![UiCommand::SetArticleSource(self.doc, source)])
        } else if cancel {
            Outcome::Close
        } else {
            Outcome::Keep
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_fields_are_unknown_and_the_rest_is_kept() {
        let before = Provenance {
            url: Some("https://a.example/x".into()),
            authors: vec!["Ana Kim".into()],
            sha256: Some("ab".into()),
            ..Provenance::default()
        };
        let mut m = InfoModal::new(DocId(1), Some(&before));
        assert_eq!(m.edited(), before);
        m.fields[0].clear();
        m.fields[2] = "Ana Kim, Lee Min-ho ,".into();
        m.fields[3] = " 2020-03-05 ".into();
        let e = m.edited();
        assert_eq!(e.url, None);
        assert_eq!(e.authors, ["Ana Kim", "Lee Min-ho"]);
        assert_eq!(e.published.as_deref(), Some("2020-03-05"));
        assert_eq!(e.sha256.as_deref(), Some("ab"), "read-only fields stay");
    }
}
