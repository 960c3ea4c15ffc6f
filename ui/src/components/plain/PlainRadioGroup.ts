// A choice of a few, drawn as joined buttons in the look of Naive UI's
// NRadioGroup with NRadioButton, and with the same template shape:
// `<PlainRadioGroup v-model:value size>` around `<PlainRadioButton value
// label>` (or the label as its content). The buttons are only markers: the
// group draws each as a native radio inside its label, so the arrow keys,
// the `radio` role and "checked" are the engine's own, and a token panel or
// a meter draws one component instead of a themed component per button.
// A button's attributes (a test id) land on its label, as NRadioButton's.
import { defineComponent, h, nextTick, ref, type PropType, type Slot } from 'vue'
import { markersOf } from './markers'

/** One choice; on its own it draws its content. */
export const PlainRadioButton = defineComponent({
  name: 'PlainRadioButton',
  props: {
    value: { type: String, required: true },
    label: String,
    disabled: Boolean,
  },
  setup: (_, { slots }) => () => slots.default?.(),
})

interface Choice {
  value: string
  label: string | undefined
  disabled: boolean
  attrs: Record<string, unknown>
  content: Slot | undefined
}

/** The choices in a slot (their other attributes kept for the label). */
function choicesOf(slot: Slot | undefined): Choice[] {
  return markersOf(slot, PlainRadioButton).map(({ props, content }) => {
    const { value, label, disabled, ...attrs } = props
    return {
      value: String(value),
      label: label === undefined ? undefined : String(label),
      disabled: disabled === true || disabled === '',
      attrs,
      content,
    }
  })
}

let groups = 0

export const PlainRadioGroup = defineComponent({
  name: 'PlainRadioGroup',
  props: {
    value: String as PropType<string | null>,
    size: String as PropType<'small' | 'medium'>,
    disabled: Boolean,
  },
  emits: { 'update:value': (_: string) => true },
  setup(props, { slots, emit }) {
    // The radios of one group share a name (the arrow keys move within it).
    const name = `plain-radio-${++groups}`
    const root = ref<HTMLElement | null>(null)
    // Controlled, as NRadioGroup: the radio checked is the one `value`
    // names, also when the owner keeps its value (or changes it later).
    function choose(value: string) {
      emit('update:value', value)
      void nextTick(() => {
        for (const input of root.value?.querySelectorAll('input') ?? []) input.checked = input.value === props.value
      })
    }
    return () => {
      const choices = choicesOf(slots.default)
      return h(
        'div',
        { ref: root, class: ['plain-radio', `plain-radio--${props.size ?? 'medium'}`], role: 'radiogroup' },
        choices.map((c) => {
          const checked = c.value === props.value
          const disabled = props.disabled || c.disabled
          return h(
            'label',
            {
              ...c.attrs,
              key: c.value,
              class: ['plain-radio__btn', checked ? 'plain-radio__btn--checked' : null, disabled ? 'plain-radio__btn--disabled' : null, c.attrs.class],
            },
            [
              h('input', {
                class: 'plain-radio__radio',
                type: 'radio',
                name,
                value: c.value,
                checked,
                disabled,
                onChange: () => choose(c.value),
              }),
              h('span', c.content ? c.content() : c.label),
            ],
          )
        }),
      )
    }
  },
})

export default PlainRadioGroup
