import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import { startSimulator } from '@storyreel/wavespeed-sim'
import { findModel } from '@storyreel/core'
import { runFfmpeg, extractLastFrame } from '@storyreel/assembler'
const sim = await startSimulator({ latencyMs: 100, concurrency: 60, videoScale: 0.3, balance: 1e6 })
const poll = { firstMs: 100, baseMs: 100, growth: 0.01, minMs: 50, maxMs: 2000 }
const provider = createWavespeedProvider(createClient({ apiKey: sim.apiKey, baseUrl: sim.url, poll }), { poll })
await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc=s=576x324:d=1', '-frames:v', '1', '/tmp/prof.png'])
const model = findModel('kling-v2.1-i2v-pro')!
for (let i = 0; i < 3; i++) {
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', `testsrc=s=576x324:d=1,drawtext=text=${i}:fontsize=30`, '-frames:v', '1', '/tmp/prof.png']).catch(() => runFfmpeg(['-y', '-f', 'lavfi', '-i', `color=c=0x${(i * 40 + 16).toString(16)}3050:s=576x324:d=1`, '-frames:v', '1', '/tmp/prof.png']))
  let t = performance.now()
  const { id } = await provider.submit({ shotId: 'x', model, params: { prompt: 'p' + i, duration: 5 }, startImage: { kind: 'file', path: '/tmp/prof.png' } }, { onPhase: (p) => console.log(' phase', p, (performance.now() - t).toFixed(0)) })
  console.log('submit', (performance.now() - t).toFixed(0))
  t = performance.now()
  const r = await provider.wait(id)
  console.log('wait', (performance.now() - t).toFixed(0))
  t = performance.now()
  await provider.download(r, '/tmp/prof.mp4')
  console.log('download', (performance.now() - t).toFixed(0))
  t = performance.now()
  await extractLastFrame('/tmp/prof.mp4', '/tmp/prof-last.png')
  console.log('lastframe', (performance.now() - t).toFixed(0))
}
await sim.close()
