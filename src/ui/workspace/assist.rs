//! What the workspace answers about finding and suggesting.

use super::Workspace;

impl Workspace {
    /// Length of the current article in characters (0 without one).
    pub fn current_chars(&self) -> usize {
        self.current
            .and_then(|d| self.project.document(d))
            .map_or(0, |d| d.text.char_len())
    }

    /// Whether suggestions show on the current article.
    pub fn suggestions_shown(&self) -> bool {
        self.suggestions.shows(self.current_chars())
    }
}
