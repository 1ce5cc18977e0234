//! Lines and columns of a source without rescanning it.
//!
//! Rendering a diagnostic needs the line and column (in characters) of its
//! span. Counting from the start of the file for each one made 20,000
//! warnings on one report take a minute; here the line starts and a running
//! character count every `BLOCK` (4 KiB) bytes are computed once per source, and a
//! lookup costs a binary search plus at most one block.

/// Bytes between character-count checkpoints.
const BLOCK: usize = 4096;

/// Where lines start, and how many characters precede every 4,096th byte.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of each line's first byte (the first is 0).
    line_starts: Vec<usize>,
    /// Characters before byte `k * BLOCK`.
    chars_before_block: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text` (one pass).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut chars_before_block = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0;
        for block in bytes.chunks(BLOCK) {
            chars_before_block.push(chars);
            chars += count_char_starts(block);
        }
        chars_before_block.push(chars);
        LineIndex {
            line_starts,
            chars_before_block,
        }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|s| *s <= offset) - 1
    }

    /// The byte offset where 0-based `line` starts (the text's end past the
    /// last line).
    pub fn line_start(&self, line: usize, text: &str) -> usize {
        self.line_starts.get(line).copied().unwrap_or(text.len())
    }

    /// The byte offset where 0-based `line` ends, its line break excluded.
    pub fn line_end(&self, line: usize, text: &str) -> usize {
        match self.line_starts.get(line + 1) {
            Some(next) => next - 1,
            None => text.len(),
        }
    }

    /// How many lines the text has (a final line break starts an empty one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Characters before byte `offset` (a character boundary of `text`).
    pub fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        let from = block * BLOCK;
        self.chars_before_block[block] + count_char_starts(&text.as_bytes()[from..offset])
    }

    /// 1-based line and column (in characters) of byte `offset` (rounded
    /// down to a character boundary, clamped to the text).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = super::floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = self.chars_before(text, offset) - self.chars_before(text, start);
        (line + 1, col + 1)
    }
}

/// How many bytes start a character (are not UTF-8 continuation bytes).
fn count_char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_agrees_with_counting_from_the_start() {
        let long = "字".repeat(3000);
        for text in [
            "",
            "a",
            "ab\ncd\n",
            "高企\n\n技术合同成交额\r\n12亿元",
            &format!("{long}\n{long}x\n\n{long}"),
        ] {
            let index = LineIndex::new(text);
            for offset in (0..=text.len() + 2).step_by(7) {
                assert_eq!(
                    index.line_col(text, offset),
                    super::super::line_col(text, offset),
                    "{offset}"
                );
            }
        }
    }
}
