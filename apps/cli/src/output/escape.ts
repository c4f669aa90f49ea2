/**
 * Every string storyreel did not write itself (storyboard names, model names, paths, `after:`
 * targets, URLs, the title, prediction ids, the API's error messages) goes through this before it
 * is printed for a person: C0 controls, DEL and C1 controls are shown as escapes, so a storyboard or
 * an API cannot set the window title, clear the screen, move the cursor or forge a line. `--json`
 * output needs nothing: JSON escapes them already.
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
