//! Native methods of lists, dicts and strings (lock and thread methods live in
//! [`crate::library`]). Each list/dict method is one visible operation on the container.

use std::sync::Arc;

use crate::ObjId;
use crate::call::Args;
use crate::exceptions::ExcKind;
use crate::heap::{Object, ViewKind};
use crate::interp::Res;
use crate::value::{Method, Value};
use crate::vm::Vm;

impl Vm {
    /// Calls a native method bound to a heap object.
    pub(crate) fn call_method(
        &mut self,
        method: Method,
        receiver: ObjId,
        args: &Args,
    ) -> Res<Value> {
        match method {
            Method::LockAcquire
            | Method::LockRelease
            | Method::LockLocked
            | Method::LockEnter
            | Method::LockExit => self.call_lock_method(method, receiver, args),
            Method::ThreadStart
            | Method::ThreadJoin
            | Method::ThreadIsAlive
            | Method::ThreadRun
            | Method::ThreadGetName => self.call_thread_method(method, receiver, args),
            Method::TimerCancel => self.timer_cancel(receiver),
            _ if self.sync_state(receiver).is_some() => {
                self.call_sync_method(method, receiver, args)
            }
            Method::DictGet
            | Method::DictKeys
            | Method::DictValues
            | Method::DictItems
            | Method::DictPop
            | Method::DictSetdefault
            | Method::DictUpdate
            | Method::DictClear
            | Method::DictCopy => self.call_dict_method(method, receiver, args),
            _ => self.call_list_method(method, receiver, args),
        }
    }

    fn arity(&mut self, args: &Args, name: &str, min: usize, max: usize) -> Res {
        if !args.kw.is_empty() {
            return Err(self.type_error(format!("{name}() takes no keyword arguments")));
        }
        let n = args.pos.len();
        if n < min || n > max {
            let message = if min == max {
                match min {
                    0 => format!("{name}() takes no arguments ({n} given)"),
                    1 => format!("{name}() takes exactly one argument ({n} given)"),
                    _ => format!("{name} expected {min} arguments, got {n}"),
                }
            } else if n < min {
                format!(
                    "{name} expected at least {min} argument{}, got {n}",
                    if min == 1 { "" } else { "s" }
                )
            } else {
                format!(
                    "{name} expected at most {max} argument{}, got {n}",
                    if max == 1 { "" } else { "s" }
                )
            };
            return Err(self.type_error(message));
        }
        Ok(())
    }

    fn list_mut(&mut self, list: ObjId) -> &mut Vec<Value> {
        match &mut self.heap[list.index()].object {
            Object::List(items) => items,
            _ => unreachable!("a list method on a non-list"),
        }
    }

    fn call_list_method(&mut self, method: Method, list: ObjId, args: &Args) -> Res<Value> {
        let container = Value::Obj(list);
        let writes = matches!(
            method,
            Method::ListAppend
                | Method::ListPop
                | Method::ListExtend
                | Method::ListInsert
                | Method::ListRemove
                | Method::ListClear
                | Method::ListReverse
                | Method::ListSort
        );
        let name = format!("list.{}", method.name());
        // Validate arguments first: a call that fails this way touches nothing.
        match method {
            Method::ListAppend | Method::ListExtend | Method::ListRemove | Method::ListCount => {
                self.arity(args, &name, 1, 1)?;
            }
            Method::ListPop => self.arity(args, "pop", 0, 1)?,
            Method::ListInsert => self.arity(args, "insert", 2, 2)?,
            Method::ListIndex => self.arity(args, "index", 1, 3)?,
            Method::ListSort => {
                if !args.pos.is_empty() {
                    return Err(self.type_error("sort() takes no positional arguments"));
                }
                self.check_kwargs(args, &["key", "reverse"], "sort")?;
            }
            _ => self.arity(args, &name, 0, 0)?,
        }
        if method == Method::ListExtend && !self.is_iterable(&args.pos[0]) {
            let type_name = self.type_name(&args.pos[0]);
            return Err(self.type_error(format!("'{type_name}' object is not iterable")));
        }
        if writes {
            self.write_container(&container)?;
        } else {
            self.read_container(&container)?;
        }
        match method {
            Method::ListAppend => {
                let value = args.pos[0].clone();
                self.detail_value(&value);
                if self.is_shared(list) {
                    self.publish(&value);
                }
                self.list_mut(list).push(value);
                Ok(Value::None)
            }
            Method::ListExtend => {
                let items = self.collect(&args.pos[0].clone())?;
                if self.is_shared(list) {
                    self.publish(&Value::tuple(items.clone()));
                }
                self.list_mut(list).extend(items);
                Ok(Value::None)
            }
            Method::ListPop => {
                let len = self.list_items(list).len();
                if len == 0 {
                    return Err(self.error(ExcKind::IndexError, "pop from empty list"));
                }
                let index = match args.pos.first() {
                    Some(value) => {
                        let value = value.clone();
                        self.int_arg(&value)?
                    }
                    None => -1,
                };
                let index = if index < 0 { index + len as i64 } else { index };
                if !(0..len as i64).contains(&index) {
                    return Err(self.error(ExcKind::IndexError, "pop index out of range"));
                }
                let value = self.list_mut(list).remove(index as usize);
                self.detail_value(&value);
                Ok(value)
            }
            Method::ListInsert => {
                let index = self.int_arg(&args.pos[0].clone())?;
                let len = self.list_items(list).len() as i64;
                let index = if index < 0 {
                    (index + len).max(0)
                } else {
                    index.min(len)
                };
                self.list_mut(list)
                    .insert(index as usize, args.pos[1].clone());
                Ok(Value::None)
            }
            Method::ListRemove => {
                let target = &args.pos[0];
                let position = self
                    .list_items(list)
                    .iter()
                    .position(|item| self.eq(item, target));
                match position {
                    Some(position) => {
                        self.list_mut(list).remove(position);
                        Ok(Value::None)
                    }
                    None => Err(self.value_error("list.remove(x): x not in list")),
                }
            }
            Method::ListIndex => {
                let target = &args.pos[0];
                let len = self.list_items(list).len();
                let start = match args.pos.get(1) {
                    Some(value) => self.clamp_index(&value.clone(), len)?,
                    None => 0,
                };
                let end = match args.pos.get(2) {
                    Some(value) => self.clamp_index(&value.clone(), len)?,
                    None => len,
                };
                let position = self.list_items(list)[start..end.max(start)]
                    .iter()
                    .position(|item| self.eq(item, target));
                match position {
                    Some(position) => Ok(Value::Int((start + position) as i64)),
                    None => {
                        let repr = self.repr_of(&target.clone())?;
                        Err(self.value_error(format!("{repr} is not in list")))
                    }
                }
            }
            Method::ListCount => {
                let target = &args.pos[0];
                let count = self
                    .list_items(list)
                    .iter()
                    .filter(|item| self.eq(item, target))
                    .count();
                Ok(Value::Int(count as i64))
            }
            Method::ListClear => {
                self.list_mut(list).clear();
                Ok(Value::None)
            }
            Method::ListCopy => {
                let items = self.list_items(list).to_vec();
                Ok(Value::Obj(self.alloc(Object::List(items))))
            }
            Method::ListReverse => {
                self.list_mut(list).reverse();
                Ok(Value::None)
            }
            Method::ListSort => {
                let items = self.list_items(list).to_vec();
                let reverse = match args.kw("reverse").cloned() {
                    Some(value) => self.truthy(&value)?,
                    None => false,
                };
                let sorted = self.sort_values(items, args.kw("key").cloned(), reverse)?;
                *self.list_mut(list) = sorted;
                Ok(Value::None)
            }
            _ => unreachable!("not a list method: {method:?}"),
        }
    }

    /// A slice-style index for `list.index(x, start, end)`.
    fn clamp_index(&mut self, value: &Value, len: usize) -> Res<usize> {
        let index = self.int_arg(value)?;
        let len = len as i64;
        let index = if index < 0 {
            (index + len).max(0)
        } else {
            index.min(len)
        };
        Ok(index as usize)
    }

    fn call_dict_method(&mut self, method: Method, dict: ObjId, args: &Args) -> Res<Value> {
        let container = Value::Obj(dict);
        match method {
            Method::DictGet => self.arity(args, "get", 1, 2)?,
            Method::DictPop => self.arity(args, "pop", 1, 2)?,
            Method::DictSetdefault => self.arity(args, "setdefault", 1, 2)?,
            Method::DictUpdate => {
                if args.pos.len() > 1 {
                    return Err(self.type_error(format!(
                        "update expected at most 1 argument, got {}",
                        args.pos.len()
                    )));
                }
            }
            _ => {
                let name = format!("dict.{}", method.name());
                self.arity(args, &name, 0, 0)?;
            }
        }
        if let Some(key) = args.pos.first()
            && matches!(
                method,
                Method::DictGet | Method::DictPop | Method::DictSetdefault
            )
        {
            // Hash first: an unhashable key fails before touching the dict.
            let key = key.clone();
            self.hash(&key)?;
        }
        match method {
            // A lookup reads one item (a missing key is part of its item); so do `pop` and
            // `setdefault` when they change nothing: a missing key for `pop`, a present one for
            // `setdefault`. Removing or adding a key changes the dict's shape.
            Method::DictGet | Method::DictPop | Method::DictSetdefault => {
                let key = args.pos[0].clone();
                let present = self
                    .key_hash(&key)
                    .and_then(|hash| match &self.heap[dict.index()].object {
                        Object::Dict(entries) => {
                            entries.find(hash, |candidate| self.eq(candidate, &key))
                        }
                        _ => None,
                    })
                    .is_some();
                let changes = match method {
                    Method::DictPop => present,
                    Method::DictSetdefault => !present,
                    _ => false,
                };
                if changes {
                    self.write_dict_key(&container, &key)?;
                } else {
                    self.read_item(&container, &key)?;
                }
            }
            Method::DictUpdate | Method::DictClear => self.write_container(&container)?,
            // A view reads the dict only when it is used.
            Method::DictKeys | Method::DictValues | Method::DictItems => {}
            _ => self.read_container(&container)?,
        }
        match method {
            Method::DictGet => {
                let key = args.pos[0].clone();
                let value = match self.dict_find(dict, &key)? {
                    Some(position) => self.dict_value_at(dict, position),
                    None => args.pos.get(1).cloned().unwrap_or(Value::None),
                };
                self.detail_value(&value);
                Ok(value)
            }
            Method::DictKeys | Method::DictValues | Method::DictItems => {
                let kind = match method {
                    Method::DictKeys => ViewKind::Keys,
                    Method::DictValues => ViewKind::Values,
                    _ => ViewKind::Items,
                };
                Ok(Value::Obj(self.alloc(Object::DictView { dict, kind })))
            }
            Method::DictPop => {
                let key = args.pos[0].clone();
                match self.dict_find(dict, &key)? {
                    Some(position) => {
                        let Object::Dict(entries) = &mut self.heap[dict.index()].object else {
                            unreachable!()
                        };
                        Ok(entries.remove_at(position).value)
                    }
                    None => match args.pos.get(1) {
                        Some(default) => Ok(default.clone()),
                        None => Err(self.key_error(key)),
                    },
                }
            }
            Method::DictSetdefault => {
                let key = args.pos[0].clone();
                match self.dict_find(dict, &key)? {
                    Some(position) => Ok(self.dict_value_at(dict, position)),
                    None => {
                        let default = args.pos.get(1).cloned().unwrap_or(Value::None);
                        self.dict_set(dict, key, default.clone())?;
                        Ok(default)
                    }
                }
            }
            Method::DictUpdate => {
                if let Some(source) = args.pos.first() {
                    let source = source.clone();
                    self.dict_update(dict, &source)?;
                }
                for (name, value) in &args.kw {
                    self.dict_set(dict, Value::Str(name.clone()), value.clone())?;
                }
                Ok(Value::None)
            }
            Method::DictClear => {
                if let Object::Dict(entries) = &mut self.heap[dict.index()].object {
                    entries.clear();
                }
                Ok(Value::None)
            }
            Method::DictCopy => {
                let copy = match &self.heap[dict.index()].object {
                    Object::Dict(entries) => entries.clone(),
                    _ => Default::default(),
                };
                Ok(Value::Obj(self.alloc(Object::Dict(copy))))
            }
            _ => unreachable!("not a dict method: {method:?}"),
        }
    }

    fn str_arg(&mut self, value: &Value, what: &str) -> Res<Arc<str>> {
        match value {
            Value::Str(text) => Ok(text.clone()),
            other => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!("{what} must be str, not {type_name}")))
            }
        }
    }

    /// Calls a native method bound to a string.
    pub(crate) fn call_str_method(
        &mut self,
        method: Method,
        text: &Arc<str>,
        args: &Args,
    ) -> Res<Value> {
        let text_value = |s: String| Value::Str(Arc::from(s));
        match method {
            Method::StrFormat => {
                let read = args
                    .pos
                    .iter()
                    .chain(args.kw.iter().map(|(_, value)| value))
                    .find_map(|value| self.print_read_location(value));
                if let Some(location) = read {
                    self.visible(crate::Op::Read(location))?;
                }
                Ok(text_value(self.str_format(text, args)?))
            }
            Method::StrJoin => {
                self.arity(args, "str.join", 1, 1)?;
                let iterable = args.pos[0].clone();
                if !self.is_iterable(&iterable) {
                    return Err(self.type_error("can only join an iterable"));
                }
                let items = self.collect(&iterable)?;
                let mut out = String::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(text);
                    }
                    match item {
                        Value::Str(piece) => out.push_str(piece),
                        other => {
                            let type_name = self.type_name(other);
                            return Err(self.type_error(format!(
                                "sequence item {i}: expected str instance, {type_name} found"
                            )));
                        }
                    }
                }
                Ok(text_value(out))
            }
            Method::StrSplit => {
                self.check_kwargs(args, &["sep", "maxsplit"], "split")?;
                let sep = match args.get(0, "sep").cloned() {
                    None | Some(Value::None) => None,
                    Some(value) => Some(self.str_arg(&value, "must be str or None, not")?),
                };
                let maxsplit = match args.get(1, "maxsplit").cloned() {
                    Some(value) => self.int_arg(&value)?,
                    None => -1,
                };
                let limit = if maxsplit < 0 {
                    usize::MAX
                } else {
                    maxsplit as usize + 1
                };
                let parts: Vec<Value> = match &sep {
                    Some(sep) if sep.is_empty() => return Err(self.value_error("empty separator")),
                    Some(sep) => text.splitn(limit, &**sep).map(Value::str).collect(),
                    None => split_whitespace(text, limit)
                        .into_iter()
                        .map(Value::str)
                        .collect(),
                };
                Ok(Value::Obj(self.alloc(Object::List(parts))))
            }
            Method::StrStrip | Method::StrLstrip | Method::StrRstrip => {
                let chars: Option<Vec<char>> = match args.pos.first() {
                    None | Some(Value::None) => None,
                    Some(value) => {
                        Some(self.str_arg(&value.clone(), "strip arg")?.chars().collect())
                    }
                };
                let matches = |c: char| match &chars {
                    Some(set) => set.contains(&c),
                    None => c.is_whitespace(),
                };
                let out = match method {
                    Method::StrStrip => text.trim_matches(matches),
                    Method::StrLstrip => text.trim_start_matches(matches),
                    _ => text.trim_end_matches(matches),
                };
                Ok(Value::str(out))
            }
            Method::StrUpper => Ok(text_value(text.to_uppercase())),
            Method::StrLower => Ok(text_value(text.to_lowercase())),
            Method::StrCapitalize => {
                let mut chars = text.chars();
                let out = match chars.next() {
                    Some(first) => first
                        .to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect(),
                    None => String::new(),
                };
                Ok(text_value(out))
            }
            Method::StrTitle => {
                let mut out = String::with_capacity(text.len());
                let mut previous_cased = false;
                for c in text.chars() {
                    if previous_cased {
                        out.extend(c.to_lowercase());
                    } else {
                        out.extend(c.to_uppercase());
                    }
                    previous_cased = c.is_alphabetic();
                }
                Ok(text_value(out))
            }
            Method::StrReplace => {
                self.arity(args, "replace", 2, 3)?;
                let old = self.str_arg(&args.pos[0].clone(), "replace() argument 1")?;
                let new = self.str_arg(&args.pos[1].clone(), "replace() argument 2")?;
                let count = match args.pos.get(2) {
                    Some(value) => self.int_arg(&value.clone())?,
                    None => -1,
                };
                let out = if count < 0 {
                    text.replace(&*old, &new)
                } else {
                    text.replacen(&*old, &new, count as usize)
                };
                Ok(text_value(out))
            }
            Method::StrStartswith | Method::StrEndswith => {
                self.arity(args, method.name(), 1, 1)?;
                let prefixes: Vec<Value> = match &args.pos[0] {
                    Value::Tuple(items) => items.to_vec(),
                    other => vec![other.clone()],
                };
                for prefix in prefixes {
                    let Value::Str(prefix) = prefix else {
                        let type_name = self.type_name(&prefix);
                        return Err(self.type_error(format!(
                            "{} first arg must be str or a tuple of str, not {type_name}",
                            method.name()
                        )));
                    };
                    let hit = if method == Method::StrStartswith {
                        text.starts_with(&*prefix)
                    } else {
                        text.ends_with(&*prefix)
                    };
                    if hit {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            Method::StrFind | Method::StrIndex => {
                self.arity(args, method.name(), 1, 1)?;
                let needle = self.str_arg(&args.pos[0].clone(), "must be str, not")?;
                match text.find(&*needle) {
                    Some(byte) => Ok(Value::Int(text[..byte].chars().count() as i64)),
                    None if method == Method::StrFind => Ok(Value::Int(-1)),
                    None => Err(self.value_error("substring not found")),
                }
            }
            Method::StrCount => {
                self.arity(args, "count", 1, 1)?;
                let needle = self.str_arg(&args.pos[0].clone(), "must be str, not")?;
                let count = if needle.is_empty() {
                    text.chars().count() + 1
                } else {
                    text.matches(&*needle).count()
                };
                Ok(Value::Int(count as i64))
            }
            Method::StrIsdigit => Ok(Value::Bool(
                !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()),
            )),
            Method::StrIsalpha => Ok(Value::Bool(
                !text.is_empty() && text.chars().all(char::is_alphabetic),
            )),
            Method::StrLjust | Method::StrRjust | Method::StrCenter => {
                self.arity(args, method.name(), 1, 2)?;
                let width = self.int_arg(&args.pos[0].clone())?.max(0) as usize;
                let fill = match args.pos.get(1) {
                    Some(Value::Str(fill)) if fill.chars().count() == 1 => {
                        fill.chars().next().unwrap_or(' ')
                    }
                    Some(_) => {
                        return Err(self
                            .type_error("The fill character must be exactly one character long"));
                    }
                    None => ' ',
                };
                let len = text.chars().count();
                let missing = width.saturating_sub(len);
                let (left, right) = match method {
                    Method::StrLjust => (0, missing),
                    Method::StrRjust => (missing, 0),
                    _ => {
                        // CPython's centering puts the extra fill on the left when the width is odd.
                        let left = missing / 2 + (missing & width & 1);
                        (left, missing - left)
                    }
                };
                let mut out = String::new();
                out.extend(std::iter::repeat_n(fill, left));
                out.push_str(text);
                out.extend(std::iter::repeat_n(fill, right));
                Ok(text_value(out))
            }
            Method::StrZfill => {
                self.arity(args, "zfill", 1, 1)?;
                let width = self.int_arg(&args.pos[0].clone())?.max(0) as usize;
                let len = text.chars().count();
                if len >= width {
                    return Ok(Value::Str(text.clone()));
                }
                let (sign, digits) = match text.chars().next() {
                    Some(c @ ('+' | '-')) => (c.to_string(), &text[1..]),
                    _ => (String::new(), &text[..]),
                };
                Ok(text_value(format!(
                    "{sign}{}{digits}",
                    "0".repeat(width - len)
                )))
            }
            _ => unreachable!("not a str method: {method:?}"),
        }
    }
}

/// `str.split()` without a separator.
fn split_whitespace(text: &str, limit: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if parts.len() + 1 == limit {
            parts.push(rest);
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        parts.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    parts
}
