//! Operators on values: truthiness, equality, hashing, ordering, arithmetic, with CPython's
//! error messages.

use std::cmp::Ordering;
use std::sync::Arc;

use weft_bytecode::{BinOp, CmpOp, UnaryOp};

use crate::exceptions::ExcKind;
use crate::heap::{Iter, Object, Payload, ViewKind};
use crate::interp::{Interrupt, Res};
use crate::value::{Builtin, Value};
use crate::vm::{MAX_NESTING, Vm};

/// A number operand after promoting bools.
#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

fn as_num(value: &Value) -> Option<Num> {
    match value {
        Value::Bool(b) => Some(Num::Int(i64::from(*b))),
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Float(f) => Some(Num::Float(*f)),
        _ => None,
    }
}

/// 2**63 as a float: the first float beyond the `i64` range.
pub(crate) const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;

/// Compares an int with a float exactly.
fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= I64_LIMIT {
        return Some(Ordering::Less);
    }
    if f < -I64_LIMIT {
        return Some(Ordering::Greater);
    }
    let truncated = f.trunc();
    let t = truncated as i64;
    match i.cmp(&t) {
        Ordering::Equal => 0.0_f64.partial_cmp(&(f - truncated)),
        other => Some(other),
    }
}

fn cmp_nums(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
        (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b),
        (Num::Int(a), Num::Float(b)) => cmp_int_float(a, b),
        (Num::Float(a), Num::Int(b)) => cmp_int_float(b, a).map(Ordering::reverse),
    }
}

/// A 64-bit mix (splitmix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Python floor division and modulo of floats.
pub(crate) fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut modulo = x % y;
    let mut div = (x - modulo) / y;
    if modulo != 0.0 {
        if (y < 0.0) != (modulo < 0.0) {
            modulo += y;
            div -= 1.0;
        }
    } else {
        modulo = 0.0_f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut floordiv = div.floor();
        if div - floordiv > 0.5 {
            floordiv += 1.0;
        }
        floordiv
    } else {
        0.0_f64.copysign(x / y)
    };
    (floordiv, modulo)
}

impl Vm {
    /// The type name CPython uses in error messages.
    pub(crate) fn type_name(&self, value: &Value) -> String {
        match value {
            Value::Unbound => "<unbound>".to_owned(),
            Value::None => "NoneType".to_owned(),
            Value::Bool(_) => "bool".to_owned(),
            Value::Int(_) => "int".to_owned(),
            Value::Float(_) => "float".to_owned(),
            Value::Str(_) => "str".to_owned(),
            Value::Tuple(_) => "tuple".to_owned(),
            Value::Range(_) => "range".to_owned(),
            Value::Builtin(module) if module.is_module() => "module".to_owned(),
            Value::Builtin(builtin) if builtin.is_type() => "type".to_owned(),
            Value::Builtin(Builtin::Lock | Builtin::RLock) => {
                "builtin_function_or_method".to_owned()
            }
            Value::Builtin(_) | Value::Native(..) | Value::StrMethod(..) => {
                "builtin_function_or_method".to_owned()
            }
            Value::BoundBuiltin(..) => "method-wrapper".to_owned(),
            Value::Super { .. } => "super".to_owned(),
            Value::Method { .. } => "method".to_owned(),
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(_) => "list".to_owned(),
                Object::Dict(_) => "dict".to_owned(),
                Object::Instance(instance) => self.class_name(instance.class),
                Object::Class(_) => "type".to_owned(),
                Object::Function(_) => "function".to_owned(),
                Object::Cell(_) => "cell".to_owned(),
                Object::Lock(lock) => lock.type_name().to_owned(),
                Object::DictView { kind, .. } => kind.type_name().to_owned(),
                Object::Iter(iter, _) => match iter {
                    Iter::Range { .. } => "range_iterator",
                    Iter::List { .. } => "list_iterator",
                    Iter::Dict { .. } => "dict_keyiterator",
                    Iter::Seq { .. } => "tuple_iterator",
                    Iter::Str { .. } => "str_ascii_iterator",
                    Iter::Enumerate { .. } => "enumerate",
                    Iter::Futures(_) => "generator",
                }
                .to_owned(),
                Object::Free => "<freed>".to_owned(),
            },
        }
    }

    /// `bool(value)`.
    pub(crate) fn truthy(&mut self, value: &Value) -> Res<bool> {
        Ok(match value {
            Value::Unbound | Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Tuple(items) => !items.is_empty(),
            Value::Range(range) => range.len() != 0,
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(items) => !items.is_empty(),
                Object::Dict(dict) => dict.len() != 0,
                Object::DictView { dict, .. } => match &self.heap[dict.index()].object {
                    Object::Dict(entries) => entries.len() != 0,
                    _ => false,
                },
                _ => true,
            },
            _ => true,
        })
    }

    /// `a == b`.
    pub(crate) fn eq(&self, a: &Value, b: &Value) -> bool {
        self.eq_depth(a, b, 0)
    }

    /// Equality with a nesting bound: structures nested deeper than [`MAX_NESTING`] compare
    /// unequal (CPython would raise `RecursionError`).
    fn eq_depth(&self, a: &Value, b: &Value, depth: u32) -> bool {
        if depth > MAX_NESTING {
            return false;
        }
        if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
            return cmp_nums(x, y) == Some(Ordering::Equal);
        }
        match (a, b) {
            (Value::None, Value::None) => true,
            (Value::Str(x), Value::Str(y)) => x == y,
            (Value::Tuple(x), Value::Tuple(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|(p, q)| self.eq_depth(p, q, depth + 1))
            }
            (Value::Range(x), Value::Range(y)) => {
                let (lx, ly) = (x.len(), y.len());
                lx == ly && (lx == 0 || (x.start == y.start && (lx == 1 || x.step == y.step)))
            }
            (Value::Builtin(x), Value::Builtin(y)) => x == y,
            (
                Value::Method {
                    func: f1,
                    receiver: r1,
                },
                Value::Method {
                    func: f2,
                    receiver: r2,
                },
            ) => f1 == f2 && r1 == r2,
            (Value::Native(m1, r1), Value::Native(m2, r2)) => m1 == m2 && r1 == r2,
            (Value::Obj(x), Value::Obj(y)) => {
                if x == y {
                    return true;
                }
                match (&self.heap[x.index()].object, &self.heap[y.index()].object) {
                    (Object::List(p), Object::List(q)) => {
                        p.len() == q.len()
                            && p.iter().zip(q).all(|(u, v)| self.eq_depth(u, v, depth + 1))
                    }
                    (Object::Dict(p), Object::Dict(q)) => {
                        p.len() == q.len()
                            && p.entries().iter().all(|entry| {
                                match q.find(entry.hash, |key| {
                                    self.eq_depth(key, &entry.key, depth + 1)
                                }) {
                                    Some(position) => {
                                        self.eq_depth(&entry.value, q.value_at(position), depth + 1)
                                    }
                                    None => false,
                                }
                            })
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// `a is b`.
    pub(crate) fn is(&self, a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Obj(x), Value::Obj(y)) => x == y,
            (Value::None, Value::None) => true,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y,
            (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
            (Value::Str(x), Value::Str(y)) => Arc::ptr_eq(x, y) || x == y,
            (Value::Tuple(x), Value::Tuple(y)) => x.ptr_eq(y) || (x.is_empty() && y.is_empty()),
            (Value::Builtin(x), Value::Builtin(y)) => x == y,
            _ => false,
        }
    }

    /// `hash(value)`, consistent with `==` (`1`, `1.0` and `True` hash alike).
    pub(crate) fn hash(&mut self, value: &Value) -> Res<u64> {
        match self.hash_at(value, self.nesting) {
            Ok(hash) => Ok(hash),
            Err(None) => {
                Err(self.error(ExcKind::RecursionError, "maximum recursion depth exceeded"))
            }
            Err(Some(unhashable)) => {
                let type_name = self.type_name(&unhashable);
                Err(self.type_error(format!("unhashable type: '{type_name}'")))
            }
        }
    }

    /// The hash [`Vm::hash`] gives a value, `None` when hashing it raises: the item key of a dict
    /// key ([`crate::ItemKey`]).
    pub(crate) fn key_hash(&self, value: &Value) -> Option<u64> {
        self.hash_at(value, self.nesting).ok()
    }

    /// The hash of `value` at nesting `depth`; the error is the unhashable value, or `None` for
    /// a structure nested too deep.
    fn hash_at(&self, value: &Value, depth: u32) -> Result<u64, Option<Value>> {
        if depth >= MAX_NESTING {
            return Err(None);
        }
        Ok(match value {
            Value::None => 0x5eed,
            Value::Bool(b) => mix(u64::from(*b)),
            Value::Int(i) => mix(*i as u64),
            Value::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    mix(*f as i64 as u64)
                } else {
                    mix(f.to_bits())
                }
            }
            Value::Str(s) => {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                for byte in s.bytes() {
                    h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
                }
                mix(h)
            }
            Value::Tuple(items) => {
                let mut h: u64 = 0x345678;
                for item in items.iter() {
                    h = mix(h ^ self.hash_at(item, depth + 1)?);
                }
                h
            }
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(_) | Object::Dict(_) => return Err(Some(value.clone())),
                _ => mix(0x0b1e_c700_0000_0000 | u64::from(id.0)),
            },
            Value::Builtin(builtin) => mix(0xb0_0000 + *builtin as u64),
            Value::Method { func, receiver } => {
                mix((u64::from(func.0) << 32) | u64::from(receiver.0))
            }
            _ => mix(0x77),
        })
    }

    /// Orders two values for `<`, `<=`, `>`, `>=`, `min`, `max` and `sorted`.
    pub(crate) fn compare(&mut self, a: &Value, b: &Value, op: &str) -> Res<Ordering> {
        if self.nesting >= MAX_NESTING {
            return Err(self.error(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded in comparison",
            ));
        }
        self.nesting += 1;
        let result = self.compare_nested(a, b, op);
        self.nesting -= 1;
        result
    }

    fn compare_nested(&mut self, a: &Value, b: &Value, op: &str) -> Res<Ordering> {
        if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
            // NaN compares false with everything: report it as "not less, not greater".
            return Ok(cmp_nums(x, y).unwrap_or(Ordering::Equal));
        }
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => return Ok(x.cmp(y)),
            (Value::Tuple(x), Value::Tuple(y)) => {
                let (x, y) = (x.clone(), y.clone());
                return self.compare_seqs(&x, &y, op);
            }
            (Value::Obj(x), Value::Obj(y)) => {
                if let (Object::List(p), Object::List(q)) =
                    (&self.heap[x.index()].object, &self.heap[y.index()].object)
                {
                    let (p, q) = (p.clone(), q.clone());
                    return self.compare_seqs(&p, &q, op);
                }
            }
            _ => {}
        }
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        Err(self.type_error(format!(
            "'{op}' not supported between instances of '{ta}' and '{tb}'"
        )))
    }

    fn compare_seqs(&mut self, x: &[Value], y: &[Value], op: &str) -> Res<Ordering> {
        for (p, q) in x.iter().zip(y) {
            if !self.eq(p, q) {
                return self.compare(p, q, op);
            }
        }
        Ok(x.len().cmp(&y.len()))
    }

    /// A comparison operator.
    pub(crate) fn compare_op(&mut self, op: CmpOp, a: &Value, b: &Value) -> Res<bool> {
        Ok(match op {
            CmpOp::Eq => self.eq(a, b),
            CmpOp::Ne => !self.eq(a, b),
            CmpOp::Is => self.is(a, b),
            CmpOp::IsNot => !self.is(a, b),
            CmpOp::In => self.contains(b, a)?,
            CmpOp::NotIn => !self.contains(b, a)?,
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                if let (Some(x), Some(y)) = (as_num(a), as_num(b))
                    && cmp_nums(x, y).is_none()
                {
                    return Ok(false);
                }
                let ordering = self.compare(a, b, op.symbol())?;
                match op {
                    CmpOp::Lt => ordering == Ordering::Less,
                    CmpOp::Le => ordering != Ordering::Greater,
                    CmpOp::Gt => ordering == Ordering::Greater,
                    _ => ordering != Ordering::Less,
                }
            }
        })
    }

    /// `item in container`.
    pub(crate) fn contains(&mut self, container: &Value, item: &Value) -> Res<bool> {
        match container {
            Value::Str(text) => match item {
                Value::Str(needle) => Ok(text.contains(&**needle)),
                other => {
                    let type_name = self.type_name(other);
                    Err(self.type_error(format!(
                        "'in <string>' requires string as left operand, not {type_name}"
                    )))
                }
            },
            Value::Tuple(items) => Ok(items.iter().any(|x| self.eq(x, item))),
            Value::Range(range) => Ok(match as_num(item) {
                Some(Num::Int(i)) => {
                    let n = range.len();
                    let offset = i as i128 - range.start as i128;
                    n > 0
                        && offset % range.step as i128 == 0
                        && (0..n as i128).contains(&(offset / range.step as i128))
                }
                _ => false,
            }),
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(items) => Ok(items.iter().any(|x| self.eq(x, item))),
                Object::Dict(_) => Ok(self.dict_find(*id, item)?.is_some()),
                Object::DictView {
                    dict,
                    kind: ViewKind::Keys,
                } => {
                    let dict = *dict;
                    Ok(self.dict_find(dict, item)?.is_some())
                }
                _ => {
                    if self.is_iterable(container) {
                        let items = self.collect(container)?;
                        return Ok(items.iter().any(|x| self.eq(x, item)));
                    }
                    let type_name = self.type_name(container);
                    Err(self.type_error(format!("argument of type '{type_name}' is not iterable")))
                }
            },
            _ => {
                let type_name = self.type_name(container);
                Err(self.type_error(format!("argument of type '{type_name}' is not iterable")))
            }
        }
    }

    fn unsupported_operands(&mut self, op: &str, a: &Value, b: &Value) -> Interrupt {
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        self.type_error(format!(
            "unsupported operand type(s) for {op}: '{ta}' and '{tb}'"
        ))
    }

    /// An arithmetic or bitwise binary operator (a new object for containers).
    pub(crate) fn binary_op(&mut self, op: BinOp, a: &Value, b: &Value) -> Res<Value> {
        if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
            return self.numeric_op(op, x, y, a, b);
        }
        match (op, a, b) {
            (BinOp::Add, Value::Str(x), Value::Str(y)) => {
                let mut text = String::with_capacity(x.len() + y.len());
                text.push_str(x);
                text.push_str(y);
                Ok(Value::Str(Arc::from(text)))
            }
            (BinOp::Add, Value::Str(_), other) => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!(
                    "can only concatenate str (not \"{type_name}\") to str"
                )))
            }
            (BinOp::Mul, Value::Str(text), count) | (BinOp::Mul, count, Value::Str(text))
                if matches!(count, Value::Int(_) | Value::Bool(_)) =>
            {
                let n = self.repeat_count(count, text.len())?;
                Ok(Value::Str(Arc::from(text.repeat(n))))
            }
            (BinOp::Mod, Value::Str(format), args) => {
                let format = format.clone();
                let text = self.percent_format(&format, args)?;
                Ok(Value::Str(Arc::from(text)))
            }
            (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
                let mut items = x.to_vec();
                items.extend(y.iter().cloned());
                Ok(Value::tuple(items))
            }
            (BinOp::Add, Value::Tuple(_), other) => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!(
                    "can only concatenate tuple (not \"{type_name}\") to tuple"
                )))
            }
            (BinOp::Mul, Value::Tuple(items), count) | (BinOp::Mul, count, Value::Tuple(items))
                if matches!(count, Value::Int(_) | Value::Bool(_)) =>
            {
                let n = self.repeat_count(count, items.len())?;
                let mut out = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    out.extend(items.iter().cloned());
                }
                Ok(Value::tuple(out))
            }
            (BinOp::Add, Value::Obj(x), other) if self.is_list(*x) => match other {
                Value::Obj(y) if self.is_list(*y) => {
                    let mut items = self.list_items(*x).to_vec();
                    items.extend(self.list_items(*y).iter().cloned());
                    Ok(Value::Obj(self.alloc(Object::List(items))))
                }
                _ => {
                    let type_name = self.type_name(other);
                    Err(self.type_error(format!(
                        "can only concatenate list (not \"{type_name}\") to list"
                    )))
                }
            },
            (BinOp::Mul, Value::Obj(x), count) | (BinOp::Mul, count, Value::Obj(x))
                if self.is_list(*x) && matches!(count, Value::Int(_) | Value::Bool(_)) =>
            {
                let items = self.list_items(*x).to_vec();
                let n = self.repeat_count(count, items.len())?;
                let mut out = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    out.extend(items.iter().cloned());
                }
                Ok(Value::Obj(self.alloc(Object::List(out))))
            }
            (BinOp::Mul, Value::Str(_) | Value::Tuple(_), other)
            | (BinOp::Mul, other, Value::Str(_) | Value::Tuple(_)) => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!(
                    "can't multiply sequence by non-int of type '{type_name}'"
                )))
            }
            _ => Err(self.unsupported_operands(op.symbol(), a, b)),
        }
    }

    /// `a op= b`: lists are extended/repeated in place, everything else is `binary_op`.
    pub(crate) fn inplace_op(&mut self, op: BinOp, a: &Value, b: &Value) -> Res<Value> {
        if let Value::Obj(x) = a
            && self.is_list(*x)
        {
            match op {
                BinOp::Add => {
                    let items = self.collect(b)?;
                    if self.is_shared(*x) {
                        self.publish(&Value::tuple(items.clone()));
                    }
                    if let Object::List(list) = &mut self.heap[x.index()].object {
                        list.extend(items);
                    }
                    return Ok(a.clone());
                }
                BinOp::Mul if matches!(b, Value::Int(_) | Value::Bool(_)) => {
                    let items = self.list_items(*x).to_vec();
                    let n = self.repeat_count(b, items.len())?;
                    let mut out = Vec::with_capacity(items.len() * n);
                    for _ in 0..n {
                        out.extend(items.iter().cloned());
                    }
                    if let Object::List(list) = &mut self.heap[x.index()].object {
                        *list = out;
                    }
                    return Ok(a.clone());
                }
                _ => {}
            }
        }
        let symbol = format!("{}=", op.symbol());
        match self.binary_op(op, a, b) {
            Err(Interrupt::Raise(exc)) if self.is_operand_error(exc, op) => {
                Err(self.unsupported_operands(&symbol, a, b))
            }
            other => other,
        }
    }

    /// Whether `exc` is the plain "unsupported operand type(s)" error for `op`.
    fn is_operand_error(&mut self, exc: crate::ObjId, op: BinOp) -> bool {
        let message = self.exception_message(exc);
        message.starts_with(&format!("unsupported operand type(s) for {}:", op.symbol()))
    }

    fn repeat_count(&mut self, count: &Value, unit: usize) -> Res<usize> {
        let n = match count {
            Value::Int(n) => *n,
            Value::Bool(b) => i64::from(*b),
            _ => 0,
        };
        let n = n.max(0) as usize;
        if unit.saturating_mul(n) > 100_000_000 {
            return Err(self.error(
                ExcKind::OverflowError,
                "repeated sequence is too long for weft",
            ));
        }
        Ok(n)
    }

    fn numeric_op(&mut self, op: BinOp, x: Num, y: Num, a: &Value, b: &Value) -> Res<Value> {
        use Num::{Float, Int};
        match (x, y) {
            (Int(x), Int(y)) => self.int_op(op, x, y, a, b),
            _ => {
                if matches!(
                    op,
                    BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
                ) {
                    return Err(self.unsupported_operands(op.symbol(), a, b));
                }
                let to_f = |n: Num| match n {
                    Int(i) => i as f64,
                    Float(f) => f,
                };
                self.float_op(op, to_f(x), to_f(y))
            }
        }
    }

    fn int_op(&mut self, op: BinOp, x: i64, y: i64, a: &Value, b: &Value) -> Res<Value> {
        let result = match op {
            BinOp::Add => x.checked_add(y),
            BinOp::Sub => x.checked_sub(y),
            BinOp::Mul => x.checked_mul(y),
            BinOp::TrueDiv => {
                if y == 0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "division by zero"));
                }
                return Ok(Value::Float(x as f64 / y as f64));
            }
            BinOp::FloorDiv => {
                if y == 0 {
                    return Err(self.error(
                        ExcKind::ZeroDivisionError,
                        "integer division or modulo by zero",
                    ));
                }
                x.checked_div(y).map(|q| {
                    if (x % y != 0) && ((x < 0) != (y < 0)) {
                        q - 1
                    } else {
                        q
                    }
                })
            }
            BinOp::Mod => {
                if y == 0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "integer modulo by zero"));
                }
                x.checked_rem(y).map(|r| {
                    if r != 0 && ((r < 0) != (y < 0)) {
                        r + y
                    } else {
                        r
                    }
                })
            }
            BinOp::Pow => {
                if y < 0 {
                    if x == 0 {
                        return Err(self.error(
                            ExcKind::ZeroDivisionError,
                            "0.0 cannot be raised to a negative power",
                        ));
                    }
                    return Ok(Value::Float((x as f64).powf(y as f64)));
                }
                u32::try_from(y)
                    .ok()
                    .and_then(|y| x.checked_pow(y))
                    // Huge exponents only fit for bases 0, 1 and -1.
                    .or(match x {
                        0 | 1 => Some(x),
                        -1 => Some(if y % 2 == 0 { 1 } else { -1 }),
                        _ => None,
                    })
            }
            BinOp::LShift => {
                if y < 0 {
                    return Err(self.value_error("negative shift count"));
                }
                if x == 0 {
                    Some(0)
                } else if y >= 64 {
                    None
                } else {
                    let shifted = x << y;
                    (shifted >> y == x).then_some(shifted)
                }
            }
            BinOp::RShift => {
                if y < 0 {
                    return Err(self.value_error("negative shift count"));
                }
                Some(if y >= 64 {
                    if x < 0 { -1 } else { 0 }
                } else {
                    x >> y
                })
            }
            BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
                let result = match op {
                    BinOp::BitAnd => x & y,
                    BinOp::BitOr => x | y,
                    _ => x ^ y,
                };
                if let (Value::Bool(_), Value::Bool(_)) = (a, b) {
                    return Ok(Value::Bool(result != 0));
                }
                Some(result)
            }
        };
        match result {
            Some(value) => Ok(Value::Int(value)),
            None => Err(self.int_overflow()),
        }
    }

    fn float_op(&mut self, op: BinOp, x: f64, y: f64) -> Res<Value> {
        let value = match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::TrueDiv => {
                if y == 0.0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "float division by zero"));
                }
                x / y
            }
            BinOp::FloorDiv => {
                if y == 0.0 {
                    return Err(
                        self.error(ExcKind::ZeroDivisionError, "float floor division by zero")
                    );
                }
                float_divmod(x, y).0
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "float modulo"));
                }
                float_divmod(x, y).1
            }
            BinOp::Pow => {
                if x == 0.0 && y < 0.0 {
                    return Err(self.error(
                        ExcKind::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power",
                    ));
                }
                if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                    return Err(self.unsupported(
                        "complex numbers (a negative number raised to a fractional power)",
                    ));
                }
                let result = x.powf(y);
                if result.is_infinite() && x.is_finite() && y.is_finite() {
                    return Err(self.error(
                        ExcKind::OverflowError,
                        "(34, 'Numerical result out of range')",
                    ));
                }
                result
            }
            _ => unreachable!("bit operators are rejected for floats"),
        };
        Ok(Value::Float(value))
    }

    /// A unary operator.
    pub(crate) fn unary_op(&mut self, op: UnaryOp, a: &Value) -> Res<Value> {
        if op == UnaryOp::Not {
            return Ok(Value::Bool(!self.truthy(a)?));
        }
        match (op, as_num(a)) {
            (UnaryOp::Neg, Some(Num::Int(i))) => match i.checked_neg() {
                Some(n) => Ok(Value::Int(n)),
                None => Err(self.int_overflow()),
            },
            (UnaryOp::Neg, Some(Num::Float(f))) => Ok(Value::Float(-f)),
            (UnaryOp::Pos, Some(Num::Int(i))) => Ok(Value::Int(i)),
            (UnaryOp::Pos, Some(Num::Float(f))) => Ok(Value::Float(f)),
            (UnaryOp::Invert, Some(Num::Int(i))) => Ok(Value::Int(!i)),
            _ => {
                let type_name = self.type_name(a);
                Err(self.type_error(format!(
                    "bad operand type for unary {}: '{type_name}'",
                    op.symbol()
                )))
            }
        }
    }

    /// Whether a heap object is a list.
    pub(crate) fn is_list(&self, id: crate::ObjId) -> bool {
        matches!(self.heap[id.index()].object, Object::List(_))
    }

    /// The items of a list object.
    pub(crate) fn list_items(&self, id: crate::ObjId) -> &[Value] {
        match &self.heap[id.index()].object {
            Object::List(items) => items,
            _ => &[],
        }
    }

    /// The thread payload of an instance, if it is a `threading.Thread`.
    pub(crate) fn thread_data(&self, id: crate::ObjId) -> Option<&crate::heap::ThreadObject> {
        match &self.heap[id.index()].object {
            Object::Instance(instance) => match &instance.payload {
                Payload::Thread(data) => Some(data),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_divmod_matches_python() {
        assert_eq!(float_divmod(5.5, -2.0), (-3.0, -0.5));
        assert_eq!(float_divmod(-7.0, 2.0), (-4.0, 1.0));
        assert_eq!(float_divmod(7.0, 2.0), (3.0, 1.0));
    }

    #[test]
    fn int_float_comparison_is_exact() {
        assert_eq!(cmp_int_float(1, 1.0), Some(Ordering::Equal));
        assert_eq!(cmp_int_float(1, 1.5), Some(Ordering::Less));
        assert_eq!(cmp_int_float(-1, -1.5), Some(Ordering::Greater));
        assert_eq!(cmp_int_float(i64::MAX, 9.3e18), Some(Ordering::Less));
        assert_eq!(cmp_int_float(0, f64::NAN), None);
    }
}
