import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { BACKEND_KEY, type Backend } from '../api/backend'
import { onTestDay } from '../test/oracle'
import WorkflowPanel from './WorkflowPanel.vue'
import EditorView from './EditorView.vue'
import DisclosurePanel from './DisclosurePanel.vue'
import InterpretationPanel from './InterpretationPanel.vue'
import SecrecyPanel from './SecrecyPanel.vue'
import DocDeadlines from './DocDeadlines.vue'
import DocList from './DocList.vue'
import {
  OPTIONS,
  docView,
  emptyPackage,
  facts,
  fakeBackend,
  obligation,
  packageView,
  workflowView,
} from '../test/fakeBackend'
import type { PackageSaveRequest } from '../bindings/PackageSaveRequest'
import type { PackageView } from '../bindings/PackageView'

function mountWith<C>(component: C, backend: Backend, props: Record<string, unknown> = {}) {
  return mount(component as never, {
    props: props as never,
    attachTo: document.body,
    global: { plugins: [ElementPlus], provide: { [BACKEND_KEY as symbol]: backend } },
  })
}


/** Waits (up to 3 s) for what loads lazily (a drawer, a view, when first opened). */
async function until(cond: () => boolean) {
  for (let i = 0; i < 150 && !cond(); i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
  }
  await flushPromises()
}

/** Opens an Element Plus select and clicks the item with this text. */
async function pick(w: VueWrapper, selectCss: string, text: string) {
  await w.find(`${selectCss} .el-select__wrapper`).trigger('click')
  await flushPromises()
  const item = Array.from(document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')).find((e) =>
    e.textContent?.includes(text),
  )
  if (!item) throw new Error(`no option ${text}`)
  item.click()
  await flushPromises()
}

/** Puts a file into a hidden <input type=file> and fires change, as the file dialog does. */
async function chooseFile(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change'))
  // FileReader runs on the event loop.
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 10))
    await flushPromises()
  }
}

afterEach(() => {
  document.body.innerHTML = ''
  localStorage.clear()
})

describe('WorkflowPanel', () => {
  it('renders the 11 steps from a WorkflowView, the next step and what keeps it closed', async () => {
    const w = mountWith(WorkflowPanel, fakeBackend(), { docId: 'doc-1', workflow: workflowView('drafting', facts()) })
    await flushPromises()
    const steps = w.findAll('[data-testid=workflow-step]')
    expect(steps).toHaveLength(11)
    expect(steps.map((s) => s.find('.el-step__title').text())).toEqual([
      '拟稿',
      '属性已认定',
      '解读已同步',
      '已去标识化',
      '保密审查通过',
      '审签中',
      '已签发',
      '已封装',
      '已报送',
      '已受理',
      '已发布',
    ])
    expect(steps[0].attributes('data-state')).toBe('current')
    expect(steps[0].text()).toContain('当前')
    // Each step says how many gates it adds; the next step's are written out.
    expect(steps[1].text()).toContain('缺1项')
    expect(w.find('[data-testid=next-step]').text()).toBe('下一步：属性已认定')
    const gates = w.findAll('[data-testid=workflow-gate]')
    expect(gates.map((g) => g.attributes('data-code'))).toEqual(['attribute_missing'])
    expect(gates[0].text()).toContain('尚未确定公开属性：先确定公开属性，再运转呈签')
    expect(gates[0].text()).toContain('确定公开属性 →')
    await gates[0].find('a').trigger('click')
    expect(w.emitted('goto')).toEqual([['attribute']])
    // The rest is folded: four more, each with its message once unfolded.
    const later = w.find('[data-testid=workflow-later]')
    expect(later.text()).toBe('后续还需完成4项')
    await later.trigger('click')
    const rest = w.findAll('[data-testid=workflow-gate-later]')
    expect(rest.map((g) => g.attributes('data-code'))).toEqual([
      'interpretation_incomplete',
      'deid_not_applied',
      'secrecy_not_cleared',
      'signoff_missing',
    ])
    expect(rest[2].text()).toContain('保密审查通过')
    expect(rest[2].text()).toContain('保密审查尚未通过。')
    expect(w.find('[data-testid=withdraw]').exists()).toBe(false)
    w.unmount()
  })

  it('shows a signed document as reached, with the log of who moved it when and why', async () => {
    const view = workflowView(
      'signed',
      facts({ attribute_set: true, interpretation_complete: true, deid_applied: true, secrecy_cleared: true, signoff_recorded: true }),
      {
        log: [
          {
            from: 'in_review',
            from_label: '审签中',
            to: 'signed',
            to_label: '已签发',
            actor: '王晓明',
            at: '2026-11-23T02:00:00Z',
            reason: '刘副局长签发：同意印发',
            doc_rev_id: 'rev-1',
            package_rev_id: 'pkg-1',
          },
        ],
      },
    )
    const w = mountWith(WorkflowPanel, fakeBackend(), { docId: 'doc-1', workflow: view })
    await flushPromises()
    const steps = w.findAll('[data-testid=workflow-step]')
    expect(steps.slice(0, 6).every((s) => s.attributes('data-state') === 'done')).toBe(true)
    expect(steps[6].attributes('data-status')).toBe('success')
    expect(steps[6].text()).toContain('已签发')
    expect(w.find('[data-testid=next-step]').exists()).toBe(false)
    expect(w.find('[data-testid=withdraw]').text()).toBe('撤回到拟稿')
    await w.find('[data-testid=log-button]').trigger('click')
    await flushPromises()
    const log = document.body.querySelector('[data-testid=workflow-log]')!.textContent!
    expect(log).toContain('2026-11-23 10:00')
    expect(log).toContain('王晓明')
    expect(log).toContain('审签中 → 已签发')
    expect(log).toContain('刘副局长签发：同意印发')
    w.unmount()
  })

  it('shows the 退文理由 prominently and offers 重新拟稿', async () => {
    const w = mountWith(WorkflowPanel, fakeBackend(), {
      docId: 'doc-1',
      workflow: workflowView('returned', facts(), { returned_reason: '解读材料未说明新旧政策差异' }),
    })
    await flushPromises()
    expect(w.find('[data-testid=returned-reason]').text()).toContain('退文理由：解读材料未说明新旧政策差异')
    expect(w.find('[data-testid=withdraw]').text()).toBe('重新拟稿')
    expect(w.find('[data-testid=next-step]').exists()).toBe(false)
    w.unmount()
  })

  it('asks for a reason before withdrawing to 拟稿 and sends it', async () => {
    const backend = fakeBackend({
      workflowTransition: vi.fn(async () => workflowView('drafting')),
    })
    const w = mountWith(WorkflowPanel, backend, { docId: 'doc-1', workflow: workflowView('in_review', facts({ attribute_set: true })) })
    await flushPromises()
    await w.find('[data-testid=withdraw]').trigger('click')
    await flushPromises()
    const box = document.body.querySelector('.el-message-box')!
    expect(box.textContent).toContain('请写明撤回原因')
    const input = box.querySelector('input')!
    input.value = '补充施行日期'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    Array.from(box.querySelectorAll<HTMLButtonElement>('button'))
      .find((b) => b.textContent?.includes('撤回'))!
      .click()
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    await flushPromises()
    expect(backend.workflowTransition).toHaveBeenCalledWith({ doc_id: 'doc-1', to: 'drafting', reason: '补充施行日期' })
    expect(w.emitted('update')?.[0]?.[0]).toMatchObject({ stage: 'drafting' })
    w.unmount()
  })
})

describe('EditorView with the workflow', () => {
  it('next step before the attribute is set shows the GateClosed message inline; after it, moves on', async () => {
    const backend = fakeBackend()
    const w = mountWith(EditorView, backend, { docId: 'doc-1', initial: docView({ title: '关于优化户籍迁移登记服务的通知' }) })
    await flushPromises()
    const next = w.find('[data-testid=next-step]')
    expect(next.text()).toBe('下一步：属性已认定')
    await next.trigger('click')
    await flushPromises()
    expect(backend.workflowTransition).toHaveBeenCalledWith({ doc_id: 'doc-1', to: 'attribute_set', reason: '' })
    const err = w.find('[data-testid=gate-error]')
    expect(err.text()).toContain('还不能进入“属性已认定”')
    expect(err.text()).toContain('先确定公开属性，再运转呈签')
    expect(w.find('[data-testid=workflow-stage]').text()).toBe('拟稿')
    // Where the clerk acts: the attribute tab carries a mark and the message.
    expect(w.find('[data-testid=tab-attribute] .gk-tab-dot').exists()).toBe(true)

    await backend.disclosureSet({
      doc_id: 'doc-1',
      disclosure: {
        attribute: 'active',
        grounds: [],
        reason: '',
        ground_detail: '',
        channels: ['website'],
        catalog_item: 'C06',
        reach: { affects_public: true, replaces_policy: false, has_benefits: false },
      },
    })
    await w.find('[data-testid=next-step]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=gate-error]').exists()).toBe(false)
    expect(w.find('[data-testid=workflow-stage]').text()).toBe('属性已认定')
    expect(w.find('[data-testid=next-step]').text()).toBe('下一步：解读已同步')
    w.unmount()
  })

  it('Alt+3 style tab switching through selectTab shows the interpretation tab', async () => {
    const backend = fakeBackend()
    const w = mountWith(EditorView, backend, { docId: 'doc-9', initial: { ...docView(), summary: { ...docView().summary, doc_id: 'doc-9' } } })
    await flushPromises()
    ;(w.vm as unknown as { selectTab(i: number): void }).selectTab(2)
    await flushPromises()
    await flushPromises()
    expect(backend.packageGet).toHaveBeenCalledWith({ doc_id: 'doc-9' })
    expect(w.find('[data-testid=pkg-check]').exists()).toBe(true)
    w.unmount()
  })
})

describe('DisclosurePanel', () => {
  it('部分公开 needs a ground: the refusal is shown inline; the chosen ground shows its article text', async () => {
    const backend = fakeBackend()
    const w = mountWith(DisclosurePanel, backend, { docId: 'doc-1', options: OPTIONS, stage: 'drafting' })
    await flushPromises()
    // Each attribute shows its 附注.
    const opts = w.findAll('[data-testid=attr-option]')
    expect(opts.map((o) => o.text())).toContain('部分公开附注：（此件公开发布）')
    expect(w.find('[data-testid=attr-submit]').attributes('disabled')).toBeDefined()
    await w.find('[data-testid=attr-option][data-value=partial]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=attr-grounds]').exists()).toBe(true)
    await w.find('[data-testid=attr-submit]').trigger('click')
    await flushPromises()
    expect(backend.disclosureSet).toHaveBeenCalledTimes(1)
    expect(w.find('[data-testid=attr-error]').text()).toContain('“部分公开”必须注明《政府信息公开条例》规定的法定理由')
    expect(w.emitted('changed')).toBeUndefined()

    await pick(w, '[data-testid=attr-grounds]', '涉及个人隐私')
    const law = w.find('[data-testid=ground-text]')
    expect(law.attributes('data-id')).toBe('partial:art15-personal-privacy')
    expect(law.text()).toContain('第十五条')
    expect(law.text()).toContain('涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。')
    await w.find('[data-testid=attr-reason] textarea').setValue('正文中来信群众的姓名和手机号码属于个人隐私')
    await w.find('[data-testid=attr-channel][data-value=website]').trigger('click')
    await pick(w, '[data-testid=attr-catalog]', 'C06')
    expect(w.find('[data-testid=catalog-detail]').text()).toContain('法制支队')
    expect(w.find('[data-testid=catalog-detail]').text()).toContain('定期更新')
    await w.find('[data-testid=reach-affects-public]').trigger('click')
    await w.find('[data-testid=attr-submit]').trigger('click')
    await flushPromises()
    expect(backend.disclosureSet).toHaveBeenLastCalledWith({
      doc_id: 'doc-1',
      disclosure: {
        attribute: 'partial',
        grounds: ['partial:art15-personal-privacy'],
        reason: '正文中来信群众的姓名和手机号码属于个人隐私',
        ground_detail: '',
        channels: ['website'],
        catalog_item: 'C06',
        reach: { affects_public: true, replaces_policy: false, has_benefits: false },
      },
    })
    expect(w.find('[data-testid=attr-error]').exists()).toBe(false)
    expect(w.emitted('changed')).toHaveLength(1)
    expect(w.find('[data-testid=attr-decided]').text()).toContain('部分公开')
    w.unmount()
  })

  it('a ground that requires the statute asks for it; 不予公开 offers the 第十四至十六条 grounds', async () => {
    const w = mountWith(DisclosurePanel, fakeBackend(), { docId: 'doc-1', options: OPTIONS })
    await flushPromises()
    await w.find('[data-testid=attr-option][data-value=withheld]').trigger('click')
    await flushPromises()
    await pick(w, '[data-testid=attr-grounds]', '法律、行政法规禁止公开')
    expect(w.find('[data-testid=ground-requires]').text()).toContain('须填写具体的法律、行政法规名称及条款')
    expect(w.find('[data-testid=attr-ground-detail] input').exists()).toBe(true)
    // Not published: no channel or catalogue.
    expect(w.find('[data-testid=attr-channels]').exists()).toBe(false)
    w.unmount()
  })

  it('is disabled when locked, saying how to change it', async () => {
    const backend = fakeBackend({
      disclosureGet: vi.fn(async () => ({
        doc_id: 'doc-1',
        disclosure: null,
        decided_by: null,
        decided_at: null,
        issues: [],
        locked: true,
      })),
    })
    const w = mountWith(DisclosurePanel, backend, { docId: 'doc-1', options: OPTIONS })
    await flushPromises()
    expect(w.find('[data-testid=attr-locked]').text()).toContain('已送审签，如需修改请先撤回到拟稿')
    expect(w.find('[data-testid=attr-submit]').attributes('disabled')).toBeDefined()
    w.unmount()
  })
})

describe('InterpretationPanel', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }))
  afterEach(() => vi.useRealTimers())

  const saved = (rev: number, over: Partial<PackageView> = {}): PackageView =>
    packageView(emptyPackage({ sections: [{ key: 'main_content', text: '在城区合法稳定居住满一年并缴纳社会保险满六个月的人员可以申请登记常住户口。' }] }), {
      head: { rev_id: `pkg-${rev}`, rev_no: rev, author_name: '王晓明', created_at: '2026-01-05T02:00:00Z', content_sha256: 'h' },
      revision_count: rev,
      ...over,
    })

  it('autosaves about 1 s after typing on the last saved head and shows the 形式化解读 warnings', async () => {
    let rev = 3
    const packageSave = vi.fn(async (req: PackageSaveRequest) => {
      rev++
      const text = req.package.sections.find((s) => s.key === 'main_content')!.text
      return saved(rev, {
        package: req.package,
        check: {
          complete: false,
          required_sections: ['background', 'basis', 'main_content'],
          copied_share: 0.62,
          issues: [
            { code: 'section_empty', blocking: true, message: '“依据”是本文件必须解读的内容，尚未填写。', spans: [{ place: { kind: 'section', index: 'basis' }, start: 0, end: 0 }] },
            {
              code: 'copied_text',
              blocking: false,
              message: '解读中有62%的文字与政策原文逐字相同（连续15字以上），疑似简单摘抄原文。',
              spans: [{ place: { kind: 'section', index: 'main_content' }, start: 0, end: Array.from(text).length }],
            },
          ],
        },
      })
    })
    const backend = fakeBackend({ packageGet: vi.fn(async () => saved(3)), packageSave })
    const w = mountWith(InterpretationPanel, backend, { docId: 'doc-1', options: OPTIONS })
    await flushPromises()
    const indicator = () => w.find('[data-testid=pkg-save-indicator]').text()
    expect(indicator()).toMatch(/^已保存/)
    expect(w.find('[data-testid=pkg-section][data-key=background] [data-testid=required-tag]').text()).toBe('必填')
    expect(w.find('[data-testid=pkg-section][data-key=benefits] [data-testid=required-tag]').exists()).toBe(false)

    await w.find('[data-testid=pkg-section][data-key=background] textarea').setValue('群众反映落户手续多。')
    await flushPromises()
    expect(indicator()).toBe('未保存')
    await vi.advanceTimersByTimeAsync(999)
    expect(packageSave).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    await flushPromises()
    expect(packageSave).toHaveBeenCalledTimes(1)
    const req = packageSave.mock.calls[0][0]
    expect(req.base_rev_id).toBe('pkg-3')
    expect(req.package.sections.map((s) => s.key)).toEqual(['background', 'main_content'])
    expect(req.package.sections[0].text).toBe('群众反映落户手续多。')
    expect(indicator()).toMatch(/^已保存/)

    // The check of the saved package: errors, the warning, the share and the marked span.
    expect(w.find('[data-testid=copied-share]').text()).toContain('62%')
    expect(w.find('[data-testid=pkg-warning]').text()).toContain('疑似简单摘抄原文')
    expect(w.find('[data-testid=pkg-error]').text()).toContain('“依据”是本文件必须解读的内容')
    expect(w.find('[data-testid=pkg-section][data-key=basis]').classes()).toContain('is-missing')
    const excerpt = w.find('[data-testid=pkg-section][data-key=main_content] [data-testid=copied-excerpt]')
    expect(excerpt.find('mark.gk-copied').text()).toBe('在城区合法稳定居住满一年并缴纳社会保险满六个月的人员可以申请登记常住户口。')

    // The next save builds on the head the last one returned.
    await w.find('[data-testid=pkg-section][data-key=basis] textarea').setValue('依据《户口登记条例》。')
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(packageSave).toHaveBeenCalledTimes(2)
    expect(packageSave.mock.calls[1][0].base_rev_id).toBe('pkg-4')
    expect(w.emitted('saved')).toHaveLength(2)
    w.unmount()
  })

  it('the first save has no base; a Conflict stops saving and offers 重新打开', async () => {
    const packageSave = vi.fn(async () => {
      throw { code: 'Conflict', message: '解读材料已在其他窗口或命令行中被修改。请复制您刚才的修改，重新打开后再粘贴。' }
    })
    const backend = fakeBackend({ packageSave })
    const w = mountWith(InterpretationPanel, backend, { docId: 'doc-1', options: OPTIONS })
    await flushPromises()
    expect(w.find('[data-testid=pkg-save-indicator]').text()).toBe('尚未保存')
    await w.find('[data-testid=qa-add]').trigger('click')
    await w.find('[data-testid=qa-question] input').setValue('租房能落户吗？')
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(packageSave.mock.calls[0]).toBeDefined()
    expect((packageSave.mock.calls[0] as unknown as [PackageSaveRequest])[0].base_rev_id).toBeNull()
    expect(w.find('[data-testid=pkg-conflict]').text()).toContain('解读材料已在其他窗口或命令行中被修改')
    await vi.advanceTimersByTimeAsync(60000)
    expect(packageSave).toHaveBeenCalledTimes(1)
    await w.find('[data-testid=pkg-reopen]').trigger('click')
    await flushPromises()
    expect(backend.packageGet).toHaveBeenCalledTimes(2)
    expect(w.find('[data-testid=pkg-conflict]').exists()).toBe(false)
    w.unmount()
  })
})

describe('InterpretationPanel images', () => {
  it('adds a PNG as base64 with its caption, shows the thumbnail and saves it in the package', async () => {
    const backend = fakeBackend()
    const w = mountWith(InterpretationPanel, backend, { docId: 'doc-1', options: OPTIONS })
    await flushPromises()
    await w.find('[data-testid=pkg-forms] [data-value=graphic]').trigger('click')
    await flushPromises()
    await w.find('[data-testid=graphic-caption-new] input').setValue('办理流程图')
    // A real 1×1 PNG: the API decodes what it is given.
    const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0))
    await chooseFile(w.find('[data-testid=graphic-file]').element as HTMLInputElement, new File([png], '流程图.png', { type: 'image/png' }))
    expect(backend.packageImageAdd).toHaveBeenCalledWith({
      doc_id: 'doc-1',
      file_name: '流程图.png',
      data_base64: btoa(String.fromCharCode(...png)),
      caption: '办理流程图',
    })
    const item = w.find('[data-testid=graphic-item]')
    expect(item.text()).toContain('流程图.png')
    expect(item.find('[data-testid=graphic-thumb]').attributes('src')).toMatch(/^data:image\/png;base64,/)
    // A GIF is refused with the backend's message.
    await chooseFile(w.find('[data-testid=graphic-file]').element as HTMLInputElement, new File(['GIF89a...'], 'a.gif', { type: 'image/gif' }))
    expect(w.find('[data-testid=graphic-error]').text()).toContain('只能添加 PNG 或 JPEG 格式的图片')
    await new Promise((r) => setTimeout(r, 1100))
    await flushPromises()
    const req = backend.packageSave.mock.calls.at(-1)![0] as PackageSaveRequest
    expect(req.package.forms).toContain('graphic')
    expect(req.package.graphics.map((g) => g.caption)).toEqual(['办理流程图'])
    w.unmount()
  })
})

describe('SecrecyPanel', () => {
  it('records the review and lists what keeps it from passing; in 审签中 records the sign-off', async () => {
    onTestDay()
    const backend = fakeBackend()
    const w = mountWith(SecrecyPanel, backend, {
      docId: 'doc-1',
      options: OPTIONS,
      workflow: workflowView('secrecy_cleared', facts()),
    })
    await flushPromises()
    expect(w.findAll('[data-testid=secrecy-check]')).toHaveLength(6)
    expect(w.find('[data-testid=secrecy-submit]').attributes('disabled')).toBeDefined()
    await w.find('[data-testid=opinion-section] [data-testid=opinion-name] input').setValue('张科长')
    await pick(w, '[data-testid=secrecy-conclusion]', '同意公开')
    await w.find('[data-testid=secrecy-submit]').trigger('click')
    await flushPromises()
    const sent = backend.secrecyRecord.mock.calls[0][0]
    expect(sent.review.section.name).toBe('张科长')
    expect(sent.review.section.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(sent.review.conclusion).toBe('approve')
    const problems = w.find('[data-testid=secrecy-problems]').text()
    expect(problems).toContain('缺少保密办的审查意见（姓名和日期）。')
    expect(problems).toContain('审查要点“不涉及国家秘密”尚未确认。')
    expect(w.emitted('recorded')).toHaveLength(1)
    expect(w.find('[data-testid=signoff-form]').exists()).toBe(false)

    await (w.setProps as (p: Record<string, unknown>) => Promise<void>)({ workflow: workflowView('in_review', facts()) })
    await flushPromises()
    // The fake refuses a sign-off outside 审签中; the panel shows the reply inline.
    await w.find('[data-testid=signoff-signer] input').setValue('刘副局长')
    await w.find('[data-testid=signoff-opinion] input').setValue('同意印发')
    await w.find('[data-testid=signoff-submit]').trigger('click')
    await flushPromises()
    expect(backend.signoffRecord).toHaveBeenCalledWith(
      expect.objectContaining({ doc_id: 'doc-1', signer: '刘副局长', opinion: '同意印发', signed_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
    )
    expect(w.find('[data-testid=signoff-error]').text()).toContain('只有“审签中”的文件才能登记签发')
    w.unmount()
  })

  it('shows the recorded sign-off with the revisions it covers', async () => {
    const w = mountWith(SecrecyPanel, fakeBackend(), {
      docId: 'doc-1',
      options: OPTIONS,
      workflow: workflowView('signed', facts(), {
        signoff: { signer: '刘副局长', signed_on: '2026-11-23', opinion: '同意印发', recorded_by: '王晓明', doc_rev_no: 4, package_rev_no: 2 },
      }),
    })
    await flushPromises()
    const rec = w.find('[data-testid=signoff-recorded]').text()
    expect(rec).toContain('刘副局长于2026年11月23日签发')
    expect(rec).toContain('文件第4版、解读材料第2版')
    w.unmount()
  })
})

describe('deadlines', () => {
  it('the list’s 时限提醒 shows overdue in red, and a click opens the document', async () => {
    const backend = fakeBackend({
      deadlinesPanel: vi.fn(async () => [
        obligation({ doc_id: 'doc-7', doc_title: '关于甲的通知', state: 'overdue', days_left: -2, due: '2026-11-26' }),
        obligation({ doc_id: 'doc-8', doc_title: '关于乙的通知', rule_id: 8, what: '在政府网站等渠道主动公开文件', days_left: 5, due: '2027-01-08', provisional: true }),
      ]),
    })
    const w = mountWith(DocList, backend)
    await flushPromises()
    await w.find('[data-testid=deadlines-button]').trigger('click')
    await until(() => !!document.body.querySelector('[data-testid=calendar-file]'))
    expect(backend.deadlinesPanel).toHaveBeenCalled()
    const body = document.body
    const left = Array.from(body.querySelectorAll<HTMLElement>('[data-testid=deadline-left]'))
    expect(left.map((e) => e.textContent)).toEqual(['已逾期2个工作日', '剩5个工作日'])
    expect(left[0].classList.contains('gk-overdue')).toBe(true)
    expect(left[1].classList.contains('gk-overdue')).toBe(false)
    expect(body.querySelector('[data-testid=deadlines-overdue]')!.textContent).toContain('已逾期 1 项')
    expect(body.querySelector('[data-testid=deadline-provisional]')!.textContent).toBe('暂按周一至周五推算')
    expect(body.querySelector('[data-testid=calendar-years]')!.textContent).toContain('2019—2026年')
    const rows = body.querySelectorAll<HTMLElement>('[data-testid=deadline-table] .el-table__row')
    rows[0].click()
    await flushPromises()
    expect(w.emitted('open')).toEqual([['doc-7']])
    w.unmount()
  })

  it('imports a holiday table from a JSON file and shows the years loaded', async () => {
    const backend = fakeBackend()
    const w = mountWith(DocList, backend)
    await flushPromises()
    await w.find('[data-testid=deadlines-button]').trigger('click')
    await until(() => !!document.body.querySelector('[data-testid=calendar-file]'))
    const json = '{"years":{"2026":{"holidays":[],"workdays":[]},"2027":{"holidays":["2027-01-01"],"workdays":[]}}}'
    const input = document.body.querySelector<HTMLInputElement>('[data-testid=calendar-file]')!
    await chooseFile(input, new File([json], 'holidays-2027.json', { type: 'application/json' }))
    expect(backend.calendarImport).toHaveBeenCalledWith({ json })
    expect(document.body.querySelector('[data-testid=calendar-imported]')!.textContent).toContain('2026、2027年')
    // A file that is not a table is refused with the backend's message.
    await chooseFile(input, new File(['not json'], 'x.json'))
    expect(document.body.querySelector('[data-testid=calendar-error]')!.textContent).toContain('节假日表格式有误：不是有效的 JSON 文件')
    w.unmount()
  })

  it('the document’s 时限 tab lists its deadlines and records the publication date', async () => {
    onTestDay()
    const backend = fakeBackend()
    const wf = workflowView('signed', facts(), {
      deadlines: [
        obligation({ state: 'overdue', days_left: -3 }),
        obligation({ rule_id: 8, what: '在政府网站等渠道主动公开文件', state: 'running', days_left: 20, provisional: true }),
      ],
    })
    const w = mountWith(DocDeadlines, backend, { docId: 'doc-1', workflow: wf })
    await flushPromises()
    const left = w.findAll('[data-testid=deadline-left]')
    expect(left[0].text()).toBe('已逾期3个工作日')
    expect(left[0].classes()).toContain('gk-overdue')
    expect(w.find('[data-testid=deadline-provisional]').text()).toBe('暂按周一至周五推算')
    await w.find('[data-testid=event-published-submit]').trigger('click')
    await flushPromises()
    expect(backend.eventRecord).toHaveBeenCalledWith({ doc_id: 'doc-1', kind: 'published', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    expect(w.emitted('update')).toHaveLength(1)
    // A pause needs its dates and a reason: the refusal is shown inline.
    await w.find('[data-testid=pause-submit]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=pause-error]').text()).toContain('请选择暂停的起止日期')
    expect(backend.deadlinePause).not.toHaveBeenCalled()
    w.unmount()
  })

  it('lists the recorded pauses of a document', async () => {
    const wf = workflowView('signed', facts(), {
      pauses: [{ start: '2026-11-24', end: '2026-11-25', reason: '征求第三方意见（条例第三十二条）', recorded_by: '王晓明' }],
    })
    const w = mountWith(DocDeadlines, fakeBackend(), { docId: 'doc-1', workflow: wf })
    await flushPromises()
    const rows = w.findAll('[data-testid=pause-row]')
    expect(rows).toHaveLength(1)
    expect(rows[0].text()).toContain('2026-11-24 至 2026-11-25：征求第三方意见（条例第三十二条）')
    w.unmount()
  })
})
