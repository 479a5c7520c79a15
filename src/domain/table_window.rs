//! Which rows of a windowed table are in the DOM: those with any pixel in
//! view, plus a margin above and below for scrolling.

/// `(first, last)`: the half-open range of rows to render when the scroller
/// is `top` pixels down and `viewport` pixels high, with `margin` rows more on
/// each side, out of `total` rows of `row_height` pixels each.
pub fn rows_in_view(top: f64, viewport: f64, row_height: f64, margin: usize, total: usize) -> (usize, usize) {
    let first = ((top.max(0.0) / row_height) as usize).saturating_sub(margin).min(total);
    let last = ((((top.max(0.0) + viewport.max(0.0)) / row_height).ceil() as usize) + margin).clamp(first, total);
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::rows_in_view;

    #[test]
    fn the_first_paint_has_exactly_the_rows_in_view() {
        // 465 px of 40 px rows: 11 whole rows and part of the 12th.
        assert_eq!(rows_in_view(0.0, 465.0, 40.0, 0, 10_003), (0, 12));
        assert_eq!(rows_in_view(0.0, 480.0, 40.0, 0, 10_003), (0, 12));
    }

    #[test]
    fn a_scrolled_window_covers_partial_rows_and_its_margin() {
        // 20 px down: row 0 is half out of view, row 12 half in.
        assert_eq!(rows_in_view(20.0, 465.0, 40.0, 0, 10_003), (0, 13));
        assert_eq!(rows_in_view(4_000.0, 465.0, 40.0, 4, 10_003), (96, 116));
    }

    #[test]
    fn the_window_stays_inside_the_list() {
        assert_eq!(rows_in_view(0.0, 465.0, 40.0, 4, 5), (0, 5));
        assert_eq!(rows_in_view(1e9, 465.0, 40.0, 4, 10), (10, 10));
        assert_eq!(rows_in_view(-50.0, 465.0, 40.0, 4, 0), (0, 0));
    }
}
