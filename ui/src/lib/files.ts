// The desktop's file dialogs and the system viewer, behind one small module so components stay
// testable: outside Tauri (Vitest, a browser) the dialogs answer null and opening does nothing.
import { isTauri } from '@tauri-apps/api/core'

/** The end-to-end tests (WebDriver) cannot click in a native file dialog: they queue the answers
 *  here, as `window.__GONGKAI_E2E_PICK__ = ['/path/file.zip']`, before the click that would open
 *  one. Nothing else sets it; when it is empty the real dialog opens. Absent from release builds. */
function queuedPick(): string | undefined {
  // Compiled in only when the UI is built for the end-to-end run (VITE_E2E_HOOKS=1, set by
  // scripts/test.sh); a release build folds this to `return undefined` and drops the hook.
  if (import.meta.env.VITE_E2E_HOOKS !== '1') return undefined
  const q = (window as unknown as { __GONGKAI_E2E_PICK__?: string[] }).__GONGKAI_E2E_PICK__
  return Array.isArray(q) && q.length > 0 ? q.shift() : undefined
}

/** Asks for a Word file to import; null when cancelled or outside the desktop. */
export async function pickDocx(): Promise<string | null> {
  const queued = queuedPick()
  if (queued !== undefined) return queued
  if (!isTauri()) return null
  const { open } = await import('@tauri-apps/plugin-dialog')
  const picked = await open({
    title: '选择要导入的 Word 文件',
    multiple: false,
    directory: false,
    filters: [{ name: 'Word 文档（.docx）', extensions: ['docx'] }],
  })
  return typeof picked === 'string' ? picked : null
}

/** The kinds of file the app writes or reads, with the name the dialogs show. */
export type FileKind = 'docx' | 'pdf' | 'json' | 'zip' | 'xlsx' | 'ics'
const KIND_NAMES: Record<FileKind, string> = {
  docx: 'Word 文档',
  pdf: 'PDF 文件',
  json: 'JSON 文件',
  zip: '报送包（.zip）',
  xlsx: 'Excel 工作簿',
  ics: '日历（.ics）',
}

/** Asks where to save a file; null when cancelled or outside the desktop. */
export async function pickSavePath(defaultPath: string, ext: FileKind): Promise<string | null> {
  const queued = queuedPick()
  if (queued !== undefined) return queued
  if (!isTauri()) return null
  const { save } = await import('@tauri-apps/plugin-dialog')
  return await save({ title: '另存为', defaultPath, filters: [{ name: KIND_NAMES[ext], extensions: [ext] }] })
}

/** Asks for a file to read (a bundle, a receipt, an enrolment request); null when cancelled or
 *  outside the desktop. */
export async function pickOpenPath(title: string, ext: FileKind): Promise<string | null> {
  const queued = queuedPick()
  if (queued !== undefined) return queued
  if (!isTauri()) return null
  const { open } = await import('@tauri-apps/plugin-dialog')
  const picked = await open({
    title,
    multiple: false,
    directory: false,
    filters: [{ name: KIND_NAMES[ext], extensions: [ext] }],
  })
  return typeof picked === 'string' ? picked : null
}

/** Asks for a file of comments received (.csv from the portal or Excel, or .txt). */
export async function pickCommentsPath(): Promise<string | null> {
  const queued = queuedPick()
  if (queued !== undefined) return queued
  if (!isTauri()) return null
  const { open } = await import('@tauri-apps/plugin-dialog')
  const picked = await open({
    title: '选择收到的意见文件',
    multiple: false,
    directory: false,
    filters: [{ name: '意见表（.csv）或文本（.txt）', extensions: ['csv', 'txt'] }],
  })
  return typeof picked === 'string' ? picked : null
}

/** Opens a file the app just wrote in the system's viewer (a PDF to print, a .docx in WPS/Word).
 *  The Rust side opens only files this app wrote in this session. */
export async function openInSystem(path: string): Promise<void> {
  if (!isTauri()) return
  const { invoke } = await import('@tauri-apps/api/core')
  await invoke('open_written', { req: { path } })
}

/** Shows a file the app just wrote in its folder. */
export async function revealInFolder(path: string): Promise<void> {
  if (!isTauri()) return
  const { invoke } = await import('@tauri-apps/api/core')
  await invoke('reveal_written', { req: { path } })
}
