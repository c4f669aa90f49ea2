export type { SimErrorCode } from './errors.ts'
export { SimError } from './errors.ts'
export type {
  CorruptKind,
  CorruptOutput,
  FailPrediction,
  FaultKind,
  Faults,
  InjectedFailure,
  Outage,
  OutputDownload,
  OverrideStatus,
  PredictionInput,
  RouteName,
  RouteRates,
  StatusOverride,
} from './faults.ts'
export type { OutputSize, SimModel, SimParam } from './models.ts'
export type { Simulator } from './simulator.ts'
export { startSimulator } from './simulator.ts'
export type {
  PredictionStatus,
  PredictionTimeline,
  PredictionView,
  SimulatorOptions,
  SimulatorStats,
  SubmissionRecord,
  SubmittedImage,
} from './types.ts'
export type { WebhookDelivery } from './webhooks.ts'
export { signWebhook } from './webhooks.ts'
