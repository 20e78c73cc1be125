//! Property tests: import never panics — not on arbitrary bytes, not on a valid .docx with bytes
//! flipped or cut off, not on random XML-ish content in document.xml (with styles that inherit
//! in a cycle and numbering with extreme values) — and always answers `Ok` or `Err`. A panic hook
//! counts panics, so that one caught by the import's last-resort guard still fails the test.
//! On every `Ok`, each body entry's level is what `classify_paragraph` sees, and marked deleted,
//! moved-away, hidden and field-instruction text never appears in the result.

mod import_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};

use gongkai_core::classify_paragraph;
use gongkai_docx::{import_docx, ImportError, Imported};
use import_support::*;
use proptest::prelude::*;

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn watch_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

const MARKED: &[&str] = &["DELETED", "MOVEDAWAY", "HIDDEN", "INSTRUCTION", "CHARTTEXT"];

/// Imports and checks the invariants. `marked_intact`: the marked content was not mutated, so
/// it must not appear in the result (a mutation may legitimately turn `<w:vanish/>` into
/// something else).
fn check(bytes: &[u8], marked_intact: bool) -> Result<(), TestCaseError> {
    watch_panics();
    let before = PANICS.load(Ordering::SeqCst);
    let result: Result<Imported, ImportError> = import_docx(bytes);
    prop_assert_eq!(PANICS.load(Ordering::SeqCst), before, "a panic was caught");
    match result {
        Ok(imp) => {
            prop_assert_eq!(imp.levels.len(), imp.fields.body.len());
            for (text, level) in imp.fields.body.iter().zip(&imp.levels) {
                prop_assert_eq!(classify_paragraph(text).level, level.level, "{}", text);
            }
            let json = serde_json::to_string(&imp).expect("serialises");
            for marked in MARKED.iter().filter(|_| marked_intact) {
                prop_assert!(!json.contains(marked), "{} leaked: {}", marked, json);
            }
        }
        Err(e) => {
            prop_assert!(!e.code().is_empty());
            prop_assert!(!e.to_string().is_empty());
        }
    }
    Ok(())
}

fn styles() -> String {
    styles_xml(
        &[
            para_style(
                "H1",
                "heading 1",
                Some("Normal"),
                r#"<w:outlineLvl w:val="0"/>"#,
            ),
            para_style("H2", "标题 2", None, ""),
            // A basedOn cycle, and a self-reference.
            para_style("LoopA", "循环甲", Some("LoopB"), ""),
            para_style(
                "LoopB",
                "循环乙",
                Some("LoopA"),
                r#"<w:outlineLvl w:val="77"/>"#,
            ),
            para_style("Self", "自己", Some("Self"), ""),
            para_style(
                "Listed",
                "带编号",
                None,
                r#"<w:numPr><w:numId w:val="1"/></w:numPr>"#,
            ),
            para_style("T", "Title", None, r#"<w:jc w:val="center"/>"#),
        ]
        .concat(),
    )
}

fn numbering() -> String {
    numbering_xml(
        &[
            gb_abstract(0),
            r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="2147483647"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1%9%0%%"/><w:lvlRestart w:val="-5"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="-9"/><w:numFmt w:val="chineseLegalSimplified"/><w:lvlText w:val="%2%1"/><w:isLgl/></w:lvl><w:lvl w:ilvl="99"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>"#.to_string(),
            num(1, 0),
            num(2, 1),
            // A num pointing nowhere, and one with overrides.
            num(3, 42),
            r#"<w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="-2147483648"/></w:lvlOverride><w:lvlOverride w:ilvl="12"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#.to_string(),
        ]
        .concat(),
    )
}

const TOKENS: &[&str] = &[
    "<w:p>",
    "</w:p>",
    "<w:r>",
    "</w:r>",
    "<w:t>",
    "</w:t>",
    "<w:pPr>",
    "</w:pPr>",
    "<w:rPr>",
    "</w:rPr>",
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    "</w:tr>",
    "<w:tc>",
    "</w:tc>",
    "<w:trPr>",
    "</w:trPr>",
    "<w:ins>",
    "</w:ins>",
    "<w:del/>",
    "<w:tab/>",
    "<w:br/>",
    r#"<w:br w:type="page"/>"#,
    r#"<w:sym w:char="F0B7"/>"#,
    r#"<w:sym w:char="zz"/>"#,
    r#"<w:sym w:char="4E00"/>"#,
    "<w:vanish/>",
    r#"<w:jc w:val="center"/>"#,
    r#"<w:sz w:val="44"/>"#,
    r#"<w:sz w:val="-3"/>"#,
    r#"<w:pStyle w:val="H1"/>"#,
    r#"<w:pStyle w:val="H2"/>"#,
    r#"<w:pStyle w:val="LoopA"/>"#,
    r#"<w:pStyle w:val="Self"/>"#,
    r#"<w:pStyle w:val="Listed"/>"#,
    r#"<w:pStyle w:val="T"/>"#,
    r#"<w:pStyle w:val="Missing"/>"#,
    r#"<w:rStyle w:val="LoopB"/>"#,
    r#"<w:outlineLvl w:val="1"/>"#,
    r#"<w:outlineLvl w:val="300"/>"#,
    r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
    r#"<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>"#,
    r#"<w:numPr><w:ilvl w:val="3"/><w:numId w:val="1"/></w:numPr>"#,
    r#"<w:numPr><w:ilvl w:val="8"/><w:numId w:val="2"/></w:numPr>"#,
    r#"<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr>"#,
    r#"<w:numPr><w:ilvl w:val="-1"/><w:numId w:val="3"/></w:numPr>"#,
    r#"<w:numPr><w:ilvl w:val="99999999999"/><w:numId w:val="4"/></w:numPr>"#,
    r#"<w:numPr><w:numId w:val="0"/></w:numPr>"#,
    r#"<w:fldChar w:fldCharType="begin"/>"#,
    r#"<w:fldChar w:fldCharType="separate"/>"#,
    r#"<w:fldChar w:fldCharType="end"/>"#,
    r#"<w:fldSimple w:instr="PAGE">"#,
    "</w:fldSimple>",
    "<w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtContent>",
    "</w:sdtContent></w:sdt>",
    "<mc:AlternateContent><mc:Choice>",
    "</mc:Choice><mc:Fallback>",
    "</mc:Fallback></mc:AlternateContent>",
    "<w:drawing><w:txbxContent>",
    "</w:txbxContent></w:drawing>",
    "<w:sectPr/>",
    // Tables' cells and grids, VML shapes and WordArt.
    r#"<w:tcPr><w:gridSpan w:val="3"/><w:vMerge w:val="restart"/></w:tcPr>"#,
    "<w:tcPr><w:vMerge/></w:tcPr>",
    r#"<w:tcPr><w:gridSpan w:val="-7"/><w:tcPrChange><w:tcPr><w:gridSpan w:val="9"/></w:tcPr></w:tcPrChange></w:tcPr>"#,
    r#"<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="abc"/><w:gridCol w:w="1e30"/></w:tblGrid>"#,
    r#"<w:pict><v:shape><v:textpath string="某某市公安局文件"/></v:shape></w:pict>"#,
    "<w:pict><v:shape><v:textbox><w:txbxContent>",
    "</w:txbxContent></v:textbox></v:shape></w:pict>",
    "（此页无正文）",
    "某某市公安局令",
    "XX发〔20XX〕XX号",
    r#"<w:footnoteReference w:id="1"/>"#,
    r#"<w:commentReference w:id="1"/>"#,
    // Marked content that must never be imported.
    "<w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del>",
    // Text inside a drawing that is not a text box (a chart's, a picture's).
    "<w:r><w:drawing><a:graphic><a:p><a:r><a:t>CHARTTEXT</a:t></a:r></a:p></a:graphic></w:drawing></w:r>",
    "<w:moveFrom><w:r><w:t>MOVEDAWAY</w:t></w:r></w:moveFrom>",
    "<w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN</w:t></w:r>",
    "<w:r><w:instrText>INSTRUCTION</w:instrText></w:r>",
    r#"<w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr>"#,
    // Text.
    "甲",
    "关于测试的通知",
    "一、",
    "（一）",
    "1.",
    "（1）",
    "附件：",
    "抄送：",
    "2026年3月5日",
    "淄公发〔2026〕1号",
    "（此件公开发布）",
    "：",
    "&amp;",
    "&bogus;",
    "<![CDATA[数据]]>",
    "<!-- 注释 -->",
    "<?pi x?>",
    "<",
    ">",
    "\"",
];

fn xmlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..TOKENS.len(), 0..160)
        .prop_map(|ix| ix.into_iter().map(|i| TOKENS[i]).collect())
}

const ELEMENTS: &[&str] = &[
    "w:p",
    "w:r",
    "w:r",
    "w:r",
    "w:t",
    "w:pPr",
    "w:rPr",
    "w:numPr",
    "w:tbl",
    "w:tr",
    "w:tc",
    "w:trPr",
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:fldSimple",
    "w:sdt",
    "w:sdtContent",
    "w:hyperlink",
    "w:smartTag",
    "w:drawing",
    "w:txbxContent",
    "w:pict",
    "w:tcPr",
    "w:tblGrid",
    "v:textbox",
    "mc:AlternateContent",
    "mc:Choice",
    "mc:Fallback",
    "w:instrText",
    "w:delText",
    "w:pPrChange",
    "w:rPrChange",
    "w:object",
];

/// Whether a token is well-formed on its own: its tags nest and close, no stray `<`, `>`, `&`.
fn balanced(token: &str) -> bool {
    if token.contains("<!--") || token.contains("<?") || token.contains("CDATA") {
        return false;
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = token;
    while let Some(open) = rest.find('<') {
        if rest[..open].contains(['>', '&']) {
            return false;
        }
        let Some(close) = rest[open..].find('>') else {
            return false;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = tag.split_whitespace().next().unwrap_or_default();
        if let Some(end) = name.strip_prefix('/') {
            if stack.pop() != Some(end) {
                return false;
            }
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    stack.is_empty() && !rest.contains(['>', '&']) && !token.starts_with('"')
}

/// Leaves: everything in [`TOKENS`] that is well-formed on its own, and each text also as a
/// complete run.
fn leaves() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in TOKENS.iter().copied().filter(|t| balanced(t)) {
        out.push(t.to_string());
        if !t.contains('<') {
            out.push(format!("<w:r><w:t>{t}</w:t></w:r>"));
        }
    }
    out
}

/// Well-formed trees of WordprocessingML-like elements.
fn tree() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(leaves());
    leaf.prop_recursive(6, 200, 6, |inner| {
        (
            prop::sample::select(ELEMENTS),
            proptest::collection::vec(inner, 0..6),
        )
            .prop_map(|(name, children)| format!("<{name}>{}</{name}>", children.concat()))
    })
}

fn rich_docx_parts() -> (String, Docx) {
    let body = [
        p_center("关于开展测试工作的通知", 44),
        p("各单位："),
        p_num(1, 0, "总体要求"),
        p_num(1, 1, "工作目标"),
        p_style("H1", "保障措施"),
        table(&[&["甲", "乙"], &["1", "2"]]),
        "<w:p><w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN</w:t></w:r><w:r><w:t>正文</w:t></w:r></w:p>".to_string(),
        p("附件：1.名单"),
        p("淄博市公安局"),
        p("2026年3月5日"),
        p("抄送：市局办公室。"),
    ]
    .concat();
    let doc = document_xml(&body);
    let parts = Docx::new(&body)
        .part("word/styles.xml", styles())
        .part("word/numbering.xml", numbering())
        .part("word/media/image1.png", [0x89u8, b'P', b'N', b'G']);
    (doc, parts)
}

fn rich_docx() -> &'static [u8] {
    static DOCX: OnceLock<Vec<u8>> = OnceLock::new();
    DOCX.get_or_init(|| rich_docx_parts().1.build())
}

#[test]
fn the_rich_sample_imports() {
    let imp = import_docx(rich_docx()).expect("imports");
    assert_eq!(imp.fields.title, "关于开展测试工作的通知");
    assert!(imp.fields.body.contains(&"正文".to_string()));
    check(rich_docx(), true).expect("invariants hold");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(prefix in 0usize..4, rest in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let mut bytes: Vec<u8> = match prefix {
            0 => Vec::new(),
            1 => b"PK\x03\x04".to_vec(),
            2 => vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            _ => b"PK\x05\x06".to_vec(),
        };
        bytes.extend(rest);
        check(&bytes, true)?;
    }

    #[test]
    fn flipped_and_truncated_docx(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..12),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = rich_docx().to_vec();
        for (at, x) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= x;
        }
        if let Some(cut) = cut {
            let keep = cut.index(bytes.len());
            bytes.truncate(keep);
        }
        // Flips inside compressed data fail the CRC, so marked text cannot surface.
        check(&bytes, true)?;
    }

    #[test]
    fn mutated_document_xml(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..10),
    ) {
        let (doc, parts) = rich_docx_parts();
        let mut xml = doc.into_bytes();
        for (at, kind, b) in edits {
            if xml.is_empty() {
                break;
            }
            let i = at.index(xml.len());
            match kind {
                0 => xml[i] ^= b | 1,
                1 => { xml.remove(i); }
                _ => xml.insert(i, b),
            }
        }
        let bytes = parts.part("word/document.xml", xml).build_with(zip::CompressionMethod::Stored);
        check(&bytes, false)?;
    }

    #[test]
    fn random_xmlish_document(content in xmlish(), wrap in 0u8..3) {
        let xml = match wrap {
            0 => document_xml(&content),
            1 => format!("<w:document><w:body>{content}</w:body></w:document>"),
            _ => content,
        };
        let bytes = Docx::raw_document(&xml)
            .part("word/styles.xml", styles())
            .part("word/numbering.xml", numbering())
            .build_with(zip::CompressionMethod::Stored);
        check(&bytes, true)?;
    }

    #[test]
    fn random_well_formed_document(
        children in proptest::collection::vec((tree(), 0u8..3), 0..16),
    ) {
        // Mostly paragraphs, as in a real body; sometimes bare elements.
        let body: String = children
            .into_iter()
            .map(|(t, wrap)| match wrap {
                0 => t,
                _ => format!("<w:p>{t}</w:p>"),
            })
            .collect();
        let bytes = Docx::new(&body)
            .part("word/styles.xml", styles())
            .part("word/numbering.xml", numbering())
            .build_with(zip::CompressionMethod::Stored);
        check(&bytes, true)?;
    }

    #[test]
    fn random_xmlish_in_styles_and_numbering(content in xmlish(), which in 0u8..2) {
        let body = [p_num(1, 0, "一级"), p_style("H1", "标题"), p("正文")].concat();
        let mut docx = Docx::new(&body)
            .part("word/styles.xml", styles())
            .part("word/numbering.xml", numbering());
        docx = if which == 0 {
            docx.part("word/styles.xml", format!("<w:styles>{content}</w:styles>"))
        } else {
            docx.part("word/numbering.xml", format!("<w:numbering>{content}</w:numbering>"))
        };
        check(&docx.build_with(zip::CompressionMethod::Stored), true)?;
    }
}
