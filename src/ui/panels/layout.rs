//! How wide the side panels may be, so that the text keeps a readable
//! column: side panels shrink first, then fold to a narrow strip (the
//! article list before the right-hand column), and only then does the text
//! get narrower. Pure arithmetic, tested without a window.

/// The text column never gets narrower than this while a side panel can
/// still shrink or fold (points; about 60 characters of body text).
pub const MIN_TEXT: f32 = 420.0;

/// Width of a folded panel: a strip with one button that unfolds it.
pub const FOLDED: f32 = 30.0;

/// The article list's narrowest and widest.
const ARTICLES: (f32, f32) = (150.0, 420.0);

/// The right-hand column's (spans, review) narrowest and widest.
const RIGHT: (f32, f32) = (240.0, 640.0);

/// The article list's share of the room left beside the text, when both
/// side panels are open.
const ARTICLES_SHARE: f32 = 0.38;

/// One side panel's place in this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Side {
    /// Turned off in the View menu.
    Hidden,
    /// Folded to a strip because the window is narrow.
    Folded,
    /// Open, between these widths.
    Open {
        /// The narrowest it may be dragged to.
        min: f32,
        /// The widest it may be dragged to in this window.
        max: f32,
    },
}

#[cfg(test)]
impl Side {
    /// The widest it may be, or None when not open.
    pub fn max(self) -> Option<f32> {
        match self {
            Side::Open { max, .. } => Some(max),
            _ => None,
        }
    }
}

/// Where both side panels go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SidePlan {
    /// The article list, on the left.
    pub articles: Side,
    /// The spans and review column, on the right.
    pub right: Side,
}

/// What the user asked for: which panels the View menu shows, and which
/// folded ones they opened anyway (their choice beats the text's room).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wanted {
    /// The article list is on.
    pub articles: bool,
    /// The right-hand column has something to show.
    pub right: bool,
    /// The user unfolded the article list in a narrow window.
    pub articles_unfolded: bool,
    /// The user unfolded the right-hand column in a narrow window.
    pub right_unfolded: bool,
}

/// Plans the side panels for a window `width` points wide.
pub fn plan(width: f32, wanted: Wanted) -> SidePlan {
    let mut room = width - MIN_TEXT;
    let right_need = if wanted.right { RIGHT.0 } else { 0.0 };
    let fold_articles =
        wanted.articles && !wanted.articles_unfolded && room < ARTICLES.0 + right_need;
    if fold_articles {
        room -= FOLDED;
    }
    let articles_open = wanted.articles && !fold_articles;
    let articles_need = if articles_open { ARTICLES.0 } else { 0.0 };
    let fold_right = wanted.right && !wanted.right_unfolded && room < RIGHT.0 + articles_need;
    if fold_right {
        room -= FOLDED;
    }
    let right_open = wanted.right && !fold_right;
    let articles_max = if right_open {
        (room * ARTICLES_SHARE).clamp(ARTICLES.0, ARTICLES.1)
    } else {
        room.clamp(ARTICLES.0, ARTICLES.1)
    };
    let articles_taken = if articles_open { articles_max } else { 0.0 };
    let right_max = (room - articles_taken).clamp(RIGHT.0, RIGHT.1);
    let side = |want: bool, folded: bool, min: f32, max: f32| match (want, folded) {
        (false, _) => Side::Hidden,
        (true, true) => Side::Folded,
        (true, false) => Side::Open { min, max },
    };
    SidePlan {
        articles: side(wanted.articles, fold_articles, ARTICLES.0, articles_max),
        right: side(wanted.right, fold_right, RIGHT.0, right_max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: Wanted = Wanted {
        articles: true,
        right: true,
        articles_unfolded: false,
        right_unfolded: false,
    };

    /// The text's width when both open panels are at their widest.
    fn text_width(width: f32, p: SidePlan) -> f32 {
        let side = |s: Side| match s {
            Side::Hidden => 0.0,
            Side::Folded => FOLDED,
            Side::Open { max, .. } => max,
        };
        width - side(p.articles) - side(p.right)
    }

    #[test]
    fn panels_shrink_before_the_text_does() {
        for width in [860.0, 1000.0, 1280.0, 1600.0, 2400.0] {
            let p = plan(width, BOTH);
            assert!(
                p.articles.max().is_some() && p.right.max().is_some(),
                "{width}: {p:?}"
            );
            assert!(text_width(width, p) >= MIN_TEXT - 0.01, "{width}: {p:?}");
        }
    }

    #[test]
    fn the_article_list_folds_first_then_the_right_column() {
        let p = plan(760.0, BOTH);
        assert_eq!(p.articles, Side::Folded);
        assert!(p.right.max().is_some());
        assert!(text_width(760.0, p) >= MIN_TEXT);
        let p = plan(600.0, BOTH);
        assert_eq!((p.articles, p.right), (Side::Folded, Side::Folded));
    }

    #[test]
    fn an_unfolded_list_stays_open_and_the_right_column_folds() {
        let wanted = Wanted {
            articles_unfolded: true,
            ..BOTH
        };
        let p = plan(760.0, wanted);
        // The right column makes room for it by folding.
        assert_eq!(p.articles.max(), Some(760.0 - MIN_TEXT - FOLDED));
        assert_eq!(p.right, Side::Folded);
    }

    #[test]
    fn hidden_panels_stay_hidden_and_give_their_room_to_the_other() {
        let p = plan(
            1000.0,
            Wanted {
                articles: false,
                ..BOTH
            },
        );
        assert_eq!(p.articles, Side::Hidden);
        assert_eq!(p.right.max(), Some(1000.0 - MIN_TEXT));
        let p = plan(1000.0, Wanted::default());
        assert_eq!((p.articles, p.right), (Side::Hidden, Side::Hidden));
    }

    #[test]
    fn wide_windows_cap_the_panels() {
        let p = plan(4000.0, BOTH);
        assert_eq!(p.articles.max(), Some(ARTICLES.1));
        assert_eq!(p.right.max(), Some(RIGHT.1));
    }
}
