import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import {
  BUDGET_FIELDS,
  BUDGET_TEXT_FIELDS,
  budgetProblems,
  executionRateBp,
  toFen,
  type BudgetFigures,
  type BudgetRecord,
  type BudgetTexts,
} from '../../shared/budget.ts';

/**
 * A year's budget execution in 万元 (API.md v2 `PUT/GET /api/admin/budget/:year`), entered by finance, and the
 * 自评表's texts beside it (部门名称, 年度总体目标, 实际完成情况), one JSON string per year in Redis
 * (`keys.budget(year)`). The export reads it for the 自评表's budget block; a year without one says 待财政填报.
 */
export class BudgetService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly now: () => number;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys, now: this.now } = ctx);
  }

  /**
   * Replaces the year's amounts after checking them (AppError validation_failed, `details` listing every
   * problem with its field). A text left out keeps what was saved; `""` clears it (the export's default).
   */
  async put(year: number, body: unknown, actor: string): Promise<BudgetRecord> {
    const problems = budgetProblems(body);
    if (problems.length > 0) throw new AppError('validation_failed', msg('budget.not_saved', { problem: problems[0]!.problem }), problems);
    const b = body as Partial<BudgetFigures & BudgetTexts>;
    const previous = await this.get(year);
    const figures = Object.fromEntries(BUDGET_FIELDS.map((f) => [f, toFen(b[f]!) / 100])) as BudgetFigures;
    const texts = Object.fromEntries(BUDGET_TEXT_FIELDS.map((f) => [f, (b[f] ?? previous?.[f] ?? '').trim()])) as BudgetTexts;
    const record: BudgetRecord = {
      year,
      ...figures,
      ...texts,
      executionRatePct: executionRateBp(figures) / 100,
      updatedAt: new Date(this.now()).toISOString(),
      updatedBy: actor,
    };
    await this.redis.set(this.keys.budget(year), JSON.stringify(record));
    return record;
  }

  /** The year's record, or null when finance has not entered it. */
  async get(year: number): Promise<BudgetRecord | null> {
    const json = await this.redis.get(this.keys.budget(year));
    return json ? (JSON.parse(json) as BudgetRecord) : null;
  }
}
