//! The exported .docx checked by tools nobody here wrote: LibreOffice (headless) converts it to
//! PDF without error; `pdfinfo` reads A4; `pdftotext` finds the document's text in order; and
//! `pdftotext -bbox` puts every word of the text inside the GB/T 9704 版心 (±1 mm), with 22 lines
//! of at most 28 characters on a full page.

use chrono::NaiveDate;
use gongkai_core::{
    Attribute, BodyTable, DocFields, DocFormat, DocType, InterpForm, Package, QaItem, Section,
    SectionKey, TableCell,
};
use gongkai_docx::export::{export_interpretation, export_policy, ExportOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A realistic 规范性文件 of about `pages` pages.
pub fn sample(pages: usize) -> DocFields {
    let mut body = vec!["为进一步深化公安“放管服”改革，方便群众办理户籍迁移，根据有关法律法规，结合我市实际，现就有关事项通知如下。".to_string()];
    let heads = [
        "一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、",
    ];
    let mut n = 0;
    while body.len() < pages * 9 {
        let h = heads[n % heads.len()];
        body.push(format!("{h}第{}部分的工作要求", n + 1));
        body.push(format!("（一）明确责任分工。各分局、各支队要按照职责分工，认真落实第{}项任务，确保各项措施落到实处，做到件件有着落、事事有回音。", n + 1));
        body.push("1.加强组织领导。各单位主要负责同志要亲自研究部署，分管负责同志要具体抓好落实，及时协调解决工作中遇到的困难和问题。".into());
        body.push("（1）严格时限要求。对符合条件的申请，迁入地公安派出所应当在五个工作日内办结，不得要求群众重复提交已经采集的材料。".into());
        n += 1;
    }
    DocFields {
        doc_type: DocType::Normative,
        issuing_authority: "淄博市公安局".into(),
        doc_number: "淄公发〔2026〕12号".into(),
        title: "淄博市公安局关于进一步优化户籍迁移登记服务的通知".into(),
        main_recipients: "各区县公安分局，市局各部门".into(),
        cc: "市政府办公室，市司法局".into(),
        date_written: NaiveDate::from_ymd_opt(2026, 3, 5),
        attachments: vec!["户籍迁移材料清单".into(), "办理流程图".into()],
        body,
        printing_office: "淄博市公安局办公室".into(),
        printed_on: NaiveDate::from_ymd_opt(2026, 3, 6),
        ..Default::default()
    }
}

pub fn package() -> Package {
    let s = |key, text: &str| Section {
        key,
        text: text.into(),
    };
    Package {
        interpreter_unit: "zazd".into(),
        interpreter: "王晓明".into(),
        contact: "0533-2134139".into(),
        forms: vec![InterpForm::Text, InterpForm::Qa],
        sections: vec![
            s(
                SectionKey::Background,
                "不少来淄就业的群众反映落户手续多、跑腿多。为让群众少跑腿，市公安局起草了本通知。",
            ),
            s(
                SectionKey::Basis,
                "依据《户口登记条例》和省里关于深化户籍制度改革的部署。",
            ),
            s(
                SectionKey::MainContent,
                "一是落户门槛降低；二是手续能在网上办；三是材料减少。",
            ),
        ],
        qa: vec![QaItem {
            question: "租房能落户吗？".into(),
            answer: "能，租赁住房登记备案后即可申请。".into(),
            clause: "第一条".into(),
        }],
        ..Default::default()
    }
}

/// Converts `docx` to PDF with LibreOffice in a private profile; returns the PDF's path.
pub fn to_pdf(docx: &Path) -> PathBuf {
    let dir = docx.parent().unwrap();
    let profile = dir.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .expect(
            "LibreOffice (soffice) must be installed: apt-get install libreoffice-writer-nogui",
        );
    assert!(
        out.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = docx.with_extension("pdf");
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    pdf
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text without the page numbers (—3—) that fall between the lines of a page break.
fn without_page_numbers(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '—' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '—' {
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// One word of `pdftotext -bbox`: page, box in mm, text.
#[derive(Debug)]
struct Word {
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let i = tag.find(&key).unwrap() + key.len();
    let j = tag[i..].find('"').unwrap() + i;
    tag[i..j].parse::<f64>().unwrap() * 25.4 / 72.0
}

fn words(pdf: &Path) -> (Vec<Word>, (f64, f64)) {
    let html = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut out = Vec::new();
    let mut page = 0;
    let mut size = (0.0, 0.0);
    for line in html.lines() {
        let l = line.trim();
        if l.starts_with("<page ") {
            page += 1;
            size = (attr(l, "width"), attr(l, "height"));
        } else if l.starts_with("<word ") {
            let text = l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()].to_string();
            out.push(Word {
                page,
                x0: attr(l, "xMin"),
                y0: attr(l, "yMin"),
                x1: attr(l, "xMax"),
                y1: attr(l, "yMax"),
                text,
            });
        }
    }
    (out, size)
}

#[test]
fn policy_docx_converts_reads_in_order_and_sits_in_the_type_block() {
    let dir = tempfile::tempdir().unwrap();
    let f = sample(3);
    let opts = ExportOptions {
        attribute: Some(Attribute::Partial),
        created_on: NaiveDate::from_ymd_opt(2026, 3, 6),
    };
    let bytes = export_policy(&f, &opts).unwrap();
    // The same input gives the same bytes (no clock is read).
    assert_eq!(bytes, export_policy(&f, &opts).unwrap());
    let path = dir.path().join("policy.docx");
    std::fs::write(&path, &bytes).unwrap();
    let pdf = to_pdf(&path);

    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains("595.") && info.contains("841."),
        "not A4: {info}"
    );

    // The text in order.
    let text = without_page_numbers(&squash(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"])));
    let mut at = 0;
    let expected = [
        "淄博市公安局文件".to_string(),
        "淄公发〔2026〕12号".into(),
        squash(&f.title),
        "各区县公安分局，市局各部门：".into(),
    ]
    .into_iter()
    .chain(f.body.iter().map(|p| squash(p)))
    .chain([
        "附件：1.户籍迁移材料清单".into(),
        "2.办理流程图".into(),
        "淄博市公安局".into(),
        "2026年3月5日".into(),
        "（此件公开发布）".into(),
        "抄送：市政府办公室，市司法局。".into(),
        "淄博市公安局办公室".into(),
        "2026年3月6日印发".into(),
    ]);
    for e in expected {
        let found = text[at..].find(&e);
        let context: String = text[at..].chars().take(120).collect();
        assert!(
            found.is_some(),
            "missing or out of order: {e}\n at {context}"
        );
        at += found.unwrap() + e.len();
    }

    // Every word but the page numbers inside the 版心 (28–184 mm across, 37–262 mm down), ±1 mm.
    let (ws, (w, h)) = words(&pdf);
    assert!(
        (w - 210.0).abs() < 0.5 && (h - 297.0).abs() < 0.5,
        "{w}×{h}"
    );
    let pages = ws.iter().map(|w| w.page).max().unwrap();
    assert!(pages >= 3, "{pages} pages");
    // LibreOffice hangs a line-final 、，。 into the margin (标点悬挂) whatever w:overflowPunct says;
    // such a mark may pass the edge by one character cell, nothing else may.
    let hanging = |w: &Word| {
        w.text.ends_with(['、', '，', '。', '；', '：', '”', '）']) && w.x1 <= 184.0 + 5.6 + 1.0
    };
    for word in ws
        .iter()
        .filter(|w| !w.text.chars().all(|c| c == '—' || c.is_ascii_digit()))
    {
        assert!(
            word.x0 >= 27.0
                && (word.x1 <= 185.0 || hanging(word))
                && word.y0 >= 36.0
                && word.y1 <= 263.0,
            "outside the 版心: {word:?}"
        );
    }
    // Page numbers below the 版心, odd on the right and even on the left.
    let numbers: Vec<&Word> = ws
        .iter()
        .filter(|w| w.text.chars().all(|c| c.is_ascii_digit()) && w.y0 > 263.0)
        .collect();
    assert!(numbers.len() >= 2, "{numbers:?}");
    for n in numbers {
        if n.page % 2 == 1 {
            assert!(n.x0 > 150.0, "odd page number not on the right: {n:?}");
        } else {
            assert!(n.x1 < 60.0, "even page number not on the left: {n:?}");
        }
    }
    // The 版记 sits at the foot of the last page: its last line on the bottom edge of the 版心.
    let last = ws.iter().map(|w| w.page).max().unwrap();
    let printed = ws
        .iter()
        .find(|w| w.page == last && w.text.contains("印发"))
        .expect("印发 line on the last page");
    assert!(
        printed.y1 > 250.0 && printed.y1 <= 263.0,
        "版记 not at the foot of the page: {printed:?}"
    );
    // A full body page: 22 lines, none longer than 28 characters, the longest at 28.
    let page2: Vec<&Word> = ws.iter().filter(|w| w.page == 2 && w.y1 <= 263.0).collect();
    let mut lines: Vec<(f64, usize)> = Vec::new();
    for w in &page2 {
        match lines.iter_mut().find(|(y, _)| (y - w.y0).abs() < 1.5) {
            Some(l) => l.1 += w.text.chars().count(),
            None => lines.push((w.y0, w.text.chars().count())),
        }
    }
    assert_eq!(lines.len(), 22, "lines on page 2: {lines:?}");
    let longest = lines.iter().map(|l| l.1).max().unwrap();
    assert!(
        (27..=28).contains(&longest),
        "longest line {longest}: {lines:?}"
    );
}

#[test]
fn interpretation_docx_converts_with_its_sections_and_questions() {
    let dir = tempfile::tempdir().unwrap();
    let p = package();
    let bytes = export_interpretation(
        &p,
        "淄博市公安局关于进一步优化户籍迁移登记服务的通知",
        "治安支队",
        NaiveDate::from_ymd_opt(2026, 3, 6),
        &|_| None,
    )
    .unwrap();
    let path = dir.path().join("interp.docx");
    std::fs::write(&path, &bytes).unwrap();
    let pdf = to_pdf(&path);
    let text = squash(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    let mut at = 0;
    for e in [
        "关于《淄博市公安局关于进一步优化户籍迁移登记服务的通知》的政策解读",
        "一、背景和目的",
        "二、依据",
        "三、主要内容",
        "四、政策问答",
        "1.问：租房能落户吗？",
        "答：能，租赁住房登记备案后即可申请。（对应条款：第一条）",
        "解读单位：治安支队",
        "解读人：王晓明",
    ] {
        let e = squash(e);
        let found = text[at..].find(&e);
        assert!(found.is_some(), "missing or out of order: {e} in {text}");
        at += found.unwrap() + e.len();
    }
}

#[test]
fn our_own_export_imports_back_unchanged() {
    use gongkai_docx::import::import_docx;
    let mut f = sample(2);
    f.notes = String::new();
    let opts = ExportOptions {
        attribute: Some(Attribute::Active),
        created_on: NaiveDate::from_ymd_opt(2026, 3, 6),
    };
    let back = import_docx(&export_policy(&f, &opts).unwrap()).unwrap();
    let g = &back.fields;
    assert_eq!(g.issuing_authority, f.issuing_authority);
    assert_eq!(g.doc_number, f.doc_number);
    assert_eq!(g.title, f.title);
    assert_eq!(g.main_recipients, f.main_recipients);
    assert_eq!(g.body, f.body, "body paragraphs and their markers");
    assert_eq!(g.attachments, f.attachments);
    assert_eq!(g.date_written, f.date_written);
    assert_eq!(g.cc, f.cc);
    assert_eq!(g.notes, "（此件公开发布）");
    // The heading levels come back as the core classifies them.
    let levels: Vec<_> = g
        .body
        .iter()
        .map(|p| gongkai_core::classify_paragraph(p).level)
        .collect();
    let want: Vec<_> = f
        .body
        .iter()
        .map(|p| gongkai_core::classify_paragraph(p).level)
        .collect();
    assert_eq!(levels, want);
    assert!(back.left_out.is_empty(), "{:?}", back.left_out_message());
}

/// One short document in each GB/T 9704 format, with a table in the 信函.
fn in_format(format: DocFormat) -> DocFields {
    let base = DocFields {
        issuing_authority: "淄博市公安局".into(),
        date_written: NaiveDate::from_ymd_opt(2026, 3, 5),
        body: vec![
            "一、总体要求".into(),
            "各单位要按照职责分工，认真落实各项任务。".into(),
        ],
        format,
        ..Default::default()
    };
    match format {
        DocFormat::File => DocFields {
            co_issuers: vec!["淄博市司法局".into()],
            doc_number: "淄公发〔2026〕12号".into(),
            title: "关于联合开展普法宣传的通知".into(),
            main_recipients: "各区县公安分局、司法局".into(),
            printing_office: "淄博市公安局办公室".into(),
            printed_on: NaiveDate::from_ymd_opt(2026, 3, 6),
            ..base
        },
        DocFormat::Letter => DocFields {
            doc_number: "淄公函〔2026〕3号".into(),
            title: "关于商请提供有关材料的函".into(),
            main_recipients: "市司法局".into(),
            cc: "市政府办公室".into(),
            tables: vec![BodyTable {
                at: 1,
                widths: vec![1, 3],
                rows: vec![
                    vec![TableCell::new("材料"), TableCell::new("份数")],
                    vec![TableCell::new("登记表"), TableCell::new("二份")],
                ],
            }],
            ..base
        },
        DocFormat::Order => DocFields {
            issuing_authority: "淄博市人民政府".into(),
            doc_number: "第 12 号".into(),
            title: "淄博市人民政府令".into(),
            signers: vec!["市长 王某某".into()],
            ..base
        },
        DocFormat::Minutes => DocFields {
            doc_number: "〔2026〕3号".into(),
            title: "专题会议纪要".into(),
            printing_office: "淄博市公安局办公室".into(),
            printed_on: NaiveDate::from_ymd_opt(2026, 3, 6),
            ..base
        },
        DocFormat::Announcement => DocFields {
            doc_number: "〔2026〕第1号".into(),
            title: "关于部分路段临时交通管制的通告".into(),
            mark: "淄博市公安局通告".into(),
            ..base
        },
    }
}

#[test]
fn each_format_imports_back_as_itself() {
    use gongkai_docx::import::import_docx;
    for format in DocFormat::ALL {
        let f = in_format(format);
        let bytes = export_policy(&f, &ExportOptions::default()).unwrap();
        let back = import_docx(&bytes).unwrap();
        let g = &back.fields;
        let label = format.label();
        assert_eq!(g.format, format, "{label}: {:?}", back.notices);
        assert_eq!(g.issuers(), f.issuers(), "{label}");
        assert_eq!(g.doc_number, f.doc_number, "{label}");
        assert_eq!(g.title, f.title, "{label}");
        assert_eq!(g.signers, f.signers, "{label}");
        assert_eq!(g.date_written, f.date_written, "{label}");
        assert_eq!(g.body, f.body, "{label}");
        assert_eq!(g.printing_office, f.printing_office, "{label}");
        assert_eq!(g.printed_on, f.printed_on, "{label}");
        assert_eq!(g.cc, f.cc, "{label}");
        let cells = |t: &[BodyTable]| -> Vec<Vec<String>> {
            t.iter()
                .flat_map(|t| t.rows.iter())
                .map(|r| r.iter().map(|c| c.text.clone()).collect())
                .collect()
        };
        assert_eq!(cells(&g.tables), cells(&f.tables), "{label}");
        assert_eq!(
            g.tables.iter().map(|t| t.at).collect::<Vec<_>>(),
            f.tables.iter().map(|t| t.at).collect::<Vec<_>>(),
            "{label}"
        );
    }
}

#[test]
fn each_format_reads_in_the_standard_order() {
    let dir = tempfile::tempdir().unwrap();
    let expected: [(DocFormat, &[&str]); 5] = [
        (
            DocFormat::File,
            &[
                "淄博市公安局",
                "淄博市司法局",
                "文件",
                "淄公发〔2026〕12号",
                "关于联合开展普法宣传的通知",
                "各区县公安分局、司法局：",
                "一、总体要求",
                "淄博市公安局",
                "淄博市司法局",
                "2026年3月5日",
                "淄博市公安局办公室",
                "2026年3月6日印发",
            ],
        ),
        (
            DocFormat::Letter,
            &[
                "淄博市公安局",
                "淄公函〔2026〕3号",
                "关于商请提供有关材料的函",
                "市司法局：",
                "一、总体要求",
                "材料",
                "份数",
                "登记表",
                "二份",
                "各单位要按照职责分工",
                "淄博市公安局",
                "2026年3月5日",
                "抄送：市政府办公室。",
            ],
        ),
        (
            DocFormat::Order,
            &[
                "淄博市人民政府令",
                "第12号",
                "一、总体要求",
                "市长王某某",
                "2026年3月5日",
            ],
        ),
        (
            DocFormat::Minutes,
            &[
                "专题会议纪要",
                "〔2026〕3号",
                "淄博市公安局",
                "2026年3月5日",
                "一、总体要求",
                "淄博市公安局办公室",
                "2026年3月6日印发",
            ],
        ),
        (
            DocFormat::Announcement,
            &[
                "淄博市公安局通告",
                "〔2026〕第1号",
                "关于部分路段临时交通管制的通告",
                "一、总体要求",
                "淄博市公安局",
                "2026年3月5日",
            ],
        ),
    ];
    for (format, order) in expected {
        let f = in_format(format);
        let path = dir.path().join(format!("{format:?}.docx"));
        std::fs::write(&path, export_policy(&f, &ExportOptions::default()).unwrap()).unwrap();
        let pdf = to_pdf(&path);
        let text = without_page_numbers(&squash(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"])));
        let mut at = 0;
        for e in order {
            let e = squash(e);
            let found = text[at..].find(&e);
            assert!(
                found.is_some(),
                "{}: missing or out of order: {e}\n in {text}",
                format.label()
            );
            at += found.unwrap() + e.len();
        }
        // Nothing made up: a 令 and a 通告 without 版记 fields print no 印发 line.
        if matches!(
            format,
            DocFormat::Order | DocFormat::Announcement | DocFormat::Letter
        ) {
            assert!(!text.contains("印发"), "{}: {text}", format.label());
        }
        // 纪要 carry no 署名 at the end: the date appears once, in the head.
        if format == DocFormat::Minutes {
            assert_eq!(text.matches("2026年3月5日").count(), 1, "{text}");
        }
    }
}

#[test]
fn the_signature_never_stands_on_a_page_of_its_own() {
    // Bodies of one-line paragraphs, 3 to 12 of them (page 1 holds about 7 under the 版头): some
    // of these lengths leave the 落款 nothing but page 2. On whatever page the date lands, body
    // text is there too.
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for n in 3..=12 {
        let f = DocFields {
            issuing_authority: "淄博市公安局".into(),
            doc_number: "淄公发〔2026〕12号".into(),
            title: "关于进一步做好值班工作的通知".into(),
            main_recipients: "各单位".into(),
            date_written: NaiveDate::from_ymd_opt(2026, 3, 5),
            body: (1..=n)
                .map(|i| format!("第{i:02}段要按照职责分工认真落实各项任务确保落实到位。"))
                .collect(),
            ..Default::default()
        };
        let path = dir.path().join(format!("n{n}.docx"));
        std::fs::write(&path, export_policy(&f, &ExportOptions::default()).unwrap()).unwrap();
        files.push(path);
    }
    let profile = dir.path().join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .args(&files)
        .output()
        .expect("soffice");
    assert!(out.status.success());
    let mut saw_two_pages = false;
    for path in &files {
        let (ws, _) = words(&path.with_extension("pdf"));
        let date_page = ws
            .iter()
            // pdftotext splits 2026年3月5日 at the digits; the body has no 日.
            .find(|w| w.text == "日" || w.text.ends_with("5日"))
            .map(|w| w.page)
            .expect("the date is printed");
        saw_two_pages |= date_page > 1;
        assert!(
            ws.iter()
                .any(|w| w.page == date_page && w.text.contains("落实到位")),
            "{}: the 落款 stands alone on page {date_page}",
            path.display()
        );
    }
    assert!(
        saw_two_pages,
        "no length pushed the 落款 to page 2: the test proves nothing"
    );
}
