import type { CliIo } from '../cli-io.ts'

export interface Style {
  readonly bold: (text: string) => string
  readonly dim: (text: string) => string
  readonly red: (text: string) => string
  readonly yellow: (text: string) => string
  readonly green: (text: string) => string
}

const plain = (text: string) => text

/** ANSI colours on a terminal, none when NO_COLOR is set (https://no-color.org), TERM is `dumb` or output is piped; FORCE_COLOR forces them. */
export function createStyle(io: CliIo): Style {
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0'
  const enabled = !io.env.NO_COLOR && ((io.isTTY && io.env.TERM !== 'dumb') || forced)
  if (!enabled) return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain }
  const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39) }
}
