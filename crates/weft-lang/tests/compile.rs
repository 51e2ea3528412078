//! Data-driven tests of the front end: every `tests/data/ok/*.py` compiles (snapshot: its
//! bytecode) and is valid Python; every `tests/data/err/*.py` is rejected (snapshot: the
//! rendered diagnostics); nothing, however malformed, panics.

use std::path::Path;

/// The single caller of `weft_lang::compile`: the disassembly, or the rendered diagnostics.
/// Returns whether compilation succeeded and the text to snapshot.
fn check(path: &Path) -> (bool, String) {
    let source = std::fs::read_to_string(path).expect("test input is UTF-8");
    let file_name = format!(
        "{}/{}",
        path.parent()
            .and_then(Path::file_name)
            .and_then(|name| name.to_str())
            .unwrap_or(""),
        path.file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("")
    );
    compile_text(&file_name, &source)
}

fn compile_text(file_name: &str, source: &str) -> (bool, String) {
    match weft_lang::compile(file_name, source) {
        Ok(program) => (true, weft_bytecode::disassemble(&program)),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an error comes with diagnostics");
            let rendered: Vec<String> = diagnostics
                .iter()
                .map(|diagnostic| diagnostic.render(file_name, source))
                .collect();
            (false, rendered.join("\n"))
        }
    }
}

#[test]
fn ok_inputs_compile() {
    insta::glob!("data/ok/*.py", |path| {
        let (ok, text) = check(path);
        assert!(ok, "{} should compile:\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn err_inputs_are_rejected() {
    insta::glob!("data/err/*.py", |path| {
        let (ok, text) = check(path);
        assert!(!ok, "{} should be rejected:\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}
