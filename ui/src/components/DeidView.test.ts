import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import DeidView from './DeidView.vue'
import EditorView from './EditorView.vue'
import { DEID_FIELDS, DEID_TEXT, deidReview, docView, fakeBackend } from '../test/fakeBackend'

// The review is the real API's (its scanner, ids and counts), replayed by the fake backend.
const REV = deidReview().rev_id

function mountWith<C>(component: C, backend: Backend, props: Record<string, unknown> = {}) {
  return mount(component as never, {
    props: props as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
  })
}

/** Lets promises and zero-delay timers (the view waits for a paint before scanning) run. */
async function settle() {
  for (let i = 0; i < 3; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
  }
  await flushPromises()
}

function key(k: string) {
  window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }))
}

afterEach(() => {
  document.body.innerHTML = ''
  localStorage.clear()
})

describe('DeidView', () => {
  it('shows the scanning text, then the highlights in place and the counts', async () => {
    let resolve: (v: unknown) => void = () => {}
    const backend = fakeBackend({ deidReview: vi.fn(() => new Promise((r) => (resolve = r))) as never })
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    expect(w.text()).toContain('正在识别个人信息…')
    resolve(deidReview())
    await settle()
    expect(backend.deidReview).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    expect(w.text()).toContain('去标识化审查 — 第1版')
    expect(w.text()).toContain('共4处，待确认4处')
    expect(w.find('[data-testid=deid-pending]').text()).toBe('4')
    const spans = w.findAll('[data-testid=deid-span]')
    expect(spans.map((s) => s.text())).toEqual(['张伟', '张伟', '11010519491231002X', '13812345678'])
    expect(spans.every((s) => s.attributes('data-decision') === 'pending')).toBe(true)
    // The text pane shows the whole text, one line per paragraph.
    const lines = w.findAll('[data-testid=deid-text] .gk-deid-line').map((l) => l.text())
    expect(lines.filter(Boolean)).toEqual(DEID_TEXT.split('\n').filter(Boolean))
    // Items: grouped by kind with context and confidence.
    const items = w.findAll('[data-testid=deid-item]')
    expect(items).toHaveLength(4)
    const idCard = items.find((i) => i.find('.gk-item-orig').text() === '11010519491231002X')!
    expect(idCard.find('.gk-item-ctx').text()).toBe('…人😀：张伟，身份证号11010519491231002X，手机1381234…')
    expect(idCard.text()).toContain('99%')
    expect(w.find('[data-testid=deid-apply]').attributes('disabled')).toBeDefined()
    w.unmount()
  })

  it('J then A accepts the first finding; clicking a highlight selects it', async () => {
    const backend = fakeBackend()
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    const first = w.findAll('[data-testid=deid-item]')[0].attributes('data-id')!
    key('j')
    await settle()
    expect(w.find('[data-testid=deid-item].is-selected').attributes('data-id')).toBe(first)
    key('a')
    await settle()
    expect(backend.deidDecide).toHaveBeenCalledTimes(1)
    expect(backend.deidDecide).toHaveBeenCalledWith({
      doc_id: 'doc-1',
      rev_id: REV,
      finding_ids: [first],
      decision: 'accepted',
    })
    // The accepted highlight shows the original struck through and the replacement.
    const found = deidReview().findings.find((f) => f.id === first)!
    const span = w.find(`[data-testid=deid-span][data-id="${first}"]`)
    expect(span.attributes('data-decision')).toBe('accepted')
    expect(span.find('s').text()).toBe(found.text)
    expect(span.text()).toContain(found.replacement)
    expect(w.find('[data-testid=deid-pending]').text()).toBe('3')
    // The selection moved on to the next pending one; R rejects it.
    const second = w.findAll('[data-testid=deid-item]')[1].attributes('data-id')!
    key('r')
    await settle()
    expect(backend.deidDecide).toHaveBeenLastCalledWith(expect.objectContaining({ finding_ids: [second], decision: 'rejected' }))
    const mobile = w.findAll('[data-testid=deid-span]')[3]
    await mobile.trigger('click')
    expect(w.find('[data-testid=deid-item].is-selected').attributes('data-id')).toBe(mobile.attributes('data-id'))
    w.unmount()
  })

  it('全部接受 sends all ids of that kind; 修改 sends the clerk’s replacement', async () => {
    const backend = fakeBackend()
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    const names = w
      .findAll('[data-testid=deid-item]')
      .filter((i) => i.find('.gk-item-orig').text() === '张伟')
      .map((i) => i.attributes('data-id'))
    expect(names).toHaveLength(2)
    await w.find('[data-testid=deid-accept-kind][data-kind=person_name]').trigger('click')
    await settle()
    expect(backend.deidDecide).toHaveBeenCalledWith({
      doc_id: 'doc-1',
      rev_id: REV,
      finding_ids: names,
      decision: 'accepted',
    })
    const mobileItem = () => w.findAll('[data-testid=deid-item]').find((i) => i.find('.gk-item-orig').text() === '13812345678')!
    await mobileItem().find('[data-testid=deid-edit]').trigger('click')
    await settle()
    const input = mobileItem().find('[data-testid=deid-edit-input] input')
    await input.setValue('（电话略）')
    await mobileItem().find('[data-testid=deid-edit-confirm]').trigger('click')
    await settle()
    expect(backend.deidDecide).toHaveBeenLastCalledWith(
      expect.objectContaining({ decision: 'accepted', replacement: '（电话略）' }),
    )
    expect(mobileItem().attributes('data-decision')).toBe('accepted')
    w.unmount()
  })

  it('生成公开文本 is disabled while pending and shows the result once all are decided', async () => {
    const backend = fakeBackend()
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    const apply = () => w.find('[data-testid=deid-apply]')
    expect(apply().attributes('disabled')).toBeDefined()
    for (const kind of ['person_name', 'id_card']) {
      await w.find(`[data-testid=deid-accept-kind][data-kind=${kind}]`).trigger('click')
      await settle()
    }
    expect(apply().attributes('disabled')).toBeDefined()
    await w.find('[data-testid=deid-reject-kind][data-kind=phone_mobile]').trigger('click')
    await settle()
    expect(w.find('[data-testid=deid-pending]').text()).toBe('0')
    expect(apply().attributes('disabled')).toBeUndefined()
    await apply().trigger('click')
    await settle()
    expect(backend.deidApply).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    const result = document.body.querySelector('[data-testid=deid-result]')
    expect(result).not.toBeNull()
    const text = result!.textContent!
    expect(text).toContain('关于张某违反治安管理行为的处罚决定')
    expect(text).toContain('110105************')
    expect(text).toContain('13812345678') // rejected: kept
    expect(text).not.toContain('张伟')
    expect(text).toContain('自然人姓名')
    expect(text).toContain('王晓明')
    expect(text).toContain('原文和对照关系只保存在本机，不会随报送包发出。')
    w.unmount()
  })

  it('marks a selected span with the chosen kind, in code points', async () => {
    const backend = fakeBackend()
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    const root = w.find('[data-testid=deid-text]').element
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    let node: Text | null = null
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data.includes('丫丫')) node = n as Text
    expect(node).not.toBeNull()
    const i = node!.data.indexOf('丫丫')
    const range = document.createRange()
    range.setStart(node!, i)
    range.setEnd(node!, i + 2)
    window.getSelection()!.removeAllRanges()
    window.getSelection()!.addRange(range)
    await w.find('[data-testid=deid-text]').trigger('mouseup')
    expect(w.text()).toContain('已选“丫丫”')
    // Picking the kind collapses the selection elsewhere; the pending mark stays.
    window.getSelection()!.removeAllRanges()
    document.dispatchEvent(new Event('selectionchange'))
    await w.find('[data-testid=deid-mark-kind] .el-select__wrapper').trigger('click')
    await settle()
    const item = Array.from(document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')).find(
      (e) => e.textContent === '自然人姓名',
    )
    item!.click()
    await settle()
    await w.find('[data-testid=deid-mark-submit]').trigger('click')
    await settle()
    const start = DEID_TEXT.indexOf('丫丫')
    const cpStart = Array.from(DEID_TEXT.slice(0, DEID_TEXT.indexOf('丫丫'))).length
    expect(cpStart).toBeLessThan(start) // the emoji makes UTF-16 and code-point offsets differ
    expect(backend.deidMark).toHaveBeenCalledWith({
      doc_id: 'doc-1',
      rev_id: REV,
      start: cpStart,
      end: cpStart + 2,
      kind: 'person_name',
    })
    expect(w.findAll('[data-testid=deid-span]').some((s) => s.text().includes('丫丫'))).toBe(true)
    w.unmount()
  })

  it('shows the core’s reason inline when a mark is refused', async () => {
    // Marking text the scanner already found: the real API refuses the overlap.
    const backend = fakeBackend()
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    const root = w.find('[data-testid=deid-text]').element
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    let node: Text | null = null
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!node && (n as Text).data === '张伟') node = n as Text
    const range = document.createRange()
    range.setStart(node!, 0)
    range.setEnd(node!, 2)
    window.getSelection()!.removeAllRanges()
    window.getSelection()!.addRange(range)
    await w.find('[data-testid=deid-text]').trigger('mouseup')
    window.getSelection()!.removeAllRanges()
    document.dispatchEvent(new Event('selectionchange'))
    await w.find('[data-testid=deid-mark-kind] .el-select__wrapper').trigger('click')
    await settle()
    Array.from(document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item'))
      .find((e) => e.textContent === '自然人姓名')!
      .click()
    await settle()
    await w.find('[data-testid=deid-mark-submit]').trigger('click')
    await settle()
    expect(backend.deidMark).toHaveBeenCalledTimes(1)
    expect(w.find('.gk-mark-issue').text()).toContain('重叠')
    expect(w.findAll('[data-testid=deid-item]')).toHaveLength(4)
    w.unmount()
  })

  it('on Conflict shows the message and 重新载入 reviews again', async () => {
    const backend = fakeBackend({
      deidDecide: vi.fn(async () => {
        throw { code: 'Conflict', message: '文件在审查期间已被修改并生成了新版本。' }
      }),
    })
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    await w.findAll('[data-testid=deid-accept]')[0].trigger('click')
    await settle()
    expect(w.text()).toContain('文件在审查期间已被修改并生成了新版本。')
    backend.deidReview.mockClear()
    await w.find('[data-testid=deid-reload]').trigger('click')
    await settle()
    expect(backend.deidReview).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    expect(w.find('[data-testid=deid-reload]').exists()).toBe(false)
    w.unmount()
  })

  it('the back button emits back', async () => {
    const w = mountWith(DeidView, fakeBackend(), { docId: 'doc-1' })
    await settle()
    await w.find('[data-testid=deid-back]').trigger('click')
    expect(w.emitted('back')).toHaveLength(1)
    w.unmount()
  })
})

describe('EditorView → 去标识化', () => {
  it('saves pending edits before asking for the review', async () => {
    const backend = fakeBackend({ docGet: vi.fn(async () => docView({ title: '旧标题' })) })
    const w = mountWith(EditorView, backend, { docId: 'doc-1' })
    await settle()
    await w.find('[data-testid=field-title] input').setValue('关于张伟的处罚决定')
    await w.find('[data-testid=deid-button]').trigger('click')
    await settle()
    expect(backend.docSave).toHaveBeenCalledTimes(1)
    expect(backend.docSave.mock.calls[0][0].fields.title).toBe('关于张伟的处罚决定')
    expect(w.emitted('deid')).toHaveLength(1)
    w.unmount()
  })

  it('stays in the editor when the save fails', async () => {
    const backend = fakeBackend({
      docSave: vi.fn(async () => {
        throw { code: 'SaveFailed', message: '磁盘已满' }
      }),
    })
    const w = mountWith(EditorView, backend, { docId: 'doc-1' })
    await settle()
    await w.find('[data-testid=field-title] input').setValue('新标题')
    await w.find('[data-testid=deid-button]').trigger('click')
    await settle()
    expect(w.emitted('deid')).toBeUndefined()
    w.unmount()
  })

  it('lists what stays visible with its reason, and confirms each image of the package', async () => {
    // What the scanner keeps visible is the real API's; the package's image is the fake's own.
    const fields = { ...DEID_FIELDS, body: [...DEID_FIELDS.body, '咨询电话：0533-2138001'] }
    let review = deidReview({
      images: [
        { sha256: 'a'.repeat(64), file_name: '图解1.png', caption: '办理流程', confirmed_by: null, confirmed_at: null },
      ],
    }, fields)
    expect(review.kept.map((k) => k.text)).toEqual(['0533-2138001'])
    const backend = fakeBackend({
      deidReview: vi.fn(async () => review) as never,
      deidImageConfirm: vi.fn(async (req: { sha256: string }) => {
        review = { ...review, images: review.images.map((i) => (i.sha256 === req.sha256 ? { ...i, confirmed_by: '王晓明', confirmed_at: '2026-03-02T09:00:00Z' } : i)) }
        return review
      }) as never,
    })
    const w = mountWith(DeidView, backend, { docId: 'doc-1' })
    await settle()
    const kept = w.find('[data-testid=deid-kept]')
    expect(kept.text()).toContain('0533-2138001')
    expect(kept.text()).toContain('单位公开的咨询')
    const img = w.find('[data-testid=deid-image]')
    expect(img.attributes('data-confirmed')).toBe('no')
    await img.find('[data-testid=deid-image-confirm]').trigger('click')
    await settle()
    expect(backend.deidImageConfirm).toHaveBeenCalledWith({ doc_id: 'doc-1', sha256: 'a'.repeat(64) })
    expect(w.find('[data-testid=deid-image]').attributes('data-confirmed')).toBe('yes')
    expect(w.find('[data-testid=deid-image]').text()).toContain('王晓明')
    w.unmount()
  })
})
