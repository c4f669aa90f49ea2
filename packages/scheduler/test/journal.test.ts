import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '@storyreel/test-utils'
import { describe, expect, it } from 'vitest'
import { openJournalFile } from '../src/file-journal.ts'
import type { JournalRecord } from '../src/journal-records.ts'
import { parseJournal } from '../src/journal-records.ts'
import { ledgerOf, replayJournal } from '../src/journal-replay.ts'
import { readJournal } from '../src/journal-summary.ts'
import { JOURNAL_FILE } from '../src/run-layout.ts'

const openJournal = (dir: string) => openJournalFile(join(dir, JOURNAL_FILE), [])

const request = { model: 'kwaivgi/kling-v2.1-i2v-standard', params: { prompt: 'p', duration: 5 } }
const records: JournalRecord[] = [
  { type: 'run', at: 1, pid: 1, plan: 'h', provider: 'sim' },
  { type: 'intent', at: 2, shot: 'a', attempt: 1, key: 'ka', request },
  { type: 'submitted', at: 3, shot: 'a', attempt: 1, key: 'ka', id: 'p1', model: request.model, cost: 0.28 },
  {
    type: 'failed',
    at: 4,
    shot: 'a',
    attempt: 1,
    id: 'p1',
    message: 'worker crashed',
    code: '5000',
    retryable: true,
  },
  { type: 'intent', at: 5, shot: 'a', attempt: 2, key: 'ka', request },
  { type: 'submitted', at: 6, shot: 'a', attempt: 2, key: 'ka', id: 'p2', model: request.model, cost: 0.28 },
  { type: 'completed', at: 7, shot: 'a', attempt: 2, id: 'p2', output: 'http://x/p2.mp4', inferenceMs: 900 },
  {
    type: 'downloaded',
    at: 8,
    shot: 'a',
    attempt: 2,
    id: 'p2',
    key: 'ka',
    file: 'shots/a.mp4',
    sha256: 'sa',
  },
  { type: 'intent', at: 9, shot: 'b', attempt: 1, key: 'kb', request },
  { type: 'intent', at: 10, shot: 'c', attempt: 1, key: 'kc', request },
  { type: 'submitted', at: 11, shot: 'c', attempt: 1, key: 'kc', id: 'p3', model: request.model, cost: 0.28 },
  { type: 'skipped', at: 12, shot: 'd', reason: 'needs "b", which failed' },
]

describe('journal replay', () => {
  it('rebuilds each shot: finished clip, open intent, open prediction, skip', () => {
    const shots = replayJournal(records)
    const a = shots.get('a')!
    expect(a.attempts.map((x) => [x.attempt, x.id, x.failure?.message])).toEqual([
      [1, 'p1', 'worker crashed'],
      [2, 'p2', undefined],
    ])
    // A journal written before takes: every attempt is take 1, and its clip is take 1's.
    expect(a.attempts.map((x) => x.take)).toEqual([1, 1])
    expect([...a.clips]).toEqual([
      [1, { take: 1, key: 'ka', file: 'shots/a.mp4', sha256: 'sa', predictionId: 'p2' }],
    ])
    expect(shots.get('b')!.attempts[0]).toMatchObject({ key: 'kb', intentAt: 9 })
    expect(shots.get('b')!.attempts[0]!.id).toBeUndefined()
    expect(shots.get('c')!.last).toBe('submitted')
    expect(shots.get('d')!.skipReason).toBe('needs "b", which failed')
  })

  it('keeps each take apart: attempts, clips, the placed take, the ledger', () => {
    const takes: JournalRecord[] = [
      { type: 'intent', at: 1, shot: 'a', take: 1, attempt: 1, key: 'k1', request },
      { type: 'intent', at: 1, shot: 'a', take: 2, attempt: 2, key: 'k2', request },
      {
        type: 'submitted',
        at: 2,
        shot: 'a',
        attempt: 2,
        key: 'k2',
        id: 'p2',
        model: request.model,
        cost: 0.28,
      },
      {
        type: 'submitted',
        at: 2,
        shot: 'a',
        attempt: 1,
        key: 'k1',
        id: 'p1',
        model: request.model,
        cost: 0.28,
      },
      {
        type: 'downloaded',
        at: 3,
        shot: 'a',
        attempt: 2,
        id: 'p2',
        key: 'k2',
        file: 'takes/a/take-2.mp4',
        sha256: 's2',
      },
      { type: 'cached', at: 4, shot: 'a', take: 3, key: 'k3', file: 'takes/a/take-3.mp4', sha256: 's3' },
      { type: 'placed', at: 5, shot: 'a', take: 2, sha256: 's2' },
    ]
    const a = replayJournal(takes).get('a')!
    expect(a.attempts.map((x) => [x.attempt, x.take, x.id])).toEqual([
      [1, 1, 'p1'],
      [2, 2, 'p2'],
    ])
    expect([...a.clips.keys()].sort()).toEqual([2, 3])
    expect(a.clips.get(2)).toMatchObject({ take: 2, sha256: 's2', predictionId: 'p2' })
    expect(a.placed).toEqual({ take: 2, sha256: 's2' })
    expect(ledgerOf(takes).map((e) => [e.predictionId, e.take])).toEqual([
      ['p2', 2],
      ['p1', 1],
    ])
  })

  it('puts every created prediction in the ledger with its price', () => {
    expect(ledgerOf(records).map((e) => [e.shot, e.attempt, e.predictionId, e.price])).toEqual([
      ['a', 1, 'p1', 0.28],
      ['a', 2, 'p2', 0.28],
      ['c', 1, 'p3', 0.28],
    ])
  })

  it('drops a torn last line but refuses a damaged line in the middle', () => {
    const lines = records.map((r) => JSON.stringify(r))
    const torn = `${lines.join('\n')}\n{"type":"intent","at":13,"sh`
    expect(parseJournal(torn)).toHaveLength(records.length)
    const damaged = [...lines.slice(0, 3), '{"type":', ...lines.slice(3)].join('\n') + '\n'
    expect(() => parseJournal(damaged, 'j.ndjson')).toThrow(
      expect.objectContaining({
        code: 'SCHED_JOURNAL_CORRUPT',
        message: expect.stringContaining('j.ndjson:4'),
      }),
    )
  })

  it('cuts a torn last line off before appending, so the journal stays readable', async () => {
    const dir = await tempDir('sched-journal-')
    const writer = await openJournal(dir)
    await Promise.all(records.slice(0, 9).map((r) => writer.append(r)))
    await writer.close()
    await appendFile(join(dir, JOURNAL_FILE), '{"type":"inte') // kill -9 mid-write
    const again = await openJournal(dir)
    for (const r of records.slice(9)) await again.append(r)
    await again.close()
    const text = await readFile(join(dir, JOURNAL_FILE), 'utf8')
    expect(parseJournal(text)).toEqual(records)
  })

  it('reads states for the status command', async () => {
    const dir = await tempDir('sched-journal-')
    await writeFile(join(dir, JOURNAL_FILE), records.map((r) => JSON.stringify(r) + '\n').join(''))
    const summary = await readJournal(dir)
    expect(summary.shots.map((s) => [s.shot, s.state, s.predictionId, s.spent])).toEqual([
      ['a', 'done', 'p2', 0.56],
      ['b', 'submitting', undefined, 0],
      ['c', 'rendering', 'p3', 0.28],
      ['d', 'skipped', undefined, 0],
    ])
    expect(summary.spent).toBe(0.84)
    await expect(readJournal(join(dir, 'missing'))).resolves.toEqual({ shots: [], ledger: [], spent: 0 })
  })

  it.each([
    ['null', 'is not a journal record'],
    ['{"type":"submitted"}', 'is a "submitted" record without "at"'],
    ['{"type":"submitted","at":5,"shot":"a","attempt":1,"key":"k","model":"m","cost":0.28}', 'without "id"'],
    ['{"type":"teleported","at":5}', 'unknown record type "teleported"'],
  ])(
    'refuses a line of valid JSON that is not a record (%s) as SCHED_JOURNAL_CORRUPT with its line number',
    async (line, problem) => {
      const dir = await tempDir('sched-journal-')
      const lines = records.map((r) => JSON.stringify(r))
      await writeFile(
        join(dir, JOURNAL_FILE),
        [...lines.slice(0, 4), line, ...lines.slice(4)].join('\n') + '\n',
      )
      const error = await readJournal(dir).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'SCHED_JOURNAL_CORRUPT', file: join(dir, JOURNAL_FILE), line: 5 })
      expect((error as Error).message).toContain(`${JOURNAL_FILE}:5 `)
      expect((error as Error).message).toContain(problem)
    },
  )
})
