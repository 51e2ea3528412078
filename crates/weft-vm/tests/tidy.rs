//! Tidy checks that run with `cargo test`: every source file says what it is for, and no
//! debugging leftovers are committed.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|name| name != "snapshots" && name != "data")
            {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_file_has_a_doc_line_and_no_debugging_leftovers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "examples"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 10);
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(root).unwrap().display();
        if !text.starts_with("//!") {
            problems.push(format!("{name}: does not start with a `//!` doc line"));
        }
        let dbg = ["dbg", "!("].concat();
        if text.contains(&dbg) {
            problems.push(format!("{name}: contains {dbg}"));
        }
        let todo = ["todo", "!("].concat();
        if text.contains(&todo) {
            problems.push(format!("{name}: contains {todo}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
