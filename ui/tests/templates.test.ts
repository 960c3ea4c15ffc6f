// No user-visible text is hard-coded in a template: every text node and
// every user-facing static attribute goes through t(), so switching the
// language changes every string on screen.

import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { parse } from 'vue/compiler-sfc'
import { listFiles } from './helpers'

const WORDS = /[A-Za-z\u4e00-\u9fff]/
const VISIBLE_ATTRS = new Set([
  'placeholder',
  'title',
  'label',
  'alt',
  'description',
  'content',
  'tab',
  'aria-label',
  'positive-text',
  'negative-text',
  'header',
])

interface AstNode {
  type: number
  content?: unknown
  tag?: string
  props?: Array<{ type: number; name: string; value?: { content: string } }>
  children?: AstNode[]
  branches?: AstNode[]
  loc?: { start: { line: number } }
}

function violations(node: AstNode, file: string, out: string[]) {
  // 2 = TEXT
  if (node.type === 2 && typeof node.content === 'string' && WORDS.test(node.content)) {
    out.push(`${file}:${node.loc?.start.line}: text "${node.content.trim()}"`)
  }
  // 1 = ELEMENT: static attributes (6 = ATTRIBUTE)
  if (node.type === 1) {
    for (const p of node.props ?? []) {
      if (p.type === 6 && VISIBLE_ATTRS.has(p.name) && p.value && WORDS.test(p.value.content)) {
        out.push(`${file}:${node.loc?.start.line}: <${node.tag} ${p.name}="${p.value.content}">`)
      }
    }
  }
  for (const c of node.children ?? []) violations(c, file, out)
  for (const b of node.branches ?? []) violations(b, file, out)
}

describe('templates', () => {
  const files = listFiles('src', ['.vue'])

  it('exist', () => {
    expect(files.length).toBeGreaterThan(30)
  })

  it('hard-code no user-visible text', () => {
    const out: string[] = []
    for (const f of files) {
      const { descriptor, errors } = parse(readFileSync(f, 'utf8'), { filename: f })
      expect(errors, f).toEqual([])
      const ast = descriptor.template?.ast as AstNode | undefined
      if (ast) violations(ast, f.replace(/.*\/src\//, 'src/'), out)
    }
    expect(out).toEqual([])
  })

  it('the check itself catches hard-coded text', () => {
    const { descriptor } = parse('<template><div><p>Hello</p><input placeholder="名字" /><b>{{ t("x") }}</b></div></template>')
    const out: string[] = []
    violations(descriptor.template!.ast as unknown as AstNode, 'x.vue', out)
    expect(out).toHaveLength(2)
  })
})
