import { dirname, isAbsolute, relative } from 'node:path'
import {
  criticalPath,
  estimateWallClockSeconds,
  type ImageRef,
  type Plan,
  planChains,
  planTotals,
  shotCost,
  type StartSource,
} from '@storyreel/core'
import { JSON_VERSION } from './json-version.ts'

/** An image for people: a URL, a path relative to the storyboard's folder when inside it, else the full path. */
export function describeImage(image: ImageRef, plan: Plan): string {
  if (image.kind === 'url') return image.url
  const inside = relative(dirname(plan.file), image.path)
  return inside.startsWith('..') || isAbsolute(inside) ? image.path : inside
}

/** Where a shot starts, in words: "file images/x.jpg", "last frame of deck". */
export function describeStart(start: StartSource, plan: Plan): string {
  switch (start.kind) {
    case 'none':
      return 'none (text-to-video)'
    case 'file':
      return `file ${describeImage(start, plan)}`
    case 'url':
      return `url ${start.url}`
    case 'last-frame':
      return `last frame of ${start.shot}`
    case 'end-image':
      return `end image of ${start.shot}`
  }
}

function imageJson(image: ImageRef) {
  return image.kind === 'url'
    ? { kind: 'url' as const, url: image.url }
    : { kind: 'file' as const, path: image.path }
}

function startJson(start: StartSource) {
  switch (start.kind) {
    case 'none':
      return { kind: 'none' as const }
    case 'file':
    case 'url':
      return imageJson(start)
    case 'last-frame':
      return { kind: 'last-frame' as const, shot: start.shot }
    case 'end-image':
      return { kind: 'end-image' as const, shot: start.shot, image: imageJson(start.image) }
  }
}

/** The facts `plan` shows, computed once for both the table and the JSON. Takes count in the cost and the times. */
export function summarizePlan(plan: Plan, concurrency: number) {
  const totals = planTotals(plan)
  return {
    chains: planChains(plan),
    criticalPath: criticalPath(plan),
    totals: {
      shots: totals.shots,
      takes: totals.takes,
      seconds: totals.seconds,
      cost: totals.cost,
      costEstimated: totals.inferredPrices.length > 0,
      estimatedWallClockSeconds: estimateWallClockSeconds(plan, concurrency),
      sequentialSeconds: estimateWallClockSeconds(plan, 1),
      concurrency,
    },
    inferredPrices: totals.inferredPrices,
  }
}

/** `storyreel plan --json`: version 1 of a stable shape, documented in the README. */
export function planJson(plan: Plan, concurrency: number) {
  const { chains, criticalPath: critical, totals } = summarizePlan(plan, concurrency)
  return {
    version: JSON_VERSION,
    title: plan.title,
    file: plan.file,
    hash: plan.hash,
    shots: plan.shots.map((shot) => ({
      id: shot.id,
      index: shot.index,
      line: shot.line,
      model: shot.model.id,
      duration: shot.params.duration,
      prompt: shot.params.prompt,
      start: startJson(shot.start),
      ...(shot.end ? { end: imageJson(shot.end) } : {}),
      dependsOn: shot.dependsOn,
      takes: shot.takes,
      pick: shot.pick,
      cost: shot.cost,
      totalCost: shotCost(shot),
      priceSource: shot.model.priceSource,
      seam: shot.seam,
      transition: shot.transition,
      ...(shot.trim ? { trim: shot.trim } : {}),
    })),
    chains,
    criticalPath: critical,
    totals: {
      shots: totals.shots,
      takes: totals.takes,
      seconds: totals.seconds,
      cost: totals.cost,
      costEstimated: totals.costEstimated,
      estimatedWallClockSeconds: totals.estimatedWallClockSeconds,
      concurrency: totals.concurrency,
    },
    output: plan.output,
  }
}

/**
 * Chains as lines a person reads at a glance: `open → deck → rescue`. A shot
 * several others wait for branches onto indented `└→` lines.
 */
export function drawChains(plan: Plan, chains: readonly (readonly string[])[]): string[] {
  const dependents = new Map<string, string[]>()
  for (const shot of plan.shots) {
    for (const id of shot.dependsOn) {
      const list = dependents.get(id)
      if (list) list.push(shot.id)
      else dependents.set(id, [shot.id])
    }
  }
  const lines: string[] = []
  // A stack instead of recursion: a branch inside a branch inside a branch... cannot overflow it.
  const pending: { id: string; prefix: string }[] = chains
    .map((chain) => ({ id: chain[0]!, prefix: '' }))
    .reverse()
  for (let next = pending.pop(); next; next = pending.pop()) {
    let line = next.prefix + next.id
    let current = next.id
    const branches: { id: string; prefix: string }[] = []
    for (;;) {
      const after = dependents.get(current) ?? []
      if (after.length === 0) break
      const indent = line.length - current.length
      for (const other of after.slice(1)) branches.push({ id: other, prefix: `${' '.repeat(indent)}└→ ` })
      current = after[0]!
      line += ` → ${current}`
    }
    lines.push(line)
    // Nearest branch first, so each └→ sits right under the lines it belongs to.
    for (const branch of branches) pending.push(branch)
  }
  return lines
}
