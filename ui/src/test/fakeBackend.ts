// A fake Backend for component tests: every method is a vi.fn with a sensible default.
import { vi } from 'vitest'
import type { Backend } from '../api/backend'
import type { DeidFinding } from '../bindings/DeidFinding'
import type { DeidKind } from '../bindings/DeidKind'
import type { DeidReview } from '../bindings/DeidReview'
import type { DocFields } from '../bindings/DocFields'
import type { DocSummary } from '../bindings/DocSummary'
import type { DocView } from '../bindings/DocView'
import type { RevisionMeta } from '../bindings/RevisionMeta'
import type { SaveRequest } from '../bindings/SaveRequest'
import { emptyFields } from '../lib/text'

export function summary(over: Partial<DocSummary> = {}): DocSummary {
  return {
    doc_id: 'doc-1',
    unit_id: 'zazd',
    title: '',
    doc_number: '',
    status: 'draft',
    head_rev_id: 'rev-1',
    rev_count: 1,
    created_by: '张三',
    created_at: '2026-01-05T01:00:00Z',
    updated_by: '张三',
    updated_at: '2026-01-05T01:00:00Z',
    deleted_at: null,
    ...over,
  }
}

export function revMeta(n: number, over: Partial<RevisionMeta> = {}): RevisionMeta {
  return {
    rev_id: `rev-${n}`,
    doc_id: 'doc-1',
    parent_rev_id: n > 1 ? `rev-${n - 1}` : null,
    rev_no: n,
    author_id: 'c1',
    author_name: '张三',
    device_id: 'd1',
    created_at: '2026-01-05T01:00:00Z',
    content_sha256: 'h',
    restored_from: null,
    ...over,
  }
}

export function docView(fields: Partial<DocFields> = {}): DocView {
  return {
    summary: summary(),
    head: revMeta(1),
    fields: { ...emptyFields(), ...fields },
    issues: [],
    paragraphs: [],
  }
}

export const DEID_KINDS: DeidKind[] = [
  { kind: 'person_name', label: '自然人姓名' },
  { kind: 'id_card', label: '居民身份证号' },
  { kind: 'mobile', label: '手机号码' },
  { kind: 'nickname', label: '绰号' },
]

const LABELS = Object.fromEntries(DEID_KINDS.map((k) => [k.kind, k.label]))

/** A finding at the first occurrence of `text` in `full` (offsets in code points). */
export function finding(full: string, text: string, kind: string, over: Partial<DeidFinding> = {}): DeidFinding {
  const chars = Array.from(full)
  const needle = Array.from(text)
  let start = -1
  for (let i = 0; i + needle.length <= chars.length && start < 0; i++) {
    if (needle.every((c, j) => chars[i + j] === c)) start = i
  }
  if (start < 0) throw new Error(`${text} not in text`)
  return {
    id: `f-${kind}-${start}`,
    kind,
    label: LABELS[kind] ?? kind,
    start,
    end: start + needle.length,
    text,
    confidence: 0.9,
    reason: '规则识别',
    source: 'scan',
    decision: 'pending',
    replacement: kind === 'mobile' ? '138****5678' : kind === 'id_card' ? '110105************' : '张某',
    edited: false,
    ...over,
  }
}

export const DEID_TEXT = '关于张伟违反治安管理行为的处罚决定\n违法行为人😀：张伟，身份证号11010519491231002X，手机13812345678。\n陪同人员为丫丫。'

/** A review of DEID_TEXT: two names, an ID card and a mobile number, all pending. */
export function deidReview(over: Partial<DeidReview> = {}): DeidReview {
  const findings = [
    finding(DEID_TEXT, '张伟', 'person_name'),
    finding(DEID_TEXT, '11010519491231002X', 'id_card'),
    finding(DEID_TEXT, '13812345678', 'mobile'),
  ]
  const second = DEID_TEXT.indexOf('张伟', DEID_TEXT.indexOf('张伟') + 1)
  const secondCp = Array.from(DEID_TEXT.slice(0, second)).length
  findings.splice(1, 0, { ...findings[0], id: `f-person_name-${secondCp}`, start: secondCp, end: secondCp + 2 })
  return withCounts({ doc_id: 'doc-1', rev_id: 'rev-1', rev_no: 1, text: DEID_TEXT, findings, pending: 0, kinds: [], report: null, ...over })
}

/** Recomputes `pending` and `kinds` from the findings, as the backend does. */
export function withCounts(r: DeidReview): DeidReview {
  const kinds = new Map<string, { kind: string; label: string; total: number; pending: number }>()
  for (const f of r.findings) {
    const k = kinds.get(f.kind) ?? { kind: f.kind, label: f.label, total: 0, pending: 0 }
    k.total++
    if (f.decision === 'pending') k.pending++
    kinds.set(f.kind, k)
  }
  return {
    ...r,
    findings: r.findings.slice().sort((a, b) => a.start - b.start),
    pending: r.findings.filter((f) => f.decision === 'pending').length,
    kinds: Array.from(kinds.values()),
  }
}

export function fakeBackend(over: Partial<Backend> = {}): { [K in keyof Backend]: ReturnType<typeof vi.fn> & Backend[K] } {
  let rev = 1
  let review: DeidReview = deidReview()
  const b: Backend = {
    appStatus: vi.fn(async () => {
      throw { code: 'Internal', message: 'not faked' }
    }),
    units: vi.fn(async () => []),
    setup: vi.fn(async (req) => ({ id: 'c1', name: req.clerk_name, unit_id: req.unit_id, device_id: 'd1' })),
    docCreate: vi.fn(async () => docView()),
    docList: vi.fn(async () => []),
    docGet: vi.fn(async () => docView()),
    docSave: vi.fn(async (_req: SaveRequest) => {
      rev++
      return { saved: true, head: revMeta(rev), issues: [], paragraphs: [] }
    }),
    docCheck: vi.fn(async () => ({ issues: [], paragraphs: [] })),
    docDelete: vi.fn(async () => null),
    docUndelete: vi.fn(async () => null),
    docRevisions: vi.fn(async () => []),
    docRevision: vi.fn(async () => {
      throw { code: 'NotFound', message: '没有这个版本' }
    }),
    docRestore: vi.fn(async () => docView()),
    docSearch: vi.fn(async () => []),
    deidKinds: vi.fn(async () => DEID_KINDS),
    deidReview: vi.fn(async () => review),
    deidDecide: vi.fn(async (req) => {
      const ids = new Set(req.finding_ids)
      review = withCounts({
        ...review,
        findings: review.findings.map((f) =>
          ids.has(f.id)
            ? {
                ...f,
                decision: req.decision,
                replacement: req.replacement ?? f.replacement,
                edited: req.replacement !== undefined || f.edited,
              }
            : f,
        ),
      })
      return review
    }),
    deidMark: vi.fn(async (req) => {
      const chars = Array.from(review.text)
      const text = chars.slice(req.start, req.end).join('')
      review = withCounts({
        ...review,
        findings: [
          ...review.findings,
          {
            ...finding(review.text, text, req.kind),
            id: `m-${req.start}`,
            start: req.start,
            end: req.end,
            source: 'manual',
            decision: 'accepted',
            confidence: 1,
          },
        ],
      })
      return review
    }),
    deidApply: vi.fn(async () => {
      if (review.pending > 0) throw { code: 'DeidPending', message: `还有${review.pending}处个人信息尚未确认。` }
      const counts: Record<string, number> = {}
      const chars = Array.from(review.text)
      let out = ''
      let pos = 0
      for (const f of review.findings) {
        if (f.decision !== 'accepted') continue
        out += chars.slice(pos, f.start).join('') + f.replacement
        pos = f.end
        counts[f.kind] = (counts[f.kind] ?? 0) + 1
      }
      out += chars.slice(pos).join('')
      const report = {
        rev_id: review.rev_id,
        policy_version: 1,
        counts,
        reviewer: '王晓明',
        reviewed_at: '2026-01-05T02:00:00Z',
        redacted_sha256: 'h',
      }
      review = { ...review, report }
      return { fields: { ...emptyFields(), body: out.split('\n').slice(1) }, text: out, report }
    }),
    ...over,
  }
  return b as never
}
