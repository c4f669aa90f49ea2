export async function main(argv: string[]): Promise<number> {
  process.stdout.write(JSON.stringify({ argv, cwd: process.cwd(), init: process.env.INIT_CWD }) + '\n')
  return 0
}
