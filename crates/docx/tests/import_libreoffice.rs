//! LibreOffice round trip: a known .fodt (and an HTML page) with headings, paragraphs, a numbered
//! list and a table is converted to .docx by `soffice --headless --convert-to docx`, then
//! imported; the paragraphs and their levels must come back. soffice must be installed (CI
//! installs `libreoffice-writer-nogui`): a missing soffice fails the test. Each run uses a
//! private LibreOffice profile so that parallel runs do not clash.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use gongkai_core::body::{classify_body, numbering_gaps};
use gongkai_core::ParagraphLevel::{self, Body, H1, H2};
use gongkai_docx::{import_docx, import_path, LevelSource};

const FODT: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:class="text"/>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text"/>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text"/>
  <text:list-style style:name="GB">
   <text:list-level-style-number text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/>
   <text:list-level-style-number text:level="2" style:num-format="一, 二, 三, ..." style:num-prefix="（" style:num-suffix="）"/>
  </text:list-style>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="PTitle" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="22pt"/>
  </style:style>
 </office:automatic-styles>
 <office:body>
  <office:text>
   <text:p text:style-name="PTitle">关于加强政务公开工作的通知</text:p>
   <text:p text:style-name="Standard">各区县公安分局，局属各单位：</text:p>
   <text:p text:style-name="Standard">为进一步做好政务公开工作，现通知如下。</text:p>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">总体要求</text:h>
   <text:p text:style-name="Standard">坚持以公开为常态、不公开为例外。</text:p>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">工作目标</text:h>
   <text:p text:style-name="Standard">到年底全面完成目录编制。</text:p>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">（二）基本原则</text:h>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">主要任务</text:h>
   <table:table table:name="T1">
    <table:table-column table:number-columns-repeated="2"/>
    <table:table-row><table:table-cell><text:p>单位</text:p></table:table-cell><table:table-cell><text:p>人数</text:p></table:table-cell></table:table-row>
    <table:table-row><table:table-cell><text:p>治安支队</text:p></table:table-cell><table:table-cell><text:p>12</text:p></table:table-cell></table:table-row>
   </table:table>
   <text:list text:style-name="GB">
    <text:list-item text:start-value="3"><text:p text:style-name="Standard">编号一级</text:p>
     <text:list><text:list-item><text:p text:style-name="Standard">编号二级</text:p></text:list-item></text:list>
    </text:list-item>
    <text:list-item><text:p text:style-name="Standard">编号又一级</text:p></text:list-item>
   </text:list>
   <text:p text:style-name="Standard">淄博市公安局</text:p>
   <text:p text:style-name="Standard">2026年3月5日</text:p>
   <text:p text:style-name="Standard">（此件公开发布）</text:p>
  </office:text>
 </office:body>
</office:document>
"##;

const HTML: &str = r##"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>测试</title></head><body>
<p align="center"><font size="6">关于做好信息公开的通知</font></p>
<p>各单位：</p>
<p>现将有关事项通知如下。</p>
<h1>工作要求</h1>
<p>按时报送。</p>
<h2>报送时间</h2>
<p>每月五日前。</p>
<h2>（二）报送方式</h2>
<table border="1"><tr><td>单位</td><td>联系人</td></tr><tr><td>办公室</td><td>王五</td></tr></table>
<h1>其他事项</h1>
<p>未尽事宜另行通知。</p>
</body></html>
"##;

/// Converts `name` (written with `content`) to .docx in a fresh directory; returns the .docx.
fn convert(dir: &Path, name: &str, content: &str, infilter: Option<&str>) -> PathBuf {
    let input = dir.join(name);
    std::fs::write(&input, content).expect("write input");
    let profile = dir.join("lo-profile");
    let out = dir.join("out");
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args(["--headless", "--norestore", "--nolockcheck"]);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    cmd.args(["--convert-to", "docx", "--outdir"])
        .arg(&out)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!(
            "soffice could not be started ({e}). Install LibreOffice: \
             apt-get install -y --no-install-recommends libreoffice-writer-nogui"
        )
    });
    let start = Instant::now();
    loop {
        match child.try_wait().expect("wait for soffice") {
            Some(status) => {
                let output = child.wait_with_output().expect("soffice output");
                assert!(
                    status.success(),
                    "soffice failed: {status}\n{}\n{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
                break;
            }
            None if start.elapsed() > Duration::from_secs(180) => {
                let _ = child.kill();
                panic!("soffice did not finish within 180 s");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let stem = Path::new(name).file_stem().expect("stem");
    let docx = out.join(stem).with_extension("docx");
    assert!(docx.is_file(), "soffice wrote no {}", docx.display());
    docx
}

fn levels(body: &[String]) -> Vec<ParagraphLevel> {
    classify_body(body).into_iter().map(|p| p.level).collect()
}

#[test]
fn fodt_round_trip_keeps_paragraphs_and_levels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docx = convert(dir.path(), "通知.fodt", FODT, None);
    let imp = import_path(&docx).expect("imports");
    let f = &imp.fields;
    assert_eq!(f.title, "关于加强政务公开工作的通知");
    assert_eq!(f.main_recipients, "各区县公安分局，局属各单位");
    assert_eq!(
        f.body,
        vec![
            "为进一步做好政务公开工作，现通知如下。",
            "一、总体要求",
            "坚持以公开为常态、不公开为例外。",
            "（一）工作目标",
            "到年底全面完成目录编制。",
            "（二）基本原则",
            "二、主要任务",
            "三、编号一级",
            "（一）编号二级",
            "四、编号又一级",
        ]
    );
    assert_eq!(
        levels(&f.body),
        vec![Body, H1, Body, H2, Body, H2, H1, H1, H2, H1]
    );
    let sources: Vec<LevelSource> = imp.levels.iter().map(|l| l.source).collect();
    use LevelSource as S;
    assert_eq!(
        sources,
        vec![
            S::None,
            S::Style,
            S::None,
            S::Style,
            S::None,
            S::Typed,
            S::Style,
            S::Numbering,
            S::Numbering,
            S::Numbering,
        ]
    );
    assert!(numbering_gaps(&classify_body(&f.body)).is_empty());
    assert_eq!(
        imp.tables,
        vec![vec![vec!["单位", "人数"], vec!["治安支队", "12"]]]
    );
    // The table is in the body as a table, after “二、主要任务”.
    assert_eq!(f.tables.len(), 1);
    assert_eq!(f.tables[0].at, 7);
    assert_eq!(f.tables[0].rows[1][0].text, "治安支队");
    assert_eq!(f.issuing_authority, "淄博市公安局");
    assert_eq!(f.date_written, NaiveDate::from_ymd_opt(2026, 3, 5));
    assert_eq!(f.notes, "（此件公开发布）");
    assert!(imp.outside_body.is_empty(), "{:?}", imp.outside_body);
}

#[test]
fn html_round_trip_keeps_paragraphs_and_levels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docx = convert(dir.path(), "通知.html", HTML, Some("HTML (StarWriter)"));
    let bytes = std::fs::read(&docx).expect("read docx");
    let imp = import_docx(&bytes).expect("imports");
    let f = &imp.fields;
    assert_eq!(f.title, "关于做好信息公开的通知");
    assert_eq!(f.main_recipients, "各单位");
    assert_eq!(
        f.body,
        vec![
            "现将有关事项通知如下。",
            "一、工作要求",
            "按时报送。",
            "（一）报送时间",
            "每月五日前。",
            "（二）报送方式",
            "二、其他事项",
            "未尽事宜另行通知。",
        ]
    );
    assert_eq!(
        levels(&f.body),
        vec![Body, H1, Body, H2, Body, H2, H1, Body]
    );
    assert_eq!(imp.tables.len(), 1);
}
