// The operation table as the UI compiles against it: op name → argument type →
// result type. It is generated from the core's table (ts-rs) into ./generated/
// and re-exported here so the rest of the UI has one import path.
export type { Ops, OpName, OpArgs, OpResult } from './generated/ops'
export { OP_NAMES } from './generated/ops'
