//! The instruction set and its operand enums.

use crate::{CodeId, ConstId, Count, LocalSlot, NameId, Pc};

/// One instruction. Stack effects are written `[before] -> [after]`, top of stack on the right.
///
/// Which instructions are *visible* (scheduling points) is decided by the VM from the operands'
/// runtime values (a `LoadAttr` on a shared object is visible, on a module it is not); the
/// instruction set itself only guarantees that every read and every write of shared state is its
/// own instruction, so a read-modify-write such as `counter += 1` is a load, a local computation
/// and a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instr {
    /// `[] -> [const]`.
    LoadConst(ConstId),
    /// `[] -> [local]`; an unbound slot raises `UnboundLocalError`.
    LoadLocal(LocalSlot),
    /// `[value] -> []`, stores into the local slot.
    StoreLocal(LocalSlot),
    /// `[] -> [value]`: reads a global (a shared location), falling back to the builtins;
    /// neither raises `NameError: name 'x' is not defined`.
    LoadGlobal(NameId),
    /// `[value] -> []`: writes a global (a shared location).
    StoreGlobal(NameId),
    /// `[] -> [builtin]`: a builtin function, class or constant (`print`, `len`, `AssertionError`).
    /// The compiler emits it only for names the module never assigns, so it reads no shared state.
    LoadBuiltin(NameId),
    /// `[obj] -> [obj.name]`: attribute read; a function found on the class becomes a bound method.
    LoadAttr(NameId),
    /// `[value, obj] -> []`: `obj.name = value`.
    StoreAttr(NameId),
    /// `[container, key] -> [container[key]]`.
    LoadSubscr,
    /// `[value, container, key] -> []`: `container[key] = value`.
    StoreSubscr,
    /// `[container, lower, upper, step] -> [container[lower:upper:step]]` (missing parts are
    /// `None`) of a list, tuple or string.
    LoadSlice,
    /// `[a, b] -> [a op b]`.
    BinaryOp(BinOp),
    /// `[a, b] -> [a op= b]`: like `BinaryOp` but in place for mutable left operands
    /// (`list += iterable` extends the list and pushes it).
    InplaceOp(BinOp),
    /// `[a] -> [op a]`.
    UnaryOp(UnaryOp),
    /// `[a, b] -> [a op b]`.
    CompareOp(CmpOp),
    /// Unconditional jump.
    Jump(Pc),
    /// `[cond] -> []`, jumps when `cond` is falsy.
    PopJumpIfFalse(Pc),
    /// `[cond] -> []`, jumps when `cond` is truthy.
    PopJumpIfTrue(Pc),
    /// `[cond] -> [cond]` and jump if falsy, else `[cond] -> []` (for `and`).
    JumpIfFalseOrPop(Pc),
    /// `[cond] -> [cond]` and jump if truthy, else `[cond] -> []` (for `or`).
    JumpIfTrueOrPop(Pc),
    /// `[iterable] -> [iterator]`.
    GetIter,
    /// `[iterator] -> [iterator, next]`, or, when exhausted, `[iterator] -> []` and jump.
    ForIter(Pc),
    /// `[value] -> (returns value to the caller)`.
    Return,
    /// `[a] -> []`.
    Pop,
    /// `[a] -> [a, a]`.
    Dup,
    /// `[a, b] -> [a, b, a, b]`.
    Dup2,
    /// `[a, b] -> [b, a]`.
    Rot2,
    /// `[a, b, c] -> [c, a, b]`: the top moves down two places.
    Rot3,
    /// `[x1 .. xn] -> [(x1, .., xn)]`.
    BuildTuple(Count),
    /// `[x1 .. xn] -> [[x1, .., xn]]`.
    BuildList(Count),
    /// `[k1, v1 .. kn, vn] -> [{k1: v1, ..}]` (n pairs).
    BuildDict(Count),
    /// `[s1 .. sn] -> [s1 + .. + sn]`: concatenates strings (f-strings).
    BuildString(Count),
    /// `[value] -> [str]` or, with a spec, `[value, spec] -> [str]`: one f-string field.
    FormatValue {
        /// `!s`, `!r`, `!a` or none.
        conversion: Conversion,
        /// Whether a format spec string is on the stack above the value.
        has_spec: bool,
    },
    /// `[seq] -> [xn .. x1]`: unpacks exactly n items, the first on top.
    UnpackSequence(Count),
    /// `[seq] -> [y_after .. y1, rest, x_before .. x1]`: unpacks for `x1, .., *rest, y1, ..`:
    /// `before` items, a list of the ones in between, `after` items; the first on top.
    UnpackStarred {
        /// Items before the starred target.
        before: Count,
        /// Items after it.
        after: Count,
    },
    /// `[callee, a1 .. an] -> [result]`.
    Call(Count),
    /// `[callee, a1 .. an] -> [result]` where the last `len(kw_names)` of the n arguments are
    /// keyword arguments named by the constant tuple `kw_names`.
    CallKw {
        /// Total number of arguments on the stack, positional and keyword.
        n_args: Count,
        /// A [`Const::Tuple`](crate::Const::Tuple) of keyword names (strings).
        kw_names: ConstId,
    },
    /// `[callee, args, kwargs] -> [result]`: a call with `*`/`**` unpacking; `args` is a list
    /// of the positional arguments, `kwargs` a dict of the keyword ones.
    CallUnpacked,
    /// `[d1 .. dn] -> [function]`: makes a function from a code object; the n values are the
    /// defaults of the last n positional parameters. When the code has keyword-only parameters,
    /// a dict of their defaults (by name) is above them. When the code has free variables
    /// ([`Code::free_vars`](crate::Code::free_vars) > 0), a tuple of their cells (its closure,
    /// built with [`Instr::LoadCell`]) is on top: `[d1 .. dn, closure] -> [function]`.
    MakeFunction {
        /// The function's code.
        code: CodeId,
        /// How many default values are on the stack.
        n_defaults: Count,
    },
    /// `[base?, v1 .. vn] -> [class]`: makes a class named `name` whose members are named by the
    /// constant tuple `members` and valued by the n stack values; the base class is below them
    /// when `has_base`.
    MakeClass {
        /// The class name.
        name: NameId,
        /// A [`Const::Tuple`](crate::Const::Tuple) of member names (strings).
        members: ConstId,
        /// Whether a base class is on the stack below the members.
        has_base: bool,
    },
    /// `[] -> [module]`: a library module (`threading`, `time`, ...).
    Import(NameId),
    /// `[exc] -> (raises)`: raises an exception instance, or a class (instantiated with no
    /// arguments).
    Raise,
    /// `[exc] -> (raises)`: re-raises a caught exception, keeping its traceback and context.
    Reraise,
    /// `[] -> (raises)`: bare `raise`, re-raising the exception being handled (or
    /// `RuntimeError: No active exception to reraise`).
    RaiseCurrent,
    /// `[exc, cause] -> (raises)`: `raise exc from cause` (`cause` may be `None`).
    RaiseFrom,
    /// `[exc] -> [previous, exc]`: enters an exception handler (or an exceptional `finally`):
    /// `exc` becomes the exception being handled, the one handled before is saved below it.
    PushExcInfo,
    /// `[previous] -> []`: leaves a handler, restoring the exception handled before it.
    PopExcept,
    /// `[exc, type] -> [exc, matches]`: whether `exc` is an instance of `type` (a class or a
    /// tuple of classes), for `except type:`.
    CheckExcMatch,
    /// Marks a local slot unbound (`del x`); an unbound slot raises `UnboundLocalError`.
    DeleteLocal(LocalSlot),
    /// Unbinds a global (`del x` at module level, a shared write); an unbound one raises
    /// `NameError`.
    DeleteGlobal(NameId),
    /// `[container, key] -> []`: `del container[key]`.
    DeleteSubscr,
    /// `[obj] -> []`: `del obj.name` (a write of the attribute).
    DeleteAttr(NameId),
    /// Replaces the value in a local slot (possibly unbound) with a new cell holding it: the
    /// slot is a variable that nested functions capture.
    MakeCell(LocalSlot),
    /// `[] -> [value]`: reads the cell in a local slot (a captured variable of this function or
    /// a free variable from an enclosing one); a cell shared between threads is shared state.
    LoadDeref(LocalSlot),
    /// `[value] -> []`: writes the cell in a local slot.
    StoreDeref(LocalSlot),
    /// Empties the cell in a local slot (`del x` of a captured variable).
    DeleteDeref(LocalSlot),
    /// `[] -> [cell]`: pushes the cell object itself, to build a closure.
    LoadCell(LocalSlot),
    /// `[list, x1 .. xn, value] -> [list, x1 .. xn]`: appends to the list `n` entries below the
    /// value (list comprehensions; the `x`s are the loops' iterators).
    ListAppend(Count),
    /// `[dict, x1 .. xn, key, value] -> [dict, x1 .. xn]`: `dict[key] = value` for the dict `n`
    /// entries below the pair (dict comprehensions).
    MapAdd(Count),
    /// `[] -> [super]`: zero-argument `super()` inside a method: the class the function was
    /// defined in and the function's first argument.
    LoadSuper,
    /// `[mgr] -> [mgr, mgr.__enter__()]`: enters a context manager (`Lock.acquire` may block).
    WithEnter,
    /// `[mgr] -> []`: leaves a context manager normally, calling `__exit__(None, None, None)`.
    WithExit,
    /// `[mgr, exc] -> (raises exc)` unless `__exit__` suppresses it, then `[mgr, exc] -> []`:
    /// leaves a context manager because of an exception.
    WithExitExc,
}

/// Binary arithmetic and bitwise operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%` (also string formatting)
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
}

impl BinOp {
    /// The operator as written in Python.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `not x`
    Not,
    /// `~x`
    Invert,
}

impl UnaryOp {
    /// The operator as written in Python.
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Not => "not",
            UnaryOp::Invert => "~",
        }
    }
}

/// Comparison operators, including membership and identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `is`
    Is,
    /// `is not`
    IsNot,
}

impl CmpOp {
    /// The operator as written in Python.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

/// The conversion of an f-string field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// No conversion: `format(value, spec)`.
    None,
    /// `!s`
    Str,
    /// `!r`
    Repr,
    /// `!a`
    Ascii,
}
