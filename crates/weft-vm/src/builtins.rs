//! The builtin functions and types (`print`, `len`, `range`, `sorted`, `int`, ...).

use std::cmp::Ordering;
use std::sync::Arc;

use crate::ObjId;
use crate::call::Args;
use crate::exceptions::{ExcKind, OBJECT_CLASS};
use crate::heap::{Iter, Object, Payload};
use crate::interp::Res;
use crate::ops::I64_LIMIT;
use crate::value::{Builtin, Method, RangeValue, Tuple, Value};
use crate::vm::Vm;
use crate::{Access, Location, Op};

impl Vm {
    /// Calls a builtin.
    pub(crate) fn call_builtin(&mut self, builtin: Builtin, args: &Args) -> Res<Value> {
        match builtin {
            Builtin::Print => self.builtin_print(args),
            Builtin::Len => self.builtin_len(args),
            Builtin::Range => self.builtin_range(args),
            Builtin::Enumerate => self.builtin_enumerate(args),
            Builtin::Zip => self.builtin_zip(args),
            Builtin::Reversed => self.builtin_reversed(args),
            Builtin::Sorted => self.builtin_sorted(args),
            Builtin::Min => self.builtin_min_max(args, "min", Ordering::Less),
            Builtin::Max => self.builtin_min_max(args, "max", Ordering::Greater),
            Builtin::Sum => self.builtin_sum(args),
            Builtin::Abs => self.builtin_abs(args),
            Builtin::Round => self.builtin_round(args),
            Builtin::Any => self.builtin_any_all(args, true),
            Builtin::All => self.builtin_any_all(args, false),
            Builtin::Isinstance => self.builtin_isinstance(args),
            Builtin::Repr => {
                let value = self.one_arg(args, "repr")?;
                self.read_container(&value)?;
                Ok(Value::Str(Arc::from(self.repr_of(&value)?)))
            }
            Builtin::TypeStr => match args.pos.first() {
                None => Ok(Value::str("")),
                Some(value) => {
                    let value = value.clone();
                    self.read_container(&value)?;
                    Ok(Value::Str(Arc::from(self.str_of(&value)?)))
                }
            },
            Builtin::TypeInt => self.builtin_int(args),
            Builtin::TypeFloat => self.builtin_float(args),
            Builtin::TypeBool => match args.pos.first() {
                None => Ok(Value::Bool(false)),
                Some(value) => {
                    let value = value.clone();
                    self.read_container(&value)?;
                    Ok(Value::Bool(self.truthy(&value)?))
                }
            },
            Builtin::TypeList => {
                let items = match args.pos.first() {
                    None => Vec::new(),
                    Some(value) => {
                        let value = value.clone();
                        self.collect(&value)?
                    }
                };
                Ok(Value::Obj(self.alloc(Object::List(items))))
            }
            Builtin::TypeTuple => match args.pos.first() {
                None => Ok(Value::tuple(Vec::new())),
                Some(Value::Tuple(items)) => Ok(Value::Tuple(items.clone())),
                Some(value) => {
                    let value = value.clone();
                    Ok(Value::tuple(self.collect(&value)?))
                }
            },
            Builtin::TypeDict => self.builtin_dict(args),
            Builtin::ModThreading
            | Builtin::ModTime
            | Builtin::ModQueue
            | Builtin::ModLogging
            | Builtin::ModRandom
            | Builtin::ModSys
            | Builtin::ModConcurrent
            | Builtin::ModFutures => Err(self.type_error("'module' object is not callable")),
            Builtin::Lock => Ok(self.new_lock(false)),
            Builtin::RLock => Ok(self.new_lock(true)),
            Builtin::CurrentThread => Ok(Value::Obj(self.threads[self.current].object)),
            Builtin::MainThread => Ok(Value::Obj(self.threads[0].object)),
            Builtin::ActiveCount => {
                self.touch(Access::LiveThreads);
                let alive = (0..self.threads.len())
                    .filter(|index| !self.thread_finished(*index))
                    .count();
                Ok(Value::Int(alive as i64))
            }
            Builtin::ThreadingEnumerate => {
                self.touch(Access::LiveThreads);
                let alive: Vec<Value> = (0..self.threads.len())
                    .filter(|index| !self.thread_finished(*index))
                    .map(|index| Value::Obj(self.threads[index].object))
                    .collect();
                Ok(Value::Obj(self.alloc(Object::List(alive))))
            }
            Builtin::GetIdent => Ok(Value::Int(self.current as i64 + 1)),
            Builtin::Sleep => self.time_sleep(args),
            Builtin::Time => Ok(Value::Float(crate::library::VIRTUAL_EPOCH + self.clock)),
            Builtin::Monotonic | Builtin::PerfCounter => Ok(Value::Float(self.clock)),
            Builtin::ThreadInit => {
                let receiver = self.receiver(args, "__init__")?;
                self.thread_init(receiver, args, 1)?;
                Ok(Value::None)
            }
            Builtin::ThreadStart
            | Builtin::ThreadJoin
            | Builtin::ThreadIsAlive
            | Builtin::ThreadRun
            | Builtin::ThreadGetName => {
                let receiver = self.receiver(args, builtin.name())?;
                let method = match builtin {
                    Builtin::ThreadStart => Method::ThreadStart,
                    Builtin::ThreadJoin => Method::ThreadJoin,
                    Builtin::ThreadIsAlive => Method::ThreadIsAlive,
                    Builtin::ThreadGetName => Method::ThreadGetName,
                    _ => Method::ThreadRun,
                };
                let rest = Args {
                    pos: args.pos[1..].to_vec(),
                    kw: args.kw.clone(),
                };
                self.call_method(method, receiver, &rest)
            }
            Builtin::ObjectInit => {
                if args.pos.len() > 1 || !args.kw.is_empty() {
                    return Err(self.type_error(
                        "object.__init__() takes exactly one argument (the instance to initialize)",
                    ));
                }
                Ok(Value::None)
            }
            Builtin::Super => match &*args.pos {
                [class, receiver] if args.kw.is_empty() => match class {
                    Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Class(_)) => {
                        let (id, receiver) = (*id, receiver.clone());
                        self.make_super(id, &receiver)
                    }
                    // No instance weft creates derives from a builtin type.
                    Value::Builtin(builtin) if builtin.is_type() => Err(self.type_error(
                        "super(type, obj): obj must be an instance or subtype of type",
                    )),
                    other => {
                        let type_name = self.type_name(other);
                        Err(self.type_error(format!(
                            "super() argument 1 must be a type, not {type_name}"
                        )))
                    }
                },
                [] => Err(self.error(ExcKind::RuntimeError, "super(): no arguments")),
                _ => Err(self.unsupported("super() with other than zero or two arguments")),
            },
            Builtin::Type => {
                let value = self.one_arg(args, "type")?;
                self.type_of(&value)
            }
            Builtin::SyncInit => {
                let receiver = self.receiver(args, "__init__")?;
                match self.sync_class_of(receiver) {
                    Some(class) => self.sync_init(receiver, class, args, 1)?,
                    None => return Err(self.type_error("__init__() needs a library object")),
                }
                Ok(Value::None)
            }
            Builtin::TimerInit => {
                let receiver = self.receiver(args, "__init__")?;
                self.timer_init(receiver, args, 1)?;
                Ok(Value::None)
            }
            Builtin::TimerCancel => {
                let receiver = self.receiver(args, "cancel")?;
                self.timer_cancel(receiver)
            }
            Builtin::AsCompleted => self.as_completed(args),
            Builtin::FuturesWait => Err(self.unsupported("concurrent.futures.wait()")),
            Builtin::LogBasicConfig => self.logging_basic_config(args),
            Builtin::LogDebug => self.log(args, 10, "debug"),
            Builtin::LogInfo => self.log(args, 20, "info"),
            Builtin::LogWarning => self.log(args, 30, "warning"),
            Builtin::LogError => self.log(args, 40, "error"),
            Builtin::LogCritical => self.log(args, 50, "critical"),
            Builtin::RandRandom
            | Builtin::RandRandint
            | Builtin::RandRandrange
            | Builtin::RandUniform
            | Builtin::RandChoice
            | Builtin::RandShuffle
            | Builtin::RandSeed => self.call_random(builtin, args),
            Builtin::SysSetSwitchInterval => {
                let value = self.one_arg(args, "setswitchinterval")?;
                match value {
                    Value::Int(_) | Value::Float(_) | Value::Bool(_) => Ok(Value::None),
                    other => {
                        let type_name = self.type_name(&other);
                        Err(self.type_error(format!("must be real number, not {type_name}")))
                    }
                }
            }
            Builtin::SysGetSwitchInterval => Ok(Value::Float(0.005)),
            Builtin::ExceptionInit => {
                let receiver = self.receiver(args, "__init__")?;
                let new_args = Tuple::new(args.pos[1..].to_vec());
                if self.is_shared(receiver) {
                    self.publish(&Value::Tuple(new_args.clone()));
                }
                if let Object::Instance(instance) = &mut self.heap[receiver.index()].object
                    && let Payload::Exception(data) = &mut instance.payload
                {
                    data.args = new_args;
                }
                Ok(Value::None)
            }
        }
    }

    /// `super(class, receiver)`: `receiver` must be an instance of `class`.
    pub(crate) fn make_super(&mut self, class: ObjId, receiver: &Value) -> Res<Value> {
        if let Value::Obj(id) = receiver
            && let Some(receiver_class) = self.class_of(*id)
            && self.is_subclass(receiver_class, class)
        {
            return Ok(Value::Super {
                class,
                receiver: *id,
            });
        }
        Err(self.type_error("super(type, obj): obj must be an instance or subtype of type"))
    }

    /// `type(value)`.
    fn type_of(&mut self, value: &Value) -> Res<Value> {
        let builtin = match value {
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::Instance(instance) => return Ok(Value::Obj(instance.class)),
                Object::Class(_) => Some(Builtin::Type),
                Object::List(_) => Some(Builtin::TypeList),
                Object::Dict(_) => Some(Builtin::TypeDict),
                _ => None,
            },
            Value::Bool(_) => Some(Builtin::TypeBool),
            Value::Int(_) => Some(Builtin::TypeInt),
            Value::Float(_) => Some(Builtin::TypeFloat),
            Value::Str(_) => Some(Builtin::TypeStr),
            Value::Tuple(_) => Some(Builtin::TypeTuple),
            _ => None,
        };
        let Some(builtin) = builtin else {
            let type_name = self.type_name(value);
            return Err(self.unsupported(&format!("type() of a {type_name}")));
        };
        Ok(Value::Builtin(builtin))
    }

    /// The `self` argument of an unbound native method.
    fn receiver(&mut self, args: &Args, name: &str) -> Res<crate::ObjId> {
        match args.pos.first() {
            Some(Value::Obj(id)) => Ok(*id),
            _ => Err(self.type_error(format!("descriptor '{name}' needs an argument"))),
        }
    }

    /// The single positional argument of a builtin.
    pub(crate) fn one_arg(&mut self, args: &Args, name: &str) -> Res<Value> {
        if args.pos.len() != 1 || !args.kw.is_empty() {
            return Err(self.type_error(format!(
                "{name}() takes exactly one argument ({} given)",
                args.pos.len() + args.kw.len()
            )));
        }
        Ok(args.pos[0].clone())
    }

    /// Rejects keyword arguments not in `allowed`.
    pub(crate) fn check_kwargs(&mut self, args: &Args, allowed: &[&str], function: &str) -> Res {
        for (name, _) in &args.kw {
            if !allowed.contains(&&**name) {
                return Err(self.type_error(format!(
                    "'{name}' is an invalid keyword argument for {function}()"
                )));
            }
        }
        Ok(())
    }

    /// `print(*args, sep=' ', end='\n', flush=False)`: each argument, separator and end is
    /// its own visible write; the thread's `progress` remembers how many are done.
    fn builtin_print(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["sep", "end", "flush", "file"], "print")?;
        if let Some(file) = args.kw("file")
            && !file.is_none()
        {
            return Err(self.unsupported("print(file=...)"));
        }
        let sep = self.print_text_arg(args, "sep", " ")?;
        let end = self.print_text_arg(args, "end", "\n")?;
        if self.config.print_atomic {
            return self.print_atomic(args, &sep, &end);
        }
        let n = args.pos.len();
        let total = if n == 0 { 1 } else { 2 * n };
        loop {
            let k = self.threads[self.current].progress as usize;
            if k >= total {
                self.threads[self.current].progress = 0;
                return Ok(Value::None);
            }
            let arg = (k < total - 1 && k.is_multiple_of(2)).then(|| &args.pos[k / 2]);
            // `str()` of a shared list or dict reads it before the write: its own visible step.
            if let Some(arg) = arg
                && self.threads[self.current].print_text.is_none()
                && let Some(location) = self.print_read_location(arg)
            {
                self.visible(Op::Read(location))?;
                let text: Arc<str> = Arc::from(self.str_of(arg)?);
                if self.recording() {
                    self.set_detail(crate::format::str_repr(&text));
                }
                self.threads[self.current].print_text = Some(text);
                self.instr_has_op = false;
            }
            self.visible(Op::Write(Location::Stdout))?;
            let piece: Arc<str> = match arg {
                None if k == total - 1 => end.clone(),
                None => sep.clone(),
                Some(Value::Str(text)) => text.clone(),
                Some(other) => match self.threads[self.current].print_text.take() {
                    Some(text) => text,
                    None => Arc::from(self.str_of(other)?),
                },
            };
            self.write_stdout(&piece);
            if self.recording() {
                self.set_detail(crate::format::str_repr(&piece));
            }
            self.threads[self.current].progress += 1;
            self.instr_has_op = false;
        }
    }

    /// `print` with [`VmConfig::print_atomic`](crate::VmConfig): first a read step for each
    /// argument that formats a shared list or dict (its text is taken right then), then one
    /// visible write of the whole text. The thread's `progress` counts the arguments done and
    /// `print_texts` keeps their texts across steps.
    fn print_atomic(&mut self, args: &Args, sep: &str, end: &str) -> Res<Value> {
        let n = args.pos.len();
        loop {
            let k = self.threads[self.current].progress as usize;
            if k >= n {
                break;
            }
            let arg = &args.pos[k];
            let mut text = None;
            if let Some(location) = self.print_read_location(arg) {
                self.visible(Op::Read(location))?;
                let read: Arc<str> = Arc::from(self.str_of(arg)?);
                if self.recording() {
                    self.set_detail(crate::format::str_repr(&read));
                }
                text = Some(read);
                self.instr_has_op = false;
            }
            let th = &mut self.threads[self.current];
            th.print_texts.push(text);
            th.progress += 1;
        }
        self.visible(Op::Write(Location::Stdout))?;
        let texts = std::mem::take(&mut self.threads[self.current].print_texts);
        let mut whole = String::new();
        for (index, (arg, text)) in args.pos.iter().zip(texts).enumerate() {
            if index > 0 {
                whole.push_str(sep);
            }
            match (arg, text) {
                (_, Some(text)) => whole.push_str(&text),
                (Value::Str(text), None) => whole.push_str(text),
                (other, None) => {
                    let text = self.str_of(other)?;
                    whole.push_str(&text);
                }
            }
        }
        whole.push_str(end);
        self.write_stdout(&whole);
        if self.recording() {
            self.set_detail(crate::format::str_repr(&whole));
        }
        self.threads[self.current].progress = 0;
        self.instr_has_op = false;
        Ok(Value::None)
    }

    /// The shared list or dict that formatting `value` reads (looking one level into tuples).
    pub(crate) fn print_read_location(&self, value: &Value) -> Option<Location> {
        match value {
            Value::Tuple(items) => items.iter().find_map(|item| self.container_location(item)),
            other => self.container_location(other),
        }
    }

    fn print_text_arg(&mut self, args: &Args, name: &str, default: &str) -> Res<Arc<str>> {
        match args.kw(name) {
            None | Some(Value::None) => Ok(Arc::from(default)),
            Some(Value::Str(text)) => Ok(text.clone()),
            Some(other) => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!("{name} must be None or a string, not {type_name}")))
            }
        }
    }

    fn builtin_len(&mut self, args: &Args) -> Res<Value> {
        let value = self.one_arg(args, "len")?;
        self.read_container(&value)?;
        let len = match &value {
            Value::Str(text) => text.chars().count() as i64,
            Value::Tuple(items) => items.len() as i64,
            Value::Range(range) => range.len(),
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(items) => items.len() as i64,
                Object::Dict(dict) => dict.len() as i64,
                Object::DictView { dict, .. } => match &self.heap[dict.index()].object {
                    Object::Dict(entries) => entries.len() as i64,
                    _ => -1,
                },
                _ => -1,
            },
            _ => -1,
        };
        if len < 0 {
            let type_name = self.type_name(&value);
            return Err(self.type_error(format!("object of type '{type_name}' has no len()")));
        }
        Ok(Value::Int(len))
    }

    /// An int argument (bools count), with CPython's message for other types.
    pub(crate) fn int_arg(&mut self, value: &Value) -> Res<i64> {
        match value {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!(
                    "'{type_name}' object cannot be interpreted as an integer"
                )))
            }
        }
    }

    fn builtin_range(&mut self, args: &Args) -> Res<Value> {
        if !args.kw.is_empty() {
            return Err(self.type_error("range() takes no keyword arguments"));
        }
        let ints = args
            .pos
            .iter()
            .map(|value| self.int_arg(value))
            .collect::<Res<Vec<i64>>>()?;
        let (start, stop, step) = match ints[..] {
            [stop] => (0, stop, 1),
            [start, stop] => (start, stop, 1),
            [start, stop, step] => (start, stop, step),
            [] => return Err(self.type_error("range expected at least 1 argument, got 0")),
            _ => {
                return Err(self.type_error(format!(
                    "range expected at most 3 arguments, got {}",
                    ints.len()
                )));
            }
        };
        if step == 0 {
            return Err(self.value_error("range() arg 3 must not be zero"));
        }
        Ok(Value::Range(Arc::new(RangeValue { start, stop, step })))
    }

    fn builtin_enumerate(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["iterable", "start"], "enumerate")?;
        let Some(iterable) = args.get(0, "iterable").cloned() else {
            return Err(self.type_error("enumerate() missing required argument 'iterable' (pos 1)"));
        };
        let start = match args.get(1, "start").cloned() {
            Some(value) => self.int_arg(&value)?,
            None => 0,
        };
        let inner = self.make_iter(&iterable, false)?;
        let iterator = self.alloc_iter(
            Iter::Enumerate {
                inner,
                count: start,
            },
            false,
        );
        Ok(Value::Obj(iterator))
    }

    fn builtin_zip(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["strict"], "zip")?;
        let mut columns = Vec::new();
        for value in &args.pos {
            if !self.is_iterable(value) {
                let type_name = self.type_name(value);
                return Err(self.type_error(format!("'{type_name}' object is not iterable")));
            }
            columns.push(self.collect(value)?);
        }
        let len = columns.iter().map(Vec::len).min().unwrap_or(0);
        let rows: Vec<Value> = (0..len)
            .map(|i| Value::tuple(columns.iter().map(|column| column[i].clone()).collect()))
            .collect();
        let iterator = self.alloc_iter(
            Iter::Seq {
                items: Tuple::new(rows),
                index: 0,
            },
            false,
        );
        Ok(Value::Obj(iterator))
    }

    fn builtin_reversed(&mut self, args: &Args) -> Res<Value> {
        let value = self.one_arg(args, "reversed")?;
        let reversible = match &value {
            Value::Tuple(_) | Value::Str(_) | Value::Range(_) => true,
            Value::Obj(id) => matches!(
                self.heap[id.index()].object,
                Object::List(_) | Object::Dict(_)
            ),
            _ => false,
        };
        if !reversible {
            let type_name = self.type_name(&value);
            return Err(self.type_error(format!("'{type_name}' object is not reversible")));
        }
        let mut items = self.collect(&value)?;
        items.reverse();
        let iterator = self.alloc_iter(
            Iter::Seq {
                items: Tuple::new(items),
                index: 0,
            },
            false,
        );
        Ok(Value::Obj(iterator))
    }

    /// Sorts values with Python's `<` (stable), through `key` if given.
    pub(crate) fn sort_values(
        &mut self,
        items: Vec<Value>,
        key: Option<Value>,
        reverse: bool,
    ) -> Res<Vec<Value>> {
        let keys = match key {
            Some(key) if !key.is_none() => items
                .iter()
                .map(|item| self.call_sync(key.clone(), vec![item.clone()]))
                .collect::<Res<Vec<Value>>>()?,
            _ => items.clone(),
        };
        let mut order: Vec<usize> = (0..items.len()).collect();
        let mut error = None;
        order.sort_by(|&a, &b| {
            if error.is_some() {
                return Ordering::Equal;
            }
            let (x, y) = if reverse {
                (&keys[b], &keys[a])
            } else {
                (&keys[a], &keys[b])
            };
            match self.compare(x, y, "<") {
                Ok(ordering) => ordering,
                Err(interrupt) => {
                    error = Some(interrupt);
                    Ordering::Equal
                }
            }
        });
        if let Some(interrupt) = error {
            return Err(interrupt);
        }
        Ok(order.into_iter().map(|i| items[i].clone()).collect())
    }

    fn builtin_sorted(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["key", "reverse"], "sort")?;
        if args.pos.len() != 1 {
            return Err(self.type_error(format!(
                "sorted expected 1 argument, got {}",
                args.pos.len()
            )));
        }
        let items = self.collect(&args.pos[0].clone())?;
        let reverse = match args.kw("reverse").cloned() {
            Some(value) => self.truthy(&value)?,
            None => false,
        };
        let sorted = self.sort_values(items, args.kw("key").cloned(), reverse)?;
        Ok(Value::Obj(self.alloc(Object::List(sorted))))
    }

    fn builtin_min_max(&mut self, args: &Args, name: &str, want: Ordering) -> Res<Value> {
        self.check_kwargs(args, &["key", "default"], name)?;
        let items = match args.pos.len() {
            0 => {
                return Err(self.type_error(format!("{name} expected at least 1 argument, got 0")));
            }
            1 => {
                let value = args.pos[0].clone();
                if !self.is_iterable(&value) {
                    let type_name = self.type_name(&value);
                    return Err(self.type_error(format!("'{type_name}' object is not iterable")));
                }
                self.collect(&value)?
            }
            _ => {
                if args.kw("default").is_some() {
                    return Err(self.type_error(format!(
                        "Cannot specify a default for {name}() with multiple positional arguments"
                    )));
                }
                args.pos.clone()
            }
        };
        if items.is_empty() {
            return match args.kw("default") {
                Some(default) => Ok(default.clone()),
                None => Err(self.value_error(format!("{name}() arg is an empty sequence"))),
            };
        }
        let key = args.kw("key").cloned().filter(|key| !key.is_none());
        let mut best = items[0].clone();
        let mut best_key = match &key {
            Some(key) => self.call_sync(key.clone(), vec![best.clone()])?,
            None => best.clone(),
        };
        for item in items.into_iter().skip(1) {
            let item_key = match &key {
                Some(key) => self.call_sync(key.clone(), vec![item.clone()])?,
                None => item.clone(),
            };
            let op = if want == Ordering::Less { "<" } else { ">" };
            if self.compare(&item_key, &best_key, op)? == want {
                best = item;
                best_key = item_key;
            }
        }
        Ok(best)
    }

    fn builtin_sum(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["start"], "sum")?;
        let Some(iterable) = args.pos.first().cloned() else {
            return Err(self.type_error("sum() takes at least 1 positional argument (0 given)"));
        };
        let mut total = args.get(1, "start").cloned().unwrap_or(Value::Int(0));
        if let Value::Str(_) = total {
            return Err(self.type_error("sum() can't sum strings [use ''.join(seq) instead]"));
        }
        if !self.is_iterable(&iterable) {
            let type_name = self.type_name(&iterable);
            return Err(self.type_error(format!("'{type_name}' object is not iterable")));
        }
        for item in self.collect(&iterable)? {
            total = self.binary_op(weft_bytecode::BinOp::Add, &total, &item)?;
        }
        Ok(total)
    }

    fn builtin_abs(&mut self, args: &Args) -> Res<Value> {
        match self.one_arg(args, "abs")? {
            Value::Int(i) => match i.checked_abs() {
                Some(n) => Ok(Value::Int(n)),
                None => Err(self.int_overflow()),
            },
            Value::Bool(b) => Ok(Value::Int(i64::from(b))),
            Value::Float(f) => Ok(Value::Float(f.abs())),
            other => {
                let type_name = self.type_name(&other);
                Err(self.type_error(format!("bad operand type for abs(): '{type_name}'")))
            }
        }
    }

    fn builtin_round(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["number", "ndigits"], "round")?;
        let Some(number) = args.get(0, "number").cloned() else {
            return Err(self.type_error("round() missing required argument 'number' (pos 1)"));
        };
        let ndigits = match args.get(1, "ndigits").cloned() {
            None | Some(Value::None) => None,
            Some(value) => Some(self.int_arg(&value)?),
        };
        match (number, ndigits) {
            (Value::Int(i), None) => Ok(Value::Int(i)),
            (Value::Bool(b), None) => Ok(Value::Int(i64::from(b))),
            (Value::Int(i), Some(n)) if n >= 0 => Ok(Value::Int(i)),
            (Value::Bool(b), Some(n)) if n >= 0 => Ok(Value::Int(i64::from(b))),
            (Value::Int(i), Some(n)) => {
                if n < -18 {
                    return Ok(Value::Int(0));
                }
                let scale = 10_i64.pow((-n) as u32);
                let quotient = i.div_euclid(scale);
                let remainder = i.rem_euclid(scale);
                let doubled = remainder as i128 * 2;
                let rounded =
                    if doubled > scale as i128 || (doubled == scale as i128 && quotient % 2 != 0) {
                        quotient + 1
                    } else {
                        quotient
                    };
                match rounded.checked_mul(scale) {
                    Some(value) => Ok(Value::Int(value)),
                    None => Err(self.int_overflow()),
                }
            }
            (Value::Float(f), None) => self.float_to_int(f.round_ties_even()).map(Value::Int),
            (Value::Float(f), Some(n)) => {
                if !f.is_finite() {
                    return Ok(Value::Float(f));
                }
                if n >= 0 {
                    let n = n.min(330) as usize;
                    let text = format!("{f:.n$}");
                    Ok(Value::Float(text.parse().unwrap_or(f)))
                } else {
                    let scale = 10_f64.powi((-n).min(330) as i32);
                    Ok(Value::Float((f / scale).round_ties_even() * scale))
                }
            }
            (other, _) => {
                let type_name = self.type_name(&other);
                Err(self.type_error(format!("type {type_name} doesn't define __round__ method")))
            }
        }
    }

    fn builtin_any_all(&mut self, args: &Args, any: bool) -> Res<Value> {
        let value = self.one_arg(args, if any { "any" } else { "all" })?;
        if !self.is_iterable(&value) {
            let type_name = self.type_name(&value);
            return Err(self.type_error(format!("'{type_name}' object is not iterable")));
        }
        for item in self.collect(&value)? {
            if self.truthy(&item)? == any {
                return Ok(Value::Bool(any));
            }
        }
        Ok(Value::Bool(!any))
    }

    fn builtin_isinstance(&mut self, args: &Args) -> Res<Value> {
        if args.pos.len() != 2 {
            return Err(self.type_error(format!(
                "isinstance expected 2 arguments, got {}",
                args.pos.len()
            )));
        }
        let result = self.isinstance(&args.pos[0], &args.pos[1])?;
        Ok(Value::Bool(result))
    }

    /// `isinstance(value, classinfo)`.
    pub(crate) fn isinstance(&mut self, value: &Value, classinfo: &Value) -> Res<bool> {
        match classinfo {
            Value::Tuple(options) => {
                for option in options.iter() {
                    if self.isinstance(value, option)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Builtin(builtin) if builtin.is_type() => Ok(match (builtin, value) {
                (Builtin::TypeInt, Value::Int(_) | Value::Bool(_)) => true,
                (Builtin::TypeBool, Value::Bool(_)) => true,
                (Builtin::TypeFloat, Value::Float(_)) => true,
                (Builtin::TypeStr, Value::Str(_)) => true,
                (Builtin::TypeTuple, Value::Tuple(_)) => true,
                (Builtin::TypeList, Value::Obj(id)) => self.is_list(*id),
                (Builtin::TypeDict, Value::Obj(id)) => {
                    matches!(self.heap[id.index()].object, Object::Dict(_))
                }
                _ => false,
            }),
            Value::Obj(class) if matches!(self.heap[class.index()].object, Object::Class(_)) => {
                if *class == OBJECT_CLASS {
                    return Ok(true);
                }
                Ok(match value {
                    Value::Obj(id) => match &self.heap[id.index()].object {
                        Object::Instance(instance) => self.is_subclass(instance.class, *class),
                        _ => false,
                    },
                    _ => false,
                })
            }
            _ => {
                Err(self
                    .type_error("isinstance() arg 2 must be a type, a tuple of types, or a union"))
            }
        }
    }

    fn builtin_int(&mut self, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["base"], "int")?;
        let base = match args.get(1, "base").cloned() {
            Some(value) => Some(self.int_arg(&value)?),
            None => None,
        };
        let Some(value) = args.pos.first().cloned() else {
            return Ok(Value::Int(0));
        };
        match (&value, base) {
            (Value::Int(i), None) => Ok(Value::Int(*i)),
            (Value::Bool(b), None) => Ok(Value::Int(i64::from(*b))),
            (Value::Float(f), None) => self.float_to_int(f.trunc()).map(Value::Int),
            (Value::Str(text), base) => {
                let base = base.unwrap_or(10);
                if base != 0 && !(2..=36).contains(&base) {
                    return Err(self.value_error("int() base must be >= 2 and <= 36, or 0"));
                }
                match parse_int(text, base as u32) {
                    Some(Ok(n)) => Ok(Value::Int(n)),
                    Some(Err(())) => Err(self.int_overflow()),
                    None => {
                        let repr = crate::format::str_repr(text);
                        Err(self.value_error(format!(
                            "invalid literal for int() with base {base}: {repr}"
                        )))
                    }
                }
            }
            (_, Some(_)) => {
                Err(self.type_error("int() can't convert non-string with explicit base"))
            }
            (other, None) => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!(
                    "int() argument must be a string, a bytes-like object or a real number, not '{type_name}'"
                )))
            }
        }
    }

    fn builtin_float(&mut self, args: &Args) -> Res<Value> {
        let Some(value) = args.pos.first().cloned() else {
            return Ok(Value::Float(0.0));
        };
        match &value {
            Value::Float(f) => Ok(Value::Float(*f)),
            Value::Int(i) => Ok(Value::Float(*i as f64)),
            Value::Bool(b) => Ok(Value::Float(f64::from(u8::from(*b)))),
            Value::Str(text) => match parse_float(text) {
                Some(f) => Ok(Value::Float(f)),
                None => {
                    let repr = crate::format::str_repr(text);
                    Err(self.value_error(format!("could not convert string to float: {repr}")))
                }
            },
            other => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!(
                    "float() argument must be a string or a real number, not '{type_name}'"
                )))
            }
        }
    }

    fn builtin_dict(&mut self, args: &Args) -> Res<Value> {
        let dict = self.alloc(Object::Dict(Default::default()));
        if let Some(source) = args.pos.first().cloned() {
            self.dict_update(dict, &source)?;
        }
        for (name, value) in &args.kw {
            self.dict_set(dict, Value::Str(name.clone()), value.clone())?;
        }
        Ok(Value::Obj(dict))
    }

    /// Adds the entries of a mapping or of an iterable of pairs to a dict.
    pub(crate) fn dict_update(&mut self, dict: crate::ObjId, source: &Value) -> Res {
        self.read_container(source)?;
        if let Value::Obj(id) = source
            && let Object::Dict(entries) = &self.heap[id.index()].object
        {
            let pairs: Vec<(Value, Value)> = entries
                .entries()
                .iter()
                .map(|entry| (entry.key.clone(), entry.value.clone()))
                .collect();
            for (key, value) in pairs {
                self.dict_set(dict, key, value)?;
            }
            return Ok(());
        }
        if !self.is_iterable(source) {
            let type_name = self.type_name(source);
            return Err(self.type_error(format!("'{type_name}' object is not iterable")));
        }
        for (index, item) in self.collect(source)?.into_iter().enumerate() {
            let pair = if self.is_iterable(&item) {
                self.collect(&item)?
            } else {
                let type_name = self.type_name(&item);
                return Err(self.type_error(format!(
                    "cannot convert dictionary update sequence element #{index} to a sequence ({type_name})"
                )));
            };
            if pair.len() != 2 {
                return Err(self.value_error(format!(
                    "dictionary update sequence element #{index} has length {}; 2 is required",
                    pair.len()
                )));
            }
            let mut pair = pair.into_iter();
            let (key, value) = (
                pair.next().unwrap_or(Value::None),
                pair.next().unwrap_or(Value::None),
            );
            self.dict_set(dict, key, value)?;
        }
        Ok(())
    }
}

/// Parses an int literal the way `int(text, base)` does; `Some(Err)` is an overflow.
fn parse_int(text: &str, base: u32) -> Option<Result<i64, ()>> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (base, digits) = {
        let lower = digits.to_ascii_lowercase();
        let prefixed = |prefix: &str, radix: u32| {
            (lower.starts_with(prefix) && (base == 0 || base == radix))
                .then(|| (radix, &digits[2..]))
        };
        prefixed("0x", 16)
            .or_else(|| prefixed("0o", 8))
            .or_else(|| prefixed("0b", 2))
            .unwrap_or((if base == 0 { 10 } else { base }, digits))
    };
    let digits = digits
        .strip_prefix('_')
        .filter(|_| base != 10)
        .unwrap_or(digits);
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut value: i128 = 0;
    for c in digits.chars().filter(|c| *c != '_') {
        let digit = c.to_digit(base)?;
        value = value * base as i128 + digit as i128;
        if value > i64::MAX as i128 + 1 {
            return Some(Err(()));
        }
    }
    let value = if negative { -value } else { value };
    Some(i64::try_from(value).map_err(|_| ()))
}

/// Parses a float literal the way `float(text)` does.
fn parse_float(text: &str) -> Option<f64> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if matches!(unsigned, "inf" | "infinity" | "nan") {
        return lower.parse().ok();
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
    {
        return None;
    }
    let bytes: Vec<char> = text.chars().collect();
    let mut cleaned = String::with_capacity(text.len());
    for (i, c) in bytes.iter().enumerate() {
        if *c == '_' {
            let ok = i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(char::is_ascii_digit);
            if !ok {
                return None;
            }
            continue;
        }
        cleaned.push(*c);
    }
    cleaned.parse().ok()
}

impl Vm {
    /// An integral float as an int, with CPython's errors for NaN and infinity and weft's for
    /// values beyond 64 bits (used by `int()` after truncating and `round()` after rounding).
    fn float_to_int(&mut self, integral: f64) -> Res<i64> {
        if integral.is_nan() {
            return Err(self.value_error("cannot convert float NaN to integer"));
        }
        if integral.is_infinite() {
            return Err(self.error(
                ExcKind::OverflowError,
                "cannot convert float infinity to integer",
            ));
        }
        if integral.abs() >= I64_LIMIT {
            return Err(self.int_overflow());
        }
        Ok(integral as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_literals_parse_like_python() {
        assert_eq!(parse_int(" 42 ", 10), Some(Ok(42)));
        assert_eq!(parse_int("1_000", 10), Some(Ok(1000)));
        assert_eq!(parse_int("-0x1f", 16), Some(Ok(-31)));
        assert_eq!(parse_int("0x1f", 0), Some(Ok(31)));
        assert_eq!(parse_int("x", 10), None);
        assert_eq!(parse_int("1__0", 10), None);
        assert_eq!(parse_int("99999999999999999999", 10), Some(Err(())));
        assert_eq!(parse_int("-9223372036854775808", 10), Some(Ok(i64::MIN)));
    }

    #[test]
    fn float_literals_parse_like_python() {
        assert_eq!(parse_float(" 1.5 "), Some(1.5));
        assert_eq!(parse_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_float("-inf"), Some(f64::NEG_INFINITY));
        assert!(parse_float("nan").unwrap().is_nan());
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("abc"), None);
        assert_eq!(parse_float("1__0"), None);
    }
}
