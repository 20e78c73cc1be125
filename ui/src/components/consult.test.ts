// 征求意见 in the window: the panel shows what the API says (steps, the gate before sign-off,
// comments grouped, findings in the feedback) and sends what the clerk chose. The rules are the
// Rust core's (tested there); the fake replays views as the API gave them.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import type { ConsultView } from '../bindings/ConsultView'
import { fakeBackend } from '../test/fakeBackend'
vi.mock('../lib/files', () => ({
  pickCommentsPath: vi.fn(async () => '/home/clerk/意见.csv'),
  pickDocx: vi.fn(async () => null),
  pickSavePath: vi.fn(async () => null),
  pickOpenPath: vi.fn(async () => null),
  openInSystem: vi.fn(async () => {}),
  revealInFolder: vi.fn(async () => {}),
}))
import ConsultPanel from './ConsultPanel.vue'

const $ = (sel: string) => document.body.querySelector<HTMLElement>(sel)
const text = () => document.body.textContent ?? ''

async function settle(n = 3) {
  for (let i = 0; i < n; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 10))
  }
}

function mountWith(b: Backend): VueWrapper {
  return mount(ConsultPanel as never, {
    props: { docId: 'doc-1' } as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: b } },
  })
}

afterEach(() => {
  document.body.innerHTML = ''
})

function view(over: Partial<ConsultView> = {}): ConsultView {
  return {
    doc_id: 'doc-1',
    title: '停车管理办法',
    window: { from: '2026-09-01', to: '2026-09-30', days: 30, min_days: 30, short: false, warning: '' },
    short_reason: '',
    comments: [
      { comment_id: 'c1', received: '2026-09-05', channel: '网站', commenter: '张三', topic: '第五条', text: '收费过高', adoption: 'pending', adoption_label: '待研究', reason: '' },
      { comment_id: 'c2', received: '2026-09-12', channel: '信函', commenter: '李四', topic: '第五条', text: '应分区域', adoption: 'adopted', adoption_label: '采纳', reason: '' },
    ],
    groups: [{ topic: '第五条', total: 2, adopted: 1, partly: 0, not_adopted: 0, pending: 1 }],
    pending: 1,
    draft: '《停车管理办法》于2026年9月1日至2026年9月30日向社会公开征求意见，共收到意见建议2条。',
    steps: [
      { key: 'collect', title: '意见征集', due: '2026-09-30', done_on: '2026-09-30', status: 'done' },
      { key: 'feedback', title: '意见反馈', due: '2026-11-04', status: 'due' },
      { key: 'decision', title: '决策公布', due: '2026-11-04', status: 'due' },
    ],
    blocking: '还有1条意见未确定采纳情况，请在“征求意见”中逐条确定。',
    ...over,
  }
}

async function pick(selectCss: string, label: string) {
  $(`${selectCss} .el-select__wrapper`)!.click()
  await settle(1)
  const item = [...document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((e) => e.textContent?.includes(label))
  if (!item) throw new Error(`no option ${label}`)
  item.click()
  await settle(1)
}

describe('征求意见 panel', () => {
  it('a document with none offers to open one, and says why it was refused', async () => {
    const b = fakeBackend({}, { consult: null })
    mountWith(b)
    await settle()
    expect($('[data-testid=consult-open-card]')).not.toBeNull()
    expect(text()).toContain('不少于30日')
    $('[data-testid=consult-open]')!.click()
    await settle()
    expect($('[data-testid=consult-window-error]')?.textContent).toContain('请选择征求意见的开始和截止日期')
    expect(b.consultOpen).not.toHaveBeenCalled()
  })

  it('shows the steps, the gate and the groups, and records a refusal with its reason', async () => {
    const decided = view({
      comments: view().comments.map((c) => (c.comment_id === 'c1' ? { ...c, adoption: 'not_adopted', adoption_label: '未予采纳', reason: '由价格部门核定' } : c)),
      pending: 0,
      blocking: '有意见征集就要有意见反馈：请在“征求意见”中写好采纳情况并完成去标识化确认后再报送。',
    })
    const b = fakeBackend({}, { consult: view(), consultNext: [decided] })
    mountWith(b)
    await settle()
    expect($('[data-testid=consult-blocking]')?.textContent).toContain('1条意见未确定')
    expect($('[data-testid=consult-count]')?.textContent).toContain('收到意见 2 条，待研究 1 条')
    expect($('[data-testid=consult-groups]')?.textContent).toContain('第五条：2 条')
    const tags = [...document.body.querySelectorAll('[data-testid=consult-step-status]')].map((t) => t.textContent?.trim())
    expect(tags).toEqual(['已完成', '进行中', '进行中'])
    // 未予采纳 asks for the reason before it can be saved.
    await pick('[data-testid=adoption-c1]', '未予采纳')
    const reason = $('input[data-testid=reason-c1]') as HTMLInputElement
    expect(reason).not.toBeNull()
    reason.value = '由价格部门核定'
    reason.dispatchEvent(new Event('input'))
    await settle(1)
    $('[data-testid=decide-c1]')!.click()
    await settle()
    expect(b.consultCommentDecide).toHaveBeenCalledWith({ doc_id: 'doc-1', comment_id: 'c1', adoption: 'not_adopted', reason: '由价格部门核定' })
    expect($('[data-testid=consult-blocking]')?.textContent).toContain('意见反馈')
  })

  it('writes the feedback from the draft, shows what will be masked, keeps one on request, confirms', async () => {
    const text1 = view().draft + '张伟（13912345678）的建议已采纳。'
    const scanned = view({
      pending: 0,
      feedback: {
        text: text1,
        findings: [
          { index: 0, kind: 'person_name', label: '姓名', start: 0, end: 2, text: '张伟', keep: false, replacement: '张某' },
          { index: 1, kind: 'phone', label: '手机号', start: 3, end: 14, text: '13912345678', keep: false, replacement: '139****5678' },
        ],
        redacted: view().draft + '张某（139****5678）的建议已采纳。',
      },
    })
    const kept = view({ ...scanned, feedback: { ...scanned.feedback!, findings: scanned.feedback!.findings.map((f) => (f.index === 0 ? { ...f, keep: true } : f)), redacted: view().draft + '张伟（139****5678）的建议已采纳。' } })
    const confirmed = view({ ...kept, blocking: '', feedback: { ...kept.feedback!, confirmed_by: '王晓明', confirmed_at: '2026-10-09T02:00:00Z' } })
    const b = fakeBackend({}, { consult: view({ pending: 0 }), consultNext: [scanned, kept, confirmed] })
    mountWith(b)
    await settle()
    $('[data-testid=consult-use-draft]')!.click()
    await settle(1)
    const area = $('textarea[data-testid=consult-feedback-text]') as HTMLTextAreaElement
    expect(area.value).toContain('共收到意见建议2条')
    area.value = text1
    area.dispatchEvent(new Event('input'))
    await settle(1)
    $('[data-testid=consult-feedback-save]')!.click()
    await settle()
    expect(b.consultFeedback).toHaveBeenCalledWith({ doc_id: 'doc-1', text: text1 })
    expect($('[data-testid=consult-findings]')?.textContent).toContain('139****5678')
    expect($('[data-testid=consult-redacted]')?.textContent).not.toContain('13912345678')
    $('[data-testid=keep-0] input')!.click()
    await settle()
    expect(b.consultFeedbackKeep).toHaveBeenCalledWith({ doc_id: 'doc-1', index: 0, keep: true })
    $('[data-testid=consult-feedback-confirm]')!.click()
    await settle()
    expect(b.consultFeedbackConfirm).toHaveBeenCalledWith({ doc_id: 'doc-1' })
    expect($('[data-testid=consult-confirmed]')?.textContent).toContain('王晓明')
    expect($('[data-testid=consult-blocking]')).toBeNull()
  })

  it('imports a comments file and shows the file error in Chinese', async () => {
    const b = fakeBackend({}, {
      consult: view(),
      consultNext: [{ code: 'BadFile', message: '意见文件第3行：收到日期“十月”看不懂，请写成 2026-11-05' }],
    })
    mountWith(b)
    await settle()
    $('[data-testid=consult-import]')!.click()
    await settle()
    expect(b.consultCommentImport).toHaveBeenCalledWith({ doc_id: 'doc-1', path: '/home/clerk/意见.csv' })
    expect($('[data-testid=consult-comment-error]')?.textContent).toContain('第3行')
  })
})
