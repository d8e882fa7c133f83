import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Serves the built React app, answering any unknown page path with its index.html. */
export async function registerWebApp(app: FastifyInstance, webRoot: string): Promise<boolean> {
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
    app.log.warn('web app not built: run `npm run build:web` to serve it');
    return false;
  }
  await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
  return true;
}

/** Whether an unmatched request is a browser asking for a page of the app. */
export function isPageRequest(method: string, url: string, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (url.startsWith('/api/') || url.startsWith('/fhir/')) return false;
  return (accept ?? '').includes('text/html');
}
