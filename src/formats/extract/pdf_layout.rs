//! Reading order on a PDF page from where its glyphs are, not the order
//! they were drawn in: glyphs make line pieces, and the page is cut
//! recursively (an XY cut) at the widest blank strip, a column gutter
//! before a gap between rows, so columns are read one after the other even
//! when the file draws them row by row.

/// One glyph as drawn: baseline position (y grows upwards), where it ends,
/// its size in page units, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge.
    pub x: f64,
    /// Baseline, upwards.
    pub y: f64,
    /// Right edge.
    pub end: f64,
    /// Font size on the page.
    pub size: f64,
    /// The character(s).
    pub text: String,
}

/// A piece of one line: glyphs on one baseline with no wide gap.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

impl Piece {
    fn top(&self) -> f64 {
        self.y + 0.85 * self.size
    }
    fn bottom(&self) -> f64 {
        self.y - 0.25 * self.size
    }
}

/// A gap wider than this many ems ends a piece (a column gutter or a
/// table gap, never a word space).
const PIECE_GAP_EM: f64 = 1.0;

/// Below this recursion depth the page is cut further; past it, the rest
/// is read top to bottom (a guard against hostile pages).
const MAX_DEPTH: usize = 400;

/// The page's text in reading order: one line per line piece row, a blank
/// line where the text moves down by more than one and a half lines.
pub fn page_text(glyphs: &[Glyph]) -> String {
    let pieces = pieces(glyphs);
    let mut ordered = Vec::with_capacity(pieces.len());
    order(pieces, &mut ordered, 0);
    lines(&ordered)
}

/// Glyphs, in drawing order, joined into pieces.
fn pieces(glyphs: &[Glyph]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for g in glyphs
        .iter()
        .filter(|g| g.size > 0.0 && g.x.is_finite() && g.y.is_finite())
    {
        let blank = g.text.trim().is_empty();
        if let Some(p) = out.last_mut() {
            let same_line = (g.y - p.y).abs() < 0.5 * p.size.max(g.size);
            let gap = g.x - p.x1;
            if same_line && gap > -0.5 * p.size && gap < PIECE_GAP_EM * p.size.max(g.size) {
                if !blank {
                    if gap > 0.1 * p.size && !p.text.ends_with(' ') {
                        p.text.push(' ');
                    }
                    p.text.push_str(&g.text);
                    p.x1 = p.x1.max(g.end);
                }
                continue;
            }
        }
        if !blank {
            out.push(Piece {
                x0: g.x,
                x1: g.end.max(g.x),
                y: g.y,
                size: g.size,
                text: g.text.clone(),
            });
        }
    }
    for p in &mut out {
        let trimmed = p.text.trim_end().len();
        p.text.truncate(trimmed);
    }
    out
}

/// The widest blank strip between `intervals` (after sorting them by
/// start): its width and where to cut, if there is one.
fn widest_gap(mut intervals: Vec<(f64, f64)>) -> Option<(f64, f64)> {
    intervals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut reach = intervals.first()?.1;
    let mut best: Option<(f64, f64)> = None;
    for &(start, end) in intervals.iter().skip(1) {
        if start > reach {
            let width = start - reach;
            if best.is_none_or(|(w, _)| width > w) {
                best = Some((width, (start + reach) / 2.0));
            }
        }
        reach = reach.max(end);
    }
    best
}

/// Appends `pieces` to `out` in reading order.
fn order(pieces: Vec<Piece>, out: &mut Vec<Piece>, depth: usize) {
    if pieces.len() <= 1 || depth > MAX_DEPTH {
        top_down(pieces, out);
        return;
    }
    let em = median_size(&pieces);
    let across = widest_gap(pieces.iter().map(|p| (p.x0, p.x1)).collect());
    if let Some((width, at)) = across
        && width >= PIECE_GAP_EM * em
    {
        let (left, right): (Vec<Piece>, Vec<Piece>) = pieces.into_iter().partition(|p| p.x1 <= at);
        order(left, out, depth + 1);
        order(right, out, depth + 1);
        return;
    }
    // Rows: y grows upwards, so cut by -top..-bottom to read top first.
    let down = widest_gap(pieces.iter().map(|p| (-p.top(), -p.bottom())).collect());
    if let Some((_, at)) = down {
        let (upper, lower): (Vec<Piece>, Vec<Piece>) =
            pieces.into_iter().partition(|p| -p.bottom() <= at);
        order(upper, out, depth + 1);
        order(lower, out, depth + 1);
        return;
    }
    // Overlapping rows with no gutter.
    top_down(pieces, out);
}

/// Appends `pieces` top to bottom, left to right.
fn top_down(mut pieces: Vec<Piece>, out: &mut Vec<Piece>) {
    pieces.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    out.extend(pieces);
}

fn median_size(pieces: &[Piece]) -> f64 {
    let mut sizes: Vec<f64> = pieces.iter().map(|p| p.size).collect();
    sizes.sort_by(f64::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(10.0)
}

/// Ordered pieces as lines: pieces on one baseline that follow each other
/// share a line; a step down clearly wider than the page's usual line
/// step (a paragraph gap) leaves a blank line.
fn lines(ordered: &[Piece]) -> String {
    let gap = paragraph_gap(ordered);
    let mut text = String::new();
    let mut last: Option<&Piece> = None;
    for p in ordered {
        match last {
            Some(l) if (p.y - l.y).abs() < 0.5 * l.size && p.x0 >= l.x1 => text.push(' '),
            Some(l) => {
                text.push('\n');
                let down = l.y - p.y;
                // Up to the next column: a sentence that ended there ended
                // its paragraph.
                let new_column = down < -0.5 * l.size && super::pdf::ends_sentence(&l.text);
                if down > gap.max(1.15 * l.size.max(p.size)) || new_column {
                    text.push('\n');
                }
            }
            None => {}
        }
        text.push_str(&p.text);
        last = Some(p);
    }
    text
}

/// The smallest step down that is a paragraph gap: 1.3 times the usual
/// step from one line to the next (its lower quartile) (1.5 font sizes on a page of too
/// few lines to tell).
fn paragraph_gap(ordered: &[Piece]) -> f64 {
    let mut steps: Vec<f64> = ordered
        .windows(2)
        .map(|w| w[0].y - w[1].y)
        .filter(|dy| *dy > 0.5 * ordered[0].size.max(1.0))
        .collect();
    if steps.len() < 3 {
        return 1.5 * median_size(ordered);
    }
    steps.sort_by(f64::total_cmp);
    1.3 * steps[steps.len() / 4]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for `words` laid out from (x, y), one glyph per character,
    /// 10 units high and 5 wide, a space between words.
    fn line(x: f64, y: f64, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + 5.0 * i as f64,
                y,
                end: x + 5.0 * (i + 1) as f64,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    #[test]
    fn columns_drawn_row_by_row_are_read_column_by_column() {
        let left = [
            "Rice sold for 6,200 won",
            "in Hyesan on Sunday, a",
            "trader said.",
        ];
        let right = ["Prices in Sinuiju rose", "less, another source", "said."];
        let mut glyphs = line(50.0, 760.0, "Rice prices climb again");
        for (i, (l, r)) in left.iter().zip(right).enumerate() {
            let y = 730.0 - 12.0 * i as f64;
            glyphs.extend(line(50.0, y, l));
            glyphs.extend(line(300.0, y, r));
        }
        assert_eq!(
            page_text(&glyphs),
            "Rice prices climb again\n\nRice sold for 6,200 won\nin Hyesan on Sunday, a\ntrader said.\n\nPrices in Sinuiju rose\nless, another source\nsaid.",
            "a column that ends a sentence ends its paragraph"
        );
        // One that stops mid-sentence goes on in the next column.
        let mut glyphs = line(50.0, 730.0, "Rice sold for 6,200");
        glyphs.extend(line(300.0, 730.0, "said a trader."));
        glyphs.extend(line(50.0, 718.0, "won in Hyesan, it was"));
        assert_eq!(
            page_text(&glyphs),
            "Rice sold for 6,200\nwon in Hyesan, it was\nsaid a trader."
        );
    }

    #[test]
    fn one_column_keeps_its_lines_and_paragraph_gaps() {
        let mut glyphs = line(50.0, 700.0, "First line of the");
        glyphs.extend(line(50.0, 688.0, "first paragraph."));
        glyphs.extend(line(50.0, 664.0, "Second paragraph."));
        // Drawn out of order: the order on the page wins.
        glyphs.splice(0..0, line(50.0, 740.0, "Headline"));
        assert_eq!(
            page_text(&glyphs),
            "Headline\n\nFirst line of the\nfirst paragraph.\n\nSecond paragraph."
        );
        // Word spaces drawn as gaps (no space glyph) are kept.
        let mut spaced = line(50.0, 700.0, "one");
        spaced.extend(line(70.0, 700.0, "two"));
        assert_eq!(page_text(&spaced), "one two");
    }

    #[test]
    fn hostile_numbers_do_not_panic() {
        let mut glyphs = line(0.0, 0.0, "ok");
        glyphs.push(Glyph {
            x: f64::NAN,
            y: f64::INFINITY,
            end: f64::NAN,
            size: 10.0,
            text: "x".into(),
        });
        glyphs.push(Glyph {
            x: 1.0,
            y: 1.0,
            end: 0.0,
            size: 0.0,
            text: "y".into(),
        });
        assert_eq!(page_text(&glyphs), "ok");
        // Many rows: deep cuts stay bounded.
        let many: Vec<Glyph> = (0..2000)
            .flat_map(|i| line(0.0, -12.0 * i as f64, "row"))
            .collect();
        assert_eq!(page_text(&many).lines().count(), 2000);
    }
}
