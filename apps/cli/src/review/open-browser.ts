import { spawn } from 'node:child_process'

/** The system's "open this URL" command. */
function opener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]]
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]]
  return ['xdg-open', [url]]
}

/** Opens `url` in the default browser; false when there is no opener to run (the URL is printed anyway). */
export function openBrowser(url: string): Promise<boolean> {
  const [command, args] = opener(url)
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}
