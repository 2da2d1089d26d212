import { Router } from 'express';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { IngestService } from '../../core/ingest/ingest-service.ts';
import type { SupervisedService } from '../../core/services/supervised-service.ts';
import type { UserService } from '../../core/services/user-service.ts';
import { consoleImportRoutes } from './console-imports.ts';
import { consoleJobRoutes } from './console-jobs.ts';
import { consoleSupervisedRoutes } from './console-supervised.ts';
import { consoleXlsxRoutes } from './console-xlsx.ts';
import { userRoutes } from './users.ts';

export interface ConsoleDeps {
  auth: AuthService;
  audit: AuditService;
  ingest: IngestService;
  users: UserService;
  supervised: SupervisedService;
}

/** The console's own routes: users, 四类督办 lists, failed batches, import preview, XLSX of a table. */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const router = Router();
  router.use(userRoutes(deps.users, deps.auth, deps.audit));
  router.use(consoleSupervisedRoutes(deps.supervised, deps.auth));
  router.use(consoleJobRoutes(deps.ingest, deps.auth, deps.audit));
  router.use(consoleImportRoutes(deps.auth));
  router.use(consoleXlsxRoutes(deps.auth));
  return router;
}
