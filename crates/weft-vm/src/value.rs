//! Runtime values: small, cheap to clone, `Send + Sync`.

use std::sync::Arc;

use crate::ObjId;

/// A Python value. Mutable and identity-carrying things live on the heap ([`Value::Obj`]);
/// immutable ones (numbers, strings, tuples, ranges) are held inline or behind an `Arc`.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// The content of a local slot that was never assigned (never visible to Python code).
    Unbound,
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// A 64-bit int.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(Arc<str>),
    /// A tuple.
    Tuple(Tuple),
    /// A `range` object.
    Range(Arc<RangeValue>),
    /// A heap object: list, dict, instance, class, function, lock, iterator, ...
    Obj(ObjId),
    /// A builtin function, type or module, or a library function.
    Builtin(Builtin),
    /// A user function bound to an instance.
    Method {
        /// The function.
        func: ObjId,
        /// The instance (`self`).
        receiver: ObjId,
    },
    /// A native method bound to a heap object (`lst.append`, `lock.acquire`).
    Native(Method, ObjId),
    /// A builtin called with an instance as its first argument (`super().__init__` of a native
    /// base class: `Thread.__init__` bound to `self`).
    BoundBuiltin(Builtin, ObjId),
    /// `super()`: attribute lookup on `receiver` that starts after `class` in its MRO.
    Super {
        /// The class whose bases are searched.
        class: ObjId,
        /// The instance (`self`).
        receiver: ObjId,
    },
    /// A native method bound to a string (`", ".join`).
    StrMethod(Method, Arc<str>),
}

/// The items of a tuple: shared, immutable, and dropped without recursion (a program can nest
/// tuples a million deep in a loop; a recursive drop would overflow the stack).
#[derive(Clone, Debug)]
pub(crate) struct Tuple(Arc<[Value]>);

impl Tuple {
    /// A tuple of these items.
    pub(crate) fn new(items: Vec<Value>) -> Tuple {
        Tuple(Arc::from(items))
    }

    /// Whether two tuples are the same object.
    pub(crate) fn ptr_eq(&self, other: &Tuple) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Tuple {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        &self.0
    }
}

impl Drop for Tuple {
    fn drop(&mut self) {
        let Some(items) = Arc::get_mut(&mut self.0) else {
            return;
        };
        // Move nested tuples that only we own onto a worklist, so each is dropped shallowly.
        let mut pending: Vec<Tuple> = Vec::new();
        let take_nested = |items: &mut [Value], pending: &mut Vec<Tuple>| {
            for item in items.iter_mut() {
                if let Value::Tuple(_) = item
                    && let Value::Tuple(nested) = std::mem::replace(item, Value::None)
                {
                    pending.push(nested);
                }
            }
        };
        take_nested(items, &mut pending);
        while let Some(mut tuple) = pending.pop() {
            if let Some(items) = Arc::get_mut(&mut tuple.0) {
                take_nested(items, &mut pending);
            }
        }
    }
}

/// `range(start, stop, step)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RangeValue {
    pub(crate) start: i64,
    pub(crate) stop: i64,
    pub(crate) step: i64,
}

impl RangeValue {
    /// The number of elements (saturating: a range longer than `i64::MAX` is never iterated to
    /// the end within the instruction limit).
    pub(crate) fn len(&self) -> i64 {
        let (start, stop, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if step > 0 && start < stop {
            (stop - start - 1) / step + 1
        } else if step < 0 && start > stop {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        };
        n.min(i64::MAX as i128) as i64
    }

    /// The element at `index` (which must be in range).
    pub(crate) fn at(&self, index: i64) -> i64 {
        (self.start as i128 + index as i128 * self.step as i128) as i64
    }
}

macro_rules! builtins {
    ($($variant:ident => $name:literal,)*) => {
        /// A builtin function, type, module or library function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum Builtin {
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant,
            )*
        }

        impl Builtin {
            /// The name as Python spells it (`print`, `threading.Lock` is `Lock`).
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Builtin::$variant => $name,)*
                }
            }
        }
    };
}

builtins! {
    Print => "print",
    Len => "len",
    Range => "range",
    Enumerate => "enumerate",
    Zip => "zip",
    Reversed => "reversed",
    Sorted => "sorted",
    Min => "min",
    Max => "max",
    Sum => "sum",
    Abs => "abs",
    Round => "round",
    Any => "any",
    All => "all",
    Isinstance => "isinstance",
    Repr => "repr",
    TypeStr => "str",
    TypeInt => "int",
    TypeFloat => "float",
    TypeBool => "bool",
    TypeList => "list",
    TypeTuple => "tuple",
    TypeDict => "dict",
    ModThreading => "threading",
    ModTime => "time",
    ModQueue => "queue",
    ModLogging => "logging",
    ModRandom => "random",
    ModSys => "sys",
    ModConcurrent => "concurrent",
    ModFutures => "concurrent.futures",
    Lock => "Lock",
    RLock => "RLock",
    CurrentThread => "current_thread",
    MainThread => "main_thread",
    ActiveCount => "active_count",
    ThreadingEnumerate => "enumerate",
    GetIdent => "get_ident",
    Sleep => "sleep",
    Time => "time",
    Monotonic => "monotonic",
    PerfCounter => "perf_counter",
    ThreadInit => "__init__",
    ThreadRun => "run",
    ThreadStart => "start",
    ThreadJoin => "join",
    ThreadIsAlive => "is_alive",
    ThreadGetName => "getName",
    ObjectInit => "__init__",
    ExceptionInit => "__init__",
    SyncInit => "__init__",
    TimerInit => "__init__",
    TimerCancel => "cancel",
    AsCompleted => "as_completed",
    FuturesWait => "wait",
    LogBasicConfig => "basicConfig",
    LogDebug => "debug",
    LogInfo => "info",
    LogWarning => "warning",
    LogError => "error",
    LogCritical => "critical",
    RandRandom => "random",
    RandRandint => "randint",
    RandRandrange => "randrange",
    RandUniform => "uniform",
    RandChoice => "choice",
    RandShuffle => "shuffle",
    RandSeed => "seed",
    SysSetSwitchInterval => "setswitchinterval",
    SysGetSwitchInterval => "getswitchinterval",
    Super => "super",
    Type => "type",
}

impl Builtin {
    /// Whether this builtin is a module.
    pub(crate) fn is_module(self) -> bool {
        matches!(
            self,
            Builtin::ModThreading
                | Builtin::ModTime
                | Builtin::ModQueue
                | Builtin::ModLogging
                | Builtin::ModRandom
                | Builtin::ModSys
                | Builtin::ModConcurrent
                | Builtin::ModFutures
        )
    }

    /// Whether this builtin is a type (usable with `isinstance`).
    pub(crate) fn is_type(self) -> bool {
        matches!(
            self,
            Builtin::TypeStr
                | Builtin::TypeInt
                | Builtin::TypeFloat
                | Builtin::TypeBool
                | Builtin::TypeList
                | Builtin::TypeTuple
                | Builtin::TypeDict
                | Builtin::Type
        )
    }
}

macro_rules! methods {
    ($($variant:ident => $name:literal,)*) => {
        /// A native method of a list, dict, str, lock, thread or library object.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum Method {
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant,
            )*
        }

        impl Method {
            /// The method name.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Method::$variant => $name,)*
                }
            }
        }
    };
}

methods! {
    ListAppend => "append",
    ListPop => "pop",
    ListExtend => "extend",
    ListInsert => "insert",
    ListRemove => "remove",
    ListIndex => "index",
    ListCount => "count",
    ListClear => "clear",
    ListCopy => "copy",
    ListReverse => "reverse",
    ListSort => "sort",
    DictGet => "get",
    DictKeys => "keys",
    DictValues => "values",
    DictItems => "items",
    DictPop => "pop",
    DictSetdefault => "setdefault",
    DictUpdate => "update",
    DictClear => "clear",
    DictCopy => "copy",
    StrFormat => "format",
    StrJoin => "join",
    StrSplit => "split",
    StrStrip => "strip",
    StrLstrip => "lstrip",
    StrRstrip => "rstrip",
    StrUpper => "upper",
    StrLower => "lower",
    StrReplace => "replace",
    StrStartswith => "startswith",
    StrEndswith => "endswith",
    StrFind => "find",
    StrCount => "count",
    StrIsdigit => "isdigit",
    StrIsalpha => "isalpha",
    StrCapitalize => "capitalize",
    StrTitle => "title",
    StrLjust => "ljust",
    StrRjust => "rjust",
    StrCenter => "center",
    StrZfill => "zfill",
    StrIndex => "index",
    LockAcquire => "acquire",
    LockRelease => "release",
    LockLocked => "locked",
    LockEnter => "__enter__",
    LockExit => "__exit__",
    ThreadStart => "start",
    ThreadJoin => "join",
    ThreadIsAlive => "is_alive",
    ThreadRun => "run",
    ThreadGetName => "getName",
    TimerCancel => "cancel",
    SemAcquire => "acquire",
    SemRelease => "release",
    SemEnter => "__enter__",
    SemExit => "__exit__",
    EventSet => "set",
    EventClear => "clear",
    EventIsSet => "is_set",
    EventWait => "wait",
    CondAcquire => "acquire",
    CondRelease => "release",
    CondEnter => "__enter__",
    CondExit => "__exit__",
    CondWait => "wait",
    CondWaitFor => "wait_for",
    CondNotify => "notify",
    CondNotifyAll => "notify_all",
    BarrierWait => "wait",
    BarrierAbort => "abort",
    BarrierReset => "reset",
    QueuePut => "put",
    QueueGet => "get",
    QueuePutNowait => "put_nowait",
    QueueGetNowait => "get_nowait",
    QueueQsize => "qsize",
    QueueEmpty => "empty",
    QueueFull => "full",
    QueueTaskDone => "task_done",
    QueueJoin => "join",
    ExecSubmit => "submit",
    ExecMap => "map",
    ExecShutdown => "shutdown",
    ExecEnter => "__enter__",
    ExecExit => "__exit__",
    FutureResult => "result",
    FutureException => "exception",
    FutureDone => "done",
    FutureRunning => "running",
    FutureCancelled => "cancelled",
    FutureCancel => "cancel",
}

impl Value {
    /// A string value.
    pub(crate) fn str(text: &str) -> Value {
        Value::Str(Arc::from(text))
    }

    /// A tuple value.
    pub(crate) fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Tuple::new(items))
    }

    /// Whether this is `None`.
    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_stays_small() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
    }

    #[test]
    fn deeply_nested_tuples_drop_without_recursion() {
        let mut value = Value::tuple(Vec::new());
        for _ in 0..1_000_000 {
            value = Value::tuple(vec![value, Value::Int(1)]);
        }
        drop(value);
    }

    #[test]
    fn vm_is_send_and_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<crate::Vm>();
    }

    #[test]
    fn range_len() {
        let r = |start, stop, step| RangeValue { start, stop, step }.len();
        assert_eq!(r(0, 10, 1), 10);
        assert_eq!(r(0, 10, 3), 4);
        assert_eq!(r(10, 0, -3), 4);
        assert_eq!(r(0, 0, 1), 0);
        assert_eq!(r(5, 0, 1), 0);
    }
}
