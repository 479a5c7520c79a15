//! `bundle RAW_WASM DIST`: turns cargo's wasm (linked with `--emit-relocs`)
//! and the page's sources (index.html, boot.js, config.json and the joined
//! stylesheet target/console.css, from the repository's root) into DIST,
//! emptied first:
//!
//! 1. split at the split points of src/lazy_pages.rs and config.rs
//!    (wasm_split_cli_support, the splitter of Leptos' own build tool): the
//!    main module keeps what the sign-in screen and the shell need; each
//!    page's view and the code pages share become chunks the loader fetches
//!    on first use;
//! 2. wasm-bindgen on the main module, wasm-opt on every module;
//! 3. every file named by its content and pinned with SRI: the chunks in the
//!    loader's fetches, the stylesheet and boot.js in the page, the glue and
//!    the loader as module preloads, the wasm as the preload boot.js checks;
//!    config.json copied as it is (it is not cached: a deployment edits it).
//!
//! This replaced trunk, which cannot split a wasm: what was left of its job
//! (naming two files by content and linking them with integrity) did not
//! justify a build tool that took ~4.5 minutes to install on a fresh machine.

mod html;
mod loader;
mod naming;
mod tools;

use std::fs;
use std::path::{Path, PathBuf};

/// wasm-bindgen's output name, as the loader imports it before renaming.
const GLUE_NAME: &str = "sa-console";
/// The module the split main imports its chunk loaders from.
const LOADER: &str = "__wasm_split.js";

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [raw, dist] = args.as_slice() else {
        eprintln!("usage: bundle RAW_WASM DIST");
        std::process::exit(2);
    };
    if let Err(problem) = bundle(raw, dist) {
        eprintln!("bundle: {problem}");
        std::process::exit(1);
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn text(bytes: Vec<u8>, path: &Path) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// wasm-opt: the main module through the command (what the first screen
/// loads), the chunks meanwhile in one
/// node process (`tools::optimize_batch`; one command per chunk took ~57 s).
fn optimize_all(main: &Path, chunks: &[PathBuf]) -> Result<(), String> {
    std::thread::scope(|scope| {
        let main = scope.spawn(|| tools::optimize(main));
        let chunks: Vec<&Path> = chunks.iter().map(PathBuf::as_path).collect();
        let chunks_done = tools::optimize_batch(&chunks);
        main.join().map_err(|_| "wasm-opt's thread failed".to_string())?.and(chunks_done)
    })
}

/// Bundles in a work folder of its own, removed afterwards whether or not a
/// step failed.
fn bundle(raw: &Path, dist: &Path) -> Result<(), String> {
    let work = std::env::temp_dir().join(format!("sa-console-bundle-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    let done = bundle_in(raw, dist, &work);
    let _ = fs::remove_dir_all(&work);
    done
}

fn bundle_in(raw: &Path, dist: &Path, work: &Path) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (split_dir, bindgen_dir) = (work.join("split"), work.join("bindgen"));
    fs::create_dir_all(&split_dir).map_err(|e| format!("{}: {e}", split_dir.display()))?;
    let main_out = split_dir.join("main.wasm");
    let input = read(raw)?;
    let main_module = format!("./{GLUE_NAME}.js");
    let link_name = format!("./{LOADER}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &split_dir;
        options.main_out_path = &main_out;
        options.main_module = &main_module;
        options.link_name = &link_name;
        options
    })
    .map_err(|e| format!("splitting {}: {e}", raw.display()))?;

    tools::bindgen(&main_out, &bindgen_dir, GLUE_NAME)?;
    let wasm_path = bindgen_dir.join(format!("{GLUE_NAME}_bg.wasm"));
    let mut chunks = split.split_modules.clone();
    chunks.sort();
    optimize_all(&wasm_path, &chunks)?;

    let loader_path = split_dir.join(LOADER);
    let mut loader = loader::without_comment_lines(&text(read(&loader_path)?, &loader_path)?);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for chunk in &chunks {
        let bytes = read(chunk)?;
        let old = chunk.file_name().and_then(|n| n.to_str()).ok_or("a chunk without a name")?;
        let name = naming::hashed_name(&naming::chunk_stem(old), ".wasm", &[&bytes]);
        loader = loader::pin_chunk_fetch(&loader, old, &name, &naming::sri(&bytes))
            .ok_or_else(|| format!("the loader does not fetch {old} as expected"))?;
        files.push((name, bytes));
    }

    let glue_path = bindgen_dir.join(format!("{GLUE_NAME}.js"));
    let glue = text(read(&glue_path)?, &glue_path)?;
    let wasm = read(&wasm_path)?;
    let wasm_name = naming::hashed_name(GLUE_NAME, "_bg.wasm", &[&wasm]);
    // The glue imports the loader and the loader imports the glue. The
    // loader's name covers everything its final text depends on (its own
    // text, the glue before renaming, the wasm), so the pair stays
    // consistent: same names, same bytes.
    let loader_name = naming::hashed_name("wasm-split", ".js", &[loader.as_bytes(), glue.as_bytes(), &wasm]);
    let glue = naming::rename_specifier(&glue, LOADER, &loader_name)
        .ok_or_else(|| format!("the glue does not import {LOADER}"))?;
    let glue_name = naming::hashed_name(GLUE_NAME, ".js", &[glue.as_bytes()]);
    let loader = naming::rename_specifier(&loader, &format!("{GLUE_NAME}.js"), &glue_name)
        .ok_or_else(|| format!("the loader does not import {GLUE_NAME}.js"))?;

    let source_path = root.join("index.html");
    let source = text(read(&source_path)?, &source_path)?;
    let stylesheet = read(&root.join("target/console.css"))?;
    let stylesheet_name = naming::hashed_name("console", ".css", &[&stylesheet]);
    let boot = read(&root.join("boot.js"))?;
    let boot_name = naming::hashed_name("boot", ".js", &[&boot]);
    let pin = |href: &str, bytes: &[u8]| html::Pinned { href: href.to_string(), integrity: naming::sri(bytes) };
    let page = html::page(
        &source,
        &html::FirstScreen {
            stylesheet: &pin(&stylesheet_name, &stylesheet),
            boot: &pin(&boot_name, &boot),
            glue: &pin(&glue_name, glue.as_bytes()),
            loader: &pin(&loader_name, loader.as_bytes()),
            wasm: &pin(&wasm_name, &wasm),
        },
    )
    .ok_or("index.html has no </head>, or links a stylesheet or module preload already")?;

    // Written only now: a failed step above leaves the last dist/ as it was.
    let _ = fs::remove_dir_all(dist);
    fs::create_dir_all(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    files.push((stylesheet_name, stylesheet));
    files.push((boot_name, boot));
    files.push(("config.json".to_string(), read(&root.join("config.json"))?));
    files.push((glue_name, glue.into_bytes()));
    files.push((loader_name, loader.into_bytes()));
    files.push((wasm_name, wasm));
    for (name, bytes) in &files {
        write(&dist.join(name), bytes)?;
    }
    write(&dist.join("index.html"), page.as_bytes())?;
    println!("[bundle] main module and {} lazy chunks written to {}", chunks.len(), dist.display());
    Ok(())
}
