// A copy of unsaved fields in localStorage, so a draft survives a failed save and a restart.
import type { DocFields } from '../bindings/DocFields'

export interface StoredDraft {
  fields: DocFields
  base_rev_id: string
  stored_at: string
}

export interface DraftStore {
  load(docId: string): StoredDraft | null
  save(docId: string, draft: StoredDraft): void
  clear(docId: string): void
}

export function draftKey(docId: string): string {
  return `gongkai.draft.${docId}`
}

function isDraft(v: unknown): v is StoredDraft {
  if (!v || typeof v !== 'object') return false
  const o = v as Record<string, unknown>
  const f = o.fields as Record<string, unknown> | undefined
  return !!f && typeof f === 'object' && Array.isArray(f.body) && typeof f.title === 'string'
}

/** A DraftStore on a Storage (window.localStorage by default); storage errors are ignored. */
export function createDraftStore(storage: Storage | null = safeLocalStorage()): DraftStore {
  return {
    load(docId) {
      if (!storage) return null
      try {
        const raw = storage.getItem(draftKey(docId))
        if (!raw) return null
        const v: unknown = JSON.parse(raw)
        return isDraft(v) ? v : null
      } catch {
        return null
      }
    },
    save(docId, draft) {
      try {
        storage?.setItem(draftKey(docId), JSON.stringify(draft))
      } catch {
        // Storage full or unavailable: the draft stays in memory only.
      }
    },
    clear(docId) {
      try {
        storage?.removeItem(draftKey(docId))
      } catch {
        // ignore
      }
    },
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}
