//! `time.sleep`.

use crate::Op;
use crate::call::Args;
use crate::interp::Res;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// `time.sleep(seconds)`: a visible, always-enabled scheduling point.
    pub(crate) fn time_sleep(&mut self, args: &Args) -> Res<Value> {
        let value = self.one_arg(args, "sleep")?;
        let seconds = match value {
            Value::Int(i) => i as f64,
            Value::Bool(b) => f64::from(u8::from(b)),
            Value::Float(f) => f,
            other => {
                let type_name = self.type_name(&other);
                return Err(self.type_error(format!(
                    "'{type_name}' object cannot be interpreted as an integer"
                )));
            }
        };
        if seconds.is_nan() {
            return Err(self.value_error("Invalid value NaN (not a number)"));
        }
        if seconds < 0.0 {
            return Err(self.value_error("sleep length must be non-negative"));
        }
        self.timed_wait(Some(seconds));
        self.visible(Op::Sleep)?;
        self.detail_value(&value);
        Ok(Value::None)
    }
}
