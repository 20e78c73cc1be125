// Small pure helpers the screens use: text ⇄ arrays, time formatting, snippet highlighting,
// and the Chinese labels of the enums in the bindings.
import type { ClassificationLevel } from '../bindings/ClassificationLevel'
import type { DocFields } from '../bindings/DocFields'
import type { DocFormat } from '../bindings/DocFormat'
import type { DocStatus } from '../bindings/DocStatus'
import type { DocType } from '../bindings/DocType'
import type { ParagraphLevel } from '../bindings/ParagraphLevel'
import type { Urgency } from '../bindings/Urgency'

/** How a line break inside a paragraph shows in the 正文 textarea (typed with Shift+Enter). */
export const SOFT_BREAK = '↵'

/**
 * 正文 textarea → body: one paragraph per line, kept exactly (empty lines included); a ↵ is a
 * line break inside the paragraph. An empty textarea is an empty body, so that opening and
 * leaving an empty document changes nothing.
 */
export function textToBody(text: string): string[] {
  if (text === '') return []
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((p) => p.split(SOFT_BREAK).join('\n'))
}

/** body → 正文 textarea: a line break inside a paragraph shows as ↵. */
export function bodyToText(body: readonly string[]): string {
  return body.map((p) => p.replace(/\r?\n/g, SOFT_BREAK)).join('\n')
}

/** 签发人 input → names; separated by commas (either width), 、 or ；. */
export function textToSigners(text: string): string[] {
  return text
    .split(/[,，、;；]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function signersToText(signers: readonly string[]): string {
  return signers.join('、')
}

/** 附件说明: one attachment per line; blank lines dropped. */
export function textToAttachments(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function attachmentsToText(attachments: readonly string[]): string {
  return attachments.join('\n')
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** An ISO time → local `YYYY-MM-DD HH:mm`; unparseable input is returned as is. */
export function formatLocalTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`
}

/** Local `HH:mm` of a Date, for the save indicator. */
export function formatClock(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`
}

export interface SnippetPart {
  text: string
  mark: boolean
}

/**
 * Splits a snippet into plain and marked parts. `ranges` are `[start, end)` in code points
 * (not UTF-16 units); they may be unsorted, overlapping or out of bounds.
 */
export function splitHighlights(snippet: string, ranges: ReadonlyArray<readonly [number, number]>): SnippetPart[] {
  const chars = Array.from(snippet)
  const n = chars.length
  const clean = ranges
    .map(([s, e]) => [Math.max(0, Math.min(n, Math.floor(s))), Math.max(0, Math.min(n, Math.floor(e)))] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: [number, number][] = []
  for (const r of clean) {
    const last = merged[merged.length - 1]
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  const parts: SnippetPart[] = []
  let pos = 0
  for (const [s, e] of merged) {
    if (s > pos) parts.push({ text: chars.slice(pos, s).join(''), mark: false })
    parts.push({ text: chars.slice(s, e).join(''), mark: true })
    pos = e
  }
  if (pos < n) parts.push({ text: chars.slice(pos).join(''), mark: false })
  return parts
}

/** A JSON string of the fields with sorted keys, to compare two DocFields by content. */
export function fieldsKey(fields: DocFields): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys)
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, sortKeys(o[k])]),
      )
    }
    return v
  }
  // Fields added after the first layout are left out of the stored JSON while at their default:
  // compare as if they were there, so that opening an older document changes nothing.
  const full = {
    ...fields,
    format: fields.format ?? 'file',
    co_issuers: fields.co_issuers ?? [],
    printing_office: fields.printing_office ?? '',
    printed_on: fields.printed_on ?? null,
    mark: fields.mark ?? '',
    tables: (fields.tables ?? []).map((t) => ({ ...t, widths: t.widths ?? [] })),
    date_text: fields.date_text ?? '',
  }
  return JSON.stringify(sortKeys(full))
}

export function sameFields(a: DocFields, b: DocFields): boolean {
  return fieldsKey(a) === fieldsKey(b)
}

export function cloneFields(f: DocFields): DocFields {
  return JSON.parse(JSON.stringify(f)) as DocFields
}

export const STATUS_LABELS: Record<DocStatus, string> = {
  draft: '起草中',
  in_review: '审签中',
  signed: '已签发',
  submitted: '已报送',
  returned: '已退文',
  published: '已公开',
}

export const DOC_TYPE_LABELS: Record<DocType, string> = {
  normative: '规范性文件',
  policy: '政策文件',
  notice: '通知',
  request: '请示',
  report: '报告',
}

export const FORMAT_LABELS: Record<DocFormat, string> = {
  file: '文件格式',
  letter: '信函格式',
  order: '命令（令）格式',
  minutes: '纪要格式',
  announcement: '公告、通告格式',
}

export const CLASSIFICATION_LABELS: Record<ClassificationLevel, string> = {
  secret: '秘密',
  confidential: '机密',
  top_secret: '绝密',
}

export const URGENCY_LABELS: Record<Urgency, string> = {
  extra: '特急',
  urgent: '加急',
}

export const LEVEL_LABELS: Record<ParagraphLevel, string> = {
  h1: '一级标题',
  h2: '二级标题',
  h3: '三级标题',
  h4: '四级标题',
  body: '正文',
}

/** 签发人 is only asked for 上行文 (请示、报告). */
export function needsSigners(t: DocType): boolean {
  return t === 'request' || t === 'report'
}

export function displayTitle(title: string): string {
  return title.trim() ? title : '（无标题）'
}

/** Empty fields for a new document. */
export function emptyFields(): DocFields {
  return {
    doc_type: 'notice',
    issuing_authority: '',
    doc_number: '',
    title: '',
    main_recipients: '',
    cc: '',
    classification: null,
    urgency: null,
    date_written: null,
    signers: [],
    attachments: [],
    notes: '',
    body: [],
    format: 'file',
    co_issuers: [],
    printing_office: '',
    printed_on: null,
    mark: '',
    tables: [],
    date_text: '',
  }
}
