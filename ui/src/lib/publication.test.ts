import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { daysLeftText, gatesFor, todayCst, chineseDate } from './publication'
import { matchTabShortcut, matchShortcut } from './shortcuts'
import { ValueAutosave } from './valueAutosave'
import { facts, obligation, workflowView } from '../test/fakeBackend'

describe('deadline texts', () => {
  it('reads overdue, running, waiting and done the way a clerk says it', () => {
    expect(daysLeftText(obligation({ state: 'overdue', days_left: -2 }))).toBe('已逾期2个工作日')
    expect(daysLeftText(obligation({ state: 'running', days_left: 3 }))).toBe('剩3个工作日')
    expect(daysLeftText(obligation({ state: 'running', days_left: 0 }))).toBe('今天到期')
    expect(daysLeftText(obligation({ state: 'waiting', days_left: null }))).toBe('待“文件公开发布”后起算')
    expect(daysLeftText(obligation({ state: 'done', done: '2026-11-24' }))).toBe('已于2026年11月24日完成')
    expect(daysLeftText(obligation({ state: 'done_late', done: '2026-12-01' }))).toBe('2026年12月1日完成（已逾期）')
  })

  it('today is the date in Beijing, whatever the machine’s zone', () => {
    // 2026-11-23 17:30 UTC is 2026-11-24 01:30 in Beijing.
    expect(todayCst(new Date(Date.UTC(2026, 10, 23, 17, 30)))).toBe('2026-11-24')
    expect(todayCst(new Date(Date.UTC(2026, 10, 23, 15, 59)))).toBe('2026-11-23')
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日')
  })
})

describe('gates by tab', () => {
  it('puts the next step’s gates where the clerk acts now, the rest as later', () => {
    const w = workflowView('drafting', facts())
    expect(gatesFor(w, 'attribute').now.map((g) => g.code)).toEqual(['attribute_missing'])
    expect(gatesFor(w, 'body')).toEqual({ now: [], later: [expect.objectContaining({ code: 'deid_not_applied' })] })
    expect(gatesFor(w, 'secrecy').later.map((g) => g.code)).toEqual(['secrecy_not_cleared', 'signoff_missing'])
    const later = workflowView('interpretation_synced', facts({ attribute_set: true, interpretation_complete: true, deid_pending: 2 }))
    expect(gatesFor(later, 'body').now.map((g) => g.message)).toEqual(['还有2处个人信息尚未确认，请在去标识化审查中逐条处理。'])
    expect(gatesFor(null, 'body')).toEqual({ now: [], later: [] })
  })
})

describe('shortcuts', () => {
  const key = (over: Partial<KeyboardEventInit & { code: string }>) => ({
    key: '',
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...over,
  })
  it('Alt+1 … Alt+6 pick a tab; other keys do not', () => {
    expect(matchTabShortcut(key({ key: '1', code: 'Digit1', altKey: true }))).toBe(0)
    expect(matchTabShortcut(key({ key: '¡', code: 'Digit5', altKey: true }))).toBe(4)
    expect(matchTabShortcut(key({ key: '3', altKey: true }))).toBe(2)
    expect(matchTabShortcut(key({ key: '6', code: 'Digit6', altKey: true }))).toBe(5)
    expect(matchTabShortcut(key({ key: '7', code: 'Digit7', altKey: true }))).toBeNull()
    expect(matchTabShortcut(key({ key: '1', code: 'Digit1' }))).toBeNull()
    expect(matchTabShortcut(key({ key: '1', code: 'Digit1', altKey: true, ctrlKey: true }))).toBeNull()
    expect(matchShortcut(key({ key: '1', altKey: true }))).toBeNull()
  })
})

describe('ValueAutosave', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('saves once after the debounce on the base, then on the returned head', async () => {
    let n = 0
    const save = vi.fn(async (base: string | null, v: { a: string }) => ({ head: `r${++n}`, v, base }))
    const a = new ValueAutosave({ value: { a: '' }, baseRevId: null, save, headOf: (r) => r.head })
    a.update({ a: '1' })
    a.update({ a: '12' })
    expect(a.state.status).toBe('dirty')
    await vi.advanceTimersByTimeAsync(1000)
    expect(save).toHaveBeenCalledTimes(1)
    expect(save).toHaveBeenLastCalledWith(null, { a: '12' })
    expect(a.state.status).toBe('saved')
    a.update({ a: '123' })
    expect(await a.flush()).toBe(true)
    expect(save).toHaveBeenLastCalledWith('r1', { a: '123' })
    // Typing back to what is saved saves nothing.
    a.update({ a: '1234' })
    a.update({ a: '123' })
    await vi.advanceTimersByTimeAsync(2000)
    expect(save).toHaveBeenCalledTimes(2)
    a.dispose()
  })

  it('retries a failed save with backoff and stops on Conflict', async () => {
    const save = vi
      .fn()
      .mockRejectedValueOnce({ code: 'SaveFailed', message: '磁盘已满' })
      .mockRejectedValueOnce({ code: 'Conflict', message: '已被修改' })
    const a = new ValueAutosave({ value: 1, baseRevId: 'r1', save, headOf: () => 'r2' })
    a.update(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(a.state.status).toBe('failed')
    expect(a.state.retryInMs).toBe(2000)
    await vi.advanceTimersByTimeAsync(2000)
    expect(save).toHaveBeenCalledTimes(2)
    expect(a.state.status).toBe('conflict')
    expect(a.state.error?.message).toBe('已被修改')
    await vi.advanceTimersByTimeAsync(60000)
    expect(save).toHaveBeenCalledTimes(2)
    expect(await a.flush()).toBe(false)
    a.dispose()
  })
})
