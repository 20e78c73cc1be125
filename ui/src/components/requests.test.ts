// 依申请公开 in the window: the register (record, list with the API's due dates, reply) and the
// annual report's tables with each number opening to its applications. The fake backend returns
// what the API would; every count and date is the Rust core's (tested there).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import { fakeBackend, keyView, requestView } from '../test/fakeBackend'
vi.mock('../lib/files', () => ({
  pickDocx: vi.fn(async () => null),
  pickSavePath: vi.fn(async (name: string) => `/home/clerk/${name}`),
  pickOpenPath: vi.fn(async () => '/media/U盘/zazd-all.json'),
  openInSystem: vi.fn(async () => {}),
  revealInFolder: vi.fn(async () => {}),
}))

import RequestsDrawer from './RequestsDrawer.vue'

const $ = <E extends Element = HTMLElement>(sel: string) => document.body.querySelector<E & HTMLElement>(sel)
const $$ = (sel: string) => [...document.body.querySelectorAll<HTMLElement>(sel)]
const text = () => document.body.textContent ?? ''

async function settle(n = 3) {
  for (let i = 0; i < n; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function typeInto(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value
  el.dispatchEvent(new Event('input', { bubbles: true }))
  el.dispatchEvent(new Event('change', { bubbles: true }))
  el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
  await settle()
}

async function click(el: HTMLElement | null) {
  if (!el) throw new Error('nothing to click')
  el.click()
  await settle()
}

function open(b: Backend, office = false) {
  return mount(RequestsDrawer as never, {
    props: { modelValue: true, office } as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: b } },
  })
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('依申请公开 register', () => {
  it('lists applications with the due date the API counted, overdue in red', async () => {
    const b = fakeBackend({}, {
      requests: [
        requestView({ serial: '2026-002', status: 'overdue', due: '2026-11-20', content: '交通事故统计' }),
        requestView({ serial: '2026-001', due: '2027-01-05', due_provisional: true }),
      ],
    })
    open(b)
    await settle()
    const rows = $$('[data-testid=request-list] .el-table__body tr')
    expect(rows).toHaveLength(2)
    expect(rows[0].textContent).toContain('2026-002')
    expect(rows[0].querySelector('[data-testid=request-due]')?.className).toContain('gk-overdue')
    expect(rows[0].querySelector('[data-testid=request-status]')?.textContent).toBe('已超期')
    expect(rows[1].querySelector('[data-testid=request-due]')?.textContent).toBe('2027-01-05（暂定）')
    await click($('[data-testid=request-only-open] input'))
    expect(b.requestList).toHaveBeenLastCalledWith({ open: true })
  })

  it('records an application and its reply', async () => {
    const b = fakeBackend({}, {})
    open(b)
    await settle()
    await click($('[data-testid=request-add]'))
    await typeInto($<HTMLInputElement>('input[placeholder="YYYY-MM-DD"]')!, '2026-09-18')
    await typeInto($<HTMLInputElement>('input[data-testid=request-applicant]')!, '张卫国')
    await typeInto($<HTMLTextAreaElement>('textarea[data-testid=request-content]')!, '户籍窗口投诉处理情况')
    await click($('[data-testid=request-save]'))
    const req = b.requestNew.mock.calls.at(-1)![0]
    expect(req).toMatchObject({ received: '2026-09-18', channel: '网络', applicant_type: '自然人', applicant_name: '张卫国', content: '户籍窗口投诉处理情况' })
    expect(text()).toContain('已登记 2026-001：答复期限 2026-10-22')
    expect($('[data-testid=request-detail]')?.textContent).toContain('答复期限 2026-10-22')
    // The reply: type from the report's rows, and a date.
    await click($('[data-testid=request-outcome] .el-select__wrapper'))
    const item = $$('.el-select-dropdown__item').find((li) => li.textContent?.includes('（一）予以公开'))!
    await click(item)
    await typeInto($<HTMLInputElement>('input[placeholder="答复日期"]')!, '2026-10-20')
    await click($('[data-testid=request-reply-save]'))
    expect(b.requestChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ request_id: 'req-1', action: 'reply', outcome: '1', date: '2026-10-20' }),
    )
    expect($('[data-testid=request-reply]')?.textContent).toContain('（一）予以公开')
    await click($('[data-testid=request-letter]'))
    expect(b.requestLetter).toHaveBeenLastCalledWith({ request_id: 'req-1', path: '/home/clerk/答复书-2026-001.docx' })
    expect(text()).toContain('已写入答复书')
  })

  it('at the office, an application is assigned to the unit that must answer it', async () => {
    const b = fakeBackend({}, { role: 'office' })
    b.units.mockResolvedValue([
      { id: 'zazd', name: '治安支队' },
      { id: 'jjzd', name: '交警支队' },
    ] as never)
    open(b, true)
    await settle()
    await click($('[data-testid=request-add]'))
    await typeInto($<HTMLInputElement>('input[placeholder="YYYY-MM-DD"]')!, '2026-09-18')
    await typeInto($<HTMLTextAreaElement>('textarea[data-testid=request-content]')!, '交通事故统计')
    await click($('[data-testid=request-save]'))
    // The API refuses it, and the window says what to do.
    expect(text()).toContain('请选择承办单位')
    expect(b.requestNew).toHaveBeenCalledTimes(1)
    await click($('[data-testid=request-unit] .el-select__wrapper'))
    await click($$('.el-select-dropdown__item').find((li) => li.textContent?.includes('交警支队'))!)
    await click($('[data-testid=request-save]'))
    expect(b.requestNew).toHaveBeenLastCalledWith(expect.objectContaining({ unit: 'jjzd', content: '交通事故统计' }))
  })

  it('a unit drafts the reply of an application the office passed on, and does not move its clock', async () => {
    const b = fakeBackend({}, { requests: [requestView({ serial: '中心2026-004', origin: 'office', applicant: '张**' })] })
    open(b)
    await settle()
    const row = $$('[data-testid=request-list] .el-table__body tr')[0]
    expect(row.querySelector('[data-testid=request-transfer]')?.textContent).toBe('中心转办')
    await click(row)
    expect($('[data-testid=request-from-office]')?.textContent).toContain('由指挥中心登记')
    // Only the draft: no 补正, pause, extension or reply of its own.
    expect($('[data-testid=request-reply-save]')).toBeNull()
    expect(text()).not.toContain('征求意见')
    await click($('[data-testid=request-draft-outcome] .el-select__wrapper'))
    await click($$('.el-select-dropdown__item').find((li) => li.textContent?.includes('保护第三方'))!)
    await typeInto($<HTMLInputElement>('input[data-testid=request-draft-note]')!, '涉及第三方，联系人13812345678')
    await click($('[data-testid=request-draft-save]'))
    expect(b.requestChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ request_id: 'req-1', action: 'draft', outcome: '3-4', reason: '涉及第三方，联系人13812345678' }),
    )
    const draft = $('[data-testid=request-draft]')!.textContent!
    expect(draft).toContain('（三）不予公开 4.保护第三方合法权益')
    expect(draft).toContain('待同步发出')
    expect(draft).toContain('138****5678')
  })

  it('at the office, the unit’s draft is returned with a reason or taken as the reply', async () => {
    const draft = { outcome: { id: '1', label: '（一）予以公开', article: '第三十六条' }, note: '已核', by: '王晓明', at: '2026-12-04T02:00:00Z', state: 'sent', reason: '' }
    const b = fakeBackend({}, { requests: [requestView({ origin: 'assigned', draft })] })
    b.units.mockResolvedValue([{ id: 'zazd', name: '治安支队' }] as never)
    open(b, true)
    await settle()
    const row = $$('[data-testid=request-list] .el-table__body tr')[0]
    expect(row.querySelector('[data-testid=request-transfer]')?.textContent).toBe('单位已拟复')
    await click(row)
    expect($('[data-testid=request-draft]')?.textContent).toContain('承办单位拟答复：（一）予以公开（王晓明')
    await click($('[data-testid=request-return]'))
    expect(text()).toContain('退回须写明理由')
    await typeInto($<HTMLInputElement>('input[data-testid=request-return-reason]')!, '请补充依据')
    await click($('[data-testid=request-return]'))
    expect(b.requestChange).toHaveBeenLastCalledWith(expect.objectContaining({ action: 'return', reason: '请补充依据' }))
    expect($('[data-testid=request-draft]')?.textContent).toContain('指挥中心退回：请补充依据')
    expect($('[data-testid=request-accept]')).toBeNull()
  })

  it('the report shows tables 三 and 四 as the format lays them out, each number opening to its applications', async () => {
    const b = fakeBackend({}, {})
    open(b)
    await settle()
    await click($$('.el-tabs__item').find((t) => t.textContent === '年度报告')!)
    await settle()
    expect(b.reportAnnual).toHaveBeenCalled()
    const three = $('[data-testid=report-three]')!
    expect(three.textContent).toContain('法人或其他组织')
    expect(three.textContent).toContain('（一）予以公开')
    expect($('[data-testid=report-check]')?.textContent).toContain('✓')
    expect($$('[data-testid=report-four] thead th').map((t) => t.textContent)).toContain('复议后起诉')
    const link = [...three.querySelectorAll<HTMLElement>('td.gk-link')][0]
    await click(link)
    expect(text()).toContain('2026-001')
  })

  it('the clerk writes sections 一、五、六 beside last year’s and exports the report', async () => {
    const b = fakeBackend({}, {})
    open(b)
    await settle()
    await click($$('.el-tabs__item').find((t) => t.textContent === '年度报告')!)
    await settle()
    const year = new Date().getFullYear()
    expect($('[data-testid=report-last-overview]')?.textContent).toContain('2025年，本单位认真贯彻条例')
    const area = $<HTMLTextAreaElement>('textarea[data-testid=report-text-overview]')!
    area.value = '本年度共收到申请5件。'
    area.dispatchEvent(new Event('input', { bubbles: true }))
    area.dispatchEvent(new Event('blur'))
    await settle()
    expect(b.reportTextSave).toHaveBeenLastCalledWith({ year, section: 'overview', text: '本年度共收到申请5件。' })
    const fig = $<HTMLInputElement>('[data-testid=report-figure-penalty] input, input[data-testid=report-figure-penalty]')!
    fig.value = '12'
    fig.dispatchEvent(new Event('input', { bubbles: true }))
    fig.dispatchEvent(new Event('change', { bubbles: true }))
    fig.dispatchEvent(new Event('blur'))
    await settle()
    expect(b.reportFigureSet).toHaveBeenLastCalledWith({ year, key: 'penalty', value: 12 })
    expect($('[data-testid=report-figures]')?.textContent).toContain('王晓明填报')
    await click($('[data-testid=report-export-xlsx]'))
    expect(b.reportExport).toHaveBeenLastCalledWith({ year, path: `/home/clerk/${year}年政府信息公开工作年度报告.xlsx` })
    expect(text()).toContain('已写入')
  })
})

describe('annual figures between the units and the office', () => {
  it('a unit writes its figures behind the key password', async () => {
    const b = fakeBackend({}, { key: keyView(), password: 'mima12345' })
    open(b)
    await settle()
    await click($$('.el-tabs__item').find((t) => t.textContent === '年度报告')!)
    await click($('[data-testid=report-send]'))
    const pw = $<HTMLInputElement>('input[data-testid=report-password]')!
    await typeInto(pw, 'mima12345')
    await click($('[data-testid=report-confirm]'))
    const year = new Date().getFullYear()
    expect(b.reportFiguresSend).toHaveBeenLastCalledWith({ year, password: 'mima12345', path: `/home/clerk/${year}年度报告数据.json` })
    expect(text()).toContain('请送交指挥中心')
  })

  it('a unit queues its figures for the next sync', async () => {
    const b = fakeBackend({}, {})
    open(b)
    await settle()
    await click($$('.el-tabs__item').find((t) => t.textContent === '年度报告')!)
    await click($('[data-testid=report-queue]'))
    expect(b.reportFiguresQueue).toHaveBeenLastCalledWith({ year: new Date().getFullYear() })
    expect(text()).toContain('下次同步时报送指挥中心')
  })

  it('the office sees who has not sent and takes a unit’s file in', async () => {
    const b = fakeBackend({}, {})
    open(b, true)
    await settle()
    await click($$('.el-tabs__item').find((t) => t.textContent === '年度报告')!)
    await settle()
    expect($('[data-testid=report-missing]')?.textContent).toContain('治安支队、交警支队')
    await click($('[data-testid=report-receive]'))
    expect(b.reportFiguresReceive).toHaveBeenLastCalledWith({ path: '/media/U盘/zazd-all.json' })
    expect($('[data-testid=report-collection]')?.textContent).toContain('各单位均已报送')
  })
})

describe('the 依申请公开 button', () => {
  it('says how many open applications are overdue or due soon', async () => {
    const { defineComponent, h } = await import('vue')
    const { useRequestAlerts } = await import('../composables/useRequestAlerts')
    const b = fakeBackend({}, {
      requests: [
        requestView({ request_id: 'a', status: 'overdue' }),
        requestView({ request_id: 'b', status: 'due_soon' }),
        requestView({ request_id: 'c', status: 'due_soon' }),
        requestView({ request_id: 'd', status: 'open' }),
      ],
    })
    const Host = defineComponent({
      setup() {
        const a = useRequestAlerts(b)
        return () => h('span', { 'data-testid': 'label' }, a.label.value)
      },
    })
    mount(Host, { attachTo: document.body })
    await settle()
    expect($('[data-testid=label]')?.textContent).toBe('依申请公开（1 件超期，2 件将到期）')
    expect(b.requestList).toHaveBeenLastCalledWith({ open: true })
  })
})
