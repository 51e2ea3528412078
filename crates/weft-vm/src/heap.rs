//! Heap objects, indexed by [`ObjId`] (private garbage is reclaimed by `gc.rs`).

use std::sync::Arc;

use weft_bytecode::{CodeId, NameId};

use crate::dict::Dict;
use crate::value::{RangeValue, Tuple, Value};
use crate::{ObjId, ThreadId};

/// One heap slot.
#[derive(Clone, Debug)]
pub(crate) struct HeapEntry {
    pub(crate) object: Object,
    /// Where the object was first stored, for [`crate::Vm::describe_object`].
    pub(crate) label: Label,
    /// Whether more than one thread may reach the object. A new object is private to the
    /// thread that created it until a reference to it is stored somewhere shared (see
    /// `Vm::publish`); accesses to a private object are local computation.
    pub(crate) shared: bool,
}

/// A human-readable name for an object: the global or `Class.attr` it was first stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    /// Never stored anywhere named.
    None,
    /// First stored in this global.
    Global(NameId),
    /// First stored as this attribute of an instance of (or of) this class.
    Attr(ObjId, NameId),
}

/// A heap object.
#[derive(Clone, Debug)]
pub(crate) enum Object {
    /// A list.
    List(Vec<Value>),
    /// A dict.
    Dict(Dict),
    /// An instance of a class (user objects, exceptions, threads).
    Instance(Instance),
    /// A class.
    Class(Class),
    /// A user function.
    Function(Function),
    /// A cell: a function's local variable that a nested function captures.
    Cell(Cell),
    /// A `Lock` or `RLock`.
    Lock(LockObject),
    /// A live view of a dict (`d.keys()`, `d.values()`, `d.items()`).
    DictView { dict: ObjId, kind: ViewKind },
    /// An iterator; `true` when only a loop's operand stack references it (it is recycled when
    /// the loop ends).
    Iter(Iter, bool),
    /// A recycled iterator slot.
    Free,
}

/// An attribute table in insertion order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Attrs(Vec<(NameId, Value)>);

impl Attrs {
    /// The attribute's value.
    pub(crate) fn get(&self, name: NameId) -> Option<&Value> {
        self.0
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// The attribute values.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, value)| value)
    }

    /// Removes an attribute; whether it was there.
    pub(crate) fn remove(&mut self, name: NameId) -> bool {
        let before = self.0.len();
        self.0.retain(|(key, _)| *key != name);
        self.0.len() < before
    }

    /// Sets (or adds) an attribute.
    pub(crate) fn set(&mut self, name: NameId, value: Value) {
        match self.0.iter_mut().find(|(key, _)| *key == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }
}

/// An instance of a class.
#[derive(Clone, Debug)]
pub(crate) struct Instance {
    pub(crate) class: ObjId,
    pub(crate) attrs: Attrs,
    pub(crate) payload: Payload,
}

/// What a native base class adds to an instance.
#[derive(Clone, Debug)]
pub(crate) enum Payload {
    /// A plain object.
    None,
    /// An exception.
    Exception(Box<ExceptionData>),
    /// A `threading.Thread`.
    Thread(Box<ThreadObject>),
    /// A library synchronisation object (`Semaphore`, `Event`, `Queue`, a thread pool, ...).
    Sync(Box<crate::library::SyncState>),
}

/// The native part of an exception.
#[derive(Clone, Debug)]
pub(crate) struct ExceptionData {
    pub(crate) args: Tuple,
    /// `__context__`: the exception being handled when this one was raised.
    pub(crate) context: Option<ObjId>,
    /// `__cause__`: set by `raise ... from cause`.
    pub(crate) cause: Option<ObjId>,
    /// `__suppress_context__`: set by `raise ... from ...`.
    pub(crate) suppress_context: bool,
    /// Innermost entry first (the order in which unwinding adds them).
    pub(crate) traceback: Vec<TracebackEntry>,
}

impl ExceptionData {
    /// A fresh exception's data: these args, no traceback, context or cause.
    pub(crate) fn new(args: Tuple) -> ExceptionData {
        ExceptionData {
            args,
            traceback: Vec::new(),
            context: None,
            cause: None,
            suppress_context: false,
        }
    }
}

/// One frame of a traceback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TracebackEntry {
    pub(crate) code: CodeId,
    pub(crate) line: u32,
    /// The frame's depth in its thread, to add each frame once while unwinding.
    pub(crate) depth: u32,
}

/// The native part of a `threading.Thread`.
#[derive(Clone, Debug)]
pub(crate) struct ThreadObject {
    pub(crate) name: Arc<str>,
    pub(crate) target: Value,
    pub(crate) args: Value,
    pub(crate) kwargs: Value,
    pub(crate) daemon: bool,
    /// Whether `Thread.__init__` ran (a subclass may forget to call it).
    pub(crate) initialized: bool,
    /// The virtual thread, once started.
    pub(crate) thread: Option<ThreadId>,
    /// What the thread runs: its target, a `Timer`'s delayed call, or a pool's work items.
    pub(crate) role: ThreadRole,
}

/// What a thread runs besides (or instead of) its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ThreadRole {
    /// A plain thread: `run()`, which calls the target.
    Plain,
    /// A `threading.Timer`: its target runs after the interval unless it was cancelled first.
    Timer {
        /// Whether `cancel()` was called.
        cancelled: bool,
        /// The interval, in nanoseconds (for `--time virtual`).
        interval_ns: u64,
    },
    /// A `ThreadPoolExecutor` worker: runs the executor's work items until shutdown.
    Worker {
        /// The executor.
        executor: ObjId,
    },
}

/// What native class a class derives from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NativeKind {
    /// `object` (plain user classes).
    Object,
    /// `BaseException` and its subclasses.
    Exception,
    /// `threading.Thread` and its subclasses.
    Thread,
    /// `threading.Timer` and its subclasses.
    Timer,
    /// A library synchronisation class and its subclasses.
    Sync(crate::library::SyncClass),
}

/// A class.
#[derive(Clone, Debug)]
pub(crate) struct Class {
    pub(crate) name: Arc<str>,
    /// `builtins`, `threading` or `__main__`.
    pub(crate) module: &'static str,
    pub(crate) base: Option<ObjId>,
    pub(crate) attrs: Attrs,
    pub(crate) native: NativeKind,
}

/// A user function.
#[derive(Clone, Debug)]
pub(crate) struct Function {
    pub(crate) code: CodeId,
    pub(crate) defaults: Tuple,
    /// The defaults of the keyword-only parameters, in order (`Unbound` for none).
    pub(crate) kw_defaults: Tuple,
    /// The cells of the code's free variables, in slot order.
    pub(crate) closure: Tuple,
    /// The class whose body defined the function (or the function it was defined in), for
    /// zero-argument `super()`.
    pub(crate) class: Option<ObjId>,
}

/// A cell, with the variable it implements (for describing its location).
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub(crate) value: Value,
    /// The code object and local slot of the variable.
    pub(crate) code: CodeId,
    pub(crate) slot: u32,
}

/// A `Lock` or an `RLock`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LockObject {
    pub(crate) reentrant: bool,
    pub(crate) owner: Option<ThreadId>,
    /// The recursion count (0 or 1 for a `Lock`).
    pub(crate) count: u32,
}

impl LockObject {
    /// Whether a blocking acquire by `thread` can proceed now.
    pub(crate) fn can_acquire(&self, thread: ThreadId) -> bool {
        self.count == 0 || (self.reentrant && self.owner == Some(thread))
    }

    /// The name Python gives the type.
    pub(crate) fn type_name(&self) -> &'static str {
        if self.reentrant {
            "_thread.RLock"
        } else {
            "_thread.lock"
        }
    }
}

/// What a dict view or dict iterator yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ViewKind {
    /// Keys.
    Keys,
    /// Values.
    Values,
    /// `(key, value)` tuples.
    Items,
}

impl ViewKind {
    /// The view's type name (`dict_keys`).
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            ViewKind::Keys => "dict_keys",
            ViewKind::Values => "dict_values",
            ViewKind::Items => "dict_items",
        }
    }
}

/// An iterator.
#[derive(Clone, Debug)]
pub(crate) enum Iter {
    /// Over a `range`.
    Range { range: RangeValue, index: i64 },
    /// Over a list (each step reads it: visible when the list is shared).
    List { list: ObjId, index: usize },
    /// Over a dict's keys, values or items (each step reads it).
    Dict {
        dict: ObjId,
        index: usize,
        len: usize,
        kind: ViewKind,
    },
    /// Over a snapshot of values (tuples, materialised results).
    Seq { items: Tuple, index: usize },
    /// Over the characters of a string.
    Str { text: Arc<str>, offset: usize },
    /// `enumerate(inner, start)`.
    Enumerate { inner: ObjId, count: i64 },
    /// `executor.map(...)`'s results, or `concurrent.futures.as_completed(fs)`.
    Futures(Box<crate::library::FuturesIter>),
}

impl Object {
    /// Pushes every value this object refers to (what the collector marks and what publishing
    /// an object publishes: the two traversals must agree, so they share this).
    pub(crate) fn push_children(&self, out: &mut Vec<Value>) {
        match self {
            Object::List(items) => out.extend(items.iter().cloned()),
            Object::Dict(dict) => {
                for entry in dict.entries() {
                    out.push(entry.key.clone());
                    out.push(entry.value.clone());
                }
            }
            Object::Instance(instance) => {
                out.push(Value::Obj(instance.class));
                out.extend(instance.attrs.values().cloned());
                match &instance.payload {
                    Payload::None => {}
                    Payload::Exception(data) => {
                        out.push(Value::Tuple(data.args.clone()));
                        out.extend(
                            data.context
                                .iter()
                                .chain(&data.cause)
                                .map(|id| Value::Obj(*id)),
                        );
                    }
                    Payload::Thread(data) => {
                        out.push(data.target.clone());
                        out.push(data.args.clone());
                        out.push(data.kwargs.clone());
                    }
                    Payload::Sync(state) => state.push_children(out),
                }
            }
            Object::Class(class) => {
                if let Some(base) = class.base {
                    out.push(Value::Obj(base));
                }
                out.extend(class.attrs.values().cloned());
            }
            Object::Function(function) => {
                out.extend(function.defaults.iter().cloned());
                out.extend(function.kw_defaults.iter().cloned());
                out.extend(function.closure.iter().cloned());
            }
            Object::Cell(cell) => out.push(cell.value.clone()),
            Object::Iter(iter, _) => match iter {
                Iter::List { list, .. } => out.push(Value::Obj(*list)),
                Iter::Dict { dict, .. } => out.push(Value::Obj(*dict)),
                Iter::Seq { items, .. } => out.extend(items.iter().cloned()),
                Iter::Enumerate { inner, .. } => out.push(Value::Obj(*inner)),
                Iter::Futures(state) => {
                    out.extend(state.futures.iter().map(|future| Value::Obj(*future)));
                }
                Iter::Range { .. } | Iter::Str { .. } => {}
            },
            Object::DictView { dict, .. } => out.push(Value::Obj(*dict)),
            Object::Lock(_) | Object::Free => {}
        }
    }
}
