import type { ImageRef, Plan, PlannedShot, StartSource } from '@storyreel/core'
import { findModel, priceOf } from '@storyreel/core'

export interface ShotSpec {
  readonly id: string
  readonly prompt?: string
  /** Model alias; default kling-v2.1-i2v-pro for image starts, kling-v2.5-turbo-pro-t2v otherwise. */
  readonly model?: string
  readonly duration?: number
  /** `after` chains the shot from that shot's last frame. */
  readonly after?: string
  readonly image?: ImageRef
  readonly end?: ImageRef
  readonly takes?: number
  readonly pick?: number
}

/** Builds a Plan in code, the way core's planner would, so scheduler tests need no storyboard file. */
export function planOf(specs: readonly ShotSpec[], title = 'test'): Plan {
  const shots = specs.map((spec, index): PlannedShot => {
    const start: StartSource = spec.after
      ? { kind: 'last-frame', shot: spec.after }
      : (spec.image ?? { kind: 'none' })
    const alias = spec.model ?? (start.kind === 'none' ? 'kling-v2.5-turbo-pro-t2v' : 'kling-v2.1-i2v-pro')
    const model = findModel(alias)
    if (!model) throw new Error(`unknown model ${alias}`)
    const duration = spec.duration ?? 5
    return {
      id: spec.id,
      index,
      model,
      params: {
        prompt: spec.prompt ?? `shot ${spec.id}, a lighthouse at dusk`,
        duration,
        guidance_scale: 0.5,
        ...(model.mode === 't2v' ? { aspect_ratio: '16:9' } : {}),
      },
      start,
      ...(spec.end ? { end: spec.end } : {}),
      dependsOn: spec.after ? [spec.after] : [],
      transition: { type: 'cut', duration: 0 },
      seam: Boolean(spec.after),
      cost: priceOf(model, duration),
      takes: spec.takes ?? 1,
      pick: spec.pick ?? 1,
      line: index + 1,
    }
  })
  return {
    title,
    file: `/tmp/${title}.yaml`,
    hash: 'h',
    shots,
    output: { file: 'reel.mp4', fit: 'contain', transition: { type: 'cut', duration: 0 } },
  }
}

/** `chains` chains of `length` shots: c0s0 (text-to-video) → c0s1 → ... */
export function chainsPlan(
  chains: number,
  length: number,
  prompt = (c: number, s: number) => `chain ${c} shot ${s}, slow dolly`,
): Plan {
  const specs: ShotSpec[] = []
  for (let c = 0; c < chains; c++) {
    for (let s = 0; s < length; s++)
      specs.push({ id: `c${c}s${s}`, prompt: prompt(c, s), ...(s > 0 ? { after: `c${c}s${s - 1}` } : {}) })
  }
  return planOf(specs)
}
