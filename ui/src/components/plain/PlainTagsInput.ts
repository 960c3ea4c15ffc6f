// A list of tags to edit, in the look of Naive UI's NDynamicTags: each tag
// with a button that removes it, then a "+" that turns into a field; Enter
// adds what was typed (trimmed, once), Escape or leaving the field adds
// nothing. NDynamicTags drew a tag component per tag, a button and an input
// component, and was the largest part of a merchant page's first drawing;
// this is one small component over native elements.
import { defineComponent, h, nextTick, ref, type PropType } from 'vue'
import { tagClasses } from './PlainTag'
import { buttonClasses } from './PlainButton'

/** `tags` with `text` added (trimmed), unless it is empty, already there, or the list is full. */
export function withTag(tags: readonly string[], text: string, max = Infinity): string[] {
  const tag = text.trim()
  if (tag === '' || tags.includes(tag) || tags.length >= max) return [...tags]
  return [...tags, tag]
}

export default defineComponent({
  name: 'PlainTagsInput',
  props: {
    value: { type: Array as PropType<string[]>, required: true },
    max: Number,
    placeholder: String,
    /** The accessible names: the field, the "+" button, and each tag's remove button. */
    label: { type: String, required: true },
    addLabel: { type: String, required: true },
    removeLabel: { type: Function as PropType<(tag: string) => string>, required: true },
  },
  emits: { 'update:value': (_: string[]) => true },
  setup(props, { emit }) {
    const editing = ref(false)
    const field = ref<HTMLInputElement | null>(null)
    const add = ref<HTMLButtonElement | null>(null)

    async function open() {
      editing.value = true
      await nextTick()
      field.value?.focus()
    }
    // Closing the field from the keyboard gives the focus back to "+".
    async function close() {
      editing.value = false
      await nextTick()
      add.value?.focus()
    }
    function submit(e: KeyboardEvent) {
      // An input method's Enter confirms its candidate, not the tag.
      if (e.isComposing || e.keyCode === 229) return
      if (e.key === 'Escape') {
        void close()
        return
      }
      if (e.key !== 'Enter') return
      e.preventDefault()
      emit('update:value', withTag(props.value, (e.target as HTMLInputElement).value, props.max))
      void close()
    }

    return () => {
      const pill = tagClasses({ size: 'small' }).join(' ')
      // Keyed and removed by place: a list saved elsewhere may hold a tag twice.
      const items = props.value.map((tag, i) =>
        h('span', { key: `${i}:${tag}`, class: [pill, 'plain-tags__tag'] }, [
          tag,
          h(
            'button',
            {
              type: 'button',
              class: 'plain-tags__remove',
              'aria-label': props.removeLabel(tag),
              onClick: () => emit('update:value', props.value.filter((_, j) => j !== i)),
            },
            '×',
          ),
        ]),
      )
      const full = props.max !== undefined && props.value.length >= props.max
      const last = editing.value
        ? h('input', {
            ref: field,
            class: 'plain-input plain-input--small plain-tags__field',
            placeholder: props.placeholder,
            'aria-label': props.label,
            spellcheck: 'false',
            autocomplete: 'off',
            onKeydown: submit,
            onBlur: () => (editing.value = false),
          })
        : full
          ? null
          : h('button', { ref: add, type: 'button', class: [...buttonClasses({ size: 'small' }), 'plain-tags__add'], 'aria-label': props.addLabel, onClick: open }, '+')
      return h('div', { class: 'plain-tags' }, [...items, last])
    }
  },
})
