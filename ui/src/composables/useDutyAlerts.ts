// What the duty board says now (counts the Rust core computed), for the 职责看板 button and the
// first screen's line of what is overdue and due.
import { computed, onMounted, shallowRef } from 'vue'
import type { Backend } from '../api/backend'
import type { DutyBoardView } from '../bindings/DutyBoardView'

export function useDutyAlerts(backend: Backend) {
  const board = shallowRef<DutyBoardView | null>(null)
  async function refresh() {
    try {
      board.value = await backend.dutiesBoard({})
    } catch {
      // The board reports its own errors when opened; the badge just stays empty.
      board.value = null
    }
  }
  onMounted(refresh)
  const late = computed(() => (board.value ? board.value.overdue + board.value.stale : 0))
  const due = computed(() => board.value?.due ?? 0)
  const label = computed(() => (late.value ? `职责看板（${late.value} 项超期或未更新）` : '职责看板'))
  const summary = computed(() => {
    const b = board.value
    if (!b || !(late.value || b.due)) return ''
    const parts = []
    if (b.overdue) parts.push(`${b.overdue} 项已超期`)
    if (b.stale) parts.push(`${b.stale} 个目录栏目未及时更新`)
    if (b.due) parts.push(`${b.due} 项待完成`)
    return `职责：${parts.join('，')}`
  })
  return { refresh, board, late, due, label, summary, set: (b: DutyBoardView) => (board.value = b) }
}
