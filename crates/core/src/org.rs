//! The organisation: units (局直单位) and the clerks who work for them.

use crate::ids::{ClerkId, DeviceId};
use serde::{Deserialize, Serialize};

/// A directly-affiliated unit of the bureau, from the seeded unit list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Unit {
    /// Stable short code, e.g. `zazd`.
    pub id: String,
    /// Full name, e.g. 治安支队.
    pub name: String,
    /// The unit it belongs to, if any.
    pub parent: Option<String>,
    /// `department`, `office` or `unit`.
    pub kind: String,
    /// False for units that are typical but were not seen in the source documents.
    pub verified: bool,
}

/// The person using this installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Clerk {
    pub id: ClerkId,
    pub name: String,
    pub unit_id: String,
    pub device_id: DeviceId,
}

/// Checks a clerk's name as typed on first run; returns the trimmed name.
pub fn clean_clerk_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err("请填写您的姓名。");
    }
    if chars > 20 {
        return Err("姓名过长（不超过20个字），请核对后重新填写。");
    }
    if name.chars().any(char::is_control) {
        return Err("姓名中含有不可见字符，请重新输入。");
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerk_names() {
        assert_eq!(clean_clerk_name("  王晓明 ").unwrap(), "王晓明");
        assert!(clean_clerk_name("   ").is_err());
        assert!(clean_clerk_name(&"张".repeat(21)).is_err());
        assert!(clean_clerk_name("王\u{0007}").is_err());
    }
}
