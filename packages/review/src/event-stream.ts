import type { ServerResponse } from 'node:http'

/** Server-Sent Events to every open page: a snapshot when the storyboard or the run changes, render progress, questions. */
export interface EventStream {
  /** Keeps `res` open as an event stream until the page goes away. */
  attach(res: ServerResponse): void
  send(event: string, data: unknown): void
  /** Ends every stream (the server is closing). */
  close(): void
}

/** Proxies and idle timers drop a silent connection; a comment line every so often keeps it open. */
const HEARTBEAT_MS = 15_000

export function createEventStream(): EventStream {
  const clients = new Set<ServerResponse>()
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n')
  }, HEARTBEAT_MS)
  heartbeat.unref()
  return {
    attach(res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      })
      // Tells the browser how long to wait before reconnecting after the stream drops.
      res.write('retry: 1000\n\n')
      clients.add(res)
      res.on('close', () => clients.delete(res))
    },
    send(event, data) {
      // JSON has no raw newlines, so one `data:` line carries the whole payload.
      const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
      for (const res of clients) res.write(frame)
    },
    close() {
      clearInterval(heartbeat)
      for (const res of clients) res.end()
      clients.clear()
    },
  }
}
