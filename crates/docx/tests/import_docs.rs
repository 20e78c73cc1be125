//! Import of well-formed .docx files built part by part: heading levels from styles (with
//! `basedOn` inheritance) and from numbering.xml, the GB/T 9704 elements around the body, tables
//! and images.

mod import_support;

use chrono::NaiveDate;
use gongkai_core::body::{classify_body, numbering_gaps};
use gongkai_core::{ClassificationLevel, DocType, ParagraphLevel, Urgency};
use gongkai_docx::{import_docx, LevelSource};
use import_support::*;

use ParagraphLevel::{Body, H1, H2, H3, H4};

fn levels_of(body: &[String]) -> Vec<ParagraphLevel> {
    classify_body(body).into_iter().map(|p| p.level).collect()
}

#[test]
fn headings_from_styles_follow_based_on() {
    let styles = styles_xml(
        &[
            para_style(
                "Heading1",
                "heading 1",
                Some("Normal"),
                r#"<w:outlineLvl w:val="0"/>"#,
            ),
            // Chinese Word stores built-in headings under numeric ids; no outline level here, the
            // name alone says heading 2.
            para_style("2", "heading 2", Some("Normal"), ""),
            para_style("3", "标题 3", Some("Normal"), ""),
            // A custom style inherits level 3 from its base.
            para_style("MyH3", "我的三级标题", Some("3"), ""),
            // Two levels of inheritance down to an outline level.
            para_style("Base4", "四级基础", None, r#"<w:outlineLvl w:val="3"/>"#),
            para_style("Mid4", "四级中间", Some("Base4"), ""),
            para_style("My4", "我的四级", Some("Mid4"), ""),
            // Based on a heading, but explicitly body text.
            para_style(
                "NotHeading",
                "说明文字",
                Some("Heading1"),
                r#"<w:outlineLvl w:val="9"/>"#,
            ),
        ]
        .concat(),
    );
    let body = [
        p_style("Heading1", "总体要求"),
        p_style("2", "工作目标"),
        p_style("MyH3", "加强组织领导"),
        p_style("My4", "明确责任分工"),
        p("这是正文段落。"),
        p_style("Heading1", "二、已经写了序号"),
        p_style("Heading1", "保障措施"),
        p_with(r#"<w:outlineLvl w:val="1"/>"#, &r("直接设置大纲级别")),
        p_style("NotHeading", "不是标题的说明"),
        p_style("Heading1", "第一章 总则"),
    ]
    .concat();
    let docx = Docx::new(&body).part("word/styles.xml", styles).build();
    let imp = import_docx(&docx).expect("imports");
    assert_eq!(
        imp.fields.body,
        vec![
            "一、总体要求",
            "（一）工作目标",
            "1.加强组织领导",
            "（1）明确责任分工",
            "这是正文段落。",
            "二、已经写了序号",
            "三、保障措施",
            "（一）直接设置大纲级别",
            "不是标题的说明",
            "第一章 总则",
        ]
    );
    assert_eq!(
        levels_of(&imp.fields.body),
        vec![H1, H2, H3, H4, Body, H1, H1, H2, Body, Body]
    );
    let sources: Vec<LevelSource> = imp.levels.iter().map(|l| l.source).collect();
    assert_eq!(
        sources,
        vec![
            LevelSource::Style,
            LevelSource::Style,
            LevelSource::Style,
            LevelSource::Style,
            LevelSource::None,
            LevelSource::Typed,
            LevelSource::Style,
            LevelSource::Style,
            LevelSource::None,
            LevelSource::None,
        ]
    );
    assert_eq!(
        imp.levels.iter().map(|l| l.level).collect::<Vec<_>>(),
        levels_of(&imp.fields.body)
    );
    assert!(numbering_gaps(&classify_body(&imp.fields.body)).is_empty());
    assert!(
        imp.notices.iter().any(|n| n.contains("6 个标题")),
        "{:?}",
        imp.notices
    );
}

#[test]
fn headings_from_numbering_get_their_markers_written() {
    let numbering = numbering_xml(
        &[
            gb_abstract(0),
            format!(
                r#"<w:abstractNum w:abstractNumId="1">{}</w:abstractNum>"#,
                lvl(0, "bullet", "\u{F0B7}")
            ),
            format!(
                r#"<w:abstractNum w:abstractNumId="2">{}{}</w:abstractNum>"#,
                lvl(0, "decimal", "%1."),
                lvl(1, "decimal", "%1.%2")
            ),
            format!(
                r#"<w:abstractNum w:abstractNumId="3">{}</w:abstractNum>"#,
                lvl(0, "chineseCounting", "第%1条")
            ),
            format!(
                r#"<w:abstractNum w:abstractNumId="4">{}</w:abstractNum>"#,
                lvl(0, "chineseCounting", "(%1)")
            ),
            num(1, 0),
            num(2, 1),
            num(3, 2),
            num(4, 3),
            num(5, 4),
        ]
        .concat(),
    );
    let styles = styles_xml(
        &[
            // Numbering bound through the style.
            para_style(
                "ListH1",
                "列表一级",
                Some("Normal"),
                r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
            ),
            para_style(
                "Heading2",
                "heading 2",
                None,
                r#"<w:outlineLvl w:val="1"/>"#,
            ),
        ]
        .concat(),
    );
    let body = [
        p_num(1, 0, "总体要求"),
        p_num(1, 1, "工作目标"),
        p_num(1, 1, "基本原则"),
        p_num(1, 2, "加强领导"),
        p_num(1, 3, "细化措施"),
        p("正文。"),
        p_num(1, 0, "主要任务"),
        p_num(1, 1, "重新编号"),
        p_style("ListH1", "保障措施"),
        // numId 0 removes the style's numbering.
        p_with(
            r#"<w:pStyle w:val="ListH1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>"#,
            &r("取消了编号"),
        ),
        p_num(2, 0, "项目符号"),
        p_num(4, 0, "条文内容"),
        // "1.1" is no GB marker: the heading style decides, with the list's own number.
        p_with(
            r#"<w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr>"#,
            &r("多级编号标题"),
        ),
        p_num(5, 0, "半角括号"),
    ]
    .concat();
    let docx = Docx::new(&body)
        .part("word/styles.xml", styles)
        .part("word/numbering.xml", numbering)
        .build();
    let imp = import_docx(&docx).expect("imports");
    assert_eq!(
        imp.fields.body,
        vec![
            "一、总体要求",
            "（一）工作目标",
            "（二）基本原则",
            "1.加强领导",
            "（1）细化措施",
            "正文。",
            "二、主要任务",
            "（一）重新编号",
            "三、保障措施",
            "取消了编号",
            "项目符号",
            "第一条\u{3000}条文内容",
            "（一）多级编号标题",
            "(一)半角括号",
        ]
    );
    assert_eq!(
        levels_of(&imp.fields.body),
        vec![H1, H2, H2, H3, H4, Body, H1, H2, H1, Body, Body, Body, H2, H2]
    );
    let numbered: Vec<bool> = imp
        .levels
        .iter()
        .map(|l| l.source == LevelSource::Numbering)
        .collect();
    assert_eq!(
        numbered,
        vec![
            true, true, true, true, true, false, true, true, true, false, false, false, true, true
        ]
    );
    // No style headings were given invented numbers.
    assert!(!imp.notices.iter().any(|n| n.contains("补上序号")));
}

#[test]
fn gb_elements_are_mapped_to_fields() {
    let body = [
        p("000123"),
        p("机密★1年"),
        p("特急"),
        p_center("淄博市公安局文件", 72),
        p_center("淄公发〔2026〕12号", 32),
        p_center("关于进一步加强政务公开", 44),
        p_center("工作的通知", 44),
        p("各区县公安分局，局属各单位："),
        p("为进一步做好政务公开工作，现将有关事项通知如下："),
        p("一、总体要求"),
        p("（一）工作目标"),
        p("全面推进决策、执行、管理、服务、结果公开。"),
        p("二、工作措施"),
        p("附件：1.政务公开目录"),
        p("　　　2.联系人名单"),
        p("淄博市公安局"),
        p("2026年3月5日"),
        p("（此件公开发布）"),
        p("附件1"),
        p("政务公开目录"),
        p("抄送：市委政法委，市检察院。"),
        p("淄博市公安局办公室　　　　2026年3月5日印发"),
    ]
    .concat();
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    let f = &imp.fields;
    assert_eq!(f.doc_number, "淄公发〔2026〕12号");
    assert_eq!(f.title, "关于进一步加强政务公开工作的通知");
    assert_eq!(f.main_recipients, "各区县公安分局，局属各单位");
    assert_eq!(f.issuing_authority, "淄博市公安局");
    assert_eq!(f.date_written, NaiveDate::from_ymd_opt(2026, 3, 5));
    assert_eq!(f.attachments, vec!["政务公开目录", "联系人名单"]);
    assert_eq!(f.notes, "（此件公开发布）");
    assert_eq!(f.cc, "市委政法委，市检察院");
    let c = f.classification.as_ref().expect("classification");
    assert_eq!(c.level, ClassificationLevel::Confidential);
    assert_eq!(c.period, "1年");
    assert_eq!(f.urgency, Some(Urgency::Extra));
    assert_eq!(f.doc_type, DocType::Notice);
    assert_eq!(
        f.body,
        vec![
            "为进一步做好政务公开工作，现将有关事项通知如下：",
            "一、总体要求",
            "（一）工作目标",
            "全面推进决策、执行、管理、服务、结果公开。",
            "二、工作措施",
        ]
    );
    assert_eq!(levels_of(&f.body), vec![Body, H1, H2, Body, H1]);
    // The 版记's 印发 line is read into its fields; attachment pages are kept, outside the body.
    assert_eq!(f.printing_office, "淄博市公安局办公室");
    assert_eq!(f.printed_on, NaiveDate::from_ymd_opt(2026, 3, 5));
    assert_eq!(imp.outside_body, vec!["附件1", "政务公开目录"]);
    assert!(imp.notices.iter().any(|n| n.contains("2 段文字")));
    // Plain text: nothing left out.
    assert_eq!(imp.left_out_message(), None);
}

#[test]
fn upward_document_with_signer_and_unformatted_title() {
    let body = [
        p("淄公呈〔2026〕3号　　　　签发人：张建国"),
        p("关于申请政务公开专项经费的请示"),
        p("市政府："),
        p("现将有关情况请示如下。"),
        p("妥否，请批示。"),
        p("淄博市公安局　二〇二六年三月十日"),
        p("（联系人：李明，电话：0533-1234567）"),
    ]
    .concat();
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    let f = &imp.fields;
    assert_eq!(f.doc_number, "淄公呈〔2026〕3号");
    assert_eq!(f.signers, vec!["张建国"]);
    assert_eq!(f.title, "关于申请政务公开专项经费的请示");
    assert_eq!(f.doc_type, DocType::Request);
    assert_eq!(f.main_recipients, "市政府");
    assert_eq!(f.body, vec!["现将有关情况请示如下。", "妥否，请批示。"]);
    assert_eq!(f.issuing_authority, "淄博市公安局");
    assert_eq!(f.date_written, NaiveDate::from_ymd_opt(2026, 3, 10));
    assert_eq!(f.notes, "（联系人：李明，电话：0533-1234567）");
    assert!(imp.outside_body.is_empty());
}

#[test]
fn a_wrong_bracket_number_is_kept_for_validation_to_name() {
    let body = [
        p_center("淄公发[2026]7号", 32),
        p_center("关于做好节日期间值班工作的通知", 44),
        p("正文。"),
    ]
    .concat();
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    assert_eq!(imp.fields.doc_number, "淄公发[2026]7号");
    assert!(gongkai_core::DocNumber::parse(&imp.fields.doc_number).is_err());
}

#[test]
fn title_style_and_no_title() {
    let styles = styles_xml(&para_style("Title", "Title", None, ""));
    let body = [p_style("Title", "政务公开工作要点"), p("第一段。")].concat();
    let imp =
        import_docx(&Docx::new(&body).part("word/styles.xml", styles).build()).expect("imports");
    assert_eq!(imp.fields.title, "政务公开工作要点");
    assert_eq!(imp.fields.body, vec!["第一段。"]);

    let body = [p("这是一段没有标题的文字，直接开始。"), p("一、第一部分")].concat();
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    assert_eq!(imp.fields.title, "");
    assert_eq!(
        imp.fields.body,
        vec!["这是一段没有标题的文字，直接开始。", "一、第一部分"]
    );
    assert!(imp.notices.iter().any(|n| n.contains("没有识别出标题")));
}

#[test]
fn tables_are_returned_and_placed_in_the_body_as_rows() {
    let body = [
        p_center("关于报送统计数据的通知", 44),
        p("一、统计范围"),
        table(&[
            &["序号", "单位", "人数"],
            &["1", "治安支队", "12"],
            &["2", "交警支队\n（含直属大队）", "30"],
            &["", "", ""],
        ]),
        p("二、报送要求"),
    ]
    .concat();
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    assert_eq!(imp.tables.len(), 1);
    assert_eq!(
        imp.tables[0],
        vec![
            vec!["序号", "单位", "人数"],
            vec!["1", "治安支队", "12"],
            vec!["2", "交警支队\n（含直属大队）", "30"],
            vec!["", "", ""],
        ]
    );
    // In the body the table is a table, standing where it stood, its cells as they were.
    assert_eq!(imp.fields.body, vec!["一、统计范围", "二、报送要求"]);
    assert_eq!(imp.fields.tables.len(), 1);
    let t = &imp.fields.tables[0];
    assert_eq!(t.at, 1);
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.rows[2][1].text, "交警支队\n（含直属大队）");
    assert!(t.rows.iter().flatten().all(|c| c.span == 1));
    let sources: Vec<LevelSource> = imp.levels.iter().map(|l| l.source).collect();
    assert_eq!(sources, vec![LevelSource::Typed, LevelSource::Typed]);
}

#[test]
fn merged_cells_and_a_document_laid_out_in_a_table() {
    // gridSpan across, vMerge down, as Word writes them.
    let tc = |props: &str, text: &str| format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text));
    let merged = format!(
        r#"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>"#,
        tc(
            r#"<w:vMerge w:val="restart"/><w:vAlign w:val="center"/>"#,
            "材料汇总"
        ),
        tc("", "办公室"),
        tc("", "进行中"),
        tc("<w:vMerge/>", ""),
        tc("", "综合处"),
        tc("", "已完成"),
        tc("", "备注"),
        tc(r#"<w:gridSpan w:val="2"/>"#, "含合并单元格"),
    );
    // A WPS 申请书: the whole text inside one big one-cell row, with a data table nested in it.
    let nested = table(&[&["序号", "成果"], &["1", "软件系统"]]);
    let layout = format!(
        "<w:tbl><w:tblPr/><w:tr><w:tc>{}{}{}{}{nested}{}</w:tc></w:tr></w:tbl>",
        p("一、项目概述"),
        p("本项目面向船舶配电设计，研究自动生成方法。"),
        p("二、研究内容"),
        p("（一）知识建模"),
        p("三、预期成果"),
    );
    let body = [p_center("项目立项申请书", 44), merged, layout].concat();
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    let f = &imp.fields;
    assert_eq!(
        f.body,
        vec![
            "一、项目概述",
            "本项目面向船舶配电设计，研究自动生成方法。",
            "二、研究内容",
            "（一）知识建模",
            "三、预期成果"
        ]
    );
    assert_eq!(f.tables.len(), 2);
    let m = &f.tables[0];
    assert_eq!(m.at, 0);
    assert_eq!(m.widths, vec![2000, 3000, 3000]);
    assert_eq!(m.rows[0][0].merge, gongkai_core::VMerge::Start);
    assert!(m.rows[0][0].middle && !m.rows[0][1].middle);
    assert_eq!(m.rows[1][0].merge, gongkai_core::VMerge::Continue);
    assert_eq!(m.rows[2][1].span, 2);
    assert_eq!(m.rows[2][1].text, "含合并单元格");
    // The nested table stands between the paragraphs it was between.
    assert_eq!(f.tables[1].at, 4);
    assert_eq!(f.tables[1].rows[1][1].text, "软件系统");
    assert!(imp.notices.iter().any(|n| n.contains("已拆成段落")));
}

#[test]
fn cc_in_a_table_and_images_are_listed_not_imported() {
    let drawing = r#"<w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="现场照片说明"/><a:graphic><a:graphicData><a:t>图中文字</a:t></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
    let body = [
        p_center("关于表彰先进集体的通知", 44),
        p("正文第一段。"),
        format!("<w:p>{drawing}</w:p>"),
        p("2026年4月1日"),
        table(&[&["抄送：市委办公室，市政府办公室。"]]),
    ]
    .concat();
    let png = [0x89u8, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0, 0, 0];
    let docx = Docx::new(&body)
        .part("word/media/image1.png", png)
        .part("word/media/image2.jpeg", vec![0xFFu8; 300])
        .build();
    let imp = import_docx(&docx).expect("imports");
    assert_eq!(imp.fields.body, vec!["正文第一段。"]);
    assert_eq!(imp.fields.cc, "市委办公室，市政府办公室");
    assert_eq!(imp.images.len(), 2);
    assert_eq!(imp.images[0].name, "image1.png");
    assert_eq!(imp.images[0].media_type, "image/png");
    assert_eq!(imp.images[0].size, 12);
    assert_eq!(imp.images[1].name, "image2.jpeg");
    assert_eq!(imp.images[1].media_type, "image/jpeg");
    assert_eq!(imp.images[1].size, 300);
    assert_eq!(imp.left_out.images, 2);
    assert_eq!(imp.left_out_message().as_deref(), Some("已忽略：2 张图片"));
    let json = serde_json::to_string(&imp).expect("serialises");
    assert!(!json.contains("图中文字"));
    assert!(!json.contains("现场照片说明"));
}

#[test]
fn a_thirty_page_document_imports_whole() {
    let (docx, paragraphs) = thirty_page_document();
    let start = std::time::Instant::now();
    let imp = import_docx(&docx).expect("imports");
    let took = start.elapsed();
    assert_eq!(
        imp.fields.title,
        "关于进一步加强全市公安机关政务公开工作的通知"
    );
    assert_eq!(imp.fields.doc_number, "淄公发〔2026〕12号");
    // Every generated paragraph, and every table as a table.
    assert_eq!(imp.fields.body.len(), paragraphs);
    assert!(!imp.fields.tables.is_empty());
    assert_eq!(imp.fields.tables.len(), imp.tables.len());
    assert!(imp.fields.tables.iter().all(|t| t.rows.len() == 3));
    assert!(numbering_gaps(&classify_body(&imp.fields.body)).is_empty());
    assert!(imp.fields.body.iter().all(|p| !p.contains("删除内容")));
    assert!(imp.left_out.comments > 0 && imp.left_out.revisions > 0);
    // A generous bound for an unoptimised build on a busy machine; the bench measures release.
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
}

#[test]
fn bare_attachment_label_and_a_date_inside_the_body() {
    let body = [
        p_center("关于调整值班安排的通知", 44),
        p("各单位："),
        p("一、时间安排"),
        // A date on its own line inside the body is not the 成文日期.
        p("2026年5月1日"),
        p("全天值班，不得脱岗。"),
        p("附件："),
        p("1.值班表"),
        p("2.通讯录"),
        p("淄博市公安局"),
        p("2026年4月20日"),
    ]
    .concat();
    let imp = import_docx(&Docx::new(&body).build()).expect("imports");
    let f = &imp.fields;
    assert_eq!(
        f.body,
        vec!["一、时间安排", "2026年5月1日", "全天值班，不得脱岗。"]
    );
    assert_eq!(f.attachments, vec!["值班表", "通讯录"]);
    assert_eq!(f.issuing_authority, "淄博市公安局");
    assert_eq!(f.date_written, NaiveDate::from_ymd_opt(2026, 4, 20));
    assert!(imp.outside_body.is_empty());
}

#[test]
fn a_damaged_local_header_is_reported_as_damage() {
    let mut docx = Docx::new(&p("正文")).build();
    let name = b"word/document.xml";
    let at = docx
        .windows(4 + 26 + name.len())
        .position(|w| w.starts_with(b"PK\x03\x04") && w.ends_with(name))
        .expect("local header");
    docx[at..at + 4].copy_from_slice(b"XXXX");
    let e = import_docx(&docx).expect_err("damaged");
    assert_eq!(e.code(), "corrupt", "{e}");
}
