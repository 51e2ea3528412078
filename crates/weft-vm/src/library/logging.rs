//! `logging`: the root logger's `basicConfig(format=, level=, datefmt=, force=)` and the
//! module-level `debug`/`info`/`warning`/`error`/`critical` with `%`-style arguments. A
//! record is formatted like CPython's `Formatter` (`%(asctime)s`, `%(threadName)s`,
//! `%(levelname)s`, `%(message)s`, `%(name)s`, ...) and written to stderr in one visible write
//! (CPython's handler writes the whole line under its lock). `asctime` reads weft's virtual
//! clock (UTC), so output is reproducible.

use std::sync::Arc;

use crate::call::Args;
use crate::dict::Dict;
use crate::heap::Object;
use crate::interp::Res;
use crate::value::Value;
use crate::vm::Vm;
use crate::{Location, Op};

/// The root logger's configuration.
#[derive(Clone, Debug)]
pub(crate) struct LoggingConfig {
    /// Whether a handler is installed (by `basicConfig`, or by the first logging call).
    configured: bool,
    format: Arc<str>,
    datefmt: Option<Arc<str>>,
    level: i64,
}

impl Default for LoggingConfig {
    fn default() -> LoggingConfig {
        LoggingConfig {
            configured: false,
            format: Arc::from("%(levelname)s:%(name)s:%(message)s"),
            datefmt: None,
            level: 30,
        }
    }
}

/// The level names by number.
const LEVELS: &[(i64, &str)] = &[
    (10, "DEBUG"),
    (20, "INFO"),
    (30, "WARNING"),
    (40, "ERROR"),
    (50, "CRITICAL"),
];

impl Vm {
    /// `logging.basicConfig(**kwargs)`: does nothing once the root logger has a handler,
    /// unless `force=True`.
    pub(crate) fn logging_basic_config(&mut self, args: &Args) -> Res<Value> {
        if !args.pos.is_empty() {
            return Err(self.type_error(format!(
                "basicConfig() takes 0 positional arguments but {} were given",
                args.pos.len()
            )));
        }
        for (name, value) in &args.kw {
            if !matches!(&**name, "format" | "level" | "datefmt" | "force" | "style")
                && !value.is_none()
            {
                return Err(self.unsupported(&format!("logging.basicConfig({name}=...)")));
            }
        }
        let force = match args.kw("force").cloned() {
            Some(value) => self.truthy(&value)?,
            None => false,
        };
        if self.logging.configured && !force {
            return Ok(Value::None);
        }
        if let Some(style) = args.kw("style")
            && !matches!(style, Value::Str(s) if &**s == "%")
        {
            return Err(self.unsupported("logging.basicConfig(style=...) other than '%'"));
        }
        let mut config = LoggingConfig {
            configured: true,
            ..LoggingConfig::default()
        };
        if let Some(format) = args.kw("format").cloned() {
            config.format = Arc::from(self.str_of(&format)?);
        }
        if let Some(datefmt) = args.kw("datefmt").cloned().filter(|v| !v.is_none()) {
            config.datefmt = Some(Arc::from(self.str_of(&datefmt)?));
        }
        match args.kw("level").cloned() {
            None => {}
            Some(Value::Int(level)) => config.level = level,
            Some(Value::Str(name)) => match LEVELS.iter().find(|(_, n)| **n == *name) {
                Some((level, _)) => config.level = *level,
                None => return Err(self.value_error(format!("Unknown level: '{name}'"))),
            },
            Some(other) => {
                let repr = self.repr_of(&other)?;
                return Err(
                    self.type_error(format!("Level not an integer or a valid string: {repr}"))
                );
            }
        }
        self.logging = config;
        Ok(Value::None)
    }

    /// `logging.<level>(msg, *args)`: one visible write of the formatted record to stderr
    /// when the level is enabled.
    pub(crate) fn log(&mut self, args: &Args, level: i64, function: &str) -> Res<Value> {
        for (name, _) in &args.kw {
            if !matches!(&**name, "exc_info" | "stack_info" | "stacklevel" | "extra") {
                return Err(self.type_error(format!(
                    "Logger.{function}() got an unexpected keyword argument '{name}'"
                )));
            }
        }
        let Some(msg) = args.pos.first().cloned() else {
            return Err(self.type_error(format!(
                "{function}() missing 1 required positional argument: 'msg'"
            )));
        };
        if !self.logging.configured {
            self.logging.configured = true;
        }
        if level < self.logging.level {
            return Ok(Value::None);
        }
        self.visible(Op::Write(Location::Stdout))?;
        let msg_text = self.str_of(&msg)?;
        let message = match &args.pos[1..] {
            [] => msg_text,
            [single @ Value::Obj(id)] if matches!(&self.heap[id.index()].object, Object::Dict(d) if d.len() > 0) => {
                self.percent_format(&msg_text, single)?
            }
            rest => self.percent_format(&msg_text, &Value::tuple(rest.to_vec()))?,
        };
        let level_name = LEVELS
            .iter()
            .find(|(number, _)| *number == level)
            .map_or("Level", |(_, name)| name);
        let created = crate::library::VIRTUAL_EPOCH + self.clock;
        let msecs = (created.fract() * 1000.0).floor();
        let asctime = match &self.logging.datefmt {
            Some(datefmt) => strftime(datefmt, created as i64),
            None => format!(
                "{},{:03}",
                strftime("%Y-%m-%d %H:%M:%S", created as i64),
                msecs as i64
            ),
        };
        let thread_name = self
            .thread_name(crate::ThreadId(self.current as u32))
            .to_owned();
        let file = self.program.file_name.clone();
        let module = file
            .rsplit('/')
            .next()
            .unwrap_or(&file)
            .trim_end_matches(".py")
            .to_owned();
        let fields: Vec<(&str, Value)> = vec![
            ("name", Value::str("root")),
            ("levelname", Value::str(level_name)),
            ("levelno", Value::Int(level)),
            ("message", Value::str(&message)),
            ("msg", msg),
            ("asctime", Value::str(&asctime)),
            ("threadName", Value::str(&thread_name)),
            ("thread", Value::Int(self.current as i64 + 1)),
            ("process", Value::Int(1)),
            ("processName", Value::str("MainProcess")),
            ("created", Value::Float(created)),
            ("msecs", Value::Float(msecs)),
            ("relativeCreated", Value::Float(self.clock * 1000.0)),
            ("filename", Value::str(&file)),
            ("module", Value::str(&module)),
            ("lineno", Value::Int(i64::from(self.current_line()))),
        ];
        let dict = self.alloc(Object::Dict(Dict::default()));
        for (key, value) in fields {
            self.dict_set(dict, Value::str(key), value)?;
        }
        let format = self.logging.format.clone();
        let mut line = self.percent_format(&format, &Value::Obj(dict))?;
        line.push('\n');
        self.stderr.push_str(&line);
        self.output.push_str(&line);
        if self.recording() {
            self.set_detail(crate::format::str_repr(&line));
        }
        Ok(Value::None)
    }
}

/// `time.strftime(format, time.gmtime(seconds))` for the directives scenarios use.
fn strftime(format: &str, seconds: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (hour, minute, second) = (secs / 3600, secs % 3600 / 60, secs % 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = (days + 3).rem_euclid(7) as usize;
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&year.to_string()),
            Some('y') => out.push_str(&format!("{:02}", year % 100)),
            Some('m') => out.push_str(&format!("{month:02}")),
            Some('d') => out.push_str(&format!("{day:02}")),
            Some('H') => out.push_str(&format!("{hour:02}")),
            Some('I') => out.push_str(&format!("{:02}", (hour + 11) % 12 + 1)),
            Some('p') => out.push_str(if hour < 12 { "AM" } else { "PM" }),
            Some('M') => out.push_str(&format!("{minute:02}")),
            Some('S') => out.push_str(&format!("{second:02}")),
            Some('b') => out.push_str(MONTHS[(month - 1) as usize]),
            Some('a') => out.push_str(DAYS[weekday]),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strftime;

    #[test]
    fn strftime_formats_the_virtual_epoch() {
        let epoch = crate::library::VIRTUAL_EPOCH as i64;
        assert_eq!(strftime("%Y-%m-%d %H:%M:%S", epoch), "2024-01-01 00:00:00");
        assert_eq!(
            strftime("%a %b %d %I%p %%", epoch + 13 * 3600),
            "Mon Jan 01 01PM %"
        );
        assert_eq!(strftime("%H:%M:%S", epoch + 3661), "01:01:01");
        assert_eq!(strftime("%Y-%m-%d", 951_782_400), "2000-02-29");
    }
}
