import type { Manifest, ManifestShot } from '../manifest.ts'
import { escapeHtml } from './escape-html.ts'

const ROW = 22
const LABEL = 140
const WIDTH = 900

interface Span {
  readonly shot: ManifestShot
  readonly row: number
  readonly waitFrom?: number
  readonly renderFrom?: number
  readonly to?: number
}

/**
 * An SVG Gantt chart of the run: a grey bar while a shot waited (queued until
 * submitted), a coloured bar while it rendered, and a line from each shot to
 * the shots that start from its last frame, so chains and parallelism show.
 */
export function timelineSvg(manifest: Manifest): string {
  const origin = Date.parse(manifest.createdAt)
  const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) - origin)
  const spans: Span[] = manifest.shots.map((shot, row) => ({
    shot,
    row,
    waitFrom: ms(shot.timings.queuedAt),
    renderFrom: ms(shot.timings.submittedAt),
    to: ms(shot.timings.completedAt),
  }))
  const end = Math.max(1, Date.parse(manifest.finishedAt) - origin, ...spans.map((s) => s.to ?? 0))
  const x = (t: number) => LABEL + (Math.max(0, t) / end) * (WIDTH - LABEL - 10)
  const y = (row: number) => 20 + row * ROW
  const rendersEnd = Math.max(0, ...spans.map((s) => s.to ?? 0))
  const stitched = manifest.reel !== undefined && end > rendersEnd
  const rows = spans.length + (stitched ? 1 : 0)
  const height = 30 + rows * ROW
  const parts: string[] = []
  for (let i = 0; i <= 4; i++) {
    const t = (end * i) / 4
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle'
    parts.push(
      `<line x1="${x(t)}" y1="10" x2="${x(t)}" y2="${height - 8}" class="grid"/><text x="${x(t)}" y="${height}" class="tick" text-anchor="${anchor}">${(t / 1000).toFixed(1)}s</text>`,
    )
  }
  for (const span of spans) {
    const top = y(span.row)
    const name = escapeHtml(span.shot.id)
    parts.push(`<text x="${LABEL - 8}" y="${top + 13}" class="label">${name}</text>`)
    if (span.shot.status === 'cached') {
      parts.push(`<text x="${LABEL + 4}" y="${top + 13}" class="note">cached: not rendered again</text>`)
      continue
    }
    if (span.waitFrom !== undefined && span.renderFrom !== undefined && span.renderFrom > span.waitFrom) {
      parts.push(
        rect(
          x(span.waitFrom),
          top,
          x(span.renderFrom) - x(span.waitFrom),
          'wait',
          `${name} waited ${seconds(span.renderFrom - span.waitFrom)}`,
        ),
      )
    }
    if (span.renderFrom !== undefined) {
      const stop = span.to ?? end
      parts.push(
        rect(
          x(span.renderFrom),
          top,
          Math.max(2, x(stop) - x(span.renderFrom)),
          span.shot.status,
          `${name} rendered ${seconds(stop - span.renderFrom)}`,
        ),
      )
    } else if (span.shot.status === 'skipped' || span.shot.status === 'failed') {
      parts.push(`<text x="${LABEL + 4}" y="${top + 13}" class="note">${escapeHtml(span.shot.status)}</text>`)
    }
  }
  if (stitched) {
    const top = y(spans.length)
    parts.push(`<text x="${LABEL - 8}" y="${top + 13}" class="label">reel</text>`)
    parts.push(
      rect(
        x(rendersEnd),
        top,
        x(end) - x(rendersEnd),
        'stitch',
        `stitching the reel took ${seconds(end - rendersEnd)}`,
      ),
    )
  }
  for (const span of spans) {
    for (const dep of span.shot.dependsOn) {
      const from = spans.find((s) => s.shot.id === dep)
      if (from?.to === undefined || span.renderFrom === undefined) continue
      parts.push(
        `<path d="M${x(from.to)},${y(from.row) + 16} L${x(span.renderFrom)},${y(span.row) + 4}" class="chain"/>`,
      )
    }
  }
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height + 6}" role="img" aria-label="When each shot waited and rendered">${parts.join('')}</svg>`
}

function rect(left: number, top: number, width: number, kind: string, title: string): string {
  return `<rect x="${left.toFixed(1)}" y="${top + 3}" width="${Math.max(0, width).toFixed(1)}" height="${ROW - 8}" rx="3" class="${escapeHtml(kind)}"><title>${title}</title></rect>`
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
