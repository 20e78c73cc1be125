import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'

/** Waits (up to 3 s) for what loads lazily, e.g. the editor on first opening. */
async function until(cond: () => boolean) {
  for (let i = 0; i < 150 && !cond(); i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
  }
  await flushPromises()
}
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from './api/backend'
import App from './App.vue'
import type { AppStatus } from './bindings/AppStatus'
import { docView, fakeBackend } from './test/fakeBackend'

function status(over: Partial<AppStatus> = {}): AppStatus {
  return {
    setup_needed: false,
    clerk: { id: 'c1', name: '王晓明', unit_id: 'zazd', device_id: 'd1' },
    unit: { id: 'zazd', name: '治安支队', parent: null, kind: 'department', verified: true },
    data_dir: '/home/u/.local/share/gongkai',
    db_path: '/home/u/.local/share/gongkai/gongkai.db',
    export_dir: '/home/u/Documents/公开报送助手',
    schema_version: 1,
    seeds: [],
    open_error: null,
    role: 'unit',
    ...over,
  }
}

function mountApp(backend: Backend) {
  return mount(App, {
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
  })
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('App', () => {
  it('shows only the open error and the database path when the database cannot be opened', async () => {
    const backend = fakeBackend({
      appStatus: vi.fn(async () =>
        status({ open_error: { code: 'DatabaseNewer', message: '数据库由更新版本的程序创建，请升级本程序。' } }),
      ),
    })
    const w = mountApp(backend)
    await flushPromises()
    expect(w.text()).toContain('数据库由更新版本的程序创建，请升级本程序。')
    expect(w.text()).toContain('/home/u/.local/share/gongkai/gongkai.db')
    expect(w.find('[data-testid=new-doc]').exists()).toBe(false)
    expect(backend.docList).not.toHaveBeenCalled()
    w.unmount()
  })

  it('asks for setup on first run', async () => {
    const w = mountApp(fakeBackend({ appStatus: vi.fn(async () => status({ setup_needed: true, clerk: null, unit: null })) }))
    await flushPromises()
    expect(w.text()).toContain('首次使用设置')
    expect(w.find('[data-testid=setup-submit]').exists()).toBe(true)
    w.unmount()
  })

  it('shows the clerk and unit, and Ctrl+N creates and opens a document', async () => {
    const backend = fakeBackend({ appStatus: vi.fn(async () => status()), docCreate: vi.fn(async () => docView()) })
    const w = mountApp(backend)
    await flushPromises()
    expect(w.text()).toContain('王晓明')
    expect(w.text()).toContain('治安支队')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', ctrlKey: true }))
    // The editor is loaded when first opened.
    await until(() => w.find('[data-testid=field-title] input').exists())
    expect(backend.docCreate).toHaveBeenCalledWith({})
    expect(w.find('[data-testid=field-title] input').exists()).toBe(true)
    // Esc goes back to the list.
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await flushPromises()
    expect(w.find('[data-testid=new-doc]').exists()).toBe(true)
    w.unmount()
  })

  it('Ctrl+D in the editor opens the de-identification review; Esc returns to the editor', async () => {
    const backend = fakeBackend({ appStatus: vi.fn(async () => status()), docCreate: vi.fn(async () => docView()) })
    const w = mountApp(backend)
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', ctrlKey: true }))
    // The editor is loaded when first opened.
    await until(() => w.find('[data-testid=field-title] input').exists())
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'd', ctrlKey: true }))
    await until(() => w.find('[data-testid=deid-text]').exists())
    expect(backend.deidReview).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    expect(w.find('[data-testid=deid-text]').exists()).toBe(true)
    // Single keys typed into the edit box are text, not shortcuts; Esc there only cancels.
    await w.find('[data-testid=deid-edit]').trigger('click')
    await flushPromises()
    const input = w.find('[data-testid=deid-edit-input] input')
    expect(document.activeElement).toBe(input.element)
    input.element.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }))
    await flushPromises()
    expect(backend.deidDecide).not.toHaveBeenCalled()
    input.element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    expect(w.find('[data-testid=deid-edit-input]').exists()).toBe(false)
    expect(w.find('[data-testid=deid-text]').exists()).toBe(true)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await flushPromises()
    expect(w.find('[data-testid=deid-text]').exists()).toBe(false)
    expect(w.find('[data-testid=field-title] input').exists()).toBe(true)
    expect(backend.docGet).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    w.unmount()
  })

  it('Alt+2 shows the 公开属性 tab of the open document, Alt+1 the 正文 again', async () => {
    const backend = fakeBackend({ appStatus: vi.fn(async () => status()), docCreate: vi.fn(async () => docView()) })
    const w = mountApp(backend)
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', ctrlKey: true }))
    // The editor is loaded when first opened.
    await until(() => w.find('[data-testid=field-title] input').exists())
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '2', code: 'Digit2', altKey: true }))
    await until(() => w.find('[data-testid=attr-submit]').exists())
    expect(backend.disclosureGet).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    expect(w.find('[data-testid=attr-submit]').isVisible()).toBe(true)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '1', code: 'Digit1', altKey: true }))
    await flushPromises()
    expect(w.find('[data-testid=field-title] input').isVisible()).toBe(true)
    w.unmount()
  })
})
