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
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--no-demangle", "--out-name", out_name])
        .arg("--out-dir")
        .arg(out_dir)
        .arg(main_wasm))
}

/// wasm-opt -Oz in place, with the features Rust's wasm32 target emits.
/// Its stderr is passed on without the one warning each chunk raises (the
/// splitter writes a names subsection binaryen does not know; the names are
/// dropped anyway).
pub fn optimize(wasm: &Path) -> Result<(), String> {
    let mut command = Command::new("wasm-opt");
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
    let shown = format!("{command:?}");
    let output = command.output().map_err(|e| format!("{shown}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr.lines().filter(|l| !l.contains("unknown name subsection")) {
        eprintln!("{line}");
    }
    output.status.success().then_some(()).ok_or_else(|| format!("{shown} failed: {}", output.status))
}
