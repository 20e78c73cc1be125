import { describe, expect, it } from 'vitest'
import type { DocFields } from '../bindings/DocFields'
import { fieldsToForm, formToFields, insertAt, lineOffset } from './form'
import { matchShortcut } from './shortcuts'

const full: DocFields = {
  doc_type: 'request',
  issuing_authority: 'X市公安局',
  doc_number: 'X公发〔2026〕5号',
  title: '关于申请经费的请示',
  main_recipients: 'X市人民政府',
  cc: '',
  classification: { level: 'confidential', period: '1年' },
  urgency: 'urgent',
  date_written: '2026-01-05',
  signers: ['张三', '李四'],
  attachments: ['1．经费明细', '2．说明'],
  notes: '（联系人：王五）',
  body: ['一、基本情况', '', '（一）现状', '第一行\n第二行'],
  format: 'letter',
  co_issuers: ['X市财政局', 'X市司法局'],
  printing_office: 'X市公安局办公室',
  printed_on: '2026-01-06',
  mark: 'X市公安局',
  date_text: '',
  tables: [{ at: 1, widths: [2, 3], rows: [[{ text: '姓名', span: 1, merge: 'none', middle: false }, { text: '电话', span: 1, merge: 'none', middle: true }]] }],
}

describe('editor form ⇄ DocFields', () => {
  it('round-trips all fields', () => {
    expect(formToFields(fieldsToForm(full))).toEqual(full)
  })

  it("keeps a template's unfilled date until a date is chosen", () => {
    const form = fieldsToForm({ ...full, date_written: null, date_text: '20XX年XX月XX日' })
    expect(formToFields(form).date_text).toBe('20XX年XX月XX日')
    form.date_written = '2026-03-05'
    expect(formToFields(form).date_text).toBe('')
  })

  it('shows a line break inside a paragraph as ↵ and keeps the paragraph whole', () => {
    const form = fieldsToForm(full)
    expect(form.body_text.split('\n')).toHaveLength(4)
    expect(form.body_text.endsWith('第一行↵第二行')).toBe(true)
    expect(form.co_issuers_text).toBe('X市财政局、X市司法局')
  })
  it('maps none to null for the optional enums and an empty date to null', () => {
    const form = fieldsToForm(full)
    form.classification_level = 'none'
    form.urgency = 'none'
    form.date_written = ''
    const f = formToFields(form)
    expect(f.classification).toBeNull()
    expect(f.urgency).toBeNull()
    expect(f.date_written).toBeNull()
  })
  it('splits 签发人 and 附件说明 text', () => {
    const form = fieldsToForm(full)
    form.signers_text = '赵六，钱七'
    form.attachments_text = '甲\n\n乙'
    const f = formToFields(form)
    expect(f.signers).toEqual(['赵六', '钱七'])
    expect(f.attachments).toEqual(['甲', '乙'])
  })
})

describe('insertAt / lineOffset', () => {
  it('inserts 〔〕 at the caret with the caret between the brackets', () => {
    expect(insertAt('X公发2026', 3, 3, '〔〕', 1)).toEqual({ value: 'X公发〔〕2026', caret: 4 })
    expect(insertAt('ab', 9, 9, 'c')).toEqual({ value: 'abc', caret: 3 })
  })
  it('finds line starts', () => {
    const t = '一、甲\n乙\n\n丙'
    expect([0, 1, 2, 3, 9].map((i) => lineOffset(t, i))).toEqual([0, 4, 6, 7, t.length])
  })
})

describe('matchShortcut', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; isComposing: boolean }> = {}) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  })
  it('maps the shortcuts', () => {
    expect(matchShortcut(k('n', { ctrlKey: true }))).toBe('new')
    expect(matchShortcut(k('S', { ctrlKey: true }))).toBe('save')
    expect(matchShortcut(k('f', { metaKey: true }))).toBe('search')
    expect(matchShortcut(k('h', { ctrlKey: true }))).toBe('history')
    expect(matchShortcut(k('K', { ctrlKey: true }))).toBe('keys')
    expect(matchShortcut(k('k'))).toBeNull()
    expect(matchShortcut(k('Escape'))).toBe('back')
  })
  it('ignores plain keys, other modifiers and IME composition', () => {
    expect(matchShortcut(k('s'))).toBeNull()
    expect(matchShortcut(k('s', { ctrlKey: true, shiftKey: true }))).toBeNull()
    expect(matchShortcut(k('x', { ctrlKey: true }))).toBeNull()
    expect(matchShortcut(k('Escape', { isComposing: true }))).toBeNull()
  })
})
