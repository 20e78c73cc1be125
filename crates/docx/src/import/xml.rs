//! The XML reading skeleton every part shares: one configured reader, attribute helpers and the
//! lenient scan for parts that are only counted.

use super::*;

/// The part as UTF-8 text (UTF-16 with a BOM is converted; a UTF-8 BOM is dropped).
pub(crate) fn part_text<'b>(bytes: &'b [u8], part: &str) -> Result<Cow<'b, str>, ImportError> {
    let utf16 = |be: bool| -> Result<Cow<'b, str>, ImportError> {
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(Cow::Owned)
            .map_err(|_| ImportError::bad_xml(part))
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(false);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(true);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|_| ImportError::bad_xml(part))
}

pub(crate) fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(text);
    let cfg = r.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;
    r
}

/// The value of the attribute with this local name.
pub(crate) fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .take(64)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
}

pub(crate) fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, b"val")
}

pub(crate) fn val_int(e: &BytesStart<'_>) -> Option<i64> {
    val(e).and_then(|v| v.trim().parse().ok())
}

/// An OOXML on/off property: absent `val` means on.
pub(crate) fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(
        val(e).as_deref().map(str::trim),
        Some("0" | "false" | "off" | "none")
    )
}

/// Calls `f` for every start/empty element (with `true` for start) and text, stopping quietly
/// at the first malformed spot: for the parts that are only counted, never imported.
pub(crate) fn scan_lenient(text: &str, mut f: impl FnMut(XmlItem<'_, '_>)) {
    let mut r = reader(text);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => f(XmlItem::Start(&e, true)),
            Ok(Event::Empty(e)) => f(XmlItem::Start(&e, false)),
            Ok(Event::End(e)) => f(XmlItem::End(e.local_name().as_ref())),
            Ok(Event::Text(t)) => {
                if let Ok(s) = t.unescape() {
                    f(XmlItem::Text(&s))
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

pub(crate) enum XmlItem<'x, 'y> {
    Start(&'x BytesStart<'y>, bool),
    End(&'x [u8]),
    Text(&'x str),
}

/// One step of [`walk`].
pub(crate) enum Xml<'a, 'b, K> {
    /// A start tag (`start`) or an empty element, outside any skipped subtree, at `depth` (the
    /// element's own depth, 1 for the root).
    Open {
        e: &'a BytesStart<'b>,
        start: bool,
        depth: usize,
    },
    /// A start or empty element inside a subtree skipped as `kind` (to count what it holds).
    Skipped { e: &'a BytesStart<'b>, kind: K },
    /// An end tag outside any skipped subtree (never the skipped element's own end).
    Close { name: &'a [u8], depth: usize },
    /// Text or CDATA outside any skipped subtree, inside the element at `depth`.
    Text { text: &'a str, depth: usize },
}

/// The reading skeleton every strictly read part shares (styles, numbering, the body): one
/// pass, element depth kept, a subtree skipped when the visitor answers `Some(kind)` to its start
/// tag. Malformed XML (unbalanced tags, bad escapes, bad UTF-8 in CDATA) is [`ImportError`] for
/// `part`, never a panic.
pub(crate) fn walk<K: Copy>(
    text: &str,
    part: &str,
    mut visit: impl FnMut(Xml<'_, '_, K>) -> Option<K>,
) -> Result<(), ImportError> {
    let mut r = reader(text);
    let mut depth = 0usize;
    let mut skip: Option<(usize, K)> = None;
    loop {
        match r.read_event().map_err(|_| ImportError::bad_xml(part))? {
            Event::Start(e) => {
                depth += 1;
                match skip {
                    Some((_, kind)) => {
                        visit(Xml::Skipped { e: &e, kind });
                    }
                    None => {
                        if let Some(kind) = visit(Xml::Open {
                            e: &e,
                            start: true,
                            depth,
                        }) {
                            skip = Some((depth, kind));
                        }
                    }
                }
            }
            Event::Empty(e) => match skip {
                Some((_, kind)) => {
                    visit(Xml::Skipped { e: &e, kind });
                }
                None => {
                    visit(Xml::Open {
                        e: &e,
                        start: false,
                        depth: depth + 1,
                    });
                }
            },
            Event::End(e) => {
                match skip {
                    Some((at, _)) if at == depth => skip = None,
                    Some(_) => {}
                    None => {
                        visit(Xml::Close {
                            name: e.local_name().as_ref(),
                            depth,
                        });
                    }
                }
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| ImportError::bad_xml(part))?;
            }
            Event::Text(t) if skip.is_none() => {
                let s = t.unescape().map_err(|_| ImportError::bad_xml(part))?;
                visit(Xml::Text { text: &s, depth });
            }
            Event::CData(t) if skip.is_none() => {
                let raw = t.into_inner();
                let s = std::str::from_utf8(&raw).map_err(|_| ImportError::bad_xml(part))?;
                visit(Xml::Text { text: s, depth });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(ImportError::bad_xml(part));
    }
    Ok(())
}
