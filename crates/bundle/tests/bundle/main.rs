//! Integration tests of `gongkai-bundle`, one binary: bags checked by outside tools
//! (`bagit.py`, `minisign`, `openssl`), tampering, hostile zips, keys, receipts, properties.

mod building;
mod external;
mod hostile;
mod keys;
mod mutations;
mod props;
mod receipts;
mod support;
