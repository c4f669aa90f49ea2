export type { ModelSpec, ParamSpec, VideoMode } from './catalog.ts'
export { findModel, modelNames, MODELS, priceOf } from './catalog.ts'
export type { CoreErrorCode } from './errors.ts'
export { CoreError } from './errors.ts'
export { IMAGE_RULES } from './image-check.ts'
export type { Issue, IssueCode, Severity } from './issue.ts'
export { formatIssue, hasErrors } from './issue.ts'
export type { LoadOptions, LoadResult } from './load-storyboard.ts'
export { loadStoryboard, planStoryboard } from './load-storyboard.ts'
export type { LatencyEstimate } from './plan-analysis.ts'
export {
  criticalPath,
  estimateRenderSeconds,
  estimateWallClockSeconds,
  planChains,
  remainingPathSeconds,
} from './plan-analysis.ts'
export type { PlanTotals } from './plan-totals.ts'
export { planTotals, shotCost } from './plan-totals.ts'
export type {
  Fit,
  ImageRef,
  OutputSpec,
  Plan,
  PlannedShot,
  ShotParams,
  StartSource,
  Transition,
  TransitionType,
} from './plan-types.ts'
export type {
  Provider,
  ProviderCallOptions,
  ProviderErrorInfo,
  ProviderPhase,
  RenderRequest,
  RenderResult,
} from './provider.ts'
export type { PickEdit } from './storyboard-edit.ts'
export { pickInFile, setPick } from './storyboard-edit.ts'
export { storyboardSchema } from './storyboard-schema.ts'
export { closestMatch } from './suggest.ts'
