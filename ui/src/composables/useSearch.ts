import { ref, shallowRef } from 'vue'
import type { Backend } from '../api/backend'
import { normalizeError } from '../api/backend'
import type { ApiError } from '../bindings/ApiError'
import type { SearchHit } from '../bindings/SearchHit'
import { debounce } from '../lib/debounce'

export const SEARCH_DEBOUNCE_MS = 300

/**
 * Search as you type: runs ~300 ms after typing stops (`runNow` for Enter); results of an
 * older query never replace those of a newer one.
 */
export function useSearch(backend: Pick<Backend, 'docSearch'>, onError?: (e: ApiError) => void) {
  const query = ref('')
  const results = shallowRef<SearchHit[]>([])
  const searching = ref(false)
  /** The query the shown results belong to. */
  const shownQuery = ref('')
  let seq = 0

  async function run(q: string) {
    const mine = ++seq
    const trimmed = q.trim()
    if (!trimmed) {
      results.value = []
      shownQuery.value = ''
      searching.value = false
      return
    }
    searching.value = true
    try {
      const hits = await backend.docSearch({ query: trimmed })
      if (mine !== seq) return
      results.value = hits
      shownQuery.value = trimmed
    } catch (e) {
      if (mine !== seq) return
      onError?.(normalizeError(e))
    } finally {
      if (mine === seq) searching.value = false
    }
  }

  const debounced = debounce((q: string) => void run(q), SEARCH_DEBOUNCE_MS)

  function onInput(q: string) {
    query.value = q
    if (!q.trim()) {
      debounced.cancel()
      void run('')
      return
    }
    debounced(q)
  }

  async function runNow() {
    debounced.cancel()
    await run(query.value)
  }

  function clear() {
    debounced.cancel()
    query.value = ''
    void run('')
  }

  return { query, results, searching, shownQuery, onInput, runNow, clear, dispose: debounced.cancel }
}
