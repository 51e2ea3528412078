//! weft's bytecode: the instruction set, the compiled `Program`, newtyped ids and the disassembler.
//!
//! This crate is the contract between the front end (`weft-lang`), which produces a [`Program`],
//! and the interpreter (`weft-vm`), which runs it. It has no dependencies and knows nothing of
//! source text (only line numbers) or of threads.
//!
//! The machine is a stack machine. Every [`Code`] object (module body or function) has its own
//! operand stack, local slots and exception table. The stack effect of every instruction is
//! documented on its variant as `[before] -> [after]`, top of stack on the right.
#![deny(missing_docs)]

mod disasm;
mod instr;

pub use disasm::{disassemble, disassemble_code};
pub use instr::{BinOp, CmpOp, Conversion, Instr, UnaryOp};

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into the table it names.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A code object in [`Program::codes`].
    CodeId
);
id_type!(
    /// An instruction index inside one [`Code`].
    Pc
);
id_type!(
    /// A local variable slot of one [`Code`].
    LocalSlot
);
id_type!(
    /// An interned identifier in [`Program::names`].
    NameId
);
id_type!(
    /// A constant in [`Program::consts`].
    ConstId
);
id_type!(
    /// A count operand (number of arguments, items, ...).
    Count
);
id_type!(
    /// An observer in [`Program::observers`] (0-based; the CLI numbers them from 1).
    ObserverId
);

/// A compile-time constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A tuple of constants (also used for keyword-name lists and class member names).
    Tuple(Vec<Const>),
}

/// One entry of a code object's exception table.
///
/// When an exception is raised by an instruction whose pc is in `start..end`, the VM truncates
/// the operand stack to `stack_depth` entries, pushes the exception object and jumps to `handler`.
/// Entries are searched in order; the compiler emits inner handlers before outer ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExcEntry {
    /// First protected instruction.
    pub start: Pc,
    /// One past the last protected instruction.
    pub end: Pc,
    /// Where control goes when a protected instruction raises.
    pub handler: Pc,
    /// The operand stack depth to restore before pushing the exception.
    pub stack_depth: u32,
}

/// What kind of code object this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// The module body: runs as the main thread; its variables are globals.
    Module,
    /// A `def` (or a method: methods are ordinary functions stored in a class).
    Function,
    /// An [`Observer`]'s expression: no parameters or locals, names resolved as at module level,
    /// ends with `Return` of the expression's value. Never run by a thread of the program.
    Observer,
}

/// A compiled function or module body.
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    /// What kind of code this is.
    pub kind: CodeKind,
    /// The plain name (`update`, or `<module>`).
    pub name: String,
    /// The qualified name (`Account.update`), used in tracebacks and default thread names.
    pub qualname: String,
    /// Positional-or-keyword parameter names, in order. Parameter `i` lives in local slot `i`.
    pub params: Vec<String>,
    /// Keyword-only parameter names, in order: they live in the local slots after `params`.
    pub kwonly_params: Vec<String>,
    /// The `*args` parameter, if any: it lives in the local slot after the keyword-only ones.
    pub varargs: Option<String>,
    /// The `**kwargs` parameter, if any: it lives in the local slot after `*args`.
    pub varkw: Option<String>,
    /// Names of all local slots (parameters first). Used for `UnboundLocalError` messages.
    pub local_names: Vec<String>,
    /// How many of the last local slots are free variables: cells of enclosing functions,
    /// filled from the function's closure when a frame is created.
    pub free_vars: u32,
    /// The instructions.
    pub instrs: Vec<Instr>,
    /// The 1-based source line of each instruction (same length as `instrs`).
    pub lines: Vec<u32>,
    /// The exception table, innermost handlers first.
    pub exc_table: Vec<ExcEntry>,
    /// The line of the `def` (or 1 for the module).
    pub first_line: u32,
}

impl Code {
    /// The source line of the instruction at `pc`.
    pub fn line(&self, pc: Pc) -> u32 {
        self.lines
            .get(pc.index())
            .copied()
            .unwrap_or(self.first_line)
    }
}

/// A compiled scenario file: everything the VM needs, and nothing of the source text.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The scenario's file name as the user gave it (for `file:line` in traces and tracebacks).
    pub file_name: String,
    /// Interned identifiers.
    pub names: Vec<String>,
    /// Constants.
    pub consts: Vec<Const>,
    /// Code objects; [`Program::main`] is the module body.
    pub codes: Vec<Code>,
    /// The module body, run by the main thread.
    pub main: CodeId,
    /// Attribute names that the program stores anywhere (`x.name = ...` or `x.name += ...`).
    /// Loading an attribute whose name is not in this set can never observe another thread's
    /// write, so the VM may treat it as invisible. Sorted, without duplicates.
    pub stored_attrs: Vec<NameId>,
    /// Expressions to evaluate in the program's global scope once a run has ended (`weft explore
    /// --observe EXPR`), in the order given. Empty for an ordinary compile.
    pub observers: Vec<Observer>,
}

/// An expression evaluated against a run's final state: its value is part of the outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Observer {
    /// The expression as the user wrote it (`account.balance`).
    pub source: String,
    /// Its code object, of kind [`CodeKind::Observer`]. Line numbers in it count lines of
    /// `source` (1 unless the expression spans lines).
    pub code: CodeId,
}

impl Program {
    /// The identifier with this id.
    pub fn name(&self, id: NameId) -> &str {
        &self.names[id.index()]
    }

    /// The constant with this id.
    pub fn constant(&self, id: ConstId) -> &Const {
        &self.consts[id.index()]
    }

    /// The code object with this id.
    pub fn code(&self, id: CodeId) -> &Code {
        &self.codes[id.index()]
    }

    /// The observer with this id.
    pub fn observer(&self, id: ObserverId) -> &Observer {
        &self.observers[id.index()]
    }

    /// Whether the program ever stores an attribute with this name.
    pub fn is_stored_attr(&self, id: NameId) -> bool {
        self.stored_attrs.binary_search(&id).is_ok()
    }
}

/// The builtin names the VM provides. The compiler emits [`Instr::LoadBuiltin`] for a name in
/// this list that the module never assigns; the VM must resolve every one of them.
pub const BUILTINS: &[&str] = &[
    "__name__",
    "print",
    "len",
    "range",
    "enumerate",
    "zip",
    "reversed",
    "sorted",
    "min",
    "max",
    "sum",
    "abs",
    "round",
    "any",
    "all",
    "isinstance",
    "repr",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "tuple",
    "dict",
    "object",
    "BaseException",
    "Exception",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "IndexError",
    "KeyError",
    "LookupError",
    "NameError",
    "NotImplementedError",
    "OverflowError",
    "RecursionError",
    "RuntimeError",
    "StopIteration",
    "TimeoutError",
    "super",
    "type",
    "TypeError",
    "UnboundLocalError",
    "ValueError",
    "ZeroDivisionError",
];

/// The library modules a scenario may import; the VM provides each one for [`Instr::Import`].
pub const MODULES: &[&str] = &[
    "threading",
    "time",
    "queue",
    "logging",
    "random",
    "sys",
    "concurrent",
    "concurrent.futures",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instruction_stays_small() {
        assert_eq!(std::mem::size_of::<Instr>(), 12);
    }
}
