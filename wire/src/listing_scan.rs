//! A project listing read in one pass over its bytes, for the common shape
//! only: `{"status": "ok", "results": [{...}, ...]}` with plain (unescaped)
//! keys, ids, roles and target types. Anything else, or anything it is not
//! sure serde_json would read the same way (malformed JSON included), makes
//! it give up (`None`), and the listing is read by serde_json as before.
//!
//! Why: an access-matrix load reads 200 listings of ~225 KB, 150,000
//! members with ~15 fields each, and serde_json spent ~95 ms of the page's
//! main thread on them (profiled), most of it in keys and in skipping the
//! fields the console does not read. Here a key is compared where it lies,
//! and a skipped string is scanned eight bytes at a time. Measured: 200
//! listings natively 46 → 27 ms; in the page, script per matrix load 183 →
//! 152 ms (median of 10 loads each); the load's wall time stayed within its
//! noise (the streams, not the main thread, set its pace on this machine),
//! but the main thread is that much freer for the admin while it loads.
//!
//! What it accepts it must read exactly as serde_json would: the tests
//! compare the two on generated listings, and on every way to leave the
//! common shape.

use crate::member::{ListedRole, Member, Target};

/// The members of a listing in the common shape, or `None` (read it with
/// serde_json then).
pub fn scan_listing(body: &str) -> Option<Vec<Member>> {
    let mut s = Scanner { bytes: body.as_bytes(), at: 0 };
    let mut members = None;
    let mut status_seen = false;
    s.ws();
    s.object(|s, key| {
        match key {
            b"results" if members.is_none() => members = Some(s.members()?),
            b"status" if !status_seen => {
                status_seen = true;
                // "error" (and anything not a plain string or null) is for
                // serde_json's path, which says what went wrong.
                if !s.null() && s.plain_string()? == b"error" {
                    return None;
                }
            }
            b"results" | b"status" => return None,
            _ => s.skip_value(0)?,
        }
        Some(())
    })?;
    s.ws();
    (s.at == s.bytes.len()).then_some(())?;
    members
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// serde_json's nesting limit: deeper input is its error to report.
const MAX_DEPTH: usize = 100;

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// An object whose keys are plain strings: `field` reads each value.
    fn object(&mut self, field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.object_with(Self::plain_string, field)
    }

    /// An object whose keys `key` reads: `field` reads each value.
    fn object_with(
        &mut self,
        key: fn(&mut Self) -> Option<&'a [u8]>,
        mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let key = key(self)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            field(self, key)?;
            self.ws();
            if self.eat(b',').is_none() {
                return self.eat(b'}');
            }
            self.ws();
        }
    }

    /// An array: `element` reads each element.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            element(self)?;
            self.ws();
            if self.eat(b',').is_none() {
                return self.eat(b']');
            }
            self.ws();
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.bytes[self.at..].starts_with(word).then(|| self.at += word.len())
    }

    fn null(&mut self) -> bool {
        self.literal(b"null").is_some()
    }

    /// A string without escapes, as its bytes between the quotes.
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.at;
        self.at = start + find_special(&self.bytes[start..]);
        (self.peek()? == b'"').then_some(())?;
        self.at += 1;
        Some(&self.bytes[start..self.at - 1])
    }

    /// Any string, escapes checked as serde_json checks them.
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            self.at += find_special(&self.bytes[self.at..]);
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    self.at += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                        b'u' => {
                            let hex = self.bytes.get(self.at + 1..self.at + 5)?;
                            hex.iter().all(u8::is_ascii_hexdigit).then_some(())?;
                            // Surrogates are validated by serde_json: leave them to it.
                            let first = hex[0].to_ascii_lowercase();
                            (first != b'd').then_some(())?;
                            self.at += 5;
                        }
                        _ => return None,
                    }
                }
                // A control character: not allowed in a JSON string.
                _ => return None,
            }
        }
    }

    /// A JSON number, strictly as the grammar has it.
    fn skip_number(&mut self) -> Option<()> {
        let _ = self.eat(b'-');
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.').is_some() {
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn skip_value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'-' | b'0'..=b'9' => self.skip_number(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'[' if depth < MAX_DEPTH => self.array(|s| s.skip_value(depth + 1)),
            // Keys of objects not read may be escaped: any string will do.
            b'{' if depth < MAX_DEPTH => {
                self.object_with(|s| s.skip_string().map(|()| &[][..]), |s, _| s.skip_value(depth + 1))
            }
            _ => None,
        }
    }

    /// A u64 as serde_json reads one into a `u64` field: digits only, no
    /// leading zero, no overflow.
    fn id(&mut self) -> Option<u64> {
        let start = self.at;
        self.digits();
        let digits = &self.bytes[start..self.at];
        if digits.is_empty() || (digits.len() > 1 && digits[0] == b'0') {
            return None;
        }
        // A fraction or exponent makes it a float: serde_json's error.
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return None;
        }
        digits.iter().try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))
    }

    fn members(&mut self) -> Option<Vec<Member>> {
        // ~300 bytes a member: one allocation for the whole listing.
        let mut members = Vec::with_capacity((self.bytes.len() - self.at) / 256);
        self.array(|s| {
            members.push(s.member()?);
            Some(())
        })?;
        Some(members)
    }

    fn member(&mut self) -> Option<Member> {
        let (mut id, mut role, mut target) = (None, None, None::<Option<Target>>);
        self.object(|s, key| {
            match key {
                b"id" if id.is_none() => id = Some(s.id()?),
                b"role" if role.is_none() => role = Some(as_text(s.plain_string()?)?),
                b"target_type" if target.is_none() => {
                    target = Some(if s.null() { None } else { Some(Target::from(as_text(s.plain_string()?)?)) })
                }
                // A field twice: serde_json's error.
                b"id" | b"role" | b"target_type" => return None,
                _ => s.skip_value(1)?,
            }
            Some(())
        })?;
        Some(Member { id: id?, role: ListedRole::from(role?), target_type: target.flatten() })
    }
}

fn as_text(bytes: &[u8]) -> Option<&str> {
    // The body was a `&str` and the quotes are ASCII: always valid.
    std::str::from_utf8(bytes).ok()
}

/// How many bytes from the start of `rest` are plain string content: up to
/// the first `"`, `\` or control character (or the end). Eight at a time.
fn find_special(rest: &[u8]) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGHS: u64 = ONES << 7;
    let mut at = 0;
    while let Some(chunk) = rest.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // A byte below 0x20, or equal to '"' or '\\', sets its high bit
        // here (bytes of 0x80 and above are masked out by `!word`).
        let below_space = word.wrapping_sub(ONES * 0x20);
        let quote = (word ^ (ONES * b'"' as u64)).wrapping_sub(ONES);
        let backslash = (word ^ (ONES * b'\\' as u64)).wrapping_sub(ONES);
        let found = (below_space | quote | backslash) & !word & HIGHS;
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = rest.get(at) {
        if b < 0x20 || b == b'"' || b == b'\\' {
            return at;
        }
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::decode;

    /// What serde_json reads, for comparison.
    fn by_serde(body: &str) -> Option<Vec<Member>> {
        decode::<Vec<Member>>(body).ok()
    }

    /// The scanner either gives up or agrees with serde_json.
    fn agrees(body: &str) {
        if let Some(scanned) = scan_listing(body) {
            assert_eq!(Some(scanned), by_serde(body), "scanned differently: {body}");
        }
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[(self.next() % from.len() as u64) as usize]
        }

        fn ws(&mut self) -> &'static str {
            self.pick(&["", "", "", " ", "\n  ", "\t", "\r\n"])
        }

        fn value(&mut self, depth: u32) -> String {
            let scalars = [
                r#""plain""#,
                r#""etl.1a2b3c.mp-service-account""#,
                r#""with \"quotes\" and \\ and \/ and \u00e9 and \n""#,
                r#""é ü 漢字 🎉""#,
                r#""""#,
                "0",
                "-12",
                "3.25",
                "1e9",
                "-0.5E-3",
                "18446744073709551616",
                "true",
                "false",
                "null",
                r#""2024-05-01T12:00:00Z""#,
            ];
            match self.next() % 8 {
                0 if depth < 3 => {
                    let n = self.next() % 3;
                    let items: Vec<String> = (0..n).map(|_| self.value(depth + 1)).collect();
                    format!("[{}]", items.join(&format!(",{}", self.ws())))
                }
                1 if depth < 3 => {
                    let n = self.next() % 3;
                    let items: Vec<String> =
                        (0..n).map(|i| format!("\"k{i}\"{}:{}", self.ws(), self.value(depth + 1))).collect();
                    format!("{{{}}}", items.join(","))
                }
                _ => self.pick(&scalars).to_string(),
            }
        }

        fn member(&mut self) -> String {
            let mut fields = vec![
                format!("\"id\":{}", self.next() % 100_000),
                format!(
                    "\"role\":\"{}\"",
                    self.pick(&["admin", "owner", "analyst", "consumer", "Data Steward", " Owner "])
                ),
            ];
            match self.next() % 4 {
                0 => {}
                1 => fields.push("\"target_type\":null".into()),
                _ => fields.push(format!(
                    "\"target_type\":\"{}\"",
                    self.pick(&["individual", "team", "organization", "group"])
                )),
            }
            for i in 0..self.next() % 6 {
                let name = self.pick(&["username", "email", "created", "user", "hasSensitiveAccess", "x"]);
                let value = self.value(0);
                fields.push(format!("\"{name}{i}\":{value}"));
            }
            // Fields in any order.
            for i in (1..fields.len()).rev() {
                let j = (self.next() % (i as u64 + 1)) as usize;
                fields.swap(i, j);
            }
            let ws = self.ws();
            format!("{{{ws}{}{ws}}}", fields.join(&format!("{ws},{ws}")))
        }

        fn listing(&mut self) -> String {
            let members: Vec<String> = (0..self.next() % 5).map(|_| self.member()).collect();
            let ws = self.ws();
            let results = format!("[{ws}{}{ws}]", members.join(&format!(",{ws}")));
            match self.next() % 4 {
                0 => format!("{{\"status\":\"ok\",{ws}\"results\":{results}}}"),
                1 => format!(
                    "{ws}{{{ws}\"results\"{ws}:{ws}{results},\"status\":\"ok\",\"extra\":{}}}{ws}",
                    self.value(0)
                ),
                2 => format!("{{\"results\":{results}}}"),
                _ => format!("{{\"status\":null,\"results\":{results},\"next\":null}}"),
            }
        }
    }

    #[test]
    fn the_common_shape_is_scanned_as_serde_json_reads_it() {
        let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
        let mut scanned = 0;
        for _ in 0..3000 {
            let body = gen.listing();
            let expected = by_serde(&body).unwrap_or_else(|| panic!("serde_json reads the generated {body}"));
            if let Some(members) = scan_listing(&body) {
                assert_eq!(members, expected, "{body}");
                scanned += 1;
            }
        }
        // It gives up only on what it leaves to serde_json (no such thing is generated here).
        assert_eq!(scanned, 3000);
    }

    #[test]
    fn a_listing_as_the_sandbox_writes_it_is_scanned() {
        let body = r#"{"status":"ok","results":[{"id":1001,"username":"etl.1a2b3c.mp-service-account","user":50001,"created":"2025-01-02T03:04:05Z","last_used":null,"expires":"2026-01-01","creator_email":"ana@acme.example","creator_name":"Ana Lima","role":"admin","hasSensitiveAccess":false,"target_type":"organization","role_order":2,"email":"etl.1a2b3c.mp-service-account@mixpanel.org"}]}"#;
        let members = scan_listing(body).expect("the common shape");
        assert_eq!(members, by_serde(body).unwrap());
        assert_eq!(
            (members[0].id, members[0].role.as_str(), members[0].target_type),
            (1001, "admin", Some(Target::Organization))
        );
    }

    #[test]
    fn anything_off_the_common_shape_is_left_to_serde_json() {
        let cases = [
            // The envelope's other answers.
            r#"{"status":"error","error":"no"}"#,
            r#"{"status":"ok"}"#,
            r#"{"status":"ok","results":null}"#,
            r#"[{"id":1,"role":"admin"}]"#,
            r#"{"status":1,"results":[]}"#,
            r#"{"status":"o\u006b","results":[]}"#,
            r#"{"results":[],"results":[]}"#,
            // Members serde_json refuses or reads otherwise.
            r#"{"results":[{"id":1}]}"#,
            r#"{"results":[{"role":"admin"}]}"#,
            r#"{"results":[{"id":1,"id":2,"role":"admin"}]}"#,
            r#"{"results":[{"id":-1,"role":"admin"}]}"#,
            r#"{"results":[{"id":-0,"role":"admin"}]}"#,
            r#"{"results":[{"id":1.0,"role":"admin"}]}"#,
            r#"{"results":[{"id":1e2,"role":"admin"}]}"#,
            r#"{"results":[{"id":01,"role":"admin"}]}"#,
            r#"{"results":[{"id":"1","role":"admin"}]}"#,
            r#"{"results":[{"id":18446744073709551616,"role":"admin"}]}"#,
            r#"{"results":[{"id":1,"role":null}]}"#,
            r#"{"results":[{"id":1,"role":"Data \"Steward\""}]}"#,
            r#"{"results":[{"id":1,"role":"admin","target_type":"te\u0061m"}]}"#,
            r#"{"results":[{"id":1,"role":"admin","target_type":3}]}"#,
            r#"{"results":[{"i\u0064":1,"role":"admin"}]}"#,
            // Malformed JSON.
            r#"{"results":[{"id":1,"role":"admin"}"#,
            r#"{"results":[{"id":1,"role":"admin"},]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":01}]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":1.}]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":-}]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":tru}]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":"\q"}]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":"\u12"}]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":"a	b"}]}"#,
            r#"{"results":[{"id":1,"role":"admin","x":"\ud800"}]}"#,
            r#"{"results":[]} x"#,
            r#"{"results":[]}}"#,
            "",
            "{",
        ];
        for body in cases {
            agrees(body);
        }
        // Most of them: given up on, whatever serde_json says.
        assert!(cases.iter().filter(|b| scan_listing(b).is_none()).count() >= cases.len() - 2);
    }

    #[test]
    fn every_cut_and_changed_byte_of_a_listing_is_read_as_serde_json_reads_it_or_left_to_it() {
        let mut gen = Gen(42);
        for _ in 0..40 {
            let body = gen.listing();
            for cut in 0..body.len() {
                if body.is_char_boundary(cut) {
                    agrees(&body[..cut]);
                }
            }
            let bytes = body.as_bytes();
            for at in 0..bytes.len() {
                for replacement in [b'"', b'\\', b',', b'}', b']', b' ', b'0', b'a', b'\x01'] {
                    let mut changed = bytes.to_vec();
                    changed[at] = replacement;
                    if let Ok(text) = std::str::from_utf8(&changed) {
                        agrees(text);
                    }
                }
            }
        }
    }

    #[test]
    fn special_bytes_are_found_at_every_offset() {
        for len in 0..20 {
            for at in 0..len {
                for special in [b'"', b'\\', b'\x00', b'\x1f'] {
                    let mut text = vec![b'a'; len];
                    text[at] = special;
                    assert_eq!(find_special(&text), at, "{special} at {at} of {len}");
                }
            }
            assert_eq!(find_special(&vec![b'a'; len]), len);
            // Bytes of 0x80 and above (UTF-8) and 0x20 are plain content.
            assert_eq!(find_special(&vec![0xc3; len]), len);
            assert_eq!(find_special(&vec![b' '; len]), len);
        }
    }
}
