// The demo accounts of the sandbox started from Settings, kept in memory for
// this window so the add-app and add-platform forms can be filled with them.

import { shallowRef } from 'vue'
import type { DemoView } from '../api/types'

export const sandboxDemo = shallowRef<DemoView | null>(null)
export const sandboxBase = shallowRef<string | null>(null)
