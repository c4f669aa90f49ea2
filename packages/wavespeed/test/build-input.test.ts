import type { RenderRequest } from '@storyreel/core'
import { MODELS } from '@storyreel/core'
import { describe, expect, test } from 'vitest'
import { buildInput } from '../src/index.ts'

describe('buildInput', () => {
  test.each(MODELS.map((m) => [m.id, m] as const))(
    '%s: sends only fields the model accepts',
    (_id, model) => {
      const request: RenderRequest = {
        shotId: 's',
        model,
        params: { prompt: 'p', negative_prompt: 'n', guidance_scale: 0.5, duration: 10, aspect_ratio: '1:1' },
        ...(model.mode === 'i2v' ? { startImage: { kind: 'url', url: 'https://img.example/a.png' } } : {}),
        ...(model.endFrameField ? { endImage: { kind: 'url', url: 'https://img.example/b.png' } } : {}),
      }
      const input = buildInput(request, {
        start: model.mode === 'i2v' ? 'https://u/a.png' : undefined,
        end: model.endFrameField ? 'https://u/b.png' : undefined,
      })
      for (const key of Object.keys(input)) expect(model.params).toHaveProperty(key)
      expect(input.duration).toBe(10)
      if (model.endFrameField) expect(input[model.endFrameField]).toBe('https://u/b.png')
      expect('aspect_ratio' in input).toBe(model.mode === 't2v')
    },
  )

  test('refuses, before paying, what the model cannot honour', () => {
    const byId = (id: string) => MODELS.find((m) => m.id === id)!
    const i2v = byId('kwaivgi/kling-v2.1-i2v-pro')
    const base = { shotId: 's', params: { prompt: 'p', duration: 5 } }
    expect(() => buildInput({ ...base, model: i2v }, { start: 'u', end: 'e' })).toThrow(/takes no end frame/)
    expect(() => buildInput({ ...base, model: i2v }, {})).toThrow(/needs a start image/)
    expect(() =>
      buildInput({ ...base, model: byId('kwaivgi/kling-v2.1-i2v-pro/start-end-frame') }, { start: 'u' }),
    ).toThrow(/needs an end frame \(`end_image`\)/)
    expect(() =>
      buildInput({ ...base, model: byId('kwaivgi/kling-v2.1-t2v-master') }, { start: 'u' }),
    ).toThrow(/takes no start image/)
    expect(() =>
      buildInput({ shotId: 's', model: i2v, params: { prompt: 'p', duration: 5.5 } }, { start: 'u' }),
    ).toThrow(expect.objectContaining({ code: 'WS_INVALID_PARAM' }))
    expect(() =>
      buildInput({ shotId: 's', model: i2v, params: { prompt: 'p', duration: 7 } }, { start: 'u' }),
    ).toThrow(/not one of 5, 10/)
  })
})
