//! Text conversions that need no heap: float `repr`, string `repr`, the format-spec
//! mini-language for int/float/str, and the pieces of `%`-formatting.
//!
//! Errors are returned as the message of the `ValueError`/`TypeError` the caller raises.

use std::fmt::Write;

/// Python's `repr(float)`: the shortest round-tripping digits, fixed notation for
/// `1e-4 <= |x| < 1e16`, else scientific with a two-digit exponent.
pub(crate) fn float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .to_owned();
    }
    let (negative, digits, exp) = shortest_digits(value);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        push_fixed(&mut out, &digits, exp, true);
    } else {
        push_scientific(&mut out, &digits, exp, false);
    }
    out
}

/// The sign, the significant digits and the decimal exponent of the first digit.
fn shortest_digits(value: f64) -> (bool, String, i32) {
    split_scientific(&format!("{value:e}"))
}

/// Splits Rust's `{:e}` output (`-1.25e-7`) into sign, digits and exponent.
fn split_scientific(text: &str) -> (bool, String, i32) {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    (negative, digits, exp.parse().unwrap_or(0))
}

/// Writes `digits` (first digit at decimal exponent `exp`) in fixed notation.
fn push_fixed(out: &mut String, digits: &str, exp: i32, force_point: bool) {
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
        return;
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        out.push_str(digits);
        for _ in digits.len()..int_len {
            out.push('0');
        }
        if force_point {
            out.push_str(".0");
        }
    } else {
        out.push_str(&digits[..int_len]);
        out.push('.');
        out.push_str(&digits[int_len..]);
    }
}

/// Writes `digits` in scientific notation (`1.5e+20`).
fn push_scientific(out: &mut String, digits: &str, exp: i32, upper: bool) {
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    push_exponent(out, exp, upper);
}

fn push_exponent(out: &mut String, exp: i32, upper: bool) {
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(out, "{:02}", exp.unsigned_abs());
}

/// Python's `repr(str)`: single quotes unless the text contains `'` and no `"`.
pub(crate) fn str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `ascii()` of a `repr`: non-ASCII characters escaped.
pub(crate) fn ascii_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let code = c as u32;
        if code < 0x80 {
            out.push(c);
        } else if code <= 0xff {
            let _ = write!(out, "\\x{code:02x}");
        } else if code <= 0xffff {
            let _ = write!(out, "\\u{code:04x}");
        } else {
            let _ = write!(out, "\\U{code:08x}");
        }
    }
    out
}

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Spec {
    pub(crate) fill: char,
    pub(crate) align: Option<char>,
    pub(crate) sign: Option<char>,
    pub(crate) alternate: bool,
    pub(crate) zero: bool,
    pub(crate) width: usize,
    pub(crate) grouping: Option<char>,
    pub(crate) precision: Option<usize>,
    pub(crate) kind: Option<char>,
}

impl Spec {
    /// Parses a format spec; the error is a `ValueError` message.
    pub(crate) fn parse(text: &str) -> Result<Spec, String> {
        let chars: Vec<char> = text.chars().collect();
        let mut spec = Spec {
            fill: ' ',
            align: None,
            sign: None,
            alternate: false,
            zero: false,
            width: 0,
            grouping: None,
            precision: None,
            kind: None,
        };
        let mut i = 0;
        let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
        if chars.len() >= 2 && is_align(chars[1]) {
            spec.fill = chars[0];
            spec.align = Some(chars[1]);
            i = 2;
        } else if !chars.is_empty() && is_align(chars[0]) {
            spec.align = Some(chars[0]);
            i = 1;
        }
        if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
            spec.sign = Some(chars[i]);
            i += 1;
        }
        if i < chars.len() && chars[i] == 'z' {
            i += 1;
        }
        if i < chars.len() && chars[i] == '#' {
            spec.alternate = true;
            i += 1;
        }
        if i < chars.len() && chars[i] == '0' {
            spec.zero = true;
            i += 1;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i > start {
            spec.width = parse_count(&chars[start..i])?;
        }
        if i < chars.len() && matches!(chars[i], ',' | '_') {
            spec.grouping = Some(chars[i]);
            i += 1;
            if i < chars.len() && matches!(chars[i], ',' | '_') {
                return Err("Cannot specify both ',' and '_'.".to_owned());
            }
        }
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err("Format specifier missing precision".to_owned());
            }
            spec.precision = Some(parse_count(&chars[start..i])?);
        }
        if i < chars.len() {
            spec.kind = Some(chars[i]);
            i += 1;
        }
        if i < chars.len() {
            return Err("Invalid format specifier".to_owned());
        }
        if spec.zero && spec.align.is_none() {
            spec.fill = '0';
            spec.align = Some('=');
        }
        Ok(spec)
    }
}

fn parse_count(digits: &[char]) -> Result<usize, String> {
    let text: String = digits.iter().collect();
    match text.parse::<usize>() {
        Ok(n) if n <= 1_000_000 => Ok(n),
        _ => Err("Too many decimal digits in format string".to_owned()),
    }
}

fn unknown_code(kind: char, type_name: &str) -> String {
    format!("Unknown format code '{kind}' for object of type '{type_name}'")
}

/// `format(value, spec)` for an int.
pub(crate) fn format_int(value: i64, spec: &Spec) -> Result<String, String> {
    let kind = spec.kind.unwrap_or('d');
    match kind {
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float(value as f64, spec),
        'd' | 'n' | 'b' | 'o' | 'x' | 'X' | 'c' => {}
        _ => return Err(unknown_code(kind, "int")),
    }
    if spec.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".to_owned());
    }
    if kind == 'c' {
        if spec.sign.is_some() {
            return Err("Sign not allowed with integer format specifier 'c'".to_owned());
        }
        let c = u32::try_from(value)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| "%c arg not in range(0x110000)".to_owned())?;
        return Ok(pad(&c.to_string(), spec, '>'));
    }
    if spec.grouping == Some(',') && !matches!(kind, 'd') {
        return Err(format!("Cannot specify ',' with '{kind}'."));
    }
    let magnitude = value.unsigned_abs();
    let (digits, prefix) = match kind {
        'b' => (format!("{magnitude:b}"), "0b"),
        'o' => (format!("{magnitude:o}"), "0o"),
        'x' => (format!("{magnitude:x}"), "0x"),
        'X' => (format!("{magnitude:X}"), "0X"),
        _ => (magnitude.to_string(), ""),
    };
    let sign = sign_text(value < 0, spec.sign);
    let prefix = if spec.alternate { prefix } else { "" };
    let group = if matches!(kind, 'b' | 'o' | 'x' | 'X') {
        4
    } else {
        3
    };
    Ok(finish_number(sign, prefix, &digits, "", spec, group))
}

fn sign_text(negative: bool, sign: Option<char>) -> &'static str {
    match (negative, sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// Assembles sign, prefix, grouped integer digits and the fractional/exponent tail, then pads.
fn finish_number(
    sign: &str,
    prefix: &str,
    int_digits: &str,
    tail: &str,
    spec: &Spec,
    group: usize,
) -> String {
    let head_len = sign.chars().count() + prefix.len() + tail.chars().count();
    let zero_fill = spec.align == Some('=') && spec.fill == '0';
    let mut digits = int_digits.to_owned();
    let mut grouped = group_digits(&digits, spec.grouping, group);
    if zero_fill && spec.grouping.is_some() {
        while head_len + grouped.chars().count() < spec.width {
            digits.insert(0, '0');
            grouped = group_digits(&digits, spec.grouping, group);
        }
    }
    let body = format!("{grouped}{tail}");
    let align = spec.align.unwrap_or('>');
    if align == '=' {
        let used = sign.chars().count() + prefix.len() + body.chars().count();
        let fill: String =
            std::iter::repeat_n(spec.fill, spec.width.saturating_sub(used)).collect();
        return format!("{sign}{prefix}{fill}{body}");
    }
    pad(&format!("{sign}{prefix}{body}"), spec, '>')
}

fn group_digits(digits: &str, grouping: Option<char>, group: usize) -> String {
    let Some(separator) = grouping else {
        return digits.to_owned();
    };
    let chars: Vec<char> = digits.chars().collect();
    let mut out = String::with_capacity(chars.len() * 4 / 3 + 1);
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i).is_multiple_of(group) {
            out.push(separator);
        }
        out.push(*c);
    }
    out
}

/// Pads `text` to the spec's width with its fill and alignment (`default_align` if none).
fn pad(text: &str, spec: &Spec, default_align: char) -> String {
    let len = text.chars().count();
    if len >= spec.width {
        return text.to_owned();
    }
    let missing = spec.width - len;
    let (left, right) = match spec.align.unwrap_or(default_align) {
        '<' => (0, missing),
        '^' => (missing / 2, missing - missing / 2),
        _ => (missing, 0),
    };
    let mut out = String::with_capacity(text.len() + missing);
    out.extend(std::iter::repeat_n(spec.fill, left));
    out.push_str(text);
    out.extend(std::iter::repeat_n(spec.fill, right));
    out
}

/// `format(value, spec)` for a float.
pub(crate) fn format_float(value: f64, spec: &Spec) -> Result<String, String> {
    let kind = spec.kind;
    if let Some(kind) = kind
        && !matches!(kind, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' | 'n')
    {
        return Err(unknown_code(kind, "float"));
    }
    if spec.alternate && kind.is_none() && spec.precision.is_none() {
        // `#` with the repr style behaves like repr (always has a point already).
    }
    let negative = value.is_sign_negative() && !value.is_nan();
    let magnitude = value.abs();
    let upper = matches!(kind, Some('E' | 'F' | 'G'));
    let body = if !magnitude.is_finite() {
        let text = if magnitude.is_nan() { "nan" } else { "inf" };
        let text = if upper {
            text.to_uppercase()
        } else {
            text.to_owned()
        };
        if kind == Some('%') {
            format!("{text}%")
        } else {
            text
        }
    } else {
        match kind {
            Some('f' | 'F') => fixed(magnitude, spec.precision.unwrap_or(6), spec.alternate),
            Some('%') => {
                let mut text = fixed(
                    magnitude * 100.0,
                    spec.precision.unwrap_or(6),
                    spec.alternate,
                );
                text.push('%');
                text
            }
            Some('e' | 'E') => scientific(
                magnitude,
                spec.precision.unwrap_or(6),
                spec.alternate,
                upper,
            ),
            Some('g' | 'G' | 'n') => general(
                magnitude,
                spec.precision.unwrap_or(6),
                spec.alternate,
                upper,
                false,
            ),
            _ => match spec.precision {
                None => float_repr(magnitude),
                Some(precision) => general(magnitude, precision, spec.alternate, false, true),
            },
        }
    };
    let sign = sign_text(negative, spec.sign);
    // Split the body into its integer digits and the rest, for grouping.
    let split = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (int_digits, tail) = if magnitude.is_finite() {
        body.split_at(split)
    } else {
        ("", body.as_str())
    };
    Ok(finish_number(sign, "", int_digits, tail, spec, 3))
}

fn fixed(magnitude: f64, precision: usize, alternate: bool) -> String {
    let mut text = format!("{magnitude:.precision$}");
    if alternate && precision == 0 {
        text.push('.');
    }
    text
}

fn scientific(magnitude: f64, precision: usize, alternate: bool, upper: bool) -> String {
    let (_, digits, exp) = split_scientific(&format!("{magnitude:.precision$e}"));
    let mut out = String::new();
    out.push_str(&digits[..1]);
    if digits.len() > 1 || alternate {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    push_exponent(&mut out, exp, upper);
    out
}

/// The `g` presentation (and, with `add_dot_zero`, the no-type presentation with a precision).
fn general(
    magnitude: f64,
    precision: usize,
    alternate: bool,
    upper: bool,
    repr_like: bool,
) -> String {
    let precision = precision.max(1);
    let exp = if magnitude == 0.0 {
        0
    } else {
        split_scientific(&format!("{:.*e}", precision - 1, magnitude)).2
    };
    let use_fixed = if repr_like {
        exp >= -4 && (exp as i64) < precision as i64 - 1
    } else {
        exp >= -4 && (exp as i64) < precision as i64
    };
    let mut text = if use_fixed {
        let decimals = (precision as i64 - 1 - exp as i64).max(0) as usize;
        format!("{magnitude:.decimals$}")
    } else {
        scientific(magnitude, precision - 1, alternate, upper)
    };
    if !alternate {
        text = strip_fraction_zeros(&text);
    } else if use_fixed && !text.contains('.') {
        text.push('.');
    }
    if repr_like && !text.contains(['.', 'e', 'E']) {
        text.push_str(".0");
    }
    text
}

/// Removes trailing zeros of the fraction (and a bare point), keeping any exponent.
fn strip_fraction_zeros(text: &str) -> String {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}{exponent}")
}

/// `format(text, spec)` for a str.
pub(crate) fn format_str(text: &str, spec: &Spec) -> Result<String, String> {
    if let Some(kind) = spec.kind
        && kind != 's'
    {
        return Err(unknown_code(kind, "str"));
    }
    if spec.sign.is_some() {
        return Err("Sign not allowed in string format specifier".to_owned());
    }
    if spec.alternate {
        return Err("Alternate form (#) not allowed in string format specifier".to_owned());
    }
    if spec.align == Some('=') {
        return Err("'=' alignment not allowed in string format specifier".to_owned());
    }
    if spec.grouping.is_some() {
        return Err("Cannot specify ',' with 's'.".to_owned());
    }
    let truncated: String = match spec.precision {
        Some(precision) => text.chars().take(precision).collect(),
        None => text.to_owned(),
    };
    Ok(pad(&truncated, spec, '<'))
}

/// One `%` conversion: `%[(key)][flags][width][.precision]type`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PercentSpec {
    pub(crate) key: Option<String>,
    pub(crate) left: bool,
    pub(crate) plus: bool,
    pub(crate) space: bool,
    pub(crate) alternate: bool,
    pub(crate) zero: bool,
    pub(crate) width: usize,
    pub(crate) precision: Option<usize>,
    pub(crate) kind: char,
}

/// A piece of a `%` format string.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PercentPiece {
    /// Literal text (with `%%` already turned into `%`).
    Text(String),
    /// A conversion.
    Conversion(PercentSpec),
}

/// Splits a `%` format string; the error is a `ValueError` message.
pub(crate) fn parse_percent(format: &str) -> Result<Vec<PercentPiece>, String> {
    let chars: Vec<char> = format.chars().collect();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut spec = PercentSpec {
            key: None,
            left: false,
            plus: false,
            space: false,
            alternate: false,
            zero: false,
            width: 0,
            precision: None,
            kind: 's',
        };
        if i < chars.len() && chars[i] == '(' {
            let mut depth = 1;
            let start = i + 1;
            i += 1;
            while i < chars.len() && depth > 0 {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err("incomplete format key".to_owned());
            }
            spec.key = Some(chars[start..i - 1].iter().collect());
        }
        while i < chars.len() {
            match chars[i] {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '#' => spec.alternate = true,
                '0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i > start {
            spec.width = parse_count(&chars[start..i])?;
        }
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            spec.precision = Some(if i > start {
                parse_count(&chars[start..i])?
            } else {
                0
            });
        }
        let Some(&kind) = chars.get(i) else {
            return Err("incomplete format".to_owned());
        };
        i += 1;
        if kind == '%' && spec.key.is_none() {
            text.push('%');
            continue;
        }
        if !"diouxXeEfFgGcrsa%".contains(kind) {
            return Err(format!(
                "unsupported format character '{kind}' (0x{:x}) at index {}",
                kind as u32,
                i - 1
            ));
        }
        spec.kind = kind;
        if !text.is_empty() {
            pieces.push(PercentPiece::Text(std::mem::take(&mut text)));
        }
        pieces.push(PercentPiece::Conversion(spec));
    }
    if !text.is_empty() {
        pieces.push(PercentPiece::Text(text));
    }
    Ok(pieces)
}

impl PercentSpec {
    /// Pads a converted string (`%s`, `%r`, `%c`).
    pub(crate) fn pad_text(&self, text: &str) -> String {
        let text: String = match (self.precision, matches!(self.kind, 's' | 'r' | 'a')) {
            (Some(precision), true) => text.chars().take(precision).collect(),
            _ => text.to_owned(),
        };
        self.pad(String::new(), text)
    }

    fn pad(&self, sign: String, body: String) -> String {
        let len = sign.chars().count() + body.chars().count();
        let missing = self.width.saturating_sub(len);
        if self.left {
            format!("{sign}{body}{}", " ".repeat(missing))
        } else if self.zero && !matches!(self.kind, 's' | 'r' | 'a' | 'c') {
            format!("{sign}{}{body}", "0".repeat(missing))
        } else {
            format!("{}{sign}{body}", " ".repeat(missing))
        }
    }

    fn sign(&self, negative: bool) -> String {
        if negative {
            "-".to_owned()
        } else if self.plus {
            "+".to_owned()
        } else if self.space {
            " ".to_owned()
        } else {
            String::new()
        }
    }

    /// Formats an int for `%d %i %u %o %x %X`.
    pub(crate) fn format_int(&self, value: i64) -> String {
        let magnitude = value.unsigned_abs();
        let mut digits = match self.kind {
            'o' => format!("{magnitude:o}"),
            'x' => format!("{magnitude:x}"),
            'X' => format!("{magnitude:X}"),
            _ => magnitude.to_string(),
        };
        if let Some(precision) = self.precision
            && digits.len() < precision
        {
            digits = format!("{}{digits}", "0".repeat(precision - digits.len()));
        }
        let prefix = match (self.alternate, self.kind) {
            (true, 'o') => "0o",
            (true, 'x') => "0x",
            (true, 'X') => "0X",
            _ => "",
        };
        self.pad(self.sign(value < 0) + prefix, digits)
    }

    /// Formats a float for `%e %E %f %F %g %G`.
    pub(crate) fn format_float(&self, value: f64) -> String {
        let spec = Spec {
            fill: ' ',
            align: None,
            sign: None,
            alternate: self.alternate,
            zero: false,
            width: 0,
            grouping: None,
            precision: Some(self.precision.unwrap_or(6)),
            kind: Some(self.kind),
        };
        let body = format_float(value.abs(), &spec).unwrap_or_default();
        let negative = value.is_sign_negative() && !value.is_nan();
        self.pad(self.sign(negative), body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        let cases = [
            (0.1, "0.1"),
            (1e20, "1e+20"),
            (1.5e-5, "1.5e-05"),
            (100.0, "100.0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (2.5, "2.5"),
            (1.0 / 3.0, "0.3333333333333333"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-1.5, "-1.5"),
            (1e300 * 10.0, "1e+301"),
            (1e22, "1e+22"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(value), expected, "repr of {value:e}");
        }
    }

    fn spec_of(text: &str) -> Spec {
        Spec::parse(text).unwrap()
    }

    /// Every expected value was printed by `python3 -c "print(repr(format(v, s)))"` (3.11).
    #[test]
    fn format_spec_matches_python() {
        let ints: &[(i64, &str, &str)] = &[
            (1234, "010,", "00,001,234"),
            (1234567, ",", "1,234,567"),
            (1234567, "_", "1_234_567"),
            (255, "#x", "0xff"),
            (255, "_b", "1111_1111"),
            (255, "#_b", "0b1111_1111"),
            (-5, "05", "-0005"),
            (-5, "=+8", "-      5"),
            (5, " ", " 5"),
            (7, "x", "7"),
            (42, "o", "52"),
            (42, "#o", "0o52"),
            (1234, "n", "1234"),
            (42, ">6", "    42"),
            (42, "<6", "42    "),
            (42, "^7", "  42   "),
            (42, "*^7", "**42***"),
            (-42, "+d", "-42"),
            (42, "+d", "+42"),
        ];
        for (value, spec, expected) in ints {
            assert_eq!(
                format_int(*value, &spec_of(spec)).unwrap(),
                *expected,
                "format({value}, {spec:?})"
            );
        }
        let floats: &[(f64, &str, &str)] = &[
            (1.23456, ".2f", "1.23"),
            (1.23456, "10.3f", "     1.235"),
            (1e20, "g", "1e+20"),
            (1e-5, "g", "1e-05"),
            (0.0001, "g", "0.0001"),
            (123456789.0, "g", "1.23457e+08"),
            (1.5, "%", "150.000000%"),
            (0.25, ".1%", "25.0%"),
            (12345.678, ",.2f", "12,345.68"),
            (1e16, "", "1e+16"),
            (f64::INFINITY, "F", "INF"),
            (f64::NAN, "+", "+nan"),
            (-0.0, "", "-0.0"),
            (2.5, "e", "2.500000e+00"),
            (2.5, ".0e", "2e+00"),
            (100.0, ".3", "1e+02"),
            (0.0, "g", "0"),
            (0.0, ".3", "0.0"),
            (1.0, "#g", "1.00000"),
            (123.456, "#.0f", "123."),
            (1234.5, "010.2f", "0001234.50"),
            (-1234.5, "012,.1f", "-0,001,234.5"),
            (1.0, "n", "1"),
            (12.5, ".0f", "12"),
            (13.5, ".0f", "14"),
            (123.0, ".2", "1.2e+02"),
            (1234.5, ".2", "1.2e+03"),
            (1.0, ".2", "1.0"),
            (0.000012345, "", "1.2345e-05"),
            (2.0, ">8", "     2.0"),
        ];
        for (value, spec, expected) in floats {
            assert_eq!(
                format_float(*value, &spec_of(spec)).unwrap(),
                *expected,
                "format({value}, {spec:?})"
            );
        }
        assert_eq!(format_int(3, &spec_of(".2f")).unwrap(), "3.00");
        assert_eq!(format_int(3, &spec_of("e")).unwrap(), "3.000000e+00");
        assert_eq!(format_str("ab", &spec_of("^6")).unwrap(), "  ab  ");
        assert_eq!(format_str("ab", &spec_of("*>6")).unwrap(), "****ab");
        assert_eq!(format_str("abcdef", &spec_of(".3")).unwrap(), "abc");
        assert_eq!(
            format_int(1, &spec_of(".2")).unwrap_err(),
            "Precision not allowed in integer format specifier"
        );
        assert_eq!(
            format_str("a", &spec_of("d")).unwrap_err(),
            "Unknown format code 'd' for object of type 'str'"
        );
    }

    #[test]
    fn str_repr_chooses_quotes_like_python() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("a\nb\\"), "'a\\nb\\\\'");
        assert_eq!(str_repr("é"), "'é'");
    }

    #[test]
    fn percent_specs_parse() {
        let pieces = parse_percent("%-5s|%5d|%.2f|%%|%(name)s").unwrap();
        assert_eq!(pieces.len(), 7);
        let PercentPiece::Conversion(spec) = &pieces[2] else {
            panic!("expected a conversion");
        };
        assert_eq!(spec.format_int(42), "   42");
        let PercentPiece::Conversion(spec) = &pieces[4] else {
            panic!("expected a conversion");
        };
        assert_eq!(spec.format_float(1.23456), "1.23");
        assert_eq!(pieces[5], PercentPiece::Text("|%|".to_owned()));
    }
}
