// English — for engineers. Same keys as zh-CN.ts (enforced by the type below
// and by a test). vue-i18n treats { } @ $ | as syntax: do not use them
// literally in texts; placeholders are {name}.
// The texts live in en/, one file per area of the app, each typed against
// its zh-CN part.

import merchants from './en/merchants'
import screens from './en/screens'
import shell from './en/shell'
import type { Strings } from './schema'
import type { MessageSchema } from './zh-CN'

export type { Strings }

const en: Strings<MessageSchema> = { ...shell, ...merchants, ...screens }

export default en
