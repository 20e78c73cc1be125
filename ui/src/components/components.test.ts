import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import SetupView from './SetupView.vue'
import DocList from './DocList.vue'
import EditorView from './EditorView.vue'
import { docView, fakeBackend, summary } from '../test/fakeBackend'
import type { SaveRequest } from '../bindings/SaveRequest'

function mountWith<C>(component: C, backend: Backend, props: Record<string, unknown> = {}) {
  return mount(component as never, {
    props: props as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
  })
}

afterEach(() => {
  document.body.innerHTML = ''
  localStorage.clear()
})

describe('SetupView', () => {
  it('has the test ids where the end-to-end test looks for them, and submits', async () => {
    const backend = fakeBackend({
      units: vi.fn(async () => [
        { id: 'zazd', name: '治安支队', parent: null, kind: 'department', verified: true },
        { id: 'xx', name: '新设科', parent: null, kind: 'office', verified: false },
      ]),
    })
    const w = mountWith(SetupView, backend)
    await flushPromises()
    expect(w.find('[data-testid=setup-unit]').classes()).toContain('el-select')
    const nameInput = w.find('[data-testid=setup-name] input')
    expect(nameInput.exists()).toBe(true)
    await w.find('[data-testid=setup-unit] .el-select__wrapper').trigger('click')
    await flushPromises()
    const items = Array.from(document.body.querySelectorAll('.el-select-dropdown__item')).map((e) => e.textContent)
    expect(items).toEqual(['治安支队', '新设科（待核实）'])
    await nameInput.setValue('李四')
    // Submitting without a unit is refused inline, without calling the backend.
    await w.find('[data-testid=setup-submit]').trigger('click')
    expect(backend.setup).not.toHaveBeenCalled()
    expect(w.text()).toContain('请选择所在单位')
  })

  it('shows the API error message inline', async () => {
    const backend = fakeBackend({
      units: vi.fn(async () => [{ id: 'zazd', name: '治安支队', parent: null, kind: 'department', verified: true }]),
      setup: vi.fn(async () => {
        throw { code: 'InvalidInput', message: '姓名不能包含空格。' }
      }),
    })
    const w = mountWith(SetupView, backend)
    await flushPromises()
    // Pick the unit the way the end-to-end test does: open the select, click the item.
    await w.find('[data-testid=setup-unit] .el-select__wrapper').trigger('click')
    await flushPromises()
    const item = Array.from(document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')).find((e) =>
      e.textContent?.includes('治安支队'),
    )
    expect(item).toBeTruthy()
    item!.click()
    await flushPromises()
    await w.find('[data-testid=setup-name] input').setValue('王 五')
    await w.find('[data-testid=setup-submit]').trigger('click')
    await flushPromises()
    expect(backend.setup).toHaveBeenCalledWith({ unit_id: 'zazd', clerk_name: '王 五', role: 'unit' })
    expect(w.text()).toContain('姓名不能包含空格。')
    expect(w.emitted('done')).toBeUndefined()
  })
})

describe('DocList', () => {
  it('lists documents with Chinese status labels and （无标题）', async () => {
    const backend = fakeBackend({
      docList: vi.fn(async () => [
        summary({ doc_id: 'a', title: '', status: 'in_review' }),
        summary({ doc_id: 'b', title: '关于加强治安管理的通知', doc_number: 'X公发〔2026〕5号', status: 'published' }),
      ]),
    })
    const w = mountWith(DocList, backend)
    await flushPromises()
    expect(backend.docList).toHaveBeenCalledWith({ in_bin: false })
    const rows = w.findAll('[data-testid=doc-row]')
    expect(rows.map((r) => r.text())).toEqual(['（无标题）', '关于加强治安管理的通知'])
    expect(w.text()).toContain('审签中')
    expect(w.text()).toContain('已公开')
    expect(w.text()).toContain('2026-01-05 09:00')
    await rows[1].trigger('click')
    expect(w.emitted('open')).toEqual([['b']])
  })

  it('shows a thousand documents fifty at a time', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => summary({ doc_id: `d${i}`, title: `文件${i}` }))
    const backend = fakeBackend({ docList: vi.fn(async () => many) })
    const w = mountWith(DocList, backend)
    await flushPromises()
    expect(w.findAll('[data-testid=doc-row]').length).toBe(50)
    expect(w.find('[data-testid=doc-pages]').text()).toContain('1000')
    await w.find('[data-testid=doc-pages] .btn-next').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-testid=doc-row]')[0].text()).toBe('文件50')
  })

  it('searches on Enter and renders highlights as <mark>', async () => {
    const backend = fakeBackend({
      docSearch: vi.fn(async () => [
        { doc: summary({ doc_id: 'b', title: '通知' }), snippet: '😀加强治安管理', highlights: [[3, 5]] as [number, number][] },
      ]),
    })
    const w = mountWith(DocList, backend)
    await flushPromises()
    const input = w.find('[data-testid=search-input] input')
    await input.setValue('治安')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(backend.docSearch).toHaveBeenCalledWith({ query: '治安' })
    const hit = w.find('[data-testid=search-result]')
    expect(hit.find('mark').text()).toBe('治安')
    await hit.trigger('click')
    expect(w.emitted('open')).toEqual([['b']])
  })
})

describe('EditorView', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }))
  afterEach(() => vi.useRealTimers())

  it('autosaves typed text about 1 s later on the head revision and shows the status', async () => {
    const backend = fakeBackend()
    const w = mountWith(EditorView, backend, { docId: 'doc-1', initial: docView({ title: '旧标题' }) })
    await flushPromises()
    const indicator = () => w.find('[data-testid=save-indicator]').text()
    expect(indicator()).toMatch(/^已保存/)
    await w.find('[data-testid=field-title] input').setValue('新标题')
    await w.find('[data-testid=field-body] textarea').setValue('一、总体要求\n正文')
    expect(indicator()).toBe('未保存')
    await vi.advanceTimersByTimeAsync(999)
    expect(backend.docSave).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    await flushPromises()
    expect(backend.docSave).toHaveBeenCalledTimes(1)
    const req = backend.docSave.mock.calls[0][0] as SaveRequest
    expect(req.base_rev_id).toBe('rev-1')
    expect(req.fields.title).toBe('新标题')
    expect(req.fields.body).toEqual(['一、总体要求', '正文'])
    expect(indicator()).toMatch(/^已保存/)
    w.unmount()
  })

  it('shows doc_number issues inline and the recognised outline', async () => {
    const view = docView({ doc_number: 'X公发[2026]5号', body: ['一、总体要求', '（一）工作目标', '正文'] })
    view.issues = [{ field: 'doc_number', severity: 'error', message: '年份应使用六角括号〔〕。', paragraph: null }]
    view.paragraphs = [
      { text: '一、总体要求', level: 'h1', number: 1, marker: '一、' },
      { text: '（一）工作目标', level: 'h2', number: 1, marker: '（一）' },
      { text: '正文', level: 'body', number: null, marker: null },
    ]
    const w = mountWith(EditorView, fakeBackend(), { docId: 'doc-1', initial: view })
    await flushPromises()
    expect(w.find('[data-testid=doc-number-issue]').text()).toBe('年份应使用六角括号〔〕。')
    expect(w.find('[data-testid=doc-number-issue]').classes()).toContain('error')
    const outline = w.find('[data-testid=outline]')
    expect(outline.findAll('[data-level]').map((e) => e.attributes('data-level'))).toEqual(['h1', 'h2'])
    expect(w.find('[data-testid=field-doc-number] input').exists()).toBe(true)
    w.unmount()
  })

  it('on a failed save keeps a local draft and shows 保存失败，将自动重试', async () => {
    const backend = fakeBackend({
      docSave: vi.fn(async () => {
        throw { code: 'SaveFailed', message: '磁盘空间不足，无法保存。请清理磁盘后继续。' }
      }),
    })
    const w = mountWith(EditorView, backend, { docId: 'doc-1', initial: docView() })
    await flushPromises()
    await w.find('[data-testid=field-title] input').setValue('草稿标题')
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(w.find('[data-testid=save-indicator]').text()).toBe('保存失败，将自动重试')
    expect(w.text()).toContain('磁盘空间不足，无法保存。请清理磁盘后继续。')
    const stored = JSON.parse(localStorage.getItem('gongkai.draft.doc-1') ?? 'null')
    expect(stored.fields.title).toBe('草稿标题')
    await vi.advanceTimersByTimeAsync(2000)
    expect(backend.docSave).toHaveBeenCalledTimes(2)
    w.unmount()
  })
  it('updates the outline from doc_check while typing, before the save', async () => {
    const backend = fakeBackend({
      docCheck: vi.fn(async (f) => ({
        issues: [],
        paragraphs: f.body.map((text: string) => ({
          text,
          level: text.startsWith('一、') ? ('h1' as const) : ('body' as const),
          number: null,
          marker: null,
        })),
      })),
    })
    const w = mountWith(EditorView, backend, { docId: 'doc-1', initial: docView() })
    await flushPromises()
    await w.find('[data-testid=field-body] textarea').setValue('一、总体要求\n正文')
    await vi.advanceTimersByTimeAsync(400)
    await flushPromises()
    expect(backend.docCheck).toHaveBeenCalled()
    expect(backend.docSave).not.toHaveBeenCalled()
    expect(w.find('[data-testid=outline]').text()).toContain('一、总体要求')
    w.unmount()
  })

  it('stops on Conflict and offers 重新打开, which reloads and offers the local draft', async () => {
    const backend = fakeBackend({
      docSave: vi.fn(async () => {
        throw { code: 'Conflict', message: '此文件已在别处修改。请重新打开后再编辑。' }
      }),
      docGet: vi.fn(async () => docView({ title: '别人改的标题' })),
    })
    const w = mountWith(EditorView, backend, { docId: 'doc-1', initial: docView() })
    await flushPromises()
    await w.find('[data-testid=field-title] input').setValue('我的标题')
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(w.text()).toContain('此文件已在别处修改。请重新打开后再编辑。')
    await vi.advanceTimersByTimeAsync(60000)
    expect(backend.docSave).toHaveBeenCalledTimes(1)
    const reopen = w.findAll('button').find((b) => b.text() === '重新打开')
    expect(reopen).toBeTruthy()
    await reopen!.trigger('click')
    await flushPromises()
    expect(backend.docGet).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    expect((w.find('[data-testid=field-title] input').element as HTMLInputElement).value).toBe('别人改的标题')
    // The unsaved draft differs from what was loaded: the clerk is asked whether to restore it.
    await vi.advanceTimersByTimeAsync(500)
    expect(document.body.textContent).toContain('发现未保存的草稿')
    const restore = Array.from(document.body.querySelectorAll<HTMLButtonElement>('.el-message-box button')).find((b) =>
      b.textContent?.includes('恢复草稿'),
    )
    restore!.click()
    await vi.advanceTimersByTimeAsync(500)
    await flushPromises()
    expect((w.find('[data-testid=field-title] input').element as HTMLInputElement).value).toBe('我的标题')
    w.unmount()
  })
})
