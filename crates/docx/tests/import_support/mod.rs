//! Builds .docx packages part by part with the zip crate, for the import tests and the bench:
//! the XML is written by hand so that each test says exactly what Word would have stored.

#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `<w:document>` around the given body content.
pub fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

/// A run of text.
pub fn r(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

/// A plain paragraph.
pub fn p(text: &str) -> String {
    format!("<w:p>{}</w:p>", r(text))
}

/// A paragraph with the given pPr content and runs.
pub fn p_with(ppr: &str, runs: &str) -> String {
    format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
}

/// A paragraph in a style.
pub fn p_style(style: &str, text: &str) -> String {
    p_with(&format!(r#"<w:pStyle w:val="{style}"/>"#), &r(text))
}

/// A numbered paragraph.
pub fn p_num(num_id: u32, ilvl: u32, text: &str) -> String {
    p_with(
        &format!(r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>"#),
        &r(text),
    )
}

/// A centred paragraph in a font size given in half-points.
pub fn p_center(text: &str, half_points: u32) -> String {
    p_with(
        r#"<w:jc w:val="center"/>"#,
        &format!(
            r#"<w:r><w:rPr><w:sz w:val="{half_points}"/></w:rPr><w:t>{}</w:t></w:r>"#,
            esc(text)
        ),
    )
}

/// A table of plain cells.
pub fn table(rows: &[&[&str]]) -> String {
    let mut s = String::from(r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>"#);
    for row in rows {
        s.push_str("<w:tr>");
        for cell in *row {
            s.push_str("<w:tc><w:tcPr><w:tcW w:w=\"1000\" w:type=\"dxa\"/></w:tcPr>");
            for para in cell.split('\n') {
                s.push_str(&p(para));
            }
            s.push_str("</w:tc>");
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

/// A .docx under construction: the document body plus any other parts.
pub struct Docx {
    parts: Vec<(String, Vec<u8>)>,
}

impl Docx {
    /// A package whose word/document.xml holds `body`.
    pub fn new(body: &str) -> Self {
        Docx {
            parts: vec![("word/document.xml".into(), document_xml(body).into_bytes())],
        }
    }

    /// A package whose word/document.xml is exactly `xml`.
    pub fn raw_document(xml: &str) -> Self {
        Docx {
            parts: vec![("word/document.xml".into(), xml.as_bytes().to_vec())],
        }
    }

    /// Adds (or replaces) a part.
    pub fn part(mut self, name: &str, content: impl AsRef<[u8]>) -> Self {
        self.parts.retain(|(n, _)| n != name);
        self.parts.push((name.into(), content.as_ref().to_vec()));
        self
    }

    fn has(&self, name: &str) -> bool {
        self.parts.iter().any(|(n, _)| n == name)
    }

    /// The zip bytes (deflated), with [Content_Types].xml and the relationships for the parts
    /// present.
    pub fn build(&self) -> Vec<u8> {
        self.build_with(zip::CompressionMethod::Deflated)
    }

    /// The zip bytes with the given compression method.
    pub fn build_with(&self, method: zip::CompressionMethod) -> Vec<u8> {
        let mut ct = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
        );
        ct.push_str("</Types>");
        let mut root = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>"#
        );
        if self.has("docProps/core.xml") {
            root.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#);
        }
        if self.has("docProps/app.xml") {
            root.push_str(&format!(
                r#"<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>"#
            ));
        }
        root.push_str("</Relationships>");
        let mut doc_rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        let known = [
            ("word/styles.xml", "styles", "styles.xml"),
            ("word/numbering.xml", "numbering", "numbering.xml"),
            ("word/comments.xml", "comments", "comments.xml"),
            ("word/footnotes.xml", "footnotes", "footnotes.xml"),
            ("word/header1.xml", "header", "header1.xml"),
            ("word/footer1.xml", "footer", "footer1.xml"),
        ];
        for (i, (part, kind, target)) in known.iter().enumerate() {
            if self.has(part) {
                doc_rels.push_str(&format!(
                    r#"<Relationship Id="rIdK{i}" Type="{REL}/{kind}" Target="{target}"/>"#
                ));
            }
        }
        for (i, (name, _)) in self.parts.iter().enumerate() {
            if let Some(media) = name.strip_prefix("word/") {
                if media.starts_with("media/") {
                    doc_rels.push_str(&format!(
                        r#"<Relationship Id="rIdM{i}" Type="{REL}/image" Target="{media}"/>"#
                    ));
                }
            }
        }
        doc_rels.push_str("</Relationships>");

        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let opts = SimpleFileOptions::default().compression_method(method);
            let mut write = |name: &str, data: &[u8]| {
                zip.start_file(name, opts).expect("start file");
                zip.write_all(data).expect("write part");
            };
            if !self.has("[Content_Types].xml") {
                write("[Content_Types].xml", ct.as_bytes());
            }
            if !self.has("_rels/.rels") {
                write("_rels/.rels", root.as_bytes());
            }
            if !self.has("word/_rels/document.xml.rels") {
                write("word/_rels/document.xml.rels", doc_rels.as_bytes());
            }
            for (name, data) in &self.parts {
                write(name, data);
            }
            zip.finish().expect("finish zip");
        }
        out.into_inner()
    }
}

/// A zip archive of the given entries, exactly (no added parts).
pub fn raw_zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            zip.start_file(*name, opts).expect("start file");
            zip.write_all(data).expect("write entry");
        }
        zip.finish().expect("finish zip");
    }
    out.into_inner()
}

/// styles.xml holding the given `<w:style>` elements (and a Normal default).
pub fn styles_xml(styles: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>{styles}</w:styles>"#
    )
}

/// A paragraph style definition.
pub fn para_style(id: &str, name: &str, based_on: Option<&str>, ppr: &str) -> String {
    let based = based_on
        .map(|b| format!(r#"<w:basedOn w:val="{b}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>{based}<w:pPr>{ppr}</w:pPr></w:style>"#
    )
}

/// numbering.xml from `<w:abstractNum>`/`<w:num>` content.
pub fn numbering_xml(content: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">{content}</w:numbering>"#
    )
}

/// One `<w:lvl>`.
pub fn lvl(ilvl: u32, fmt: &str, text: &str) -> String {
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{}"/><w:lvlJc w:val="left"/></w:lvl>"#,
        esc(text)
    )
}

/// The GB/T 9704 four-level list as Word writes it with Chinese numbering.
pub fn gb_abstract(id: u32) -> String {
    format!(
        r#"<w:abstractNum w:abstractNumId="{id}">{}{}{}{}</w:abstractNum>"#,
        lvl(0, "chineseCounting", "%1、"),
        lvl(1, "chineseCounting", "（%2）"),
        lvl(2, "decimal", "%3."),
        lvl(3, "decimal", "（%4）"),
    )
}

/// `<w:num>` bound to an abstract definition.
pub fn num(num_id: u32, abstract_id: u32) -> String {
    format!(r#"<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>"#)
}

/// A run as Word writes it: rsid, fonts and sizes on every run.
fn word_run(text: &str) -> String {
    format!(
        r#"<w:r w:rsidRPr="00A1B2C3"><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="Times New Roman" w:hint="eastAsia"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

/// A paragraph as Word writes it, the text split into runs of about 20 characters.
fn word_para(ppr: &str, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let runs: String = chars
        .chunks(20)
        .map(|c| word_run(&c.iter().collect::<String>()))
        .collect();
    format!(
        r#"<w:p w:rsidR="00B2C3D4" w:rsidRDefault="00B2C3D4" w:rsidP="00C3D4E5"><w:pPr>{ppr}<w:spacing w:line="579" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr>{runs}</w:p>"#
    )
}

/// About 30 pages of a GB/T 9704 document as Word would save it (22 lines of 28 characters a
/// page): 版头, title, 主送, numbered headings on four levels, body paragraphs, two tables, some
/// tracked changes and comments, 署名, date and 版记. Returns the .docx and the number of
/// paragraphs in its body.
pub fn thirty_page_document() -> (Vec<u8>, usize) {
    let sentence = "为深入贯彻落实政府信息公开条例，进一步提升公安机关政务公开工作质量，切实保障人民群众知情权、参与权、表达权和监督权，";
    let mut body = String::new();
    body.push_str(&p_center("淄博市公安局文件", 72));
    body.push_str(&p_center("淄公发〔2026〕12号", 32));
    body.push_str(&p_center(
        "关于进一步加强全市公安机关政务公开工作的通知",
        44,
    ));
    body.push_str(&p("各区县公安分局，市局各单位："));
    let mut paragraphs = 0;
    let numbered = |ilvl: u32, text: &str| {
        word_para(
            &format!(r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr>"#),
            text,
        )
    };
    let mut chars = 0;
    let mut section = 0;
    while chars < 30 * 22 * 28 {
        section += 1;
        body.push_str(&numbered(0, &format!("第{section}部分的工作要求")));
        paragraphs += 1;
        for sub in 0..3 {
            body.push_str(&numbered(1, &format!("分项工作{sub}")));
            body.push_str(&numbered(2, "具体措施"));
            body.push_str(&numbered(3, "细化要求"));
            paragraphs += 3;
            let text = sentence.repeat(2 + sub % 2);
            chars += text.chars().count() + 30;
            if sub == 1 {
                // A tracked insertion and deletion and a comment in some paragraphs.
                body.push_str(&format!(
                    r#"<w:p><w:commentRangeStart w:id="{section}"/>{}<w:ins w:id="{}" w:author="某人"><w:r><w:t>新增内容。</w:t></w:r></w:ins><w:del w:id="{}" w:author="某人"><w:r><w:delText>删除内容。</w:delText></w:r></w:del><w:commentRangeEnd w:id="{section}"/><w:r><w:commentReference w:id="{section}"/></w:r></w:p>"#,
                    word_run(&text),
                    section * 10 + 1,
                    section * 10 + 2
                ));
            } else {
                body.push_str(&word_para("", &text));
            }
            paragraphs += 1;
        }
        if section % 6 == 0 {
            body.push_str(&table(&[
                &["序号", "单位", "责任人", "完成时限"],
                &["1", "治安支队", "支队长", "2026年6月"],
                &["2", "刑侦支队", "支队长", "2026年9月"],
            ]));
        }
    }
    body.push_str(&p("附件：1.政务公开目录"));
    body.push_str(&p("淄博市公安局"));
    body.push_str(&p("2026年3月5日"));
    body.push_str(&p("（此件公开发布）"));
    body.push_str(&p("抄送：市委政法委，市检察院。"));
    body.push_str(&p("淄博市公安局办公室　　2026年3月5日印发"));
    let numbering = numbering_xml(&[gb_abstract(0), num(1, 0)].concat());
    let docx = Docx::new(&body)
        .part("word/numbering.xml", numbering)
        .part("word/styles.xml", styles_xml(""))
        .build();
    (docx, paragraphs)
}
