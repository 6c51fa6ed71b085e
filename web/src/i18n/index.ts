/**
 * i18n for both entries (i18next + react-i18next). zh-CN is the default; en is selectable and the
 * choice is remembered in localStorage.
 *
 * How a module adds its words — no shared giant file to edit:
 *   web/src/i18n/zh-CN/<module>.json   e.g. cases.json  {"title": "事件", "menu": {"list": "事件列表"}}
 *   web/src/i18n/en/<module>.json      same keys in English
 * Each file is picked up automatically and nested under its file name, so the keys above are
 * used as t('cases.title') / t('cases.menu.list'). A missing English key falls back to Chinese.
 * zh-CN files are bundled eagerly (they are needed for the first paint); en files load on demand.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Lang = 'zh-CN' | 'en';
export const LANGS: { key: Lang; label: string }[] = [
  { key: 'zh-CN', label: '简体中文' },
  { key: 'en', label: 'English' },
];
const STORAGE_KEY = 'xz.lang';

type Dict = Record<string, unknown>;
const zhFiles = import.meta.glob<Dict>('./zh-CN/*.json', { eager: true, import: 'default' });
const enFiles = import.meta.glob<Dict>('./en/*.json', { import: 'default' });

function nameOf(path: string): string {
  return path.replace(/^.*\//, '').replace(/\.json$/, '');
}
function bundle(files: Record<string, Dict>): Dict {
  const out: Dict = {};
  for (const [p, d] of Object.entries(files)) out[nameOf(p)] = d;
  return out;
}

export function storedLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh-CN') return v;
  } catch {
    /* storage blocked: use the default */
  }
  return 'zh-CN';
}

async function loadEnglish(): Promise<void> {
  if (i18next.hasResourceBundle('en', 'translation')) return;
  const entries = await Promise.all(Object.entries(enFiles).map(async ([p, load]) => [p, await load()] as const));
  i18next.addResourceBundle('en', 'translation', bundle(Object.fromEntries(entries)), true, true);
}

let ready: Promise<void> | null = null;
/** Call once before rendering; resolves when the stored language's words are loaded. */
export function initI18n(): Promise<void> {
  if (ready) return ready;
  const lang = storedLang();
  ready = (async () => {
    await i18next.use(initReactI18next).init({
      resources: { 'zh-CN': { translation: bundle(zhFiles) } },
      lng: 'zh-CN',
      fallbackLng: 'zh-CN',
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
    });
    if (lang === 'en') await setLanguage('en');
  })();
  return ready;
}

/** Switch language, remember it, and keep <html lang> right for screen readers. */
export async function setLanguage(lang: Lang): Promise<void> {
  if (lang === 'en') await loadEnglish();
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
}

export { i18next };
