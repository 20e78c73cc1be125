import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SearchHit } from '../bindings/SearchHit'
import type { SearchRequest } from '../bindings/SearchRequest'
import { useSearch } from './useSearch'

function hit(title: string): SearchHit {
  return {
    doc: {
      doc_id: title,
      unit_id: 'u',
      title,
      doc_number: '',
      status: 'draft',
      head_rev_id: 'r',
      rev_count: 1,
      created_by: '张三',
      created_at: '2026-01-01T00:00:00Z',
      updated_by: '张三',
      updated_at: '2026-01-01T00:00:00Z',
      deleted_at: null,
    },
    snippet: title,
    highlights: [],
  }
}

describe('useSearch', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('searches 300 ms after typing stops, once', async () => {
    const docSearch = vi.fn(async (req: SearchRequest) => [hit(req.query)])
    const s = useSearch({ docSearch })
    s.onInput('治')
    await vi.advanceTimersByTimeAsync(200)
    s.onInput('治安')
    await vi.advanceTimersByTimeAsync(299)
    expect(docSearch).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(docSearch).toHaveBeenCalledTimes(1)
    expect(docSearch).toHaveBeenCalledWith({ query: '治安' })
    expect(s.results.value.map((h) => h.doc.title)).toEqual(['治安'])
  })

  it('Enter searches immediately', async () => {
    const docSearch = vi.fn(async (req: SearchRequest) => [hit(req.query)])
    const s = useSearch({ docSearch })
    s.onInput('通知')
    await s.runNow()
    expect(docSearch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(docSearch).toHaveBeenCalledTimes(1)
  })

  it('late results from a superseded query are dropped', async () => {
    const pending: Array<{ q: string; resolve: (h: SearchHit[]) => void }> = []
    const docSearch = vi.fn(
      (req: SearchRequest) => new Promise<SearchHit[]>((resolve) => pending.push({ q: req.query, resolve })),
    )
    const s = useSearch({ docSearch })
    s.onInput('旧')
    await vi.advanceTimersByTimeAsync(300)
    s.onInput('新')
    await vi.advanceTimersByTimeAsync(300)
    expect(pending.map((p) => p.q)).toEqual(['旧', '新'])
    pending[1].resolve([hit('新')])
    await vi.advanceTimersByTimeAsync(0)
    pending[0].resolve([hit('旧')])
    await vi.advanceTimersByTimeAsync(0)
    expect(s.results.value.map((h) => h.doc.title)).toEqual(['新'])
    expect(s.searching.value).toBe(false)
  })

  it('clearing the box clears the results without calling the backend', async () => {
    const docSearch = vi.fn(async (req: SearchRequest) => [hit(req.query)])
    const s = useSearch({ docSearch })
    s.onInput('甲')
    await vi.advanceTimersByTimeAsync(300)
    expect(s.results.value).toHaveLength(1)
    s.onInput('  ')
    await vi.advanceTimersByTimeAsync(300)
    expect(s.results.value).toEqual([])
    expect(docSearch).toHaveBeenCalledTimes(1)
  })

  it('reports errors as ApiError', async () => {
    const onError = vi.fn()
    const s = useSearch({ docSearch: async () => Promise.reject('索引损坏') }, onError)
    s.onInput('x')
    await s.runNow()
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'Internal' }))
  })
})
