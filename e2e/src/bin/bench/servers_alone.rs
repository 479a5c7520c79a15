//! The access matrix's requests with no browser at all: `curl` fetching the
//! account list and the 200 listings through the same nginx (HTTP/2 over
//! TLS, the kit's 12 streams) from the same sandbox, bodies read and thrown
//! away. What the servers' side of the figure costs on this machine, so the
//! HTTP/2 line can be read against it (see README, "Benchmark").

use base64::Engine;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Median ms of `runs` fetches of `paths` (relative to `base`), at most
/// `streams` at once; `None` when no curl with HTTP/2 is at hand (it is not
/// one of the tools the tests need).
pub fn median_ms(base: &str, paths: &[String], credentials: &str, streams: usize, runs: usize) -> Option<f64> {
    let version = Command::new("curl").arg("--version").output().ok()?;
    if !String::from_utf8_lossy(&version.stdout).contains("HTTP2") {
        return None;
    }
    let config = std::env::temp_dir().join(format!("sa-bench-curl-{}.txt", std::process::id()));
    let samples =
        write_config(&config, base, paths).and_then(|()| timed_runs(&config, paths.len(), credentials, streams, runs));
    // Removed whichever step gave up.
    let _ = std::fs::remove_file(&config);
    let mut samples = samples?;
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Some(samples[samples.len() / 2])
}

/// curl's config: one URL a line, each body thrown away.
fn write_config(config: &Path, base: &str, paths: &[String]) -> Option<()> {
    let mut file = std::fs::File::create(config).ok()?;
    for path in paths {
        writeln!(file, "url = \"{base}{path}\"\noutput = /dev/null").ok()?;
    }
    Some(())
}

/// The ms of each of `runs` fetches of every URL in `config`.
fn timed_runs(config: &Path, urls: usize, credentials: &str, streams: usize, runs: usize) -> Option<Vec<f64>> {
    let header = format!("Authorization: Basic {}", base64::engine::general_purpose::STANDARD.encode(credentials));
    let mut samples = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let out = Command::new("curl")
            .args(["--silent", "--http2", "--parallel", "--parallel-max", &streams.to_string()])
            .arg("--cacert")
            .arg(&e2e::nginx::test_certificate().cert)
            .args(["--header", &header, "--write-out", "%{http_code}\\n", "--config"])
            .arg(config)
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let codes = String::from_utf8_lossy(&out.stdout);
        let answered = codes.lines().filter(|code| *code == "200").count();
        assert_eq!(answered, urls, "curl's requests did not all answer 200: {codes}");
        samples.push(ms);
    }
    Some(samples)
}
