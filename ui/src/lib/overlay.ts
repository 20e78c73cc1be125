/** Whether a dialog, drawer or dropdown is open (Esc and single-key shortcuts belong to it then). */
export function overlayOpen(): boolean {
  const overlays = Array.from(document.querySelectorAll<HTMLElement>('.el-overlay'))
  if (overlays.some((el) => el.style.display !== 'none')) return true
  return !!document.querySelector('.el-select__popper[aria-hidden="false"], .el-picker__popper[aria-hidden="false"]')
}

/** Whether keys typed now go into a text field. */
export function typingTarget(target: EventTarget | null): boolean {
  const els = [target, typeof document !== 'undefined' ? document.activeElement : null]
  return els.some((el) => {
    if (!(el instanceof HTMLElement)) return false
    const tag = el.tagName
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable
  })
}
