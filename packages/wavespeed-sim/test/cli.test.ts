import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { expect, onTestFinished, test } from 'vitest'

const BIN = fileURLToPath(new URL('../bin/wavespeed-sim.js', import.meta.url))

test('the wavespeed-sim command prints the base URL and key, serves the API, and stops on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--port',
      '0',
      '--latency',
      '100',
      '--latency-jitter',
      '20',
      '--same-takes',
      '--corrupt-output',
      '0',
      '--key',
      'cli-test-key',
      '--balance',
      '7.5',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  onTestFinished(() => void child.kill('SIGKILL'))
  let out = ''
  child.stdout.setEncoding('utf8')
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (text: string) => {
      out += text
      const match = /export WAVESPEED_BASE_URL=(\S+)/.exec(out)
      if (match && out.includes('WAVESPEED_API_KEY')) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing its URL: ${out}`)))
  })
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(out).toContain('export WAVESPEED_API_KEY=cli-test-key')
  const response = await fetch(`${url}/api/v3/balance`, { headers: { authorization: 'Bearer cli-test-key' } })
  expect(await response.json()).toMatchObject({ code: 200, data: { balance: 7.5 } })
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  expect(code).toBe(0)
})

test('the wavespeed-sim command refuses an unknown flag with usage and exit code 2', async () => {
  const child = spawn(process.execPath, [BIN, '--nope'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text))
  const [code] = await once(child, 'exit')
  expect(code).toBe(2)
  expect(err).toContain('Usage: wavespeed-sim')
})
