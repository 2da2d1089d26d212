import { Router } from 'express';
import { openApiDocument } from '../openapi/document.ts';

/** GET /api/openapi.json (anyone): the OpenAPI 3.1 description of this HTTP API (API.md v2). */
export function openApiRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  return router;
}
