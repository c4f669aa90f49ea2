import { readFile } from 'node:fs/promises'

/** The page's files, served as they are: plain HTML, CSS and JavaScript, no build step. */
const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  '/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
  // Named by the page, so the browser does not ask for a /favicon.ico (a 404 in the console).
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
}

const read = (file: string) => readFile(new URL(`./page/${file}`, import.meta.url), 'utf8')

/** `index.html` with the server's token in a meta tag, where the page's script reads it for its POSTs. */
export async function pageHtml(token: string): Promise<string> {
  // The token is base64url: nothing in it needs escaping in an attribute.
  return (await read('index.html')).replace('__TOKEN__', token)
}

export async function pageAsset(pathname: string): Promise<{ type: string; body: string } | undefined> {
  const asset = ASSETS[pathname]
  return asset ? { type: asset.type, body: await read(asset.file) } : undefined
}
