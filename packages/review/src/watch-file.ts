import { type FSWatcher, watch } from 'node:fs'
import { basename, dirname } from 'node:path'

export interface FileWatch {
  close(): void
}

/**
 * Calls `onChange` once a burst of changes to `file` has settled for `debounceMs`. It watches the
 * file's folder, not the file: editors that save by writing a new file and renaming it over the old
 * one (vim, many IDEs) replace the inode a file watch would follow.
 */
export function watchFile(file: string, onChange: () => void, debounceMs = 150): FileWatch {
  const name = basename(file)
  let timer: NodeJS.Timeout | undefined
  let watcher: FSWatcher | undefined
  const changed = (_event: string, filename: string | Buffer | null) => {
    // Some platforms do not name the file: then any change in the folder counts.
    if (filename !== null && filename.toString() !== name) return
    clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  }
  watcher = watch(dirname(file), { persistent: false }, changed)
  // A folder that goes away (or an fs.watch limit) ends the watch; the page still works, it just stops refreshing by itself.
  watcher.on('error', () => watcher?.close())
  return {
    close() {
      clearTimeout(timer)
      watcher?.close()
      watcher = undefined
    },
  }
}
