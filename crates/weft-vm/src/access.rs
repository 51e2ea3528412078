//! Reading and writing inside values: attributes, subscripts, dict entries and iteration.
//! Visibility is decided by the callers (the instruction handlers and natives) before these run.

use std::sync::Arc;

use weft_bytecode::NameId;

use crate::exceptions::{ExcKind, THREAD_CLASS, TIMER_CLASS, exc_class};
use crate::heap::{Iter, Label, NativeKind, Object, Payload, ViewKind};
use crate::interp::Res;
use crate::library::SyncClass;
use crate::value::{Builtin, Method, Value};
use crate::vm::{Phase, Vm};
use crate::{Access, Location, ObjId};

impl Vm {
    /// `obj.name`.
    pub(crate) fn get_attr(&mut self, obj: &Value, name: NameId) -> Res<Value> {
        if let Some(value) = self.find_attr(obj, name)? {
            return Ok(value);
        }
        Err(self.attribute_error(obj, name))
    }

    /// The `AttributeError` for a missing attribute.
    pub(crate) fn attribute_error(
        &mut self,
        obj: &Value,
        name: NameId,
    ) -> crate::interp::Interrupt {
        let text = self.name_text(name).to_owned();
        let message = match obj {
            Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Class(_)) => {
                format!(
                    "type object '{}' has no attribute '{text}'",
                    self.class_name(*id)
                )
            }
            Value::Builtin(module) if module.is_module() => {
                format!("module '{}' has no attribute '{text}'", module.name())
            }
            _ => format!("'{}' object has no attribute '{text}'", self.type_name(obj)),
        };
        self.error(ExcKind::AttributeError, message)
    }

    fn find_attr(&mut self, obj: &Value, name: NameId) -> Res<Option<Value>> {
        let found = self.find_plain_attr(obj, name)?;
        if found.is_some() {
            return Ok(found);
        }
        // A library object's methods and state come after the program's own attributes.
        if let Value::Obj(id) = obj
            && let Some(class) = self.sync_class_of(*id)
            && matches!(self.heap[id.index()].object, Object::Instance(_))
        {
            let text = self.tables.names[name.index()].clone();
            if let Some(method) = Vm::sync_method(class, &text) {
                return Ok(Some(Value::Native(method, *id)));
            }
            return self.sync_attr(*id, &text);
        }
        Ok(None)
    }

    fn find_plain_attr(&mut self, obj: &Value, name: NameId) -> Res<Option<Value>> {
        let text = self.tables.names[name.index()].clone();
        Ok(match obj {
            Value::Obj(id) => {
                let id = *id;
                match &self.heap[id.index()].object {
                    Object::Instance(instance) => {
                        match &instance.payload {
                            Payload::Thread(data) => match &*text {
                                "name" => return Ok(Some(Value::Str(data.name.clone()))),
                                "daemon" => return Ok(Some(Value::Bool(data.daemon))),
                                "ident" | "native_id" => {
                                    return Ok(Some(match data.thread {
                                        Some(thread) => Value::Int(i64::from(thread.0) + 1),
                                        None => Value::None,
                                    }));
                                }
                                _ => {}
                            },
                            Payload::Exception(data) => {
                                let link = match &*text {
                                    "args" => return Ok(Some(Value::Tuple(data.args.clone()))),
                                    "__context__" => data.context,
                                    "__cause__" => data.cause,
                                    "__suppress_context__" => {
                                        return Ok(Some(Value::Bool(data.suppress_context)));
                                    }
                                    _ => None,
                                };
                                if let Some(link) = link {
                                    return Ok(Some(Value::Obj(link)));
                                }
                                if matches!(&*text, "__context__" | "__cause__") {
                                    return Ok(Some(Value::None));
                                }
                            }
                            _ => {}
                        }
                        if let Some(value) = instance.attrs.get(name) {
                            return Ok(Some(value.clone()));
                        }
                        let class = instance.class;
                        if &*text == "__class__" {
                            return Ok(Some(Value::Obj(class)));
                        }
                        self.touch_class_chain(class, name);
                        match self.class_lookup(class, name, &text) {
                            Some(Value::Obj(func))
                                if matches!(
                                    self.heap[func.index()].object,
                                    Object::Function(_)
                                ) =>
                            {
                                Some(Value::Method { func, receiver: id })
                            }
                            Some(Value::Builtin(builtin)) => Some(match builtin {
                                Builtin::ThreadStart => Value::Native(Method::ThreadStart, id),
                                Builtin::ThreadJoin => Value::Native(Method::ThreadJoin, id),
                                Builtin::ThreadIsAlive => Value::Native(Method::ThreadIsAlive, id),
                                Builtin::ThreadRun => Value::Native(Method::ThreadRun, id),
                                Builtin::ThreadGetName => Value::Native(Method::ThreadGetName, id),
                                Builtin::TimerCancel => Value::Native(Method::TimerCancel, id),
                                other => Value::Builtin(other),
                            }),
                            other => other,
                        }
                    }
                    Object::Class(class) => {
                        if &*text == "__name__" {
                            return Ok(Some(Value::Str(class.name.clone())));
                        }
                        self.touch_class_chain(id, name);
                        self.class_lookup(id, name, &text)
                    }
                    Object::Function(function) => {
                        let code = self.program.code(function.code);
                        match &*text {
                            "__name__" => Some(Value::str(&code.name)),
                            "__qualname__" => Some(Value::str(&code.qualname)),
                            _ => None,
                        }
                    }
                    Object::List(_) => list_method(&text).map(|method| Value::Native(method, id)),
                    Object::Dict(_) => dict_method(&text).map(|method| Value::Native(method, id)),
                    Object::Lock(lock) => {
                        let method = match &*text {
                            "acquire" => Some(Method::LockAcquire),
                            "release" => Some(Method::LockRelease),
                            "locked" if !lock.reentrant => Some(Method::LockLocked),
                            "__enter__" => Some(Method::LockEnter),
                            "__exit__" => Some(Method::LockExit),
                            _ => None,
                        };
                        method.map(|method| Value::Native(method, id))
                    }
                    Object::Iter(..) | Object::DictView { .. } | Object::Cell(_) | Object::Free => {
                        None
                    }
                }
            }
            Value::Super { class, receiver } => {
                let (class, receiver) = (*class, *receiver);
                let base = match &self.heap[class.index()].object {
                    Object::Class(class) => class.base,
                    _ => None,
                };
                match base.and_then(|base| self.class_lookup(base, name, &text)) {
                    Some(Value::Obj(func))
                        if matches!(self.heap[func.index()].object, Object::Function(_)) =>
                    {
                        Some(Value::Method { func, receiver })
                    }
                    Some(Value::Builtin(builtin)) => Some(Value::BoundBuiltin(builtin, receiver)),
                    other => other,
                }
            }
            // A package's submodules are its attributes (`concurrent.futures`).
            Value::Builtin(Builtin::ModConcurrent) => {
                let submodule = format!("concurrent.{text}");
                if weft_bytecode::MODULES.contains(&submodule.as_str()) {
                    Some(self.import_module(&submodule)?)
                } else {
                    None
                }
            }
            Value::Str(s) => str_method(&text).map(|method| Value::StrMethod(method, s.clone())),
            Value::Builtin(Builtin::ModThreading) => match &*text {
                "Thread" => Some(Value::Obj(THREAD_CLASS)),
                "Lock" => Some(Value::Builtin(Builtin::Lock)),
                "RLock" => Some(Value::Builtin(Builtin::RLock)),
                "current_thread" | "currentThread" => Some(Value::Builtin(Builtin::CurrentThread)),
                "main_thread" => Some(Value::Builtin(Builtin::MainThread)),
                "active_count" | "activeCount" => Some(Value::Builtin(Builtin::ActiveCount)),
                "get_ident" | "get_native_id" => Some(Value::Builtin(Builtin::GetIdent)),
                "TIMEOUT_MAX" => Some(Value::Float(crate::library::TIMEOUT_MAX)),
                "enumerate" => Some(Value::Builtin(Builtin::ThreadingEnumerate)),
                "Semaphore" => Some(Value::Obj(SyncClass::Semaphore.class())),
                "BoundedSemaphore" => Some(Value::Obj(SyncClass::BoundedSemaphore.class())),
                "Event" => Some(Value::Obj(SyncClass::Event.class())),
                "Condition" => Some(Value::Obj(SyncClass::Condition.class())),
                "Barrier" => Some(Value::Obj(SyncClass::Barrier.class())),
                "Timer" => Some(Value::Obj(TIMER_CLASS)),
                "BrokenBarrierError" => Some(Value::Obj(exc_class(ExcKind::BrokenBarrierError))),
                "local" | "excepthook" | "settrace" | "setprofile" | "stack_size" => {
                    let what = format!("threading.{text}");
                    return Err(self.unsupported(&what));
                }
                _ => None,
            },
            Value::Builtin(Builtin::ModTime) => match &*text {
                "sleep" => Some(Value::Builtin(Builtin::Sleep)),
                "time" => Some(Value::Builtin(Builtin::Time)),
                "monotonic" => Some(Value::Builtin(Builtin::Monotonic)),
                "perf_counter" => Some(Value::Builtin(Builtin::PerfCounter)),
                _ => None,
            },
            Value::Builtin(Builtin::ModQueue) => match &*text {
                "Queue" => Some(Value::Obj(SyncClass::Queue.class())),
                "LifoQueue" => Some(Value::Obj(SyncClass::LifoQueue.class())),
                "SimpleQueue" => Some(Value::Obj(SyncClass::SimpleQueue.class())),
                "Empty" => Some(Value::Obj(exc_class(ExcKind::Empty))),
                "Full" => Some(Value::Obj(exc_class(ExcKind::Full))),
                "PriorityQueue" => return Err(self.unsupported("queue.PriorityQueue")),
                _ => None,
            },
            Value::Builtin(Builtin::ModFutures) => match &*text {
                "ThreadPoolExecutor" => Some(Value::Obj(SyncClass::Executor.class())),
                "Future" => Some(Value::Obj(SyncClass::Future.class())),
                "as_completed" => Some(Value::Builtin(Builtin::AsCompleted)),
                "wait" => Some(Value::Builtin(Builtin::FuturesWait)),
                "TimeoutError" => Some(Value::Obj(exc_class(ExcKind::TimeoutError))),
                "CancelledError" => Some(Value::Obj(exc_class(ExcKind::CancelledError))),
                "FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED" => Some(Value::Str(text)),
                "ProcessPoolExecutor" => {
                    return Err(self.unsupported("concurrent.futures.ProcessPoolExecutor"));
                }
                _ => None,
            },
            Value::Builtin(Builtin::ModLogging) => match &*text {
                "basicConfig" => Some(Value::Builtin(Builtin::LogBasicConfig)),
                "debug" => Some(Value::Builtin(Builtin::LogDebug)),
                "info" => Some(Value::Builtin(Builtin::LogInfo)),
                "warning" => Some(Value::Builtin(Builtin::LogWarning)),
                "error" => Some(Value::Builtin(Builtin::LogError)),
                "critical" => Some(Value::Builtin(Builtin::LogCritical)),
                "DEBUG" => Some(Value::Int(10)),
                "INFO" => Some(Value::Int(20)),
                "WARNING" => Some(Value::Int(30)),
                "ERROR" => Some(Value::Int(40)),
                "CRITICAL" => Some(Value::Int(50)),
                "getLogger" | "Logger" | "Handler" | "StreamHandler" | "Formatter"
                | "exception" | "log" => {
                    let what = format!("logging.{text}");
                    return Err(self.unsupported(&what));
                }
                _ => None,
            },
            Value::Builtin(Builtin::ModRandom) => match &*text {
                "random" => Some(Value::Builtin(Builtin::RandRandom)),
                "randint" => Some(Value::Builtin(Builtin::RandRandint)),
                "randrange" => Some(Value::Builtin(Builtin::RandRandrange)),
                "uniform" => Some(Value::Builtin(Builtin::RandUniform)),
                "choice" => Some(Value::Builtin(Builtin::RandChoice)),
                "shuffle" => Some(Value::Builtin(Builtin::RandShuffle)),
                "seed" => Some(Value::Builtin(Builtin::RandSeed)),
                _ => None,
            },
            Value::Builtin(Builtin::ModSys) => match &*text {
                "setswitchinterval" => Some(Value::Builtin(Builtin::SysSetSwitchInterval)),
                "getswitchinterval" => Some(Value::Builtin(Builtin::SysGetSwitchInterval)),
                _ => None,
            },
            Value::Builtin(builtin) if &*text == "__name__" => Some(Value::str(builtin.name())),
            _ => None,
        })
    }

    /// Looks `name` up on a class and its bases; native classes contribute their methods.
    /// The first shared class on the lookup path of `name` from `class` (through its bases),
    /// up to the class that defines it: where reading it through a private instance becomes
    /// visible. `None` when the program never stores `name` (it cannot change).
    pub(crate) fn shared_class_on_path(&self, class: ObjId, name: NameId) -> Option<ObjId> {
        if !self.tables.stored[name.index()] {
            return None;
        }
        let mut current = Some(class);
        while let Some(id) = current {
            let entry = &self.heap[id.index()];
            let Object::Class(class) = &entry.object else {
                return None;
            };
            if entry.shared {
                return Some(id);
            }
            if class.attrs.get(name).is_some() {
                return None;
            }
            current = class.base;
        }
        None
    }

    /// Records the reads of `name` on the shared classes a lookup from `class` passes through,
    /// up to the one that defines it: a class attribute read through an instance or a
    /// subclass reads the class that has it, and a base's attribute changes what it finds.
    fn touch_class_chain(&mut self, class: ObjId, name: NameId) {
        if !self.tables.stored[name.index()] {
            return;
        }
        let mut current = Some(class);
        while let Some(id) = current {
            let entry = &self.heap[id.index()];
            let Object::Class(class) = &entry.object else {
                return;
            };
            let (found, base) = (class.attrs.get(name).is_some(), class.base);
            if entry.shared {
                self.touch(Access::Read(Location::Attr(id, name)));
            }
            if found {
                return;
            }
            current = base;
        }
    }

    fn class_lookup(&self, class: ObjId, name: NameId, text: &str) -> Option<Value> {
        let mut current = Some(class);
        while let Some(id) = current {
            let Object::Class(class) = &self.heap[id.index()].object else {
                return None;
            };
            if let Some(value) = class.attrs.get(name) {
                return Some(value.clone());
            }
            if class.module != "__main__" {
                let native = match (class.native, text) {
                    (NativeKind::Thread, "__init__") => Some(Builtin::ThreadInit),
                    (NativeKind::Thread, "start") => Some(Builtin::ThreadStart),
                    (NativeKind::Thread, "join") => Some(Builtin::ThreadJoin),
                    (NativeKind::Thread, "is_alive") => Some(Builtin::ThreadIsAlive),
                    (NativeKind::Thread, "run") => Some(Builtin::ThreadRun),
                    (NativeKind::Thread, "getName") => Some(Builtin::ThreadGetName),
                    (NativeKind::Exception, "__init__") => Some(Builtin::ExceptionInit),
                    (NativeKind::Timer, "__init__") => Some(Builtin::TimerInit),
                    (NativeKind::Timer, "cancel") => Some(Builtin::TimerCancel),
                    (NativeKind::Sync(_), "__init__") => Some(Builtin::SyncInit),
                    (NativeKind::Object, "__init__") => Some(Builtin::ObjectInit),
                    _ => None,
                };
                if native.is_some() {
                    return native.map(Value::Builtin);
                }
            }
            current = class.base;
        }
        None
    }

    /// `obj.name = value`.
    pub(crate) fn set_attr(&mut self, obj: &Value, name: NameId, value: Value) -> Res {
        let Value::Obj(id) = obj else {
            return Err(self.attribute_error(obj, name));
        };
        let id = *id;
        let owner_class = match &self.heap[id.index()].object {
            Object::Instance(instance) => instance.class,
            Object::Class(_) => id,
            _ => return Err(self.attribute_error(obj, name)),
        };
        let text = self.tables.names[name.index()].clone();
        if let Some(data) = self.thread_data(id) {
            match &*text {
                "name" => {
                    let name = self.str_of(&value)?;
                    if let Some(data) = self.thread_data_mut(id) {
                        data.name = Arc::from(name);
                    }
                    return Ok(());
                }
                "daemon" => {
                    if !data.initialized {
                        return Err(
                            self.error(ExcKind::RuntimeError, "Thread.__init__() not called")
                        );
                    }
                    if data.thread.is_some() {
                        return Err(self.error(
                            ExcKind::RuntimeError,
                            "cannot set daemon status of active thread",
                        ));
                    }
                    let daemon = self.truthy(&value)?;
                    if let Some(data) = self.thread_data_mut(id) {
                        data.daemon = daemon;
                    }
                    return Ok(());
                }
                "ident" | "native_id" => {
                    return Err(self.error(
                        ExcKind::AttributeError,
                        format!("property '{text}' of 'Thread' object has no setter"),
                    ));
                }
                _ => {}
            }
        }
        self.label(&value, Label::Attr(owner_class, name));
        if self.is_shared(id) {
            self.publish(&value);
        }
        match &mut self.heap[id.index()].object {
            Object::Instance(instance) => instance.attrs.set(name, value),
            Object::Class(class) => class.attrs.set(name, value),
            _ => unreachable!(),
        }
        Ok(())
    }

    /// The thread payload of an instance, mutably.
    pub(crate) fn thread_data_mut(&mut self, id: ObjId) -> Option<&mut crate::heap::ThreadObject> {
        match &mut self.heap[id.index()].object {
            Object::Instance(instance) => match &mut instance.payload {
                Payload::Thread(data) => Some(data),
                _ => None,
            },
            _ => None,
        }
    }

    /// An index into a sequence of `len` items, negative from the end.
    pub(crate) fn seq_index(&mut self, key: &Value, len: usize, what: &str) -> Res<Option<usize>> {
        let index = match key {
            Value::Int(i) => *i,
            Value::Bool(b) => i64::from(*b),
            other => {
                let type_name = self.type_name(other);
                return Err(self.type_error(format!(
                    "{what} indices must be integers or slices, not {type_name}"
                )));
            }
        };
        let len = len as i64;
        let index = if index < 0 { index + len } else { index };
        Ok((0..len).contains(&index).then_some(index as usize))
    }

    /// `container[key]`.
    pub(crate) fn subscript(&mut self, container: &Value, key: &Value) -> Res<Value> {
        match container {
            Value::Tuple(items) => match self.seq_index(key, items.len(), "tuple")? {
                Some(i) => Ok(items[i].clone()),
                None => Err(self.error(ExcKind::IndexError, "tuple index out of range")),
            },
            Value::Str(text) => {
                if !matches!(key, Value::Int(_) | Value::Bool(_)) {
                    let type_name = self.type_name(key);
                    return Err(self.type_error(format!(
                        "string indices must be integers, not '{type_name}'"
                    )));
                }
                let len = text.chars().count();
                match self.seq_index(key, len, "string")? {
                    Some(i) => Ok(Value::str(
                        &text.chars().nth(i).expect("in range").to_string(),
                    )),
                    None => Err(self.error(ExcKind::IndexError, "string index out of range")),
                }
            }
            Value::Range(range) => {
                let len = range.len() as usize;
                match self.seq_index(key, len, "range")? {
                    Some(i) => Ok(Value::Int(range.at(i as i64))),
                    None => Err(self.error(ExcKind::IndexError, "range object index out of range")),
                }
            }
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(items) => {
                    let len = items.len();
                    match self.seq_index(key, len, "list")? {
                        Some(i) => Ok(self.list_items(*id)[i].clone()),
                        None => Err(self.error(ExcKind::IndexError, "list index out of range")),
                    }
                }
                Object::Dict(_) => match self.dict_find(*id, key)? {
                    Some(position) => Ok(self.dict_value_at(*id, position)),
                    None => Err(self.key_error(key.clone())),
                },
                _ => self.not_subscriptable(container),
            },
            _ => self.not_subscriptable(container),
        }
    }

    fn not_subscriptable<T>(&mut self, container: &Value) -> Res<T> {
        let type_name = self.type_name(container);
        Err(self.type_error(format!("'{type_name}' object is not subscriptable")))
    }

    /// `container[key] = value`.
    pub(crate) fn store_subscript(&mut self, container: &Value, key: Value, value: Value) -> Res {
        if let Value::Obj(id) = container {
            match &self.heap[id.index()].object {
                Object::List(items) => {
                    let len = items.len();
                    return match self.seq_index(&key, len, "list")? {
                        Some(i) => {
                            if self.is_shared(*id) {
                                self.publish(&value);
                            }
                            if let Object::List(items) = &mut self.heap[id.index()].object {
                                items[i] = value;
                            }
                            Ok(())
                        }
                        None => {
                            Err(self
                                .error(ExcKind::IndexError, "list assignment index out of range"))
                        }
                    };
                }
                Object::Dict(_) => return self.dict_set(*id, key, value),
                _ => {}
            }
        }
        let type_name = self.type_name(container);
        Err(self.type_error(format!(
            "'{type_name}' object does not support item assignment"
        )))
    }

    /// The position of `key` in a dict.
    pub(crate) fn dict_find(&mut self, dict: ObjId, key: &Value) -> Res<Option<usize>> {
        let hash = self.hash(key)?;
        let Object::Dict(entries) = &self.heap[dict.index()].object else {
            return Ok(None);
        };
        Ok(entries.find(hash, |candidate| self.eq(candidate, key)))
    }

    /// The value at a position of a dict.
    pub(crate) fn dict_value_at(&self, dict: ObjId, position: usize) -> Value {
        match &self.heap[dict.index()].object {
            Object::Dict(entries) => entries.value_at(position).clone(),
            _ => Value::None,
        }
    }

    /// `dict[key] = value`.
    pub(crate) fn dict_set(&mut self, dict: ObjId, key: Value, value: Value) -> Res {
        let hash = self.hash(&key)?;
        if self.is_shared(dict) {
            self.publish(&key);
            self.publish(&value);
        }
        let position = match &self.heap[dict.index()].object {
            Object::Dict(entries) => entries.find(hash, |candidate| self.eq(candidate, &key)),
            _ => return Ok(()),
        };
        if let Object::Dict(entries) = &mut self.heap[dict.index()].object {
            match position {
                Some(position) => entries.set_at(position, value),
                None => entries.push(hash, key, value),
            }
        }
        Ok(())
    }

    /// Whether a value can be iterated.
    pub(crate) fn is_iterable(&self, value: &Value) -> bool {
        match value {
            Value::Str(_) | Value::Tuple(_) | Value::Range(_) => true,
            Value::Obj(id) => matches!(
                self.heap[id.index()].object,
                Object::List(_) | Object::Dict(_) | Object::Iter(..) | Object::DictView { .. }
            ),
            _ => false,
        }
    }

    /// `iter(value)`. `temporary` marks an iterator only a loop's stack will reference.
    pub(crate) fn make_iter(&mut self, value: &Value, temporary: bool) -> Res<ObjId> {
        let iter = match value {
            Value::Tuple(items) => Iter::Seq {
                items: items.clone(),
                index: 0,
            },
            Value::Str(text) => Iter::Str {
                text: text.clone(),
                offset: 0,
            },
            Value::Range(range) => Iter::Range {
                range: **range,
                index: 0,
            },
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(_) => Iter::List {
                    list: *id,
                    index: 0,
                },
                Object::Dict(dict) => Iter::Dict {
                    dict: *id,
                    index: 0,
                    len: dict.len(),
                    kind: ViewKind::Keys,
                },
                Object::DictView { dict, kind } => {
                    let (dict, kind) = (*dict, *kind);
                    let len = match &self.heap[dict.index()].object {
                        Object::Dict(entries) => entries.len(),
                        _ => 0,
                    };
                    Iter::Dict {
                        dict,
                        index: 0,
                        len,
                        kind,
                    }
                }
                Object::Iter(..) => return Ok(*id),
                _ => return Err(self.not_iterable(value)),
            },
            _ => return Err(self.not_iterable(value)),
        };
        Ok(self.alloc_iter(iter, temporary))
    }

    fn not_iterable(&mut self, value: &Value) -> crate::interp::Interrupt {
        let type_name = self.type_name(value);
        self.type_error(format!("'{type_name}' object is not iterable"))
    }

    /// The container an iterator reads on each step (for visibility).
    fn iter_source(&self, iterator: ObjId) -> Option<ObjId> {
        match &self.heap[iterator.index()].object {
            Object::Iter(Iter::List { list, .. }, _) => Some(*list),
            Object::Iter(Iter::Dict { dict, .. }, _) => Some(*dict),
            Object::DictView { dict, .. } => Some(*dict),
            Object::Iter(Iter::Enumerate { inner, .. }, _) => self.iter_source(*inner),
            _ => None,
        }
    }

    /// `next(iterator)`, or `None` when exhausted. Performs the visible read of the underlying
    /// list or dict first.
    pub(crate) fn iter_next(&mut self, iterator: ObjId) -> Res<Option<Value>> {
        if let Object::Iter(Iter::Futures(_), _) = &self.heap[iterator.index()].object {
            return self.futures_iter_next(iterator);
        }
        if let Some(source) = self.iter_source(iterator) {
            self.read_container(&Value::Obj(source))?;
        }
        let Object::Iter(iter, _) = &self.heap[iterator.index()].object else {
            return Ok(None);
        };
        let (next, advanced) = match iter {
            Iter::Range { range, index } => {
                if *index < range.len() {
                    (Some(Value::Int(range.at(*index))), None)
                } else {
                    (None, None)
                }
            }
            Iter::List { list, index } => (self.list_items(*list).get(*index).cloned(), None),
            Iter::Dict {
                dict,
                index,
                len,
                kind,
            } => {
                let Object::Dict(entries) = &self.heap[dict.index()].object else {
                    return Ok(None);
                };
                if entries.len() != *len {
                    return Err(self.error(
                        ExcKind::RuntimeError,
                        "dictionary changed size during iteration",
                    ));
                }
                let next = entries.entry(*index).map(|entry| match kind {
                    ViewKind::Keys => entry.key.clone(),
                    ViewKind::Values => entry.value.clone(),
                    ViewKind::Items => Value::tuple(vec![entry.key.clone(), entry.value.clone()]),
                });
                (next, None)
            }
            Iter::Seq { items, index } => (items.get(*index).cloned(), None),
            Iter::Str { text, offset } => match text[*offset..].chars().next() {
                Some(c) => (Some(Value::str(&c.to_string())), Some(c.len_utf8())),
                None => (None, None),
            },
            Iter::Futures(_) => unreachable!("futures iterators are handled above"),
            Iter::Enumerate { inner, count } => {
                let (inner, count) = (*inner, *count);
                return Ok(match self.iter_next(inner)? {
                    Some(value) => {
                        if let Object::Iter(Iter::Enumerate { count, .. }, _) =
                            &mut self.heap[iterator.index()].object
                        {
                            *count += 1;
                        }
                        Some(Value::tuple(vec![Value::Int(count), value]))
                    }
                    None => None,
                });
            }
        };
        if next.is_some()
            && let Object::Iter(iter, _) = &mut self.heap[iterator.index()].object
        {
            match iter {
                Iter::Range { index, .. } => *index += 1,
                Iter::List { index, .. } | Iter::Dict { index, .. } | Iter::Seq { index, .. } => {
                    *index += 1;
                }
                Iter::Str { offset, .. } => *offset += advanced.unwrap_or(1),
                Iter::Enumerate { .. } | Iter::Futures(_) => {}
            }
        }
        Ok(next)
    }

    /// All items of an iterable (one visible read of a list or dict, done first).
    pub(crate) fn collect(&mut self, value: &Value) -> Res<Vec<Value>> {
        self.read_container(value)?;
        if let Value::Obj(id) = value
            && let Object::Iter(Iter::Futures(_), _) = &self.heap[id.index()].object
        {
            // One instruction performs one visible operation: consuming a whole futures
            // iterator (`list(executor.map(...))`) first waits for all of them at once.
            self.futures_wait_all(*id)?;
        }
        match value {
            Value::Tuple(items) => return Ok(items.to_vec()),
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(items) => return Ok(items.clone()),
                Object::Dict(dict) => {
                    return Ok(dict
                        .entries()
                        .iter()
                        .map(|entry| entry.key.clone())
                        .collect());
                }
                _ => {}
            },
            Value::Range(range) => {
                if range.len() > 10_000_000 {
                    return Err(self.error(
                        ExcKind::OverflowError,
                        "range too large for weft to materialise",
                    ));
                }
                return Ok((0..range.len()).map(|i| Value::Int(range.at(i))).collect());
            }
            _ => {}
        }
        let iterator = self.make_iter(value, false)?;
        let mut items = Vec::new();
        while let Some(item) = self.iter_next(iterator)? {
            items.push(item);
        }
        Ok(items)
    }

    /// Whether thread `thread` (a VM thread index) has finished.
    pub(crate) fn thread_finished(&self, thread: usize) -> bool {
        self.threads[thread].phase == Phase::Finished
    }
}

fn list_method(name: &str) -> Option<Method> {
    Some(match name {
        "append" => Method::ListAppend,
        "pop" => Method::ListPop,
        "extend" => Method::ListExtend,
        "insert" => Method::ListInsert,
        "remove" => Method::ListRemove,
        "index" => Method::ListIndex,
        "count" => Method::ListCount,
        "clear" => Method::ListClear,
        "copy" => Method::ListCopy,
        "reverse" => Method::ListReverse,
        "sort" => Method::ListSort,
        _ => return None,
    })
}

fn dict_method(name: &str) -> Option<Method> {
    Some(match name {
        "get" => Method::DictGet,
        "keys" => Method::DictKeys,
        "values" => Method::DictValues,
        "items" => Method::DictItems,
        "pop" => Method::DictPop,
        "setdefault" => Method::DictSetdefault,
        "update" => Method::DictUpdate,
        "clear" => Method::DictClear,
        "copy" => Method::DictCopy,
        _ => return None,
    })
}

fn str_method(name: &str) -> Option<Method> {
    Some(match name {
        "format" => Method::StrFormat,
        "join" => Method::StrJoin,
        "split" => Method::StrSplit,
        "strip" => Method::StrStrip,
        "lstrip" => Method::StrLstrip,
        "rstrip" => Method::StrRstrip,
        "upper" => Method::StrUpper,
        "lower" => Method::StrLower,
        "replace" => Method::StrReplace,
        "startswith" => Method::StrStartswith,
        "endswith" => Method::StrEndswith,
        "find" => Method::StrFind,
        "count" => Method::StrCount,
        "isdigit" => Method::StrIsdigit,
        "isalpha" => Method::StrIsalpha,
        "capitalize" => Method::StrCapitalize,
        "title" => Method::StrTitle,
        "ljust" => Method::StrLjust,
        "rjust" => Method::StrRjust,
        "center" => Method::StrCenter,
        "zfill" => Method::StrZfill,
        "index" => Method::StrIndex,
        _ => return None,
    })
}
