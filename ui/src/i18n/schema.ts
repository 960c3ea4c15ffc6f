// The shape of a locale's texts, shared by en.ts and its parts.

/** Same nested keys as the schema, every leaf a string. */
export type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> }
