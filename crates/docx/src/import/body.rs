//! document.xml into blocks: runs and paragraphs (tracked changes accepted, hidden text and
//! field codes dropped), tables, and the paragraphs of text boxes.

use super::*;

/// A paragraph of document.xml as read, before the GB/T 9704 elements are told apart.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    /// As it reads: the numbering marker (if any) and the text, trimmed.
    pub(crate) text: String,
    /// The text without the numbering marker, trimmed.
    pub(crate) plain: String,
    pub(crate) marker: Option<Marker>,
    /// 1–9 from a heading style or outline level.
    pub(crate) style_level: Option<u8>,
    pub(crate) title_style: bool,
    pub(crate) centered: bool,
    /// Largest font size of its text, in half-points (0 when unknown).
    pub(crate) size: u32,
    /// A table row (cells joined by tabs).
    pub(crate) row: bool,
    /// Right-aligned (`jc` right or end).
    pub(crate) right: bool,
    /// Read from a text box, a WordArt shape or a page header: where templates keep the
    /// 发文机关标志 and the 版记.
    pub(crate) shape: bool,
    /// A row of data table `k` (after layout rows were unwrapped).
    pub(crate) table: Option<usize>,
}

#[derive(Default)]
pub(crate) struct ParaB {
    pub(crate) text: String,
    pub(crate) style: Option<String>,
    pub(crate) num_id: Option<i64>,
    pub(crate) ilvl: Option<i64>,
    pub(crate) outline: Option<i64>,
    pub(crate) jc: Option<String>,
    pub(crate) mark_deleted: bool,
    pub(crate) size: u32,
    pub(crate) hidden_run: bool,
}

#[derive(Default)]
pub(crate) struct RunB {
    pub(crate) text: String,
    pub(crate) style: Option<String>,
    pub(crate) vanish: Option<bool>,
    pub(crate) sz: Option<u32>,
}

/// What a table cell holds, in order.
#[derive(Debug, Clone)]
pub(crate) enum CellItem {
    Para(String),
    Table(ParsedTable),
}

/// A table cell as read: its paragraphs and nested tables, its grid span and vertical merge.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellB {
    pub(crate) items: Vec<CellItem>,
    pub(crate) span: u32,
    pub(crate) merge: gongkai_core::VMerge,
    pub(crate) middle: bool,
}

impl CellB {
    /// The cell's text: paragraphs one per line, a nested table's rows as lines of tab-separated
    /// cells.
    pub(crate) fn text(&self) -> String {
        let mut lines = Vec::new();
        for item in &self.items {
            match item {
                CellItem::Para(p) => lines.push(p.clone()),
                CellItem::Table(t) => {
                    for row in &t.rows {
                        let cells: Vec<String> = row
                            .iter()
                            .map(|c| c.text().replace(['\n', '\t'], " "))
                            .collect();
                        lines.push(cells.join("\t"));
                    }
                }
            }
        }
        lines.join("\n")
    }

    /// Paragraphs directly in the cell.
    pub(crate) fn paragraphs(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, CellItem::Para(_)))
            .count()
    }
}

/// Rows of cells.
pub(crate) type TableRows = Vec<Vec<CellB>>;

/// A table as read: its rows and its grid (the column widths in twips, from `w:tblGrid`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ParsedTable {
    pub(crate) rows: TableRows,
    pub(crate) grid: Vec<u32>,
}

#[derive(Default)]
pub(crate) struct TableB {
    pub(crate) rows: TableRows,
    pub(crate) grid: Vec<u32>,
    pub(crate) in_grid: bool,
    pub(crate) row: Option<(Vec<CellB>, bool)>,
    pub(crate) cell: Option<CellB>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    /// Deleted or irrelevant content: nothing inside is read or counted.
    Drop,
    /// A drawing/picture/object: text boxes inside are counted.
    Drawing,
    /// Table/section properties: revisions inside are counted.
    Props,
}

pub(crate) enum Block {
    Line(Line),
    Table(usize),
    /// A picture (DrawingML `a:blip` or VML `v:imagedata`) where it is anchored.
    Image,
}

/// What document.xml yields: the blocks in order, the tables they point into, the counts.
pub(crate) type Parsed = (Vec<Block>, Vec<ParsedTable>, Counts);

#[derive(Default)]
pub(crate) struct Counts {
    pub(crate) revisions: usize,
    pub(crate) hidden: usize,
    pub(crate) footnotes: usize,
    pub(crate) endnotes: usize,
    pub(crate) text_boxes: usize,
    /// Bulleted list items whose bullet was dropped.
    pub(crate) bullets: usize,
    pub(crate) objects: usize,
    pub(crate) comment_refs: HashSet<String>,
}

pub(crate) struct DocParser<'s> {
    pub(crate) styles: &'s Styles,
    pub(crate) numbering: &'s mut Numbering,
    pub(crate) blocks: Vec<Block>,
    pub(crate) tables: Vec<ParsedTable>,
    pub(crate) counts: Counts,
    pub(crate) paras: Vec<ParaB>,
    pub(crate) run: Option<RunB>,
    pub(crate) open_tables: Vec<TableB>,
    /// Per open field: still in its instruction part.
    pub(crate) fields: Vec<bool>,
    /// Text of paragraphs whose mark was deleted, to be joined to the next paragraph.
    pub(crate) pending: String,
    pub(crate) in_ppr: bool,
    pub(crate) in_rpr: bool,
    pub(crate) in_numpr: bool,
    pub(crate) in_trpr: bool,
    pub(crate) in_tcpr: bool,
    /// The depth of the open `w:t` whose direct text is read; text anywhere else is not.
    pub(crate) t_depth: Option<usize>,
    /// The element depth of the event being handled.
    pub(crate) depth: usize,
    /// Open text boxes, innermost last: what the paragraph around each was in the middle of.
    pub(crate) boxes: Vec<BoxFrame>,
    /// Open drawings and pictures (outside any text box inside them): nothing in them is text
    /// of the document but a text box's content or a WordArt string (DrawingML `a:t` in a
    /// chart or a picture's description is not).
    pub(crate) opaque: usize,
}

/// The state of the paragraph a text box is anchored in, put aside while the box is read.
pub(crate) struct BoxFrame {
    pub(crate) depth: usize,
    pub(crate) run: Option<RunB>,
    pub(crate) fields: Vec<bool>,
    pub(crate) pending: String,
    pub(crate) opaque: usize,
}

impl<'s> DocParser<'s> {
    pub(crate) fn parse(
        text: &str,
        part: &str,
        styles: &'s Styles,
        numbering: &'s mut Numbering,
    ) -> Result<Parsed, ImportError> {
        let mut p = DocParser {
            styles,
            numbering,
            blocks: Vec::new(),
            tables: Vec::new(),
            counts: Counts::default(),
            paras: Vec::new(),
            run: None,
            open_tables: Vec::new(),
            fields: Vec::new(),
            pending: String::new(),
            in_ppr: false,
            in_rpr: false,
            in_numpr: false,
            in_trpr: false,
            in_tcpr: false,
            t_depth: None,
            depth: 0,
            boxes: Vec::new(),
            opaque: 0,
        };
        walk(text, part, |x| match x {
            Xml::Open { e, start, depth } => {
                if start {
                    p.depth = depth;
                }
                p.start(e, start)
            }
            Xml::Skipped { e, kind } => {
                p.count_in_skip(e, kind);
                None
            }
            Xml::Close { name, depth } => {
                if p.boxes.last().is_some_and(|b| b.depth == depth) {
                    p.close_box();
                }
                p.end(name);
                None
            }
            Xml::Text { text, depth } => {
                if p.t_depth == Some(depth) {
                    if let Some(run) = p.run.as_mut() {
                        run.text.push_str(text);
                    }
                }
                None
            }
        })?;
        // Unclosed structures in a well-formed but odd document: keep what was read.
        while !p.paras.is_empty() {
            p.end_paragraph();
        }
        while !p.open_tables.is_empty() {
            p.end_table();
        }
        p.flush_pending();
        Ok((p.blocks, p.tables, p.counts))
    }

    /// Counts what is left out inside a skipped subtree (mc:Fallback, a duplicate of
    /// mc:Choice, is a [`Skip::Drop`] and so never counted twice).
    pub(crate) fn count_in_skip(&mut self, e: &BytesStart<'_>, kind: Skip) {
        let name = e.local_name();
        if kind == Skip::Props
            && matches!(
                name.as_ref(),
                b"tblPrChange"
                    | b"tcPrChange"
                    | b"trPrChange"
                    | b"sectPrChange"
                    | b"tblGridChange"
                    | b"cellIns"
                    | b"cellDel"
                    | b"cellMerge"
            )
        {
            self.counts.revisions += 1;
        }
    }

    /// Handles a start (or empty) element; returns how to skip its subtree, if it is skipped.
    pub(crate) fn start(&mut self, e: &BytesStart<'_>, is_start: bool) -> Option<Skip> {
        let name = e.local_name();
        let name = name.as_ref();
        // Properties of the paragraph mark, the run and the row.
        if self.in_ppr {
            if let Some(para) = self.paras.last_mut() {
                if self.in_rpr {
                    // The paragraph mark's run properties: a deleted (or moved-away) mark joins
                    // the paragraph with the next one.
                    match name {
                        b"del" | b"moveFrom" => {
                            para.mark_deleted = true;
                            self.counts.revisions += 1;
                        }
                        b"ins" | b"moveTo" | b"rPrChange" => self.counts.revisions += 1,
                        _ => {}
                    }
                    return is_start.then_some(Skip::Drop);
                }
                match name {
                    b"pStyle" => para.style = val(e),
                    b"numPr" => self.in_numpr = is_start,
                    b"ilvl" if self.in_numpr => para.ilvl = val_int(e),
                    b"numId" if self.in_numpr => para.num_id = val_int(e),
                    b"ins" if self.in_numpr => self.counts.revisions += 1,
                    b"outlineLvl" => para.outline = val_int(e),
                    b"jc" => para.jc = val(e),
                    b"rPr" => self.in_rpr = is_start,
                    b"pPrChange" => {
                        self.counts.revisions += 1;
                        return is_start.then_some(Skip::Drop);
                    }
                    b"sectPr" => return is_start.then_some(Skip::Props),
                    _ => {}
                }
                return None;
            }
        }
        if self.in_rpr {
            if let Some(run) = self.run.as_mut() {
                match name {
                    b"rStyle" => run.style = val(e),
                    b"vanish" | b"specVanish" => run.vanish = Some(on_off(e)),
                    b"sz" => run.sz = val_int(e).and_then(|v| u32::try_from(v).ok()),
                    b"rPrChange" => {
                        self.counts.revisions += 1;
                        return is_start.then_some(Skip::Drop);
                    }
                    _ => {}
                }
            }
            return None;
        }
        if self.in_tcpr {
            match name {
                b"gridSpan" => {
                    let span = val_int(e).and_then(|v| u32::try_from(v).ok()).unwrap_or(1);
                    if let Some(c) = self.open_tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        c.span = span.clamp(1, 64);
                    }
                }
                b"vMerge" => {
                    // `restart` starts a merged block; no value (or `continue`) continues it.
                    let merge = match val(e).as_deref() {
                        Some("restart") => gongkai_core::VMerge::Start,
                        _ => gongkai_core::VMerge::Continue,
                    };
                    if let Some(c) = self.open_tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        c.merge = merge;
                    }
                }
                b"vAlign" => {
                    if let Some(c) = self.open_tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        c.middle = val(e).as_deref() == Some("center");
                    }
                }
                b"cellIns" | b"cellDel" | b"cellMerge" => self.counts.revisions += 1,
                b"tcPrChange" => {
                    self.counts.revisions += 1;
                    return is_start.then_some(Skip::Drop);
                }
                _ => {}
            }
            return None;
        }
        if self.in_trpr {
            match name {
                b"del" => {
                    self.counts.revisions += 1;
                    if let Some((_, deleted)) =
                        self.open_tables.last_mut().and_then(|t| t.row.as_mut())
                    {
                        *deleted = true;
                    }
                }
                b"ins" => self.counts.revisions += 1,
                b"trPrChange" => {
                    self.counts.revisions += 1;
                    return is_start.then_some(Skip::Drop);
                }
                _ => {}
            }
            return None;
        }
        if self.opaque > 0 {
            match name {
                b"txbxContent" if is_start => self.open_box(),
                b"drawing" | b"pict" if is_start => self.opaque += 1,
                b"textpath" => self.word_art(e),
                b"blip" | b"imagedata" if self.open_tables.is_empty() => {
                    self.blocks.push(Block::Image)
                }
                _ => {}
            }
            return None;
        }
        match name {
            b"p" if is_start => self.paras.push(ParaB::default()),
            b"pPr" => self.in_ppr = is_start && !self.paras.is_empty(),
            b"r" if is_start => self.run = Some(RunB::default()),
            b"rPr" => self.in_rpr = is_start && self.run.is_some(),
            b"t" => {
                self.t_depth = (is_start && self.run.is_some()).then_some(self.depth);
            }
            b"tab" | b"ptab" => self.push_char('\t'),
            b"br" if !matches!(attr(e, b"type").as_deref(), Some("page" | "column")) => {
                self.push_char('\n');
            }
            b"cr" => self.push_char('\n'),
            b"noBreakHyphen" => self.push_char('-'),
            b"sym" => {
                let c = attr(e, b"char")
                    .and_then(|h| u32::from_str_radix(h.trim(), 16).ok())
                    .filter(|c| !(0xE000..=0xF8FF).contains(c))
                    .and_then(char::from_u32);
                if let Some(c) = c {
                    self.push_char(c);
                }
            }
            b"ins" | b"moveTo" => self.counts.revisions += 1,
            b"del" | b"moveFrom" => {
                self.counts.revisions += 1;
                return is_start.then_some(Skip::Drop);
            }
            b"delText" | b"delInstrText" | b"instrText" | b"sdtPr" | b"sdtEndPr" | b"rt"
            | b"customXmlPr" | b"smartTagPr" => {
                return is_start.then_some(Skip::Drop);
            }
            b"Fallback" => return is_start.then_some(Skip::Drop),
            // Text boxes (DrawingML `wps:txbx` and VML `v:textbox` both hold a
            // `w:txbxContent`; mc:Fallback, the VML copy of a DrawingML shape, is dropped above).
            b"drawing" | b"pict" if is_start => self.opaque += 1,
            b"object" => {
                self.counts.objects += 1;
                return is_start.then_some(Skip::Drawing);
            }
            b"tblGrid" => {
                if let Some(t) = self.open_tables.last_mut() {
                    t.in_grid = is_start;
                }
            }
            b"gridCol" => {
                if let Some(t) = self.open_tables.last_mut().filter(|t| t.in_grid) {
                    let w = attr(e, b"w").and_then(|v| v.trim().parse::<f64>().ok());
                    t.grid.push(w.map_or(0, |w| w.clamp(0.0, 100_000.0) as u32));
                }
            }
            b"tblGridChange" => {
                self.counts.revisions += 1;
                return is_start.then_some(Skip::Drop);
            }
            b"tcPr" => {
                self.in_tcpr = is_start && self.open_tables.last().is_some_and(|t| t.cell.is_some())
            }
            b"sectPr" | b"tblPr" | b"tblPrEx" => {
                return is_start.then_some(Skip::Props);
            }
            b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            b"footnoteReference" => self.counts.footnotes += 1,
            b"endnoteReference" => self.counts.endnotes += 1,
            b"commentReference" | b"commentRangeStart" => {
                if let Some(id) = attr(e, b"id") {
                    self.counts.comment_refs.insert(id);
                }
            }
            b"tbl" if is_start => {
                self.flush_pending();
                self.open_tables.push(TableB::default());
            }
            b"tr" => {
                if let (true, Some(t)) = (is_start, self.open_tables.last_mut()) {
                    t.row = Some((Vec::new(), false));
                }
            }
            b"trPr" => self.in_trpr = is_start,
            b"tc" => {
                if let (true, Some(t)) = (is_start, self.open_tables.last_mut()) {
                    t.cell = Some(CellB {
                        span: 1,
                        ..CellB::default()
                    });
                }
            }
            _ => {}
        }
        None
    }

    /// A text box starts inside a run of a paragraph: that run, the open fields and any
    /// deleted-mark text wait until the box ends.
    pub(crate) fn open_box(&mut self) {
        self.counts.text_boxes += 1;
        self.boxes.push(BoxFrame {
            depth: self.depth,
            run: self.run.take(),
            fields: std::mem::take(&mut self.fields),
            pending: std::mem::take(&mut self.pending),
            opaque: std::mem::take(&mut self.opaque),
        });
        self.t_depth = None;
        self.in_rpr = false;
    }

    pub(crate) fn close_box(&mut self) {
        self.flush_pending();
        if let Some(frame) = self.boxes.pop() {
            self.run = frame.run;
            self.fields = frame.fields;
            self.pending = frame.pending;
            self.opaque = frame.opaque;
        }
        self.t_depth = None;
        self.in_rpr = false;
    }

    /// WordArt (VML `v:textpath`): its text is an attribute.
    pub(crate) fn word_art(&mut self, e: &BytesStart<'_>) {
        if let Some(text) = attr(e, b"string").filter(|t| !t.trim().is_empty()) {
            let plain = text.trim().to_string();
            self.counts.text_boxes += 1;
            self.blocks.push(Block::Line(Line {
                text: plain.clone(),
                plain,
                centered: true,
                shape: true,
                ..Line::default()
            }));
        }
    }

    pub(crate) fn push_char(&mut self, c: char) {
        if let Some(run) = self.run.as_mut() {
            run.text.push(c);
        }
    }

    pub(crate) fn end(&mut self, name: &[u8]) {
        if self.opaque > 0 {
            // Inside a drawing only its own nesting counts (DrawingML has `a:p`, `a:r`, `a:t`).
            if matches!(name, b"drawing" | b"pict") {
                self.opaque -= 1;
            }
            return;
        }
        match name {
            b"pPr" => {
                self.in_ppr = false;
                self.in_rpr = false;
                self.in_numpr = false;
            }
            b"numPr" => self.in_numpr = false,
            b"rPr" => self.in_rpr = false,
            b"trPr" => self.in_trpr = false,
            b"tcPr" => self.in_tcpr = false,
            b"tblGrid" => {
                if let Some(t) = self.open_tables.last_mut() {
                    t.in_grid = false;
                }
            }
            b"t" => self.t_depth = None,
            b"r" => self.end_run(),
            b"p" => self.end_paragraph(),
            b"tc" => {
                self.flush_pending();
                if let Some(t) = self.open_tables.last_mut() {
                    if let Some(cell) = t.cell.take() {
                        if let Some((cells, _)) = t.row.as_mut() {
                            cells.push(cell);
                        }
                    }
                }
            }
            b"tr" => {
                if let Some(t) = self.open_tables.last_mut() {
                    if let Some((cells, deleted)) = t.row.take() {
                        if !deleted {
                            t.rows.push(cells);
                        }
                    }
                }
            }
            b"tbl" => self.end_table(),
            _ => {}
        }
    }

    pub(crate) fn end_run(&mut self) {
        self.t_depth = None;
        self.in_rpr = false;
        let Some(run) = self.run.take() else { return };
        let Some(para) = self.paras.last_mut() else {
            return;
        };
        if run.text.is_empty() {
            return;
        }
        if self.fields.iter().any(|&instr| instr) {
            return;
        }
        let pstyle = self.styles.get(para.style.as_deref());
        let rstyle = run
            .style
            .as_deref()
            .and_then(|s| self.styles.resolved.get(s));
        let hidden = run
            .vanish
            .or_else(|| rstyle.and_then(|s| s.vanish))
            .or_else(|| pstyle.and_then(|s| s.vanish))
            .or(self.styles.default_vanish)
            .unwrap_or(false);
        if hidden {
            if !run.text.trim().is_empty() {
                if !para.hidden_run {
                    self.counts.hidden += 1;
                }
                para.hidden_run = true;
            }
            return;
        }
        if !run.text.trim().is_empty() {
            para.hidden_run = false;
            let sz = run
                .sz
                .or_else(|| rstyle.and_then(|s| s.sz))
                .or_else(|| pstyle.and_then(|s| s.sz))
                .or(self.styles.default_sz)
                .unwrap_or(0);
            para.size = para.size.max(sz);
        }
        para.text.push_str(&run.text);
    }

    pub(crate) fn end_paragraph(&mut self) {
        self.in_ppr = false;
        self.in_rpr = false;
        self.in_numpr = false;
        if self.run.is_some() {
            self.end_run();
        }
        // A field's instruction never spans paragraphs in practice; do not let an unbalanced
        // one swallow the rest of the document.
        for f in self.fields.iter_mut() {
            *f = false;
        }
        let Some(para) = self.paras.pop() else { return };
        if para.mark_deleted {
            self.pending.push_str(&para.text);
            return;
        }
        let mut text = std::mem::take(&mut self.pending);
        text.push_str(&para.text);
        let style = self.styles.get(para.style.as_deref());
        // Numbering: direct numPr first (numId 0 removes it), then the style's.
        let num_id = para.num_id.or_else(|| style.and_then(|s| s.num_id));
        let marker = match num_id {
            Some(id) if id != 0 => {
                let ilvl = para
                    .ilvl
                    .or_else(|| {
                        if para.num_id.is_some() {
                            None
                        } else {
                            style.and_then(|s| s.ilvl)
                        }
                    })
                    .and_then(|i| usize::try_from(i).ok())
                    .or_else(|| self.numbering.level_for_style(id, para.style.as_deref()))
                    .unwrap_or(0);
                self.numbering.next(id, ilvl)
            }
            _ => None,
        };
        let style_level = match para.outline {
            Some(o) if (0..9).contains(&o) => Some(o as u8 + 1),
            Some(_) => None,
            None => style.and_then(|s| s.heading).filter(|&h| h > 0),
        };
        let jc = para.jc.as_deref().or(style.and_then(|s| s.jc.as_deref()));
        let plain = text.trim().to_string();
        if marker.as_ref().is_some_and(|m| m.bullet) && !plain.is_empty() {
            self.counts.bullets += 1;
        }
        let shown = match &marker {
            Some(m) if !m.bullet && !m.text.trim().is_empty() => {
                let sep = if m.tight || plain.is_empty() {
                    ""
                } else {
                    "\u{3000}"
                };
                format!("{}{sep}{plain}", m.text.trim())
            }
            _ => plain.clone(),
        };
        let line = Line {
            text: shown,
            plain,
            marker,
            style_level,
            title_style: style.is_some_and(|s| s.title),
            centered: jc == Some("center"),
            size: if para.size > 0 {
                para.size
            } else {
                style
                    .and_then(|s| s.sz)
                    .or(self.styles.default_sz)
                    .unwrap_or(0)
            },
            row: false,
            right: matches!(jc, Some("right" | "end")),
            shape: !self.boxes.is_empty(),
            table: None,
        };
        if let Some(cell) = self.open_tables.last_mut().and_then(|t| t.cell.as_mut()) {
            if !line.text.is_empty() {
                cell.items.push(CellItem::Para(line.text));
            }
        } else if !line.text.is_empty() {
            self.blocks.push(Block::Line(line));
        }
    }

    pub(crate) fn flush_pending(&mut self) {
        if self.pending.trim().is_empty() {
            self.pending.clear();
            return;
        }
        let text = std::mem::take(&mut self.pending).trim().to_string();
        if let Some(cell) = self.open_tables.last_mut().and_then(|t| t.cell.as_mut()) {
            cell.items.push(CellItem::Para(text));
        } else {
            self.blocks.push(Block::Line(Line {
                plain: text.clone(),
                text,
                shape: !self.boxes.is_empty(),
                ..Line::default()
            }));
        }
    }

    pub(crate) fn end_table(&mut self) {
        let Some(t) = self.open_tables.pop() else {
            return;
        };
        let mut rows = t.rows;
        if let Some((cells, false)) = t.row {
            rows.push(cells);
        }
        if let Some(outer) = self.open_tables.last_mut().and_then(|o| o.cell.as_mut()) {
            // A nested table stays a table inside the outer cell.
            if !rows.is_empty() {
                outer
                    .items
                    .push(CellItem::Table(ParsedTable { rows, grid: t.grid }));
            }
            return;
        }
        if rows.is_empty() {
            return;
        }
        self.tables.push(ParsedTable { rows, grid: t.grid });
        self.blocks.push(Block::Table(self.tables.len() - 1));
    }
}
