//! JSON Lines and JSON array output.

use std::io::{self, Write};

use super::{FactRecord, FactSink, ReportInfo};

/// One JSON object per fact per line.
pub struct JsonlSink<W: Write> {
    out: W,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        JsonlSink { out }
    }
}

impl<W: Write> FactSink for JsonlSink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            serde_json::to_writer(&mut self.out, r)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One JSON array of every fact, streamed.
pub struct JsonArraySink<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonArraySink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        JsonArraySink { out, first: true }
    }
}

impl<W: Write> FactSink for JsonArraySink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            self.out
                .write_all(if self.first { b"[\n  " } else { b",\n  " })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, r)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}
