import type { RouteName } from './faults.ts'

export interface Route {
  readonly name: RouteName
  /** Needs `Authorization: Bearer <key>` (everything under /api/v3). */
  readonly auth: boolean
  /** The id, token or model path taken from the URL. */
  readonly param?: string
}

const FIXED: Readonly<Record<string, RouteName>> = {
  'GET balance': 'balance',
  'GET models': 'models',
  'GET webhook/secret': 'webhook-secret',
  'POST predictions': 'history',
  'POST predictions/delete': 'delete',
  'POST model/price': 'price',
  'POST media/uploads': 'upload-ticket',
  'POST media/upload/binary': 'upload-binary',
}

/** Names the route a request is for; any other POST under /api/v3 is a submit to the model it names. */
export function classifyRoute(method: string, path: string): Route {
  let match: RegExpExecArray | null
  if ((match = /^\/outputs\/([0-9a-f]+)\.mp4$/.exec(path)))
    return { name: 'output', auth: false, param: match[1]! }
  if ((match = /^\/media\/([0-9a-f]+)\/[^/]+$/.exec(path)))
    return { name: 'media', auth: false, param: match[1]! }
  if ((match = /^\/upload\/([0-9a-f]+)$/.exec(path)))
    return { name: 'upload-put', auth: false, param: match[1]! }
  if (!path.startsWith('/api/v3/')) return { name: 'unknown', auth: false }
  const rest = path.slice('/api/v3/'.length)
  if ((match = /^predictions\/([^/]+)(?:\/result)?$/.exec(rest)) && method === 'GET')
    return { name: 'result', auth: true, param: match[1]! }
  const name = FIXED[`${method} ${rest}`]
  if (name) return { name, auth: true }
  if (method === 'POST') return { name: 'submit', auth: true, param: rest }
  return { name: 'unknown', auth: true }
}
