import type { SchedulerEvent } from '@storyreel/scheduler'
import { type AttemptRecord, type RunState, shotById, type ShotRecord } from './run-state.ts'

/**
 * Folds one scheduler event into the run's records. Returns the shot it
 * changed, or undefined for an event about a shot the run does not know.
 */
export function applyEvent(run: RunState, event: SchedulerEvent): ShotRecord | undefined {
  const shot = shotById(run, event.shot)
  if (!shot) return undefined
  shot.spent = event.spent
  run.spent = run.shots.reduce((cents, s) => cents + Math.round(s.spent * 100), 0) / 100
  // Another take than the pick: its predictions are the shot's (attempts, spend), but what the reel's
  // shot is doing, and its clip, follow the picked take alone.
  if (event.picked === false) {
    if (event.type === 'submitted')
      Object.assign(attempt(shot, event.attempt), {
        predictionId: event.predictionId,
        submittedAt: event.at,
        cost: event.cost,
        take: event.take,
      })
    if (event.type === 'failed' && event.attempt > 0) {
      const a = attempt(shot, event.attempt)
      a.error = event.message
      if (event.refunded) a.cost = 0
    }
    return shot
  }
  switch (event.type) {
    case 'queued':
      shot.state = 'queued'
      shot.queuedAt = event.at
      break
    case 'waiting':
      shot.state = 'waiting'
      break
    case 'uploading':
      shot.state = 'uploading'
      attempt(shot, event.attempt)
      break
    case 'submitted': {
      shot.state = 'submitted'
      const a = attempt(shot, event.attempt)
      a.predictionId = event.predictionId
      a.submittedAt = event.at
      a.cost = event.cost
      shot.submittedAt = event.at
      break
    }
    case 'processing':
      shot.state = 'processing'
      attempt(shot, event.attempt).startedAt ??= event.at
      shot.startedAt ??= event.at
      break
    case 'downloading':
      shot.state = 'downloading'
      attempt(shot, event.attempt).completedAt = event.at
      break
    case 'done': {
      shot.state = 'done'
      const a = attempt(shot, event.attempt)
      a.predictionId ??= event.predictionId
      a.completedAt ??= event.timings.finishedAt
      if (event.timings.inferenceMs !== undefined) a.inferenceMs = event.timings.inferenceMs
      shot.queuedAt = event.timings.queuedAt
      shot.submittedAt = event.timings.submittedAt ?? shot.submittedAt
      shot.completedAt = event.timings.finishedAt
      shot.inferenceMs = event.timings.inferenceMs
      shot.clip = event.clip
      shot.sha256 = event.sha256
      shot.cacheKey = event.key
      shot.error = undefined
      break
    }
    case 'failed': {
      const a = attempt(shot, event.attempt)
      a.error = event.message
      if (event.refunded) a.cost = 0
      if (event.predictionId) a.predictionId ??= event.predictionId
      shot.error = event.message
      if (!event.willRetry) {
        shot.state = 'failed'
        shot.completedAt = event.at
      }
      break
    }
    case 'retrying':
      shot.state = 'queued'
      break
    case 'skipped':
      shot.state = 'skipped'
      shot.error = event.reason
      break
    case 'cached':
      shot.state = 'cached'
      shot.clip = event.clip
      shot.sha256 = event.sha256
      shot.cacheKey = event.key
      break
  }
  return shot
}

function attempt(shot: ShotRecord, number: number): AttemptRecord {
  while (shot.attempts.length < number) shot.attempts.push({ cost: 0 })
  return shot.attempts[number - 1]!
}
