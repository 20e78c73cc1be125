//! Hostile zips: each is refused as `bag_invalid` with its own message, in memory, and
//! nothing is written anywhere (the files the entries aim at do not appear).

use crate::support::*;
use gongkai_bundle::{verify_bundle, ReasonCode, Verdict};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::PathBuf;

fn evil_name() -> String {
    format!("gongkai-bundle-evil-{}.txt", std::process::id())
}

/// Where the hostile entries would land if anything extracted them.
fn targets() -> Vec<PathBuf> {
    let name = evil_name();
    let cwd = std::env::current_dir().unwrap();
    vec![
        PathBuf::from("/tmp").join(&name),
        cwd.join("..").join(&name),
        cwd.join("../..").join(&name),
        cwd.join(&name),
    ]
}

fn assert_refused(bytes: &[u8], message_part: &str, what: &str) -> Verdict {
    let v = verify_bundle(bytes, &trust(), received_at());
    assert!(!v.accepted_for_review, "{what}: accepted");
    assert_eq!(
        v.codes(),
        vec![ReasonCode::BagInvalid],
        "{what}: {:#?}",
        v.reasons
    );
    assert!(
        v.reasons[0].message.contains(message_part),
        "{what}: expected “{message_part}” in {:?}",
        v.reasons[0].message
    );
    assert!(v.submission.is_none() && v.payload.is_empty());
    for t in targets() {
        assert!(!t.exists(), "{what}: {} was written", t.display());
    }
    v
}

/// A valid bag plus one extra entry with `name`, written by the `zip` crate.
fn bag_plus(name: &str) -> Vec<u8> {
    let mut files = unzip_mem(&bundle(&keys().unit, UNIT, 80));
    files.insert(name.to_string(), b"pwned".to_vec());
    zip_mem(&files)
}

#[test]
fn path_traversal() {
    let root = format!("SUB-{}", id(80));
    let evil = evil_name();
    assert_refused(
        &bag_plus(&format!("{root}/../../{evil}")),
        "路径穿越",
        "../../",
    );
    assert_refused(&bag_plus(&format!("../{evil}")), "路径穿越", "../");
}

#[test]
fn absolute_path() {
    assert_refused(
        &bag_plus(&format!("/tmp/{}", evil_name())),
        "绝对路径",
        "absolute",
    );
}

#[test]
fn backslashes_and_drive_letters() {
    let root = format!("SUB-{}", id(80));
    assert_refused(
        &bag_plus(&format!("{root}\\..\\..\\{}", evil_name())),
        "反斜杠",
        "backslash",
    );
    assert_refused(
        &bag_plus(&format!("C:/{}", evil_name())),
        "盘符",
        "drive letter",
    );
}

#[test]
fn symlink() {
    let mut files = unzip_mem(&bundle(&keys().unit, UNIT, 81));
    let root = root_of(&files);
    files.remove(&format!("{root}/data/forms/审签单.pdf"));
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in &files {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.add_symlink(format!("{root}/data/forms/审签单.pdf"), "/etc/passwd", opts)
        .unwrap();
    let bytes = w.finish().map(|c| c.into_inner()).unwrap();
    assert_refused(&bytes, "符号链接", "symlink");
}

#[test]
fn too_many_entries() {
    let root = format!("SUB-{}", id(82));
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..10_000 {
        w.start_file(format!("{root}/data/f{i:05}.txt"), opts)
            .unwrap();
        w.write_all(b"x").unwrap();
    }
    let bytes = w.finish().map(|c| c.into_inner()).unwrap();
    assert!(bytes.len() > 10_000 * 60);
    assert_refused(&bytes, "条目过多", "10,000 entries");
}

/// One entry of a hand-written zip (for what the `zip` crate refuses to write).
struct Raw {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

impl Raw {
    fn stored(name: &[u8], data: &[u8]) -> Raw {
        Raw {
            name: name.to_vec(),
            flags: 1 << 11,
            method: 0,
            data: data.to_vec(),
            crc: crc32fast::hash(data),
            size: data.len() as u32,
        }
    }
}

fn raw_zip(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes()); // version needed
            v.extend(e.flags.to_le_bytes());
            v.extend(e.method.to_le_bytes());
            v.extend(0u16.to_le_bytes()); // time
            v.extend(0x21u16.to_le_bytes()); // date 1980-01-01
            v.extend(e.crc.to_le_bytes());
            v.extend((e.data.len() as u32).to_le_bytes());
            v.extend(e.size.to_le_bytes());
            v.extend((e.name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(&e.name);
        out.extend(&e.data);

        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend((3u16 << 8 | 20).to_le_bytes()); // made by: unix
        common(&mut central);
        central.extend(0u16.to_le_bytes()); // comment
        central.extend(0u16.to_le_bytes()); // disk
        central.extend(0u16.to_le_bytes()); // internal attributes
        central.extend((0o100_644u32 << 16).to_le_bytes()); // regular file
        central.extend(offset.to_le_bytes());
        central.extend(&e.name);
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The valid bag's entries as raw stored entries.
fn bag_raw(n: u64) -> Vec<Raw> {
    unzip_mem(&bundle(&keys().unit, UNIT, n))
        .iter()
        .map(|(name, bytes)| Raw::stored(name.as_bytes(), bytes))
        .collect()
}

#[test]
fn the_raw_writer_makes_valid_bags() {
    // Control: the hand-written container alone does not make a bag invalid.
    let v = verify_bundle(&raw_zip(&bag_raw(83)), &trust(), received_at());
    assert!(v.accepted_for_review, "{:#?}", v.reasons);
}

#[test]
fn duplicate_names() {
    let mut entries = bag_raw(84);
    let root = format!("SUB-{}", id(84));
    entries.push(Raw::stored(
        format!("{root}/data/policy.docx").as_bytes(),
        b"second copy",
    ));
    assert_refused(&raw_zip(&entries), "重复", "duplicate");

    let mut entries = bag_raw(84);
    entries.push(Raw::stored(
        format!("{root}/data/POLICY.docx").as_bytes(),
        b"case twin",
    ));
    assert_refused(&raw_zip(&entries), "大小写", "case-insensitive duplicate");
}

#[test]
fn non_utf8_names() {
    let root = format!("SUB-{}", id(85));
    // GBK bytes for 政策 flagged as UTF-8: invalid.
    let mut entries = bag_raw(85);
    let mut name = format!("{root}/data/").into_bytes();
    name.extend([0xD5, 0xFE, 0xB2, 0xDF, b'.', b't', b'x', b't']);
    entries.push(Raw::stored(&name, b"x"));
    assert_refused(&raw_zip(&entries), "UTF-8", "GBK name flagged UTF-8");

    // Valid UTF-8 but not flagged (CP437 by the zip spec): refused too.
    let mut entries = bag_raw(85);
    let mut raw = Raw::stored(format!("{root}/data/政策.txt").as_bytes(), b"x");
    raw.flags = 0;
    entries.push(raw);
    assert_refused(&raw_zip(&entries), "UTF-8", "unflagged UTF-8 name");
}

/// Raw deflate of `gib` GiB of zeros, built from one compressed MiB repeated: a full flush
/// makes each MiB a byte-aligned, self-contained run of blocks. Never holds the zeros.
fn deflated_zeros(mib: usize) -> (Vec<u8>, u32) {
    let zeros = vec![0u8; 1 << 20];
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut chunk = Vec::with_capacity(1 << 16);
    let status = c.compress_vec(&zeros, &mut chunk, flate2::FlushCompress::Full);
    assert!(status.is_ok() && c.total_in() == 1 << 20, "{status:?}");
    let mut data = Vec::with_capacity(chunk.len() * mib + 2);
    for _ in 0..mib {
        data.extend_from_slice(&chunk);
    }
    data.extend([0x03, 0x00]); // final empty fixed-Huffman block
    let mut one = crc32fast::Hasher::new();
    one.update(&zeros);
    let mut all = crc32fast::Hasher::new();
    for _ in 0..mib {
        all.combine(&one);
    }
    (data, all.finalize())
}

#[test]
fn zip_bomb() {
    let mib = 1024; // 1 GiB of zeros
    let (data, crc) = deflated_zeros(mib);
    assert!(data.len() < 2 << 20, "{} bytes", data.len());
    let root = format!("SUB-{}", id(86));
    let bomb = |size: u32| {
        let mut entries = bag_raw(86);
        entries.push(Raw {
            name: format!("{root}/data/zeros.bin").into_bytes(),
            flags: 1 << 11,
            method: 8,
            data: data.clone(),
            crc,
            size,
        });
        raw_zip(&entries)
    };

    // Honest headers: refused from the sizes alone.
    let honest = bomb((mib as u32) << 20);
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = tmp.path().join("bomb.zip");
    std::fs::write(&path, &honest).unwrap();
    assert_refused(&honest, "压缩炸弹", "zip bomb, honest sizes");

    // An outside reader agrees it is 1 GiB of zeros with a good CRC (streamed, in C).
    let script = "import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
name = [i for i in z.namelist() if i.endswith('zeros.bin')][0]
f = z.open(name)
n = 0
while True:
    b = f.read(1 << 22)
    if not b:
        break
    n += len(b)
print(n)
";
    let out = run(
        "python3",
        &["-c", script, &path.to_string_lossy()],
        "apt-get install -y python3",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        (1u64 << 30).to_string()
    );

    // Lying headers (1 MiB declared): refused after reading at most 1 MiB + 1 byte.
    assert_refused(&bomb(1 << 20), "实际大小", "zip bomb, lying sizes");
}

#[test]
fn not_a_zip_and_other_shapes() {
    assert_refused(b"", "ZIP", "empty");
    assert_refused(b"PK\x05\x06", "ZIP", "truncated");
    assert_refused(&[0u8; 100], "ZIP", "zeros");
    let mut files = BTreeMap::new();
    files.insert("bagit.txt".to_string(), b"x".to_vec());
    assert_refused(&zip_mem(&files), "顶层", "file at the top level");
    let mut files = BTreeMap::new();
    files.insert("a/bagit.txt".to_string(), b"x".to_vec());
    files.insert("b/bagit.txt".to_string(), b"x".to_vec());
    assert_refused(&zip_mem(&files), "多个文件夹", "two top-level folders");
}
