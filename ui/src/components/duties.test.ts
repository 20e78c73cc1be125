// The duty board in the window: the first screen's line of what is overdue, the board sorted
// worst first with what fulfilled each line, and a duty recorded. Statuses are the Rust core's
// (tested there); the fake returns what the API would.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import { dutyRow, fakeBackend } from '../test/fakeBackend'
vi.mock('../lib/files', () => ({
  pickDocx: vi.fn(async () => null),
  pickSavePath: vi.fn(async (name: string) => `/home/clerk/${name}`),
  pickOpenPath: vi.fn(async () => null),
  openInSystem: vi.fn(async () => {}),
  revealInFolder: vi.fn(async () => {}),
}))
import DutiesDrawer from './DutiesDrawer.vue'
import DocList from './DocList.vue'

const $ = <E extends Element = HTMLElement>(sel: string) => document.body.querySelector<E & HTMLElement>(sel)
const $$ = (sel: string) => [...document.body.querySelectorAll<HTMLElement>(sel)]
const text = () => document.body.textContent ?? ''

async function settle(n = 3) {
  for (let i = 0; i < n; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 10))
  }
}

function mountWith(component: unknown, b: Backend, props: Record<string, unknown> = {}) {
  return mount(component as never, {
    props: props as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: b } },
  })
}

afterEach(() => {
  document.body.innerHTML = ''
})

const LINES = [
  dutyRow({ duty_id: 'C21', title: '主动公开目录：管理公开-随机抽查', status: 'stale', due: '2026-11-01', since: '2026-11-01', recordable: false, fulfilled_by: ['2026-08-03 抽查结果公告'] }),
  dutyRow({ duty_id: 'T01', due: '2026-12-31', status: 'due' }),
  dutyRow({ duty_id: 'T01', due: '2026-09-30', status: 'done', fulfilled_by: ['2026-09-28 三季度进展已公开'] }),
  dutyRow({ duty_id: 'T01', due: '2026-06-30', status: 'overdue' }),
]

describe('duty board', () => {
  it('the first screen says what is overdue and opens the board', async () => {
    const b = fakeBackend({}, { duties: LINES })
    mountWith(DocList, b)
    await settle()
    const line = $('[data-testid=duties-summary-line]')!
    expect(line.textContent).toContain('1 项已超期')
    expect(line.textContent).toContain('1 个目录栏目未及时更新')
    expect($('[data-testid=duties-button]')?.textContent).toContain('2 项超期或未更新')
    line.querySelector<HTMLElement>('.el-link')!.click()
    await settle()
    expect($('[data-testid=duties-table]')).not.toBeNull()
  })

  it('lists the worst first, with what fulfilled each line, and records a duty', async () => {
    const b = fakeBackend({}, { duties: LINES })
    mountWith(DutiesDrawer, b, { modelValue: true })
    await settle()
    const statuses = $$('[data-testid=duties-table] .el-table__body tr [data-testid=duty-status]').map((t) => t.textContent)
    expect(statuses).toEqual(['已超期', '未及时更新', '待完成', '已完成'])
    expect(text()).toContain('自 2026-11-01 起未更新')
    expect(text()).toContain('2026-09-28 三季度进展已公开')
    expect($('[data-testid=duties-summary]')?.textContent).toContain('超期 1 项')
    // Only a line a record can fulfil, and not done, offers 登记完成.
    expect($$('[data-testid=duty-record]')).toHaveLength(2)
    $$('[data-testid=duty-record]')[0].click()
    await settle()
    // The date picker's own input (Element Plus does not pass the test id on).
    const day = $<HTMLInputElement>('.el-date-editor input')!
    day.value = '2026-09-28'
    day.dispatchEvent(new Event('input', { bubbles: true }))
    day.dispatchEvent(new Event('change', { bubbles: true }))
    await settle()
    ;($('[data-testid=duty-record-save]') as HTMLElement).click()
    await settle()
    expect(text()).toContain('请写明做了什么')
    const note = $<HTMLTextAreaElement>('textarea[data-testid=duty-record-note]')!
    note.value = '二季度进展已公开'
    note.dispatchEvent(new Event('input', { bubbles: true }))
    await settle()
    ;($('[data-testid=duty-record-save]') as HTMLElement).click()
    await settle()
    expect(b.dutiesRecord).toHaveBeenLastCalledWith(expect.objectContaining({ duty_id: 'T01', date: '2026-09-28', note: '二季度进展已公开', for_due: '2026-06-30' }))
    // Exports: a sheet and a calendar, named after the period.
    ;($('[data-testid=duties-export-ics]') as HTMLElement).click()
    await settle()
    const year = new Date().getFullYear()
    expect(b.dutiesExport).toHaveBeenLastCalledWith(expect.objectContaining({ period: String(year), path: `/home/clerk/职责看板-${year}.ics` }))
    expect(text()).toContain('已写入日历')
    ;($('[data-testid=duties-export-pdf]') as HTMLElement).click()
    await settle()
    expect(b.dutiesExport).toHaveBeenLastCalledWith(expect.objectContaining({ path: `/home/clerk/政务公开职责落实情况汇总表-${year}.pdf` }))
    await settle()
    expect(b.dutiesBoard).toHaveBeenCalledWith(expect.objectContaining({ period: String(new Date().getFullYear()) }))
  })

  it('the year-end review confirms or converts with a reason', async () => {
    const item = (doc_id: string, attribute: string) => ({
      doc_id, title: `文件${doc_id}`, doc_number: '', attribute, grounds: ['个人隐私（第十五条）'], reason: '涉及个人隐私', outcome: 'pending', review_reason: '',
    })
    const b = fakeBackend({}, { yearEnd: [item('d1', '依申请公开'), item('d2', '不予公开')] })
    mountWith(DutiesDrawer, b, { modelValue: true })
    await settle()
    ;[...document.querySelectorAll<HTMLElement>('.el-tabs__item')].find((t) => t.textContent === '年终公开属性审查')!.click()
    await settle()
    expect($('[data-testid=review-summary]')?.textContent).toContain('待审查 2 份')
    expect(text()).toContain('个人隐私（第十五条）')
    $$('[data-testid=review-confirm]')[1].click()
    await settle()
    expect(b.reviewYearEndDecide).toHaveBeenLastCalledWith(expect.objectContaining({ doc_id: 'd2', convert: false }))
    $$('[data-testid=review-convert]')[0].click()
    await settle()
    ;($('[data-testid=review-convert-save]') as HTMLElement).click()
    await settle()
    expect(text()).toContain('须写明理由')
    const reason = $<HTMLTextAreaElement>('textarea[data-testid=review-reason]')!
    reason.value = '情形已消失'
    reason.dispatchEvent(new Event('input', { bubbles: true }))
    // The document has no catalogue place yet: the API wants one for a 主动公开 document.
    const catalog = $<HTMLInputElement>('input[data-testid=review-catalog]')!
    catalog.value = 'C06'
    catalog.dispatchEvent(new Event('input', { bubbles: true }))
    await settle()
    ;($('[data-testid=review-convert-save]') as HTMLElement).click()
    await settle()
    expect(b.reviewYearEndDecide).toHaveBeenLastCalledWith(expect.objectContaining({ doc_id: 'd1', convert: true, reason: '情形已消失', catalog_item: 'C06' }))
    expect($('[data-testid=review-summary]')?.textContent).toContain('待审查 0 份')
    expect(text()).toContain('已退回拟稿')
  })

  it('the office changes the period of a 定期更新 item', async () => {
    const lines = [dutyRow({ duty_id: 'C21', title: '主动公开目录：管理公开-随机抽查', status: 'done', recordable: false, period_days: 90, unit: 'zazd', unit_name: '治安支队' })]
    const b = fakeBackend({}, { duties: lines })
    mountWith(DutiesDrawer, b, { modelValue: true, office: true })
    await settle()
    const link = $('[data-testid=duty-period]')!
    expect(link.textContent).toContain('每90天')
    link.click()
    await settle()
    const input = $<HTMLInputElement>('.el-message-box input')!
    input.value = '30'
    input.dispatchEvent(new Event('input', { bubbles: true }))
    await settle()
    ;[...document.querySelectorAll<HTMLElement>('.el-message-box button')].find((x) => x.textContent?.includes('保存'))!.click()
    await settle(5)
    expect(b.dutiesSetPeriod).toHaveBeenCalledWith({ item: 'C21', days: 30 })
  })

  it('a year with every document reviewed offers to record the review as done', async () => {
    const b = fakeBackend({}, { yearEnd: [] })
    mountWith(DutiesDrawer, b, { modelValue: true })
    await settle()
    ;[...document.querySelectorAll<HTMLElement>('.el-tabs__item')].find((t) => t.textContent === '年终公开属性审查')!.click()
    await settle()
    $('[data-testid=review-finish]')!.click()
    await settle()
    expect(b.reviewYearEndFinish).toHaveBeenCalledTimes(1)
    expect(text()).toContain('本年度公开属性审查完成')
  })
})
