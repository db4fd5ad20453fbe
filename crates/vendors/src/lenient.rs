//! Tolerant readers for vendor answers, shared by every vendor's `wire.rs`: vendors write
//! numbers as strings (`"1651334400"`, `"10"`), booleans as `"false"` or `1`, and send `null`
//! for empty lists. One odd field must not make a whole answer unreadable, so a value that
//! cannot be read is absent rather than an error; each vendor's mapping decides what an
//! absent value means.

use secrecy::SecretString;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

fn scalar_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string, or a number/boolean written where a string belongs; null, absent or an object
/// gives none.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(scalar_string))
}

/// A secret (token, host key, personal link) straight into a `SecretString`, trimmed; empty
/// gives none.
pub fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    Ok(opt_string(d)?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .map(SecretString::from))
}

/// A secret that must be there (an access token in a login answer).
pub fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    opt_secret(d)?.ok_or_else(|| de::Error::custom("an empty secret"))
}

/// An integer, or one written as a string (`"10"`, `" 5 "`) or a whole float; anything else
/// (null, "", text, an object) gives none.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(Value::Bool(b)) => Some(i64::from(b)),
        _ => None,
    })
}

pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(opt_i64(d)?.and_then(|v| u64::try_from(v).ok()))
}

/// `true`, `"true"`, `1`, `"1"` and their opposites; anything else gives none.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => n.as_i64().map(|v| v != 0),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A list, with `null` (or absence, with `#[serde(default)]`) read as empty.
pub fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "opt_i64")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "opt_secret")]
        k: Option<SecretString>,
        #[serde(default, deserialize_with = "null_as_empty")]
        l: Vec<i64>,
    }

    fn read(v: serde_json::Value) -> Sample {
        serde_json::from_value(v).expect("a tolerant read never fails on odd values")
    }

    #[test]
    fn numbers_and_strings_are_read_either_way_and_odd_values_are_absent() {
        let a = read(json!({"s": 42, "n": " 1651334400 ", "b": "FALSE", "k": " t0k ", "l": null}));
        assert_eq!(a.s.as_deref(), Some("42"));
        assert_eq!(a.n, Some(1651334400));
        assert_eq!(a.b, Some(false));
        assert_eq!(a.k.unwrap().expose_secret(), "t0k");
        assert!(a.l.is_empty());
        let odd = read(json!({"s": {"x": 1}, "n": "ten", "b": "maybe", "k": "  ", "l": [1]}));
        assert_eq!((odd.s, odd.n, odd.b), (None, None, None));
        assert!(odd.k.is_none());
        assert_eq!(odd.l, [1]);
        assert_eq!(read(json!({"n": 3.0})).n, Some(3));
        assert_eq!(read(json!({"n": 3.5})).n, None);
        assert_eq!(read(json!({})).n, None);
    }
}
