import { onBeforeUnmount, ref } from 'vue'

/**
 * A loading flag that only turns on when a call takes longer than `delayMs`, so quick calls do
 * not flash a spinner. `track` wraps a promise; concurrent calls are counted.
 */
export function useSlowFlag(delayMs = 300) {
  const loading = ref(false)
  let pending = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  async function track<T>(p: Promise<T>): Promise<T> {
    pending++
    if (!timer && !loading.value) {
      timer = setTimeout(() => {
        timer = null
        if (pending > 0) loading.value = true
      }, delayMs)
    }
    try {
      return await p
    } finally {
      pending--
      if (pending === 0) {
        if (timer) clearTimeout(timer)
        timer = null
        loading.value = false
      }
    }
  }
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
  })
  return { loading, track }
}
