//! What must not travel stays behind: deleted and moved-away text, hidden text, comments, field
//! instructions, footnotes, headers, text boxes and document properties never reach the result
//! (checked on the whole result serialised to JSON), the text reads as with all changes
//! accepted, and the clerk is told in Chinese what was left out.

mod import_support;

use gongkai_core::ParagraphLevel;
use gongkai_docx::import_docx;
use import_support::*;

const SECRETS: &[&str] = &[
    "删除的机密内容",
    "隐藏的身份证号",
    "370302199001011234",
    "secret.example",
    "内部链接",
    "HYPERLINK",
    "移走的旧位置文字",
    "样式隐藏的内部备注",
    "整段隐藏的草稿",
    "整段删除的敏感段落",
    "被删除的表格行",
    "此处涉及内部人员张三",
    "第二条批注内容",
    "第三条批注内容",
    "审核人周某",
    "王某某作者",
    "李某某修改",
    "某某单位机密公司",
    "赵某",
    "脚注内容秘密",
    "内部资料",
    "Normal.dotm",
];

fn tracked_document() -> Vec<u8> {
    let styles = styles_xml(
        &[
            para_style("Heading1", "heading 1", None, r#"<w:outlineLvl w:val="0"/>"#),
            r#"<w:style w:type="character" w:styleId="HiddenChar"><w:name w:val="内部备注"/><w:rPr><w:vanish/></w:rPr></w:style>"#.to_string(),
            r#"<w:style w:type="paragraph" w:styleId="HiddenPara"><w:name w:val="草稿段"/><w:basedOn w:val="Normal"/><w:rPr><w:vanish/></w:rPr></w:style>"#.to_string(),
        ]
        .concat(),
    );
    let text_box = r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#;
    let body = [
        p_center("关于加强数据安全管理的通知", 44),
        // A comment, an insertion, a deletion and a hidden run.
        [
            r#"<w:p><w:commentRangeStart w:id="0"/>"#,
            &r("第一段"),
            r#"<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>"#,
            r#"<w:ins w:id="10" w:author="王某某作者" w:date="2026-03-01T10:00:00Z">"#,
            &r("插入的文字"),
            r#"</w:ins><w:del w:id="11" w:author="李某某修改"><w:r><w:delText>删除的机密内容</w:delText></w:r></w:del>"#,
            r#"<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的身份证号370302199001011234</w:t></w:r>"#,
            &r("。"),
            "</w:p>",
        ]
        .concat(),
        // A field: the instruction is dropped, the result kept.
        [
            "<w:p>",
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "http://secret.example/内部链接" </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#,
            &r("公开链接文字"),
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        ]
        .concat(),
        // A deleted paragraph mark joins two paragraphs.
        p_with(r#"<w:rPr><w:del w:id="12" w:author="赵某"/></w:rPr>"#, &r("前半段")),
        p("后半段"),
        // A move: the old place disappears, the new place stays.
        p_with(
            r#"<w:rPr><w:moveFrom w:id="13" w:author="赵某"/></w:rPr>"#,
            r#"<w:moveFrom w:id="14" w:author="赵某"><w:r><w:t>移走的旧位置文字</w:t></w:r></w:moveFrom>"#,
        ),
        format!(r#"<w:p><w:moveTo w:id="15" w:author="赵某">{}</w:moveTo></w:p>"#, r("移到新位置的文字")),
        // Hidden through a character style, and through a paragraph style (one run overrides).
        format!(
            r#"<w:p><w:r><w:rPr><w:rStyle w:val="HiddenChar"/></w:rPr><w:t>样式隐藏的内部备注</w:t></w:r>{}</w:p>"#,
            r("可见文字")
        ),
        p_with(
            r#"<w:pStyle w:val="HiddenPara"/>"#,
            r#"<w:r><w:t>整段隐藏的草稿</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显式不隐藏</w:t></w:r>"#,
        ),
        // Formatting changes: the old properties (a heading style!) must not apply.
        p_with(
            r#"<w:jc w:val="left"/><w:pPrChange w:id="16" w:author="赵某"><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange>"#,
            r#"<w:r><w:rPr><w:b/><w:rPrChange w:id="17" w:author="赵某"><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr><w:t>格式修订</w:t></w:r>"#,
        ),
        format!(
            r#"<w:p>{}<w:r><w:footnoteReference w:id="1"/></w:r></w:p>"#,
            r("有脚注的段落")
        ),
        format!("<w:p>{}{text_box}</w:p>", r("文本框锚点段")),
        // A whole paragraph inserted, and one deleted.
        p_with(
            r#"<w:rPr><w:ins w:id="18" w:author="赵某"/></w:rPr>"#,
            &format!(r#"<w:ins w:id="19" w:author="赵某">{}</w:ins>"#, r("新插入的段落")),
        ),
        p_with(
            r#"<w:rPr><w:del w:id="20" w:author="赵某"/></w:rPr>"#,
            r#"<w:del w:id="21" w:author="赵某"><w:r><w:delText>整段删除的敏感段落</w:delText></w:r></w:del>"#,
        ),
        // A table with a deleted row.
        [
            "<w:tbl><w:tblPr/>",
            "<w:tr><w:tc>",
            &p("保留行"),
            "</w:tc></w:tr>",
            r#"<w:tr><w:trPr><w:del w:id="22" w:author="赵某"/></w:trPr><w:tc>"#,
            &p_with("", r#"<w:del w:id="23"><w:r><w:delText>被删除的表格行</w:delText></w:r></w:del>"#),
            "</w:tc></w:tr></w:tbl>",
        ]
        .concat(),
    ]
    .concat();
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="审核人周某" w:initials="Z"><w:p><w:r><w:t>此处涉及内部人员张三</w:t></w:r></w:p></w:comment><w:comment w:id="1" w:author="审核人周某"><w:p><w:r><w:t>第二条批注内容</w:t></w:r></w:p></w:comment><w:comment w:id="2" w:author="审核人周某"><w:p><w:r><w:t>第三条批注内容</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let header = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W}"><w:p><w:r><w:t>内部资料 注意保密</w:t></w:r></w:p></w:hdr>"#
    );
    let footer = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:ftr xmlns:w="{W}"><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>脚注内容秘密</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let core = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title></dc:title><dc:creator>王某某作者</dc:creator><cp:lastModifiedBy>李某某修改</cp:lastModifiedBy><cp:revision>5</cp:revision></cp:coreProperties>"#;
    let app = r#"<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template><Company>某某单位机密公司</Company></Properties>"#;
    Docx::new(&body)
        .part("word/styles.xml", styles)
        .part("word/comments.xml", comments)
        .part("word/header1.xml", header)
        .part("word/footer1.xml", footer)
        .part("word/footnotes.xml", footnotes)
        .part("docProps/core.xml", core)
        .part("docProps/app.xml", app)
        .build()
}

#[test]
fn text_reads_as_with_all_changes_accepted() {
    let imp = import_docx(&tracked_document()).expect("imports");
    assert_eq!(imp.fields.title, "关于加强数据安全管理的通知");
    assert_eq!(
        imp.fields.body,
        vec![
            "第一段插入的文字。",
            "公开链接文字",
            "前半段后半段",
            "移到新位置的文字",
            "可见文字",
            "显式不隐藏",
            "格式修订",
            "有脚注的段落",
            // A text box is read, once (mc:Fallback repeats mc:Choice), before its anchor.
            "文本框里的字",
            "文本框锚点段",
            "新插入的段落",
        ]
    );
    assert!(imp.levels[..11]
        .iter()
        .all(|l| l.level == ParagraphLevel::Body));
    assert_eq!(imp.tables, vec![vec![vec!["保留行".to_string()]]]);
    assert_eq!(imp.fields.tables[0].rows[0][0].text, "保留行");
}

#[test]
fn nothing_left_out_appears_in_the_result() {
    let imp = import_docx(&tracked_document()).expect("imports");
    let json = serde_json::to_string(&imp).expect("serialises");
    let debug = format!("{imp:?}");
    for secret in SECRETS {
        assert!(!json.contains(secret), "{secret} leaked into {json}");
        assert!(
            !debug.contains(secret),
            "{secret} leaked into the Debug output"
        );
    }
}

#[test]
fn the_clerk_is_told_what_was_left_out() {
    let imp = import_docx(&tracked_document()).expect("imports");
    let l = &imp.left_out;
    assert_eq!(l.comments, 3);
    // One per revision mark, w:id 10–23: ins, del; deleted mark; moved mark, moveFrom, moveTo;
    // pPrChange, rPrChange; inserted mark + ins; deleted mark + del; deleted row + its del.
    assert_eq!(l.revisions, 14);
    // The hidden run, the run in a hidden character style, the run in a hidden paragraph style.
    assert_eq!(l.hidden, 3);
    assert_eq!(l.footnotes, 1);
    // The header has text; the footer only a page number.
    assert_eq!(l.headers_footers, 1);
    // Text boxes are read, not left out; mc:Choice and its mc:Fallback are one box.
    assert!(imp.notices.iter().any(|n| n.contains("已读取 1 个文本框")));
    assert_eq!(l.properties, vec!["作者", "单位", "最后修改人"]);
    assert_eq!(
        imp.left_out_message().as_deref(),
        Some(
            "已忽略：3 条批注、14 处修订、3 处隐藏文字、1 条脚注、1 处页眉页脚、文档属性（作者、单位、最后修改人）"
        )
    );
    assert!(imp.notices.iter().any(|n| n.contains("接受全部修订")));
}

#[test]
fn the_message_format() {
    let l = gongkai_docx::LeftOut {
        comments: 3,
        revisions: 2,
        hidden: 1,
        properties: vec!["作者".into(), "单位".into(), "最后修改人".into()],
        ..Default::default()
    };
    assert_eq!(
        l.message().as_deref(),
        Some("已忽略：3 条批注、2 处修订、1 处隐藏文字、文档属性（作者、单位、最后修改人）")
    );
    assert!(gongkai_docx::LeftOut::default().is_empty());
    assert_eq!(gongkai_docx::LeftOut::default().message(), None);
}

#[test]
fn comments_without_comments_part_are_counted_from_references() {
    let body = format!(
        r#"<w:p><w:commentRangeStart w:id="4"/>{}<w:commentRangeEnd w:id="4"/><w:r><w:commentReference w:id="4"/></w:r><w:r><w:commentReference w:id="5"/></w:r></w:p>"#,
        r("正文")
    );
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    assert_eq!(imp.left_out.comments, 2);
    assert_eq!(imp.fields.body, vec!["正文"]);
}
