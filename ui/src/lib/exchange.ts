// Presentation helpers of the exchange screens (keys, bundles, receipts, intake, trust store):
// labels and how a fingerprint reads. Which key may sign, whether a bundle verifies, where a
// receipt moves a document: all decided by the backend; nothing here decides them.
import type { ReasonView } from '../bindings/ReasonView'

/** The office that receives the bundles: the unit preselected for the office role. */
export const OFFICE_UNIT_ID = 'zhzx-wsgaban'

export const ALGORITHMS: { value: string; label: string; hint: string }[] = [
  { value: 'minisign-ed25519', label: 'Ed25519（minisign，默认）', hint: '通用签名算法，指挥中心默认使用。' },
  { value: 'sm2-sm3', label: '国密 SM2/SM3（国密配置）', hint: '按国密要求使用 SM2 签名、SM3 摘要。' },
]

export function algorithmLabel(a: string): string {
  if (a === 'sm2-sm3') return '国密 SM2/SM3'
  if (a === 'minisign-ed25519' || a === '') return 'Ed25519（minisign）'
  return a
}

/** A fingerprint (16 groups of 4 hex digits) as 4 rows of 4 groups, as printed on the form. */
export function fingerprintRows(fp: string): string[] {
  const groups = fp.trim().split(/\s+/).filter(Boolean)
  const rows: string[] = []
  for (let i = 0; i < groups.length; i += 4) rows.push(groups.slice(i, i + 4).join(' '))
  return rows
}

export const KEY_STATE_LABELS: Record<string, string> = {
  pending: '待启用',
  active: '已启用',
  retiring: '过渡期',
  retired: '已停用',
  revoked: '已吊销',
}

export type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary'

export const KEY_STATE_TAGS: Record<string, TagType> = {
  pending: 'warning',
  active: 'success',
  retiring: 'warning',
  retired: 'info',
  revoked: 'danger',
}

export const INTAKE_STATUS_LABELS: Record<string, string> = {
  received: '待处理',
  accepted: '已受理',
  returned: '已退文',
  published: '已发布',
}

export const INTAKE_STATUS_TAGS: Record<string, TagType> = {
  received: 'warning',
  accepted: 'primary',
  returned: 'danger',
  published: 'success',
}

export const RECEIPT_TAGS: Record<string, TagType> = {
  accepted: 'primary',
  returned: 'danger',
  published: 'success',
}

/** What a file in a bundle is. */
export const FILE_ROLE_LABELS: Record<string, string> = {
  policy_docx: '政策文件（去标识化公开文本）',
  interpretation_docx: '政策解读',
  image: '图解图片',
  form_pdf: '审查表单',
}

/** A reason as the reviewer reads it: `[code] message`. */
export function reasonLine(r: ReasonView): string {
  return `[${r.code}] ${r.message}`
}

/** The last part of a path (either separator). */
export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p
}

/** The reviewer's return reasons typed one per line. */
export function reasonLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}
