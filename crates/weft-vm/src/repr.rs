//! `str()`, `repr()` and `format()` of values, `%`-formatting and `str.format`.

use std::fmt::Write;
use std::sync::Arc;

use crate::ObjId;
use crate::exceptions::ExcKind;
use crate::format::{self, PercentPiece, Spec};
use crate::heap::{Iter, Object, Payload, ViewKind};
use crate::interp::Res;
use crate::value::{Builtin, Value};
use crate::vm::{MAX_NESTING, Vm};

/// The fake address of an object in reprs (deterministic).
pub(crate) fn fake_address(id: ObjId) -> String {
    format!("0x7f{:010x}", 0x5a00_0000_u64 + u64::from(id.0) * 0x40)
}

impl Vm {
    /// The `repr` of a `Lock` or `RLock`.
    pub(crate) fn lock_repr(&self, id: ObjId) -> String {
        let Object::Lock(lock) = &self.heap[id.index()].object else {
            return format!("<object at {}>", fake_address(id));
        };
        let state = if lock.count > 0 { "locked" } else { "unlocked" };
        if lock.reentrant {
            let owner = lock.owner.map_or(0, |owner| owner.0 + 1);
            format!(
                "<{state} _thread.RLock object owner={owner} count={} at {}>",
                lock.count,
                fake_address(id)
            )
        } else {
            format!("<{state} _thread.lock object at {}>", fake_address(id))
        }
    }

    /// `str(value)`.
    pub(crate) fn str_of(&mut self, value: &Value) -> Res<String> {
        match value {
            Value::Str(text) => Ok(text.to_string()),
            Value::Obj(id) => {
                let str_ = self.tables.sym.str_;
                if let Some(func) = self.user_method(value, str_) {
                    return self.call_text_method(func, *id, "__str__");
                }
                if self.exception_data(*id).is_some() {
                    return Ok(self.exception_message(*id));
                }
                self.repr_of(value)
            }
            _ => self.repr_of(value),
        }
    }

    /// `repr(value)`.
    pub(crate) fn repr_of(&mut self, value: &Value) -> Res<String> {
        let mut out = String::new();
        let mut seen = Vec::new();
        self.write_repr(value, &mut out, &mut seen)?;
        Ok(out)
    }

    /// `repr(value)`, or a placeholder if a user `__repr__` raises (for event details and
    /// exception messages).
    pub(crate) fn repr_or_placeholder(&mut self, value: &Value) -> String {
        let saved = self.threads[self.current].progress;
        let text = self
            .repr_of(value)
            .unwrap_or_else(|_| "<repr failed>".to_owned());
        self.threads[self.current].progress = saved;
        text
    }

    /// `str(value)`, or a placeholder if a user `__str__` raises.
    pub(crate) fn str_or_placeholder(&mut self, value: &Value) -> String {
        self.str_of(value)
            .unwrap_or_else(|_| "<str failed>".to_owned())
    }

    fn call_text_method(&mut self, func: ObjId, receiver: ObjId, name: &str) -> Res<String> {
        match self.call_sync(Value::Method { func, receiver }, Vec::new())? {
            Value::Str(text) => Ok(text.to_string()),
            other => {
                let type_name = self.type_name(&other);
                Err(self.type_error(format!("{name} returned non-string (type {type_name})")))
            }
        }
    }

    fn write_repr(&mut self, value: &Value, out: &mut String, seen: &mut Vec<ObjId>) -> Res {
        if self.nesting >= MAX_NESTING {
            return Err(self.error(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        self.nesting += 1;
        let result = self.write_repr_nested(value, out, seen);
        self.nesting -= 1;
        result
    }

    fn write_repr_nested(&mut self, value: &Value, out: &mut String, seen: &mut Vec<ObjId>) -> Res {
        match value {
            Value::Unbound => out.push_str("<unbound>"),
            Value::None => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&format::float_repr(*f)),
            Value::Str(text) => out.push_str(&format::str_repr(text)),
            Value::Tuple(items) => {
                out.push('(');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_repr(item, out, seen)?;
                }
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Value::Range(range) => {
                if range.step == 1 {
                    let _ = write!(out, "range({}, {})", range.start, range.stop);
                } else {
                    let _ = write!(
                        out,
                        "range({}, {}, {})",
                        range.start, range.stop, range.step
                    );
                }
            }
            Value::Builtin(builtin) => out.push_str(&builtin_repr(*builtin)),
            Value::Method { func, receiver } => {
                let qualname = match &self.heap[func.index()].object {
                    Object::Function(function) => self.program.code(function.code).qualname.clone(),
                    _ => "?".to_owned(),
                };
                let _ = write!(out, "<bound method {qualname} of ");
                self.write_repr(&Value::Obj(*receiver), out, seen)?;
                out.push('>');
            }
            Value::Native(method, receiver) => {
                let type_name = self.type_name(&Value::Obj(*receiver));
                let _ = write!(
                    out,
                    "<built-in method {} of {type_name} object at {}>",
                    method.name(),
                    fake_address(*receiver)
                );
            }
            Value::StrMethod(method, _) => {
                let _ = write!(out, "<built-in method {} of str object>", method.name());
            }
            Value::BoundBuiltin(builtin, receiver) => {
                let type_name = self.type_name(&Value::Obj(*receiver));
                let _ = write!(
                    out,
                    "<method-wrapper '{}' of {type_name} object at {}>",
                    builtin.name(),
                    fake_address(*receiver)
                );
            }
            Value::Super { class, receiver } => {
                let class_name = self.class_name(*class);
                let type_name = self.type_name(&Value::Obj(*receiver));
                let _ = write!(out, "<super: <class '{class_name}'>, <{type_name} object>>");
            }
            Value::Obj(id) => self.write_obj_repr(*id, out, seen)?,
        }
        Ok(())
    }

    fn write_obj_repr(&mut self, id: ObjId, out: &mut String, seen: &mut Vec<ObjId>) -> Res {
        let repr = self.tables.sym.repr;
        if let Some(func) = self.user_method(&Value::Obj(id), repr) {
            let text = self.call_text_method(func, id, "__repr__")?;
            out.push_str(&text);
            return Ok(());
        }
        match &self.heap[id.index()].object {
            Object::List(items) => {
                if seen.contains(&id) {
                    out.push_str("[...]");
                    return Ok(());
                }
                let items = items.clone();
                seen.push(id);
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_repr(item, out, seen)?;
                }
                out.push(']');
                seen.pop();
            }
            Object::Dict(dict) => {
                if seen.contains(&id) {
                    out.push_str("{...}");
                    return Ok(());
                }
                let entries: Vec<(Value, Value)> = dict
                    .entries()
                    .iter()
                    .map(|entry| (entry.key.clone(), entry.value.clone()))
                    .collect();
                seen.push(id);
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_repr(key, out, seen)?;
                    out.push_str(": ");
                    self.write_repr(value, out, seen)?;
                }
                out.push('}');
                seen.pop();
            }
            Object::Instance(instance) => {
                let class = instance.class;
                match &instance.payload {
                    Payload::Exception(data) => {
                        let args = data.args.clone();
                        out.push_str(&self.class_name(class));
                        if args.len() == 1 {
                            out.push('(');
                            self.write_repr(&args[0], out, seen)?;
                            out.push(')');
                        } else {
                            self.write_repr(&Value::Tuple(args), out, seen)?;
                        }
                    }
                    Payload::Thread(data) => {
                        let status = match data.thread {
                            None => "initial".to_owned(),
                            Some(thread) if self.thread_finished(thread.index()) => {
                                format!("stopped {}", thread.0 + 1)
                            }
                            Some(thread) => format!("started {}", thread.0 + 1),
                        };
                        let daemon = if data.daemon { " daemon" } else { "" };
                        let _ = write!(
                            out,
                            "<{}({}, {status}{daemon})>",
                            self.class_name(class),
                            data.name
                        );
                    }
                    Payload::Sync(_) if self.class_module(class) != "__main__" => {
                        let text = self.sync_repr(id, &fake_address(id)).unwrap_or_default();
                        out.push_str(&text);
                    }
                    Payload::None | Payload::Sync(_) => {
                        let _ = write!(
                            out,
                            "<__main__.{} object at {}>",
                            self.class_name(class),
                            fake_address(id)
                        );
                    }
                }
            }
            Object::Class(class) => {
                if class.module == "builtins" {
                    let _ = write!(out, "<class '{}'>", class.name);
                } else {
                    let _ = write!(out, "<class '{}.{}'>", class.module, class.name);
                }
            }
            Object::Function(function) => {
                let qualname = &self.program.code(function.code).qualname;
                let _ = write!(out, "<function {qualname} at {}>", fake_address(id));
            }
            Object::Lock(_) => out.push_str(&self.lock_repr(id)),
            Object::Cell(_) => {
                let _ = write!(out, "<cell at {}>", fake_address(id));
            }
            Object::Iter(iter, _) => {
                let kind = match iter {
                    Iter::Enumerate { .. } => "enumerate",
                    _ => "iterator",
                };
                let _ = write!(out, "<{kind} object at {}>", fake_address(id));
            }
            Object::DictView { dict, kind } => {
                let (dict, kind) = (*dict, *kind);
                let items: Vec<Value> = match &self.heap[dict.index()].object {
                    Object::Dict(entries) => entries
                        .entries()
                        .iter()
                        .map(|entry| match kind {
                            ViewKind::Keys => entry.key.clone(),
                            ViewKind::Values => entry.value.clone(),
                            ViewKind::Items => {
                                Value::tuple(vec![entry.key.clone(), entry.value.clone()])
                            }
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let _ = write!(out, "{}([", kind.type_name());
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_repr(item, out, seen)?;
                }
                out.push_str("])");
            }
            Object::Free => out.push_str("<freed>"),
        }
        Ok(())
    }

    /// `format(value, spec)`.
    pub(crate) fn format_value(&mut self, value: &Value, spec: &str) -> Res<String> {
        if spec.is_empty() {
            return self.str_of(value);
        }
        let parsed = match Spec::parse(spec) {
            Ok(parsed) => parsed,
            Err(message) => return Err(self.value_error(message)),
        };
        let result = match value {
            Value::Int(i) => format::format_int(*i, &parsed),
            Value::Bool(b) => format::format_int(i64::from(*b), &parsed),
            Value::Float(f) => format::format_float(*f, &parsed),
            Value::Str(text) => format::format_str(text, &parsed),
            other => {
                let type_name = self.type_name(other);
                return Err(self.type_error(format!(
                    "unsupported format string passed to {type_name}.__format__"
                )));
            }
        };
        result.map_err(|message| self.value_error(message))
    }

    /// `format % args`.
    pub(crate) fn percent_format(&mut self, format: &str, args: &Value) -> Res<String> {
        let pieces = format::parse_percent(format).map_err(|message| self.value_error(message))?;
        let mapping = match args {
            Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Dict(_)) => Some(*id),
            _ => None,
        };
        let items: Vec<Value> = match args {
            Value::Tuple(items) => items.to_vec(),
            other => vec![other.clone()],
        };
        let mut next = 0;
        let mut out = String::new();
        for piece in &pieces {
            let spec = match piece {
                PercentPiece::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                PercentPiece::Conversion(spec) => spec,
            };
            let arg = match (&spec.key, mapping) {
                (Some(key), Some(dict)) => {
                    let key = Value::str(key);
                    match self.dict_find(dict, &key)? {
                        Some(position) => self.dict_value_at(dict, position),
                        None => return Err(self.key_error(key)),
                    }
                }
                (Some(_), None) => return Err(self.type_error("format requires a mapping")),
                (None, _) => {
                    let Some(arg) = items.get(next) else {
                        return Err(self.type_error("not enough arguments for format string"));
                    };
                    next += 1;
                    arg.clone()
                }
            };
            let text = match spec.kind {
                's' => spec.pad_text(&self.str_of(&arg)?),
                'r' => spec.pad_text(&self.repr_of(&arg)?),
                'a' => {
                    let repr = self.repr_of(&arg)?;
                    spec.pad_text(&format::ascii_escape(&repr))
                }
                'c' => match &arg {
                    Value::Str(text) if text.chars().count() == 1 => spec.pad_text(text),
                    Value::Int(i) => match u32::try_from(*i).ok().and_then(char::from_u32) {
                        Some(c) => spec.pad_text(&c.to_string()),
                        None => {
                            return Err(
                                self.error(ExcKind::OverflowError, "%c arg not in range(0x110000)")
                            );
                        }
                    },
                    _ => return Err(self.type_error("%c requires int or char")),
                },
                'd' | 'i' | 'u' => match &arg {
                    Value::Int(i) => spec.format_int(*i),
                    Value::Bool(b) => spec.format_int(i64::from(*b)),
                    Value::Float(f) => {
                        if !f.is_finite() {
                            let message = if f.is_nan() {
                                "cannot convert float NaN to integer"
                            } else {
                                "cannot convert float infinity to integer"
                            };
                            let kind = if f.is_nan() {
                                ExcKind::ValueError
                            } else {
                                ExcKind::OverflowError
                            };
                            return Err(self.error(kind, message));
                        }
                        spec.format_int(f.trunc() as i64)
                    }
                    other => {
                        let type_name = self.type_name(other);
                        return Err(self.type_error(format!(
                            "%{} format: a real number is required, not {type_name}",
                            spec.kind
                        )));
                    }
                },
                'o' | 'x' | 'X' => match &arg {
                    Value::Int(i) => spec.format_int(*i),
                    Value::Bool(b) => spec.format_int(i64::from(*b)),
                    other => {
                        let type_name = self.type_name(other);
                        return Err(self.type_error(format!(
                            "%{} format: an integer is required, not {type_name}",
                            spec.kind
                        )));
                    }
                },
                _ => match &arg {
                    Value::Int(i) => spec.format_float(*i as f64),
                    Value::Bool(b) => spec.format_float(f64::from(u8::from(*b))),
                    Value::Float(f) => spec.format_float(*f),
                    other => {
                        let type_name = self.type_name(other);
                        return Err(
                            self.type_error(format!("must be real number, not {type_name}"))
                        );
                    }
                },
            };
            out.push_str(&text);
        }
        if mapping.is_none() && next < items.len() {
            return Err(self.type_error("not all arguments converted during string formatting"));
        }
        Ok(out)
    }

    /// `template.format(*args, **kwargs)`.
    pub(crate) fn str_format(&mut self, template: &str, args: &crate::call::Args) -> Res<String> {
        let chars: Vec<char> = template.chars().collect();
        let mut out = String::new();
        let mut auto_index = 0usize;
        let mut numbering: Option<bool> = None; // Some(true): automatic, Some(false): manual
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '}' {
                if chars.get(i + 1) == Some(&'}') {
                    out.push('}');
                    i += 2;
                    continue;
                }
                return Err(self.value_error("Single '}' encountered in format string"));
            }
            if c != '{' {
                out.push(c);
                i += 1;
                continue;
            }
            if chars.get(i + 1) == Some(&'{') {
                out.push('{');
                i += 2;
                continue;
            }
            // Find the matching close brace (allowing one level of nesting in the spec).
            let mut depth = 1;
            let mut j = i + 1;
            while j < chars.len() && depth > 0 {
                match chars[j] {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if depth > 0 {
                return Err(self.value_error("Single '{' encountered in format string"));
            }
            let field: String = chars[i + 1..j - 1].iter().collect();
            i = j;
            let (head, spec) = match field.find(':') {
                Some(at) => (&field[..at], &field[at + 1..]),
                None => (field.as_str(), ""),
            };
            let (name, conversion) = match head.find('!') {
                Some(at) => (&head[..at], Some(&head[at + 1..])),
                None => (head, None),
            };
            let value = if name.is_empty() {
                if numbering == Some(false) {
                    return Err(self.value_error(
                        "cannot switch from manual field specification to automatic field numbering",
                    ));
                }
                numbering = Some(true);
                let index = auto_index;
                auto_index += 1;
                match args.pos.get(index) {
                    Some(value) => value.clone(),
                    None => {
                        return Err(self.error(
                            ExcKind::IndexError,
                            format!(
                                "Replacement index {index} out of range for positional args tuple"
                            ),
                        ));
                    }
                }
            } else if let Ok(index) = name.parse::<usize>() {
                if numbering == Some(true) {
                    return Err(self.value_error(
                        "cannot switch from automatic field numbering to manual field specification",
                    ));
                }
                numbering = Some(false);
                match args.pos.get(index) {
                    Some(value) => value.clone(),
                    None => {
                        return Err(self.error(
                            ExcKind::IndexError,
                            format!(
                                "Replacement index {index} out of range for positional args tuple"
                            ),
                        ));
                    }
                }
            } else if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                match args.kw(name) {
                    Some(value) => value.clone(),
                    None => return Err(self.key_error(Value::str(name))),
                }
            } else {
                return Err(self.unsupported("attribute or index lookups inside str.format fields"));
            };
            let value = match conversion {
                None => value,
                Some("s") => Value::Str(Arc::from(self.str_of(&value)?)),
                Some("r") => Value::Str(Arc::from(self.repr_of(&value)?)),
                Some("a") => {
                    let repr = self.repr_of(&value)?;
                    Value::Str(Arc::from(format::ascii_escape(&repr)))
                }
                Some(other) => {
                    let other = other.to_owned();
                    return Err(self.value_error(format!("Unknown conversion specifier {other}")));
                }
            };
            let spec = if spec.contains('{') {
                self.str_format(spec, args)?
            } else {
                spec.to_owned()
            };
            let text = self.format_value(&value, &spec)?;
            out.push_str(&text);
        }
        Ok(out)
    }
}

/// The repr of a builtin function, type or module.
fn builtin_repr(builtin: Builtin) -> String {
    match builtin {
        Builtin::ModThreading => "<module 'threading'>".to_owned(),
        Builtin::ModTime => "<module 'time' (built-in)>".to_owned(),
        Builtin::ModSys => "<module 'sys' (built-in)>".to_owned(),
        module if module.is_module() => format!("<module '{}'>", module.name()),
        b if b.is_type() => format!("<class '{}'>", b.name()),
        Builtin::Lock => "<built-in function allocate_lock>".to_owned(),
        Builtin::RLock => "<function RLock>".to_owned(),
        b => format!("<built-in function {}>", b.name()),
    }
}
