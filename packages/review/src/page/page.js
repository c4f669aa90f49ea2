// The review page. Every piece of storyboard text reaches the DOM through textContent or an
// attribute set by setAttribute, never as HTML, so a prompt cannot inject markup or script.
'use strict'

const token = document.querySelector('meta[name="storyreel-token"]').getAttribute('content')
const $ = (id) => document.getElementById(id)

let snapshot
let renderRunning = false
let questionId
const progress = new Map()

function el(tag, attrs, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue
    if (name === 'class') node.className = value
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value)
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children)
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child))
  return node
}

const usd = (n) => `$${(Math.round(n * 100) / 100).toFixed(2)}`

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-storyreel-token': token },
    body: JSON.stringify(body ?? {}),
  })
  const data = await res.json().catch(() => ({}))
  if (!res.ok && res.status !== 409) throw new Error(data.error ?? `${res.status} ${res.statusText}`)
  return data
}

function note(text) {
  $('progress').hidden = false
  const list = $('progress-notes')
  list.append(el('li', {}, text))
  list.scrollTop = list.scrollHeight
}

function showIssues(issues) {
  const errors = issues.filter((i) => i.severity === 'error')
  $('issues').hidden = errors.length === 0
  $('issue-list').replaceChildren(
    ...errors.map((i) => el('li', {}, `${i.file}:${i.line}:${i.col}: ${i.message} [${i.code}]`)),
  )
}

function staleSummary(s) {
  if (!s.valid) return 'fix the storyboard to render'
  const n = s.stale.shots.length
  if (n === 0) return 'every shot is up to date'
  const cost = s.paid ? usd(s.stale.cost) : `${usd(0)} (${s.provider}, free)`
  return `${n} stale shot${n === 1 ? '' : 's'} · ${cost} to refresh`
}

// A take whose clip and marks did not change keeps its element, so a save does not stop a take playing.
let kept = new Map()
const takeKey = (shot, take) =>
  JSON.stringify([shot.id, take.take, take.clipUrl, take.posterUrl, take.status, take.cost, take.picked])

function takeFigure(shot, take) {
  const same = kept.get(takeKey(shot, take))
  if (same) return same
  const media = take.clipUrl
    ? el('video', {
        src: take.clipUrl,
        poster: take.posterUrl,
        preload: 'none',
        playsinline: true,
        muted: true,
        'data-take': take.take,
        title: 'Click to play',
      })
    : el('div', { class: 'empty' }, take.status === 'new' ? 'not rendered yet' : take.status)
  if (media.tagName === 'VIDEO')
    media.addEventListener('click', () => (media.paused ? media.play().catch(() => {}) : media.pause()))
  // Only a take that was rendered can be picked (as `storyreel pick` insists): one you could watch.
  const action = take.picked
    ? el('span', { class: 'picked-mark' }, '✓ picked')
    : take.clipUrl
      ? el(
          'button',
          {
            type: 'button',
            class: 'pick',
            'data-shot': shot.id,
            'data-take': take.take,
            disabled: renderRunning,
            onclick: () => pick(shot.id, take.take),
          },
          'Pick',
        )
      : undefined
  return el(
    'figure',
    { class: `take${take.picked ? ' picked' : ''}`, 'data-take': take.take, 'data-key': takeKey(shot, take) },
    media,
    el(
      'figcaption',
      {},
      el('span', {}, `Take ${take.take} · ${take.status}${take.cost ? ` · ${usd(take.cost)}` : ''}`),
      action,
    ),
  )
}

function shotRow(shot) {
  const head = el(
    'div',
    { class: 'shot-head' },
    el('span', { class: 'shot-id' }, shot.id),
    el('span', { class: `badge${shot.status === 'failed' ? ' failed' : ''}` }, shot.status),
    shot.stale
      ? el(
          'span',
          { class: 'badge stale' },
          `stale: ${shot.staleReason ?? 'inputs changed'} · ${usd(shot.refreshCost)} to refresh`,
        )
      : undefined,
    el(
      'span',
      { class: 'muted' },
      `${shot.model} · ${shot.duration} s · ${usd(shot.price)} a take${shot.cost ? ` · spent ${usd(shot.cost)}` : ''}`,
    ),
  )
  return el(
    'section',
    { class: `shot${shot.stale ? ' stale' : ''}`, 'data-shot': shot.id, 'data-stale': shot.stale },
    head,
    el('p', { class: 'prompt' }, shot.prompt),
    el('div', { class: 'takes' }, ...shot.takes.map((t) => takeFigure(shot, t))),
  )
}

function render(next) {
  snapshot = next
  showIssues(next.issues)
  $('file').textContent = next.file
  $('stale-summary').textContent = staleSummary(next)
  $('render').disabled = renderRunning || !next.valid || next.stale.shots.length === 0
  // An invalid storyboard keeps the last good rows on screen, under its errors.
  if (!next.valid) return
  $('title').textContent = next.title
  document.title = `${next.title} · storyreel review`
  const reel = $('reel')
  if (next.reelUrl) {
    if (reel.getAttribute('src') !== next.reelUrl) reel.setAttribute('src', next.reelUrl)
    reel.hidden = false
    $('no-reel').hidden = true
  } else {
    reel.removeAttribute('src')
    reel.hidden = true
    $('no-reel').hidden = false
  }
  kept = new Map([...document.querySelectorAll('figure.take')].map((figure) => [figure.dataset.key, figure]))
  $('shots').replaceChildren(...next.shots.map(shotRow))
  kept = new Map()
}

function setRunning(running) {
  renderRunning = running
  $('stop').hidden = !running
  for (const button of document.querySelectorAll('button.pick')) button.disabled = running
  if (snapshot) $('render').disabled = running || !snapshot.valid || snapshot.stale.shots.length === 0
}

function showProgress(event) {
  $('progress').hidden = false
  if (event.type === 'shot') {
    progress.set(event.shot, event)
    $('progress-shots').replaceChildren(
      ...[...progress.values()].map((e) =>
        el(
          'li',
          { 'data-shot': e.shot, 'data-state': e.state },
          `${e.shot}: ${e.state}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`,
        ),
      ),
    )
    $('progress-state').textContent = `· spent ${usd(event.spent ?? 0)}`
  } else if (event.type === 'note') note(event.message)
  else if (event.type === 'run-end')
    $('progress-state').textContent =
      `· ${event.done} rendered, ${event.cached} reused, ${event.failed} failed, ${event.skipped} skipped · spent ${usd(event.spent)}`
}

async function pick(shot, take) {
  try {
    render(await post('/api/pick', { shot, take }))
  } catch (error) {
    note(`Pick failed: ${error.message}`)
  }
}

async function startRender() {
  if (renderRunning || !snapshot?.valid || snapshot.stale.shots.length === 0) return
  progress.clear()
  $('progress-shots').replaceChildren()
  $('progress-notes').replaceChildren()
  $('progress-state').textContent = ''
  try {
    await post('/api/render')
  } catch (error) {
    note(`Render failed to start: ${error.message}`)
  }
}

function ask(question) {
  questionId = question?.id
  $('question').hidden = !question
  if (question) $('question-text').textContent = question.message
}

async function answer(yes) {
  const id = questionId
  ask(undefined)
  if (id) await post('/api/answer', { id, yes }).catch((error) => note(error.message))
}

function connect() {
  const source = new EventSource('/api/events')
  source.addEventListener('open', () => ($('connection').hidden = true))
  source.addEventListener('error', () => ($('connection').hidden = false))
  source.addEventListener('snapshot', (e) => render(JSON.parse(e.data)))
  source.addEventListener('render-state', (e) => {
    const state = JSON.parse(e.data)
    setRunning(state.running)
    ask(state.question)
  })
  source.addEventListener('render-start', () => setRunning(true))
  source.addEventListener('progress', (e) => showProgress(JSON.parse(e.data)))
  source.addEventListener('question', (e) => ask(JSON.parse(e.data)))
  source.addEventListener('question-closed', (e) => JSON.parse(e.data).id === questionId && ask(undefined))
  source.addEventListener('render-end', (e) => {
    const end = JSON.parse(e.data)
    setRunning(false)
    if (end.message) note(end.message)
    $('progress').dataset.status = end.status
  })
  source.addEventListener('failure', (e) => note(JSON.parse(e.data).message))
}

$('render').addEventListener('click', startRender)
$('stop').addEventListener('click', () => post('/api/stop').catch((error) => note(error.message)))
$('question-yes').addEventListener('click', () => answer(true))
$('question-no').addEventListener('click', () => answer(false))
document.addEventListener('keydown', (e) => {
  if (e.key !== 'r' || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return
  if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable]'))
    return
  e.preventDefault()
  startRender()
})
connect()
