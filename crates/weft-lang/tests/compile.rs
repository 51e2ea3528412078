//! Data-driven tests of the front end: every `tests/data/ok/*.py` compiles (snapshot: its
//! bytecode) and is valid Python; every `tests/data/err/*.py` is rejected (snapshot: the
//! rendered diagnostics); the same for observer expressions, declared by `# observe: EXPR`
//! lines in `tests/data/observe/{ok,err}/*.py`; nothing, however malformed, panics.

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

/// The observers an input declares, one per `# observe: EXPR` line (`# observe:` alone is an
/// empty expression).
fn declared_observers(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| line.strip_prefix("# observe:"))
        .map(|expr| expr.strip_prefix(' ').unwrap_or(expr).to_string())
        .collect()
}

/// The single caller of `weft_lang::compile_with_observers`: for a program, the disassembly of
/// its observers' code (after checking that observers leave the file's own code unchanged); else
/// the diagnostics rendered the way the CLI renders them.
fn check_observe(path: &Path) -> (bool, String) {
    let source = std::fs::read_to_string(path).expect("test input is UTF-8");
    let file_name = format!(
        "observe/{}",
        path.file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("")
    );
    let observers = declared_observers(&source);
    match weft_lang::compile_with_observers(&file_name, &source, &observers) {
        Ok(program) => {
            let plain = weft_lang::compile(&file_name, &source).expect("the file alone compiles");
            assert_eq!(
                program.codes[..plain.codes.len()],
                plain.codes[..],
                "observers change the file's code"
            );
            assert_eq!(program.observers.len(), observers.len());
            let mut codes = Vec::new();
            for (observer, text) in program.observers.iter().zip(&observers) {
                assert_eq!(&observer.source, text);
                codes.push(weft_bytecode::disassemble_code(&program, observer.code));
            }
            (true, codes.join("\n"))
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an error comes with diagnostics");
            let rendered: Vec<String> = diagnostics
                .iter()
                .map(|diagnostic| diagnostic.render_with(&file_name, &source, &observers))
                .collect();
            (false, rendered.join("\n"))
        }
    }
}

#[test]
fn observe_ok_inputs_compile() {
    insta::glob!("data/observe/ok/*.py", |path| {
        let (ok, text) = check_observe(path);
        assert!(ok, "{} should compile:\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn observe_err_inputs_are_rejected() {
    insta::glob!("data/observe/err/*.py", |path| {
        let (ok, text) = check_observe(path);
        assert!(!ok, "{} should be rejected:\n{text}", path.display());
        insta::assert_snapshot!(text);
    });
}

#[test]
fn observers_of_ok_inputs_are_python_expressions() {
    let mut observers = Vec::new();
    for entry in std::fs::read_dir(data_dir().join("observe/ok")).expect("observe/ok exists") {
        let path = entry.expect("readable entry").path();
        let source = std::fs::read_to_string(&path).expect("test input is UTF-8");
        observers.extend(declared_observers(&source));
    }
    observers.sort();
    let script = "import sys\nfor expr in sys.argv[1:]:\n    compile(expr, '<observe>', 'eval')\n";
    match std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&observers)
        .output()
    {
        Ok(output) => assert!(
            output.status.success(),
            "python3 rejects an ok observer:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => println!("note: python3 is not available ({error}); skipping"),
    }
}

#[test]
fn ok_inputs_are_valid_python() {
    let mut paths: Vec<String> = std::fs::read_dir(data_dir().join("ok"))
        .expect("tests/data/ok exists")
        .map(|entry| entry.expect("readable entry").path().display().to_string())
        .filter(|path| path.ends_with(".py"))
        .collect();
    paths.sort();
    // `compile()` rather than `py_compile`, which would write `__pycache__` into the tree.
    let script =
        "import sys\nfor path in sys.argv[1:]:\n    compile(open(path).read(), path, 'exec')\n";
    match std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&paths)
        .output()
    {
        Ok(output) => assert!(
            output.status.success(),
            "python3 rejects an ok input:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => println!("note: python3 is not available ({error}); skipping"),
    }
}

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// A fixed-seed xorshift generator, so the mutations are the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Compiles without caring about the result: only a panic or a crash fails.
fn must_not_panic(source: &str) {
    let _ = compile_text("fuzz.py", source);
}

#[test]
fn prefixes_and_mutations_do_not_panic() {
    let mut paths: Vec<_> = std::fs::read_dir(data_dir().join("ok"))
        .expect("tests/data/ok exists")
        .map(|entry| entry.expect("readable entry").path())
        .collect();
    paths.sort();
    let mut rng = XorShift(0x5eed_f00d_cafe_babe);
    const TOKENS: &[&[u8]] = &[
        b"(",
        b")",
        b"[",
        b"]",
        b"{",
        b"}",
        b":",
        b"\n",
        b"    ",
        b"\t",
        b"\"",
        b"'",
        b"f\"{",
        b"}\"",
        b"\\",
        b"#",
        b"=",
        b"+=",
        b"-",
        b"not ",
        b"lambda",
        b"with ",
        b"return",
        b"break",
        b"global x",
        b"def ",
        b"class ",
        b"\x00",
        b"\r",
        b"\xc3\xa9",
        b"99999999999999999999",
    ];
    for path in &paths {
        let source = std::fs::read_to_string(path).expect("test input is UTF-8");
        for (index, _) in source.char_indices() {
            must_not_panic(&source[..index]);
        }
        for _ in 0..300 {
            let mut bytes = source.clone().into_bytes();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(3) {
                    0 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    1 if at < bytes.len() => bytes[at] = rng.next() as u8,
                    _ => {
                        let token = TOKENS[rng.below(TOKENS.len())];
                        bytes.splice(at..at, token.iter().copied());
                    }
                }
            }
            must_not_panic(&String::from_utf8_lossy(&bytes));
        }
    }
}

#[test]
fn observer_prefixes_and_pathological_observers_do_not_panic() {
    let mut observers = Vec::new();
    for kind in ["ok", "err"] {
        let mut paths: Vec<_> = std::fs::read_dir(data_dir().join("observe").join(kind))
            .expect("observe data exists")
            .map(|entry| entry.expect("readable entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let source = std::fs::read_to_string(&path).expect("test input is UTF-8");
            observers.extend(declared_observers(&source));
        }
    }
    let mut cases: Vec<String> = Vec::new();
    for observer in &observers {
        cases.extend(
            observer
                .char_indices()
                .map(|(index, _)| observer[..index].to_string()),
        );
    }
    cases.extend([
        "(".repeat(100_000),
        "-".repeat(100_000) + "1",
        "x".to_string() + &".y".repeat(100_000),
        "f\"{".repeat(2000) + &"}\"".repeat(2000),
        "\0".to_string(),
        "x\n\ny".to_string(),
        "\r".to_string(),
        "# just a comment".to_string(),
    ]);
    for case in &cases {
        let result =
            weft_lang::compile_with_observers("fuzz.py", "x = 1\n", std::slice::from_ref(case));
        if let Err(diagnostics) = result {
            assert!(diagnostics.iter().all(|d| d.observer.is_some()), "{case:?}");
            for diagnostic in &diagnostics {
                let _ = diagnostic.render_with("fuzz.py", "x = 1\n", std::slice::from_ref(case));
            }
        }
    }
}

#[test]
fn pathological_inputs_are_diagnosed() {
    let deep_if: String = (0..5000)
        .map(|depth| format!("{}if x:\n", " ".repeat(depth)))
        .collect::<String>()
        + &" ".repeat(5000)
        + "pass\n";
    let cases: Vec<(&str, String)> = vec![
        ("100k open parens", "(".repeat(100_000)),
        (
            "100k balanced parens",
            "(".repeat(100_000) + &")".repeat(100_000),
        ),
        ("100k brackets", "x = ".to_string() + &"[".repeat(100_000)),
        (
            "100k unary minus",
            "x = ".to_string() + &"-".repeat(100_000) + "1",
        ),
        (
            "100k not",
            "x = ".to_string() + &"not ".repeat(100_000) + "1",
        ),
        ("100k power", "x = 2".to_string() + &"**2".repeat(100_000)),
        (
            "100k attributes",
            "x = a".to_string() + &".b".repeat(100_000),
        ),
        ("100k calls", "x = f".to_string() + &"()".repeat(100_000)),
        (
            "100k conditionals",
            "x = 1".to_string() + &" if a else 1".repeat(100_000),
        ),
        (
            "100k lambdas",
            "x = ".to_string() + &"lambda: ".repeat(100_000) + "1",
        ),
        ("100k sum", "x = 1".to_string() + &" + 1".repeat(100_000)),
        (
            "100k f-string parens",
            "x = f\"{".to_string() + &"(".repeat(100_000) + "}\"",
        ),
        (
            "nested f-strings",
            "x = ".to_string() + &"f'{".repeat(2000) + &"}'".repeat(2000),
        ),
        ("5k nested if", deep_if),
        (
            "10k nested def",
            (0..10_000)
                .map(|depth| format!("{}def f():\n", " ".repeat(depth)))
                .collect(),
        ),
        // Just below the pre-scan's bound: the parser must cope, and lowering rejects.
        (
            "990 unary minus",
            "x = ".to_string() + &"-".repeat(990) + "1",
        ),
        ("990 not", "x = ".to_string() + &"not ".repeat(990) + "1"),
        ("990 power", "x = 2".to_string() + &"**2".repeat(990)),
        ("990 calls", "x = f".to_string() + &"()".repeat(490)),
        (
            "990 conditionals",
            "x = 1".to_string() + &" if a else 1".repeat(490),
        ),
        (
            "990 lambdas",
            "x = ".to_string() + &"lambda: ".repeat(990) + "1",
        ),
        ("990 sum", "x = 1".to_string() + &" + 1".repeat(990)),
        (
            "990 await",
            "async def f():\n    x = ".to_string() + &"await ".repeat(990) + "1",
        ),
        (
            "brackets and operators",
            "x = ".to_string() + &"-(-".repeat(199) + "1" + &")".repeat(199),
        ),
        (
            "deep indentation and operators",
            (0..99)
                .map(|depth| format!("{}if x:\n", " ".repeat(depth)))
                .collect::<String>()
                + &" ".repeat(99)
                + "x = "
                + &"-".repeat(900)
                + "1\n",
        ),
        ("huge int", "x = ".to_string() + &"9".repeat(10_000)),
        ("NUL bytes", "x = 1\0\0\0\nprint(x)\0".to_string()),
        ("only NUL", "\0".to_string()),
        (
            "replacement chars",
            "x = '\u{fffd}'\n\u{fffd}\u{fffd}\n".to_string(),
        ),
        ("empty", String::new()),
        ("lone carriage returns", "x = 1\ry = 2\r".to_string()),
    ];
    for (what, source) in &cases {
        if std::env::var("PATHO_DEBUG").is_ok() {
            eprintln!("case {what}");
        }
        let (ok, text) = compile_text("pathological.py", source);
        if what.starts_with("empty") || what.starts_with("lone") {
            assert!(ok, "{what} should compile:\n{text}");
        } else {
            assert!(!ok, "{what} should be rejected");
        }
    }
}
