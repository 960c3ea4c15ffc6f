// Shared test helpers: a recording Backend (a test double of the transport)
// and file access relative to the ui/ folder.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Backend } from '../src/api/backend'
import type { OpArgs, OpName, OpResult } from '../src/api/ops'

/** The ui/ folder (Vitest runs with it as the working directory). */
export const UI_DIR = resolve(process.cwd())
if (!existsSync(join(UI_DIR, 'vite.config.ts'))) throw new Error(`run the tests from ui/ (cwd is ${UI_DIR})`)

export function readUi(rel: string): string {
  return readFileSync(join(UI_DIR, rel), 'utf8')
}

/** Every file under `rel` (recursively) whose name ends with one of `exts`. */
export function listFiles(rel: string, exts: string[]): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (exts.some((e) => name.endsWith(e))) out.push(p)
    }
  }
  walk(join(UI_DIR, rel))
  return out.sort()
}

export interface RecordedCall {
  op: string
  args: unknown
}

/** Records every call and answers with what `answer` returns (default null). */
export class RecordingBackend implements Backend {
  readonly calls: RecordedCall[] = []
  constructor(private readonly answer: (op: string, args: unknown) => unknown = () => null) {}

  call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>> {
    this.calls.push({ op, args })
    try {
      return Promise.resolve(this.answer(op, args) as OpResult<K>)
    } catch (e) {
      return Promise.reject(e)
    }
  }
}

/** Flattens nested message objects to dotted keys. */
export function flatten(obj: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  if (typeof obj !== 'object' || obj === null) {
    out.set(prefix, obj)
    return out
  }
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'object' && v !== null) for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
    else out.set(key, v)
  }
  return out
}
