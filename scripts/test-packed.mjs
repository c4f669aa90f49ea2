#!/usr/bin/env node
/**
 * Installs storyreel as a user would and renders with it: packs every publishable package
 * (`pnpm pack`, after `pnpm build`), installs the tarballs with npm into an empty temp project
 * (third-party dependencies from the npm registry; the optional static ffmpeg builds left out, so
 * the system's ffmpeg is used), then runs `npx storyreel init` and `npx storyreel render` there
 * (an animatic, no API key) and checks the reel with ffprobe.
 *
 *   pnpm test:packed          (builds first)
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const PACKAGES = [
  'packages/core',
  'packages/assembler',
  'packages/animatic',
  'packages/scheduler',
  'packages/review',
  'packages/farm',
  'packages/wavespeed',
  'apps/cli',
]
const keep = process.argv.includes('--keep')

function run(command, args, options = {}) {
  const started = Date.now()
  const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options })
  console.log(`  ${command} ${args.join(' ')}  (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return out
}

function check(condition, message) {
  if (!condition) throw new Error(`packed install: ${message}`)
}

const work = mkdtempSync(join(tmpdir(), 'storyreel-packed-'))
try {
  const tarballs = join(work, 'tarballs')
  mkdirSync(tarballs)
  for (const dir of PACKAGES) run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(ROOT, dir) })
  const files = readdirSync(tarballs).map((file) => join(tarballs, file))
  check(files.length === PACKAGES.length, `expected ${PACKAGES.length} tarballs, got ${files.length}`)

  const project = join(work, 'project')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-reels', private: true }))
  // A fresh npm cache per run would download everything again; npm's own cache is shared, its state is not ours.
  run('npm', ['install', '--omit=optional', '--no-audit', '--no-fund', '--loglevel=error', ...files], {
    cwd: project,
  })

  const env = { ...process.env, XDG_CACHE_HOME: join(work, 'xdg-cache'), NO_COLOR: '1' }
  delete env.WAVESPEED_API_KEY
  delete env.STORYREEL_CACHE_DIR
  const npx = (...args) => run('npx', ['--no-install', 'storyreel', ...args], { cwd: project, env })

  const version = npx('--version').trim()
  check(
    version === JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')).version,
    `--version printed ${version}`,
  )
  const init = npx('init')
  check(/npx storyreel render first-reel\.yaml/.test(init), `init did not print the render command:\n${init}`)
  const schema = /^# yaml-language-server: \$schema=(\S+)/.exec(
    readFileSync(join(project, 'first-reel.yaml'), 'utf8'),
  )?.[1]
  check(
    schema === 'node_modules/@storyreel/core/storyboard.schema.json' && existsSync(join(project, schema)),
    `schema line ${schema} does not resolve`,
  )

  const rendered = npx('render', 'first-reel.yaml')
  const reel = join(project, 'renders', 'first-reel', 'first-reel.mp4')
  check(
    rendered.includes('Reel: renders/first-reel/first-reel.mp4'),
    `render did not report the reel:\n${rendered}`,
  )
  const probe = JSON.parse(
    run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_type,width,height',
      '-of',
      'json',
      reel,
    ]),
  )
  const video = probe.streams.find((stream) => stream.codec_type === 'video')
  const duration = Number(probe.format.duration)
  // Three 5 s shots, two crossfades of 0.5 s.
  check(video && video.width > 0 && Math.abs(duration - 14) < 0.6, `reel is ${JSON.stringify(probe)}`)
  check(
    existsSync(join(work, 'xdg-cache', 'storyreel')),
    'the clip cache is not under $XDG_CACHE_HOME/storyreel',
  )
  check(!existsSync(join(project, '.storyreel-cache')), 'a ./.storyreel-cache appeared')
  console.log(
    `packed install: ok (${files.length} tarballs; reel ${video.width}x${video.height}, ${duration.toFixed(2)} s)`,
  )
} finally {
  if (keep) console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
