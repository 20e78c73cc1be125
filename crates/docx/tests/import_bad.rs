//! Bad files are refused with a stable code and a Chinese message that says what to do next,
//! and importing them writes nothing (checked on the directory holding the file).

mod import_support;

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use gongkai_docx::{import_docx, import_docx_with, import_path, ImportError, Limits};
use import_support::*;

/// The names, sizes and contents of the files in a directory.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("entry");
            let meta = e.metadata().expect("metadata");
            let content = if meta.len() <= 60 * 1024 * 1024 {
                std::fs::read(e.path()).expect("read")
            } else {
                format!("{} bytes", meta.len()).into_bytes()
            };
            (e.file_name().to_string_lossy().into_owned(), content)
        })
        .collect();
    out.sort();
    out
}

/// Imports `bytes` from a file in a fresh directory and from memory; both must fail with
/// `code`, and the directory must be unchanged afterwards.
fn refused(bytes: &[u8], code: &str) -> ImportError {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("草稿.docx");
    std::fs::write(&path, bytes).expect("write input");
    let before = snapshot(dir.path());
    let from_path = import_path(&path).expect_err("must be refused");
    assert_eq!(snapshot(dir.path()), before, "import wrote something");
    let from_memory = import_docx(bytes).expect_err("must be refused");
    assert_eq!(from_path, from_memory);
    assert_eq!(from_path.code(), code, "{from_path}");
    let msg = from_path.to_string();
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "message in Chinese: {msg}"
    );
    from_path
}

fn valid_docx() -> Vec<u8> {
    Docx::new(&[p_center("关于测试的通知", 44), p("一、正文")].concat()).build()
}

/// Sets the declared uncompressed size of `name` in both its local and central headers.
fn patch_declared_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut i = 0;
    while i + 46 <= zip.len() {
        if zip[i..].starts_with(b"PK\x03\x04") && zip[i + 30..].starts_with(name) {
            zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
        }
        if zip[i..].starts_with(b"PK\x01\x02") && zip[i + 46..].starts_with(name) {
            zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
}

/// Sets the "encrypted" flag of `name` in its central and local headers.
fn patch_encrypted(zip: &mut [u8], name: &str) {
    let name = name.as_bytes();
    let mut i = 0;
    while i + 46 <= zip.len() {
        if zip[i..].starts_with(b"PK\x03\x04") && zip[i + 30..].starts_with(name) {
            zip[i + 6] |= 1;
        }
        if zip[i..].starts_with(b"PK\x01\x02") && zip[i + 46..].starts_with(name) {
            zip[i + 8] |= 1;
        }
        i += 1;
    }
}

fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create cfb");
    for (name, data) in streams {
        let mut s = cf.create_stream(name).expect("create stream");
        s.write_all(data).expect("write stream");
    }
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

#[test]
fn the_sample_is_valid() {
    let imp = import_docx(&valid_docx()).expect("the base file imports");
    assert_eq!(imp.fields.title, "关于测试的通知");
}

#[test]
fn not_a_zip() {
    refused(b"", "not_zip");
    refused("这只是一个文本文件，被改了扩展名。".as_bytes(), "not_zip");
    refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_zip");
    let e = refused(br"{\rtf1\ansi\deff0 {\fonttbl}}", "not_zip");
    assert!(e.to_string().contains("另存为 .docx"));
}

#[test]
fn a_zip_without_the_document() {
    let zip = raw_zip(
        &[
            ("hello.txt", b"hello"),
            ("[Content_Types].xml", b"<Types/>"),
        ],
        zip::CompressionMethod::Deflated,
    );
    let e = refused(&zip, "no_document");
    assert!(e.to_string().contains("word/document.xml"));
    // An empty archive, too.
    refused(&raw_zip(&[], zip::CompressionMethod::Stored), "no_document");
}

#[test]
fn a_highly_compressed_entry_is_a_zip_bomb() {
    // 8 MB of one character compresses about a thousandfold.
    let doc = document_xml(&p(&"字".repeat(8 * 1024 * 1024 / 3)));
    let bomb = Docx::raw_document(&doc).build();
    assert!(bomb.len() < 200_000, "compressed to {}", bomb.len());
    refused(&bomb, "zip_bomb");
}

#[test]
fn declared_totals_over_the_cap_are_a_zip_bomb() {
    // Incompressible-looking text so the ratio stays low; the total is what is over the cap.
    let mut text = String::new();
    let mut x: u32 = 12345;
    while text.len() < 300_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        text.push(char::from(b'a' + ((x >> 16) % 26) as u8));
    }
    let docx = Docx::new(&p(&text)).build();
    let limits = Limits {
        max_total_uncompressed: 200_000,
        ..Limits::default()
    };
    let e = import_docx_with(&docx, &limits).expect_err("over the cap");
    assert_eq!(e.code(), "zip_bomb");
    assert!(import_docx(&docx).is_ok(), "fine under the default cap");
}

#[test]
fn an_entry_yielding_more_than_it_declares_is_a_zip_bomb() {
    let mut docx = Docx::new(&p(&"正文".repeat(40_000))).build();
    patch_declared_size(&mut docx, "word/document.xml", 1000);
    refused(&docx, "zip_bomb");
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..10_001).map(|i| format!("f/{i}")).collect();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let doc = document_xml(&p("正文"));
    entries.push(("word/document.xml", doc.as_bytes()));
    let zip = raw_zip(&entries, zip::CompressionMethod::Stored);
    let e = refused(&zip, "too_many_entries");
    assert!(e.to_string().contains("10002"), "{e}");

    let small = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    let e = import_docx_with(&valid_docx(), &small).expect_err("over the limit");
    assert_eq!(e.code(), "too_many_entries");
}

#[test]
fn too_large_in_memory() {
    let mut big = valid_docx();
    big.resize(50 * 1024 * 1024 + 1, 0);
    let e = import_docx(&big).expect_err("too large");
    assert_eq!(e.code(), "too_large");
    assert!(e.to_string().contains("50.0 MB"), "{e}");
}

#[test]
fn a_100_mb_file_is_refused_quickly_without_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("大文件.docx");
    let mut f = std::fs::File::create(&path).expect("create");
    f.write_all(&valid_docx()).expect("write");
    f.set_len(100 * 1024 * 1024).expect("sparse 100 MB");
    drop(f);
    let before = snapshot(dir.path());
    let start = Instant::now();
    let e = import_path(&path).expect_err("too large");
    let took = start.elapsed();
    assert_eq!(e.code(), "too_large");
    assert!(took < Duration::from_millis(200), "took {took:?}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_missing_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let e = import_path(&dir.path().join("没有这个文件.docx")).expect_err("missing");
    assert_eq!(e.code(), "io");
    assert!(e.to_string().contains("文件不存在"));
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn password_protected_word_files() {
    let encrypted = ole(&[
        ("/EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0][..]),
        ("/EncryptedPackage", &[0x10; 600][..]),
    ]);
    let e = refused(&encrypted, "encrypted");
    assert!(e.to_string().contains("密码"));

    // An encrypted legacy .doc: the FIB's fEncrypted bit.
    let mut fib = [0u8; 64];
    fib[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    fib[10..12].copy_from_slice(&0x0100u16.to_le_bytes());
    refused(
        &ole(&[("/WordDocument", &fib[..]), ("/1Table", &[0u8; 16][..])]),
        "encrypted",
    );

    // A zip whose document entry is encrypted.
    let mut docx = valid_docx();
    patch_encrypted(&mut docx, "word/document.xml");
    refused(&docx, "encrypted");
}

#[test]
fn a_legacy_doc_renamed() {
    let mut fib = [0u8; 64];
    fib[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    let doc = ole(&[("/WordDocument", &fib[..]), ("/1Table", &[0u8; 16][..])]);
    let e = refused(&doc, "legacy_doc");
    assert_eq!(
        e.to_string(),
        "这是旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再导入。"
    );
    // Another OLE file (a spreadsheet) is simply not a .docx.
    refused(&ole(&[("/Workbook", &[0u8; 100][..])]), "not_zip");
    // A damaged OLE header still tells a .doc by its stream name.
    let mut damaged = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    damaged.extend_from_slice(&[0xFF; 100]);
    damaged.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
    refused(&damaged, "legacy_doc");
}

#[test]
fn malformed_xml() {
    let e = refused(
        &Docx::raw_document("<w:document><w:body><w:p></w:body></w:document>").build(),
        "bad_xml",
    );
    assert!(e.to_string().contains("word/document.xml"));
    // Unclosed at the end.
    refused(
        &Docx::raw_document("<w:document><w:body><w:p>").build(),
        "bad_xml",
    );
    // An undefined entity inside text.
    refused(
        &Docx::new("<w:p><w:r><w:t>&secret;</w:t></w:r></w:p>").build(),
        "bad_xml",
    );
    // Not UTF-8.
    let mut latin = document_xml(&p("x")).into_bytes();
    latin.extend_from_slice(&[0xFF, 0xFE, 0xFD]);
    refused(
        &Docx::new("").part("word/document.xml", latin).build(),
        "bad_xml",
    );
    // A broken styles part.
    let e = refused(
        &Docx::new(&p("正文"))
            .part("word/styles.xml", "<w:styles><w:style>")
            .build(),
        "bad_xml",
    );
    assert!(e.to_string().contains("word/styles.xml"));
    refused(
        &Docx::new(&p("正文"))
            .part("word/numbering.xml", "<w:numbering><w:num></w:numbering>")
            .build(),
        "bad_xml",
    );
}

#[test]
fn truncated_and_damaged_archives() {
    let docx = valid_docx();
    refused(&docx[..docx.len() / 2], "corrupt");
    // Damage the document data (stored, so the damage cannot be hidden by the decompressor):
    // its CRC no longer matches.
    let doc = document_xml(&p("一段用来检验校验和的正文"));
    let mut damaged = raw_zip(
        &[("word/document.xml", doc.as_bytes())],
        zip::CompressionMethod::Stored,
    );
    let text = "检验".as_bytes();
    let at = damaged
        .windows(text.len())
        .position(|w| w == text)
        .expect("stored text");
    damaged[at..at + 6].copy_from_slice("校验".as_bytes());
    let e = refused(&damaged, "corrupt");
    assert!(e.to_string().contains("word/document.xml"), "{e}");
}

#[test]
fn codes_are_stable() {
    let all = [
        (ImportError::TooLarge { size: 1, limit: 0 }, "too_large"),
        (ImportError::NotZip, "not_zip"),
        (ImportError::LegacyDoc, "legacy_doc"),
        (ImportError::Encrypted, "encrypted"),
        (ImportError::ZipBomb, "zip_bomb"),
        (
            ImportError::TooManyEntries { count: 2, limit: 1 },
            "too_many_entries",
        ),
        (ImportError::NoDocument, "no_document"),
        (ImportError::BadXml { part: "x".into() }, "bad_xml"),
        (ImportError::Corrupt { detail: "x".into() }, "corrupt"),
        (ImportError::Io { reason: "x".into() }, "io"),
    ];
    for (e, code) in all {
        assert_eq!(e.code(), code);
        assert!(e.to_string().contains("。"), "{e}");
    }
}
