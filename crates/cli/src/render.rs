//! Plain-text rendering of API responses for the terminal.

use gongkai_api::{AppStatus, DocView, RevisionView};
use gongkai_core::{DocSummary, Paragraph, ParagraphLevel, RevisionMeta, SearchHit, Unit};
use std::fmt::Write;

fn local(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

pub fn status(s: &AppStatus) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "数据文件夹：{}", s.data_dir);
    let _ = writeln!(o, "数据版本：{}", s.schema_version);
    match (&s.clerk, &s.unit) {
        (Some(c), Some(u)) => {
            let _ = writeln!(o, "使用人：{}（{}）", c.name, u.name);
        }
        _ => {
            let _ = writeln!(
                o,
                "尚未设置：请运行 gongkai setup --unit 单位编号 --name 姓名"
            );
        }
    }
    for seed in &s.seeds {
        let _ = writeln!(o, "参考数据 {} 第{}版", seed.name, seed.version);
    }
    o
}

pub fn units(units: &[Unit]) -> String {
    units
        .iter()
        .map(|u| {
            let mark = if u.verified { "" } else { "（待核实）" };
            format!("{}\t{}{}\n", u.id, u.name, mark)
        })
        .collect()
}

pub fn list(docs: &[DocSummary]) -> String {
    if docs.is_empty() {
        return "（没有文件）\n".into();
    }
    docs.iter()
        .map(|d| {
            let title = if d.title.is_empty() {
                "（无标题）"
            } else {
                &d.title
            };
            format!(
                "{}  {}  {}  {}  {}  {}\n",
                d.doc_id,
                d.status.label(),
                local(&d.updated_at),
                d.updated_by,
                d.doc_number,
                title
            )
        })
        .collect()
}

fn paragraphs(o: &mut String, ps: &[Paragraph]) {
    for p in ps {
        let indent = match p.level {
            ParagraphLevel::H1 => "",
            ParagraphLevel::H2 => "  ",
            ParagraphLevel::H3 => "    ",
            ParagraphLevel::H4 => "      ",
            ParagraphLevel::Body => "　　",
        };
        let _ = writeln!(o, "{indent}{}", p.text.trim_start());
    }
}

pub fn doc(v: &DocView) -> String {
    let mut o = String::new();
    let f = &v.fields;
    let _ = writeln!(o, "编号：{}", v.summary.doc_id);
    let _ = writeln!(
        o,
        "状态：{}  第{}版  {} 编辑于 {}",
        v.summary.status.label(),
        v.head.rev_no,
        v.summary.updated_by,
        local(&v.summary.updated_at)
    );
    let _ = writeln!(o, "发文机关：{}", f.issuing_authority);
    let _ = writeln!(o, "发文字号：{}", f.doc_number);
    let _ = writeln!(o, "标题：{}", f.title);
    if !f.main_recipients.is_empty() {
        let _ = writeln!(o, "主送：{}", f.main_recipients);
    }
    let _ = writeln!(o, "---");
    paragraphs(&mut o, &v.paragraphs);
    for i in &v.issues {
        let _ = writeln!(o, "! {}", i.message);
    }
    o
}

pub fn revision(v: &RevisionView) -> String {
    let mut o = String::new();
    let m = &v.revision.meta;
    let _ = writeln!(
        o,
        "第{}版  {}  {}",
        m.rev_no,
        m.author_name,
        local(&m.created_at)
    );
    let _ = writeln!(o, "标题：{}", v.revision.fields.title);
    let _ = writeln!(o, "---");
    paragraphs(&mut o, &v.paragraphs);
    o
}

pub fn history(revs: &[RevisionMeta]) -> String {
    revs.iter()
        .map(|m| {
            let restored = m
                .restored_from
                .map(|r| format!("  （恢复自 {r}）"))
                .unwrap_or_default();
            format!(
                "第{}版  {}  {}  {}{}\n",
                m.rev_no,
                m.rev_id,
                local(&m.created_at),
                m.author_name,
                restored
            )
        })
        .collect()
}

pub fn hits(hits: &[SearchHit]) -> String {
    if hits.is_empty() {
        return "（没有找到）\n".into();
    }
    hits.iter()
        .map(|h| {
            let title = if h.doc.title.is_empty() {
                "（无标题）"
            } else {
                &h.doc.title
            };
            format!("{}  {}\n    {}\n", h.doc.doc_id, title, h.snippet)
        })
        .collect()
}
