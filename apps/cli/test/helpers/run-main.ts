import { main } from '../../src/main.ts'

/** Runs `storyreel ARGV` in-process in `cwd`, its output captured; no terminal unless `isTTY`. */
export async function runMain(
  argv: string[],
  cwd: string,
  options: { env?: Record<string, string>; isTTY?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
  })
  return { code, stdout, stderr }
}
