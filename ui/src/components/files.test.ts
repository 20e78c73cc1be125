// Import and export from the desktop: the import button opens the imported document after saying
// what was left out; the 导出与打印 menu writes to the export folder and shows where.
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { BACKEND_KEY } from '../api/backend'
import { fakeBackend } from '../test/fakeBackend'

vi.mock('../lib/files', () => ({
  pickDocx: vi.fn(async () => '/home/clerk/草稿.docx'),
  pickSavePath: vi.fn(async () => '/home/clerk/另存.pdf'),
  openInSystem: vi.fn(async () => {}),
  revealInFolder: vi.fn(async () => {}),
}))

import DocList from './DocList.vue'
import FilesMenu from './FilesMenu.vue'
import * as files from '../lib/files'

describe('导入 Word', () => {
  it('imports, says what was left out, then opens the new document', async () => {
    const backend = fakeBackend()
    const alert = vi.spyOn(ElMessageBox, 'alert').mockResolvedValue('confirm' as never)
    const w = mount(DocList, { global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } } })
    await flushPromises()
    await w.find('[data-testid="import-docx"]').trigger('click')
    await flushPromises()
    expect(backend.docImport).toHaveBeenCalledWith({ path: '/home/clerk/草稿.docx' })
    expect(alert.mock.calls[0][0]).toContain('已忽略：1 条批注')
    expect(w.emitted('open')?.[0]?.[0]).toBeTruthy()
  })
})

describe('导出与打印', () => {
  it('prints a form to the export folder, then opens it or saves a copy elsewhere', async () => {
    const backend = fakeBackend()
    const w = mount(FilesMenu, {
      props: { docId: 'd1', beforeAction: async () => true },
      global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
      attachTo: document.body,
    })
    // The dropdown's command handler is what a click on an item calls.
    ;(w.vm as unknown as { choose: (a: string) => Promise<void> }).choose?.('发文稿纸')
    await flushPromises()
    expect(backend.formsPrint).toHaveBeenCalledWith({ doc_id: 'd1', form: '发文稿纸', path: '' })
    expect(document.body.textContent).toContain('已保存到：/导出/通知（发文稿纸）.pdf')
    const buttons = Array.from(document.body.querySelectorAll('button'))
    buttons.find((b) => b.textContent?.includes('打开并打印'))?.click()
    await flushPromises()
    expect(files.openInSystem).toHaveBeenCalledWith('/导出/通知（发文稿纸）.pdf')
    buttons.find((b) => b.textContent?.includes('另存为'))?.click()
    await flushPromises()
    expect(backend.formsPrint).toHaveBeenLastCalledWith({ doc_id: 'd1', form: '发文稿纸', path: '/home/clerk/另存.pdf' })
    w.unmount()
  })

  it('does nothing when the save before it fails', async () => {
    const backend = fakeBackend()
    const w = mount(FilesMenu, {
      props: { docId: 'd1', beforeAction: async () => false },
      global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
    })
    ;(w.vm as unknown as { choose: (a: string) => Promise<void> }).choose?.('working')
    await flushPromises()
    expect(backend.docExportDocx).not.toHaveBeenCalled()
    w.unmount()
  })
})
