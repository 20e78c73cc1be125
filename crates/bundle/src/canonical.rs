//! Canonical JSON: the exact bytes a self-signed JSON document (enrolment request, receipt)
//! signs. Object keys sorted by their UTF-8 bytes at every level, no insignificant whitespace,
//! strings escaped as `serde_json` does (non-ASCII written as UTF-8), the member `signature`
//! of the top-level object left out.
//!
//! This is what `python3 -c 'json.dumps(v, sort_keys=True, separators=(",", ":"),
//! ensure_ascii=False)'` and `jq -cS 'del(.signature)'` print for our documents (integers and
//! strings only, no floats), so an outside tool can rebuild the signed bytes. It is written
//! here rather than relying on `serde_json::Value`'s map order, which a workspace feature
//! (`preserve_order`) could change.

use serde_json::Value;

/// The canonical bytes of `value`, leaving out the top-level member `signature`.
pub(crate) fn signed_bytes(value: &Value) -> Vec<u8> {
    let mut out = String::new();
    match value {
        Value::Object(map) => {
            let filtered: Vec<(&String, &Value)> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "signature")
                .collect();
            write_object(&mut out, filtered);
        }
        other => write_value(&mut out, other),
    }
    out.into_bytes()
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map.iter().collect()),
    }
}

fn write_object(out: &mut String, mut members: Vec<(&String, &Value)>) {
    members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push('{');
    for (i, (key, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    // serde_json's string escaping (quotes, backslash, control characters) cannot fail for a
    // &str; fall back to an escaped empty string rather than panic.
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_keys_and_drops_signature() {
        let v: Value =
            serde_json::from_str(r#"{"b":1,"signature":"x","a":{"z":[1,"二"],"y":null},"c":"\n"}"#)
                .unwrap_or(Value::Null);
        let s = String::from_utf8(signed_bytes(&v)).unwrap_or_default();
        assert_eq!(s, r#"{"a":{"y":null,"z":[1,"二"]},"b":1,"c":"\n"}"#);
    }
}
