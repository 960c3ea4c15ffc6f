// A progress bar in the look of Naive UI's line NProgress: a rail, a fill in
// the status's colour and the percentage after it (or inside a tall bar).
// NProgress is a themed component per bar; the meter drew two on every
// account page and each platform row of the dashboard and platforms list
// drew one for its ticket's age. It is announced as a progressbar with its
// value; give it a name with `aria-label`.
import { h, type FunctionalComponent, type PropType } from 'vue'

export type ProgressStatus = 'default' | 'info' | 'success' | 'warning' | 'error'

export interface PlainProgressProps {
  /** 0–100 (kept within). */
  percentage?: number
  status?: ProgressStatus
  /** The percentage as text (shown unless false). */
  showIndicator?: boolean
  /** Text after the bar (`outside`, default) or on the fill (`inside`). */
  indicatorPlacement?: 'inside' | 'outside'
  /** The rail's height in px (8 by default). */
  height?: number
  /** A moving sheen while the work goes on. */
  processing?: boolean
}

/** `p` as a whole percentage within 0–100 (0 for anything not a number). */
export function percentOf(p: number | undefined): number {
  if (typeof p !== 'number' || !Number.isFinite(p)) return 0
  return Math.round(Math.min(100, Math.max(0, p)))
}

const PlainProgress: FunctionalComponent<PlainProgressProps> = (props) => {
  const value = percentOf(props.percentage)
  const inside = props.indicatorPlacement === 'inside'
  const indicator = props.showIndicator !== false
  const height = `${props.height ?? 8}px`
  const fill = h(
    'div',
    {
      class: ['plain-progress__fill', props.processing ? 'plain-progress__fill--processing' : null],
      style: { width: `${value}%` },
    },
    indicator && inside ? [h('span', { class: 'plain-progress__inner' }, `${value}%`)] : undefined,
  )
  return h(
    'div',
    {
      class: ['plain-progress', `plain-progress--${props.status ?? 'default'}`],
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': value,
    },
    [
      h('div', { class: 'plain-progress__rail', style: { height, borderRadius: height } }, [fill]),
      indicator && !inside ? h('span', { class: 'plain-progress__outer' }, `${value}%`) : null,
    ],
  )
}
PlainProgress.props = {
  percentage: Number,
  status: String as PropType<ProgressStatus>,
  showIndicator: { type: Boolean, default: undefined },
  indicatorPlacement: String as PropType<'inside' | 'outside'>,
  height: Number,
  processing: Boolean,
}

export default PlainProgress
