//! What the workspace answers about a comparison under review.

use super::Workspace;
use crate::ui::review::ReviewItem;

impl Workspace {
    /// The review list: the project's conflicts, then the current
    /// article's disagreements.
    pub fn review_items(&mut self) -> Vec<ReviewItem> {
        let mut items: Vec<ReviewItem> = (0..self.project.conflicts().len())
            .map(ReviewItem::Conflict)
            .collect();
        let state = self.history.current_state();
        if let (Some(c), Some(doc)) = (&mut self.compare, self.current) {
            items.extend(
                c.in_document(&self.project, state, doc)
                    .into_iter()
                    .map(ReviewItem::Disagreement),
            );
        }
        items
    }

    /// True when the review panel has anything to show.
    pub fn reviewing(&self) -> bool {
        self.compare.is_some() || !self.project.conflicts().is_empty()
    }
}
