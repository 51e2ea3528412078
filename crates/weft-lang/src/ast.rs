//! weft's own syntax tree for the supported Python subset: what `lower` produces from the
//! parser's tree and what `compile` turns into bytecode.
//!
//! Only constructs weft supports have a node here, so every construct the compiler sees is one
//! it can compile; everything else was already reported by `lower`. The tree's depth is bounded
//! by `lower` (see `lower::MAX_DEPTH`), so the compiler may recurse over it freely.

use weft_bytecode::{BinOp, CmpOp, Conversion, UnaryOp};

/// A byte range in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// A name with the span where it is written.
#[derive(Clone, Debug)]
pub(crate) struct Ident {
    pub(crate) name: String,
    pub(crate) span: Span,
}

/// A statement.
#[derive(Debug)]
pub(crate) struct Stmt {
    pub(crate) kind: StmtKind,
    pub(crate) span: Span,
}

/// The kinds of statement weft supports.
#[derive(Debug)]
pub(crate) enum StmtKind {
    /// An expression whose value is discarded.
    Expr(Expr),
    /// `t1 = t2 = value`.
    Assign {
        targets: Vec<Expr>,
        value: Expr,
    },
    /// `target op= value`.
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    /// `if test: body else: orelse` (`elif` is a nested `If` in `orelse`).
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `while test: body else: orelse`.
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `for target in iter: body else: orelse`.
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `with item1, item2: body`, compiled as nested `with`s.
    With {
        items: Vec<WithItem>,
        body: Vec<Stmt>,
    },
    Break,
    Continue,
    Pass,
    /// `return [value]`.
    Return(Option<Expr>),
    /// `global a, b`.
    Global(Vec<Ident>),
    /// `nonlocal a, b`.
    Nonlocal(Vec<Ident>),
    /// `del a, b[k]`: names and subscripts.
    Delete(Vec<Expr>),
    /// `try: body except ...: ... else: orelse finally: finalbody`.
    Try(Box<Try>),
    FunctionDef(Box<FunctionDef>),
    ClassDef(Box<ClassDef>),
    /// `assert test[, msg]`.
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    /// `raise [exc [from cause]]`.
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
    },
    /// `import a as b, c`.
    Import(Vec<ImportName>),
    /// `from module import a as b, c`.
    ImportFrom {
        module: Ident,
        names: Vec<ImportName>,
    },
}

/// A `try` statement.
#[derive(Debug)]
pub(crate) struct Try {
    pub(crate) body: Vec<Stmt>,
    pub(crate) handlers: Vec<ExceptHandler>,
    pub(crate) orelse: Vec<Stmt>,
    pub(crate) finalbody: Vec<Stmt>,
}

/// One `except [type [as name]]:` clause.
#[derive(Debug)]
pub(crate) struct ExceptHandler {
    pub(crate) type_: Option<Expr>,
    pub(crate) name: Option<Ident>,
    pub(crate) body: Vec<Stmt>,
    pub(crate) span: Span,
}

/// One `with` item: `context [as target]`.
#[derive(Debug)]
pub(crate) struct WithItem {
    pub(crate) context: Expr,
    pub(crate) target: Option<Expr>,
}

/// One imported name: `name [as alias]`.
#[derive(Debug)]
pub(crate) struct ImportName {
    pub(crate) name: Ident,
    pub(crate) alias: Option<Ident>,
}

impl ImportName {
    /// The name the import binds: the alias, else the first component (`import a.b` binds `a`).
    pub(crate) fn bound(&self) -> Ident {
        match &self.alias {
            Some(alias) => alias.clone(),
            None => Ident {
                name: self
                    .name
                    .name
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                span: self.name.span,
            },
        }
    }
}

/// A `def`, a `lambda` (named `<lambda>`, its body one `return`) or a comprehension's
/// implicit function.
#[derive(Debug)]
pub(crate) struct FunctionDef {
    pub(crate) name: Ident,
    /// Positional-or-keyword parameters with their optional default values.
    pub(crate) params: Vec<(Ident, Option<Expr>)>,
    /// The `*args` parameter.
    pub(crate) varargs: Option<Ident>,
    /// Keyword-only parameters (after `*` or `*args`) with their optional default values.
    pub(crate) kwonly: Vec<(Ident, Option<Expr>)>,
    /// The `**kwargs` parameter.
    pub(crate) varkw: Option<Ident>,
    pub(crate) body: Vec<Stmt>,
}

impl FunctionDef {
    /// Every parameter name in local-slot order: positional, keyword-only, `*args`,
    /// `**kwargs`.
    pub(crate) fn param_names(&self) -> impl Iterator<Item = &Ident> {
        self.params
            .iter()
            .chain(&self.kwonly)
            .map(|(name, _)| name)
            .chain(&self.varargs)
            .chain(&self.varkw)
    }
}

/// A `class`.
#[derive(Debug)]
pub(crate) struct ClassDef {
    pub(crate) name: Ident,
    pub(crate) base: Option<Expr>,
    /// Members in source order.
    pub(crate) members: Vec<ClassMember>,
}

/// One member of a class body.
#[derive(Debug)]
pub(crate) enum ClassMember {
    /// A method.
    Method(FunctionDef),
    /// `name = value`.
    Attr { name: Ident, value: Expr },
}

/// An expression.
#[derive(Debug)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) span: Span,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

/// The kinds of expression weft supports.
#[derive(Debug)]
pub(crate) enum ExprKind {
    Literal(Literal),
    Name(String),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    BinOp {
        left: Box<Expr>,
        op: BinOp,
        right: Box<Expr>,
    },
    UnaryOp {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    /// `a and b and c` (`is_and`) or `a or b or c`.
    BoolOp {
        is_and: bool,
        values: Vec<Expr>,
    },
    /// `left op1 c1 op2 c2 ...`.
    Compare {
        left: Box<Expr>,
        comparisons: Vec<(CmpOp, Expr)>,
    },
    /// `body if test else orelse`.
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        /// `name=value`, or `**value` when the name is `None`.
        keywords: Vec<(Option<Ident>, Expr)>,
    },
    Attribute {
        value: Box<Expr>,
        attr: Ident,
    },
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    /// An f-string (possibly implicitly concatenated with plain strings).
    FString(Vec<FStringPiece>),
    /// `lower:upper:step`, only as the index of a subscript that is read; each part may be
    /// missing.
    Slice([Option<Box<Expr>>; 3]),
    /// `*value` as an argument of a call.
    Starred(Box<Expr>),
    /// `lambda params: body`.
    Lambda(Box<FunctionDef>),
    /// A list or dict comprehension, or a generator expression compiled as a list one.
    Comprehension(Box<Comprehension>),
}

/// What a comprehension builds.
#[derive(Debug)]
pub(crate) enum ComprehensionKind {
    /// `[elt for ...]`.
    List(Expr),
    /// `(elt for ...)` as the sole argument of a call: built eagerly, like a list.
    Generator(Expr),
    /// `{key: value for ...}`.
    Dict(Expr, Expr),
}

/// A comprehension: its own scope, like a function called with the first iterator.
#[derive(Debug)]
pub(crate) struct Comprehension {
    pub(crate) kind: ComprehensionKind,
    /// The `for` clauses, outermost first; at least one.
    pub(crate) clauses: Vec<ComprehensionFor>,
}

impl Comprehension {
    /// The implicit function's name (`<listcomp>`), as CPython 3.11 names it.
    pub(crate) fn name(&self) -> &'static str {
        match self.kind {
            ComprehensionKind::List(_) => "<listcomp>",
            ComprehensionKind::Generator(_) => "<genexpr>",
            ComprehensionKind::Dict(..) => "<dictcomp>",
        }
    }
}

/// `for target in iter if cond1 if cond2`.
#[derive(Debug)]
pub(crate) struct ComprehensionFor {
    pub(crate) target: Expr,
    pub(crate) iter: Expr,
    pub(crate) ifs: Vec<Expr>,
}

/// A piece of an f-string.
#[derive(Debug)]
pub(crate) enum FStringPiece {
    /// Literal text.
    Text(String),
    /// `{value!conversion:spec}`; the spec is itself a list of pieces.
    Field {
        value: Box<Expr>,
        conversion: Conversion,
        spec: Option<Vec<FStringPiece>>,
    },
}
