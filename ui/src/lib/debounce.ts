/** A trailing debounce with `flush` (run now) and `cancel`. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null
  let lastArgs: A | null = null
  const call = (...args: A) => {
    lastArgs = args
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      const a = lastArgs
      lastArgs = null
      if (a) fn(...a)
    }, ms)
  }
  call.flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    const a = lastArgs
    lastArgs = null
    if (a) fn(...a)
  }
  call.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
    lastArgs = null
  }
  return call
}
