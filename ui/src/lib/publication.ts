// Presentation helpers of the publication screens: labels, where a closed gate is acted on, how a
// deadline reads, dates in China Standard Time, files read as base64. The rules (gates, checks,
// deadlines) come from the backend; nothing here decides them.
import type { DueState } from '../bindings/DueState'
import type { Gate } from '../bindings/Gate'
import type { ObligationView } from '../bindings/ObligationView'
import type { SectionKey } from '../bindings/SectionKey'
import type { Stage } from '../bindings/Stage'
import type { WorkflowView } from '../bindings/WorkflowView'

/** The tabs of the document page, in the order of the workflow (Alt+1 … Alt+6). */
export type DocTab = 'body' | 'attribute' | 'interp' | 'consult' | 'secrecy' | 'deadlines'

export const DOC_TABS: { name: DocTab; label: string }[] = [
  { name: 'body', label: '正文' },
  { name: 'attribute', label: '公开属性' },
  { name: 'interp', label: '政策解读' },
  { name: 'consult', label: '征求意见' },
  { name: 'secrecy', label: '保密审查与签发' },
  { name: 'deadlines', label: '时限' },
]

/** The written sections of an interpretation, in the order they are printed. */
export const SECTION_KEYS: SectionKey[] = [
  'background',
  'basis',
  'main_content',
  'core_concepts',
  'changes',
  'scope',
  'standards',
  'benefits',
]

export const SECTION_LABELS: Record<SectionKey, string> = {
  background: '背景和目的',
  basis: '依据',
  main_content: '主要内容',
  core_concepts: '核心概念',
  changes: '新旧政策差异',
  scope: '影响范围',
  standards: '执行标准及注意事项',
  benefits: '惠企利民举措及享受条件',
}

export const SECTION_HINTS: Record<SectionKey, string> = {
  background: '为什么出台：要解决什么问题、群众和企业反映了什么。',
  basis: '依据哪些法律法规、上级文件和工作部署。',
  main_content: '用通俗的语言说明规定了什么、怎么办理。',
  core_concepts: '文件中关键术语的含义。',
  changes: '与原政策相比改了什么、为什么改。',
  scope: '适用于哪些人、哪些单位、哪些事项。',
  standards: '办理标准、时限和需要注意的事项。',
  benefits: '惠企利民的具体举措，以及享受的条件和办理方式。',
}

/** Where the clerk acts on a closed gate (by its stable code). */
export const GATE_TABS: Record<string, DocTab> = {
  attribute_missing: 'attribute',
  interpretation_incomplete: 'interp',
  deid_pending: 'body',
  deid_not_applied: 'body',
  image_unreviewed: 'body',
  placeholder_unfilled: 'body',
  secrecy_not_cleared: 'secrecy',
  signoff_missing: 'secrecy',
  review_stale: 'secrecy',
  consultation_unfinished: 'consult',
}

export const GATE_ACTIONS: Record<DocTab, string> = {
  body: '去标识化',
  attribute: '确定公开属性',
  interp: '填写解读',
  consult: '征求意见',
  secrecy: '保密审查与签发',
  deadlines: '时限',
}

export function gateTab(g: Gate): DocTab {
  return GATE_TABS[g.code] ?? 'body'
}

/** Every gate still closed on the way, each once, in the order of the steps. */
export function openGates(w: WorkflowView | null): { stage: Stage; label: string; gate: Gate }[] {
  if (!w) return []
  const seen = new Set<string>()
  const out: { stage: Stage; label: string; gate: Gate }[] = []
  for (const s of w.steps) {
    if (s.state === 'done') continue
    for (const g of s.gates) {
      if (seen.has(g.code)) continue
      seen.add(g.code)
      out.push({ stage: s.stage, label: s.label, gate: g })
    }
  }
  return out
}

/** The closed gates a tab is where the clerk acts on: those keeping the next step closed (`now`)
 *  and those further on (`later`). */
export function gatesFor(w: WorkflowView | null, tab: DocTab): { now: Gate[]; later: Gate[] } {
  const next = new Set((w?.next_gates ?? []).map((g) => g.code))
  const mine = openGates(w)
    .map((x) => x.gate)
    .filter((g) => gateTab(g) === tab)
  const now = (w?.next_gates ?? []).filter((g) => gateTab(g) === tab)
  return { now, later: mine.filter((g) => !next.has(g.code)) }
}

export const DUE_STATE_LABELS: Record<DueState, string> = {
  waiting: '未起算',
  running: '计时中',
  overdue: '已逾期',
  done: '已完成',
  done_late: '逾期完成',
}

/** How much time is left, as the clerk reads it. */
export function daysLeftText(o: ObligationView): string {
  switch (o.state) {
    case 'overdue':
      return `已逾期${Math.abs(o.days_left ?? 0)}个工作日`
    case 'running':
      return o.days_left === 0 ? '今天到期' : `剩${o.days_left ?? 0}个工作日`
    case 'waiting':
      return `待“${o.trigger_label}”后起算`
    case 'done':
      return o.done ? `已于${chineseDate(o.done)}完成` : '已完成'
    case 'done_late':
      return o.done ? `${chineseDate(o.done)}完成（已逾期）` : '逾期完成'
  }
}

export const PROVISIONAL_NOTE = '暂按周一至周五推算'

/** Today in China Standard Time (the bureau's dates), `YYYY-MM-DD`. */
export function todayCst(now: Date = new Date()): string {
  const cst = new Date(now.getTime() + 8 * 3600 * 1000)
  return cst.toISOString().slice(0, 10)
}

/** A date `YYYY-MM-DD` → 2026年11月23日. */
export function chineseDate(d: string | null | undefined): string {
  if (!d) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d)
  if (!m) return d
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`
}

/** A share 0–1 → "37%". */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}

/** The bytes of a file, base64 (without a data: prefix). */
export function readFileBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onerror = () => reject(r.error ?? new Error('读取文件失败'))
    r.onload = () => {
      const url = String(r.result ?? '')
      const comma = url.indexOf(',')
      resolve(comma >= 0 ? url.slice(comma + 1) : url)
    }
    r.readAsDataURL(file)
  })
}

/** The text of a file (UTF-8). */
export function readFileText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onerror = () => reject(r.error ?? new Error('读取文件失败'))
    r.onload = () => resolve(String(r.result ?? ''))
    r.readAsText(file, 'utf-8')
  })
}

/** Sizes for image lists: 1.2 MB, 350 KB. */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}

// The tab last shown per document, so coming back from the de-identification review (or the
// list) shows the same tab.
const lastTabs = new Map<string, DocTab>()

export function rememberedTab(docId: string): DocTab {
  return lastTabs.get(docId) ?? 'body'
}

export function rememberTab(docId: string, tab: DocTab): void {
  lastTabs.set(docId, tab)
}
