// Pure helpers of the de-identification review screen: splitting the publishable text into
// plain and highlighted segments, context snippets, and mapping a DOM selection back to
// code-point offsets of `DeidReview.text`.
//
// All offsets here are Unicode code points (as the Rust side counts `chars()`), never UTF-16
// units: "😀" is one code point but two JS string units.
import type { DeidFinding } from '../bindings/DeidFinding'

export interface PlainSegment {
  type: 'plain'
  start: number
  end: number
  text: string
}

export interface FindingSegment {
  type: 'finding'
  start: number
  end: number
  text: string
  finding: DeidFinding
}

export type Segment = PlainSegment | FindingSegment

export interface Line {
  /** Code-point offset of the line's first character in the whole text. */
  start: number
  end: number
  segments: Segment[]
}

/**
 * Splits `text` (lines separated by `\n`) into lines of plain and highlighted segments.
 * Findings may touch but should not overlap; an overlapping one is skipped rather than shown
 * twice. A finding that crossed a line break would be shown as one highlight per line.
 */
export function splitLines(text: string, findings: readonly DeidFinding[], chars: string[] = Array.from(text)): Line[] {
  const n = chars.length
  const sorted = findings
    .filter((f) => f.end > f.start && f.start >= 0 && f.start < n)
    .slice()
    .sort((a, b) => a.start - b.start || a.end - b.end)
  const kept: DeidFinding[] = []
  let lastEnd = 0
  for (const f of sorted) {
    if (f.start < lastEnd) continue
    kept.push(f)
    lastEnd = Math.min(f.end, n)
  }

  const lines: Line[] = []
  let lineStart = 0
  let fi = 0
  for (let i = 0; i <= n; i++) {
    if (i < n && chars[i] !== '\n') continue
    const lineEnd = i
    const segments: Segment[] = []
    let pos = lineStart
    // Skip findings that ended before this line.
    while (fi < kept.length && Math.min(kept[fi].end, n) <= lineStart && kept[fi].start < lineStart) fi++
    let j = fi
    while (j < kept.length && kept[j].start < lineEnd) {
      const f = kept[j]
      const s = Math.max(f.start, lineStart)
      const e = Math.min(f.end, lineEnd)
      if (e > s) {
        if (s > pos) segments.push({ type: 'plain', start: pos, end: s, text: chars.slice(pos, s).join('') })
        segments.push({ type: 'finding', start: s, end: e, text: chars.slice(s, e).join(''), finding: f })
        pos = e
      }
      if (f.end > lineEnd) break // continues on the next line
      j++
    }
    fi = j
    if (pos < lineEnd) segments.push({ type: 'plain', start: pos, end: lineEnd, text: chars.slice(pos, lineEnd).join('') })
    lines.push({ start: lineStart, end: lineEnd, segments })
    lineStart = i + 1
  }
  return lines
}

export interface Context {
  before: string
  match: string
  after: string
}

/**
 * About `radius` characters either side of `[start, end)`, within the same line; "…" marks
 * where the line goes on.
 */
export function contextSnippet(chars: readonly string[], start: number, end: number, radius = 10): Context {
  const n = chars.length
  const s = Math.max(0, Math.min(start, n))
  const e = Math.max(s, Math.min(end, n))
  let lineStart = s
  while (lineStart > 0 && chars[lineStart - 1] !== '\n') lineStart--
  let lineEnd = e
  while (lineEnd < n && chars[lineEnd] !== '\n') lineEnd++
  const from = Math.max(lineStart, s - radius)
  const to = Math.min(lineEnd, e + radius)
  return {
    before: (from > lineStart ? '…' : '') + chars.slice(from, s).join(''),
    match: chars.slice(s, e).join(''),
    after: chars.slice(e, to).join('') + (to < lineEnd ? '…' : ''),
  }
}

/** Number of code points in a JS string. */
export function cpLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

export interface BoundaryRange {
  startContainer: Node
  startOffset: number
  endContainer: Node
  endOffset: number
  collapsed?: boolean
}

interface MappedText {
  node: Text
  /** Code-point offset of the node's first character. */
  base: number
  /** Code points the node stands for (0 for text that is not part of the source text). */
  len: number
  /** Text of the node counts (false: a replacement shown next to the original). */
  real: boolean
}

/**
 * The text nodes of `container` that map to the source text, in document order. A text node
 * maps through its nearest ancestor with `data-start` (the code-point offset of that element's
 * first character; the element's real text nodes follow on one after another). Text inside an
 * element with `data-at` (e.g. a replacement shown after a struck-through original) is not part
 * of the source text and maps to the single offset given there.
 */
function mappedTexts(container: Element): MappedText[] {
  const doc = container.ownerDocument
  const walker = doc.createTreeWalker(container, 4 /* NodeFilter.SHOW_TEXT */)
  const out: MappedText[] = []
  const running = new Map<Element, number>()
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const t = node as Text
    let el: Element | null = t.parentElement
    while (el && el !== container && !el.hasAttribute('data-at') && !el.hasAttribute('data-start')) el = el.parentElement
    if (!el) continue
    if (el.hasAttribute('data-at')) {
      const at = Number(el.getAttribute('data-at'))
      if (Number.isFinite(at)) out.push({ node: t, base: at, len: 0, real: false })
      continue
    }
    if (!el.hasAttribute('data-start')) continue // reached the container
    const start = Number(el.getAttribute('data-start'))
    if (!Number.isFinite(start)) continue
    const before = running.get(el) ?? 0
    const len = cpLength(t.data)
    running.set(el, before + len)
    out.push({ node: t, base: start + before, len, real: true })
  }
  return out
}

function pointOffset(
  texts: MappedText[],
  node: Node,
  offset: number,
  bias: 'start' | 'end',
  doc: Document,
): number | null {
  const own = texts.find((m) => m.node === node)
  if (own) {
    if (!own.real) return own.base
    return own.base + cpLength(own.node.data.slice(0, offset))
  }
  // The point is between nodes (an element boundary, or unmapped text): take the nearest
  // mapped text after it (for a start) or before it (for an end).
  const probe = doc.createRange()
  probe.setStart(node, offset)
  probe.collapse(true)
  if (bias === 'start') {
    for (const m of texts) if (probe.comparePoint(m.node, 0) >= 0) return m.base
    const last = texts[texts.length - 1]
    return last ? last.base + last.len : null
  }
  for (let i = texts.length - 1; i >= 0; i--) {
    const m = texts[i]
    if (probe.comparePoint(m.node, m.node.data.length) <= 0) return m.base + m.len
  }
  return texts.length ? texts[0].base : null
}

/**
 * Maps a DOM range (a selection) inside `container` to `[start, end)` code-point offsets of the
 * source text. Null when the range is collapsed, does not touch the container, or selects
 * nothing of the source text. A range reaching past the container is clipped to it.
 */
export function rangeToOffsets(container: Element, range: BoundaryRange): { start: number; end: number } | null {
  const doc = container.ownerDocument
  const full = doc.createRange()
  full.setStart(range.startContainer, range.startOffset)
  full.setEnd(range.endContainer, range.endOffset)
  if (full.collapsed || !full.intersectsNode(container)) return null
  const inStart = container.contains(range.startContainer)
  const inEnd = container.contains(range.endContainer)
  const texts = mappedTexts(container)
  if (!texts.length) return null
  const start = inStart ? pointOffset(texts, range.startContainer, range.startOffset, 'start', doc) : texts[0].base
  const last = texts[texts.length - 1]
  const end = inEnd ? pointOffset(texts, range.endContainer, range.endOffset, 'end', doc) : last.base + last.len
  if (start === null || end === null || end <= start) return null
  return { start, end }
}

/** Shrinks `[start, end)` to leave out white space at either end; null if nothing is left. */
export function trimSpan(chars: readonly string[], start: number, end: number): { start: number; end: number } | null {
  let s = Math.max(0, start)
  let e = Math.min(chars.length, end)
  while (s < e && /\s/u.test(chars[s])) s++
  while (e > s && /\s/u.test(chars[e - 1])) e--
  return e > s ? { start: s, end: e } : null
}

