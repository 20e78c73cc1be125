// 同步 in the window: the hub address, 立即同步 behind the key password, the status line, and a
// 冲突 document shown side by side, resolved by keeping a version or by a hand merge.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import type { ConflictView } from '../bindings/ConflictView'
import { emptyFields } from '../lib/text'
import { fakeBackend, keyView } from '../test/fakeBackend'
vi.mock('../lib/files', () => ({
  pickDocx: vi.fn(async () => null),
  pickSavePath: vi.fn(async (name: string) => `/media/U盘/${name}`),
  pickOpenPath: vi.fn(async () => '/media/U盘/gap.zip'),
  openInSystem: vi.fn(async () => {}),
  revealInFolder: vi.fn(async () => {}),
}))

import SyncDialog from './SyncDialog.vue'

const $ = <E extends Element = HTMLElement>(sel: string) => document.body.querySelector<E & HTMLElement>(sel)
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

async function click(sel: string) {
  const el = $(sel)
  if (!el) throw new Error(`no ${sel}`)
  el.click()
  await settle()
}

function open(backend: Backend, role = 'unit') {
  return mount(SyncDialog as never, {
    props: { modelValue: true, role } as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
  })
}

const leaf = (rev: string, author: string, body: string[], head: boolean) => ({
  rev_id: rev,
  author_name: author,
  created_at: '2026-12-04T02:00:00Z',
  is_head: head,
  fields: { ...emptyFields(), title: '关于窗口服务的通知', body },
})

const CONFLICT: ConflictView = {
  doc_id: 'doc-1',
  title: '关于窗口服务的通知',
  leaves: [
    leaf('rev-a', '王晓明', ['一、总则', '二、A 电脑的条款'], true),
    leaf('rev-b', '李娜', ['一、总则', '二、B 电脑的条款'], false),
  ],
  package_leaves: [],
  records: [],
}

/** Only the package and the stage are in 冲突, not the text. */
const RECORD_CONFLICT: ConflictView = {
  doc_id: 'doc-2',
  title: '关于户籍迁移的通知',
  leaves: [],
  package_leaves: [
    { rev_id: 'pkg-a', author_name: '王晓明', created_at: '2026-12-04T02:00:00Z', is_head: true, package: {} as never, lines: ['标题：解读', '联系方式：0533-2134100'] },
    { rev_id: 'pkg-b', author_name: '李娜', created_at: '2026-12-04T02:05:00Z', is_head: false, package: {} as never, lines: ['标题：解读', '联系方式：0533-2134199'] },
  ],
  records: [
    {
      register: 'workflow',
      label: '流程环节',
      leaves: [
        { event_id: 'ev-a', author: '王晓明', created_at: '2026-12-04T02:00:00Z', is_head: true, summary: '属性已确定 → 解读已同步' },
        { event_id: 'ev-b', author: '李娜', created_at: '2026-12-04T02:05:00Z', is_head: false, summary: '属性已确定 → 拟稿，理由：属性理由要改写' },
      ],
    },
  ],
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('SyncDialog', () => {
  it('keeps the hub address, refuses plain http to another machine, and syncs with the key password', async () => {
    const b = fakeBackend({}, { key: keyView(), password: 'mima12345' })
    open(b)
    await settle()
    expect(text()).toContain('还没有设置同步服务器')
    await type('input[data-testid=sync-hub]', 'http://10.1.2.3:8443')
    await click('[data-testid=sync-save]')
    expect(text()).toContain('明文 http 只能连接本机')
    // https needs the office's CA: the API says where to give it.
    await type('input[data-testid=sync-hub]', 'https://10.1.2.3:8443')
    await click('[data-testid=sync-save]')
    expect(text()).toContain('请在“根证书”一栏填写')
    await type('input[data-testid=sync-hub]', 'http://127.0.0.1:8443')
    await click('[data-testid=sync-save]')
    expect(b.syncConfig).toHaveBeenLastCalledWith({ hub: 'http://127.0.0.1:8443', ca_file: undefined })
    await click('[data-testid=sync-now]')
    await type('input[data-testid=sync-password]', 'wrong')
    await click('[data-testid=sync-confirm]')
    expect($('[data-testid=sync-error]')?.textContent).toContain('密码')
    await type('input[data-testid=sync-password]', 'mima12345')
    await click('[data-testid=sync-confirm]')
    expect(b.syncNow).toHaveBeenLastCalledWith({ password: 'mima12345' })
    expect(text()).toContain('同步完成：上传 2 条，下载 3 条')
    expect($('[data-testid=sync-last]')?.textContent).not.toContain('从未')
  })

  it('turns the background sync on behind the key password, shows when it runs next and why it paused, and off', async () => {
    const b = fakeBackend({}, { key: keyView(), password: 'mima12345' })
    open(b)
    await settle()
    await type('input[data-testid=sync-hub]', 'http://127.0.0.1:8443')
    await click('[data-testid=sync-save]')
    expect($('[data-testid=sync-background]')?.textContent).toContain('未开启')
    await click('[data-testid=sync-background-start]')
    expect(text()).toContain('密码只保存在本次运行的内存里')
    await type('input[data-testid=sync-password]', 'wrong')
    await click('[data-testid=sync-confirm]')
    expect($('[data-testid=sync-error]')?.textContent).toContain('密码')
    await type('input[data-testid=sync-password]', 'mima12345')
    await click('[data-testid=sync-confirm]')
    expect(b.syncBackgroundStart).toHaveBeenLastCalledWith({ password: 'mima12345' })
    expect($('[data-testid=sync-background]')?.textContent).toContain('已开启，下次')
    await click('[data-testid=sync-background-stop]')
    expect(b.syncBackgroundStop).toHaveBeenCalled()
    expect($('[data-testid=sync-background]')?.textContent).toContain('未开启')
  })

  it('says the background sync paused and why', async () => {
    const b = fakeBackend({}, {})
    b.syncStatus.mockResolvedValue({
      configured: true,
      hub: 'https://10.1.2.3:8443',
      pending: 1,
      waiting: 0,
      conflicts: 0,
      last_sync: null,
      last_error: '同步服务器拒绝了本机密钥（key_revoked）',
      last_error_code: 'SyncKeyRevoked',
      background: { next_at: '2026-12-04T02:00:00.000Z', failures: 3, paused: '本机密钥已被指挥中心吊销，请重新生成密钥并登记' },
    })
    open(b)
    await settle()
    expect($('[data-testid=sync-background]')?.textContent).toContain('已暂停：本机密钥已被指挥中心吊销')
  })

  it('shows both versions of a 冲突 document side by side and keeps the one the clerk picks', async () => {
    const b = fakeBackend({}, { conflicts: [CONFLICT] })
    open(b)
    await settle()
    expect($('[data-testid=sync-conflicts]')?.textContent).toBe('1')
    const other = $('[data-testid=conflict-leaf-1]')!
    expect(other.textContent).toContain('李娜')
    expect(other.querySelector('.gk-diff-add')?.textContent).toBe('二、B 电脑的条款')
    expect(other.querySelector('.gk-diff-del')?.textContent).toBe('二、A 电脑的条款')
    await click('[data-testid=conflict-keep-1]')
    expect(b.docResolve).toHaveBeenLastCalledWith({ doc_id: 'doc-1', keep_rev_id: 'rev-b', records: [] })
    expect($('[data-testid=conflict]')).toBeNull()
    expect($('[data-testid=sync-conflicts]')?.textContent).toBe('0')
  })

  it('a hand merge starts from every line of both versions and saves the edited body', async () => {
    const b = fakeBackend({}, { conflicts: [CONFLICT] })
    open(b)
    await settle()
    await click('[data-testid=conflict-merge]')
    const area = $<HTMLTextAreaElement>('[data-testid=conflict-merge-text] textarea, textarea[data-testid=conflict-merge-text]')!
    expect(area.value).toBe('一、总则\n二、A 电脑的条款\n二、B 电脑的条款')
    area.value = '一、总则\n二、A 电脑的条款\n三、B 电脑的条款'
    area.dispatchEvent(new Event('input', { bubbles: true }))
    await click('[data-testid=conflict-merge-save]')
    const req = b.docResolve.mock.calls.at(-1)![0]
    expect(req.doc_id).toBe('doc-1')
    expect(req.fields.body).toEqual(['一、总则', '二、A 电脑的条款', '三、B 电脑的条款'])
    expect(req.fields.title).toBe('关于窗口服务的通知')
    expect($('[data-testid=conflict]')).toBeNull()
  })
})

describe('冲突 of the package and the stage', () => {
  it('shows the package versions as a diff and the two stage moves, and keeps one side only with a reason', async () => {
    const b = fakeBackend({}, { conflicts: [RECORD_CONFLICT] })
    open(b)
    await settle()
    expect($('[data-testid=conflict-leaf-0]')).toBeNull()
    const other = $('[data-testid=conflict-package-1]')!
    expect(other.querySelector('.gk-diff-add')?.textContent).toBe('联系方式：0533-2134199')
    expect(other.querySelector('.gk-diff-del')?.textContent).toBe('联系方式：0533-2134100')
    const record = $('[data-testid=conflict-record-workflow]')!
    expect(record.textContent).toContain('流程环节')
    expect(record.textContent).toContain('属性已确定 → 拟稿，理由：属性理由要改写')
    const save = () => $<HTMLButtonElement>('[data-testid=conflict-records-save]')!
    expect(save().disabled).toBe(true)
    await click('[data-testid=conflict-record-workflow-0] input')
    expect(save().disabled).toBe(true)
    await type('input[data-testid=conflict-reason]', '解读已经同步，不必撤回')
    expect(save().disabled).toBe(false)
    await click('[data-testid=conflict-records-save]')
    expect(b.docResolve).toHaveBeenLastCalledWith({
      doc_id: 'doc-2',
      records: [{ register: 'workflow', keep_event_id: 'ev-a' }],
      reason: '解读已经同步，不必撤回',
    })
    expect($('[data-testid=conflict]')).toBeNull()
  })

  it('keeps the package version the clerk picks', async () => {
    const b = fakeBackend({}, { conflicts: [RECORD_CONFLICT] })
    open(b)
    await settle()
    await click('[data-testid=conflict-package-keep-1]')
    expect(b.docResolve).toHaveBeenLastCalledWith({ doc_id: 'doc-2', keep_package_rev_id: 'pkg-b', records: [] })
  })
})

describe('transfer bags', () => {
  it('exports to the picked path and reports a refused import with its reason', async () => {
    const b = fakeBackend({}, { key: keyView(), password: 'mima12345' })
    open(b)
    await settle()
    await click('[data-testid=sync-export-media]')
    await type('input[data-testid=sync-password]', 'mima12345')
    await click('[data-testid=sync-confirm]')
    expect(b.syncExportMedia).toHaveBeenLastCalledWith({ password: 'mima12345', path: '/media/U盘/同步传输包.zip', all: false })
    expect(text()).toContain('已写入传输包 /media/U盘/同步传输包.zip：3 条变更，报送包 1 个')
    // The backend's refusal of a bag that skips changes, as the window receives it.
    b.syncImportMedia.mockRejectedValueOnce({ code: 'BadFile', message: '传输包不连续：dev/main 缺少第 3 至 4 号变更，请先导入之前导出的传输包' })
    await click('[data-testid=sync-import-media]')
    await type('input[data-testid=sync-password]', 'mima12345')
    await click('[data-testid=sync-confirm]')
    expect(b.syncImportMedia).toHaveBeenLastCalledWith({ password: 'mima12345', path: '/media/U盘/gap.zip' })
    expect(text()).toContain('缺少第 3 至 4 号变更')
  })

  it('at the office, writes the bag for the unit the clerk picks', async () => {
    const b = fakeBackend({}, { key: keyView(), password: 'mima12345' })
    b.units.mockResolvedValue([
      { id: 'zazd', name: '治安支队' },
      { id: 'jjzd', name: '交警支队' },
    ] as never)
    open(b, 'office')
    await settle()
    await click('[data-testid=sync-export-media]')
    expect(text()).toContain('请先选择传输包要送往的单位')
    expect(b.syncExportMedia).not.toHaveBeenCalled()
    await click('[data-testid=sync-media-unit] .el-select__wrapper')
    const item = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((li) =>
      li.textContent?.includes('交警支队'),
    )!
    item.click()
    await settle()
    await click('[data-testid=sync-export-media]')
    await type('input[data-testid=sync-password]', 'mima12345')
    await click('[data-testid=sync-confirm]')
    expect(b.syncExportMedia).toHaveBeenLastCalledWith({
      password: 'mima12345',
      path: '/media/U盘/同步传输包-jjzd.zip',
      all: false,
      unit: 'jjzd',
    })
    expect(text()).toContain('回执 2 份，参考数据 7 项')
  })
})

describe('冲突 of the unit registers', () => {
  const SIDES = {
    kind: 'sides',
    register: 'request:req-1',
    label: '依申请公开 2026-007',
    leaves: [
      { event_id: 'ev-a', author: '王晓明', created_at: '2026-12-03T01:00:00Z', is_head: true, summary: '流水号 2026-007，2026-12-03 已答复：（一）予以公开' },
      { event_id: 'ev-b', author: '李娜', created_at: '2026-12-03T02:00:00Z', is_head: false, summary: '流水号 2026-007，2026-12-03 已答复：（五）不予处理' },
    ],
    requests: [],
  }
  const SERIAL = {
    kind: 'serial',
    register: '2026-008',
    label: '流水号 2026-008 被两件申请使用',
    leaves: [],
    requests: [
      { request_id: 'req-a', summary: '2026-12-01 收到，钱某：申请公开交通违法处理流程' },
      { request_id: 'req-b', summary: '2026-12-01 收到，孙某：申请公开出入境办证指南' },
    ],
  }

  it('keeps the side the clerk picks only with a reason, and counts the record in 冲突', async () => {
    const b = fakeBackend({}, { unitConflicts: [SIDES] })
    open(b)
    await settle()
    expect($('[data-testid=sync-conflicts]')?.textContent).toBe('1')
    const card = $('[data-testid="unit-conflict-request:req-1"]')!
    expect(card.textContent).toContain('依申请公开 2026-007')
    expect(card.textContent).toContain('（五）不予处理')
    expect(card.textContent).toContain('李娜')
    const keep = () => $<HTMLButtonElement>('[data-testid=unit-conflict-keep]')!
    expect(keep().disabled).toBe(true)
    await click('[data-testid=unit-conflict-side-1] input')
    expect(keep().disabled).toBe(true)
    await type('input[data-testid=unit-conflict-reason]', '以已寄出的答复书为准')
    expect(keep().disabled).toBe(false)
    await click('[data-testid=unit-conflict-keep]')
    expect(b.unitResolve).toHaveBeenLastCalledWith({ register: 'request:req-1', keep_event_id: 'ev-b', reason: '以已寄出的答复书为准' })
    expect($('[data-testid="unit-conflict-request:req-1"]')).toBeNull()
    expect($('[data-testid=sync-conflicts]')?.textContent).toBe('0')
  })

  it('renumbers one of two applications sharing a serial', async () => {
    const b = fakeBackend({}, { unitConflicts: [SERIAL] })
    open(b)
    await settle()
    const card = $('[data-testid="unit-conflict-2026-008"]')!
    expect(card.textContent).toContain('孙某')
    await click('[data-testid=unit-conflict-renumber-1]')
    expect(b.requestRenumber).toHaveBeenLastCalledWith({ request_id: 'req-b' })
    expect($('[data-testid="unit-conflict-2026-008"]')).toBeNull()
  })

  it('the office has no unit registers to reconcile', async () => {
    const b = fakeBackend({}, { unitConflicts: [SIDES] })
    open(b, 'office')
    await settle()
    expect(b.unitConflicts).not.toHaveBeenCalled()
    expect($('[data-testid="unit-conflict-request:req-1"]')).toBeNull()
  })
})
