/** The OpenAPI document and an interactive page for it (Swagger UI, served from the npm package, no CDN). */
import path from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from '../openapi';

const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>容错免责 API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body>
</html>`;

export function docsRoutes(): Router {
  const router = Router();
  const document = openApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  // A script file rather than an inline one, so the Content-Security-Policy can stay script-src 'self'.
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });\n");
  });
  router.use('/docs/assets', express.static(swaggerUiDir, { index: false }));
  return router;
}
