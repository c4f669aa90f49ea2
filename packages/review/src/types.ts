/** A file in the run directory, relative to it (`takes/deck/take-2.mp4`), with its sha256 when known. */
export interface RunFile {
  readonly file: string
  readonly sha256?: string
}

/** One finding in the storyboard, positioned as `validate` prints it. */
export interface ReviewIssue {
  readonly code: string
  readonly severity: 'error' | 'warning'
  readonly file: string
  readonly line: number
  readonly col: number
  readonly message: string
}

export interface ReviewTake {
  /** 1-based. */
  readonly take: number
  /** Absent while the take has not rendered. */
  readonly clip?: RunFile
  /** The take's first frame (PNG), shown until the clip plays. */
  readonly poster?: string
  /** As the last run left it (`done`, `cached`, `failed`...), `new` when never rendered, `stale` when a render would submit it. */
  readonly status: string
  /** USD spent on the take. */
  readonly cost: number
  readonly picked: boolean
}

export interface ReviewShot {
  readonly id: string
  /** The prompt as sent (style appended). */
  readonly prompt: string
  /** Full model id. */
  readonly model: string
  /** Seconds. */
  readonly duration: number
  /** The last run's state of the shot, `new` when it never ran. */
  readonly status: string
  /** USD of one take at the catalog price. */
  readonly price: number
  /** USD the last run spent on the shot. */
  readonly cost: number
  readonly pick: number
  readonly takes: readonly ReviewTake[]
  /** Its inputs changed since its clip was made (or it has none): rendering submits it. */
  readonly stale: boolean
  /** Why, in words (`settings changed`, `start image changed`, `takes raised`, `new shot`). */
  readonly staleReason?: string
  /** USD that rendering it again costs with the provider in use (0 when fresh, or free). */
  readonly refreshCost: number
}

/** What the page shows: the storyboard as it is on disk now, and what the run directory holds for it. */
export type ReviewSnapshot =
  | {
      readonly valid: true
      readonly title: string
      /** The storyboard as the user named it. */
      readonly file: string
      /** Warnings only. */
      readonly issues: readonly ReviewIssue[]
      readonly shots: readonly ReviewShot[]
      readonly reel?: RunFile
      /** What "Render stale shots" would submit, and what it would cost with the provider in use. */
      readonly stale: {
        readonly shots: readonly string[]
        readonly submissions: number
        readonly cost: number
      }
      /** `wavespeed` or `animatic`; a free provider's costs are 0. */
      readonly provider: string
      readonly paid: boolean
    }
  | { readonly valid: false; readonly file: string; readonly issues: readonly ReviewIssue[] }

/** What the server asks before a render spends money (the CLI's rule: above $5, confirm). */
export interface SpendQuestion {
  readonly message: string
  readonly cost: number
}

export interface RenderCall {
  /** Aborted by the page's Stop, or by the server closing (Ctrl-C): the render stops as `render`'s Ctrl-C does. */
  readonly signal: AbortSignal
  /** A progress event, as `render --json` prints it (`{ type: 'shot' | 'note' | 'run-end' | 'result', ... }`). */
  readonly onEvent: (event: Readonly<Record<string, unknown>>) => void
  /** Asks the page; resolves false when declined, or when nobody answers before the render is aborted. */
  readonly ask: (question: SpendQuestion) => Promise<boolean>
}

export interface RenderEnd {
  /** `completed`, `failed` (also: refused before anything was submitted, e.g. over `--max-cost`), `interrupted`, `declined`. */
  readonly status: string
  /** What the user should read, when the events did not say it. */
  readonly message?: string
}

/**
 * What the review server needs from its caller, so the package renders, picks and judges
 * staleness exactly as the CLI does without importing it.
 */
export interface ReviewBackend {
  /** The run directory: the only place files are served from. */
  readonly runDir: string
  /** Reads the storyboard and the run directory afresh. Must not throw for an invalid storyboard (return its issues). */
  snapshot(): Promise<ReviewSnapshot>
  /** Writes `pick: take` into the storyboard (as `storyreel pick`). Throw an error with a `message` to refuse. */
  pick(shot: string, take: number): Promise<void>
  /** Renders what is stale and re-assembles the reel. Resolves when the run has ended, however it ended. */
  render(call: RenderCall): Promise<RenderEnd>
}
