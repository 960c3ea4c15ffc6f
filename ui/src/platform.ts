// What the UI needs from the machine: the clipboard, saving a file, opening
// a link in the system browser. Inside Tauri these go through the shell (its
// save dialog grants the path to the core's save_file op) and the official
// plugins (clipboard-manager, opener); in the browser through
// navigator.clipboard, an <a download> and window.open.

import { inTauri } from './api/backend'
import { saveFile as saveFileOp } from './api'

/** Copies `text` to the clipboard. */
export async function copyText(text: string): Promise<void> {
  if (inTauri()) {
    const { writeText } = await import('@tauri-apps/plugin-clipboard-manager')
    await writeText(text)
    return
  }
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text)
      return
    } catch {
      // fall through: clipboard API refused (non-secure context or no focus)
    }
  }
  copyWithTextarea(text)
}

function copyWithTextarea(text: string): void {
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  const ok = document.execCommand('copy')
  document.body.removeChild(ta)
  if (!ok) throw new Error('copy failed')
}

/** A file to save. */
export interface FileToSave {
  /** Suggested file name, e.g. `authorize-wx123.png`. */
  fileName: string
  /** MIME type, e.g. `image/png`. */
  mime: string
  /** Content as base64. */
  base64: string
}

/** Encodes UTF-8 text as base64 (for text files such as SVG or JSON). */
export function textToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(bin)
}

/** Decodes base64 to bytes. */
export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Encodes bytes as base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(bin)
}

/**
 * Saves a file where the operator chooses. Returns where it went (a path in
 * Tauri, the file name in the browser), or `null` when the dialog was cancelled.
 */
export async function saveFile(file: FileToSave): Promise<string | null> {
  if (inTauri()) {
    // The shell owns the dialog and grants the chosen path to one save_file:
    // the webview cannot name a path of its own.
    const { invoke } = await import('@tauri-apps/api/core')
    const ext = file.fileName.includes('.') ? file.fileName.split('.').pop() ?? '' : ''
    const path = await invoke<string | null>('choose_save_path', { fileName: file.fileName, extension: ext || null })
    if (!path) return null
    await saveFileOp({ path, content_base64: file.base64 })
    return path
  }
  const bytes = base64ToBytes(file.base64)
  const blob = new Blob([bytes.buffer as ArrayBuffer], { type: file.mime })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = file.fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  document.body.removeChild(a)
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return file.fileName
}

/** Opens `url` in the system browser (Tauri) or a new tab (browser mode). */
export async function openExternal(url: string): Promise<void> {
  if (inTauri()) {
    const { openUrl } = await import('@tauri-apps/plugin-opener')
    await openUrl(url)
    return
  }
  window.open(url, '_blank', 'noopener')
}

/** Reads a local file chosen in an <input type=file> as base64. */
export async function readFileBase64(file: Blob): Promise<string> {
  const buf = await file.arrayBuffer()
  return bytesToBase64(new Uint8Array(buf))
}
