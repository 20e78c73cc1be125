//! Import of the shapes Word and WPS 公文 templates really have, written as our own fixtures: the
//! 发文机关标志 and the 版记 in text boxes (DrawingML with its VML fallback, VML alone, WordArt),
//! unfilled template placeholders, and every GB/T 9704 format (文件, 信函, 令, 纪要, 公告, 联合行文).
//! Nothing is invented: what the source does not give stays empty and is named in the notices.

mod import_support;

use chrono::NaiveDate;
use gongkai_core::{placeholders, validate, DocFormat, Severity};
use gongkai_docx::{import_docx, Imported};
use import_support::*;

/// A paragraph anchoring a DrawingML text box (with the VML copy Word writes as mc:Fallback)
/// holding these paragraphs.
fn text_box(paras: &[&str]) -> String {
    let inner: String = paras.iter().map(|t| p(t)).collect();
    format!(
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#
    )
}

/// A VML-only text box (older Word, WPS).
fn vml_box(paras: &[&str]) -> String {
    let inner: String = paras.iter().map(|t| p(t)).collect();
    format!(
        r#"<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#
    )
}

/// VML WordArt: the text is the `string` attribute.
fn word_art(text: &str) -> String {
    format!(
        r#"<w:p><w:r><w:pict><v:shape><v:textpath style="font-family:&quot;方正小标宋简体&quot;" string="{}"/></v:shape></w:pict></w:r></w:p>"#,
        esc(text)
    )
}

fn right(text: &str) -> String {
    p_with(r#"<w:jc w:val="right"/>"#, &r(text))
}

fn import(body: &[String]) -> Imported {
    import_docx(&Docx::new(&body.concat()).build()).expect("imports")
}

fn has_notice(imp: &Imported, part: &str) -> bool {
    imp.notices.iter().any(|n| n.contains(part))
}

#[test]
fn a_red_header_in_a_text_box_names_the_issuer_and_the_record_is_read_not_made_up() {
    let imp = import(&[
        text_box(&["某某县人民政府文件"]),
        p_center("某政发〔2026〕7号", 32),
        p_center("关于做好防汛工作的通知", 44),
        p("各乡镇人民政府："),
        p("现将有关事项通知如下。"),
        right("2026年6月1日"),
        text_box(&[
            "抄送：县委办公室。",
            "某某县人民政府办公室　　　2026年6月2日印发",
        ]),
    ]);
    let f = &imp.fields;
    assert_eq!(f.issuing_authority, "某某县人民政府");
    assert_eq!(f.format, DocFormat::File);
    assert_eq!(f.doc_number, "某政发〔2026〕7号");
    assert_eq!(f.title, "关于做好防汛工作的通知");
    assert_eq!(f.body, vec!["现将有关事项通知如下。"]);
    assert_eq!(f.cc, "县委办公室");
    assert_eq!(f.printing_office, "某某县人民政府办公室");
    assert_eq!(f.printed_on, NaiveDate::from_ymd_opt(2026, 6, 2));
    assert_eq!(imp.left_out_message(), None);
    assert!(has_notice(&imp, "已读取 2 个文本框"));
    assert!(!has_notice(&imp, "源文件没有"), "{:?}", imp.notices);
}

#[test]
fn vml_text_boxes_and_word_art_are_read_too() {
    for mark in [vml_box(&["某某市公安局文件"]), word_art("某某市公安局文件")] {
        let imp = import(&[mark, p_center("关于开展安全检查的通知", 44), p("正文。")]);
        assert_eq!(imp.fields.issuing_authority, "某某市公安局");
        assert_eq!(imp.fields.title, "关于开展安全检查的通知");
        assert_eq!(imp.fields.body, vec!["正文。"]);
    }
}

#[test]
fn a_source_without_issuer_or_record_leaves_them_empty_and_says_so() {
    let imp = import(&[p_center("关于开展安全检查的通知", 44), p("正文。")]);
    let f = &imp.fields;
    assert_eq!(f.issuing_authority, "");
    assert_eq!(f.printing_office, "");
    assert_eq!(f.printed_on, None);
    assert!(has_notice(&imp, "发文字号"));
    assert!(has_notice(&imp, "版记（印发机关、印发日期）"));
}

#[test]
fn template_placeholders_stay_in_their_fields_and_close_the_way() {
    let imp = import(&[
        text_box(&["★"]),
        text_box(&["XXXX人民政府文件"]),
        p("XX发〔20XX〕XX号　　　　签发人：□□□"),
        p_center("[此处输入文件标题]", 44),
        p("[此处输入主送机关]："),
        p("[此处输入正文内容]"),
        right("XXXX人民政府"),
        right("20XX年XX月XX日"),
    ]);
    let f = &imp.fields;
    // The number is its own field, not glued to the title.
    assert_eq!(f.doc_number, "XX发〔20XX〕XX号");
    assert_eq!(f.signers, vec!["□□□"]);
    assert_eq!(f.title, "[此处输入文件标题]");
    assert_eq!(f.main_recipients, "[此处输入主送机关]");
    assert_eq!(f.issuing_authority, "XXXX人民政府");
    // The unfilled date is the 成文日期's place, not body text.
    assert_eq!(f.body, vec!["[此处输入正文内容]"]);
    assert_eq!(f.date_written, None);
    assert_eq!(f.date_text, "20XX年XX月XX日");
    let found = placeholders(f);
    for field in [
        "doc_number",
        "signers",
        "title",
        "main_recipients",
        "body",
        "date_text",
    ] {
        assert!(found.iter().any(|p| p.field == field), "{field}: {found:?}");
    }
    assert!(validate(f)
        .iter()
        .any(|i| i.field == "title" && i.severity == Severity::Error));
    assert!(has_notice(&imp, "模板占位内容"));
}

#[test]
fn an_order_has_its_number_and_signatory() {
    let imp = import(&[
        text_box(&["某某市人民政府令"]),
        p_center("第 12 号", 32),
        p("《某某市养犬管理办法》已经市政府常务会议通过，现予公布，自2026年7月1日起施行。"),
        right("市长　王某某"),
        right("2026年5月20日"),
    ]);
    let f = &imp.fields;
    assert_eq!(f.format, DocFormat::Order);
    assert_eq!(f.issuing_authority, "某某市人民政府");
    assert_eq!(f.doc_number, "第 12 号");
    assert_eq!(f.signers, vec!["市长 王某某"]);
    assert_eq!(f.date_written, NaiveDate::from_ymd_opt(2026, 5, 20));
    assert_eq!(f.body.len(), 1);
    assert!(has_notice(&imp, "命令（令）格式"));
}

#[test]
fn minutes_take_their_mark_as_title_and_the_issuer_from_the_header_line() {
    let imp = import(&[
        text_box(&["专题会议纪要"]),
        p_center("〔2026〕3号", 32),
        p_center("某某市公安局　　　　　　2026年3月5日", 32),
        p("3月4日，局长主持召开专题会议，研究政务公开工作。"),
        p("出席：张某、李某"),
    ]);
    let f = &imp.fields;
    assert_eq!(f.format, DocFormat::Minutes);
    assert_eq!(f.title, "专题会议纪要");
    assert_eq!(f.issuing_authority, "某某市公安局");
    assert_eq!(f.date_written, NaiveDate::from_ymd_opt(2026, 3, 5));
    assert_eq!(f.doc_number, "〔2026〕3号");
    assert_eq!(f.body.len(), 2);
}

#[test]
fn announcements_and_letters_are_told_apart() {
    let imp = import(&[
        text_box(&["某某市公安局通告"]),
        p_center("〔2026〕第1号", 32),
        p_center("关于部分路段临时交通管制的通告", 44),
        p("因道路施工，现决定对下列路段实行临时交通管制。"),
        right("某某市公安局"),
        right("2026年4月1日"),
    ]);
    assert_eq!(imp.fields.format, DocFormat::Announcement);
    assert_eq!(imp.fields.issuing_authority, "某某市公安局");
    assert_eq!(imp.fields.doc_number, "〔2026〕第1号");

    let imp = import(&[
        text_box(&["某某市公安局"]),
        right("某公函〔2026〕15号"),
        p_center("关于商请提供有关材料的函", 44),
        p("市司法局："),
        p("请于4月10日前提供有关材料。"),
        right("某某市公安局"),
        right("2026年4月1日"),
    ]);
    assert_eq!(imp.fields.format, DocFormat::Letter);
    assert_eq!(imp.fields.doc_number, "某公函〔2026〕15号");
    assert_eq!(imp.fields.main_recipients, "市司法局");
}

#[test]
fn a_joint_issuance_keeps_every_issuer_and_drops_the_no_text_line() {
    let imp = import(&[
        p("关于表彰先进单位的决定"),
        p("经研究，决定授予某某局等单位“先进单位”称号。"),
        p("（此页无正文）"),
        p("中共某某市委员会"),
        right("某某市人民政府"),
        right("2026年5月15日"),
    ]);
    let f = &imp.fields;
    assert_eq!(f.issuing_authority, "中共某某市委员会");
    assert_eq!(f.co_issuers, vec!["某某市人民政府"]);
    assert_eq!(f.issuers(), vec!["中共某某市委员会", "某某市人民政府"]);
    assert_eq!(f.body, vec!["经研究，决定授予某某局等单位“先进单位”称号。"]);
    assert!(has_notice(&imp, "此页无正文"));
    assert!(has_notice(&imp, "联合行文"));
}

#[test]
fn a_title_typed_with_leading_spaces_is_found() {
    let imp = import(&[
        p("        关于进一步规范会议管理的通知"),
        p("各区县、各部门："),
        p("  一、压缩会议数量"),
        p("市政府办公室"),
        p("    2026年1月1日"),
    ]);
    assert_eq!(imp.fields.title, "关于进一步规范会议管理的通知");
    assert_eq!(imp.fields.main_recipients, "各区县、各部门");
    assert_eq!(imp.fields.body, vec!["一、压缩会议数量"]);
    assert_eq!(imp.fields.issuing_authority, "市政府办公室");
}

#[test]
fn text_inside_a_picture_or_chart_is_never_read() {
    let drawing = r#"<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><c:chart><a:p><a:r><a:t>图表里的字</a:t></a:r></a:p></c:chart></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#;
    let imp = import(&[
        p_center("关于开展安全检查的通知", 44),
        p("第一段。"),
        drawing.to_string(),
        p("第二段。"),
    ]);
    assert_eq!(imp.fields.body, vec!["第一段。", "第二段。"]);
}

#[test]
fn a_picture_in_the_body_is_named_where_it_stands() {
    let picture = r#"<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rId9"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#;
    let imp = import(&[
        p_center("关于开展安全检查的通知", 44),
        p("第一段。"),
        p("第二段。"),
        picture.to_string(),
        p("第三段。"),
    ]);
    assert_eq!(imp.fields.body, vec!["第一段。", "第二段。", "第三段。"]);
    assert!(
        has_notice(&imp, "1 张图片（第2段之后）"),
        "{:?}",
        imp.notices
    );
}

/// Lines a 公文 or a template may hold, in any order and any shape (paragraph, centred, right,
/// text box, table row).
const LINES: &[&str] = &[
    "某某县人民政府文件",
    "某某市公安局",
    "中共某某市委员会",
    "专题会议纪要",
    "某某市人民政府令",
    "某某市公安局通告",
    "某公发〔2026〕7号",
    "XX发〔20XX〕XX号",
    "第 3 号",
    "签发人：张某",
    "关于做好防汛工作的通知",
    "[此处输入文件标题]",
    "各乡镇人民政府：",
    "一、总体要求",
    "现将有关事项通知如下。",
    "（此页无正文）",
    "2026年6月1日",
    "20XX年XX月XX日",
    "[日期]",
    "抄送：县委办公室。",
    "某某县人民政府办公室　　2026年6月2日印发",
    "附件：1.名单",
    "（此件公开发布）",
    "机密★1年",
    "特急",
];

fn shaped(line: &str, shape: u8) -> String {
    match shape % 5 {
        0 => p(line),
        1 => p_center(line, 44),
        2 => right(line),
        3 => text_box(&[line]),
        _ => table(&[&[line, ""]]),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    /// Nothing is invented: every element the import fills is text the source holds (whitespace
    /// aside), whatever the order and shape of the lines.
    #[test]
    fn every_field_comes_from_the_source(
        picks in proptest::collection::vec((0..LINES.len(), 0u8..5), 0..14)
    ) {
        let body: Vec<String> = picks.iter().map(|&(i, s)| shaped(LINES[i], s)).collect();
        let source: String = picks
            .iter()
            .map(|&(i, _)| LINES[i])
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let imp = import(&body);
        let f = &imp.fields;
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let mut filled: Vec<&str> = vec![
            &f.issuing_authority,
            &f.doc_number,
            &f.title,
            &f.main_recipients,
            &f.cc,
            &f.printing_office,
            &f.mark,
            &f.date_text,
        ];
        filled.extend(f.co_issuers.iter().map(String::as_str));
        filled.extend(f.signers.iter().map(String::as_str));
        for value in filled {
            let v = squash(value);
            proptest::prop_assert!(
                v.is_empty() || source.contains(&v),
                "{v:?} is not in the source {source:?}"
            );
        }
        for d in [f.date_written, f.printed_on].into_iter().flatten() {
            let year = format!("{}年", chrono::Datelike::year(&d));
            proptest::prop_assert!(source.contains(&year), "{year} is not in the source");
        }
    }
}
