//! Reading the package: which parts are read, in what order, and what is only counted.

use super::*;

pub(crate) fn read_package(pkg: &mut Package<'_>) -> Result<Imported, ImportError> {
    let content_types = match pkg.read("[Content_Types].xml")? {
        Some(b) => ContentTypes::parse(&part_text(&b, "[Content_Types].xml")?),
        None => ContentTypes::default(),
    };
    let root_rels = match pkg.read("_rels/.rels")? {
        Some(b) => parse_rels(&part_text(&b, "_rels/.rels")?),
        None => Vec::new(),
    };
    let find_root = |kind: &str, fallback: &str| -> String {
        root_rels
            .iter()
            .find(|r| r.kind == kind && !r.external)
            .map(|r| resolve_target("", &r.target))
            .unwrap_or_else(|| fallback.to_string())
    };
    let mut main = find_root("officeDocument", "word/document.xml");
    if !pkg.has(&main) {
        main = "word/document.xml".into();
    }
    if !pkg.has(&main) {
        return Err(ImportError::NoDocument);
    }
    let dir = dir_of(&main).to_string();
    let rels = match pkg.read(&rels_part_of(&main))? {
        Some(b) => parse_rels(&part_text(&b, "word/_rels/document.xml.rels")?),
        None => Vec::new(),
    };
    let targets = |kind: &str| -> Vec<String> {
        rels.iter()
            .filter(|r| r.kind == kind && !r.external)
            .map(|r| resolve_target(&dir, &r.target))
            .collect()
    };
    let first = |kind: &str, fallback: &str| -> String {
        targets(kind)
            .into_iter()
            .next()
            .unwrap_or_else(|| format!("{dir}/{fallback}"))
    };

    let styles = match pkg.read(&first("styles", "styles.xml"))? {
        Some(b) => Styles::parse(&part_text(&b, "word/styles.xml")?)?,
        None => Styles::default(),
    };
    let mut numbering = match pkg.read(&first("numbering", "numbering.xml"))? {
        Some(b) => Numbering::parse(&part_text(&b, "word/numbering.xml")?)?,
        None => Numbering::default(),
    };
    let doc_bytes = pkg.read(&main)?.ok_or(ImportError::NoDocument)?;
    let doc_text = part_text(&doc_bytes, "word/document.xml")?;
    let (blocks, tables, counts) =
        DocParser::parse(&doc_text, "word/document.xml", &styles, &mut numbering)?;
    drop(doc_text);
    drop(doc_bytes);

    // What is left out: counted from their parts, never read into the result.
    let mut left = LeftOut {
        revisions: counts.revisions,
        hidden: counts.hidden,
        footnotes: counts.footnotes,
        endnotes: counts.endnotes,
        objects: counts.objects,
        ..LeftOut::default()
    };
    left.comments = match pkg.read(&first("comments", "comments.xml"))? {
        Some(b) => part_text(&b, "word/comments.xml")
            .map(|t| count_comments(&t))
            .unwrap_or(0)
            .max(counts.comment_refs.len()),
        None => counts.comment_refs.len(),
    };
    // Page headers: where a template (or our own 信函格式) may set the 发文机关标志, the number
    // or the 密级. Those lines are read as 版头 lines; any other header text (a running head) and
    // footers are left out and counted.
    let mut header_lines: Vec<Block> = Vec::new();
    let mut hf_parts: Vec<(String, bool)> = targets("header")
        .into_iter()
        .map(|p| (p, true))
        .chain(targets("footer").into_iter().map(|p| (p, false)))
        .collect();
    hf_parts.sort();
    hf_parts.dedup();
    for (part, is_header) in hf_parts {
        let Some(b) = pkg.read(&part)? else { continue };
        let Ok(text) = part_text(&b, &part) else {
            continue;
        };
        if !header_has_text(&text) {
            continue;
        }
        let mut used = false;
        if is_header {
            let mut numbering = Numbering::default();
            if let Ok((blocks, _, _)) = DocParser::parse(&text, &part, &styles, &mut numbering) {
                for block in blocks {
                    if let Block::Line(mut line) = block {
                        line.shape = true;
                        let known = header_lines.iter().any(|b| match b {
                            Block::Line(l) => l.text == line.text,
                            Block::Table(_) | Block::Image => false,
                        });
                        if header_element(&line) && !known {
                            header_lines.push(Block::Line(line));
                            used = true;
                        }
                    }
                }
            }
        }
        if !used {
            left.headers_footers += 1;
        }
    }
    let read_text = |pkg: &mut Package<'_>, part: &str| -> Result<Option<String>, ImportError> {
        Ok(pkg
            .read(part)?
            .and_then(|b| part_text(&b, part).ok().map(Cow::into_owned)))
    };
    let core = read_text(pkg, &find_root("core-properties", "docProps/core.xml"))?;
    let app = read_text(pkg, &find_root("extended-properties", "docProps/app.xml"))?;
    let custom = read_text(pkg, &find_root("custom-properties", "docProps/custom.xml"))?;
    left.properties = document_properties(core.as_deref(), app.as_deref(), custom.as_deref());
    if pkg.has(&find_root("thumbnail", "docProps/thumbnail.jpeg"))
        || pkg.has("docProps/thumbnail.emf")
        || pkg.has("docProps/thumbnail.wmf")
    {
        left.properties.push("缩略图".into());
    }

    // Images under the main part's folder.
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{}/", dir.to_lowercase())
    };
    let mut images: Vec<ImageInfo> = pkg
        .entries
        .iter()
        .filter(|(lower, _)| lower.starts_with(&prefix))
        .filter_map(|(_, e)| {
            let media_type = content_types.of(&e.name)?;
            media_type.starts_with("image/").then(|| ImageInfo {
                name: e.name.rsplit('/').next().unwrap_or(&e.name).to_string(),
                media_type,
                size: e.size,
            })
        })
        .collect();
    images.sort_by(|a, b| a.name.cmp(&b.name));
    left.images = images.len();

    let seen = Seen {
        text_boxes: counts.text_boxes,
        bullets: counts.bullets,
    };
    let blocks = header_lines.into_iter().chain(blocks).collect();
    Ok(assemble(blocks, tables, images, left, seen))
}
