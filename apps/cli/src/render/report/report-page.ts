import type { Manifest, ManifestShot, ManifestTake } from '../manifest.ts'
import { escapeHtml, relativeUrl } from './escape-html.ts'
import { timelineSvg } from './timeline.ts'

const STYLE = `
:root{color-scheme:light dark;--ok:#2e8b57;--bad:#c0392b;--skip:#b9770e;--wait:#9aa0a6;--run:#3a7bd5}
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem}
h1{margin:.2rem 0}.meta{color:#777;font-size:.9rem}
video.reel{width:100%;max-height:70vh;background:#000;border-radius:6px}
.totals{display:flex;gap:1.5rem;flex-wrap:wrap;margin:.8rem 0}.totals b{display:block;font-size:1.3rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:1rem}
.card{border:1px solid #8884;border-radius:8px;padding:.8rem;overflow-wrap:anywhere}
.card h3{margin:0 0 .4rem;display:flex;justify-content:space-between;gap:.5rem}
.thumbs{display:grid;grid-template-columns:1fr 1fr;gap:4px}.thumbs img,.card video{width:100%;border-radius:4px;background:#0002}
.thumbs figure{margin:0}.thumbs figcaption{font-size:.75rem;color:#777}
.prompt{white-space:pre-wrap;margin:.4rem 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:0 .8rem;font-size:.85rem;margin:.4rem 0}dt{color:#777}dd{margin:0}
.status{font-size:.8rem;padding:1px 8px;border-radius:10px;color:#fff;background:var(--run)}
.status.done,.status.cached{background:var(--ok)}.status.failed{background:var(--bad)}.status.skipped{background:var(--skip)}
.error{color:var(--bad);white-space:pre-wrap}
.takes{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:6px;margin:.4rem 0}
.take{margin:0;border:3px solid transparent;border-radius:6px;padding:2px}.take.picked{border-color:#f5c518}
.take video{width:100%}.take figcaption{font-size:.75rem;color:#777}.take.picked figcaption{color:inherit;font-weight:600}
svg.timeline{width:100%;height:auto;font-size:11px}
svg .label{text-anchor:end;fill:currentColor}svg .tick{fill:#888}svg .stitch{fill:#8e6bbf}svg .note{fill:#888}
svg .grid{stroke:#8883}svg .wait{fill:var(--wait)}svg .done{fill:var(--run)}svg .failed{fill:var(--bad)}
svg .chain{stroke:#888;fill:none;stroke-dasharray:3 2}
.legend span{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px;border-radius:2px}
`

/**
 * The review page: one static file with no external requests. Clips and
 * thumbnails are linked relative to the run directory, so the page works from
 * disk and from any static server; every piece of user text is escaped.
 */
export function reportPage(manifest: Manifest): string {
  const title = escapeHtml(manifest.storyboard.title)
  const t = manifest.totals
  const reel = manifest.reel
    ? `<video class="reel" controls preload="metadata" src="${relativeUrl(manifest.reel.file)}"></video>`
    : `<p class="error">No reel: the run did not finish every shot. Fix the failures below and run the same command again.</p>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; media-src 'self'">
<title>${title}: storyreel report</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="meta">${escapeHtml(manifest.storyboard.path)} · provider ${escapeHtml(manifest.provider)} · ${escapeHtml(manifest.status)} · ${escapeHtml(manifest.finishedAt)} · storyreel ${escapeHtml(manifest.storyreelVersion)}</p>
</header>
${reel}
<section class="totals">
<div><b>${t.shots}</b>shots</div><div><b>${t.rendered}</b>rendered</div><div><b>${t.cached}</b>cached</div>
<div><b>${t.failed + t.skipped}</b>failed or skipped</div><div><b>$${t.cost.toFixed(2)}</b>spent (estimate $${t.estimatedCost.toFixed(2)})</div>
<div><b>${(t.wallMs / 1000).toFixed(1)} s</b>wall time</div>
</section>
<h2>Timeline</h2>
<p class="legend">time since the run started:<span style="background:var(--wait)"></span>waiting<span style="background:var(--run)"></span>rendering<span style="background:var(--bad)"></span>failed<span style="background:#8e6bbf"></span>stitching the reel · dashed lines join a shot to the one that starts from its last frame</p>
${timelineSvg(manifest)}
<h2>Shots</h2>
<section class="cards">
${manifest.shots.map(shotCard).join('\n')}
</section>
</body>
</html>
`
}

function shotCard(shot: ManifestShot): string {
  const prompt = typeof shot.params.prompt === 'string' ? shot.params.prompt : ''
  const duration = typeof shot.params.duration === 'number' ? `${shot.params.duration} s` : ''
  const timings = [
    ['queued', shot.timings.queuedAt],
    ['submitted', shot.timings.submittedAt],
    ['started', shot.timings.startedAt],
    ['completed', shot.timings.completedAt],
  ].filter((row): row is [string, string] => row[1] !== undefined)
  const predictions = shot.attempts.map((a) => a.predictionId).filter((id): id is string => Boolean(id))
  const thumbs = shot.frames
    ? `<div class="thumbs"><figure><img src="${relativeUrl(shot.frames.first)}" alt="first frame of ${escapeHtml(shot.id)}" loading="lazy"><figcaption>first frame</figcaption></figure><figure><img src="${relativeUrl(shot.frames.last)}" alt="last frame of ${escapeHtml(shot.id)}" loading="lazy"><figcaption>last frame</figcaption></figure></div>`
    : ''
  const clip = shot.clip
    ? `<video controls preload="metadata" src="${relativeUrl(shot.clip.file)}"></video>`
    : ''
  const takes =
    shot.takes && shot.takes.length > 1
      ? `<div class="takes">${shot.takes.map((t) => takeFigure(shot.id, t)).join('')}</div>`
      : ''
  return `<article class="card" id="shot-${escapeHtml(shot.id)}">
<h3>${escapeHtml(shot.id)} <span class="status ${escapeHtml(shot.status)}">${escapeHtml(shot.status)}</span></h3>
${thumbs}
${clip}
${takes}
<p class="prompt">${escapeHtml(prompt)}</p>
<dl>
<dt>model</dt><dd>${escapeHtml(shot.model)}</dd>
<dt>duration</dt><dd>${escapeHtml(duration)}</dd>
<dt>cost</dt><dd>$${shot.cost.toFixed(2)}${shot.attempts.length > 1 ? ` over ${shot.attempts.length} attempts` : ''}</dd>
${shot.dependsOn.length ? `<dt>after</dt><dd>${shot.dependsOn.map(escapeHtml).join(', ')}</dd>` : ''}
${predictions.length ? `<dt>prediction</dt><dd>${predictions.map(escapeHtml).join(', ')}</dd>` : ''}
${timings.map(([name, at]) => `<dt>${name}</dt><dd>${escapeHtml(at)}</dd>`).join('')}
${shot.timings.inferenceMs !== undefined ? `<dt>inference</dt><dd>${(shot.timings.inferenceMs / 1000).toFixed(1)} s</dd>` : ''}
</dl>
${shot.error ? `<p class="error">${escapeHtml(shot.error)}</p>` : ''}
</article>`
}

/** One take: its clip with the first frame as poster (plays on click), marked when it is the pick. */
function takeFigure(id: string, take: ManifestTake): string {
  const poster = take.frames ? ` poster="${relativeUrl(take.frames.first)}"` : ''
  const video = take.clip
    ? `<video controls preload="none"${poster} src="${relativeUrl(take.clip.file)}" aria-label="take ${take.take} of ${escapeHtml(id)}"></video>`
    : ''
  const status = take.status === 'done' || take.status === 'cached' ? '' : ` · ${escapeHtml(take.status)}`
  return `<figure class="take${take.picked ? ' picked' : ''}" data-take="${take.take}">${video}<figcaption>take ${take.take}${take.picked ? ' · picked' : ''}${status} · $${take.cost.toFixed(2)}</figcaption></figure>`
}
