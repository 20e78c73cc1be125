// A fake Backend for component tests: every method is a vi.fn with a sensible default.
import { vi } from 'vitest'
import type { IntakeFilesRequest } from '../bindings/IntakeFilesRequest'
import type { Backend } from '../api/backend'
import type { DeidApplied } from '../bindings/DeidApplied'
import type { DeidKind } from '../bindings/DeidKind'
import type { DeidReview } from '../bindings/DeidReview'
import type { DocFields } from '../bindings/DocFields'
import type { DocSummary } from '../bindings/DocSummary'
import type { DocView } from '../bindings/DocView'
import type { RevisionMeta } from '../bindings/RevisionMeta'
import type { SaveRequest } from '../bindings/SaveRequest'
import type { CalendarImportRequest } from '../bindings/CalendarImportRequest'
import type { CalendarInfo } from '../bindings/CalendarInfo'
import type { DraftView } from '../bindings/DraftView'
import type { DisclosureSetRequest } from '../bindings/DisclosureSetRequest'
import type { EventRequest } from '../bindings/EventRequest'
import type { ImageAddRequest } from '../bindings/ImageAddRequest'
import type { ImageRef } from '../bindings/ImageRef'
import type { PackageSaveRequest } from '../bindings/PackageSaveRequest'
import type { PauseRequest } from '../bindings/PauseRequest'
import type { PauseView } from '../bindings/PauseView'
import type { SecrecyRecordRequest } from '../bindings/SecrecyRecordRequest'
import type { SignoffRequest } from '../bindings/SignoffRequest'
import type { TransitionRequest } from '../bindings/TransitionRequest'
import { emptyFields } from '../lib/text'
import { ask, askResult } from './oracle'
import type { Disclosure } from '../bindings/Disclosure'
import type { DisclosureOptions } from '../bindings/DisclosureOptions'
import type { DisclosureView } from '../bindings/DisclosureView'
import type { Facts } from '../bindings/Facts'
import type { Graphic } from '../bindings/Graphic'
import type { LogEntry } from '../bindings/LogEntry'
import type { ObligationView } from '../bindings/ObligationView'
import type { Package } from '../bindings/Package'
import type { PackageCheck } from '../bindings/PackageCheck'
import type { PackageView } from '../bindings/PackageView'
import type { Reach } from '../bindings/Reach'
import type { SecrecyReview } from '../bindings/SecrecyReview'
import type { SecrecyView } from '../bindings/SecrecyView'
import type { SignoffView } from '../bindings/SignoffView'
import type { Stage } from '../bindings/Stage'
import type { WorkflowView } from '../bindings/WorkflowView'
import type { IntakeView } from '../bindings/IntakeView'
import type { KeyView } from '../bindings/KeyView'
import type { OfficeKeyView } from '../bindings/OfficeKeyView'
import type { ReasonView } from '../bindings/ReasonView'
import type { ReceiptView } from '../bindings/ReceiptView'
import type { Role } from '../bindings/Role'
import type { SubmissionView } from '../bindings/SubmissionView'
import type { TrustedKeyView } from '../bindings/TrustedKeyView'
import type { VerdictView } from '../bindings/VerdictView'
import type { BundleFileView } from '../bindings/BundleFileView'
import type { BundleExportRequest } from '../bindings/BundleExportRequest'
import type { BundleRewriteRequest } from '../bindings/BundleRewriteRequest'
import type { DecideRequest } from '../bindings/DecideRequest'
import type { ConflictView } from '../bindings/ConflictView'
import type { UnitConflictView } from '../bindings/UnitConflictView'
import type { OutcomeView } from '../bindings/OutcomeView'
import type { FigureView } from '../bindings/FigureView'
import type { RequestView } from '../bindings/RequestView'
import type { SyncStatus } from '../bindings/SyncStatus'
import type { DocRef } from '../bindings/DocRef'
import type { FileRequest } from '../bindings/FileRequest'
import type { KeyActivateRequest } from '../bindings/KeyActivateRequest'
import type { KeyGenerateRequest } from '../bindings/KeyGenerateRequest'
import type { KeyRetireRequest } from '../bindings/KeyRetireRequest'
import type { KeyRevokeRequest } from '../bindings/KeyRevokeRequest'
import type { KeyUseRequest } from '../bindings/KeyUseRequest'
import type { OfficeKeyRequest } from '../bindings/OfficeKeyRequest'
import type { PathRequest } from '../bindings/PathRequest'
import type { DutyRowView } from '../bindings/DutyRowView'
import type { DutyBoardView } from '../bindings/DutyBoardView'
import type { ApiError } from '../bindings/ApiError'
import type { ConsultView } from '../bindings/ConsultView'
import type { WindowView } from '../bindings/WindowView'
import type { YearEndItem } from '../bindings/YearEndItem'

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

/** The kinds of personal information the API finds. */
export const DEID_KINDS: DeidKind[] = ask<DeidKind[]>('deid_kinds', null)

/** The document the de-identification tests review: two names, an ID card, a mobile number, and
 * an emoji before them (UTF-16 and code-point offsets differ). */
export const DEID_FIELDS: DocFields = {
  ...emptyFields(),
  title: '关于张伟违反治安管理行为的处罚决定',
  body: ['违法行为人😀：张伟，身份证号11010519491231002X，手机13812345678。', '陪同人员为丫丫。'],
}

type DeidAnswer = { review: DeidReview; applied: DeidApplied | null }

/** The real API's review of `fields` after the clerk's `steps` (the oracle replays them). */
export function deidAsk(fields: DocFields, steps: unknown[]): DeidAnswer {
  return askResult<DeidAnswer>('deid', { fields, steps })
}

/** The real scanner's review of `fields` (default DEID_FIELDS), nothing decided yet; `over`
 * replaces parts the oracle's document lacks (the package's images). */
export function deidReview(over: Partial<DeidReview> = {}, fields: DocFields = DEID_FIELDS): DeidReview {
  return { ...deidAsk(fields, []).review, ...over }
}

/** The text the review shows for DEID_FIELDS, as the API composes it. */
export const DEID_TEXT: string = deidReview().text

// ---- publication fixtures -----------------------------------------------------------------------

/** The API's disclosure options (attributes, channels, forms, grounds, catalogue). */
export const OPTIONS: DisclosureOptions = askResult<DisclosureOptions>('options', null)

/** The API's stage names. */
export const STAGE_LABELS: Record<Stage, string> = ask<Record<Stage, string>>('stage_labels', null)

export function facts(over: Partial<Facts> = {}): Facts {
  return {
    attribute_set: false,
    needs_interpretation: true,
    interpretation_complete: false,
    deid_pending: 0,
    deid_applied: false,
    images_unreviewed: 0,
    placeholders: 0,
    secrecy_cleared: false,
    signoff_recorded: false,
    review_stale: false,
    ...over,
  }
}

/** A WorkflowView with the steps, gates and next stage the API gives for `stage` and `f`. */
export function workflowView(stage: Stage = 'drafting', f: Facts = facts(), over: Partial<WorkflowView> = {}): WorkflowView {
  const rules = ask<Pick<WorkflowView, 'stage_label' | 'steps' | 'next' | 'can_withdraw' | 'next_gates' | 'bundle_gates'>>(
    'workflow',
    { stage, facts: f },
  )
  return {
    doc_id: 'doc-1',
    stage,
    ...rules,
    facts: f,
    log: [],
    returned_reason: null,
    signoff: null,
    deadlines: [],
    pauses: [],
    ...over,
  }
}

export function obligation(over: Partial<ObligationView> = {}): ObligationView {
  return {
    doc_id: 'doc-1',
    doc_title: '关于优化户籍迁移登记服务的通知',
    rule_id: 1,
    what: '发布首次解读材料',
    trigger_label: '文件公开发布',
    trigger: '2026-11-23',
    due: '2026-11-26',
    provisional: false,
    done: null,
    state: 'running',
    days_left: 3,
    source: '条例',
    ...over,
  }
}

/** The API's package check for `p` on a document of this reach. */
export function packageCheck(p: Package, reach: Reach, images: unknown[] = []): PackageCheck {
  return askResult<PackageCheck>('package', { package: p, reach, images: images.length ? images : undefined })
}

export function emptyPackage(over: Partial<Package> = {}): Package {
  return {
    title: '',
    interpreter_unit: 'zazd',
    interpreter: '王晓明',
    contact: '',
    first_interpreter: '',
    forms: ['text'],
    sections: [],
    qa: [],
    graphics: [],
    links: [],
    ...over,
  }
}

export function packageView(p: Package = emptyPackage(), over: Partial<PackageView> = {}): PackageView {
  return {
    doc_id: 'doc-1',
    head: null,
    package: p,
    display_title: '关于《关于优化户籍迁移登记服务的通知》的政策解读',
    needs_interpretation: true,
    check: packageCheck(p, NO_REACH),
    revision_count: 0,
    ...over,
  }
}

/** The API's problems with a secrecy review on a document of this attribute. */
function secrecyProblems(r: SecrecyReview, attribute: Disclosure['attribute'] | undefined): string[] {
  return askResult<string[]>('secrecy', { review: r, attribute: attribute ?? null })
}

// ---- exchange fixtures --------------------------------------------------------------------------

export const FINGERPRINT = '3FA2 90C1 7B4E 0D55 A1C3 9E07 24BB 6F10 C8D2 5A39 E6F4 0B71 92AD 3C58 7E06 D1F9'
export const OFFICE_PUBLIC_KEY = 'RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3'

export function keyView(over: Partial<KeyView> = {}): KeyView {
  return {
    key_id: '9F3A61C2B07D44E1',
    algorithm: 'minisign-ed25519',
    fingerprint: FINGERPRINT,
    public_key: 'RWTmJ2xKcQ0sM1n5YfR3p8ZkL0vB2w9uA6eH4dG7iC1oN3qS5tU8xV0y',
    created_at: '2026-11-20T01:00:00Z',
    created_by: '王晓明',
    ...over,
  }
}

export const BUNDLE_FILES: BundleFileView[] = [
  { path: 'policy.docx', role: 'policy_docx', size: 24576, sha256: 'a'.repeat(64) },
  { path: 'interpretation.docx', role: 'interpretation_docx', size: 15360, sha256: 'b'.repeat(64) },
  { path: 'forms/fawen.pdf', role: 'form_pdf', size: 81920, sha256: 'c'.repeat(64) },
]

export function receiptView(decision: 'accepted' | 'returned' | 'published', over: Partial<ReceiptView> = {}): ReceiptView {
  const label = { accepted: '已受理', returned: '已退文', published: '已发布' }[decision]
  return {
    receipt_id: `rc-${decision}`,
    submission_id: 'sub-1',
    decision,
    label,
    decided_at: '2026-11-25T02:00:00Z',
    reasons:
      decision === 'returned'
        ? [
            { code: 'pii_found', message: '公开文本中仍有未去标识化的手机号码（1处）。' },
            { code: 'reviewer', message: '解读材料未说明新旧政策差异。' },
          ]
        : [],
    published_on: decision === 'published' ? '2026-11-26' : null,
    url: decision === 'published' ? 'https://gaj.example.gov.cn/zwgk/2026/1126.html' : null,
    ...over,
  }
}

export function submissionView(over: Partial<SubmissionView> = {}): SubmissionView {
  return {
    submission_id: 'sub-1',
    doc_id: 'doc-1',
    doc_rev_id: 'rev-1',
    package_rev_id: 'pkg-1',
    key_id: '9F3A61C2B07D44E1',
    content_sha256: 'd'.repeat(64),
    file_name: '报送包-关于优化户籍迁移登记服务的通知-0190a1b2.zip',
    created_at: '2026-11-24T02:00:00Z',
    bytes: 131072,
    receipts: [],
    ...over,
  }
}

export const BAD_REASONS: ReasonView[] = [
  { code: 'checksum_mismatch', message: '文件 policy.docx 的校验值与清单不符：报送包在传递中被改动或损坏。' },
  { code: 'pii_found', message: '公开文本中发现未去标识化的个人信息：手机号码1处。' },
]

export function verdictView(over: Partial<VerdictView> = {}): VerdictView {
  const reasons = over.reasons ?? []
  return {
    accepted_for_review: reasons.length === 0,
    duplicate: false,
    reasons,
    warnings: [],
    submission_id: 'sub-1',
    unit_code: 'zazd',
    title: '关于优化户籍迁移登记服务的通知',
    key_id: '9F3A61C2B07D44E1',
    content_sha256: 'd'.repeat(64),
    files: BUNDLE_FILES,
    ...over,
  }
}

/** What the backend would offer for a received bundle (IntakeActions in the Rust API). */
export function intakeActions(row: Pick<IntakeView, 'status' | 'verdict'>): IntakeView['actions'] {
  return ask('intake_actions', { status: row.status, accepted_for_review: row.verdict.accepted_for_review })
}

/** What the backend would offer for an enrolled key (KeyActions in the Rust API). */
export function keyActions(k: Pick<TrustedKeyView, 'state'>): TrustedKeyView['actions'] {
  return ask('key_actions', { state: k.state })
}

export function intakeView(over: Partial<IntakeView> = {}): IntakeView {
  const row = {
    submission_id: 'sub-1',
    unit_code: 'zazd',
    unit_name: '治安支队',
    title: '关于优化户籍迁移登记服务的通知',
    received_at: '2026-11-24T03:00:00Z',
    status: 'received',
    verdict: verdictView(),
    receipts: [],
    ...over,
  }
  return { ...row, actions: over.actions ?? intakeActions(row) }
}

export function trustedKey(over: Partial<TrustedKeyView> = {}): TrustedKeyView {
  const k = {
    key_id: '9F3A61C2B07D44E1',
    unit_code: 'zazd',
    unit_name: '治安支队',
    algorithm: 'minisign-ed25519',
    fingerprint: FINGERPRINT,
    device_id: 'd1',
    clerk: '王晓明',
    enrolled_at: '2026-11-20T02:00:00Z',
    state: 'pending',
    activated_at: null,
    retired_until: null,
    revoked_at: null,
    revoke_reason: null,
    ...over,
  }
  return { ...k, actions: over.actions ?? keyActions(k) }
}

/** The state the fake starts from (doc-1's stage, this PC's role and key). */
export interface FakeInit {
  stage?: Stage
  facts?: Partial<Facts>
  role?: Role
  key?: KeyView | null
  /** The key's password (for the fake's unlock). */
  password?: string
  officeKeys?: OfficeKeyView[]
  submissions?: SubmissionView[]
  intake?: IntakeView[]
  trust?: TrustedKeyView[]
  /** 冲突 documents the fake reports until resolved. */
  conflicts?: ConflictView[]
  /** 冲突 register records (as the API lists them) until one is kept or renumbered. */
  unitConflicts?: UnitConflictView[]
  requests?: RequestView[]
  /** The duty board's lines (statuses as the core would compute them). */
  duties?: DutyRowView[]
  /** The year-end review's documents. */
  yearEnd?: YearEndItem[]
  /** 征求意见: what consultGet answers first, then the views the next calls answer, in order
   *  (replayed as the API gave them; the fake holds no rule). */
  consult?: ConsultView | null
  consultNext?: (ConsultView | ApiError)[]
  /** What consultWindow answers (days, short, warning), as the API computed it. */
  consultWindow?: Omit<WindowView, 'from' | 'to'>
}

const NO_REACH: Reach = { affects_public: false, replaces_policy: false, has_benefits: false }

/** A duty board line as the API would show it. */
export function dutyRow(over: Partial<DutyRowView> = {}): DutyRowView {
  return {
    duty_id: 'T01',
    title: '按季度公开《政府工作报告》各项任务进展情况、取得成效和后续举措',
    unit: 'zazd',
    unit_name: '治安支队',
    due: '2026-09-30',
    status: 'overdue',
    fulfilled_by: [],
    note: '',
    recordable: true,
    ...over,
  }
}

export function dutyBoard(period: string, rows: DutyRowView[]): DutyBoardView {
  const n = (s: string) => rows.filter((r) => r.status === s).length
  return { on: '2026-12-05', period, rows, overdue: n('overdue'), stale: n('stale'), due: n('due'), done: n('done') }
}

/** A register entry as the API would show it (the clock is the API's to count). */
export function requestView(over: Partial<RequestView> = {}): RequestView {
  return {
    request_id: 'req-1',
    serial: '2026-001',
    received: '2026-09-18',
    channel: '网络',
    applicant_type: '自然人',
    applicant: '张** 138****5678',
    content: '户籍窗口投诉处理情况',
    unit_id: 'zazd',
    status: 'open',
    due: '2026-10-22',
    due_provisional: false,
    days_left: 12,
    correction_due: '2026-09-29',
    pauses: [],
    appeals: [],
    origin: 'local',
    unsent: 0,
    ...over,
  }
}

const COLS = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']
const cell3 = (group: string, row: string, values: number[]) =>
  COLS.map((column, i) => ({ table: '三', group, row, column_group: '', column, value: values[i], records: values[i] ? ['2026-001'] : [] }))
export const REPORT_CELLS = [
  ...cell3('', '一、本年新收政府信息公开申请数量', [1, 0, 0, 0, 0, 0, 1]),
  ...cell3('', '二、上年结转政府信息公开申请数量', [0, 0, 0, 0, 0, 0, 0]),
  ...cell3('三、本年度办理结果', '（一）予以公开', [1, 0, 0, 0, 0, 0, 1]),
  ...cell3('三、本年度办理结果', '（七）总计', [1, 0, 0, 0, 0, 0, 1]),
  ...cell3('', '四、结转下年度继续办理', [0, 0, 0, 0, 0, 0, 0]),
  ...['行政复议', '行政诉讼 未经复议直接起诉', '行政诉讼 复议后起诉'].flatMap((g) =>
    ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].map((column) => ({
      table: '四', group: '', row: '', column_group: g, column, value: 0, records: [] as string[],
    })),
  ),
]

/** Table 三's rows as the API lays them out (headings carry no numbers). */
export const REPORT_ROWS = [
  { label: '一、本年新收政府信息公开申请数量', level: 0, group: '', heading: false },
  { label: '二、上年结转政府信息公开申请数量', level: 0, group: '', heading: false },
  { label: '三、本年度办理结果', level: 0, group: '', heading: true },
  { label: '（一）予以公开', level: 1, group: '三、本年度办理结果', heading: false },
  { label: '（七）总计', level: 1, group: '三、本年度办理结果', heading: false },
  { label: '四、结转下年度继续办理', level: 0, group: '', heading: false },
]

export function fakeBackend(
  over: Partial<Backend> = {},
  init: FakeInit = {},
): { [K in keyof Backend]: ReturnType<typeof vi.fn> & Backend[K] } {
  let rev = 1
  let review: DeidReview = deidReview()
  /** The clerk's de-identification steps so far, replayed by the oracle for each answer. */
  const deidSteps: unknown[] = []
  const deidStep = (step: { op: string; req?: Record<string, unknown> }): DeidAnswer => {
    const req = step.req ? { ...step.req, doc_id: undefined } : undefined
    const a = deidAsk(DEID_FIELDS, [...deidSteps, { ...step, req }])
    deidSteps.push({ ...step, req })
    // The package's images are the fake's own (the oracle's document has none).
    review = { ...a.review, images: review.images }
    return a
  }
  // The publication of doc-1, in memory.
  let stage: Stage = init.stage ?? 'drafting'
  let returnedReason: string | null = null
  // The exchange, in memory.
  const role: Role = init.role ?? 'unit'
  let key: KeyView | null = init.key ?? null
  let keyPassword = init.password ?? '12345678'
  const officeKeys: OfficeKeyView[] = (init.officeKeys ?? []).slice()
  let submissions: SubmissionView[] = (init.submissions ?? []).slice()
  let intake: IntakeView[] = (init.intake ?? []).slice()
  let trust: TrustedKeyView[] = (init.trust ?? []).slice()
  let seq = 0
  let conflicts: ConflictView[] = (init.conflicts ?? []).slice()
  let unitConflicts: UnitConflictView[] = (init.unitConflicts ?? []).slice()
  const conflictCount = () => conflicts.length + unitConflicts.length
  let sync: SyncStatus = {
    configured: false,
    hub: null,
    pending: 0,
    waiting: 0,
    conflicts: conflictCount(),
    last_sync: null,
    last_error: null,
    last_error_code: null,
  }
  let disclosure: Disclosure | null = null
  let pkg: Package = emptyPackage()
  let pkgHead: { rev_id: string; rev_no: number } | null = null
  let secrecy: { review: SecrecyReview; rev_no: number } | null = null
  let signoff: SignoffView | null = null
  const log: LogEntry[] = []
  const pauses: PauseView[] = []
  const images = new Map<string, { media_type: string; data_base64: string; added: { file_name: string; data_base64: string; caption: string } }>()
  let calendar = { version: 1, years: [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026] }
  const reach = () => disclosure?.reach ?? NO_REACH
  const addedImages = () => [...images.values()].map((i) => i.added)
  const pkgView = (): PackageView =>
    packageView(pkg, {
      head: pkgHead ? { ...pkgHead, author_name: '王晓明', created_at: '2026-01-05T02:00:00Z', content_sha256: 'h' } : null,
      check: packageCheck(pkg, reach(), addedImages()),
      revision_count: pkgHead?.rev_no ?? 0,
    })
  const disclosureView = (): DisclosureView => ({
    doc_id: 'doc-1',
    disclosure,
    decided_by: disclosure ? '王晓明' : null,
    decided_at: disclosure ? '2026-01-05T02:00:00Z' : null,
    issues: [],
    locked: ask<boolean>('attribute_locked', { stage }),
  })
  const secrecyView = (): SecrecyView => ({
    doc_id: 'doc-1',
    review: secrecy?.review ?? null,
    rev_no: secrecy?.rev_no ?? null,
    current: !!secrecy && secrecy.rev_no === rev,
    problems: secrecy ? secrecyProblems(secrecy.review, disclosure?.attribute) : [],
    recorded_by: secrecy ? '王晓明' : null,
    recorded_at: secrecy ? '2026-01-05T02:00:00Z' : null,
  })
  const currentFacts = (): Facts =>
    facts({
      attribute_set: !!disclosure,
      needs_interpretation: true,
      interpretation_complete: !!pkgHead && packageCheck(pkg, reach(), addedImages()).complete,
      deid_pending: review.pending,
      deid_applied: !!review.report,
      secrecy_cleared: !!secrecy && secrecyView().problems.length === 0 && secrecy.rev_no === rev,
      signoff_recorded: !!signoff,
      ...init.facts,
    })
  const wfView = (): WorkflowView =>
    workflowView(stage, currentFacts(), {
      log: log.slice(),
      signoff,
      // The deadlines are a test's own fixture (workflowView's `over`): the fake counts no time rule.
      deadlines: [],
      pauses: pauses.slice(),
      returned_reason: stage === 'returned' ? returnedReason : null,
    })
  const move = (to: Stage, reason: string) => {
    log.push({
      from: stage,
      from_label: STAGE_LABELS[stage],
      to,
      to_label: STAGE_LABELS[to],
      actor: '王晓明',
      at: '2026-01-05T02:00:00Z',
      reason,
      doc_rev_id: `rev-${rev}`,
      package_rev_id: pkgHead?.rev_id ?? null,
    })
    stage = to
  }
  /**
   * Throws the API's refusal of `request` for `command` on a new installation of this role (its
   * document at `stage`), if it refuses it. The fake asks where its own state is the new
   * installation's (no key, no office key, no hub yet).
   */
  const refusal = (command: string, request: unknown, at?: Stage) => {
    askResult('refusal', { command, role, stage: at, request })
  }
  /** What a test asked of the fake that its state does not hold: the test's mistake, not a refusal. */
  const missing = (what: string) => new Error(`the fake backend holds no ${what}`)
  /** Throws the API's refusal to unlock this PC's key with `password` (or that there is none). */
  const unlock = (password: string) => {
    askResult('unlock', { key_password: key ? keyPassword : null, password })
  }
  const setTrust = (changed: TrustedKeyView) => {
    const k = { ...changed, actions: keyActions(changed) }
    trust = trust.map((x) => (x.key_id === k.key_id ? k : x))
    return k
  }
  /** The API's answer to the office's `action` on a unit's key in `k`'s state. */
  const keyChange = (k: TrustedKeyView, action: string, request: Record<string, unknown>) =>
    askResult<Pick<TrustedKeyView, 'state' | 'revoke_reason'>>('key_change', { state: k.state, action, request })
  const findTrust = (keyId: string) => {
    const k = trust.find((x) => x.key_id === keyId)
    if (!k) throw missing(`key ${keyId}`)
    return k
  }
  /** A bundle's verdict, from its file name (the tests' fixture): `bad` fails two checks, `late` warns. */
  const verdictOf = (path: string): VerdictView => {
    return verdictView({
      submission_id: `sub-${path.includes('bad') ? 'bad' : 'ok'}`,
      reasons: path.includes('bad') ? BAD_REASONS : [],
      warnings: path.includes('late') ? [{ code: 'deadline_passed', message: '主动公开时限已过（应于2026年11月20日前公开）。' }] : [],
    })
  }
  const registry: RequestView[] = (init.requests ?? []).slice()
  /** How each application this fake recorded was made and changed, replayed by the oracle. */
  const history = new Map<string, { new: unknown; changes: unknown[] }>()
  /** The API's view of an application under this fake's id and serial. */
  const ours = (real: RequestView, id: Pick<RequestView, 'request_id' | 'serial'>): RequestView => ({
    ...real,
    request_id: id.request_id,
    serial: id.serial,
  })
  let duties: DutyRowView[] = (init.duties ?? []).slice()
  let yearEnd: YearEndItem[] = (init.yearEnd ?? []).slice()
  let consult: ConsultView | null = init.consult ?? null
  const consultNext = (init.consultNext ?? []).slice()
  const consultStep = async (): Promise<ConsultView> => {
    const next = consultNext.shift()
    if (next && 'code' in next) throw next
    if (next) consult = next
    if (!consult) throw missing('a consultation (give init.consult or init.consultNext)')
    return consult
  }
  const reportTexts = { overview: '', problems: '', other: '' }
  const figures: FigureView[] = [
    { key: 'licensing', label: '行政许可', amount: false },
    { key: 'penalty', label: '行政处罚', amount: false },
    { key: 'coercion', label: '行政强制', amount: false },
    { key: 'fees', label: '行政事业性收费', amount: true },
  ]
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
      throw missing('revision')
    }),
    docRestore: vi.fn(async () => docView()),
    docSearch: vi.fn(async () => []),
    deidKinds: vi.fn(async () => DEID_KINDS),
    deidReview: vi.fn(async () => review),
    deidDecide: vi.fn(async (req) => {
      deidStep({ op: 'decide', req })
      return review
    }),
    deidImageConfirm: vi.fn(async (req) => {
      review = {
        ...review,
        images: review.images.map((i) =>
          i.sha256 === req.sha256 ? { ...i, confirmed_by: '王晓明', confirmed_at: '2026-03-02T09:00:00Z' } : i,
        ),
      }
      return review
    }),
    deidMark: vi.fn(async (req) => {
      deidStep({ op: 'mark', req })
      return review
    }),
    deidApply: vi.fn(async () => deidStep({ op: 'apply' }).applied!),
    disclosureOptions: vi.fn(async () => OPTIONS),
    packageGet: vi.fn(async () => pkgView()),
    packageSave: vi.fn(async (req: PackageSaveRequest) => {
      const n = (pkgHead?.rev_no ?? 0) + 1
      pkg = JSON.parse(JSON.stringify(req.package)) as Package
      pkgHead = { rev_id: `pkg-${n}`, rev_no: n }
      return pkgView()
    }),
    packageImageAdd: vi.fn(async (req: ImageAddRequest) => {
      const added = { file_name: req.file_name, data_base64: req.data_base64, caption: req.caption }
      const g = askResult<Graphic>('image_add', added)
      images.set(g.sha256, { media_type: g.media_type, data_base64: req.data_base64, added })
      return g
    }),
    packageImage: vi.fn(async (req: ImageRef) => {
      const img = images.get(req.sha256)
      if (!img) throw missing(`image ${req.sha256}`)
      return img
    }),
    disclosureGet: vi.fn(async () => disclosureView()),
    disclosureSet: vi.fn(async (req: DisclosureSetRequest) => {
      if (disclosureView().locked) refusal('disclosure_set', req, 'in_review')
      disclosure = askResult<{ disclosure: Disclosure }>('disclosure', req.disclosure).disclosure
      return disclosureView()
    }),
    secrecyGet: vi.fn(async () => secrecyView()),
    secrecyRecord: vi.fn(async (req: SecrecyRecordRequest) => {
      secrecy = { review: JSON.parse(JSON.stringify(req.review)) as SecrecyReview, rev_no: rev }
      return secrecyView()
    }),
    workflowStatus: vi.fn(async () => wfView()),
    workflowTransition: vi.fn(async (req: TransitionRequest) => {
      const reason = req.reason.trim()
      askResult('transition', { from: stage, to: req.to, facts: currentFacts(), reason })
      move(req.to, reason)
      return wfView()
    }),
    signoffRecord: vi.fn(async (req: SignoffRequest) => {
      refusal('signoff_record', req, stage)
      signoff = {
        signer: req.signer.trim(),
        signed_on: req.signed_on,
        opinion: req.opinion.trim(),
        recorded_by: '王晓明',
        doc_rev_no: rev,
        package_rev_no: pkgHead?.rev_no ?? null,
      }
      move('signed', `${signoff.signer}签发：${signoff.opinion}`)
      return wfView()
    }),
    eventRecord: vi.fn(async (req: EventRequest) => {
      refusal('event_record', req)
      return wfView()
    }),
    deadlinePause: vi.fn(async (req: PauseRequest) => {
      refusal('deadline_pause', req)
      pauses.push({ start: req.start, end: req.end, reason: req.reason.trim(), recorded_by: '王晓明' })
      return wfView()
    }),
    deadlinesPanel: vi.fn(async () => []),
    calendarImport: vi.fn(async (req: CalendarImportRequest) => {
      const { years } = askResult<CalendarInfo>('calendar_import', req)
      calendar = { version: calendar.version + 1, years }
      return calendar
    }),
    calendarInfo: vi.fn(async () => calendar),
    docImport: vi.fn(async () => {
      const doc = docView({ title: '导入的通知', body: ['一、总体要求'] })
      return { doc, left_out: '已忽略：1 条批注', notices: [], tables: 0, images: [], outside_body: [] }
    }),
    docExportDocx: vi.fn(async (req: { doc_id: string; path: string; redacted: boolean }) => ({
      path: req.path || `/导出/通知（${req.redacted ? '公开文本' : '工作稿'}）.docx`,
      bytes: 12345,
      sha256: 'a'.repeat(64),
    })),
    interpretationExportDocx: vi.fn(async (req: { path: string }) => ({
      path: req.path || '/导出/通知（政策解读）.docx',
      bytes: 2345,
      sha256: 'b'.repeat(64),
    })),
    formsPrint: vi.fn(async (req: { form: string; path: string }) => ({
      path: req.path || `/导出/通知（${req.form}）.pdf`,
      bytes: 50000,
      sha256: 'c'.repeat(64),
    })),
    exchangeInfo: vi.fn(async () => ({ role, key, office_keys: officeKeys.slice() })),
    keysGenerate: vi.fn(async (req: KeyGenerateRequest) => {
      refusal('keys_generate', req)
      const algorithm = req.algorithm.trim() || 'minisign-ed25519'
      key = keyView({ algorithm, key_id: `K${++seq}`.padEnd(16, '0') })
      keyPassword = req.password
      return key
    }),
    keysEnrolmentRequest: vi.fn(async (req: KeyUseRequest) => {
      unlock(req.password)
      return { path: req.path || `/导出/密钥登记申请-zazd-${key!.key_id}.json`, bytes: 900, sha256: 'e'.repeat(64) }
    }),
    keysEnrolmentForm: vi.fn(async (req: PathRequest) => {
      if (!key) refusal('keys_enrolment_form', req)
      return { path: req.path || `/导出/签名密钥登记表-zazd-${key!.key_id}.pdf`, bytes: 40000, sha256: 'f'.repeat(64) }
    }),
    keysPublicFile: vi.fn(async (req: PathRequest) => {
      if (!key) refusal('keys_public_file', req)
      return { path: req.path || `/导出/公钥-zhzx-wsgaban-${key!.key_id}.pub`, bytes: 90, sha256: 'a'.repeat(64) }
    }),
    officeKeyPin: vi.fn(async (req: OfficeKeyRequest) => {
      const pinned = askResult<OfficeKeyView>('refusal', { command: 'office_key_pin', role, request: req })
      if (!officeKeys.some((k) => k.key_id === pinned.key_id)) officeKeys.push(pinned)
      return pinned
    }),
    bundleExport: vi.fn(async (req: BundleExportRequest) => {
      unlock(req.password)
      const s = submissionView({ submission_id: `sub-${++seq}`, doc_id: req.doc_id, key_id: key!.key_id })
      submissions = [s, ...submissions]
      move('packaged', `生成报送包 ${s.submission_id}`)
      return { submission: s, file: { path: req.path || `/导出/${s.file_name}`, bytes: s.bytes, sha256: 'd'.repeat(64) }, files: BUNDLE_FILES, new: true }
    }),
    bundleList: vi.fn(async (req: DocRef) => submissions.filter((s) => s.doc_id === req.doc_id)),
    bundleRewrite: vi.fn(async (req: BundleRewriteRequest) => {
      const s = submissions.find((x) => x.submission_id === req.submission_id)
      if (!s) throw missing(`submission ${req.submission_id}`)
      return { path: req.path || `/导出/${s.file_name}`, bytes: s.bytes, sha256: 'd'.repeat(64) }
    }),
    /** The receipt's decision is read from the file name: …accepted…, …returned…, …published…. */
    receiptImport: vi.fn(async (req: FileRequest) => {
      if (!officeKeys.length) refusal('receipt_import', req)
      const decision = (['accepted', 'returned', 'published'] as const).find((d) => req.path.includes(d))
      const sub = submissions[0]
      if (!decision || !sub) throw missing(`a submission and a decision in the file name ${req.path}`)
      const receipt = receiptView(decision, { submission_id: sub.submission_id })
      if (sub.receipts.some((r) => r.receipt_id === receipt.receipt_id))
        return { receipt, doc_id: sub.doc_id, title: '关于优化户籍迁移登记服务的通知', new: false, stage, note: '这份回执之前已导入过，未作改动。' }
      const effect = ask<{ moves: Stage[]; note: string | null }>('receipt_effect', { stage, decision })
      if (decision === 'returned') returnedReason = receipt.reasons.map((r) => r.message).join('；')
      for (const to of effect.moves) move(to, `指挥中心回执：${receipt.label}`)
      const note = effect.note
      submissions = submissions.map((s) => (s === sub ? { ...s, receipts: [...s.receipts, receipt] } : s))
      return { receipt, doc_id: sub.doc_id, title: '关于优化户籍迁移登记服务的通知', new: true, stage, note }
    }),
    trustList: vi.fn(async () => {
      return trust.slice()
    }),
    trustEnrol: vi.fn(async () => {
      const k = trustedKey({ key_id: `T${++seq}`.padEnd(16, '0'), unit_code: 'jjzd', unit_name: '交警支队', clerk: '李四' })
      trust = [...trust, k]
      return k
    }),
    trustActivate: vi.fn(async (req: KeyActivateRequest) => {
      const k = findTrust(req.key_id)
      askResult('fingerprint', { typed: req.fingerprint, enrolled: k.fingerprint })
      return setTrust({ ...k, state: 'active', activated_at: '2026-11-21T02:00:00Z' })
    }),
    trustRetire: vi.fn(async (req: KeyRetireRequest) => {
      const k = findTrust(req.key_id)
      const { state } = keyChange(k, 'retire', { overlap_days: req.overlap_days })
      return setTrust({ ...k, state, retired_until: '2026-12-21T02:00:00Z' })
    }),
    trustRevoke: vi.fn(async (req: KeyRevokeRequest) => {
      const k = findTrust(req.key_id)
      const { state, revoke_reason } = keyChange(k, 'revoke', { reason: req.reason })
      return setTrust({ ...k, state, revoked_at: '2026-11-22T02:00:00Z', revoke_reason })
    }),
    /** The verdict is read from the file name: …bad… fails, …late… warns. */
    bundleVerify: vi.fn(async (req: FileRequest) => {
      return verdictOf(req.path)
    }),
    intakeReceive: vi.fn(async (req: FileRequest) => {
      const verdict = verdictOf(req.path)
      const known = intake.find((x) => x.submission_id === verdict.submission_id)
      if (known) return { verdict: { ...verdict, duplicate: true }, recorded: false, intake: known }
      const row = intakeView({ submission_id: verdict.submission_id!, verdict })
      intake = [row, ...intake]
      return { verdict, recorded: true, intake: row }
    }),
    intakeList: vi.fn(async () => {
      return intake.slice()
    }),
    intakeFiles: vi.fn(async (req: IntakeFilesRequest) => {
      const row = intake.find((x) => x.submission_id === req.submission_id)
      if (!row) throw missing(`received submission ${req.submission_id}`)
      const folder = `/导出/收件-${row.unit_code}-${row.submission_id.slice(0, 8)}`
      return {
        folder,
        files: row.verdict.files.map((f) => ({ path: `${folder}/${f.path}`, bytes: f.size, sha256: f.sha256 })),
      }
    }),
    intakeDecide: vi.fn(async (req: DecideRequest) => {
      const row = intake.find((x) => x.submission_id === req.submission_id)
      if (!row) throw missing(`received submission ${req.submission_id}`)
      let reasons: ReasonView[] = []
      let status: string
      if (req.decision === 'accept') {
        status = 'accepted'
      } else if (req.decision === 'return') {
        reasons = req.reasons.map((message) => ({ code: 'reviewer', message }))
        status = 'returned'
      } else if (req.decision === 'publish') {
        status = 'published'
      } else throw { code: 'Internal', message: 'not faked' }
      unlock(req.password)
      const kind = status as 'accepted' | 'returned' | 'published'
      const receipt = receiptView(kind, {
        receipt_id: `rc-${++seq}`,
        submission_id: row.submission_id,
        reasons,
        published_on: kind === 'published' ? req.published_on : null,
        url: kind === 'published' ? req.url.trim() : null,
      })
      const next = { ...row, status, receipts: [...row.receipts, receipt] }
      next.actions = intakeActions(next)
      intake = intake.map((x) => (x === row ? next : x))
      const name = `回执-${row.unit_code}-${row.title}-${receipt.label}.json`
      return { receipt, file: { path: req.path || `/导出/${name}`, bytes: 700, sha256: '1'.repeat(64) }, intake: next }
    }),
    syncConfig: vi.fn(async (req) => {
      refusal('sync_config', req)
      sync = { ...sync, configured: true, hub: req.hub.trim() }
      return sync
    }),
    syncStatus: vi.fn(async () => ({ ...sync, conflicts: conflictCount() })),
    syncNow: vi.fn(async (req) => {
      if (!sync.configured) refusal('sync_now', req)
      unlock(req.password)
      sync = { ...sync, pending: 0, last_sync: '2026-12-04T02:00:00Z', last_error: null, last_error_code: null }
      const status = { ...sync, conflicts: conflictCount() }
      return {
        pushed: 2,
        pulled: 3,
        applied_revisions: 1,
        new_conflicts: 0,
        uploaded: 0,
        received: 0,
        key_list_version: null,
        reference: 0,
        waiting_for_key: false,
        register_sent: 0,
        register_received: 0,
        register_problems: [],
        status,
      }
    }),
    syncBackgroundStart: vi.fn(async (req) => {
      if (!sync.configured) refusal('sync_background_start', req)
      unlock(req.password)
      sync = { ...sync, background: { next_at: '2026-12-04T02:00:00.000Z', failures: 0 } }
      return { ...sync, conflicts: conflictCount() }
    }),
    syncBackgroundStop: vi.fn(async () => {
      sync = { ...sync, background: undefined }
      return { ...sync, conflicts: conflictCount() }
    }),
    syncConflicts: vi.fn(async () => conflicts),
    unitConflicts: vi.fn(async () => unitConflicts),
    unitResolve: vi.fn(async (req) => {
      unitConflicts = unitConflicts.filter((c) => c.register !== req.register)
      return unitConflicts
    }),
    requestRenumber: vi.fn(async (req) => {
      unitConflicts = unitConflicts.filter((c) => !c.requests.some((r) => r.request_id === req.request_id))
      return '2026-009'
    }),
    syncExportMedia: vi.fn(async (req) => {
      unlock(req.password)
      const file = { path: req.path, bytes: 4096, sha256: '2'.repeat(64) }
      if (req.unit) return { file, changes: 0, ranges: [], submissions: 0, receipts: 2, reference: 7, notes: 1, notes_waiting: 0 }
      return { file, changes: 3, ranges: ['dev/keys=1-1', 'dev/main=1-2'], submissions: 1, receipts: 0, reference: 0, notes: 0, notes_waiting: 0 }
    }),
    requestNew: vi.fn(async (req) => {
      const n = registry.length + 1
      const made = { new: req, changes: [] }
      const v = ours(askResult<RequestView>('request', { role, ...made }), { request_id: `req-${n}`, serial: `2026-${String(n).padStart(3, '0')}` })
      history.set(v.request_id, made)
      registry.unshift(v)
      return v
    }),
    requestGet: vi.fn(async (req) => {
      const v = registry.find((r) => r.request_id === req.doc_id || r.serial === req.doc_id)
      if (!v) throw missing(`application ${req.doc_id}`)
      return v
    }),
    requestList: vi.fn(async (req) => registry.filter((r) => !req.open || !r.reply)),
    requestOutcomes: vi.fn(async () => ask<OutcomeView[]>('request_outcomes', null)),
    requestChange: vi.fn(async (req) => {
      const i = registry.findIndex((r) => r.request_id === req.request_id)
      if (i < 0) throw missing(`application ${req.request_id}`)
      let v = { ...registry[i] }
      const made = history.get(v.request_id)
      if (req.action === 'draft' || req.action === 'return') {
        // What the unit's draft, or the office's return of it, makes of an application passed on.
        const side = req.action === 'draft' ? 'unit' : 'office'
        const d = askResult<Pick<DraftView, 'outcome' | 'note' | 'state' | 'reason'>>('passed_on', { side, request: { ...req, request_id: '' } })
        v.draft = side === 'unit' ? { ...d, by: '王晓明', at: '2026-12-05T02:00:00Z' } : { ...v.draft!, state: d.state, reason: d.reason }
        if (side === 'unit') v.unsent = 1
      } else if (made) {
        // An application this fake recorded: the API's view after the same steps.
        const changes = [...made.changes, { ...req, request_id: '' }]
        v = ours(askResult<RequestView>('request', { role, new: made.new, changes }), v)
        made.changes = changes
      } else throw missing(`the recording of ${v.serial} (record it with requestNew to change it)`)
      registry[i] = v
      return v
    }),
    reportAnnual: vi.fn(async (req) => ({
      year: req.year,
      cells: REPORT_CELLS,
      texts: { ...reportTexts },
      last_year: { overview: '2025年，本单位认真贯彻条例……', problems: '', other: '' },
      figures: figures.map((f) => ({ ...f })),
      rows_three: REPORT_ROWS,
      balanced: true,
    })),
    dutiesExport: vi.fn(async (req) => {
      return { path: req.path, bytes: 2048, sha256: '6'.repeat(64) }
    }),
    reviewYearEnd: vi.fn(async (req) => ({ year: req.year, items: yearEnd, pending: yearEnd.filter((i) => i.outcome === 'pending').length })),
    reviewYearEndDecide: vi.fn(async (req) => {
      refusal('review_year_end_decide', req)
      yearEnd = yearEnd.map((i) => (i.doc_id === req.doc_id ? { ...i, outcome: req.convert ? 'converted' : 'confirmed', review_reason: req.reason, reviewed_by: '王晓明' } : i))
      return { year: req.year, items: yearEnd, pending: yearEnd.filter((i) => i.outcome === 'pending').length }
    }),
    dutiesBoard: vi.fn(async (req) => dutyBoard(req.period ?? '2026', duties)),
    dutiesSetPeriod: vi.fn(async () => dutyBoard('2026', duties)),
    reviewYearEndFinish: vi.fn(async (req) => ({ year: req.year, items: yearEnd, pending: 0 })),
    consultWindow: vi.fn(async (req) => ({ ...(init.consultWindow ?? { days: 30, min_days: 30, short: false, warning: '' }), from: req.from, to: req.to })),
    consultGet: vi.fn(async () => consult),
    consultOpen: vi.fn(consultStep),
    consultCommentAdd: vi.fn(consultStep),
    consultCommentImport: vi.fn(consultStep),
    consultCommentDecide: vi.fn(consultStep),
    consultFeedback: vi.fn(consultStep),
    consultFeedbackKeep: vi.fn(consultStep),
    consultFeedbackConfirm: vi.fn(consultStep),
    consultClose: vi.fn(consultStep),
    dutiesRecord: vi.fn(async (req) => {
      refusal('duties_record', req)
      duties = duties.map((r) => (r.duty_id === req.duty_id && r.status !== 'done' ? { ...r, status: 'done', fulfilled_by: [`${req.date} ${req.note}`] } : r))
      return dutyBoard('2026', duties)
    }),
    reportFiguresQueue: vi.fn(async (req) => ({ year: req.year, note_id: 'note-1', sent_at: '2026-12-05T02:00:00Z' })),
    reportFiguresSend: vi.fn(async (req) => {
      unlock(req.password)
      return { path: req.path, bytes: 4000, sha256: '5'.repeat(64) }
    }),
    reportFiguresReceive: vi.fn(async (req) => ({
      year: 2026,
      units: [
        { unit_code: 'zazd', unit_name: '治安支队', sent_at: '2026-12-05T02:00:00Z', cells: [] },
        { unit_code: 'jjzd', unit_name: '交警支队', cells: [] },
      ],
      total: REPORT_CELLS,
      missing: req.path.includes('all') ? [] : ['交警支队'],
    })),
    reportFiguresCollection: vi.fn(async (req) => ({
      year: req.year,
      units: [
        { unit_code: 'zazd', unit_name: '治安支队', cells: [] },
        { unit_code: 'jjzd', unit_name: '交警支队', cells: [] },
      ],
      total: [],
      missing: ['治安支队', '交警支队'],
    })),
    reportFigureSet: vi.fn(async (req) => {
      refusal('report_figure_set', req)
      const f = figures.find((x) => x.key === req.key)!
      f.value = req.value
      f.entered_by = req.value === undefined ? undefined : '王晓明'
      return figures.map((x) => ({ ...x }))
    }),
    reportTextSave: vi.fn(async (req) => {
      reportTexts[req.section as keyof typeof reportTexts] = req.text
      return { ...reportTexts }
    }),
    requestLetter: vi.fn(async (req) => {
      return { path: req.path, bytes: 18000, sha256: '4'.repeat(64) }
    }),
    reportExport: vi.fn(async (req) => ({ path: req.path, bytes: 20480, sha256: '3'.repeat(64) })),
    syncImportMedia: vi.fn(async (req) => {
      unlock(req.password)
      return { changes: 3, applied_revisions: 2, new_conflicts: 0, waiting: 0, received: 0, receipts: 1, reference: 0, register: 1, problems: [] }
    }),
    docResolve: vi.fn(async (req) => {
      const c = conflicts.find((x) => x.doc_id === req.doc_id)
      if (!c) throw missing(`conflict of ${req.doc_id}`)
      conflicts = conflicts.filter((x) => x !== c)
      rev++
      return { saved: true, head: revMeta(rev), issues: [], paragraphs: [] }
    }),
    ...over,
  }
  return b as never
}
