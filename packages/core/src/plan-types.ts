import type { ModelSpec } from './catalog.ts'

/** An image given in the storyboard: a file (absolute path) or an https URL. */
export type ImageRef =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: string }

/** Where a shot's first frame comes from. */
export type StartSource =
  /** Text-to-video: no start image. */
  | { readonly kind: 'none' }
  | ImageRef
  /** The actual last frame of an earlier shot's clip: known only once that clip has rendered. */
  | { readonly kind: 'last-frame'; readonly shot: string }
  /** The `end_image` another shot declares: known up front, so both shots can render at once. */
  | { readonly kind: 'end-image'; readonly shot: string; readonly image: ImageRef }

/** The parameters a shot sends, resolved from defaults and restricted to what its model accepts. */
export interface ShotParams {
  /** The shot's prompt with the storyboard's `style` appended. */
  readonly prompt: string
  readonly negative_prompt?: string
  readonly guidance_scale?: number
  readonly duration: number
  readonly aspect_ratio?: string
}

export type TransitionType = 'cut' | 'crossfade' | 'fade-black'

export interface Transition {
  readonly type: TransitionType
  /** Seconds; 0 for a cut. */
  readonly duration: number
}

export interface PlannedShot {
  readonly id: string
  /** Position in the storyboard, and so in the reel. */
  readonly index: number
  readonly model: ModelSpec
  readonly params: ShotParams
  readonly start: StartSource
  readonly end?: ImageRef
  /** Shots whose rendered clip this shot needs before it can be submitted. */
  readonly dependsOn: readonly string[]
  /** Part of the clip that goes into the reel, in seconds from the clip's start. */
  readonly trim?: { readonly start?: number; readonly end?: number }
  /** How the reel enters this shot from the previous one (ignored for the first shot). */
  readonly transition: Transition
  /**
   * True when this shot starts from the frame the previous shot in the reel ends on,
   * so the reel drops its first frame to keep the cut from stuttering.
   */
  readonly seam: boolean
  /** Takes to render (1 to 8): each is its own prediction, rendered at the same time as the others. */
  readonly takes: number
  /** The take (1-based, at most `takes`) that goes into the reel and that shots chained after this one start from. */
  readonly pick: number
  /** Estimated USD for one attempt of one take; `shotCost` counts every take. */
  readonly cost: number
  /** 1-based line of the shot in the storyboard, for messages. */
  readonly line: number
}

export type Fit = 'contain' | 'cover'

export interface OutputSpec {
  /** Reel file name, relative to the run directory. */
  readonly file: string
  /** Canvas; undefined means "the first clip's". */
  readonly width?: number
  readonly height?: number
  readonly fps?: number
  readonly fit: Fit
  readonly transition: Transition
  readonly audio?: {
    readonly file: string
    readonly fadeOut: number
    /** Integrated loudness target in LUFS. */
    readonly loudness: number
  }
}

export interface Plan {
  readonly title: string
  /** Absolute path of the storyboard file. */
  readonly file: string
  /** sha256 of the storyboard's bytes. */
  readonly hash: string
  readonly shots: readonly PlannedShot[]
  readonly output: OutputSpec
}
