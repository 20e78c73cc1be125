//! Identifiers: UUIDv7 newtypes, and the [`IdSource`] that makes them (passed in, never global).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::Uuid;

/// Makes new identifiers. Production uses [`UuidV7Ids`]; tests use [`SeqIds`].
pub trait IdSource: Send + Sync {
    /// A fresh, unique UUID.
    fn new_uuid(&self) -> Uuid;
}

/// Time-ordered random UUIDv7 (good index locality in SQLite).
#[derive(Debug, Default, Clone, Copy)]
pub struct UuidV7Ids;

impl IdSource for UuidV7Ids {
    fn new_uuid(&self) -> Uuid {
        Uuid::now_v7()
    }
}

/// Deterministic ids for tests: valid UUIDv7 whose timestamp and random bits come from a counter.
#[derive(Debug, Default)]
pub struct SeqIds {
    counter: AtomicU64,
}

impl SeqIds {
    /// A source whose first id is built from `start + 1`.
    pub fn starting_at(start: u64) -> Self {
        Self {
            counter: AtomicU64::new(start),
        }
    }
}

impl IdSource for SeqIds {
    fn new_uuid(&self) -> Uuid {
        let n = self.counter.fetch_add(1, Ordering::SeqCst) + 1;
        let mut random = [0u8; 10];
        random[2..].copy_from_slice(&n.to_be_bytes());
        uuid::Builder::from_unix_timestamp_millis(1_700_000_000_000 + n, &random).into_uuid()
    }
}

macro_rules! uuid_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new id from `ids`.
            pub fn new(ids: &dyn IdSource) -> Self {
                Self(ids.new_uuid())
            }
            /// Parses the hyphenated form.
            pub fn parse(s: &str) -> Result<Self, uuid::Error> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_newtype!(
    /// A policy document.
    DocId
);
uuid_newtype!(
    /// One immutable saved state of a document.
    RevId
);
uuid_newtype!(
    /// A clerk (the person using this installation).
    ClerkId
);
uuid_newtype!(
    /// This installation, set once on first run.
    DeviceId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_ids_are_ordered_v7_and_unique() {
        let ids = SeqIds::default();
        let a = DocId::new(&ids);
        let b = DocId::new(&ids);
        assert_ne!(a, b);
        assert!(a < b);
        assert_eq!(a.0.get_version_num(), 7);
        assert_eq!(DocId::parse(&a.to_string()).unwrap(), a);
    }
}
