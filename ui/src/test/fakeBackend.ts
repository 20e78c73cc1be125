// A fake Backend for component tests: every method is a vi.fn with a sensible default.
import { vi } from 'vitest'
import type { Backend } from '../api/backend'
import type { DocFields } from '../bindings/DocFields'
import type { DocSummary } from '../bindings/DocSummary'
import type { DocView } from '../bindings/DocView'
import type { RevisionMeta } from '../bindings/RevisionMeta'
import type { SaveRequest } from '../bindings/SaveRequest'
import { emptyFields } from '../lib/text'

export function summary(over: Partial<DocSummary> = {}): DocSummary {
  return {
    doc_id: 'doc-1',
    unit_id: 'zazd',
    title: '',
    doc_number: '',
    status: 'draft',
    head_rev_id: 'rev-1',
    rev_count: 1,
    created_by: '张三',
    created_at: '2026-01-05T01:00:00Z',
    updated_by: '张三',
    updated_at: '2026-01-05T01:00:00Z',
    deleted_at: null,
    ...over,
  }
}

export function revMeta(n: number, over: Partial<RevisionMeta> = {}): RevisionMeta {
  return {
    rev_id: `rev-${n}`,
    doc_id: 'doc-1',
    parent_rev_id: n > 1 ? `rev-${n - 1}` : null,
    rev_no: n,
    author_id: 'c1',
    author_name: '张三',
    device_id: 'd1',
    created_at: '2026-01-05T01:00:00Z',
    content_sha256: 'h',
    restored_from: null,
    ...over,
  }
}

export function docView(fields: Partial<DocFields> = {}): DocView {
  return {
    summary: summary(),
    head: revMeta(1),
    fields: { ...emptyFields(), ...fields },
    issues: [],
    paragraphs: [],
  }
}

export function fakeBackend(over: Partial<Backend> = {}): { [K in keyof Backend]: ReturnType<typeof vi.fn> & Backend[K] } {
  let rev = 1
  const b: Backend = {
    appStatus: vi.fn(async () => {
      throw { code: 'Internal', message: 'not faked' }
    }),
    units: vi.fn(async () => []),
    setup: vi.fn(async (req) => ({ id: 'c1', name: req.clerk_name, unit_id: req.unit_id, device_id: 'd1' })),
    docCreate: vi.fn(async () => docView()),
    docList: vi.fn(async () => []),
    docGet: vi.fn(async () => docView()),
    docSave: vi.fn(async (_req: SaveRequest) => {
      rev++
      return { saved: true, head: revMeta(rev), issues: [], paragraphs: [] }
    }),
    docCheck: vi.fn(async () => ({ issues: [], paragraphs: [] })),
    docDelete: vi.fn(async () => null),
    docUndelete: vi.fn(async () => null),
    docRevisions: vi.fn(async () => []),
    docRevision: vi.fn(async () => {
      throw { code: 'NotFound', message: '没有这个版本' }
    }),
    docRestore: vi.fn(async () => docView()),
    docSearch: vi.fn(async () => []),
    ...over,
  }
  return b as never
}
