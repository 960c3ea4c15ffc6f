// Two UI languages with identical key sets: zh-CN for the operators who use
// wxdesk all day, English for engineers. The language comes from the core's
// settings (settings_get); before they load, or if they cannot be read, it
// follows the system locale (Chinese → zh-CN, anything else → en).

import { createI18n } from 'vue-i18n'
import type { Language } from '../api/types'
import zhCN, { type MessageSchema } from './zh-CN'
import en from './en'

export const LANGUAGES: readonly Language[] = ['zh-CN', 'en']

/** zh-CN when the system locale is Chinese, else English. */
export function detectLanguage(navigatorLanguage: string | undefined | null): Language {
  return (navigatorLanguage ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

/** A supported language, or `null`. */
export function asLanguage(v: unknown): Language | null {
  return v === 'zh-CN' || v === 'en' ? v : null
}

const initial = detectLanguage(typeof navigator !== 'undefined' ? navigator.language : 'en')

export const i18n = createI18n<[MessageSchema], Language, false>({
  legacy: false,
  globalInjection: true,
  locale: initial,
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

/** Switches the UI language (the document's `lang` follows). */
export function setLocale(lang: Language): void {
  i18n.global.locale.value = lang
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}

/** The UI language in use. */
export function currentLocale(): Language {
  return asLanguage(i18n.global.locale.value) ?? 'en'
}
