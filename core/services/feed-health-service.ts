import type { MessageLanguage } from '../../shared/messages/index.ts';
import type { FeedHealthResponse } from '../connectors/config.ts';
import { readFeedHealth } from '../connectors/health.ts';
import type { CoreContext } from '../context.ts';

/** The feed health view (GET /api/feeds/health) read for the routes, so they never hold Redis themselves. */
export class FeedHealthService {
  private readonly ctx: CoreContext;

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
  }

  /** Per feed and per pull connector, as of the context's clock; "today" is a local day in ctx.tz. */
  /** Stored rejection reasons are rendered in `lang`, the reader's. */
  read(lang?: MessageLanguage): Promise<FeedHealthResponse> {
    return readFeedHealth(this.ctx.redis, this.ctx.keys, { tz: this.ctx.tz, now: this.ctx.now(), ...(lang && { lang }) });
  }
}
