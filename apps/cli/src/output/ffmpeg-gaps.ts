import type { FeatureName } from '@storyreel/assembler'

/** What storyreel does when the ffmpeg it found lacks what a feature needs (the assembler refuses that feature up front, naming what is missing). */
const INSTEAD: Record<FeatureName, string> = {
  reel: 'shots still render and their clips are kept, but no reel can be stitched',
  crossfade: 'a storyboard with crossfades stops before the reel, its clips kept; `type: cut` works',
  'fade-black': 'a storyboard with fade-black stops before the reel, its clips kept; `type: cut` works',
  soundtrack:
    'a storyboard with output.audio stops before the reel, its clips kept; leave audio out for a silent reel',
  animatic: 'offline animatics cannot render; with WAVESPEED_API_KEY set, shots render on Kling',
  'contact-sheet': 'the reel is written, then the run stops at the contact sheet and writes no report',
}

/** One phrase per feature the found ffmpeg cannot do: what it lacks and what storyreel does instead. */
export function describeGaps(missing: Record<FeatureName, readonly string[]>): string[] {
  return (Object.entries(missing) as [FeatureName, readonly string[]][])
    .filter(([, names]) => names.length > 0)
    .map(([feature, names]) => `${feature} needs ${names.join(', ')}: ${INSTEAD[feature]}`)
}
