import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import { parseIndicatorTemplate, type IndicatorTemplate } from './indicator-template.ts';
import { parseSentenceTemplate, TemplateError, type SentenceTemplate } from './sentence-template.ts';
import type { ExportTemplate, ExportTemplateKind } from '../../shared/console-types.ts';

/**
 * The export's templates: the shipped defaults under templates/ (`sentences` ← templates/sentences.txt,
 * `indicators-<name>` ← templates/indicators/<name>.yaml) and what administrators saved over them or
 * added, in Redis. A saved template is validated first; deleting one restores the shipped default.
 */

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
export const DEFAULT_INDICATORS_ID = 'indicators-national';
const ID_PATTERN = /^(sentences|indicators-[a-z0-9][a-z0-9-]{0,47})$/;
/** The largest template content accepted, in characters. */
export const MAX_TEMPLATE_CHARS = 100_000;

const kindOf = (id: string): ExportTemplateKind => (id === 'sentences' ? 'sentences' : 'indicators');

function readShipped(): Map<string, string> {
  const shipped = new Map<string, string>([['sentences', readFileSync(`${TEMPLATES_DIR}sentences.txt`, 'utf8')]]);
  for (const file of readdirSync(`${TEMPLATES_DIR}indicators`).sort()) {
    const m = /^([a-z0-9][a-z0-9-]*)\.ya?ml$/.exec(file);
    if (m) shipped.set(`indicators-${m[1]}`, readFileSync(`${TEMPLATES_DIR}indicators/${file}`, 'utf8'));
  }
  return shipped;
}

/** Validates `content` as a template of `kind`; AppError validation_failed with every problem. */
export function validateTemplate(kind: ExportTemplateKind, content: string): SentenceTemplate | IndicatorTemplate {
  try {
    return kind === 'sentences' ? parseSentenceTemplate(content) : parseIndicatorTemplate(content);
  } catch (err) {
    if (err instanceof TemplateError)
      throw new AppError('validation_failed', msg('template.not_saved', { problem: err.problems[0] ?? '' }), err.problems);
    throw err;
  }
}

export class TemplateStore {
  private readonly shipped = readShipped();

  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys } = ctx);
  }

  /** Every template, shipped and saved, with its current content. */
  async list(): Promise<ExportTemplate[]> {
    const saved = await this.redis.hgetall(this.keys.exportTemplates());
    const ids = [...new Set([...this.shipped.keys(), ...Object.keys(saved)])].sort((a, b) =>
      a === 'sentences' ? -1 : b === 'sentences' ? 1 : a.localeCompare(b),
    );
    return ids.map((id) => {
      const content = saved[id] ?? this.shipped.get(id)!;
      return { id, kind: kindOf(id), name: this.nameOf(id, content), content, isDefault: saved[id] === undefined };
    });
  }

  private nameOf(id: string, content: string): string {
    if (id === 'sentences') return '数字段落（报告“八、部门整体支出绩效情况”）';
    try {
      const t = parseIndicatorTemplate(content);
      return `${t.name}${t.year ? `（${t.year}年）` : ''}`;
    } catch {
      return id;
    }
  }

  /** Saves `content` as template `id` after validating it. */
  async put(id: string, content: unknown): Promise<ExportTemplate> {
    if (!ID_PATTERN.test(id)) throw new AppError('validation_failed', msg('template.bad_id'));
    if (typeof content !== 'string' || content.trim() === '') throw new AppError('validation_failed', msg('template.no_content'));
    if (content.length > MAX_TEMPLATE_CHARS) throw new AppError('validation_failed', msg('template.too_long', { max: MAX_TEMPLATE_CHARS }));
    validateTemplate(kindOf(id), content);
    await this.redis.hset(this.keys.exportTemplates(), id, content);
    return { id, kind: kindOf(id), name: this.nameOf(id, content), content, isDefault: false };
  }

  /** Removes a saved template: a shipped one returns to its default; an added one is gone. */
  async remove(id: string): Promise<void> {
    const removed = await this.redis.hdel(this.keys.exportTemplates(), id);
    if (removed === 0 && !this.shipped.has(id)) throw new AppError('not_found', msg('template.not_found', { id }));
  }

  /** The templates an export of `year` uses: the sentences, and the indicator template for that year (else the national default). */
  async forYear(year: number): Promise<{ sentences: SentenceTemplate; indicators: IndicatorTemplate; indicatorsId: string }> {
    const items = await this.list();
    const sentences = parseSentenceTemplate(items.find((t) => t.id === 'sentences')!.content);
    const parsed = items
      .filter((t) => t.kind === 'indicators')
      .map((t) => {
        try {
          return { id: t.id, template: parseIndicatorTemplate(t.content) };
        } catch {
          return null; // a shipped file edited by hand into something invalid is skipped, not fatal
        }
      })
      .filter((t): t is { id: string; template: IndicatorTemplate } => t !== null);
    const chosen = parsed.find((t) => t.template.year === year) ?? parsed.find((t) => t.id === DEFAULT_INDICATORS_ID) ?? parsed[0];
    if (!chosen) throw new AppError('internal', msg('template.none_valid'));
    return { sentences, indicators: chosen.template, indicatorsId: chosen.id };
  }
}
