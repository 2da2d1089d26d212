import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import { applyRule, defaultRule, isWritingRule, WRITING_RULES, type WritingRule } from './writing-rules.ts';
import { periodLabel, previousPeriodLabel, type Period } from './period-label.ts';

/**
 * The figures paragraph as an editable template (templates/sentences.txt).
 *
 * - Each line that is not empty and does not start with `#` is one sentence (a paragraph of the output).
 * - `{<kpi id>}` is the KPI's served value, written by the kind's default rule (counts exact, rates
 *   rounded); `{<kpi id>|<rule>}` names the rule (core/export/writing-rules.ts: int, floor, round,
 *   dec1, pct, floorPct, pct2, approx); `{<kpi id>.numerator}`, `.denominator`, `.target` and
 *   `.<breakdown key>` (e.g. `{crossRegion.partners.changzhutan}`) write a part of the figure.
 * - `{period}` is the period as the report names it (2022年), `{prevPeriod}` the year before (去年 /
 *   去年同期).
 * - `[ … ]` is an optional clause: it is left out when one of its placeholders cannot be written.
 *   A placeholder outside any clause that cannot be written (a rate over nothing) leaves out the whole
 *   sentence — a figure is never written as 0% for want of a denominator.
 */

type Part = 'value' | 'numerator' | 'denominator' | 'target' | { breakdown: string };

interface Placeholder {
  kind: 'kpi';
  id: string;
  part: Part;
  rule: WritingRule;
}
type Segment = { kind: 'text'; text: string } | Placeholder | { kind: 'period' | 'prevPeriod' } | { kind: 'clause'; segments: Segment[] };

/** A parsed template: one list of segments per sentence. */
export interface SentenceTemplate {
  sentences: Segment[][];
  /** Every KPI id the template reads. */
  kpiIds: string[];
}

/** A template that does not parse, with every problem found (line numbers from 1). */
export class TemplateError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid template: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

const PARTS = new Set(['numerator', 'denominator', 'target']);

/** Resolves `online.yoyMultiple.denominator` to the longest known KPI id and the part after it. */
function resolveName(name: string): { id: string; part: Part } | null {
  if (KPI_BY_ID.has(name)) return { id: name, part: 'value' };
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  if (!KPI_BY_ID.has(id) || !/^[A-Za-z_]\w*$/.test(rest)) return null;
  return { id, part: PARTS.has(rest) ? (rest as Part) : { breakdown: rest } };
}

function parsePlaceholder(body: string, where: string, problems: string[]): Segment | null {
  const [name = '', rule, ...extra] = body.split('|').map((s) => s.trim());
  if (extra.length > 0) return (problems.push(`${where}: {${body}} has more than one rule`), null);
  if (name === 'period' || name === 'prevPeriod') {
    if (rule !== undefined) problems.push(`${where}: {${name}} takes no rule`);
    return { kind: name };
  }
  const resolved = resolveName(name);
  if (!resolved) return (problems.push(`${where}: {${body}}: unknown KPI id or part "${name}" (see KPIS.md)`), null);
  const def = KPI_BY_ID.get(resolved.id)!;
  if (rule !== undefined && !isWritingRule(rule)) {
    return (problems.push(`${where}: {${body}}: unknown rule "${rule}" (one of ${WRITING_RULES.join(', ')})`), null);
  }
  const chosen = rule ?? (resolved.part === 'value' ? defaultRule(def.kind) : 'int');
  if (!chosen) return (problems.push(`${where}: {${body}}: a ${def.kind} needs a rule, e.g. {${name}|floor} or {${name}|approx}`), null);
  return { kind: 'kpi', id: resolved.id, part: resolved.part, rule: chosen };
}

/** Parses one line into segments; `[` opens a clause (not nested), `]` closes it. */
function parseLine(line: string, lineNo: number, problems: string[]): Segment[] {
  const top: Segment[] = [];
  let clause: Segment[] | null = null;
  let text = '';
  const flush = () => {
    if (text) (clause ?? top).push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const where = `line ${lineNo}, column ${i + 1}`;
    if (c === '{') {
      const end = line.indexOf('}', i);
      if (end < 0) {
        problems.push(`${where}: "{" is not closed`);
        return top;
      }
      flush();
      const placeholder = parsePlaceholder(line.slice(i + 1, end), `line ${lineNo}`, problems);
      if (placeholder) (clause ?? top).push(placeholder);
      i = end;
    } else if (c === '}') {
      problems.push(`${where}: "}" without "{"`);
    } else if (c === '[') {
      if (clause) problems.push(`${where}: clauses do not nest`);
      flush();
      clause = [];
    } else if (c === ']') {
      if (!clause) {
        problems.push(`${where}: "]" without "["`);
        continue;
      }
      flush();
      top.push({ kind: 'clause', segments: clause });
      clause = null;
    } else text += c;
  }
  if (clause) problems.push(`line ${lineNo}: "[" is not closed`);
  flush();
  return top;
}

/** Parses and validates a sentence template; throws TemplateError listing every problem. */
export function parseSentenceTemplate(source: string): SentenceTemplate {
  const problems: string[] = [];
  const sentences: Segment[][] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    sentences.push(parseLine(line, index + 1, problems));
  });
  if (sentences.length === 0) problems.push('the template has no sentence');
  if (problems.length > 0) throw new TemplateError(problems);
  const ids = new Set<string>();
  const collect = (segments: Segment[]) => {
    for (const s of segments) {
      if (s.kind === 'kpi') ids.add(s.id);
      else if (s.kind === 'clause') collect(s.segments);
    }
  };
  sentences.forEach(collect);
  return { sentences, kpiIds: [...ids] };
}

/** The figure a placeholder writes: the served value, or one of its parts as a plain count. */
function figureOf(p: Placeholder, kpis: Record<string, KpiValue>): KpiValue {
  const served = kpis[p.id];
  if (!served) return { value: null };
  if (p.part === 'value') return served;
  if (typeof p.part === 'object') return { value: served.breakdown?.[p.part.breakdown] ?? null };
  return { value: served[p.part] ?? null };
}

/** Text of the segments, or null when a placeholder in them cannot be written. */
function renderSegments(segments: Segment[], kpis: Record<string, KpiValue>, period: Period): string | null {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'text') out += s.text;
    else if (s.kind === 'period') out += periodLabel(period);
    else if (s.kind === 'prevPeriod') out += previousPeriodLabel(period);
    else if (s.kind === 'clause') out += renderSegments(s.segments, kpis, period) ?? '';
    else if (s.kind === 'kpi') {
      const written = applyRule(s.rule, figureOf(s, kpis));
      if (written === null) return null;
      out += written;
    }
  }
  return out;
}

/** The sentences of the template for the served figures of `period`; sentences that cannot be written are left out. */
export function renderSentences(template: SentenceTemplate, kpis: Record<string, KpiValue>, period: Period): string[] {
  return template.sentences.map((s) => renderSegments(s, kpis, period)).filter((s): s is string => s !== null && s.trim() !== '');
}
