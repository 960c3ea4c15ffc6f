// Permission sets by name.

import { describe, expect, it } from 'vitest'
import { PERMISSION_SET_IDS, PERMISSION_SETS, isKnownPermissionSet, permissionName } from '../src/lib/permissions'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UI_DIR } from './helpers'

/** The ids the sandbox's consent page names (crates/sandbox/src/pages.rs `permission_label`). */
const SANDBOX_IDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17, 18, 19, 22, 23, 24, 25, 26, 27, 30, 31]

describe('permission-set names', () => {
  it('cover every id the sandbox names, in both languages', () => {
    for (const id of SANDBOX_IDS) {
      expect(isKnownPermissionSet(id), `#${id}`).toBe(true)
      expect(PERMISSION_SETS[id]!.zh.trim()).not.toBe('')
      expect(PERMISSION_SETS[id]!.en.trim()).not.toBe('')
    }
  })

  it('agree with the sandbox source when it is present', () => {
    let text: string
    try {
      text = readFileSync(join(UI_DIR, '../crates/sandbox/src/pages.rs'), 'utf8')
    } catch {
      return // the UI can be built without the Rust tree
    }
    const fn = text.slice(text.indexOf('fn permission_label'), text.indexOf('fn auth_type_label'))
    const ids = [...fn.matchAll(/^\s+(\d+) => "([^"]+)"/gm)].map((m) => ({ id: Number(m[1]), label: m[2]! }))
    expect(ids.map((i) => i.id)).toEqual(SANDBOX_IDS)
    for (const { id, label } of ids) expect(label.startsWith(PERMISSION_SETS[id]!.zh), `#${id} ${label}`).toBe(true)
  })

  it("cover the sets the sandbox grants by default (crates/sandbox/src/component.rs DEFAULT_FUNC_IDS)", () => {
    let text: string
    try {
      text = readFileSync(join(UI_DIR, '../crates/sandbox/src/component.rs'), 'utf8')
    } catch {
      return
    }
    const m = /DEFAULT_FUNC_IDS: \[u32; \d+\] = \[([^\]]+)\]/.exec(text)
    expect(m).not.toBeNull()
    const ids = m![1]!.split(',').map((x) => Number(x.trim()))
    expect(ids.length).toBeGreaterThan(3)
    for (const id of ids) expect(isKnownPermissionSet(id), `#${id}`).toBe(true)
  })

  it('show the name with its id, or a fallback for unknown ids', () => {
    expect(permissionName(18, 'zh-CN')).toBe('开发管理与数据分析权限（小程序） (#18)')
    expect(permissionName(18, 'en')).toBe('Mini program development and analytics (#18)')
    expect(permissionName(999, 'en')).toBe('Permission set #999')
    expect(permissionName(999, 'zh-CN')).toBe('权限集 #999')
    expect(isKnownPermissionSet(999)).toBe(false)
  })

  it('list the known ids ascending', () => {
    expect(PERMISSION_SET_IDS).toEqual([...PERMISSION_SET_IDS].sort((a, b) => a - b))
    expect(PERMISSION_SET_IDS.length).toBe(Object.keys(PERMISSION_SETS).length)
  })
})
