import { randomUUID } from 'node:crypto'
import type { EventStream } from './event-stream.ts'
import type { RenderEnd, ReviewBackend, SpendQuestion } from './types.ts'

/** The render the page started, if any: one at a time, stoppable, asking its questions on the page. */
export interface RenderJob {
  /** What a page that just connected needs to show: whether a render runs, and the question it waits on. */
  state(): { readonly running: boolean; readonly question?: SpendQuestion & { readonly id: string } }
  /** False when a render is already running. */
  start(): boolean
  /** The page's answer to question `id`; false when no such question is waiting. */
  answer(id: string, yes: boolean): boolean
  /** Stops the running render as `render`'s Ctrl-C does; resolves once it has ended (its records written). */
  stop(): Promise<void>
}

export function createRenderJob(backend: ReviewBackend, events: EventStream, onEnd: () => void): RenderJob {
  let current: { controller: AbortController; done: Promise<void> } | undefined
  let question: (SpendQuestion & { id: string; reply: (yes: boolean) => void }) | undefined

  const ask = (signal: AbortSignal) => (asked: SpendQuestion) =>
    new Promise<boolean>((resolve) => {
      const id = randomUUID()
      const reply = (yes: boolean) => {
        question = undefined
        signal.removeEventListener('abort', declined)
        events.send('question-closed', { id })
        resolve(yes)
      }
      const declined = () => reply(false)
      if (signal.aborted) return resolve(false)
      signal.addEventListener('abort', declined, { once: true })
      question = { ...asked, id, reply }
      events.send('question', { id, message: asked.message, cost: asked.cost })
    })

  return {
    state() {
      return {
        running: current !== undefined,
        ...(question
          ? { question: { id: question.id, message: question.message, cost: question.cost } }
          : {}),
      }
    },
    start() {
      if (current) return false
      const controller = new AbortController()
      const { signal } = controller
      events.send('render-start', {})
      const done = backend
        .render({ signal, onEvent: (event) => events.send('progress', event), ask: ask(signal) })
        .catch((error: unknown): RenderEnd => ({
          status: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }))
        .then((end) => {
          current = undefined
          events.send('render-end', end)
          onEnd()
        })
      current = { controller, done }
      return true
    },
    answer(id, yes) {
      if (!question || question.id !== id) return false
      question.reply(yes)
      return true
    },
    async stop() {
      if (!current) return
      current.controller.abort(new Error('interrupted'))
      await current.done
    },
  }
}
