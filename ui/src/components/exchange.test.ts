// The exchange with the central office: the role at setup, the signing key, the bundle and the
// receipts on a unit's PC, intake and the trust store on the office's PC.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import type { AppStatus } from '../bindings/AppStatus'
import type { KeyView } from '../bindings/KeyView'
import {
  FINGERPRINT,
  OFFICE_PUBLIC_KEY,
  docView,
  facts,
  fakeBackend,
  intakeView,
  keyView,
  receiptView,
  submissionView,
  trustedKey,
  verdictView,
  workflowView,
  BAD_REASONS,
} from '../test/fakeBackend'

vi.mock('../lib/files', () => ({
  pickDocx: vi.fn(async () => null),
  pickSavePath: vi.fn(async (name: string) => `/home/clerk/U盘/${name}`),
  pickOpenPath: vi.fn(async () => null),
  openInSystem: vi.fn(async () => {}),
  revealInFolder: vi.fn(async () => {}),
}))

import * as files from '../lib/files'
import App from '../App.vue'
import SetupView from './SetupView.vue'
import KeysDialog from './KeysDialog.vue'
import SubmissionPanel from './SubmissionPanel.vue'
import EditorView from './EditorView.vue'
import OfficeIntake from './OfficeIntake.vue'
import OfficeTrust from './OfficeTrust.vue'

function mountWith<C>(component: C, backend: Backend, props: Record<string, unknown> = {}) {
  return mount(component as never, {
    props: props as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
  })
}

const $ = <E extends Element = HTMLElement>(sel: string) => document.body.querySelector<E & HTMLElement>(sel)
const $$ = (sel: string) => Array.from(document.body.querySelectorAll<HTMLElement>(sel))
const text = () => document.body.textContent ?? ''

async function settle(n = 3) {
  for (let i = 0; i < n; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function type(sel: string, value: string) {
  const el = $<HTMLInputElement>(sel)
  if (!el) throw new Error(`no ${sel}`)
  el.value = value
  el.dispatchEvent(new Event('input', { bubbles: true }))
  await flushPromises()
}

async function enter(sel: string) {
  $(sel)!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }))
  await settle()
}

async function click(sel: string) {
  const el = $(sel)
  if (!el) throw new Error(`no ${sel}`)
  el.click()
  await settle()
}

/** A button in an open message box, by its text. */
async function clickBoxButton(label: string) {
  const b = $$('.el-message-box button').find((x) => x.textContent?.includes(label))
  if (!b) throw new Error(`no message box button ${label}`)
  b.click()
  await settle()
}

/** A promise the test resolves, to look at the screen while a call is running. */
function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

beforeEach(() => {
  vi.mocked(files.pickOpenPath).mockReset().mockResolvedValue(null)
  vi.mocked(files.openInSystem).mockClear()
  vi.mocked(files.revealInFolder).mockClear()
  vi.mocked(files.pickSavePath).mockClear()
})

afterEach(() => {
  document.body.innerHTML = ''
  localStorage.clear()
})

// ---- setup ----------------------------------------------------------------------------------------

describe('SetupView: the role', () => {
  const units = vi.fn(async () => [
    { id: 'zazd', name: '治安支队', parent: null, kind: 'department', verified: true },
    { id: 'zhzx-wsgaban', name: '指挥中心网上公安办公室', parent: 'zhzx', kind: 'office', verified: true },
  ])

  it('choosing the office preselects 指挥中心网上公安办公室 and sends role office', async () => {
    const backend = fakeBackend({ units })
    const w = mountWith(SetupView, backend)
    await flushPromises()
    // 报送单位 is the default.
    expect(w.find('[data-testid=setup-role-unit] input').element).toHaveProperty('checked', true)
    await w.find('[data-testid=setup-role-office] input').setValue(true)
    await flushPromises()
    expect(w.find('[data-testid=setup-unit]').text()).toContain('指挥中心网上公安办公室')
    await w.find('[data-testid=setup-name] input').setValue('赵六')
    await w.find('[data-testid=setup-submit]').trigger('click')
    await flushPromises()
    expect(backend.setup).toHaveBeenCalledWith({ unit_id: 'zhzx-wsgaban', clerk_name: '赵六', role: 'office' })
    w.unmount()
  })

  it('going back to 报送单位 clears the preselected office unit', async () => {
    const backend = fakeBackend({ units })
    const w = mountWith(SetupView, backend)
    await flushPromises()
    await w.find('[data-testid=setup-role-office] input').setValue(true)
    await w.find('[data-testid=setup-role-unit] input').setValue(true)
    await w.find('[data-testid=setup-name] input').setValue('赵六')
    await w.find('[data-testid=setup-submit]').trigger('click')
    await flushPromises()
    expect(backend.setup).not.toHaveBeenCalled()
    expect(w.text()).toContain('请选择所在单位')
    w.unmount()
  })
})

// ---- the key dialog ---------------------------------------------------------------------------------

describe('KeysDialog', () => {
  it('refuses mismatched passwords before calling the backend, then generates the 国密 key with progress', async () => {
    const backend = fakeBackend()
    const gate = deferred<KeyView>()
    const real = backend.keysGenerate.getMockImplementation()!
    backend.keysGenerate.mockImplementationOnce(async (req) => {
      const k = await real(req)
      await gate.promise
      return k
    })
    const w = mountWith(KeysDialog, backend, { modelValue: true, role: 'unit' })
    await settle()
    expect($('[data-testid=keys-dialog] [data-testid=keys-form]')).toBeTruthy()
    await type('input[data-testid=keys-password]', 'mima12345')
    await type('input[data-testid=keys-password2]', 'mima12346')
    await click('[data-testid=keys-generate]')
    expect(backend.keysGenerate).not.toHaveBeenCalled()
    expect($('[data-testid=keys-error]')!.textContent).toContain('两次输入的密码不一致')

    await type('input[data-testid=keys-password2]', 'mima12345')
    await click('[data-testid=keys-algorithm-sm2] input')
    // Enter in the confirm box generates.
    await enter('input[data-testid=keys-password2]')
    expect(backend.keysGenerate).toHaveBeenCalledWith({ password: 'mima12345', algorithm: 'sm2-sm3' })
    expect($('[data-testid=keys-progress]')!.textContent).toContain('正在生成密钥')
    gate.resolve(keyView())
    await settle()
    expect($('[data-testid=keys-progress]')).toBeNull()
    const fp = $('[data-testid=keys-fingerprint]')!
    // 4 rows of 4 groups, as on the printed form.
    expect(Array.from(fp.children).map((r) => r.textContent)).toEqual([
      '3FA2 90C1 7B4E 0D55',
      'A1C3 9E07 24BB 6F10',
      'C8D2 5A39 E6F4 0B71',
      '92AD 3C58 7E06 D1F9',
    ])
    expect($('[data-testid=keys-algorithm]')!.textContent).toContain('国密 SM2/SM3')
    expect(text()).toContain('私钥只保存在本机')
    w.unmount()
  })

  it('shows the backend refusal of a short password inline', async () => {
    const backend = fakeBackend()
    const w = mountWith(KeysDialog, backend, { modelValue: true, role: 'unit' })
    await settle()
    await type('input[data-testid=keys-password]', 'short')
    await type('input[data-testid=keys-password2]', 'short')
    await click('[data-testid=keys-generate]')
    expect(backend.keysGenerate).toHaveBeenCalledWith({ password: 'short', algorithm: 'minisign-ed25519' })
    expect($('[data-testid=keys-error]')!.textContent).toContain('密码至少8位')
    expect($('[data-testid=keys-fingerprint]')).toBeNull()
    w.unmount()
  })

  it('writes the enrolment request where the clerk chooses, after the password; a wrong one stays in the prompt', async () => {
    const backend = fakeBackend({}, { key: keyView(), password: 'mima12345' })
    const w = mountWith(KeysDialog, backend, { modelValue: true, role: 'unit' })
    await settle()
    await click('[data-testid=keys-enrol-request]')
    const pw = $<HTMLInputElement>('[data-testid=enrol-password]')!
    expect(pw.tagName).toBe('INPUT')
    expect(pw.type).toBe('password')
    await type('[data-testid=enrol-password]', 'wrong-pass')
    await enter('[data-testid=enrol-password]')
    expect(backend.keysEnrolmentRequest).toHaveBeenLastCalledWith({ password: 'wrong-pass', path: '/home/clerk/U盘/密钥登记申请-9F3A61C2B07D44E1.json' })
    expect($('[data-testid=enrol-error]')!.textContent).toContain('密码不正确')
    expect($('[data-testid=keys-enrol-result]')).toBeNull()

    await type('[data-testid=enrol-password]', 'mima12345')
    await click('[data-testid=enrol-confirm]')
    expect(files.pickSavePath).toHaveBeenLastCalledWith('密钥登记申请-9F3A61C2B07D44E1.json', 'json')
    expect($('[data-testid=keys-enrol-result]')!.textContent).toContain('/home/clerk/U盘/密钥登记申请-9F3A61C2B07D44E1.json')
    await click('[data-testid=keys-enrol-reveal]')
    expect(files.revealInFolder).toHaveBeenCalledWith('/home/clerk/U盘/密钥登记申请-9F3A61C2B07D44E1.json')
    w.unmount()
  })

  it('prints the enrolment form by opening the PDF in the system viewer', async () => {
    const backend = fakeBackend({}, { key: keyView() })
    const w = mountWith(KeysDialog, backend, { modelValue: true, role: 'unit' })
    await settle()
    await click('[data-testid=keys-enrol-form]')
    expect(backend.keysEnrolmentForm).toHaveBeenCalledWith({ path: '' })
    expect(files.openInSystem).toHaveBeenCalledWith('/导出/签名密钥登记表-zazd-9F3A61C2B07D44E1.pdf')
    expect($('[data-testid=keys-form-result]')!.textContent).toContain('签名密钥登记表')
    w.unmount()
  })

  it('pins the office key from a .pub file and lists it; a bad key is refused inline', async () => {
    const backend = fakeBackend({}, { key: keyView() })
    const w = mountWith(KeysDialog, backend, { modelValue: true, role: 'unit' })
    await settle()
    expect($('[data-testid=keys-office-none]')).toBeTruthy()
    await type('textarea[data-testid=keys-office-key]', '不是公钥')
    await click('[data-testid=keys-office-pin]')
    expect($('[data-testid=keys-office-error]')!.textContent).toContain('不是有效的 minisign 公钥')
    expect($$('[data-testid=keys-office-row]')).toHaveLength(0)

    const input = $<HTMLInputElement>('[data-testid=keys-office-file]')!
    const pub = new File([`untrusted comment: minisign public key E7620F1842B4E81F\n${OFFICE_PUBLIC_KEY}\n`], 'office.pub')
    Object.defineProperty(input, 'files', { value: [pub], configurable: true })
    input.dispatchEvent(new Event('change'))
    await settle(5)
    expect($<HTMLTextAreaElement>('textarea[data-testid=keys-office-key]')!.value).toContain(OFFICE_PUBLIC_KEY)
    await click('[data-testid=keys-office-pin]')
    expect(backend.officeKeyPin).toHaveBeenLastCalledWith({ public_key: expect.stringContaining(OFFICE_PUBLIC_KEY) })
    const rows = $$('[data-testid=keys-office-row]')
    expect(rows).toHaveLength(1)
    expect(rows[0].textContent).toContain('E7620F1842B4E81F')
    expect($('[data-testid=keys-office-error]')).toBeNull()
    w.unmount()
  })

  it('on the office PC: no algorithm choice; the public key with a copy button', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const backend = fakeBackend({}, { role: 'office' })
    const w = mountWith(KeysDialog, backend, { modelValue: true, role: 'office' })
    await settle()
    expect($('[data-testid=keys-algorithm-sm2]')).toBeNull()
    expect($('[data-testid=keys-enrol-request]')).toBeNull()
    await type('input[data-testid=keys-password]', 'office-pass')
    await type('input[data-testid=keys-password2]', 'office-pass')
    await click('[data-testid=keys-generate]')
    expect(backend.keysGenerate).toHaveBeenCalledWith({ password: 'office-pass', algorithm: '' })
    const pub = $('[data-testid=keys-public-key]')!
    expect(pub.textContent).toBe(keyView().public_key)
    await click('[data-testid=keys-copy]')
    expect(writeText).toHaveBeenCalledWith(keyView().public_key)
    expect($('[data-testid=keys-public-file]')).toBeNull()
    await click('[data-testid=keys-export-public]')
    expect(backend.keysPublicFile).toHaveBeenCalledWith({ path: '' })
    expect($('[data-testid=keys-public-file]')!.textContent).toContain('.pub')
    w.unmount()
  })
})

// ---- the unit's bundle ---------------------------------------------------------------------------------

const DONE = facts({
  attribute_set: true,
  interpretation_complete: true,
  deid_applied: true,
  secrecy_cleared: true,
  signoff_recorded: true,
})

describe('SubmissionPanel', () => {
  it('offers 生成报送包 only at 已签发 and 标记已报送 only at 已封装; 导入回执 always', async () => {
    for (const stage of ['drafting', 'in_review', 'signed', 'packaged', 'submitted', 'accepted', 'returned'] as const) {
      const w = mountWith(SubmissionPanel, fakeBackend(), { docId: 'doc-1', workflow: workflowView(stage, DONE) })
      await flushPromises()
      expect([stage, w.find('[data-testid=bundle-export]').exists()]).toEqual([stage, stage === 'signed'])
      expect([stage, w.find('[data-testid=submission-mark-sent]').exists()]).toEqual([stage, stage === 'packaged'])
      expect([stage, w.find('[data-testid=bundle-rewrite]').exists()]).toEqual([stage, stage === 'packaged'])
      expect(w.find('[data-testid=receipt-import]').exists()).toBe(true)
      w.unmount()
    }
  })

  it('at 已签发 lists what the core says is still missing for the bundle', async () => {
    const w = mountWith(SubmissionPanel, fakeBackend(), {
      docId: 'doc-1',
      workflow: workflowView('signed', { ...DONE, deid_applied: false }),
    })
    await flushPromises()
    const gates = w.findAll('[data-testid=bundle-gate]')
    expect(gates.map((g) => g.attributes('data-code'))).toEqual(['deid_not_applied'])
    expect(gates[0].text()).toContain('当前版本尚未完成去标识化')
    w.unmount()
  })

  it('generates the bundle after the password (Enter), with progress, then shows where it went and what is inside', async () => {
    const backend = fakeBackend({}, { stage: 'signed', facts: DONE, key: keyView(), password: 'mima12345' })
    const gate = deferred<void>()
    const real = backend.bundleExport.getMockImplementation()!
    backend.bundleExport.mockImplementation(async (req) => {
      await gate.promise
      return real(req)
    })
    const beforeAction = vi.fn(async () => true)
    const w = mountWith(SubmissionPanel, backend, { docId: 'doc-1', workflow: workflowView('signed', DONE), beforeAction })
    await flushPromises()
    await w.find('[data-testid=bundle-export]').trigger('click')
    await settle()
    expect(beforeAction).toHaveBeenCalled()
    const pw = $<HTMLInputElement>('[data-testid=bundle-password]')!
    expect(pw.tagName).toBe('INPUT')
    expect(pw.type).toBe('password')
    await type('[data-testid=bundle-password]', 'wrong-pass')
    await enter('[data-testid=bundle-password]')
    expect($('[data-testid=bundle-progress]')!.textContent).toContain('正在生成报送包')
    gate.resolve()
    await settle()
    expect($('[data-testid=bundle-error]')!.textContent).toContain('密码不正确')
    expect(w.emitted('changed')).toBeUndefined()

    await type('[data-testid=bundle-password]', 'mima12345')
    await click('[data-testid=bundle-confirm]')
    expect(backend.bundleExport).toHaveBeenLastCalledWith({ doc_id: 'doc-1', password: 'mima12345', path: '' })
    expect($('[data-testid=bundle-result] [data-testid=bundle-result-path]')!.textContent).toContain(
      '/导出/报送包-关于优化户籍迁移登记服务的通知-0190a1b2.zip',
    )
    const files_ = $('[data-testid=bundle-files]')!.textContent!
    expect(files_).toContain('policy.docx')
    expect(files_).toContain('政策文件（去标识化公开文本）')
    expect(files_).toContain('24 KB')
    expect(w.emitted('changed')).toHaveLength(1)
    await click('[data-testid=bundle-reveal]')
    expect(files.revealInFolder).toHaveBeenCalledWith('/导出/报送包-关于优化户籍迁移登记服务的通知-0190a1b2.zip')
    // 另存一份: the same bundle, byte for byte, where the clerk chooses.
    await click('[data-testid=bundle-save-copy]')
    expect(backend.bundleRewrite).toHaveBeenLastCalledWith({
      submission_id: 'sub-1',
      path: '/home/clerk/U盘/报送包-关于优化户籍迁移登记服务的通知-0190a1b2.zip',
    })
    expect($('[data-testid=bundle-result-path]')!.textContent).toContain('/home/clerk/U盘/')
    // The list of this document's bundles is reloaded.
    expect(w.findAll('[data-testid=submission-row]')).toHaveLength(1)
    w.unmount()
  })

  it('without a key: shows the API message and offers the key dialog', async () => {
    const backend = fakeBackend({}, { stage: 'signed', facts: DONE })
    const w = mountWith(SubmissionPanel, backend, { docId: 'doc-1', workflow: workflowView('signed', DONE) })
    await flushPromises()
    await w.find('[data-testid=bundle-export]').trigger('click')
    await settle()
    await type('[data-testid=bundle-password]', 'whatever1')
    await click('[data-testid=bundle-confirm]')
    expect($('.el-message-box')!.textContent).toContain('本机还没有签名密钥：请先在“签名密钥”中生成密钥')
    await clickBoxButton('打开签名密钥')
    expect(w.emitted('keys')).toHaveLength(1)
    w.unmount()
  })

  it('标记已报送 sends the transition to 已报送 with the reason, U盘送交 by default', async () => {
    const backend = fakeBackend({}, { stage: 'packaged', facts: DONE, submissions: [submissionView()] })
    const w = mountWith(SubmissionPanel, backend, { docId: 'doc-1', workflow: workflowView('packaged', DONE) })
    await flushPromises()
    await w.find('[data-testid=submission-mark-sent]').trigger('click')
    await settle()
    expect($<HTMLInputElement>('input[data-testid=submission-sent-reason]')!.value).toBe('U盘送交')
    await click('[data-testid=submission-sent-confirm]')
    expect(backend.workflowTransition).toHaveBeenCalledWith({ doc_id: 'doc-1', to: 'submitted', reason: 'U盘送交' })
    expect((w.emitted('update')?.[0]?.[0] as { stage: string }).stage).toBe('submitted')
    w.unmount()
  })

  it('重新写出报送包 writes the same bundle again and shows where', async () => {
    const backend = fakeBackend({}, { stage: 'packaged', facts: DONE, submissions: [submissionView()] })
    const w = mountWith(SubmissionPanel, backend, { docId: 'doc-1', workflow: workflowView('packaged', DONE) })
    await flushPromises()
    await w.find('[data-testid=bundle-rewrite]').trigger('click')
    await settle()
    expect(backend.bundleRewrite).toHaveBeenCalledWith({ submission_id: 'sub-1', path: '' })
    expect($('[data-testid=bundle-result-path]')!.textContent).toContain('/导出/报送包-')
    w.unmount()
  })

  it('importing a returned receipt lists each reason and asks for a refresh', async () => {
    const backend = fakeBackend(
      {},
      { stage: 'submitted', facts: DONE, submissions: [submissionView()], officeKeys: [{ key_id: 'E7620F1842B4E81F', public_key: OFFICE_PUBLIC_KEY }] },
    )
    vi.mocked(files.pickOpenPath).mockResolvedValueOnce('/media/U盘/回执-returned.json')
    const w = mountWith(SubmissionPanel, backend, { docId: 'doc-1', workflow: workflowView('submitted', DONE) })
    await flushPromises()
    await w.find('[data-testid=receipt-import]').trigger('click')
    await settle()
    expect(files.pickOpenPath).toHaveBeenCalledWith(expect.any(String), 'json')
    expect(backend.receiptImport).toHaveBeenCalledWith({ path: '/media/U盘/回执-returned.json' })
    expect($('[data-testid=receipt-decision]')!.textContent).toContain('已退文')
    const reasons = $$('[data-testid=receipt-reason]')
    expect(reasons.map((r) => r.dataset.code)).toEqual(['pii_found', 'reviewer'])
    expect(reasons[0].textContent).toContain('公开文本中仍有未去标识化的手机号码（1处）。')
    expect(reasons[1].textContent).toContain('解读材料未说明新旧政策差异。')
    expect(w.emitted('changed')).toHaveLength(1)
    // The list shows the receipt under its bundle.
    expect(w.find('[data-testid=submission-receipt]').attributes('data-decision')).toBe('returned')
    w.unmount()
  })

  it('a 发布 receipt shows the date and opens the URL; a note says when nothing moved', async () => {
    const backend = fakeBackend({
      receiptImport: vi.fn(async () => ({
        receipt: receiptView('published'),
        doc_id: 'doc-1',
        title: '关于优化户籍迁移登记服务的通知',
        new: true,
        stage: 'published' as const,
        note: '这是该文件较早一次报送的回执，已记录，不改变当前流程。',
      })),
    })
    vi.mocked(files.pickOpenPath).mockResolvedValueOnce('/media/回执.json')
    const w = mountWith(SubmissionPanel, backend, { docId: 'doc-1', workflow: workflowView('accepted', DONE) })
    await flushPromises()
    await w.find('[data-testid=receipt-import]').trigger('click')
    await settle()
    expect($('[data-testid=receipt-published]')!.textContent).toContain('2026年11月26日')
    await click('[data-testid=receipt-url]')
    expect(files.openInSystem).toHaveBeenCalledWith('https://gaj.example.gov.cn/zwgk/2026/1126.html')
    expect($('[data-testid=receipt-note]')!.textContent).toContain('较早一次报送的回执')
    w.unmount()
  })

  it('no office key yet: the receipt import offers the key dialog', async () => {
    const backend = fakeBackend({}, { stage: 'submitted', submissions: [submissionView()] })
    vi.mocked(files.pickOpenPath).mockResolvedValueOnce('/media/回执-accepted.json')
    const w = mountWith(SubmissionPanel, backend, { docId: 'doc-1', workflow: workflowView('submitted', DONE) })
    await flushPromises()
    await w.find('[data-testid=receipt-import]').trigger('click')
    await settle()
    expect($('.el-message-box')!.textContent).toContain('尚未登记指挥中心的回执公钥')
    await clickBoxButton('打开签名密钥')
    expect(w.emitted('keys')).toHaveLength(1)
    w.unmount()
  })
})

describe('EditorView with the submission panel', () => {
  it('after the bundle is made the workflow shows 已封装', async () => {
    const backend = fakeBackend({}, { stage: 'signed', facts: DONE, key: keyView(), password: 'mima12345' })
    const w = mountWith(EditorView, backend, { docId: 'doc-1', initial: docView({ title: '关于优化户籍迁移登记服务的通知' }) })
    await settle()
    expect(w.find('[data-testid=workflow-stage]').text()).toBe('已签发')
    await w.find('[data-testid=bundle-export]').trigger('click')
    await settle()
    await type('[data-testid=bundle-password]', 'mima12345')
    await enter('[data-testid=bundle-password]')
    expect(w.find('[data-testid=workflow-stage]').text()).toBe('已封装')
    expect(w.find('[data-testid=submission-mark-sent]').exists()).toBe(true)
    expect(w.find('[data-testid=bundle-export]').exists()).toBe(false)
    w.unmount()
  })

  it('the office role has no submission panel', async () => {
    const w = mountWith(EditorView, fakeBackend(), { docId: 'doc-1', initial: docView(), role: 'office' })
    await settle()
    expect(w.find('[data-testid=workflow]').exists()).toBe(true)
    expect(w.find('[data-testid=submission-panel]').exists()).toBe(false)
    w.unmount()
  })
})

// ---- the office ----------------------------------------------------------------------------------------

const OFFICE = { role: 'office' as const, key: keyView(), password: 'office-pass' }

function rowOf(id: string): HTMLElement {
  const cell = $(`[data-testid=intake-row][data-id="${id}"]`)
  if (!cell) throw new Error(`no intake row ${id}`)
  return cell.closest('tr')!
}

describe('OfficeIntake', () => {
  it('a failing bundle: red 校验未通过 with every reason code; 受理 disabled, 退文 open', async () => {
    const backend = fakeBackend({}, OFFICE)
    vi.mocked(files.pickOpenPath).mockResolvedValueOnce('/media/U盘/bad-late.zip')
    const w = mountWith(OfficeIntake, backend)
    await settle()
    await w.find('[data-testid=intake-receive]').trigger('click')
    await settle()
    expect(files.pickOpenPath).toHaveBeenCalledWith(expect.any(String), 'zip')
    expect(backend.intakeReceive).toHaveBeenCalledWith({ path: '/media/U盘/bad-late.zip' })
    const result = w.find('[data-testid=intake-result]')
    expect(result.find('[data-testid=verdict]').attributes('data-ok')).toBe('false')
    expect(result.find('[data-testid=verdict-headline]').text()).toContain('校验未通过')
    const reasons = result.findAll('[data-testid=verdict-reason]').map((r) => r.text())
    expect(reasons).toEqual(BAD_REASONS.map((r) => `[${r.code}] ${r.message}`))
    expect(result.find('[data-testid=verdict-warning]').text()).toContain('[deadline_passed]')
    expect(result.find('[data-testid=verdict-unit]').text()).toContain('治安支队')
    expect(result.find('[data-testid=verdict-submission]').text()).toBe('sub-bad')
    expect(result.find('[data-testid=verdict-files]').text()).toContain('interpretation.docx')
    const row = rowOf('sub-bad')
    expect(row.querySelector('[data-testid=intake-status]')!.textContent).toContain('待处理')
    expect(row.querySelector<HTMLButtonElement>('[data-testid=intake-accept]')!.disabled).toBe(true)
    expect(row.querySelector<HTMLButtonElement>('[data-testid=intake-return]')!.disabled).toBe(false)
    w.unmount()
  })

  it('查看文件 writes the bundle out and shows the policy in its folder', async () => {
    const backend = fakeBackend({}, OFFICE)
    vi.mocked(files.pickOpenPath).mockResolvedValueOnce('/media/U盘/good.zip')
    const w = mountWith(OfficeIntake, backend)
    await settle()
    await w.find('[data-testid=intake-receive]').trigger('click')
    await settle()
    vi.mocked(files.revealInFolder).mockClear()
    rowOf('sub-ok').querySelector<HTMLButtonElement>('[data-testid=intake-files]')!.click()
    await settle()
    expect(backend.intakeFiles).toHaveBeenCalledWith({ submission_id: 'sub-ok', path: '' })
    expect(files.revealInFolder).toHaveBeenCalledTimes(1)
    expect(vi.mocked(files.revealInFolder).mock.calls[0][0]).toMatch(/policy\.docx$/)
    w.unmount()
  })

  it('a passing bundle is accepted after the password; the receipt path is shown with 打开所在文件夹', async () => {
    const backend = fakeBackend({}, OFFICE)
    vi.mocked(files.pickOpenPath).mockResolvedValueOnce('/media/U盘/good.zip')
    const w = mountWith(OfficeIntake, backend)
    await settle()
    await w.find('[data-testid=intake-receive]').trigger('click')
    await settle()
    expect(w.find('[data-testid=verdict-headline]').text()).toContain('校验通过')
    expect(w.find('[data-testid=intake-recorded]').attributes('data-recorded')).toBe('true')
    const accept = rowOf('sub-ok').querySelector<HTMLButtonElement>('[data-testid=intake-accept]')!
    expect(accept.disabled).toBe(false)
    accept.click()
    await settle()
    await type('[data-testid=decide-password]', 'office-pass')
    await enter('[data-testid=decide-password]')
    expect(backend.intakeDecide).toHaveBeenCalledWith({
      submission_id: 'sub-ok',
      decision: 'accept',
      reasons: [],
      published_on: '',
      url: '',
      password: 'office-pass',
      path: '',
    })
    expect($('[data-testid=decide-result-path]')!.textContent).toContain('/导出/回执-zazd-关于优化户籍迁移登记服务的通知-已受理.json')
    await click('[data-testid=decide-reveal]')
    expect(files.revealInFolder).toHaveBeenCalledWith('/导出/回执-zazd-关于优化户籍迁移登记服务的通知-已受理.json')
    expect(rowOf('sub-ok').querySelector('[data-testid=intake-status]')!.textContent).toContain('已受理')
    w.unmount()
  })

  it('退文 says the verification reasons are added by the core and sends the reviewer lines', async () => {
    const bad = intakeView({ submission_id: 'sub-bad', verdict: verdictView({ submission_id: 'sub-bad', reasons: BAD_REASONS }) })
    const backend = fakeBackend({}, { ...OFFICE, intake: [bad] })
    const w = mountWith(OfficeIntake, backend)
    await settle()
    rowOf('sub-bad').querySelector<HTMLButtonElement>('[data-testid=intake-return]')!.click()
    await settle()
    const auto = $('[data-testid=decide-auto-reasons]')!.textContent!
    expect(auto).toContain('自动写入退文回执')
    expect(auto).toContain('[checksum_mismatch]')
    await type('textarea[data-testid=decide-reasons]', '解读材料未说明新旧政策差异\n\n  附件缺少图解  ')
    await type('[data-testid=decide-password]', 'office-pass')
    await click('[data-testid=decide-confirm]')
    expect(backend.intakeDecide).toHaveBeenCalledWith(
      expect.objectContaining({ submission_id: 'sub-bad', decision: 'return', reasons: ['解读材料未说明新旧政策差异', '附件缺少图解'] }),
    )
    expect(rowOf('sub-bad').querySelector('[data-testid=intake-status]')!.textContent).toContain('已退文')
    w.unmount()
  })

  it('登记发布 sends the date and URL; a wrong password stays in the dialog', async () => {
    const accepted = intakeView({ status: 'accepted' })
    const backend = fakeBackend({}, { ...OFFICE, intake: [accepted] })
    const w = mountWith(OfficeIntake, backend)
    await settle()
    const row = rowOf('sub-1')
    expect(row.querySelector<HTMLButtonElement>('[data-testid=intake-accept]')!.disabled).toBe(true)
    row.querySelector<HTMLButtonElement>('[data-testid=intake-publish]')!.click()
    await settle()
    expect($('[data-testid=decide-date]')).toBeTruthy()
    await type('input[data-testid=decide-url]', 'https://gaj.example.gov.cn/zwgk/1.html')
    await type('[data-testid=decide-password]', 'nope-nope')
    await click('[data-testid=decide-confirm]')
    expect($('[data-testid=decide-error]')!.textContent).toContain('密码不正确')
    await type('[data-testid=decide-password]', 'office-pass')
    await click('[data-testid=decide-confirm]')
    const req = backend.intakeDecide.mock.calls.at(-1)![0]
    expect(req).toMatchObject({ decision: 'publish', url: 'https://gaj.example.gov.cn/zwgk/1.html', password: 'office-pass' })
    expect(req.published_on).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(rowOf('sub-1').querySelector('[data-testid=intake-status]')!.textContent).toContain('已发布')
    w.unmount()
  })
})

describe('OfficeTrust', () => {
  it('enrols a request as 待启用; a fingerprint that does not match is refused inline; the right one activates', async () => {
    const backend = fakeBackend({}, OFFICE)
    vi.mocked(files.pickOpenPath).mockResolvedValueOnce('/media/U盘/密钥登记申请-jjzd.json')
    const w = mountWith(OfficeTrust, backend)
    await settle()
    await w.find('[data-testid=trust-enrol]').trigger('click')
    await settle()
    expect(backend.trustEnrol).toHaveBeenCalledWith({ path: '/media/U盘/密钥登记申请-jjzd.json' })
    const row = () => $('[data-testid=trust-row]')!.closest('tr')!
    expect(row().querySelector('[data-testid=trust-state]')!.textContent).toContain('待启用')
    expect(row().textContent).toContain('交警支队')
    expect(row().textContent).toContain('李四')
    expect(row().querySelector('[data-testid=trust-fp]')!.textContent).toContain('3FA2 90C1 7B4E 0D55')
    row().querySelector<HTMLButtonElement>('[data-testid=trust-activate]')!.click()
    await settle()
    await type('textarea[data-testid=trust-fingerprint]', '3FA2 90C1 7B4E 0D55 0000')
    await click('[data-testid=trust-activate-confirm]')
    expect(backend.trustActivate).toHaveBeenCalledTimes(1)
    expect($('[data-testid=trust-activate-error]')!.textContent).toContain('指纹与登记申请不一致')
    expect(row().querySelector('[data-testid=trust-state]')!.textContent).toContain('待启用')

    await type('textarea[data-testid=trust-fingerprint]', FINGERPRINT.toLowerCase())
    await click('[data-testid=trust-activate-confirm]')
    expect(backend.trustActivate).toHaveBeenLastCalledWith({ key_id: expect.any(String), fingerprint: FINGERPRINT.toLowerCase() })
    expect(row().querySelector('[data-testid=trust-state]')!.textContent).toContain('已启用')
    expect(row().querySelector('[data-testid=trust-activate]')).toBeNull()
    w.unmount()
  })

  it('停用 with 30 days of overlap by default; 吊销 needs a reason and a confirmation', async () => {
    const backend = fakeBackend({}, { ...OFFICE, trust: [trustedKey({ state: 'active', activated_at: '2026-11-21T02:00:00Z' })] })
    const w = mountWith(OfficeTrust, backend)
    await settle()
    const row = () => $('[data-testid=trust-row]')!.closest('tr')!
    row().querySelector<HTMLButtonElement>('[data-testid=trust-retire]')!.click()
    await settle()
    await click('[data-testid=trust-retire-confirm]')
    expect(backend.trustRetire).toHaveBeenCalledWith({ key_id: '9F3A61C2B07D44E1', overlap_days: 30 })
    expect(row().querySelector('[data-testid=trust-state]')!.textContent).toContain('过渡期')

    row().querySelector<HTMLButtonElement>('[data-testid=trust-revoke]')!.click()
    await settle()
    expect($<HTMLButtonElement>('[data-testid=trust-revoke-confirm]')!.disabled).toBe(true)
    await type('input[data-testid=trust-revoke-reason]', '电脑丢失')
    await click('[data-testid=trust-revoke-confirm]')
    expect($('.el-message-box')!.textContent).toContain('不能恢复')
    expect(backend.trustRevoke).not.toHaveBeenCalled()
    await clickBoxButton('吊销')
    expect(backend.trustRevoke).toHaveBeenCalledWith({ key_id: '9F3A61C2B07D44E1', reason: '电脑丢失' })
    expect(row().querySelector('[data-testid=trust-state]')!.textContent).toContain('已吊销')
    expect(row().textContent).toContain('电脑丢失')
    expect(row().querySelector('[data-testid=trust-revoke]')).toBeNull()
    w.unmount()
  })
})

// ---- the app ----------------------------------------------------------------------------------------------

function status(over: Partial<AppStatus> = {}): AppStatus {
  return {
    setup_needed: false,
    clerk: { id: 'c1', name: '王晓明', unit_id: 'zazd', device_id: 'd1' },
    unit: { id: 'zazd', name: '治安支队', parent: null, kind: 'department', verified: true },
    data_dir: '/d',
    db_path: '/d/gongkai.db',
    export_dir: '/e',
    schema_version: 1,
    seeds: [],
    open_error: null,
    role: 'unit',
    ...over,
  }
}

describe('App and the exchange', () => {
  it('the office role shows 收件审核 and 密钥信任库 instead of the document list', async () => {
    const backend = fakeBackend({ appStatus: vi.fn(async () => status({ role: 'office' })) }, { role: 'office' })
    const w = mountWith(App, backend)
    await settle()
    // The office's screen loads lazily.
    for (let i = 0; i < 100 && !w.find('[data-testid=office-view]').exists(); i++) await settle()
    await settle()
    expect(w.find('[data-testid=office-view]').exists()).toBe(true)
    expect(w.find('[data-testid=new-doc]').exists()).toBe(false)
    expect(w.find('[data-testid=office-tab-intake]').text()).toBe('收件审核')
    expect(w.find('[data-testid=office-tab-trust]').text()).toBe('密钥信任库')
    expect(backend.intakeList).toHaveBeenCalled()
    expect(w.find('[data-testid=office-no-key]').exists()).toBe(true)
    // Ctrl+N makes no document on the office's PC.
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', ctrlKey: true }))
    await settle()
    expect(backend.docCreate).not.toHaveBeenCalled()
    await w.find('[data-testid=keys-open]').trigger('click')
    await settle()
    expect(backend.exchangeInfo).toHaveBeenCalled()
    expect($('[data-testid=keys-form]')).toBeTruthy()
    w.unmount()
  })

  it('Ctrl+K opens the key dialog on a unit PC', async () => {
    const backend = fakeBackend({ appStatus: vi.fn(async () => status()) }, { key: keyView() })
    const w = mountWith(App, backend)
    await settle()
    expect($('[data-testid=keys-fingerprint]')).toBeNull()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }))
    await settle()
    expect($('[data-testid=keys-fingerprint]')!.textContent).toContain('3FA2 90C1 7B4E 0D55')
    w.unmount()
  })
})
