//! The disassembler: a `Program` as text, one line per instruction with its source line,
//! operands resolved to names and constants, and jump targets marked.

use std::fmt::Write;

use crate::{Code, CodeId, CodeKind, Const, Instr, Pc, Program};

/// The whole program: every code object in id order, the module body first.
pub fn disassemble(program: &Program) -> String {
    let mut out = String::new();
    for index in 0..program.codes.len() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&disassemble_code(program, CodeId(index as u32)));
    }
    out
}

/// One code object.
pub fn disassemble_code(program: &Program, id: CodeId) -> String {
    let code = program.code(id);
    let mut out = String::new();
    let params = code
        .params
        .iter()
        .cloned()
        .chain(match (&code.varargs, code.kwonly_params.is_empty()) {
            (Some(name), _) => Some(format!("*{name}")),
            (None, false) => Some("*".to_string()),
            (None, true) => None,
        })
        .chain(code.kwonly_params.iter().cloned())
        .chain(code.varkw.iter().map(|name| format!("**{name}")))
        .collect::<Vec<_>>()
        .join(", ");
    let observer = (code.kind == CodeKind::Observer)
        .then(|| {
            program
                .observers
                .iter()
                .find(|observer| observer.code == id)
        })
        .flatten();
    match observer {
        // An observer's lines count lines of its expression, not of the file.
        Some(observer) => {
            let _ = writeln!(
                out,
                "code {} {}() evaluates {}",
                id,
                code.qualname,
                // One line, even when the expression spans several.
                observer
                    .source
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        None => {
            let _ = writeln!(
                out,
                "code {} {}({}) at {}:{}",
                id, code.qualname, params, program.file_name, code.first_line
            );
        }
    }
    let targets = jump_targets(code);
    let mut last_line = None;
    for (index, instr) in code.instrs.iter().enumerate() {
        let line = code.lines[index];
        let line_col = if last_line == Some(line) {
            String::new()
        } else {
            line.to_string()
        };
        last_line = Some(line);
        let marker = if targets.contains(&Pc(index as u32)) {
            ">>"
        } else {
            ""
        };
        let (mnemonic, operands) = describe(program, code, instr);
        let text = format!("{line_col:>5} {marker:>2} {index:>4}  {mnemonic:<16} {operands}");
        out.push_str(text.trim_end());
        out.push('\n');
    }
    if !code.exc_table.is_empty() {
        out.push_str("  exception table:\n");
        for entry in &code.exc_table {
            let _ = writeln!(
                out,
                "    {} to {} -> {} [depth {}]",
                entry.start, entry.end, entry.handler, entry.stack_depth
            );
        }
    }
    out
}

fn jump_targets(code: &Code) -> Vec<Pc> {
    let mut targets: Vec<Pc> = code
        .instrs
        .iter()
        .filter_map(|instr| match *instr {
            Instr::Jump(pc)
            | Instr::PopJumpIfFalse(pc)
            | Instr::PopJumpIfTrue(pc)
            | Instr::JumpIfFalseOrPop(pc)
            | Instr::JumpIfTrueOrPop(pc)
            | Instr::ForIter(pc) => Some(pc),
            _ => None,
        })
        .chain(code.exc_table.iter().map(|entry| entry.handler))
        .collect();
    targets.sort();
    targets.dedup();
    targets
}

/// The mnemonic and the rendered operands of one instruction.
fn describe(program: &Program, code: &Code, instr: &Instr) -> (&'static str, String) {
    let local = |slot: crate::LocalSlot| {
        let name = code
            .local_names
            .get(slot.index())
            .map_or("?", String::as_str);
        format!("{slot} ({name})")
    };
    let constant = |id: crate::ConstId| format!("{id} ({})", const_repr(program.constant(id)));
    match *instr {
        Instr::LoadConst(id) => ("LoadConst", constant(id)),
        Instr::LoadLocal(slot) => ("LoadLocal", local(slot)),
        Instr::StoreLocal(slot) => ("StoreLocal", local(slot)),
        Instr::LoadGlobal(name) => ("LoadGlobal", program.name(name).to_string()),
        Instr::StoreGlobal(name) => ("StoreGlobal", program.name(name).to_string()),
        Instr::LoadBuiltin(name) => ("LoadBuiltin", program.name(name).to_string()),
        Instr::LoadAttr(name) => ("LoadAttr", program.name(name).to_string()),
        Instr::StoreAttr(name) => ("StoreAttr", program.name(name).to_string()),
        Instr::LoadSubscr => ("LoadSubscr", String::new()),
        Instr::StoreSubscr => ("StoreSubscr", String::new()),
        Instr::LoadSlice => ("LoadSlice", String::new()),
        Instr::CallUnpacked => ("CallUnpacked", String::new()),
        Instr::BinaryOp(op) => ("BinaryOp", op.symbol().to_string()),
        Instr::InplaceOp(op) => ("InplaceOp", format!("{}=", op.symbol())),
        Instr::UnaryOp(op) => ("UnaryOp", op.symbol().to_string()),
        Instr::CompareOp(op) => ("CompareOp", op.symbol().to_string()),
        Instr::Jump(pc) => ("Jump", format!("-> {pc}")),
        Instr::PopJumpIfFalse(pc) => ("PopJumpIfFalse", format!("-> {pc}")),
        Instr::PopJumpIfTrue(pc) => ("PopJumpIfTrue", format!("-> {pc}")),
        Instr::JumpIfFalseOrPop(pc) => ("JumpIfFalseOrPop", format!("-> {pc}")),
        Instr::JumpIfTrueOrPop(pc) => ("JumpIfTrueOrPop", format!("-> {pc}")),
        Instr::GetIter => ("GetIter", String::new()),
        Instr::ForIter(pc) => ("ForIter", format!("-> {pc}")),
        Instr::Return => ("Return", String::new()),
        Instr::Pop => ("Pop", String::new()),
        Instr::Dup => ("Dup", String::new()),
        Instr::Dup2 => ("Dup2", String::new()),
        Instr::Rot2 => ("Rot2", String::new()),
        Instr::Rot3 => ("Rot3", String::new()),
        Instr::BuildTuple(n) => ("BuildTuple", n.to_string()),
        Instr::BuildList(n) => ("BuildList", n.to_string()),
        Instr::BuildDict(n) => ("BuildDict", n.to_string()),
        Instr::BuildString(n) => ("BuildString", n.to_string()),
        Instr::FormatValue {
            conversion,
            has_spec,
        } => {
            let mut text = match conversion {
                crate::Conversion::None => String::new(),
                crate::Conversion::Str => "!s".to_string(),
                crate::Conversion::Repr => "!r".to_string(),
                crate::Conversion::Ascii => "!a".to_string(),
            };
            if has_spec {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str("with spec");
            }
            ("FormatValue", text)
        }
        Instr::UnpackSequence(n) => ("UnpackSequence", n.to_string()),
        Instr::UnpackStarred { before, after } => {
            ("UnpackStarred", format!("{before} before, {after} after"))
        }
        Instr::Call(n) => ("Call", n.to_string()),
        Instr::CallKw { n_args, kw_names } => (
            "CallKw",
            format!("{n_args} {}", const_repr(program.constant(kw_names))),
        ),
        Instr::MakeFunction { code, n_defaults } => (
            "MakeFunction",
            format!(
                "code {code} ({}) defaults {n_defaults}{}",
                program.code(code).qualname,
                if program.code(code).free_vars > 0 {
                    " with closure"
                } else {
                    ""
                }
            ),
        ),
        Instr::RaiseCurrent => ("RaiseCurrent", String::new()),
        Instr::RaiseFrom => ("RaiseFrom", String::new()),
        Instr::PushExcInfo => ("PushExcInfo", String::new()),
        Instr::PopExcept => ("PopExcept", String::new()),
        Instr::CheckExcMatch => ("CheckExcMatch", String::new()),
        Instr::DeleteLocal(slot) => ("DeleteLocal", local(slot)),
        Instr::DeleteGlobal(name) => ("DeleteGlobal", program.name(name).to_string()),
        Instr::DeleteSubscr => ("DeleteSubscr", String::new()),
        Instr::DeleteAttr(name) => ("DeleteAttr", program.name(name).to_string()),
        Instr::MakeCell(slot) => ("MakeCell", local(slot)),
        Instr::LoadDeref(slot) => ("LoadDeref", local(slot)),
        Instr::StoreDeref(slot) => ("StoreDeref", local(slot)),
        Instr::DeleteDeref(slot) => ("DeleteDeref", local(slot)),
        Instr::LoadCell(slot) => ("LoadCell", local(slot)),
        Instr::ListAppend(n) => ("ListAppend", n.to_string()),
        Instr::MapAdd(n) => ("MapAdd", n.to_string()),
        Instr::LoadSuper => ("LoadSuper", String::new()),
        Instr::MakeClass {
            name,
            members,
            has_base,
        } => (
            "MakeClass",
            format!(
                "{} members {}{}",
                program.name(name),
                const_repr(program.constant(members)),
                if has_base { " with base" } else { "" }
            ),
        ),
        Instr::Import(name) => ("Import", program.name(name).to_string()),
        Instr::Raise => ("Raise", String::new()),
        Instr::Reraise => ("Reraise", String::new()),
        Instr::WithEnter => ("WithEnter", String::new()),
        Instr::WithExit => ("WithExit", String::new()),
        Instr::WithExitExc => ("WithExitExc", String::new()),
    }
}

/// A constant written the way Python's `repr` writes it (close enough for reading bytecode).
fn const_repr(constant: &Const) -> String {
    match constant {
        Const::None => "None".to_string(),
        Const::Bool(true) => "True".to_string(),
        Const::Bool(false) => "False".to_string(),
        Const::Int(value) => value.to_string(),
        Const::Float(value) => format!("{value:?}"),
        Const::Str(text) => {
            let mut out = String::from("'");
            for ch in text.chars() {
                match ch {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    ch if (ch as u32) < 0x20 => {
                        let _ = write!(out, "\\x{:02x}", ch as u32);
                    }
                    ch => out.push(ch),
                }
            }
            out.push('\'');
            out
        }
        Const::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
    }
}
