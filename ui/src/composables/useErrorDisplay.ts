// One way to show a failure: a translated title for its `code`, the core's
// message, and what to do (the core's hint, in Chinese under zh-CN when the
// core has one; the UI's own translated hint for the codes that
// lib/errorCodes.ts marks `ui`),
// plus the errcode's meaning in the UI language. Actions that the core
// refuses without confirmation (`needs_confirmation`) open a dialog
// explaining the risk and are retried with `confirmed: true` only when the
// operator agrees.

import { h } from 'vue'
import { useDialog, useNotification } from 'naive-ui'
import { useI18n } from 'vue-i18n'
import * as api from '../api'
import { ApiError } from '../api/backend'
import type { ErrcodeView } from '../api/types'
import { fixInLanguage } from '../lib/hint'
import { hintSource, isKnownErrorCode } from '../lib/errorCodes'
import { confirmationMessage, errorMessage } from '../lib/errorText'

/** What is shown for one error. */
export interface ErrorText {
  title: string
  message: string
  hint?: string
  /** `errcode 40013: …` in the UI language, when WeChat answered with one. */
  meaning?: string
}

const explanations = new Map<number, Promise<ErrcodeView | null>>()

/** The catalogue's explanation of an errcode (cached; null when unavailable). */
export function explainErrcode(errcode: number, errmsg?: string): Promise<ErrcodeView | null> {
  let p = explanations.get(errcode)
  if (!p) {
    p = api.errcodeExplain({ errcode, errmsg: errmsg ?? null }).catch(() => null)
    explanations.set(errcode, p)
  }
  return p
}

/** What describing an error needs from i18n. */
export interface Translator {
  t: (key: string, params?: Record<string, unknown>) => string
  te: (key: string) => boolean
  /** The UI language (picks the catalogue's fix); English when absent. */
  locale?: () => string
}

/** The translator of the current component. */
export function useTranslator(): Translator & { locale: () => string } {
  const { t, te, locale } = useI18n()
  return { t: (key, params) => t(key, params ?? {}), te: (key) => te(key), locale: () => locale.value }
}

/** Builds the texts of an error (without the errcode meaning, which is async). */
export function describeError(err: ApiError, { t, te, locale }: Translator): ErrorText {
  const code = err.code
  const title = isKnownErrorCode(code) ? t(`errors.codes.${code}`) : t('errors.codes.unknown', { code })
  const message = err.local ? t(`errors.local.${code}`) : errorMessage(err, locale?.() ?? 'en', { t, te })
  let hint: string | undefined
  switch (hintSource(code)) {
    case 'ui':
      hint = t(`errors.hints.${code}`)
      break
    case 'core':
      hint = fixInLanguage(locale?.() ?? 'en', err.hint, err.hintZh)
      break
  }
  return { title, message, hint }
}

/** Adds the errcode meaning in the UI language. */
export async function withMeaning(err: ApiError, text: ErrorText, { t }: Translator, locale: string): Promise<ErrorText> {
  if (err.errcode === undefined) return text
  const ex = await explainErrcode(err.errcode)
  const what = ex ? (locale === 'zh-CN' ? ex.zh : ex.en) : ''
  return {
    ...text,
    meaning: what
      ? t('errors.errcodeMeaning', { errcode: err.errcode, meaning: what })
      : t('errors.errcodeOnly', { errcode: err.errcode }),
  }
}

/** The error display of the current component. */
export function useErrorDisplay() {
  const notification = useNotification()
  const dialog = useDialog()
  const tr = useTranslator()
  const t = tr.t

  /** Shows any failure as a notification. */
  async function showError(e: unknown): Promise<void> {
    const err = ApiError.from(e)
    if (err.code === 'cancelled') return
    const text = await withMeaning(err, describeError(err, tr), tr, tr.locale())
    notification.error({
      title: text.title,
      content: () =>
        h('div', { class: 'error-note', 'data-testid': 'error-notification' }, [
          text.message ? h('div', { class: 'error-note__message' }, text.message) : null,
          text.meaning ? h('div', { class: 'error-note__meaning' }, text.meaning) : null,
          text.hint ? h('div', { class: 'error-note__hint' }, [h('strong', t('errors.whatToDo')), ' ', text.hint]) : null,
        ]),
      duration: 12000,
      keepAliveOnHover: true,
      closable: true,
    })
  }

  /** Asks the operator to confirm a risky action. Resolves true on "continue". */
  function confirm(opts: { title: string; content: string; positive?: string; danger?: boolean }): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false
      const done = (v: boolean) => {
        if (!settled) {
          settled = true
          resolve(v)
        }
      }
      dialog.warning({
        title: opts.title,
        content: () => h('div', { 'data-testid': 'confirm-dialog', class: 'confirm-text' }, opts.content),
        positiveText: opts.positive ?? t('common.continue'),
        negativeText: t('common.cancel'),
        positiveButtonProps: { type: opts.danger ? 'error' : 'warning', ...({ 'data-testid': 'confirm-ok' } as object) },
        negativeButtonProps: { ...({ 'data-testid': 'confirm-cancel' } as object) },
        onPositiveClick: () => done(true),
        onNegativeClick: () => done(false),
        onClose: () => done(false),
        onMaskClick: () => done(false),
        onEsc: () => done(false),
      })
    })
  }

  /**
   * Runs `fn(false)`; when the core answers `needs_confirmation`, shows its
   * risk and runs `fn(true)` if the operator agrees. With `ask`, the
   * operator is asked first and `fn(true)` runs directly. Other failures are
   * shown and give `undefined`.
   */
  async function withConfirmation<R>(
    fn: (confirmed: boolean) => Promise<R>,
    ask?: { title: string; content: string; danger?: boolean },
  ): Promise<R | undefined> {
    try {
      if (ask) {
        if (!(await confirm(ask))) return undefined
        return await fn(true)
      }
      return await fn(false)
    } catch (e) {
      const err = ApiError.from(e)
      if (err.code !== 'needs_confirmation' || ask) {
        await showError(err)
        return undefined
      }
      const ok = await confirm({ title: t('confirm.title'), content: confirmationMessage(err.message, tr.locale(), tr), danger: true })
      if (!ok) return undefined
      try {
        return await fn(true)
      } catch (e2) {
        await showError(e2)
        return undefined
      }
    }
  }

  return { showError, confirm, withConfirmation }
}

// The action wrapper lives in useAction.ts (with the invalidation bus);
// re-exported here for the views that import it from this module.
export { useAction, type Action } from './useAction'
