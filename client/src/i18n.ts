import { createI18n } from 'vue-i18n';
import { consoleEn, consoleZhCN } from './views/console/locale.ts';
import { wallEn, wallZhCN } from './views/wall/locale.ts';

/** The UI languages: Chinese first, English for visitors. */
export const APP_LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

const LOCALE_STORAGE_KEY = 'pulse.locale';

const zhCN = {
  title: '政务服务效能监测',
  titleWithBureau: '{bureau}政务服务效能监测',
  freshness: '数据更新于 {time}',
  awaitingData: '等待数据…',
  stale: '连接中断/数据已过期',
  lastData: '最后数据 {time}',
  connection: { connecting: '连接中', live: '实时', stale: '已中断' },
  hourlyTitle: '今日分时工单',
  chartError: '分时数据加载失败',
  localeToggle: 'English',
  login: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '登录中…',
    failed: '登录失败：{message}',
  },
  wall: wallZhCN,
  console: consoleZhCN,
};

type MessageSchema = typeof zhCN;

const en: MessageSchema = {
  title: 'Government Services Performance',
  titleWithBureau: '{bureau} · Government Services Performance',
  freshness: 'Updated {time}',
  awaitingData: 'Waiting for data…',
  stale: 'Connection lost / data out of date',
  lastData: 'Last data {time}',
  connection: { connecting: 'Connecting', live: 'Live', stale: 'Lost' },
  hourlyTitle: 'Tickets by hour today',
  chartError: 'Could not load the hourly figures',
  localeToggle: '中文',
  login: {
    title: 'Sign in',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    failed: 'Sign-in failed: {message}',
  },
  wall: wallEn,
  console: consoleEn,
};

function isAppLocale(value: unknown): value is AppLocale {
  return (APP_LOCALES as readonly unknown[]).includes(value);
}

function storedLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isAppLocale(saved) ? saved : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

/** The current UI locale (reactive). */
export function currentLocale(): AppLocale {
  const locale = i18n.global.locale.value;
  return isAppLocale(locale) ? locale : 'zh-CN';
}

/** Switches the UI language and remembers the choice in localStorage. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Storage may be unavailable (private mode, kiosk policy); the choice then lasts for this page only.
  }
}

/** Flips between Chinese and English. */
export function toggleLocale(): void {
  setLocale(currentLocale() === 'zh-CN' ? 'en' : 'zh-CN');
}

document.documentElement.lang = currentLocale();
