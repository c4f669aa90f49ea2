import type { FfmpegInstallation, RequiredFeatures } from './locate.ts'

/**
 * The ffmpeg filters and encoders each feature of this package needs, so a
 * `doctor` command can report exactly what a given ffmpeg can and cannot do.
 */
export const FEATURES = {
  reel: {
    filters: [
      'scale',
      'pad',
      'crop',
      'setsar',
      'fps',
      'tpad',
      'trim',
      'format',
      'atrim',
      'asetpts',
      'apad',
      'anullsrc',
      'aresample',
      'aformat',
      'concat',
    ],
    encoders: ['libx264', 'aac', 'pcm_s16le'],
  },
  // Crossfades overlay the incoming shot faded in through its alpha (see videoJoinChain), which every ffmpeg since 2018 can do.
  crossfade: { filters: ['acrossfade', 'settb', 'concat', 'tpad', 'format', 'fade', 'overlay'] },
  'fade-black': { filters: ['fade', 'afade', 'settb', 'concat'] },
  soundtrack: { filters: ['loudnorm', 'amerge', 'pan', 'afade', 'apad'] },
  animatic: {
    filters: ['crop', 'loop', 'overlay', 'fade', 'geq', 'drawtext', 'drawbox', 'zoompan'],
    encoders: ['libx264'],
  },
  'contact-sheet': { filters: ['hstack', 'tile', 'trim', 'scale', 'pad'] },
} as const satisfies Record<string, RequiredFeatures>

export type FeatureName = keyof typeof FEATURES

/** For each feature, the filters/encoders `installation` lacks (empty when it has them all). */
export function missingFeatures(installation: FfmpegInstallation): Record<FeatureName, string[]> {
  const result = {} as Record<FeatureName, string[]>
  for (const [name, needs] of Object.entries(FEATURES) as [FeatureName, RequiredFeatures][]) {
    result[name] = [
      ...(needs.filters ?? []).filter((f) => !installation.filters.has(f)),
      ...(needs.encoders ?? []).filter((e) => !installation.encoders.has(e)),
    ]
  }
  return result
}
