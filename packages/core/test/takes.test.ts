import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  criticalPath,
  estimateWallClockSeconds,
  loadStoryboard,
  type Plan,
  planStoryboard,
  planTotals,
  remainingPathSeconds,
  shotCost,
} from '../src/index.ts'

const fixtures = join(import.meta.dirname, 'fixtures')
const oneSecondEach = () => 1
let plan: Plan
const shot = (id: string) => plan.shots.find((candidate) => candidate.id === id)!

beforeAll(async () => {
  plan = await planStoryboard(join(fixtures, 'valid', 'takes.yaml'))
})

async function findings(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-takes-'))
  await writeFile(join(dir, 's.yaml'), text)
  return (await loadStoryboard(join(dir, 's.yaml'))).issues.map(({ code, line, col, message }) => ({
    code,
    line,
    col,
    message,
  }))
}

/** A text-to-video head with `takes` and `pick`, then `chained` shots each starting from the one before. */
async function chainPlan(takes: number, pick: number, chained: number): Promise<Plan> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-takes-'))
  const rest = Array.from(
    { length: chained },
    (_, i) => `  - { id: next${i}, model: kling-v2.1-i2v-pro, prompt: x }\n`,
  ).join('')
  await writeFile(
    join(dir, 's.yaml'),
    `version: 1\nshots:\n  - { id: head, model: kling-v2.1-t2v-master, prompt: x, takes: ${takes}, pick: ${pick} }\n${rest}`,
  )
  return planStoryboard(join(dir, 's.yaml'))
}

describe('the plan', () => {
  test('takes come from the shot, else defaults, else 1; pick defaults to 1', () => {
    expect(
      [shot('storm'), shot('deck'), shot('calm'), shot('gulls')].map(({ takes, pick }) => ({ takes, pick })),
    ).toEqual([
      { takes: 3, pick: 2 },
      { takes: 2, pick: 1 },
      { takes: 1, pick: 1 },
      { takes: 2, pick: 1 },
    ])
  })

  test('a shot chained after one with takes still waits for that shot once', () => {
    expect(shot('deck')).toMatchObject({ start: { kind: 'last-frame', shot: 'storm' }, dependsOn: ['storm'] })
  })

  test('cost stays one take; shotCost and planTotals count every take', () => {
    expect(shot('storm').cost).toBe(1.3)
    expect(shotCost(shot('storm'))).toBe(3.9)
    expect(shotCost(shot('deck'))).toBe(0.9)
    expect(planTotals(plan)).toEqual({
      shots: 4,
      takes: 8,
      seconds: 20,
      cost: 3.9 + 0.9 + 0.45 + 2.6,
      inferredPrices: ['kling-v2.1-t2v-master'],
    })
  })
})

describe('pick must be one of the takes', () => {
  const board = (defaults: string, extra: string) =>
    `version: 1\n${defaults}shots:\n  - id: deck\n    model: kling-v2.1-t2v-master\n    prompt: x\n${extra}`

  test("over the shot's takes: at pick's line and column, saying which takes exist", async () => {
    expect(await findings(board('', '    takes: 2\n    pick: 3\n'))).toEqual([
      {
        code: 'CORE_PICK_OUT_OF_RANGE',
        line: 7,
        col: 11,
        message:
          'pick 3 is not a take of shot "deck": it has takes 1 and 2 (takes: 2); pick one of those, or raise takes to 3',
      },
    ])
  })

  test('takes inherited from defaults, or the default of 1, are named as such', async () => {
    expect((await findings(board('defaults:\n  takes: 4\n', '    pick: 5\n')))[0]!.message).toBe(
      'pick 5 is not a take of shot "deck": it has takes 1 to 4 (takes: 4 in defaults); pick one of those, or raise takes to 5',
    )
    expect((await findings(board('', '    pick: 2\n')))[0]!.message).toBe(
      'pick 2 is not a take of shot "deck": it has take 1 only (takes is 1 by default); pick 1, or set takes: 2',
    )
  })

  test('takes outside 1..8 and pick below 1 are schema errors, reported once', async () => {
    expect(
      (await findings(board('', '    takes: 9\n    pick: 9\n'))).map(({ code, line }) => [code, line]),
    ).toEqual([
      ['CORE_OUT_OF_RANGE', 6],
      ['CORE_OUT_OF_RANGE', 7],
    ])
    expect(
      (await findings(board('defaults:\n  takes: 0\n', '    pick: 0\n'))).map(({ code, line, message }) => [
        code,
        line,
        message,
      ]),
    ).toEqual([
      ['CORE_OUT_OF_RANGE', 3, 'takes in defaults must be between 1 and 8, not 0'],
      ['CORE_OUT_OF_RANGE', 8, 'pick in shot "deck" must be between 1 and 8, not 0'],
    ])
  })
})

describe('time estimates with takes', () => {
  test('takes render side by side; the next shot waits for the picked take only', async () => {
    const threeTakes = await chainPlan(3, 2, 1)
    expect(estimateWallClockSeconds(threeTakes, 4, oneSecondEach)).toBe(2)
    // One at a time, every take is paid for in time too.
    expect(estimateWallClockSeconds(threeTakes, 1, oneSecondEach)).toBe(4)
    expect(criticalPath(threeTakes, oneSecondEach)).toEqual({ shots: ['head', 'next0'], seconds: 2 })
  })

  test('the picked take starts first, so the chain is not kept waiting by takes nobody waits for', async () => {
    // Two slots: take 3 (picked) and one other take start; the chain then gets the slot the moment take 3 is done.
    const chain = await chainPlan(3, 3, 2)
    expect(estimateWallClockSeconds(chain, 2, oneSecondEach)).toBe(3)
    expect(Object.fromEntries(remainingPathSeconds(chain, oneSecondEach))).toEqual({
      head: 3,
      next0: 2,
      next1: 1,
    })
  })

  test('a hand-built plan whose pick is not one of its takes is refused', async () => {
    const chain = await chainPlan(2, 1, 0)
    const broken = { ...chain, shots: [{ ...chain.shots[0]!, pick: 3 }] }
    expect(() => estimateWallClockSeconds(broken, 2)).toThrow('shot "head" picks take 3 of 2')
  })
})
