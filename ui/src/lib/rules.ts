// Turns the validators into Naive UI form rules with translated messages.

import type { FormItemRule } from 'naive-ui'
import type { Issue } from './validators'

type Translate = (key: string, params: Record<string, unknown>) => string

/** A form rule running `check` on input and blur. */
export function rule<V>(t: Translate, check: (v: V) => Issue | null, opts: { required?: boolean } = {}): FormItemRule {
  return {
    required: opts.required ?? false,
    trigger: ['input', 'blur', 'change'],
    validator: (_rule: FormItemRule, value: V) => {
      const issue = check(value ?? ('' as V))
      return issue ? new Error(t(issue.key, issue.params ?? {})) : true
    },
  }
}

/** The first issue of a set of checks (for validating outside NForm). */
export function firstIssue(checks: Array<Issue | null>): Issue | null {
  return checks.find((c) => c !== null) ?? null
}
