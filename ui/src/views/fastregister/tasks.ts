// Small helpers for showing fast-registration tasks.

import type { TaskView } from '../../api/types'

/** Tag colour of a task's status. */
export function taskTagType(task: Pick<TaskView, 'status'>): 'success' | 'error' | 'warning' | 'info' {
  switch (task.status) {
    case 'succeeded':
      return 'success'
    case 'failed':
    case 'not_found':
      return 'error'
    case 'registered':
      return 'warning'
    case 'created':
    case 'waiting_for_legal_person':
    case 'front_checking':
    case 'in_progress':
      return 'info'
  }
}

/** Fields of the enterprise search, read back from a task's stored request. */
export function enterpriseSearchFields(
  task: Pick<TaskView, 'request' | 'task_key'>,
): { name: string; legal_persona_wechat: string; legal_persona_name: string } | null {
  const r = task.request
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return null
  const o = r as Record<string, unknown>
  const wechat = o.legal_persona_wechat
  const person = o.legal_persona_name
  if (typeof wechat !== 'string' || typeof person !== 'string') return null
  const name = typeof o.name === 'string' ? o.name : task.task_key
  return { name, legal_persona_wechat: wechat, legal_persona_name: person }
}

/**
 * Whether a task waits for WeChat's result push with nowhere for it to land:
 * it is not finished and the platform has no push receiver (no receive URL;
 * in browser mode nothing listens for WeChat). The task card then says so
 * and offers to paste the push by hand.
 */
export function waitsForPushWithoutReceiver(task: Pick<TaskView, 'finished'>, hasReceiver: boolean): boolean {
  return !task.finished && !hasReceiver
}
