// Values copied from WeChat's consoles, chats and documents often carry a
// space, tab or line break at either end. A paste into a one-line field is
// trimmed before it lands, in every form at once (installed on the
// document), so "AppID has spaces around it" never has to be said. Multi-line
// fields (XML, JSON, encrypted data) keep what was pasted.

/** A paste into a one-line text field, trimmed; null when nothing needs doing. */
export function trimmedPaste(target: EventTarget | null, text: string): { el: HTMLInputElement; text: string } | null {
  if (!(target instanceof HTMLInputElement)) return null
  if (!['text', 'password', 'search', 'url', 'email', 'tel', ''].includes(target.type)) return null
  const trimmed = text.trim()
  return trimmed === text ? null : { el: target, text: trimmed }
}

/** Trims pastes into one-line fields under `root`; returns the uninstaller. */
export function installPasteTrim(root: Document = document): () => void {
  const onPaste = (e: ClipboardEvent) => {
    const text = e.clipboardData?.getData('text/plain')
    if (text === undefined) return
    const fix = trimmedPaste(e.target, text)
    if (!fix) return
    e.preventDefault()
    const { el } = fix
    const start = el.selectionStart ?? el.value.length
    const end = el.selectionEnd ?? start
    el.setRangeText(fix.text, start, end, 'end')
    // The field's v-model listens for `input`.
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }
  root.addEventListener('paste', onPaste, true)
  return () => root.removeEventListener('paste', onPaste, true)
}
