import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DocFields } from '../bindings/DocFields'
import type { SaveRequest } from '../bindings/SaveRequest'
import type { SaveResponse } from '../bindings/SaveResponse'
import type { ApiError } from '../bindings/ApiError'
import { AutosaveController, STATUS_TEXT, backoffDelay, type SaveStatus } from './autosave'
import type { DraftStore, StoredDraft } from './drafts'
import { emptyFields } from './text'

function fieldsWith(title: string): DocFields {
  return { ...emptyFields(), title }
}

let revCounter = 0
function okResponse(req: SaveRequest): SaveResponse {
  revCounter++
  return {
    saved: true,
    head: {
      rev_id: `rev-${revCounter}`,
      doc_id: req.doc_id,
      parent_rev_id: req.base_rev_id,
      rev_no: revCounter,
      author_id: 'c1',
      author_name: '张三',
      device_id: 'd1',
      created_at: '2026-01-05T08:00:00Z',
      content_sha256: 'x',
      restored_from: null,
    },
    issues: [],
    paragraphs: [],
  }
}

interface Deferred {
  req: SaveRequest
  resolve: (r: SaveResponse) => void
  reject: (e: unknown) => void
}

/** A fake doc_save whose calls stay pending until the test settles them. */
function manualSave() {
  const calls: Deferred[] = []
  const save = vi.fn(
    (req: SaveRequest) =>
      new Promise<SaveResponse>((resolve, reject) => {
        calls.push({ req, resolve, reject })
      }),
  )
  return { calls, save }
}

function memoryDrafts(): DraftStore & { map: Map<string, StoredDraft> } {
  const map = new Map<string, StoredDraft>()
  return {
    map,
    load: (id) => map.get(id) ?? null,
    save: (id, d) => void map.set(id, d),
    clear: (id) => void map.delete(id),
  }
}

const flush = () => vi.advanceTimersByTimeAsync(0)

describe('backoffDelay', () => {
  it('doubles from 2 s and caps at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffDelay)).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000])
  })
})

describe('AutosaveController', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    revCounter = 0
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('saves once, about 1 s after the last change', async () => {
    const save = vi.fn(async (req: SaveRequest) => okResponse(req))
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('一'))
    await vi.advanceTimersByTimeAsync(600)
    c.update(fieldsWith('一二'))
    await vi.advanceTimersByTimeAsync(600)
    c.update(fieldsWith('一二三'))
    await vi.advanceTimersByTimeAsync(999)
    expect(save).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(save).toHaveBeenCalledTimes(1)
    expect(save.mock.calls[0][0]).toMatchObject({ doc_id: 'd', base_rev_id: 'rev-0' })
    expect(save.mock.calls[0][0].fields.title).toBe('一二三')
    expect(c.status).toBe('saved')
    expect(c.state.baseRevId).toBe('rev-1')
  })

  it('goes 未保存 → 保存中… → 已保存', async () => {
    const { calls, save } = manualSave()
    const seen: SaveStatus[] = []
    const c = new AutosaveController({
      docId: 'd',
      baseRevId: 'rev-0',
      fields: emptyFields(),
      save,
      onState: (s) => {
        if (seen[seen.length - 1] !== s.status) seen.push(s.status)
      },
    })
    expect(STATUS_TEXT[c.status]).toBe('已保存')
    c.update(fieldsWith('标题'))
    expect(STATUS_TEXT[c.status]).toBe('未保存')
    await vi.advanceTimersByTimeAsync(1000)
    expect(STATUS_TEXT[c.status]).toBe('保存中…')
    calls[0].resolve(okResponse(calls[0].req))
    await flush()
    expect(STATUS_TEXT[c.status]).toBe('已保存')
    expect(c.state.savedAt).not.toBeNull()
    expect(seen).toEqual(['dirty', 'saving', 'saved'])
  })

  it('keeps one save in flight and then saves the latest fields on the new head', async () => {
    const { calls, save } = manualSave()
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('A'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveLength(1)
    // More typing while the first save is slow; its debounce fires during the flight.
    c.update(fieldsWith('AB'))
    c.update(fieldsWith('ABC'))
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls).toHaveLength(1)
    expect(c.status).toBe('saving')
    calls[0].resolve(okResponse(calls[0].req))
    await flush()
    expect(calls).toHaveLength(2)
    expect(calls[1].req.fields.title).toBe('ABC')
    expect(calls[1].req.base_rev_id).toBe('rev-1')
    calls[1].resolve(okResponse(calls[1].req))
    await flush()
    expect(c.status).toBe('saved')
    expect(c.hasUnsaved).toBe(false)
    expect(save).toHaveBeenCalledTimes(2)
  })

  it('saveNow saves immediately without waiting for the debounce', async () => {
    const save = vi.fn(async (req: SaveRequest) => okResponse(req))
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('急'))
    const ok = await c.saveNow()
    expect(ok).toBe(true)
    expect(save).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(3000)
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('flush waits for an in-flight save and then saves newer changes', async () => {
    const { calls, save } = manualSave()
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('1'))
    await vi.advanceTimersByTimeAsync(1000)
    c.update(fieldsWith('12'))
    let done: boolean | null = null
    void c.flush().then((v) => (done = v))
    await flush()
    expect(done).toBeNull()
    calls[0].resolve(okResponse(calls[0].req))
    await flush()
    expect(calls).toHaveLength(2)
    expect(calls[1].req.fields.title).toBe('12')
    calls[1].resolve(okResponse(calls[1].req))
    await flush()
    expect(done).toBe(true)
  })

  it('retries with backoff 2 s, 4 s, 8 s … keeps a local draft, and clears it on success', async () => {
    const failure: ApiError = { code: 'SaveFailed', message: '磁盘已满，无法保存。请清理磁盘空间。' }
    let failuresLeft = 4
    const times: number[] = []
    const start = Date.now()
    const save = vi.fn(async (req: SaveRequest) => {
      times.push(Date.now() - start)
      if (failuresLeft-- > 0) throw failure
      return okResponse(req)
    })
    const drafts = memoryDrafts()
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save, drafts })
    c.update(fieldsWith('草稿'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(c.status).toBe('failed')
    expect(STATUS_TEXT[c.status]).toBe('保存失败，将自动重试')
    expect(c.state.error).toEqual(failure)
    expect(drafts.map.get('d')?.fields.title).toBe('草稿')
    // Typing during the failure does not save early; the draft copy follows.
    c.update(fieldsWith('草稿二'))
    expect(drafts.map.get('d')?.fields.title).toBe('草稿二')
    await vi.advanceTimersByTimeAsync(60000)
    expect(times).toEqual([1000, 3000, 7000, 15000, 31000])
    expect(c.status).toBe('saved')
    expect(save.mock.calls[4][0].fields.title).toBe('草稿二')
    expect(drafts.map.has('d')).toBe(false)
    expect(c.state.error).toBeNull()
  })

  it('caps the retry delay at 30 s', async () => {
    const save = vi.fn(async () => {
      throw { code: 'SaveFailed', message: '只读' }
    })
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('x'))
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 16000)
    expect(save).toHaveBeenCalledTimes(5)
    expect(c.state.retryInMs).toBe(30000)
    await vi.advanceTimersByTimeAsync(29999)
    expect(save).toHaveBeenCalledTimes(5)
    await vi.advanceTimersByTimeAsync(1)
    expect(save).toHaveBeenCalledTimes(6)
    c.dispose()
  })

  it('normalises non-ApiError rejections', async () => {
    const save = vi.fn(async () => {
      throw new Error('boom')
    })
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('x'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(c.state.error?.code).toBe('Internal')
    expect(c.state.error?.message).toContain('boom')
    c.dispose()
  })

  it('stops on Conflict and never retries', async () => {
    const conflict: ApiError = { code: 'Conflict', message: '文件已在别处修改，请重新打开。' }
    const save = vi.fn(async () => {
      throw conflict
    })
    const drafts = memoryDrafts()
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save, drafts })
    c.update(fieldsWith('x'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(c.status).toBe('conflict')
    expect(c.state.error).toEqual(conflict)
    c.update(fieldsWith('xy'))
    expect(await c.saveNow()).toBe(false)
    await vi.advanceTimersByTimeAsync(120000)
    expect(save).toHaveBeenCalledTimes(1)
    expect(drafts.map.get('d')?.fields.title).toBe('xy')
  })

  it('saveNow cuts a scheduled retry short', async () => {
    let fail = true
    const save = vi.fn(async (req: SaveRequest) => {
      if (fail) throw { code: 'SaveFailed', message: '失败' }
      return okResponse(req)
    })
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('x'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(c.status).toBe('failed')
    fail = false
    expect(await c.saveNow()).toBe(true)
    expect(save).toHaveBeenCalledTimes(2)
    expect(c.status).toBe('saved')
    await vi.advanceTimersByTimeAsync(10000)
    expect(save).toHaveBeenCalledTimes(2)
  })

  it('does nothing after dispose', async () => {
    const save = vi.fn(async (req: SaveRequest) => okResponse(req))
    const c = new AutosaveController({ docId: 'd', baseRevId: 'rev-0', fields: emptyFields(), save })
    c.update(fieldsWith('x'))
    c.dispose()
    await vi.advanceTimersByTimeAsync(5000)
    expect(save).not.toHaveBeenCalled()
  })
})
