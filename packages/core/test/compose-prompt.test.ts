import { describe, expect, test } from 'vitest'
import { composePrompt } from '../src/shot-settings.ts'

describe('composePrompt', () => {
  test('joins a phrase and the style with a comma', () => {
    expect(composePrompt('a boat in a storm ', ' cinematic, 35mm')).toBe('a boat in a storm, cinematic, 35mm')
  })
  test('keeps a sentence’s full stop and joins with a space', () => {
    expect(composePrompt('A boat in a storm.', 'cinematic')).toBe('A boat in a storm. cinematic')
  })
  test('leaves the prompt alone without a style', () => {
    expect(composePrompt(' A boat. ', '  ')).toBe('A boat.')
  })
})
