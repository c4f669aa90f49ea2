export type { ReviewErrorCode, ReviewErrorFields, ReviewErrorOf } from './errors.ts'
export { isReviewError, ReviewError, reviewError } from './errors.ts'
export { TOKEN_HEADER } from './guard.ts'
export type { ReviewServer, ReviewServerOptions } from './server.ts'
export { startReviewServer } from './server.ts'
export type {
  RenderCall,
  RenderEnd,
  ReviewBackend,
  ReviewIssue,
  ReviewShot,
  ReviewSnapshot,
  ReviewTake,
  RunFile,
  SpendQuestion,
} from './types.ts'
