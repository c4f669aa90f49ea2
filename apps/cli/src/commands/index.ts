import type { Command } from '../command.ts'

/** A command as `--help` lists it; its module is imported only when it runs, so start-up loads nothing else. */
export interface CommandEntry {
  readonly name: string
  /** One line, for `storyreel --help`. */
  readonly summary: string
  load(): Promise<Command>
}

/** Every `storyreel` command, in the order `--help` lists them. Register a new command with one entry here. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'Write a starter storyboard with its images into a folder',
    load: async () => (await import('./init.ts')).initCommand,
  },
  {
    name: 'validate',
    summary: 'Check storyboards; report every problem as file:line:col: message',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'plan',
    summary: 'Show the shots a render would run: models, start images, chains, cost, time',
    load: async () => (await import('./plan.ts')).planCommand,
  },
  {
    name: 'render',
    summary: 'Render a storyboard into a reel, with a manifest and a review page',
    load: async () => (await import('./render.ts')).renderCommand,
  },
  {
    name: 'pick',
    summary: 'Choose which rendered take of a shot goes into the reel',
    load: async () => (await import('./pick.ts')).pickCommand,
  },
  {
    name: 'review',
    summary: 'Review a storyboard in the browser: takes side by side, pick, render what is stale',
    load: async () => (await import('./review.ts')).reviewCommand,
  },
  {
    name: 'assemble',
    summary: "Stitch a run directory's clips into the reel again, without rendering",
    load: async () => (await import('./assemble.ts')).assembleCommand,
  },
  {
    name: 'schema',
    summary: "Print the storyboard language's JSON Schema",
    load: async () => (await import('./schema.ts')).schemaCommand,
  },
  {
    name: 'models',
    summary: 'List the Kling models a storyboard can use, with prices',
    load: async () => (await import('./models.ts')).modelsCommand,
  },
  {
    name: 'status',
    summary: "Show each shot's state in a run directory, from its journal",
    load: async () => (await import('./status.ts')).statusCommand,
  },
  {
    name: 'doctor',
    summary: 'Check Node, ffmpeg and ffprobe, the API key and (--online) the API',
    load: async () => (await import('./doctor.ts')).doctorCommand,
  },
]
