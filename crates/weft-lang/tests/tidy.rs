//! Tidy checks for this crate, run by `cargo test`: every Rust file says what it is for, and no
//! `dbg!` is left behind.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn files_start_with_doc_comment_and_have_no_dbg() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    assert!(!files.is_empty());
    let dbg = ["dbg", "!("].concat();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        assert!(
            text.starts_with("//!"),
            "{} must start with a `//!` line",
            file.display()
        );
        assert!(!text.contains(&dbg), "{} contains `{dbg}`", file.display());
    }
}

#[test]
fn only_the_lowering_module_knows_the_parser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        if file.file_name().is_some_and(|name| name == "lower.rs") {
            continue;
        }
        assert!(
            !text.contains(&["rustpython", "_ruff"].concat()),
            "{} uses the parser; only lower.rs may",
            file.display()
        );
    }
}
