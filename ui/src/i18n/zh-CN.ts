// 简体中文 — the operators' language. en.ts must have exactly the same keys
// (a test checks it). vue-i18n treats { } @ $ | as syntax: do not use them
// literally in texts; placeholders are {name}.
// The texts live in zh-CN/, one file per area of the app.

import merchants from './zh-CN/merchants'
import screens from './zh-CN/screens'
import shell from './zh-CN/shell'

const zhCN = { ...shell, ...merchants, ...screens }

export default zhCN

/** The shape every locale must have: the same keys, string leaves. */
export type MessageSchema = typeof zhCN
