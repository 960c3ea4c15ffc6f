// The types screens use. Almost all are the ts-rs bindings generated from the
// core (./generated/, checked in, kept current by a Rust test); this file
// re-exports them under one import and adds the few the core does not
// generate: string unions for values the wire types carry as plain strings,
// and the reports that jobs return inside their untyped `result`.

export type { AppAddArgs } from './generated/AppAddArgs'
export type { AppRemoved } from './generated/AppRemoved'
export type { AppTokenArgs } from './generated/AppTokenArgs'
export type { AppUpdateArgs } from './generated/AppUpdateArgs'
export type { AppView } from './generated/AppView'
export type { AuthLinkArgs } from './generated/AuthLinkArgs'
export type { AuthorizeArgs } from './generated/AuthorizeArgs'
export type { AuthorizerCounts } from './generated/AuthorizerCounts'
export type { AuthorizerListArgs } from './generated/AuthorizerListArgs'
export type { AuthorizerRefreshArgs } from './generated/AuthorizerRefreshArgs'
export type { AuthorizerSyncArgs } from './generated/AuthorizerSyncArgs'
export type { ForceBudgetView } from './generated/ForceBudgetView'
export type { RefreshPlan } from './generated/RefreshPlan'
export type { RejectedTicketView } from './generated/RejectedTicketView'
export type { AuthorizerStatus } from './generated/AuthorizerStatus'
export type { AuthorizerView } from './generated/AuthorizerView'
export type { CallLogArgs } from './generated/CallLogArgs'
export type { CallLogView } from './generated/CallLogView'
export type { InboxEntryView } from './generated/InboxEntryView'
export type { CheckSessionView } from './generated/CheckSessionView'
export type { ComponentAddArgs } from './generated/ComponentAddArgs'
export type { ComponentRemoved } from './generated/ComponentRemoved'
export type { ComponentUpdateArgs } from './generated/ComponentUpdateArgs'
export type { ComponentView } from './generated/ComponentView'
export type { DashboardView } from './generated/DashboardView'
export type { DecryptView } from './generated/DecryptView'
export type { DecryptedDataView } from './generated/DecryptedDataView'
export type { DecryptedPushView } from './generated/DecryptedPushView'
export type { DemoView } from './generated/DemoView'
export type { EncryptedPushView } from './generated/EncryptedPushView'
export type { EnterpriseCreateArgs } from './generated/EnterpriseCreateArgs'
export type { Environment } from './generated/Environment'
export type { ErrcodeExplanation } from './generated/ErrcodeExplanation'
export type { ErrcodeView } from './generated/ErrcodeView'
export type { ErrorBody } from './generated/ErrorBody'
export type { ExportView } from './generated/ExportView'
export type { ImportReport } from './generated/ImportReport'
export type { JobStarted } from './generated/JobStarted'
export type { JobState } from './generated/JobState'
export type { JobView } from './generated/JobView'
export type { JsonValue } from './generated/serde_json/JsonValue'
export type { LinkKind } from './generated/LinkKind'
export type { LinkView } from './generated/LinkView'
export type { LoginView } from './generated/LoginView'
export type { PersonalCreateArgs } from './generated/PersonalCreateArgs'
export type { PhoneView } from './generated/PhoneView'
export type { PushApplied } from './generated/PushApplied'
export type { QrView } from './generated/QrView'
export type { QuotaClearView } from './generated/QuotaClearView'
export type { QuotaView } from './generated/QuotaView'
export type { RecordCounts } from './generated/RecordCounts'
export type { RepairView } from './generated/RepairView'
export type { SandboxCodeView } from './generated/SandboxCodeView'
export type { SandboxMirrorView } from './generated/SandboxMirrorView'
export type { SandboxStatusView } from './generated/SandboxStatusView'
export type { SandboxView } from './generated/SandboxView'
export type { SessionView } from './generated/SessionView'
export type { SettingsView } from './generated/SettingsView'
export type { SignatureView } from './generated/SignatureView'
export type { StartPushView } from './generated/StartPushView'
export type { TaskKind } from './generated/TaskKind'
export type { TaskView } from './generated/TaskView'
export type { TicketStatusView } from './generated/TicketStatusView'
export type { TicketSummary } from './generated/TicketSummary'
export type { TokenKind } from './generated/TokenKind'
export type { TokenSource } from './generated/TokenSource'
export type { TokenStatusView } from './generated/TokenStatusView'
export type { TokenSummary } from './generated/TokenSummary'
export type { TokenView } from './generated/TokenView'
export type { VaultView } from './generated/VaultView'

import type { JobView } from './generated/JobView'

/** UI languages (`settings_set_language`). */
export type Language = 'zh-CN' | 'en'
/** UI themes (`settings_set_theme`). */
export type Theme = 'light' | 'dark' | 'system'
/** Where a mini program's token comes from (`app_token.mode`). */
export type AppTokenMode = 'stable' | 'legacy'
/** Which authorization page (`auth_link.kind`). */
export type AuthLinkKind = 'pc' | 'h5'
/** Account types of authorizers (`authorizer_list.account_type`). */
export type AccountType = 'mini_program' | 'official_account' | 'unknown'
/** QR image formats (`qr.format`). */
export type QrFormat = 'png' | 'svg'
/** QR error-correction levels (`qr.ec`). */
export type QrEc = 'L' | 'M' | 'Q' | 'H'

/** A job's status with its result typed (the wire type carries `unknown`). */
export type JobStatus<R = unknown> = Omit<JobView, 'result'> & { result: R | null }

/** What `authorizer_sync` jobs return (`SyncReport` in the core). */
export interface SyncReport {
  component_appid: string
  added: number
  updated_refresh_tokens: number
  revoked: number
  unchanged: number
  total: number
  /** Locally active authorizers before the sync. */
  active_before: number
  /** Active authorizers WeChat no longer lists. */
  would_revoke: number
  /** More than 20 % (or all) would be revoked: nothing was, until confirmed. */
  revocations_held: boolean
  message?: string | null
}

/** One authorizer whose refresh failed (`RefreshFailure` in the core). */
export interface RefreshFailure {
  appid: string
  code: string
  errcode?: number | null
  message: string
}

/** What `authorizer_refresh` jobs return (`RefreshReport` in the core). */
export interface RefreshReport {
  component_appid: string
  total: number
  refreshed: number
  failed: RefreshFailure[]
  skipped_revoked: number
  /** Valid tokens left alone (a refresh of all renews only missing or expiring ones). */
  skipped_fresh: number
  /** Every token was force-refreshed. */
  forced: boolean
  cancelled: boolean
  not_started: number
}
export type { RidView } from './generated/RidView'
