export type { ClientOptions, WaveSpeedClient } from './client.ts'
export { clientFromEnv, createClient } from './client.ts'
export { DEFAULT_BASE_URL, INSECURE_BASE_URL_ENV, isLoopbackHost } from './client-config.ts'
export type { DownloadOptions, DownloadReport } from './download.ts'
export type { WaveSpeedErrorCode, WaveSpeedErrorDetails } from './errors.ts'
export { isWaveSpeedError, WaveSpeedError } from './errors.ts'
export type { FindOptions } from './find-prediction.ts'
export type { ClientLimits, SubmitPolicy } from './internal/context.ts'
export type { RetryOptions } from './internal/retry.ts'
export type { PollAnswer, PollPlan, PollPolicy } from './polling.ts'
export {
  POLL_BOUNDED,
  POLL_ECONOMICAL,
  POLL_WEBHOOK_FALLBACK,
  pollInterval,
  pollSchedule,
} from './polling.ts'
export { isFinished, outputUrl } from './prediction-outcome.ts'
export type { WavespeedProviderOptions } from './provider.ts'
export { buildInput, createWavespeedProvider } from './provider.ts'
export type { RenderTimePlanOptions } from './render-time-plan.ts'
export { renderTimePlan } from './render-time-plan.ts'
export type { RenderTimeModel, RenderTimeModelOptions } from './render-times.ts'
export { createRenderTimeModel } from './render-times.ts'
export type { SubmitOptions } from './submit.ts'
export type {
  HistoryPage,
  HistoryQuery,
  ModelInput,
  Prediction,
  PredictionStatus,
  SubmitRequest,
  UploadResult,
} from './types.ts'
export type { UploadSource } from './upload.ts'
export type { UploadCache, UploadCacheOptions } from './upload-cache.ts'
export { createUploadCache, SIX_DAYS_MS } from './upload-cache.ts'
export type { WaitOptions } from './wait.ts'
export type { VerifyWebhookInput, WebhookHeaders } from './webhook.ts'
export { verifyWebhook } from './webhook.ts'
export type { WebhookInbox } from './webhook-inbox.ts'
export { createWebhookInbox } from './webhook-inbox.ts'
export type { WebhookReceiver, WebhookReceiverOptions } from './webhook-receiver.ts'
export { startWebhookReceiver } from './webhook-receiver.ts'
