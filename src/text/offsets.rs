//! Offset maps: how a stage's output bytes relate to its input bytes.
//!
//! Every stage of reading (decode, HTML extraction, traditional → simplified,
//! normalization) writes its output as a sequence of *pieces*: `out_len`
//! output bytes produced from `in_len` input bytes starting at `in_start`.
//! Pieces are stored run-length encoded: consecutive pieces with the same
//! `(out_len, in_len)` whose input is contiguous share one [`Run`]. Text that
//! passes through unchanged is stored as `(1, 1)` runs, so a stage that
//! changes little costs a handful of runs, and GBK text costs about one run
//! per switch between ASCII and Chinese. A lookup is a binary search.
//!
//! Inside a piece that is not byte-for-byte, positions round outwards: a
//! range start maps to the start of its piece, a range end to the end of its
//! piece. Input bytes that produce no output (dropped tags, removed spaces)
//! are simply not covered; output that comes from no input (a line break
//! for `<p>`) is a piece with `in_len` 0. Input starts never decrease, so the
//! mapping is monotonic.

use std::ops::Range;

/// One run of equally shaped pieces. 12 bytes: a fact-dense report has a
/// run every ~20 bytes (each full-width comma → ASCII is one), so the
/// map's size matters; longer runs are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    out_start: u32,
    in_start: u32,
    count: u16,
    out_unit: u8,
    in_unit: u8,
}

impl Run {
    fn out_end(&self) -> u64 {
        self.out_start as u64 + self.count as u64 * self.out_unit as u64
    }
    fn in_end(&self) -> u64 {
        self.in_start as u64 + self.count as u64 * self.in_unit as u64
    }
}

/// A map from positions in a stage's output to positions in its input.
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap {
    runs: Vec<Run>,
    out_len: usize,
    in_len: usize,
}

/// Builds an [`OffsetMap`] piece by piece, in output order.
#[derive(Debug, Default)]
pub(crate) struct MapBuilder {
    runs: Vec<Run>,
    out_pos: u64,
    in_floor: u64,
}

impl MapBuilder {
    /// An empty builder.
    pub(crate) fn new() -> Self {
        MapBuilder::default()
    }

    /// `len` bytes copied unchanged from input position `in_start`.
    pub(crate) fn copy(&mut self, in_start: usize, len: usize) {
        if len > 0 {
            self.push_shape(in_start, 1, 1, len as u64);
        }
    }

    /// `out_len` output bytes made from `in_len` input bytes at `in_start`,
    /// mapped as one indivisible piece.
    pub(crate) fn piece(&mut self, in_start: usize, in_len: usize, out_len: usize) {
        if out_len == 0 {
            return;
        }
        if out_len == in_len && out_len == 1 {
            return self.copy(in_start, 1);
        }
        // Units are u8; larger pieces are split into several runs whose
        // input starts still increase, so the map stays monotonic.
        if out_len <= u8::MAX as usize {
            let in_unit = in_len.min(u8::MAX as usize) as u8;
            self.push_shape(in_start, out_len as u8, in_unit, 1);
        } else {
            // Rare (a huge replacement); map the first 255 bytes to the whole
            // input, the rest to the input's end.
            let in_unit = in_len.min(u8::MAX as usize) as u8;
            self.push_shape(in_start, u8::MAX, in_unit, 1);
            let mut rest = out_len - u8::MAX as usize;
            let end = in_start + in_len;
            while rest > 0 {
                let n = rest.min(u8::MAX as usize);
                self.push_shape(end, n as u8, 0, 1);
                rest -= n;
            }
        }
    }

    /// [`MapBuilder::piece`] for a piece whose input may be longer than a
    /// run's 255-byte unit: `input[start..start + in_len]`, which is at
    /// `base + start` in the stage's input, is cut at
    /// character boundaries into parts of at most 255 bytes, and the output
    /// shared among them (a byte each, the rest to the last part mapped).
    /// When the output is shorter than the parts, only the first parts are
    /// covered (input that makes no output is a gap). So every position maps
    /// to a character boundary of `input` (a whitespace run of ideographic
    /// spaces or a converted line longer than 255 bytes was cut mid-character).
    pub(crate) fn piece_in(
        &mut self,
        input: &str,
        base: usize,
        start: usize,
        in_len: usize,
        out_len: usize,
    ) {
        if in_len <= u8::MAX as usize || out_len == 0 {
            return self.piece(base + start, in_len, out_len);
        }
        let end = start + in_len;
        let mut parts = Vec::new();
        let mut at = start;
        while at < end {
            let mut next = (at + u8::MAX as usize).min(end);
            while next > at && !input.is_char_boundary(next) {
                next -= 1;
            }
            if next == at {
                // Not a character boundary within reach (never in valid
                // text): one piece, as before.
                return self.piece(base + start, in_len, out_len);
            }
            parts.push(at..next);
            at = next;
        }
        let mapped = parts.len().min(out_len);
        for (k, part) in parts.iter().take(mapped).enumerate() {
            let out = if k + 1 == mapped {
                out_len - (mapped - 1)
            } else {
                1
            };
            self.piece(base + part.start, part.len(), out);
        }
    }

    fn push_shape(&mut self, in_start: usize, out_unit: u8, in_unit: u8, count: u64) {
        // Keep input starts monotonic even if a stage misbehaves.
        let mut in_start = (in_start as u64).max(self.in_floor);
        let mut count = count;
        while count > 0 {
            let merge = match self.runs.last_mut() {
                Some(last)
                    if last.out_unit == out_unit
                        && last.in_unit == in_unit
                        && last.in_end() == in_start
                        && last.count < u16::MAX =>
                {
                    let n = count.min(u64::from(u16::MAX - last.count));
                    last.count += n as u16;
                    n
                }
                _ => 0,
            };
            let n = if merge > 0 {
                merge
            } else {
                let n = count.min(u64::from(u16::MAX));
                self.runs.push(Run {
                    out_start: self.out_pos as u32,
                    in_start: in_start as u32,
                    count: n as u16,
                    out_unit,
                    in_unit,
                });
                n
            };
            self.out_pos += n * out_unit as u64;
            in_start += n * in_unit as u64;
            count -= n;
        }
        self.in_floor = in_start;
    }

    /// Finishes the map: `out_len` must equal what was pushed.
    pub(crate) fn finish(self, in_len: usize) -> OffsetMap {
        let mut runs = self.runs;
        runs.shrink_to_fit();
        OffsetMap {
            runs,
            out_len: self.out_pos as usize,
            in_len,
        }
    }
}

impl OffsetMap {
    /// The identity map over `len` bytes shifted by `in_offset` (a BOM).
    pub(crate) fn shifted(len: usize, in_offset: usize, in_len: usize) -> OffsetMap {
        let mut b = MapBuilder::new();
        b.copy(in_offset, len);
        b.finish(in_len)
    }

    /// Moves every input position `by` bytes later: the map of a part of a
    /// file that starts `by` bytes into it (the text after a BOM).
    pub(crate) fn shift_input(&mut self, by: usize) {
        // Files are at most 512 MiB: offsets stay within u32.
        let by32 = u32::try_from(by).unwrap_or(u32::MAX);
        for r in &mut self.runs {
            r.in_start = r.in_start.saturating_add(by32);
        }
        self.in_len += by;
    }

    /// How many runs the map holds.
    #[cfg(test)]
    pub(crate) fn runs(&self) -> usize {
        self.runs.len()
    }

    fn start(&self, p: usize) -> usize {
        let p = p.min(self.out_len) as u64;
        // The run with out_start <= p < out_end.
        let i = self.runs.partition_point(|r| r.out_end() <= p);
        match self.runs.get(i) {
            Some(r) if (r.out_start as u64) <= p => {
                let k = (p - r.out_start as u64) / r.out_unit as u64;
                (r.in_start as u64 + k * r.in_unit as u64) as usize
            }
            Some(r) => r.in_start as usize,
            None => self.runs.last().map_or(0, |r| r.in_end() as usize),
        }
        .min(self.in_len)
    }

    fn end(&self, p: usize) -> usize {
        let p = p.min(self.out_len) as u64;
        // The run with out_start < p <= out_end.
        let i = self.runs.partition_point(|r| r.out_end() < p);
        match self.runs.get(i) {
            Some(r) if (r.out_start as u64) < p => {
                let d = p - r.out_start as u64;
                let k = d.div_ceil(r.out_unit as u64);
                (r.in_start as u64 + k * r.in_unit as u64) as usize
            }
            Some(r) => r.in_start as usize,
            None => self.runs.last().map_or(0, |r| r.in_end() as usize),
        }
        .min(self.in_len)
    }

    /// Maps an output range to the input range it came from.
    pub(crate) fn map(&self, r: Range<usize>) -> Range<usize> {
        let start = self.start(r.start);
        if r.end <= r.start {
            return start..start;
        }
        let end = self.end(r.end).max(start);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_runs_merge() {
        let mut b = MapBuilder::new();
        b.copy(0, 10);
        b.copy(10, 5);
        let m = b.finish(15);
        assert_eq!(m.runs(), 1);
        assert_eq!(m.map(3..7), 3..7);
    }

    #[test]
    fn long_runs_are_split_and_still_map() {
        let mut b = MapBuilder::new();
        b.copy(0, 200_000);
        b.piece(200_000, 3, 1);
        b.copy(200_003, 70_000);
        let m = b.finish(270_003);
        assert_eq!(m.runs(), 4 + 1 + 2);
        assert_eq!(m.map(123_456..150_000), 123_456..150_000);
        assert_eq!(m.map(199_999..200_001), 199_999..200_003);
        assert_eq!(m.map(200_001..270_001), 200_003..270_003);
        assert_eq!(std::mem::size_of::<Run>(), 12);
    }

    #[test]
    fn pieces_round_outwards() {
        // Two GBK characters: 2 input bytes → 3 output bytes each.
        let mut b = MapBuilder::new();
        b.piece(0, 2, 3);
        b.piece(2, 2, 3);
        b.copy(4, 1);
        let m = b.finish(5);
        assert_eq!(m.runs(), 2);
        assert_eq!(m.map(0..3), 0..2);
        assert_eq!(m.map(3..6), 2..4);
        assert_eq!(m.map(1..4), 0..4);
        assert_eq!(m.map(6..7), 4..5);
        assert_eq!(m.map(7..7), 5..5);
    }

    #[test]
    fn long_pieces_are_cut_at_character_boundaries() {
        // 1,000 ideographic spaces (3 bytes each) become one space; a line of
        // 400 characters becomes 500 bytes.
        let input = format!("a{}b", "\u{3000}".repeat(1000));
        for out_len in [1, 3, 500, 3000] {
            let mut b = MapBuilder::new();
            b.copy(0, 1);
            b.piece_in(&input, 0, 1, 3000, out_len);
            b.copy(3001, 1);
            let m = b.finish(input.len());
            for k in 1..=out_len + 1 {
                let r = m.map(k..k + 1);
                assert!(
                    input.is_char_boundary(r.start) && input.is_char_boundary(r.end),
                    "{out_len}: {k} maps to {r:?}"
                );
            }
            assert_eq!(m.map(0..1), 0..1);
            assert_eq!(m.map(out_len + 1..out_len + 2), 3001..3002);
            let all = m.map(1..out_len + 1);
            assert_eq!(all.start, 1);
            assert!(all.end <= 3001);
        }
    }

    #[test]
    fn dropped_input_is_a_gap() {
        let mut b = MapBuilder::new();
        b.copy(0, 2); // "ab"
        b.copy(10, 2); // "cd" after a dropped tag
        let m = b.finish(12);
        assert_eq!(m.map(0..2), 0..2);
        assert_eq!(m.map(2..4), 10..12);
        assert_eq!(m.map(1..3), 1..11);
    }

    #[test]
    fn inserted_output_maps_to_a_point() {
        let mut b = MapBuilder::new();
        b.copy(0, 2);
        b.piece(5, 0, 1);
        b.copy(9, 2);
        let m = b.finish(11);
        assert_eq!(m.map(2..3), 5..5);
        assert_eq!(m.map(0..5), 0..11);
    }
}
