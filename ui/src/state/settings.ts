// The desk's settings as the whole UI shares them: environment (for the
// badge), language and theme. Loaded once at start and replaced by whatever
// a settings op returns.

import { computed, ref, shallowRef } from 'vue'
import * as api from '../api'
import { ApiError } from '../api/backend'
import type { Environment, SettingsView, Theme } from '../api/types'
import { asLanguage, setLocale } from '../i18n'

export const settings = shallowRef<SettingsView | null>(null)
export const settingsError = shallowRef<ApiError | null>(null)
export const themePref = ref<Theme>('system')

export function asTheme(v: unknown): Theme | null {
  return v === 'light' || v === 'dark' || v === 'system' ? v : null
}

/** Takes a SettingsView from the core as the UI's state. */
export function applySettings(s: SettingsView): void {
  settings.value = s
  settingsError.value = null
  themePref.value = asTheme(s.theme) ?? 'system'
  const lang = asLanguage(s.language)
  if (lang) setLocale(lang)
}

/** Reads the settings from the core. */
export async function loadSettings(): Promise<void> {
  try {
    applySettings(await api.settingsGet())
  } catch (e) {
    settingsError.value = ApiError.from(e)
  }
}

/** The environment in use (null until loaded). */
export const environment = computed<Environment | null>(() => settings.value?.environment ?? null)

/** True when the desk talks to the offline sandbox. */
export const inSandbox = computed(() => environment.value?.kind === 'sandbox')
