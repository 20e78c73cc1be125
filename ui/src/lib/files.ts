// The desktop's file dialogs and the system viewer, behind one small module so components stay
// testable: outside Tauri (Vitest, a browser) the dialogs answer null and opening does nothing.
import { isTauri } from '@tauri-apps/api/core'

/** Asks for a Word file to import; null when cancelled or outside the desktop. */
export async function pickDocx(): Promise<string | null> {
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

/** Asks where to save a file; null when cancelled or outside the desktop. */
export async function pickSavePath(defaultPath: string, ext: 'docx' | 'pdf'): Promise<string | null> {
  if (!isTauri()) return null
  const { save } = await import('@tauri-apps/plugin-dialog')
  const name = ext === 'pdf' ? 'PDF 文件' : 'Word 文档'
  return await save({ title: '另存为', defaultPath, filters: [{ name, extensions: [ext] }] })
}

/** Opens a file in the system's viewer (a PDF to print, a .docx in WPS/Word). */
export async function openInSystem(path: string): Promise<void> {
  if (!isTauri()) return
  const { openPath } = await import('@tauri-apps/plugin-opener')
  await openPath(path)
}

/** Shows the file in its folder. */
export async function revealInFolder(path: string): Promise<void> {
  if (!isTauri()) return
  const { revealItemInDir } = await import('@tauri-apps/plugin-opener')
  await revealItemInDir(path)
}
