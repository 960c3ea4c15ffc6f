// An error in place (ErrorAlertBody.vue draws it), or nothing. Every form
// and card has one or more, and they are empty nearly always: this keeps an
// empty one to a function call instead of a component that looks up the
// language and watches its error (a release page had fifteen of them).
import { h, type FunctionalComponent, type PropType } from 'vue'
import type { ApiError } from '../api/backend'
import ErrorAlertBody from './ErrorAlertBody.vue'

export interface ErrorAlertProps {
  error: ApiError | null
  testid?: string
  appid?: string | null
  component?: string | null
}

const ErrorAlert: FunctionalComponent<ErrorAlertProps> = (props) => (props.error ? h(ErrorAlertBody, props) : null)
ErrorAlert.props = {
  error: { type: Object as PropType<ApiError | null>, default: null },
  testid: String,
  appid: { type: String as PropType<string | null>, default: null },
  component: { type: String as PropType<string | null>, default: null },
}

export default ErrorAlert
