// The demo accounts of the running embedded sandbox, so the add-app and
// add-platform forms can be filled with them. They come from the backend
// (sandbox_status), so a reloaded page gets them back.

import { shallowRef } from 'vue'
import * as api from '../api'
import type { DemoView } from '../api/types'

export const sandboxDemo = shallowRef<DemoView | null>(null)
export const sandboxBase = shallowRef<string | null>(null)

/** Reads whether the embedded sandbox runs, with its demo accounts. */
export async function loadSandbox(): Promise<boolean> {
  try {
    const s = await api.sandboxStatus()
    sandboxDemo.value = s.demo
    sandboxBase.value = s.base_url
    return s.running
  } catch {
    return false
  }
}
