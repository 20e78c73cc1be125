//! Paragraph and character styles: headings, titles, hidden text and sizes through `basedOn`.

use super::*;

#[derive(Debug, Clone, Default)]
pub(crate) struct StyleDef {
    pub(crate) name: String,
    pub(crate) based_on: Option<String>,
    pub(crate) outline: Option<i64>,
    pub(crate) jc: Option<String>,
    pub(crate) sz: Option<u32>,
    pub(crate) vanish: Option<bool>,
    pub(crate) num_id: Option<i64>,
    pub(crate) ilvl: Option<i64>,
}

/// A style with its `basedOn` chain folded in.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolved {
    /// 1–9 for a heading level; `Some(0)` for an explicit body-text outline level.
    pub(crate) heading: Option<u8>,
    pub(crate) title: bool,
    pub(crate) jc: Option<String>,
    pub(crate) sz: Option<u32>,
    pub(crate) vanish: Option<bool>,
    pub(crate) num_id: Option<i64>,
    pub(crate) ilvl: Option<i64>,
}

#[derive(Debug, Default)]
pub(crate) struct Styles {
    pub(crate) resolved: HashMap<String, Resolved>,
    pub(crate) default_para: Option<String>,
    pub(crate) default_sz: Option<u32>,
    pub(crate) default_vanish: Option<bool>,
}

/// `heading 2`, `Heading2`, `标题 2` → 2.
pub(crate) fn heading_from_name(name: &str) -> Option<u8> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let digits = n
        .strip_prefix("heading")
        .or_else(|| n.strip_prefix("标题"))?;
    match digits.parse::<u8>() {
        Ok(d @ 1..=9) => Some(d),
        _ => None,
    }
}

pub(crate) fn is_title_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    n == "title" || n == "标题"
}

impl Styles {
    pub(crate) fn parse(text: &str) -> Result<Self, ImportError> {
        const PART: &str = "word/styles.xml";
        let mut defs: HashMap<String, StyleDef> = HashMap::new();
        let mut styles = Styles::default();
        let mut cur: Option<(String, StyleDef)> = None;
        let (mut in_ppr, mut in_rpr, mut in_numpr, mut in_defaults) = (false, false, false, false);
        walk(text, PART, |x| {
            let (e, is_start) = match x {
                Xml::Open { e, start, .. } => (e, start),
                Xml::Close { name, .. } => {
                    match name {
                        b"style" => {
                            if let Some((id, def)) = cur.take() {
                                defs.entry(id).or_insert(def);
                            }
                        }
                        b"pPr" => in_ppr = false,
                        b"rPr" => in_rpr = false,
                        b"numPr" => in_numpr = false,
                        b"docDefaults" => in_defaults = false,
                        _ => {}
                    }
                    return None;
                }
                Xml::Skipped { .. } | Xml::Text { .. } => return None,
            };
            let name = e.local_name();
            match name.as_ref() {
                b"pPrChange" | b"rPrChange" | b"tblStylePr" | b"tblPr" | b"trPr" | b"tcPr"
                    if is_start =>
                {
                    return Some(());
                }
                b"docDefaults" => in_defaults = is_start,
                b"style" => {
                    let id = attr(e, b"styleId").unwrap_or_default();
                    let is_para = attr(e, b"type").as_deref() == Some("paragraph");
                    if is_para && attr(e, b"default").is_some_and(|d| d == "1" || d == "true") {
                        styles.default_para.get_or_insert(id.clone());
                    }
                    if is_start {
                        cur = Some((id, StyleDef::default()));
                    } else {
                        defs.entry(id).or_default();
                    }
                }
                b"pPr" => in_ppr = is_start,
                b"rPr" => in_rpr = is_start,
                b"numPr" => in_numpr = is_start && in_ppr,
                b"name" => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.name = val(e).unwrap_or_default();
                    }
                }
                b"basedOn" => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.based_on = val(e);
                    }
                }
                b"outlineLvl" if in_ppr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.outline = val_int(e);
                    }
                }
                b"jc" if in_ppr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.jc = val(e);
                    }
                }
                b"numId" if in_numpr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.num_id = val_int(e);
                    }
                }
                b"ilvl" if in_numpr => {
                    if let Some((_, d)) = cur.as_mut() {
                        d.ilvl = val_int(e);
                    }
                }
                b"sz" if in_rpr => {
                    let sz = val_int(e).and_then(|v| u32::try_from(v).ok());
                    if let Some((_, d)) = cur.as_mut() {
                        d.sz = sz;
                    } else if in_defaults {
                        styles.default_sz = sz;
                    }
                }
                b"vanish" | b"specVanish" if in_rpr => {
                    let v = on_off(e);
                    if let Some((_, d)) = cur.as_mut() {
                        d.vanish = Some(v);
                    } else if in_defaults {
                        styles.default_vanish = Some(v);
                    }
                }
                _ => {}
            }
            None
        })?;
        for id in defs.keys() {
            styles.resolved.insert(id.clone(), resolve_style(&defs, id));
        }
        Ok(styles)
    }

    pub(crate) fn get(&self, id: Option<&str>) -> Option<&Resolved> {
        let id = id.or(self.default_para.as_deref())?;
        self.resolved.get(id)
    }
}

pub(crate) fn resolve_style(defs: &HashMap<String, StyleDef>, id: &str) -> Resolved {
    let mut out = Resolved::default();
    let mut heading_done = false;
    let mut seen = HashSet::new();
    let mut next = Some(id);
    while let Some(cur) = next {
        if !seen.insert(cur) || seen.len() > 32 {
            break;
        }
        let Some(d) = defs.get(cur) else { break };
        if !heading_done {
            if let Some(o) = d.outline {
                out.heading = Some(if (0..9).contains(&o) { o as u8 + 1 } else { 0 });
                heading_done = true;
            } else if let Some(h) = heading_from_name(&d.name) {
                out.heading = Some(h);
                heading_done = true;
            }
        }
        out.title |= is_title_name(&d.name);
        if out.jc.is_none() {
            out.jc = d.jc.clone();
        }
        out.sz = out.sz.or(d.sz);
        out.vanish = out.vanish.or(d.vanish);
        out.num_id = out.num_id.or(d.num_id);
        out.ilvl = out.ilvl.or(d.ilvl);
        next = d.based_on.as_deref();
    }
    out
}
