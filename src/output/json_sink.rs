//! JSON Lines and JSON array output.

use std::io::{self, Write};

use super::{FactRecord, FactSink, ReportInfo};

/// One JSON object per fact per line.
pub struct JsonlSink<W: Write> {
    out: W,
    /// One record's JSON, built in memory and written in one call (the
    /// serializer writes token by token; through a `dyn Write` that cost
    /// a call per token).
    line: Vec<u8>,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        JsonlSink {
            out,
            line: Vec::new(),
        }
    }
}

/// `records` as JSON Lines, appended to `out`. The lines of a report can
/// be made on the thread that matched it ([`FactSink::lines`] then writes
/// them): on several threads, the writing thread only copies bytes.
pub fn jsonl_lines(records: &[FactRecord], out: &mut Vec<u8>) -> io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        out.push(b'\n');
    }
    Ok(())
}

impl<W: Write> FactSink for JsonlSink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        self.line.clear();
        jsonl_lines(records, &mut self.line)?;
        self.out.write_all(&self.line)
    }
    fn lines(&mut self, _info: &ReportInfo, lines: &[u8]) -> io::Result<()> {
        self.out.write_all(lines)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One JSON array of every fact, streamed.
pub struct JsonArraySink<W: Write> {
    out: W,
    first: bool,
    /// One record's JSON (see [`JsonlSink`]).
    item: Vec<u8>,
}

impl<W: Write> JsonArraySink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        JsonArraySink {
            out,
            first: true,
            item: Vec::new(),
        }
    }
}

impl<W: Write> FactSink for JsonArraySink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            self.item.clear();
            self.item
                .extend_from_slice(if self.first { b"[\n  " } else { b",\n  " });
            self.first = false;
            serde_json::to_writer(&mut self.item, r)?;
            self.out.write_all(&self.item)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}
