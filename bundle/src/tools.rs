//! The two external tools, at the versions scripts/setup.sh pins.

use std::path::Path;
use std::process::Command;

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("{shown}: {e}"))?;
    status.success().then_some(()).ok_or_else(|| format!("{shown} failed: {status}"))
}

/// wasm-bindgen on the split main module. `--keep-lld-exports` keeps the
/// exports the chunks link against (memory, table, shared functions), and
/// `--no-demangle` keeps the names the splitter matched.
pub fn bindgen(main_wasm: &Path, out_dir: &Path, out_name: &str) -> Result<(), String> {
    let mut command = Command::new("wasm-bindgen");
    command.args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--no-demangle", "--out-name", out_name]);
    if keep_names() {
        command.arg("--keep-debug");
    }
    run(command.arg("--out-dir").arg(out_dir).arg(main_wasm))
}

/// `BUNDLE_KEEP_NAMES=1`: the main module keeps its function names (the
/// wasm's name section), so a CPU profile of the page names Rust functions
/// rather than `wasm-function[123]`. For profiling only: ~25% more bytes.
fn keep_names() -> bool {
    std::env::var_os("BUNDLE_KEEP_NAMES").is_some()
}

/// wasm-opt -Oz in place, with the features Rust's wasm32 target emits.
pub fn optimize(wasm: &Path) -> Result<(), String> {
    let mut command = Command::new("wasm-opt");
    if keep_names() {
        command.arg("-g");
    }
    command
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
            "--enable-mutable-globals",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm);
    run_binaryen(&mut command)
}

/// wasm-opt -Oz on many files in one node process (bundle/optimize.mjs,
/// binaryen's JS API from the same npm package as the wasm-opt on PATH).
/// The output can differ from the command's by a few bytes per file (0.3%
/// on a 5 KB chunk): used for the lazy chunks, not the main module.
pub fn optimize_batch(files: &[&Path]) -> Result<(), String> {
    if files.is_empty() {
        return Ok(());
    }
    let wasm_opt = which("wasm-opt").ok_or("wasm-opt is not on PATH (scripts/setup.sh installs it)")?;
    // node_modules/.bin/wasm-opt links to node_modules/binaryen/bin/wasm-opt.
    let real = std::fs::canonicalize(&wasm_opt).map_err(|e| format!("{}: {e}", wasm_opt.display()))?;
    let index = real.parent().and_then(Path::parent).map(|p| p.join("index.js")).filter(|p| p.exists());
    let index = index.ok_or_else(|| format!("no binaryen index.js next to {}", real.display()))?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("optimize.mjs");
    let mut command = Command::new("node");
    command.arg(script).arg(index).args(files);
    run_binaryen(&mut command)
}

/// Runs a binaryen command, passing its stderr on without the one warning
/// each chunk raises (the splitter writes a names subsection binaryen does
/// not know; the names are dropped anyway).
fn run_binaryen(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let output = command.output().map_err(|e| format!("{shown}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr.lines().filter(|l| !l.contains("unknown name subsection")) {
        eprintln!("{line}");
    }
    output.status.success().then_some(()).ok_or_else(|| format!("{shown} failed: {}", output.status))
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()))
}
