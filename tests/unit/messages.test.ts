import { describe, expect, it } from 'vitest';
import {
  MESSAGES,
  msg,
  negotiateLanguage,
  placeholders,
  renderDeep,
  renderMessage,
  type MessageCode,
} from '../../shared/messages/index.ts';
import { exportTitle } from '../../core/export/export-model.ts';

const CJK = /[\u3400-\u9fff]/;

describe('the message catalogue', () => {
  const entries = Object.entries(MESSAGES) as [MessageCode, { 'zh-CN': string; en: string }][];

  it('has every code in Chinese and English, with the same placeholders in both', () => {
    expect(entries.length).toBeGreaterThan(100);
    for (const [code, entry] of entries) {
      expect(code, code).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(entry['zh-CN'].trim(), code).not.toBe('');
      expect(entry.en.trim(), code).not.toBe('');
      expect(placeholders(entry['zh-CN']), code).toEqual(placeholders(entry.en));
    }
  });

  it('says every Chinese sentence in Chinese (a bare word or a placeholder-only template aside)', () => {
    const exceptions = new Set(['kind.null', 'input.issue']);
    const notChinese = entries.filter(([code, e]) => !exceptions.has(code) && !CJK.test(e['zh-CN'])).map(([code]) => code);
    expect(notChinese).toEqual([]);
  });

  it('renders a field’s message with its English name and 中文列名, Chinese name first in Chinese', () => {
    const m = msg('record.too_long', { field: 'street', label: '所属街道', max: 64 });
    expect(renderMessage(m, 'zh-CN')).toBe('所属街道（street）：超过 64 个字符');
    expect(renderMessage(m, 'en')).toBe('street (所属街道): is longer than 64 characters');
    expect(renderMessage(msg('record.required', { field: 'x' }), 'zh-CN')).toBe('x：必填');
  });

  it('renders a message given as a param in the same language, and an unknown code as itself', () => {
    const m = msg('record.expected_text', { kind: msg('kind.list') });
    expect(renderMessage(m, 'zh-CN')).toBe('应为文本，实际为列表');
    expect(renderMessage(m, 'en')).toBe('expected text, got a list');
    expect(renderMessage({ code: 'from.a_newer_version' as MessageCode }, 'en')).toBe('from.a_newer_version');
  });

  it('renders every message inside details, leaving everything else as it is', () => {
    const details = { rejected: [{ index: 3, errors: [msg('record.empty', { field: 'region', label: '地区' })] }], count: 1 };
    expect(renderDeep(details, 'zh-CN')).toEqual({ rejected: [{ index: 3, errors: ['地区（region）：为空'] }], count: 1 });
  });
});

describe('Accept-Language', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en;q=0.5, zh;q=0.8', 'zh-CN'],
    ['zh;q=0.1, en', 'en'],
    ['fr, en;q=0.3', 'en'],
    ['fr', 'zh-CN'],
    ['*', 'zh-CN'],
    ['en;q=0', 'zh-CN'],
    ['EN-gb', 'en'],
    ['zh-Hant-TW', 'zh-CN'],
    ['en;q=abc, zh', 'zh-CN'],
  ])('%j → %s', (header, lang) => {
    expect(negotiateLanguage(header)).toBe(lang);
  });
});

describe('the bureau’s name in the export', () => {
  it('goes into the title as the seed report writes it, and is absent when not set', () => {
    const year = { from: '2022-01-01', to: '2022-12-31' };
    expect(exportTitle(year, '长沙市芙蓉区行政审批服务局')).toBe('2022年长沙市芙蓉区行政审批服务局部门整体支出绩效评价报告数据');
    expect(exportTitle(year)).toBe('2022年部门整体支出绩效评价报告数据');
  });
});
