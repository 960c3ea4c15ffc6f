// The error catalogue writes every fix twice: in English (`hint`, which the
// CLI prints) and in Chinese (`hint_zh`). The UI shows the one in its own
// language, so an operator working in zh-CN reads the fix in Chinese.

/**
 * The catalogue's fix in the UI language: the Chinese one in zh-CN when there
 * is one, the English one otherwise.
 */
export function fixInLanguage<T extends string | undefined>(locale: string, hint: T, hintZh?: string | null): T | string {
  return locale === 'zh-CN' && hintZh ? hintZh : hint
}
