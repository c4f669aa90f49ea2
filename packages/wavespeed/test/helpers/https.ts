import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Agent } from 'undici'
import { onTestFinished } from 'vitest'
import { tempDir } from './sim.ts'

const run = promisify(execFile)

/**
 * A real TLS server on 127.0.0.1 with a throwaway self-signed certificate (for 127.0.0.1 and
 * localhost), and an undici dispatcher that trusts exactly that certificate.
 */
export async function startHttpsServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; port: number; dispatcher: Agent; seen: IncomingMessage[] }> {
  const dir = await tempDir()
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ])
  const pem = { key: await readFile(key), cert: await readFile(cert) }
  const seen: IncomingMessage[] = []
  const server = createServer(pem, (req, res) => {
    seen.push(req)
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const dispatcher = new Agent({ connect: { ca: pem.cert } })
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await dispatcher.close()
  })
  const { port } = server.address() as AddressInfo
  return { url: `https://127.0.0.1:${port}`, port, dispatcher, seen }
}
