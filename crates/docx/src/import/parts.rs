//! Relationships, content types and the parts that are only counted or listed (properties,
//! comments, headers and footers).

use super::*;

pub(crate) struct Rel {
    pub(crate) kind: String,
    pub(crate) target: String,
    pub(crate) external: bool,
}

pub(crate) fn parse_rels(text: &str) -> Vec<Rel> {
    let mut rels = Vec::new();
    scan_lenient(text, |item| {
        if let XmlItem::Start(e, _) = item {
            if e.local_name().as_ref() == b"Relationship" {
                let kind = attr(e, b"Type").unwrap_or_default();
                let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                rels.push(Rel {
                    kind,
                    target: attr(e, b"Target").unwrap_or_default(),
                    external: attr(e, b"TargetMode").is_some_and(|m| m == "External"),
                });
            }
        }
    });
    rels
}

/// Resolves a relationship target against the directory of its source part.
pub(crate) fn resolve_target(dir: &str, target: &str) -> String {
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else if dir.is_empty() {
        target.to_string()
    } else {
        format!("{dir}/{target}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub(crate) fn dir_of(part: &str) -> &str {
    part.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

pub(crate) fn rels_part_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((d, f)) => format!("{d}/_rels/{f}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

#[derive(Default)]
pub(crate) struct ContentTypes {
    pub(crate) defaults: HashMap<String, String>,
    pub(crate) overrides: HashMap<String, String>,
}

impl ContentTypes {
    pub(crate) fn parse(text: &str) -> Self {
        let mut ct = ContentTypes::default();
        scan_lenient(text, |item| {
            if let XmlItem::Start(e, _) = item {
                let ty = attr(e, b"ContentType").unwrap_or_default();
                match e.local_name().as_ref() {
                    b"Default" => {
                        if let Some(ext) = attr(e, b"Extension") {
                            ct.defaults.insert(ext.to_lowercase(), ty);
                        }
                    }
                    b"Override" => {
                        if let Some(p) = attr(e, b"PartName") {
                            ct.overrides
                                .insert(p.trim_start_matches('/').to_lowercase(), ty);
                        }
                    }
                    _ => {}
                }
            }
        });
        ct
    }

    pub(crate) fn of(&self, part: &str) -> Option<String> {
        let lower = part.to_lowercase();
        if let Some(t) = self.overrides.get(&lower) {
            return Some(t.clone());
        }
        let ext = lower.rsplit_once('.')?.1;
        self.defaults
            .get(ext)
            .cloned()
            .or_else(|| image_type_by_ext(ext).map(str::to_string))
    }
}

pub(crate) fn image_type_by_ext(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "png" => "image/png",
        "jpg" | "jpeg" | "jpe" | "jfif" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" | "dib" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "emf" => "image/x-emf",
        "wmf" => "image/x-wmf",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "wdp" | "hdp" | "jxr" => "image/vnd.ms-photo",
        "ico" => "image/x-icon",
        _ => return None,
    })
}

/// Chinese names of the non-empty properties in core.xml, app.xml and custom.xml.
pub(crate) fn document_properties(
    core: Option<&str>,
    app: Option<&str>,
    custom: Option<&str>,
) -> Vec<String> {
    let mut found: HashSet<&'static str> = HashSet::new();
    let mut scan = |text: &str, map: &dyn Fn(&[u8]) -> Option<&'static str>| {
        let mut current: Option<&'static str> = None;
        scan_lenient(text, |item| match item {
            XmlItem::Start(e, start) => {
                current = if start {
                    map(e.local_name().as_ref())
                } else {
                    None
                };
            }
            XmlItem::Text(t) => {
                if let Some(name) = current {
                    if !t.trim().is_empty() {
                        found.insert(name);
                    }
                }
            }
            XmlItem::End(_) => current = None,
        });
    };
    if let Some(core) = core {
        scan(core, &|n| {
            Some(match n {
                b"creator" => "作者",
                b"lastModifiedBy" => "最后修改人",
                b"title" => "标题",
                b"subject" => "主题",
                b"keywords" => "关键词",
                b"description" => "备注",
                b"category" => "类别",
                b"contentStatus" => "状态",
                _ => return None,
            })
        });
    }
    if let Some(app) = app {
        scan(app, &|n| {
            Some(match n {
                b"Company" => "单位",
                b"Manager" => "经理",
                _ => return None,
            })
        });
    }
    if let Some(custom) = custom {
        let mut any = false;
        scan_lenient(custom, |item| {
            if let XmlItem::Start(e, _) = item {
                any |= e.local_name().as_ref() == b"property";
            }
        });
        if any {
            found.insert("自定义属性");
        }
    }
    [
        "作者",
        "单位",
        "最后修改人",
        "经理",
        "标题",
        "主题",
        "关键词",
        "备注",
        "类别",
        "状态",
        "自定义属性",
    ]
    .into_iter()
    .filter(|n| found.contains(n))
    .map(str::to_string)
    .collect()
}

/// Counts `w:comment` elements.
pub(crate) fn count_comments(text: &str) -> usize {
    let mut n = 0;
    scan_lenient(text, |item| {
        if let XmlItem::Start(e, _) = item {
            if e.local_name().as_ref() == b"comment" {
                n += 1;
            }
        }
    });
    n
}

/// Whether a header/footer holds visible text outside fields (a bare page number does not count).
pub(crate) fn header_has_text(text: &str) -> bool {
    let mut in_t = false;
    let mut skip = 0usize;
    let mut fields: Vec<bool> = Vec::new(); // true while in a field's result or instruction
    let mut simple = 0usize;
    let mut found = false;
    scan_lenient(text, |item| match item {
        XmlItem::Start(e, start) => {
            let name = e.local_name();
            let name = name.as_ref();
            if skip > 0 {
                if start {
                    skip += 1;
                }
                return;
            }
            match name {
                b"t" if start => in_t = true,
                b"del" | b"moveFrom" | b"instrText" | b"delText" | b"drawing" | b"pict"
                | b"Fallback"
                    if start =>
                {
                    skip = 1
                }
                b"fldSimple" if start => simple += 1,
                b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                    Some("begin") => fields.push(true),
                    Some("end") => {
                        fields.pop();
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        XmlItem::End(name) => {
            if skip > 0 {
                skip -= 1;
                return;
            }
            match name {
                b"t" => in_t = false,
                b"fldSimple" => simple = simple.saturating_sub(1),
                _ => {}
            }
        }
        XmlItem::Text(t) => {
            // The dashes and spaces around a page number (“— 1 —”, GB/T 9704) are not content.
            let decoration = t
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '—' | '-' | '–' | '第' | '页'));
            if in_t && skip == 0 && fields.is_empty() && simple == 0 && !decoration {
                found = true;
            }
        }
    });
    found
}
