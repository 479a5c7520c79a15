//! CSV text: RFC 4180 quoting, written here. The `csv` crate's writer
//! brought ~23 KB of wasm (its non-numeric quote style compiles in float
//! parsing and its tables) for what is a few lines; the tests read every
//! export back with that crate's reader.

/// Appends one record: cells joined by commas, a cell quoted when it holds a
/// comma, a quote or a line break (its quotes doubled), then `\n`.
pub fn push_record(out: &mut String, cells: &[&str]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_back_as_written() {
        let rows: [&[&str]; 3] =
            [&["plain", "", "a,b"], &["say \"hi\"", "line\nbreak", "cr\rhere"], &["é ü", " space ", "'"]];
        let mut text = String::new();
        for row in rows {
            push_record(&mut text, row);
        }
        assert!(text.starts_with("plain,,\"a,b\"\n\"say \"\"hi\"\"\""), "{text}");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let read: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(read, rows.map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>()));
    }
}
