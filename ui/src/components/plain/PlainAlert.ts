// A notice in the look of Naive UI's NAlert: a tinted box with the type's
// icon, an optional title and its text, announced as an alert. NAlert is a
// themed component with an expand transition and an icon component each;
// the platform page showed four at once on every visit, and every error
// under a form is one. Its colours are NAlert's own, computed once for the
// theme by the shell (`--wx-alert-*`, see alertVars). A `closable` notice
// has a "Dismiss" button that emits `close`: the owner drops what it shows.
import { h, type FunctionalComponent, type PropType, type VNode } from 'vue'
import { i18n } from '../../i18n'

export type AlertType = 'default' | 'info' | 'success' | 'warning' | 'error'

export interface PlainAlertProps {
  type?: AlertType
  title?: string
  /** The type's icon before the text (shown unless false). */
  showIcon?: boolean
  /** A "Dismiss" button (emits `close`). */
  closable?: boolean
}

// NAlert's own icons (the default type has none, its place kept).
const ICONS: Record<Exclude<AlertType, 'default'>, [viewBox: string, path: string]> = {
  info: [
    '0 0 28 28',
    'M14,2 C20.6274,2 26,7.37258 26,14 C26,20.6274 20.6274,26 14,26 C7.37258,26 2,20.6274 2,14 C2,7.37258 7.37258,2 14,2 Z M14,11 C13.4477,11 13,11.4477 13,12 L13,12 L13,20 C13,20.5523 13.4477,21 14,21 C14.5523,21 15,20.5523 15,20 L15,20 L15,12 C15,11.4477 14.5523,11 14,11 Z M14,6.75 C13.3096,6.75 12.75,7.30964 12.75,8 C12.75,8.69036 13.3096,9.25 14,9.25 C14.6904,9.25 15.25,8.69036 15.25,8 C15.25,7.30964 14.6904,6.75 14,6.75 Z',
  ],
  success: [
    '0 0 48 48',
    'M24,4 C35.045695,4 44,12.954305 44,24 C44,35.045695 35.045695,44 24,44 C12.954305,44 4,35.045695 4,24 C4,12.954305 12.954305,4 24,4 Z M32.6338835,17.6161165 C32.1782718,17.1605048 31.4584514,17.1301307 30.9676119,17.5249942 L30.8661165,17.6161165 L20.75,27.732233 L17.1338835,24.1161165 C16.6457281,23.6279612 15.8542719,23.6279612 15.3661165,24.1161165 C14.9105048,24.5717282 14.8801307,25.2915486 15.2749942,25.7823881 L15.3661165,25.8838835 L19.8661165,30.3838835 C20.3217282,30.8394952 21.0415486,30.8698693 21.5323881,30.4750058 L21.6338835,30.3838835 L32.6338835,19.3838835 C33.1220388,18.8957281 33.1220388,18.1042719 32.6338835,17.6161165 Z',
  ],
  warning: [
    '0 0 24 24',
    'M12,2 C17.523,2 22,6.478 22,12 C22,17.522 17.523,22 12,22 C6.477,22 2,17.522 2,12 C2,6.478 6.477,2 12,2 Z M12.0018002,15.0037242 C11.450254,15.0037242 11.0031376,15.4508407 11.0031376,16.0023869 C11.0031376,16.553933 11.450254,17.0010495 12.0018002,17.0010495 C12.5533463,17.0010495 13.0004628,16.553933 13.0004628,16.0023869 C13.0004628,15.4508407 12.5533463,15.0037242 12.0018002,15.0037242 Z M11.99964,7 C11.4868042,7.00018474 11.0642719,7.38637706 11.0066858,7.8837365 L11,8.00036004 L11.0018003,13.0012393 L11.00857,13.117858 C11.0665141,13.6151758 11.4893244,14.0010638 12.0021602,14.0008793 C12.514996,14.0006946 12.9375283,13.6145023 12.9951144,13.1171428 L13.0018002,13.0005193 L13,7.99964009 L12.9932303,7.8830214 C12.9352861,7.38570354 12.5124758,6.99981552 11.99964,7 Z',
  ],
  error: [
    '0 0 48 48',
    'M24,4 C35.045695,4 44,12.954305 44,24 C44,35.045695 35.045695,44 24,44 C12.954305,44 4,35.045695 4,24 C4,12.954305 12.954305,4 24,4 Z M17.8838835,16.1161165 L17.7823881,16.0249942 C17.3266086,15.6583353 16.6733914,15.6583353 16.2176119,16.0249942 L16.1161165,16.1161165 L16.0249942,16.2176119 C15.6583353,16.6733914 15.6583353,17.3266086 16.0249942,17.7823881 L16.1161165,17.8838835 L22.233,24 L16.1161165,30.1161165 L16.0249942,30.2176119 C15.6583353,30.6733914 15.6583353,31.3266086 16.0249942,31.7823881 L16.1161165,31.8838835 L16.2176119,31.9750058 C16.6733914,32.3416647 17.3266086,32.3416647 17.7823881,31.9750058 L17.8838835,31.8838835 L24,25.767 L30.1161165,31.8838835 L30.2176119,31.9750058 C30.6733914,32.3416647 31.3266086,32.3416647 31.7823881,31.9750058 L31.8838835,31.8838835 L31.9750058,31.7823881 C32.3416647,31.3266086 32.3416647,30.6733914 31.9750058,30.2176119 L31.8838835,30.1161165 L25.767,24 L31.8838835,17.8838835 L31.9750058,17.7823881 C32.3416647,17.3266086 32.3416647,16.6733914 31.9750058,16.2176119 L31.8838835,16.1161165 L31.7823881,16.0249942 C31.3266086,15.6583353 30.6733914,15.6583353 30.2176119,16.0249942 L30.1161165,16.1161165 L24,22.233 L17.8838835,16.1161165 L17.7823881,16.0249942 L17.8838835,16.1161165 Z',
  ],
}

/** The icon of an alert of `type`, as an inline SVG (not announced); none for `default`. */
function alertIcon(type: AlertType): VNode | null {
  if (type === 'default') return null
  const [viewBox, d] = ICONS[type]
  return h('svg', { viewBox, 'aria-hidden': 'true', focusable: 'false' }, [h('path', { d, fill: 'currentColor' })])
}

const PlainAlert: FunctionalComponent<PlainAlertProps, { close: () => void }> = (props, { slots, emit }) => {
  const type = props.type ?? 'default'
  const icon = props.showIcon !== false
  const content = slots.default?.()
  return h('div', { class: ['plain-alert', `plain-alert--${type}`, icon ? 'plain-alert--icon' : null, props.closable ? 'plain-alert--closable' : null], role: 'alert' }, [
    icon ? h('div', { class: 'plain-alert__icon' }, [alertIcon(type)]) : null,
    h('div', { class: 'plain-alert__body' }, [
      props.title ? h('div', { class: 'plain-alert__title' }, props.title) : null,
      content && content.length ? h('div', { class: 'plain-alert__content' }, content) : null,
    ]),
    props.closable
      ? h('button', { type: 'button', class: 'plain-alert__close', 'aria-label': i18n.global.t('common.dismiss'), onClick: () => emit('close') }, '×')
      : null,
  ])
}
PlainAlert.props = {
  type: String as PropType<AlertType>,
  title: String,
  showIcon: { type: Boolean, default: undefined },
  closable: Boolean,
}
PlainAlert.emits = ['close']

export default PlainAlert
