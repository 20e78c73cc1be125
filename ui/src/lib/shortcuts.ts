// Keyboard shortcuts: Ctrl+N new, Ctrl+S save, Ctrl+F search, Ctrl+H history, Ctrl+D
// de-identification review, Ctrl+K the signing key, Ctrl+J sync, Esc back; Alt+1 … Alt+6 switch the tabs of
// the document page.
export type ShortcutAction = 'new' | 'save' | 'search' | 'history' | 'deid' | 'keys' | 'sync' | 'back' | 'tab'

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
  isComposing?: boolean
  keyCode?: number
  code?: string
}

export const SHORTCUTS: { keys: string; action: ShortcutAction; label: string }[] = [
  { keys: 'Ctrl+N', action: 'new', label: '新建文件' },
  { keys: 'Ctrl+S', action: 'save', label: '立即保存' },
  { keys: 'Ctrl+F', action: 'search', label: '搜索文件' },
  { keys: 'Ctrl+H', action: 'history', label: '历史版本' },
  { keys: 'Ctrl+D', action: 'deid', label: '去标识化审查' },
  { keys: 'Ctrl+K', action: 'keys', label: '签名密钥' },
  { keys: 'Ctrl+J', action: 'sync', label: '同步（状态、立即同步、冲突）' },
  { keys: 'Alt+1…6', action: 'tab', label: '切换页签：正文、公开属性、政策解读、征求意见、保密审查与签发、时限' },
  { keys: 'Esc', action: 'back', label: '返回（上一页）' },
]

/** Alt+1 … Alt+6: the index (0–5) of the document tab to show, or null. */
export function matchTabShortcut(e: KeyLike): number | null {
  if (e.isComposing || e.keyCode === 229) return null
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null
  const digit = /^Digit([1-6])$/.exec(e.code ?? '')?.[1] ?? (/^[1-6]$/.test(e.key) ? e.key : null)
  return digit ? Number(digit) - 1 : null
}

export function matchShortcut(e: KeyLike): ShortcutAction | null {
  // While an input method is composing, keys belong to it (Esc cancels the composition).
  if (e.isComposing || e.keyCode === 229) return null
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'back'
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null
  switch (e.key.toLowerCase()) {
    case 'n':
      return 'new'
    case 's':
      return 'save'
    case 'f':
      return 'search'
    case 'h':
      return 'history'
    case 'd':
      return 'deid'
    case 'k':
      return 'keys'
    case 'j':
      return 'sync'
    default:
      return null
  }
}
