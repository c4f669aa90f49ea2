import { describe, expect, test } from 'vitest'
import type { Manifest } from '../src/render/manifest.ts'
import { reportPage } from '../src/render/report/report-page.ts'

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()

function manifest(prompt: string): Manifest {
  const shot = (id: string, dependsOn: string[], from: number, to: number) => ({
    id,
    index: 0,
    model: 'kwaivgi/kling-v2.1-i2v-pro',
    status: 'done' as const,
    params: { prompt, duration: 5 },
    dependsOn,
    attempts: [{ predictionId: `pred-${id}`, cost: 0.45 }],
    timings: { queuedAt: at(0), submittedAt: at(from), completedAt: at(to) },
    cost: 0.45,
    clip: { file: `shots/${id}.mp4` },
    frames: { first: `frames/${id}.first.png`, last: `frames/${id}.last.png` },
  })
  return {
    manifestVersion: 1,
    storyreelVersion: '0.0.0',
    storyboard: { path: '/x/board.yaml', sha256: 'h', title: 'Storm & <Sea>' },
    provider: 'wavespeed',
    status: 'completed',
    createdAt: at(0),
    finishedAt: at(20),
    concurrency: 2,
    reel: { file: 'my reel#1.mp4' },
    shots: [shot('a', [], 0, 8), shot('b', ['a'], 8, 16), shot('c', [], 1, 9)],
    totals: {
      shots: 3,
      rendered: 3,
      cached: 0,
      failed: 0,
      skipped: 0,
      estimatedCost: 1.35,
      cost: 1.35,
      videoSeconds: 15,
      wallMs: 20000,
    },
    ledger: [],
  }
}

describe('report page', () => {
  test('escapes prompts and titles so user text cannot inject markup', () => {
    const html = reportPage(manifest('<script>alert(1)</script> "quoted" & \'single\''))
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;')
    expect(html).toContain('<title>Storm &amp; &lt;Sea&gt;: storyreel report</title>')
  })

  test('links the reel and the clips relatively, percent-encoded, and requests nothing external', () => {
    const html = reportPage(manifest('p'))
    expect(html).toContain('src="my%20reel%231.mp4"')
    expect(html).toContain('src="shots/b.mp4"')
    expect(html).toContain('src="frames/b.last.png"')
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
  })

  test('the timeline shows parallel shots side by side and joins chained ones', () => {
    const html = reportPage(manifest('p'))
    const bars = [...html.matchAll(/<rect x="([\d.]+)"[^>]*class="done"><title>(\w+) rendered/g)].map((m) => [
      m[2],
      Number(m[1]),
    ])
    const x = Object.fromEntries(bars) as Record<string, number>
    expect(Object.keys(x)).toEqual(['a', 'b', 'c'])
    // c started while a was rendering; b only after a finished.
    expect(x.c!).toBeLessThan(x.b!)
    expect(x.a!).toBeLessThan(x.c!)
    expect(html.match(/class="chain"/g)).toHaveLength(1)
  })
})
