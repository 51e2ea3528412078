//! The builtin classes (`object`, the exception hierarchy, `threading.Thread`), raising
//! exceptions from native code, and printing tracebacks.

use std::fmt::Write;
use std::sync::Arc;

use crate::ObjId;
use crate::heap::{
    Attrs, Class, ExceptionData, HeapEntry, Instance, Label, NativeKind, Object, Payload,
};
use crate::interp::Interrupt;
use crate::library::SyncClass;
use crate::value::{Tuple, Value};
use crate::vm::Vm;

/// Declares the native exception classes: `Name => Parent,` for a builtin, or
/// `Name => Parent in "module",` for a library exception (`Empty => Exception in "queue",`),
/// whose tracebacks then say `queue.Empty`. Adding a line is all a new native exception needs:
/// it becomes a heap class like the others, matched by `except` through the class hierarchy.
/// A name listed in `weft_bytecode::BUILTINS` is also a builtin.
macro_rules! exception_kinds {
    ($($variant:ident => $parent:ident $(in $module:literal)?,)*) => {
        /// The native exception classes, in heap order after `object`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum ExcKind {
            $(
                #[doc = concat!("`", stringify!($variant), "`.")]
                $variant,
            )*
        }

        impl ExcKind {
            /// Every kind, in declaration (= heap) order.
            pub(crate) const ALL: &'static [ExcKind] = &[$(ExcKind::$variant,)*];

            /// The class name.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(ExcKind::$variant => stringify!($variant),)*
                }
            }

            /// The module that defines the class (`builtins` unless declared otherwise).
            pub(crate) fn module(self) -> &'static str {
                match self {
                    $(ExcKind::$variant => exception_kinds!(@module $($module)?),)*
                }
            }

            /// The parent class (`None` for `BaseException`, whose parent is `object`).
            fn parent(self) -> Option<ExcKind> {
                match self {
                    $(ExcKind::$variant => exception_kinds!(@parent $parent),)*
                }
            }
        }
    };
    (@module) => { "builtins" };
    (@module $module:literal) => { $module };
    (@parent Object) => { None };
    (@parent $parent:ident) => { Some(ExcKind::$parent) };
}

exception_kinds! {
    BaseException => Object,
    Exception => BaseException,
    ArithmeticError => Exception,
    AssertionError => Exception,
    AttributeError => Exception,
    LookupError => Exception,
    IndexError => LookupError,
    KeyError => LookupError,
    NameError => Exception,
    UnboundLocalError => NameError,
    RuntimeError => Exception,
    NotImplementedError => RuntimeError,
    RecursionError => RuntimeError,
    OverflowError => ArithmeticError,
    ZeroDivisionError => ArithmeticError,
    StopIteration => Exception,
    TimeoutError => Exception,
    TypeError => Exception,
    ValueError => Exception,
    Empty => Exception in "_queue",
    Full => Exception in "queue",
    BrokenBarrierError => RuntimeError in "threading",
    CancelledError => Exception in "concurrent.futures._base",
}

/// The class `object`.
pub(crate) const OBJECT_CLASS: ObjId = ObjId(0);

/// The class of a builtin exception kind.
pub(crate) fn exc_class(kind: ExcKind) -> ObjId {
    ObjId(1 + kind as u32)
}

/// `threading.Thread`.
pub(crate) const THREAD_CLASS: ObjId = ObjId(1 + ExcKind::ALL.len() as u32);

/// `threading._MainThread`.
pub(crate) const MAIN_THREAD_CLASS: ObjId = ObjId(2 + ExcKind::ALL.len() as u32);

/// `threading.Timer`.
pub(crate) const TIMER_CLASS: ObjId = ObjId(3 + ExcKind::ALL.len() as u32);

/// The class of a library synchronisation class.
pub(crate) fn sync_class(kind: SyncClass) -> ObjId {
    ObjId(4 + ExcKind::ALL.len() as u32 + kind as u32)
}

/// The builtin classes, to be placed at the start of the heap.
pub(crate) fn builtin_classes() -> Vec<HeapEntry> {
    let class =
        |name: &str, module: &'static str, base: Option<ObjId>, native: NativeKind| HeapEntry {
            object: Object::Class(Class {
                name: Arc::from(name),
                module,
                base,
                attrs: Attrs::default(),
                native,
            }),
            label: Label::None,
            shared: true,
        };
    let mut heap = vec![class("object", "builtins", None, NativeKind::Object)];
    for kind in ExcKind::ALL {
        let base = kind.parent().map_or(OBJECT_CLASS, exc_class);
        heap.push(class(
            kind.name(),
            kind.module(),
            Some(base),
            NativeKind::Exception,
        ));
    }
    heap.push(class(
        "Thread",
        "threading",
        Some(OBJECT_CLASS),
        NativeKind::Thread,
    ));
    heap.push(class(
        "_MainThread",
        "threading",
        Some(THREAD_CLASS),
        NativeKind::Thread,
    ));
    heap.push(class(
        "Timer",
        "threading",
        Some(THREAD_CLASS),
        NativeKind::Timer,
    ));
    for kind in SyncClass::ALL {
        heap.push(class(
            kind.name(),
            kind.module(),
            Some(OBJECT_CLASS),
            NativeKind::Sync(*kind),
        ));
    }
    heap
}

impl Vm {
    /// A new exception instance of a builtin kind with these args.
    pub(crate) fn new_exception(&mut self, kind: ExcKind, args: Vec<Value>) -> ObjId {
        self.alloc(Object::Instance(Instance {
            class: exc_class(kind),
            attrs: Attrs::default(),
            payload: Payload::Exception(Box::new(ExceptionData::new(Tuple::new(args)))),
        }))
    }

    /// An interrupt raising `kind(message)` (no args when the message is empty).
    pub(crate) fn error(&mut self, kind: ExcKind, message: impl Into<String>) -> Interrupt {
        let message = message.into();
        let args = if message.is_empty() {
            Vec::new()
        } else {
            vec![Value::Str(Arc::from(message))]
        };
        Interrupt::Raise(self.new_exception(kind, args))
    }

    /// `TypeError(message)`.
    pub(crate) fn type_error(&mut self, message: impl Into<String>) -> Interrupt {
        self.error(ExcKind::TypeError, message)
    }

    /// `ValueError(message)`.
    pub(crate) fn value_error(&mut self, message: impl Into<String>) -> Interrupt {
        self.error(ExcKind::ValueError, message)
    }

    /// `KeyError(key)`.
    pub(crate) fn key_error(&mut self, key: Value) -> Interrupt {
        Interrupt::Raise(self.new_exception(ExcKind::KeyError, vec![key]))
    }

    /// `NotImplementedError` for something weft does not model yet.
    pub(crate) fn unsupported(&mut self, what: &str) -> Interrupt {
        self.error(
            ExcKind::NotImplementedError,
            format!("weft does not support {what} yet"),
        )
    }

    /// `OverflowError` for an int result beyond 64 bits.
    pub(crate) fn int_overflow(&mut self) -> Interrupt {
        self.error(
            ExcKind::OverflowError,
            "int result does not fit in 64 bits (weft ints are 64-bit)",
        )
    }

    /// Whether `class` is `ancestor` or derives from it.
    pub(crate) fn is_subclass(&self, class: ObjId, ancestor: ObjId) -> bool {
        let mut current = Some(class);
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            current = match &self.heap[id.index()].object {
                Object::Class(class) => class.base,
                _ => None,
            };
        }
        false
    }

    /// The exception data of an exception instance.
    pub(crate) fn exception_data(&self, exc: ObjId) -> Option<&ExceptionData> {
        match &self.heap[exc.index()].object {
            Object::Instance(Instance {
                payload: Payload::Exception(data),
                ..
            }) => Some(data),
            _ => None,
        }
    }

    /// The exception data of an exception instance, mutably.
    pub(crate) fn exception_data_mut(&mut self, exc: ObjId) -> Option<&mut ExceptionData> {
        match &mut self.heap[exc.index()].object {
            Object::Instance(Instance {
                payload: Payload::Exception(data),
                ..
            }) => Some(data),
            _ => None,
        }
    }

    /// The class of a heap instance.
    pub(crate) fn class_of(&self, obj: ObjId) -> Option<ObjId> {
        match &self.heap[obj.index()].object {
            Object::Instance(instance) => Some(instance.class),
            _ => None,
        }
    }

    /// `str(exc)`: empty for no args, `str(arg)` for one (`repr` for `KeyError`), else the
    /// repr of the args tuple.
    pub(crate) fn exception_message(&mut self, exc: ObjId) -> String {
        let Some(data) = self.exception_data(exc) else {
            return String::new();
        };
        let args = data.args.clone();
        let is_key_error = self
            .class_of(exc)
            .is_some_and(|class| self.is_subclass(class, exc_class(ExcKind::KeyError)));
        match args.len() {
            0 => String::new(),
            1 if is_key_error => self.repr_or_placeholder(&args[0]),
            1 => self.str_or_placeholder(&args[0]),
            _ => self.repr_or_placeholder(&Value::Tuple(args)),
        }
    }

    /// The last line of a traceback: `TYPE: MESSAGE`, or `TYPE` for an empty message. Like
    /// CPython, the class is qualified with its module unless that is `builtins` or `__main__`.
    pub(crate) fn exception_summary(&mut self, exc: ObjId) -> String {
        let class = self.class_of(exc).unwrap_or(OBJECT_CLASS);
        let name = match &self.heap[class.index()].object {
            Object::Class(class) if matches!(class.module, "builtins" | "__main__") => {
                class.name.to_string()
            }
            Object::Class(class) => format!("{}.{}", class.module, class.name),
            _ => "Exception".to_owned(),
        };
        let message = self.exception_message(exc);
        if message.is_empty() {
            name
        } else {
            format!("{name}: {message}")
        }
    }

    /// The full traceback text of an uncaught exception, after those of its cause or context
    /// (CPython's chained report).
    pub(crate) fn format_traceback(&mut self, exc: ObjId) -> String {
        // The chain, the uncaught exception first, each with what links it to the previous one.
        let mut chain: Vec<(ObjId, &str)> = Vec::new();
        let mut current = Some(exc);
        while let Some(id) = current.filter(|id| chain.iter().all(|(seen, _)| seen != id)) {
            let data = self.exception_data(id);
            current = data.and_then(|data| data.cause);
            let link = if current.is_some() {
                "\nThe above exception was the direct cause of the following exception:\n\n"
            } else {
                current = data
                    .filter(|data| !data.suppress_context)
                    .and_then(|data| data.context);
                "\nDuring handling of the above exception, another exception occurred:\n\n"
            };
            chain.push((id, link));
        }
        let mut out = String::new();
        for (index, (id, _)) in chain.iter().enumerate().rev() {
            out.push_str(&self.format_one_traceback(*id));
            if index > 0 {
                out.push_str(chain[index - 1].1);
            }
        }
        out
    }

    /// One exception's traceback (without its cause or context).
    fn format_one_traceback(&mut self, exc: ObjId) -> String {
        let mut out = String::new();
        let entries = self
            .exception_data(exc)
            .map(|data| data.traceback.clone())
            .unwrap_or_default();
        if !entries.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
        }
        for entry in entries.iter().rev() {
            let code = self.program.code(entry.code);
            let _ = writeln!(
                out,
                "  File \"{}\", line {}, in {}",
                self.program.file_name, entry.line, code.name
            );
        }
        out.push_str(&self.exception_summary(exc));
        out.push('\n');
        out
    }
}
