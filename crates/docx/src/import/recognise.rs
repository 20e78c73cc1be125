//! Telling the GB/T 9704 elements apart, on the parsed lines (never on XML).

use super::*;

pub(crate) static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[^\s〔〕\[\]【】()（）：:]{0,24}[〔\[【(（]\s*[0-9０-９XxＸ]{2,4}\s*[〕\]】)）]\s*第?\s*[0-9０-９XxＸ]{0,6}\s*号",
    )
    .expect("static regex")
});
pub(crate) static SIGNER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"签\s*发\s*人\s*[：:]\s*(.*)$").expect("static regex"));
pub(crate) static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<auth>.*?\S)\s+)?(?P<y>[0-9０-９XxＸ]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>[0-9０-９XxＸ]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?P<d>[0-9０-９XxＸ]{1,2}|[一二三四五六七八九十]{1,3})\s*日$",
    )
    .expect("static regex")
});
pub(crate) static CLASSIFICATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(绝密|机密|秘密)\s*(?:[★☆]\s*(\S*))?$").expect("static regex"));
pub(crate) static ATTACHMENT_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[0-9０-９]{1,2}\s*[.．、]\s*(.+)$").expect("static regex"));
pub(crate) static GENRE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(通知|通报|意见|办法|规定|决定|报告|请示|批复|函|方案|细则|规则|纪要|公告|通告|规划|计划|要点|制度|指引|指南|规范|章程|决议|命令|议案|公报|清单|目录)\s*(（[^）]*）)?$",
    )
    .expect("static regex")
});
pub(crate) static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第[一二三四五六七八九十百零〇0-9０-９]+[章节条款部篇]").expect("static regex")
});

pub(crate) fn digits(s: &str) -> Option<u32> {
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '〇' | '○' | '零' => '0',
            c => CN
                .iter()
                .position(|&d| d == c)
                .and_then(|p| char::from_digit(p as u32, 10))
                .unwrap_or(c),
        })
        .collect();
    ascii.parse().ok()
}

/// `2026年3月5日` / `二〇二六年三月五日`, optionally preceded by the 署名 on the same line. The
/// date is `None` when the line is a template's unfilled date (`20XX年XX月XX日`).
pub(crate) fn parse_date_line(s: &str) -> Option<(Option<String>, Option<NaiveDate>)> {
    let t = s.trim();
    // A template's date slot: `[日期]`, `【成文日期】`.
    let slot = t
        .strip_prefix(['[', '［', '【'])
        .and_then(|r| r.strip_suffix([']', '］', '】']));
    if slot.is_some_and(|r| r.ends_with("日期") && r.chars().count() <= 6) {
        return Some((None, None));
    }
    let c = DATE_LINE.captures(t)?;
    let auth = c.name("auth").map(|m| m.as_str().trim().to_string());
    if auth
        .as_deref()
        .is_some_and(|a| a.chars().count() > 40 || a.contains(['，', '。', '：', ':', '；', '、']))
    {
        return None;
    }
    let unfilled = |t: &str| t.contains(['X', 'x', 'Ｘ']);
    if unfilled(&c["y"]) || unfilled(&c["m"]) || unfilled(&c["d"]) {
        return Some((auth, None));
    }
    let year = digits(&c["y"])?;
    let num = |t: &str| digits(t).or_else(|| gongkai_core::body::parse_cn_number(t));
    let month = num(&c["m"])?;
    let day = num(&c["d"])?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some((auth, Some(date)))
}

/// The 版记's `印发机关 … 2026年3月6日印发` line (cells or spaces between): office and date.
pub(crate) fn parse_printed_line(s: &str) -> Option<(String, Option<NaiveDate>)> {
    let t = s.trim().strip_suffix("印发")?.trim_end();
    let (office, date) = match parse_date_line(&t.replace('\t', " ")) {
        Some((office, date)) => (office.unwrap_or_default(), date),
        None => (t.to_string(), None),
    };
    let office = office.split_whitespace().collect::<Vec<_>>().join(" ");
    Some((office, date))
}

/// What kind of 发文机关标志 a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkKind {
    /// `…文件`
    File,
    /// `…令` / `…命令`
    Order,
    /// `…纪要`
    Minutes,
    /// `…公告` / `…通告`
    Announcement,
    /// The issuer's name alone (信函格式, or a 文件格式 without “文件”).
    Name,
}

/// Words an issuing body's name ends with.
static ORG_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(政府|委员会|委|局|厅|部|办公室|办公厅|办|院|中心|支队|大队|队|所|处|科|室|署|会|总队|分局|公司|集团|学校|大学|党委|党组|机关|单位|政协|人大|法院|检察院)$")
        .expect("static regex")
});

pub(crate) fn strip_label<'t>(s: &'t str, label: &str) -> Option<&'t str> {
    let rest = s.trim().strip_prefix(label)?.trim_start();
    rest.strip_prefix('：')
        .or_else(|| rest.strip_prefix(':'))
        .map(str::trim)
}

pub(crate) fn strip_colon_end(s: &str) -> Option<&str> {
    let t = s.trim();
    t.strip_suffix('：').or_else(|| t.strip_suffix(':'))
}

pub(crate) fn canonical_marker(level: u8, n: i64) -> String {
    let cn = |n: i64| {
        if (1..100).contains(&n) {
            format_cn_number(n as u32)
        } else {
            n.to_string()
        }
    };
    match level {
        1 => format!("{}、", cn(n)),
        2 => format!("（{}）", cn(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// What a line before the title is.
pub(crate) enum HeaderLine {
    CopyNumber,
    Classification(Classification),
    Urgency(Urgency),
    Both(Classification, Urgency),
    Number(String, Vec<String>),
    Signer(Vec<String>),
    /// The 发文机关标志: the issuer(s) it names (joint issuers on one line are split), its
    /// kind, and the line as written.
    Mark(Vec<String>, MarkKind, String),
    /// 署名 and date before the title (纪要 templates put them under the 标志).
    IssuerDate(String, Option<NaiveDate>),
    /// Lines of the 版头 that carry nothing to import: a lone ★, separators.
    Nothing,
}

pub(crate) fn split_names(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || "、，,；;".contains(c))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn header_line(line: &Line) -> Option<HeaderLine> {
    if line.row {
        return None;
    }
    let t = line.text.trim();
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().count() == 6
        && compact
            .chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return Some(HeaderLine::CopyNumber);
    }
    let urgency = |s: &str| match s {
        "特急" => Some(Urgency::Extra),
        "加急" => Some(Urgency::Urgent),
        _ => None,
    };
    let classification = |s: &str| {
        CLASSIFICATION.captures(s).map(|c| Classification {
            level: match &c[1] {
                "绝密" => ClassificationLevel::TopSecret,
                "机密" => ClassificationLevel::Confidential,
                _ => ClassificationLevel::Secret,
            },
            period: c.get(2).map(|m| m.as_str().to_string()).unwrap_or_default(),
        })
    };
    if let Some(u) = urgency(&compact) {
        return Some(HeaderLine::Urgency(u));
    }
    if let Some(c) = classification(&compact) {
        return Some(HeaderLine::Classification(c));
    }
    let tokens: Vec<&str> = t.split_whitespace().collect();
    if tokens.len() == 2 {
        if let (Some(c), Some(u)) = (classification(tokens[0]), urgency(tokens[1])) {
            return Some(HeaderLine::Both(c, u));
        }
    }
    if let Some(m) = DOC_NUMBER.find(t) {
        let before = t[..m.start()].trim();
        let after = t[m.end()..].trim();
        let signers = SIGNER
            .captures(after)
            .map(|c| split_names(&c[1]))
            .unwrap_or_default();
        if before.is_empty() && (after.is_empty() || SIGNER.is_match(after)) {
            let number: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
            return Some(HeaderLine::Number(number, signers));
        }
    }
    if let Some(c) = SIGNER.captures(t) {
        if t.starts_with('签') {
            return Some(HeaderLine::Signer(split_names(&c[1])));
        }
    }
    if matches!(compact.as_str(), "★" | "☆" | "—" | "-") {
        return Some(HeaderLine::Nothing);
    }
    // 令号 / 公告号 alone: `第 3 号`, `第  号`.
    let serial: String = compact.chars().filter(|c| *c != '\u{3000}').collect();
    if let Some(inner) = serial.strip_prefix('第').and_then(|r| r.strip_suffix('号')) {
        if inner.chars().count() <= 6
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || "XxＸ".contains(c))
        {
            return Some(HeaderLine::Number(t.to_string(), Vec::new()));
        }
    }
    if let Some((Some(auth), date)) = parse_date_line(t) {
        return Some(HeaderLine::IssuerDate(auth, date));
    }
    if compact.chars().count() > 40 || compact.contains(['，', '。', '：', ':', '；']) {
        return None;
    }
    let names = |a: &str| -> Vec<String> {
        let parts: Vec<String> = t
            .split_whitespace()
            .map(str::to_string)
            .filter(|p| !p.is_empty())
            .collect();
        // Joint issuers spaced out on one line, the kind word after the last.
        if parts.len() > 1 && parts[..parts.len() - 1].iter().all(|p| ORG_END.is_match(p)) {
            let mut out = parts;
            if let Some(last) = out.last_mut() {
                *last = last
                    .strip_suffix(&compact[a.len()..])
                    .unwrap_or(last)
                    .to_string();
            }
            out.retain(|p| !p.is_empty());
            out
        } else {
            vec![a.to_string()]
        }
    };
    for (suffix, kind) in [
        ("文件", MarkKind::File),
        ("命令", MarkKind::Order),
        ("令", MarkKind::Order),
        ("纪要", MarkKind::Minutes),
        ("公告", MarkKind::Announcement),
        ("通告", MarkKind::Announcement),
    ] {
        if let Some(a) = compact.strip_suffix(suffix) {
            // `…文件` anywhere before the title; the other kinds only as a shape or large type,
            // since a plain line `…公告` may be the title itself.
            // The issuer's name before the word: an office, never a title (“关于…的通告”).
            // A 纪要 is named after its meeting (专题会议纪要).
            let named =
                (ORG_END.is_match(a) || kind == MarkKind::Minutes) && !a.starts_with("关于");
            if kind == MarkKind::File || ((line.shape || line.size >= 44) && named) {
                return Some(HeaderLine::Mark(names(a), kind, compact.clone()));
            }
        }
    }
    if line.shape && ORG_END.is_match(&compact) {
        return Some(HeaderLine::Mark(
            names(&compact),
            MarkKind::Name,
            compact.clone(),
        ));
    }
    None
}

/// A page-header line that is a 版头 element (标志, number, 密级, 紧急程度), not a running head.
pub(crate) fn header_element(line: &Line) -> bool {
    matches!(
        header_line(line),
        Some(
            HeaderLine::Mark(..)
                | HeaderLine::Number(..)
                | HeaderLine::Classification(_)
                | HeaderLine::Urgency(_)
                | HeaderLine::Both(..)
        )
    )
}

pub(crate) fn is_heading_text(s: &str) -> bool {
    classify_paragraph(s).level != ParagraphLevel::Body
}

pub(crate) fn title_like(line: &Line) -> bool {
    let n = line.text.chars().count();
    !line.row
        && !line.shape
        && n <= 100
        && strip_colon_end(&line.text).is_none()
        && parse_date_line(&line.text).is_none()
        && !is_heading_text(&line.text)
        && (line.title_style
            || line.centered
            // Large type, unless it is a (left-aligned) heading style.
            || (line.size >= 36 && line.style_level.is_none()))
}

pub(crate) fn row_text(row: &[String]) -> String {
    row.iter()
        .map(|c| c.replace(['\n', '\r', '\t'], " ").trim().to_string())
        .collect::<Vec<_>>()
        .join("\t")
}

/// What the body parser saw that only the notices use.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Seen {
    /// Text boxes and WordArt shapes read.
    pub(crate) text_boxes: usize,
    /// Bulleted items whose bullet was dropped.
    pub(crate) bullets: usize,
}

/// A row that is page layout, not data: one cell holding a stretch of the document (several
/// paragraphs, a long text or tables of its own), as WPS 申请书 and 任务书 are laid out.
fn layout_row(row: &[CellB]) -> bool {
    match row {
        [cell] => {
            let text = cell.text();
            cell.paragraphs() >= 4
                || text.chars().count() >= 200
                || cell.items.iter().any(|i| matches!(i, CellItem::Table(_)))
        }
        _ => false,
    }
}

/// 联合行文's 标志 laid out as a table (one issuer per row, “文件” beside them, as our own export
/// and many templates set it): the issuers and the word as one line, `甲 乙文件`.
fn joint_mark(rows: &TableRows) -> Option<String> {
    if rows.len() < 2 || rows.iter().any(|r| r.is_empty() || r.len() > 2) {
        return None;
    }
    let suffix = rows[0].get(1).map(|c| c.text().trim().to_string())?;
    if !matches!(suffix.as_str(), "文件" | "命令" | "令" | "纪要") {
        return None;
    }
    let names: Vec<String> = rows
        .iter()
        .map(|r| r[0].text().trim().to_string())
        .collect();
    let plain = rows[1..]
        .iter()
        .all(|r| r.get(1).is_none_or(|c| c.text().trim().is_empty()));
    (plain && names.iter().all(|n| ORG_END.is_match(n)))
        .then(|| format!("{}{suffix}", names.join(" ")))
}

/// Tables after layout rows are unwrapped: the data tables, the lines (a data table's rows are
/// lines too, marked with its index, so that a 版记 laid out as a table is recognised).
#[derive(Default)]
struct Expanded {
    lines: Vec<Line>,
    /// For each picture in the body: the index of the line it comes before.
    images: Vec<usize>,
    data: Vec<ParsedTable>,
    unwrapped_rows: usize,
}

impl Expanded {
    fn table(&mut self, table: &ParsedTable) {
        if let Some(mark) = joint_mark(&table.rows) {
            self.lines.push(Line {
                plain: mark.clone(),
                text: mark,
                centered: true,
                shape: true,
                ..Line::default()
            });
            return;
        }
        let mut pending: TableRows = Vec::new();
        for row in &table.rows {
            if layout_row(row) {
                self.flush(std::mem::take(&mut pending), &table.grid);
                self.unwrapped_rows += 1;
                for item in row.iter().flat_map(|c| c.items.iter()) {
                    match item {
                        CellItem::Para(p) => self.lines.push(Line {
                            plain: p.trim().to_string(),
                            text: p.trim().to_string(),
                            ..Line::default()
                        }),
                        CellItem::Table(inner) => self.table(inner),
                    }
                }
            } else {
                pending.push(row.clone());
            }
        }
        self.flush(pending, &table.grid);
    }

    fn flush(&mut self, rows: TableRows, grid: &[u32]) {
        if rows.is_empty() {
            return;
        }
        let k = self.data.len();
        for row in &rows {
            let cells: Vec<String> = row.iter().map(CellB::text).collect();
            let text = row_text(&cells);
            if text.chars().any(|c| c != '\t' && !c.is_whitespace()) {
                self.lines.push(Line {
                    plain: text.clone(),
                    text,
                    row: true,
                    table: Some(k),
                    ..Line::default()
                });
            }
        }
        self.data.push(ParsedTable {
            rows,
            grid: grid.to_vec(),
        });
    }
}

/// A table as the document model holds it.
fn model_table(at: usize, table: &ParsedTable) -> BodyTable {
    BodyTable {
        at: at as u32,
        widths: table.grid.clone(),
        rows: table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| TableCell {
                        text: c.text(),
                        span: c.span.max(1),
                        merge: c.merge,
                        middle: c.middle,
                    })
                    .collect()
            })
            .collect(),
    }
}

pub(crate) fn assemble(
    blocks: Vec<Block>,
    tables: Vec<ParsedTable>,
    images: Vec<ImageInfo>,
    left_out: LeftOut,
    seen: Seen,
) -> Imported {
    // Flatten: layout rows are unwrapped into lines; data tables' rows become lines too, so that
    // the 版记 (often a table) is seen.
    let mut ex = Expanded::default();
    for b in blocks {
        match b {
            Block::Line(l) => ex.lines.push(l),
            Block::Image => ex.images.push(ex.lines.len()),
            Block::Table(i) => {
                if let Some(t) = tables.get(i) {
                    ex.table(t);
                }
            }
        }
    }
    let Expanded {
        lines,
        images: image_at,
        data,
        unwrapped_rows,
    } = ex;
    // Where the pictures stand in the body: after which paragraph.
    let mut pictures_after: Vec<usize> = Vec::new();
    let grid: Vec<Vec<Vec<String>>> = tables
        .iter()
        .map(|t| {
            t.rows
                .iter()
                .map(|r| r.iter().map(CellB::text).collect())
                .collect()
        })
        .collect();
    let mut placed: Vec<usize> = Vec::new();
    let mut fields = DocFields::default();
    let mut outside: Vec<String> = Vec::new();
    let mut notices: Vec<String> = Vec::new();
    let n = lines.len();

    // --- Before the body: 版头 lines and the title. The title is looked for among the first
    // lines, passing over 版头 lines and short unrecognised ones (e.g. an authority name).
    let mut title_at: Option<usize> = None;
    for (i, line) in lines.iter().enumerate().take(20) {
        if header_line(line).is_some() {
            continue;
        }
        if title_like(line) {
            title_at = Some(i);
            break;
        }
        let t = line.text.trim();
        let sentence = t.contains(['，', '。', '；', '：', ':', ',']) || t.chars().count() > 60;
        if !line.row && !sentence && !is_heading_text(t) && GENRE_END.is_match(t) {
            // An unformatted line that reads like a title (…的通知, …办法).
            title_at = Some(i);
            break;
        }
        let styled_heading = line.style_level.is_some_and(|l| l <= 4);
        if line.row || sentence || styled_heading || is_heading_text(t) || i >= 8 {
            break;
        }
    }
    let header_end = match title_at {
        Some(t) => t,
        None => lines
            .iter()
            .position(|l| header_line(l).is_none())
            .unwrap_or(n),
    };
    let mut marks: Vec<(Vec<String>, MarkKind, String)> = Vec::new();
    let mut header_issuer: Option<(String, Option<NaiveDate>)> = None;
    let mut number_right = false;
    for line in &lines[..header_end] {
        match header_line(line) {
            None => outside.push(line.text.clone()),
            Some(HeaderLine::CopyNumber) => {}
            Some(HeaderLine::Classification(c)) => fields.classification = Some(c),
            Some(HeaderLine::Urgency(u)) => fields.urgency = Some(u),
            Some(HeaderLine::Both(c, u)) => {
                fields.classification = Some(c);
                fields.urgency = Some(u);
            }
            Some(HeaderLine::Number(num, signers)) => {
                if fields.doc_number.is_empty() {
                    fields.doc_number = num;
                    number_right = line.right;
                }
                fields.signers.extend(signers);
            }
            Some(HeaderLine::Signer(s)) => fields.signers.extend(s),
            Some(HeaderLine::Mark(names, kind, text)) => marks.push((names, kind, text)),
            Some(HeaderLine::IssuerDate(a, d)) => header_issuer = Some((a, d)),
            Some(HeaderLine::Nothing) => {}
        }
    }
    let mut body_start = header_end;
    if let Some(t) = title_at {
        let mut title = lines[t].text.replace(['\n', '\r'], "");
        let mut end = t + 1;
        // A long title split over consecutive centred lines.
        while end < n
            && end - t < 4
            && !GENRE_END.is_match(title.trim())
            && title_like(&lines[end])
            && header_line(&lines[end]).is_none()
            && lines[end].centered == lines[t].centered
        {
            title.push_str(&lines[end].text.replace(['\n', '\r'], ""));
            end += 1;
        }
        fields.title = title.trim().to_string();
        body_start = end;
        // 主送机关: the line right after the title ending in a colon.
        if let Some(line) = lines.get(end) {
            if let Some(r) = strip_colon_end(&line.text) {
                let r = r.trim();
                if !line.row
                    && !r.is_empty()
                    && r.chars().count() <= 150
                    && !r.contains('。')
                    && !r.contains("如下")
                    && !r.starts_with("附件")
                    && !is_heading_text(r)
                {
                    fields.main_recipients = r.to_string();
                    body_start = end + 1;
                }
            }
        }
    } else if n > 0 {
        notices.push("没有识别出标题，请在“标题”中填写。".into());
    }
    let body_start = body_start.min(n);

    // --- After the body: 版记 (抄送 / 印发), 附件说明, 署名 + 成文日期, 附注.
    let is_cc = |l: &Line| {
        let first_cell = l.text.split('\t').next().unwrap_or_default();
        strip_label(first_cell, "抄送").is_some()
    };
    let is_printed = |l: &Line| {
        let t = l.text.trim();
        t.ends_with("印发") && (t.contains('年') || t.contains('\t'))
    };
    let record_start = (body_start..n)
        .find(|&i| is_cc(&lines[i]) || is_printed(&lines[i]))
        .unwrap_or(n);
    // Unmapped 版记 lines go last in `outside_body`, after any attachment pages.
    let mut record_outside: Vec<String> = Vec::new();
    for line in &lines[record_start..] {
        if let Some((office, date)) = parse_printed_line(&line.text) {
            if fields.printing_office.is_empty() && fields.printed_on.is_none() {
                fields.printing_office = office;
                fields.printed_on = date;
                continue;
            }
        }
        if is_cc(line) {
            let cells: Vec<&str> = line.text.split('\t').collect();
            let first = cells.first().copied().unwrap_or_default();
            let mut cc = strip_label(first, "抄送").unwrap_or_default().to_string();
            for more in cells.iter().skip(1) {
                cc.push_str(more.trim());
            }
            let cc = cc.trim().trim_end_matches(['。', '.']).trim().to_string();
            if fields.cc.is_empty() {
                fields.cc = cc;
            } else {
                record_outside.push(line.text.clone());
            }
        } else {
            record_outside.push(line.text.clone());
        }
    }

    let item = |s: &str| {
        ATTACHMENT_ITEM
            .captures(s)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().trim().to_string())
    };
    // 附件说明: `附件：名称` or `附件：1.名称`, or a bare `附件：` over numbered lines.
    let attach_at = (body_start..record_start).find(|&i| {
        !lines[i].row
            && strip_label(&lines[i].text, "附件").is_some_and(|r| {
                !r.is_empty()
                    || lines
                        .get(i + 1)
                        .is_some_and(|next| i + 1 < record_start && item(&next.text).is_some())
            })
    });
    let mut attach_end = attach_at.map(|a| a + 1);
    if let Some(a) = attach_at {
        let first = strip_label(&lines[a].text, "附件").unwrap_or_default();
        if !first.is_empty() {
            fields
                .attachments
                .push(item(first).unwrap_or_else(|| first.trim().to_string()));
        }
        let mut j = a + 1;
        while j < record_start {
            match item(&lines[j].text) {
                Some(next) if !lines[j].row && parse_date_line(&lines[j].text).is_none() => {
                    fields.attachments.push(next);
                    j += 1;
                }
                _ => break,
            }
        }
        attach_end = Some(j);
    }
    let date_from = attach_end.unwrap_or(body_start);
    // 成文日期: a date-only line that is signed (署名 on it or just above), or that only notes,
    // attachment pages or the 版记 follow. A bare date inside the body does not qualify.
    let signature_like = |l: &Line| {
        let t = l.text.trim();
        !l.row
            && !t.is_empty()
            && t.chars().count() <= 40
            && !t.contains(['，', '。', '：', ':', '；', ',', '、'])
            && !is_heading_text(t)
            && parse_date_line(t).is_none()
    };
    let date_at = (date_from..record_start).find(|&i| {
        let Some((auth, _)) = (!lines[i].row)
            .then(|| parse_date_line(&lines[i].text))
            .flatten()
        else {
            return false;
        };
        let next = lines.get(i + 1).filter(|_| i + 1 < record_start);
        auth.is_some()
            || (i > date_from && signature_like(&lines[i - 1]))
            || next.is_none_or(|l| {
                let t = l.text.trim();
                t.starts_with('（') || t.starts_with('(') || t.starts_with("附件")
            })
    });
    let mut body_end = attach_at.unwrap_or(record_start);
    let mut signature: Option<String> = None;
    let mut co_signatures: Vec<String> = Vec::new();
    if let Some(d) = date_at {
        let (auth, date) = parse_date_line(&lines[d].text).unwrap_or((None, None));
        fields.date_written = date;
        if date.is_none() {
            // A template's unfilled date stays as written, to be printed and flagged.
            let t = lines[d].text.trim();
            let slot = auth
                .as_deref()
                .and_then(|a| t.strip_prefix(a))
                .unwrap_or(t)
                .trim();
            fields.date_text = slot.split_whitespace().collect::<Vec<_>>().join("");
        }
        let mut sig_at = d;
        if let Some(a) = auth {
            signature = Some(a);
        } else if d > date_from && signature_like(&lines[d - 1]) {
            let t = lines[d - 1].text.trim();
            signature = Some(t.split_whitespace().collect::<Vec<_>>().join(" "));
            sig_at = d - 1;
            // 联合行文: more issuers stacked above, the 主办机关 first.
            while sig_at > date_from
                && co_signatures.len() < 8
                && signature_like(&lines[sig_at - 1])
                && ORG_END.is_match(lines[sig_at - 1].text.trim())
            {
                co_signatures.insert(0, lines[sig_at - 1].text.trim().to_string());
                sig_at -= 1;
            }
        }
        // “（此页无正文）” marks a 落款 pushed onto a page of its own: layout, not text.
        if sig_at > date_from && no_text_page(&lines[sig_at - 1].text) {
            sig_at -= 1;
            notices.push(
                "已去掉“（此页无正文）”：这是排版用语；导出时落款与正文最后一段排在同一页，不会单独成页。".into(),
            );
        }
        if attach_at.is_none() {
            body_end = sig_at;
        }
        // Lines between the 附件说明 and the 署名 (rare) are kept outside the body.
        if let Some(e) = attach_end {
            for line in &lines[e..sig_at] {
                outside.push(line.text.clone());
            }
        }
        // 附注 right after the date; the rest (usually attachment pages) stays outside.
        let mut k = d + 1;
        let mut notes: Vec<String> = Vec::new();
        while k < record_start {
            let t = lines[k].text.trim();
            if !lines[k].row
                && (t.starts_with('（') || t.starts_with('('))
                && (t.ends_with('）') || t.ends_with(')'))
            {
                notes.push(t.to_string());
                k += 1;
            } else {
                break;
            }
        }
        fields.notes = notes.join("\n");
        let mut after = 0;
        for line in &lines[k..record_start] {
            outside.push(line.text.clone());
            after += 1;
        }
        if after > 0 {
            notices.push(format!(
                "成文日期之后还有 {after} 段文字（多为附件正文），没有放入正文，见“正文之外的内容”。"
            ));
        }
    } else if let Some(e) = attach_end {
        let mut after = 0;
        for line in &lines[e..record_start] {
            outside.push(line.text.clone());
            after += 1;
        }
        if after > 0 {
            notices.push(format!(
                "附件说明之后还有 {after} 段文字，没有放入正文，见“正文之外的内容”。"
            ));
        }
    }
    outside.extend(record_outside);
    let body_end = body_end.max(body_start);
    settle_issuers(
        &mut fields,
        &mut notices,
        Head {
            marks,
            header_issuer,
            number_right,
            signature,
            co_signatures,
        },
    );

    // --- The body, with heading markers written into the text.
    let mut counters = [0i64; 5];
    let mut added = 0usize;
    let mut levels = Vec::new();
    for (i, line) in lines.iter().enumerate().take(body_end).skip(body_start) {
        for _ in image_at.iter().filter(|&&at| at == i) {
            pictures_after.push(fields.body.len());
        }
        let t = line.text.trim();
        if !line.row && t.starts_with("（此件") && (t.ends_with('）') || t.ends_with(')')) {
            // A 附注 such as （此件公开发布） left at the end of the body.
            if fields.notes.is_empty() {
                fields.notes = t.to_string();
            } else {
                fields.notes = format!("{}\n{t}", fields.notes);
            }
            continue;
        }
        if line.row {
            // A data table stands where its first row was, as a table.
            if let Some(k) = line.table {
                if !placed.contains(&k) {
                    placed.push(k);
                    if let Some(rows) = data.get(k) {
                        fields.tables.push(model_table(fields.body.len(), rows));
                    }
                }
            }
            continue;
        }
        let typed = classify_paragraph(&line.text);
        let (text, level, source, number) = if typed.level != ParagraphLevel::Body {
            let source = match &line.marker {
                Some(m) if !m.bullet && !m.text.trim().is_empty() => LevelSource::Numbering,
                _ => LevelSource::Typed,
            };
            (
                line.text.clone(),
                typed.level,
                source,
                typed.number.map(i64::from),
            )
        } else if let Some(sl @ 1..=4) = line
            .style_level
            .filter(|_| !ARTICLE.is_match(&line.plain) && !is_heading_text(&line.plain))
        {
            // A list that renders no marker (LibreOffice's outline numbering, numFmt none)
            // counts like no list: the running number is ours.
            let numbered = line
                .marker
                .as_ref()
                .filter(|m| !m.bullet && !m.text.trim().is_empty());
            let number = match numbered {
                Some(m) => m.number,
                None => counters[sl as usize] + 1,
            };
            let text = format!("{}{}", canonical_marker(sl, number), line.plain);
            let level = classify_paragraph(&text).level;
            let source = if numbered.is_some() {
                LevelSource::Numbering
            } else {
                added += 1;
                LevelSource::Style
            };
            (text, level, source, Some(number))
        } else {
            (
                line.text.clone(),
                ParagraphLevel::Body,
                LevelSource::None,
                None,
            )
        };
        if let (Some(depth), Some(num)) = (level.depth(), number) {
            counters[depth] = num;
            for deeper in counters.iter_mut().skip(depth + 1) {
                *deeper = 0;
            }
        }
        let source = if level == ParagraphLevel::Body {
            LevelSource::None
        } else {
            source
        };
        fields.body.push(text);
        levels.push(BodyLevel { level, source });
    }
    if added > 0 {
        notices.push(format!(
            "有 {added} 个标题是用 Word 标题样式排的、没有序号，已按层级补上序号（一、/（一）/1./（1）），请核对。"
        ));
    }
    if left_out.revisions > 0 {
        notices.push("修订已按“接受全部修订”处理：插入的文字保留，删除的文字没有导入。".into());
    }
    if !pictures_after.is_empty() {
        let places: Vec<String> = pictures_after
            .iter()
            .map(|&n| {
                if n == 0 {
                    "正文开头".to_string()
                } else {
                    format!("第{n}段之后")
                }
            })
            .collect();
        notices.push(format!(
            "正文中有 {} 张图片（{}）没有导入：公文正文一般不插图，如需要请作为附件，或放入解读材料的图解。",
            pictures_after.len(),
            places.join("、")
        ));
    }
    if seen.text_boxes > 0 {
        notices.push(format!(
            "已读取 {} 个文本框中的文字（红头、版记常放在文本框里），请核对发文机关标志和版记。",
            seen.text_boxes
        ));
    }
    if seen.bullets > 0 {
        notices.push(format!(
            "有 {} 个项目符号列表项，公文正文不用项目符号，已去掉符号，请核对层次（可改为“1.”“（1）”）。",
            seen.bullets
        ));
    }
    if unwrapped_rows > 0 {
        notices.push(format!(
            "正文排在表格里（{unwrapped_rows} 个整行的单元格），已拆成段落导入；表格中的数据表仍作为表格，请核对。"
        ));
    }
    if !fields.tables.is_empty() {
        notices.push(format!(
            "正文中有 {} 个表格，已按表格导入（合并单元格保留），请在“正文”的表格中核对。",
            fields.tables.len()
        ));
    }

    // 文种 from the title, only where it is unambiguous.
    let title = fields.title.trim_end_matches(['）', ')']);
    if title.ends_with("请示") {
        fields.doc_type = DocType::Request;
    } else if title.ends_with("报告") && !fields.signers.is_empty() {
        fields.doc_type = DocType::Report;
    } else if title.ends_with("通知") {
        fields.doc_type = DocType::Notice;
    }

    missing_elements(&fields, &mut notices);

    Imported {
        fields,
        levels,
        tables: grid,
        images,
        outside_body: outside,
        left_out,
        notices,
    }
}

/// `（此页无正文）` in any bracket and spacing.
fn no_text_page(s: &str) -> bool {
    let c: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(c.as_str(), "（此页无正文）" | "(此页无正文)")
}

/// What the 版头 and the 落款 said about who issues the document.
pub(crate) struct Head {
    marks: Vec<(Vec<String>, MarkKind, String)>,
    header_issuer: Option<(String, Option<NaiveDate>)>,
    number_right: bool,
    /// The 署名 right above the 成文日期 (or on its line).
    signature: Option<String>,
    /// 联合行文: the issuers stacked above the `signature`, top first.
    co_signatures: Vec<String>,
}

/// Sets the issuers, the layout and, for a 令, the signatory, from the 版头 and the 落款; never
/// from anything else (the clerk's unit is filled in by the caller, with a notice).
fn settle_issuers(fields: &mut DocFields, notices: &mut Vec<String>, head: Head) {
    let kind = head
        .marks
        .iter()
        .map(|m| m.1)
        .find(|k| *k != MarkKind::Name)
        .or_else(|| head.marks.first().map(|m| m.1));
    let mark_text = head
        .marks
        .iter()
        .find(|m| Some(m.1) == kind)
        .map(|m| m.2.clone());
    let mark_issuers: Vec<String> = if kind == Some(MarkKind::Minutes) {
        Vec::new()
    } else {
        head.marks
            .iter()
            .flat_map(|m| m.0.iter().cloned())
            .filter(|n| !n.is_empty())
            .collect()
    };
    let title = fields.title.trim().to_string();
    fields.format = match kind {
        Some(MarkKind::Order) => DocFormat::Order,
        Some(MarkKind::Minutes) => DocFormat::Minutes,
        Some(MarkKind::Announcement) => DocFormat::Announcement,
        Some(MarkKind::Name) if head.number_right || title.ends_with('函') => DocFormat::Letter,
        Some(_) => DocFormat::File,
        None if title.ends_with("公告") || title.ends_with("通告") => DocFormat::Announcement,
        None if title.ends_with('函') && title.starts_with("关于") => DocFormat::Letter,
        None => DocFormat::File,
    };
    let mut signed: Vec<String> = head.co_signatures;
    if let Some(s) = head.signature {
        signed.push(s);
    }
    let issuers: Vec<String> = if fields.format == DocFormat::Order {
        // A 令 is signed by the office holder (“市长 张三”): the signatory, not an issuer.
        fields.signers = std::mem::take(&mut signed);
        mark_issuers
    } else if signed.len() >= mark_issuers.len() && !signed.is_empty() {
        signed
    } else if !mark_issuers.is_empty() {
        mark_issuers
    } else {
        head.header_issuer
            .as_ref()
            .map(|h| vec![h.0.clone()])
            .unwrap_or_default()
    };
    if fields.date_written.is_none() {
        fields.date_written = head.header_issuer.and_then(|h| h.1);
    }
    // The 标志 as written, when one line gives it (joint marks are made from the issuers).
    if head.marks.len() == 1 {
        if let Some(m) = &mark_text {
            fields.mark = m.clone();
        }
    }
    let mut it = issuers.into_iter();
    fields.issuing_authority = it.next().unwrap_or_default();
    fields.co_issuers = it.collect();
    if fields.title.is_empty() {
        if let Some(m) = mark_text.filter(|_| {
            matches!(
                fields.format,
                DocFormat::Order | DocFormat::Minutes | DocFormat::Announcement
            )
        }) {
            fields.title = m;
            notices.retain(|n| !n.starts_with("没有识别出标题"));
        }
    }
    if fields.format != DocFormat::File || !fields.co_issuers.is_empty() {
        let joint = if fields.co_issuers.is_empty() {
            String::new()
        } else {
            format!("，联合行文（{}）", fields.issuers().join("、"))
        };
        notices.push(format!(
            "按源文件识别为{}{joint}；如不对，请在“版式”中更改。",
            fields.format.label()
        ));
    }
}

/// Names the elements the source does not give (they are left empty, never made up) and the
/// template placeholders still in it.
fn missing_elements(fields: &DocFields, notices: &mut Vec<String>) {
    let mut missing = Vec::new();
    if matches!(fields.format, DocFormat::File | DocFormat::Letter)
        && fields.doc_number.trim().is_empty()
    {
        missing.push("发文字号");
    }
    if fields.date_written.is_none() && fields.date_text.trim().is_empty() {
        missing.push("成文日期");
    }
    if fields.format == DocFormat::File
        && fields.printing_office.trim().is_empty()
        && fields.printed_on.is_none()
    {
        missing.push("版记（印发机关、印发日期）");
    }
    if !missing.is_empty() {
        notices.push(format!(
            "源文件没有{}，已留空，请补填。",
            missing.join("、")
        ));
    }
    let found = gongkai_core::placeholders(fields);
    if !found.is_empty() {
        let mut shown: Vec<String> = Vec::new();
        for p in &found {
            let s = format!(
                "{}“{}”",
                gongkai_core::validate::field_label(&p.field),
                p.text
            );
            if !shown.contains(&s) && shown.len() < 6 {
                shown.push(s);
            }
        }
        notices.push(format!(
            "有 {} 处模板占位内容尚未填写（{}），送审签前须改为实际内容。",
            found.len(),
            shown.join("、")
        ));
    }
}
