// How many open applications for disclosure are overdue or due soon (statuses the Rust core
// computes), for the badge on the 依申请公开 button of the document list and the office screen.
import { computed, onMounted, shallowRef } from 'vue'
import type { Backend } from '../api/backend'
import type { RequestView } from '../bindings/RequestView'

export function useRequestAlerts(backend: Backend) {
  const open = shallowRef<RequestView[]>([])
  async function refresh() {
    try {
      open.value = await backend.requestList({ open: true })
    } catch {
      // The register reports its own errors when opened; the badge just stays empty.
      open.value = []
    }
  }
  onMounted(refresh)
  const overdue = computed(() => open.value.filter((r) => r.status === 'overdue').length)
  const dueSoon = computed(() => open.value.filter((r) => r.status === 'due_soon').length)
  const label = computed(() => {
    const parts = []
    if (overdue.value) parts.push(`${overdue.value} 件超期`)
    if (dueSoon.value) parts.push(`${dueSoon.value} 件将到期`)
    return parts.length ? `依申请公开（${parts.join('，')}）` : '依申请公开'
  })
  return { refresh, overdue, dueSoon, label }
}
