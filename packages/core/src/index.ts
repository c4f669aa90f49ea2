export { MODELS, findModel, modelNames, priceOf } from './catalog.ts'
export type { ModelSpec, ParamSpec, VideoMode } from './catalog.ts'
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
export type { Provider, ProviderCallOptions, ProviderErrorInfo, ProviderPhase, RenderRequest, RenderResult } from './provider.ts'
