/** The OpenAPI document and an interactive page for it (Swagger UI, served from the npm package, no CDN). */
import path from 'node:path';
import { Router } from 'express';
import { openApiDocument } from '../openapi';
import { route, type RouteSpec } from '../registry';

const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>容错免责 API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body>
</html>`;

/** The documented routes of the docs themselves; `documented` is every route the app serves, these included. */
export function docsRoutes(documented: () => RouteSpec[]): RouteSpec[] {
  let document: Record<string, unknown> | undefined;
  return [
    route({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This document',
      tags: ['operations'],
      access: { kind: 'public' },
      responses: { 200: { description: 'OpenAPI 3.1' } },
      handle: ({ res }) => res.json((document ??= openApiDocument(documented()))),
    }),
    route({
      method: 'get',
      path: '/docs',
      operationId: 'docs',
      summary: 'Interactive documentation',
      tags: ['operations'],
      access: { kind: 'public' },
      responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
      handle: ({ res }) => res.type('html').send(page),
    }),
  ];
}

/** The only files of the Swagger UI package the page loads; nothing else of the package (its manifest, sources, maps) is served. */
const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;

/** Static files of the docs page; assets, not API routes. */
export function docsAssets(): Router {
  const router = Router();
  // A script file rather than an inline one, so the Content-Security-Policy can stay script-src 'self'.
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });\n");
  });
  for (const asset of ASSETS) {
    router.get(`/docs/assets/${asset}`, (_req, res, next) => res.sendFile(path.join(swaggerUiDir, asset), { dotfiles: 'deny' }, (err) => err && next(err)));
  }
  return router;
}
