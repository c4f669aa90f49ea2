import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeClip, startEchoingApi, TEST_SERVER_CLIENT } from '@storyreel/test-utils'
import { createClient, createWavespeedProvider } from '@storyreel/wavespeed'
import { describe, expect, it } from 'vitest'
import { planOf } from './helpers/plan.ts'
import { runPlan } from './helpers/run.ts'
import { tempDir } from './helpers/sim.ts'

const KEY = 'sk-echoed-0123456789-SECRET'

async function filesContaining(root: string, needle: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true })
  const hits: string[] = []
  for (const e of entries)
    if (e.isFile() && (await readFile(join(e.parentPath, e.name))).includes(needle))
      hits.push(join(e.parentPath, e.name))
  return hits
}

describe('an API that echoes the key in prediction ids and output URLs', { timeout: 60_000 }, () => {
  it('never gets the key into the journal or the clip cache: the stores scrub every line they write', async () => {
    const dir = await tempDir()
    const api = await startEchoingApi({ key: KEY, clip: await makeClip(join(dir, 'output.mp4')) })
    const provider = createWavespeedProvider(
      createClient({ apiKey: KEY, baseUrl: api.url, ...TEST_SERVER_CLIENT }),
    )
    const plan = planOf([
      { id: 'a', prompt: 'a: one' },
      { id: 'b', prompt: 'b: two', after: 'a' },
    ])
    const result = await runPlan(plan, {
      provider,
      runDir: `${dir}/run`,
      cacheDir: `${dir}/cache`,
      concurrency: 1,
      secrets: [KEY],
    })

    expect(result.ok, JSON.stringify(result.failures)).toBe(true)
    // The ids really carried it: the run saw them, only its files must not keep them.
    expect(result.ledger.every((e) => e.predictionId.includes(KEY))).toBe(true)
    expect(await filesContaining(`${dir}/run`, KEY)).toEqual([])
    expect(await filesContaining(`${dir}/cache`, KEY)).toEqual([])
  })
})
