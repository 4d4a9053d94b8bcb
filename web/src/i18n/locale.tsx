// The viewer's language (en-US or pl-PL, remembered in localStorage: it is no secret) and the
// formatting of dates and times: in the viewer's zone, per locale, with the UTC time on hover.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useMemo, useState } from 'preact/hooks';
import { en, type MessageKey } from './en';
import { pl } from './pl';

export const LOCALES = ['en-US', 'pl-PL'] as const;
export type Locale = (typeof LOCALES)[number];
const LOCALE_KEY = 'benefitd.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'en-US': en, 'pl-PL': pl };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface LocaleTools {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** "5 Jan 2026" / "5 sty 2026" */
  date: (iso: string) => string;
  /** Date and time in the viewer's zone. */
  dateTime: (iso: string) => string;
}

export function interpolate(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function initialLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  if (stored === 'en-US' || stored === 'pl-PL') return stored;
  return navigator.language.toLowerCase().startsWith('pl') ? 'pl-PL' : 'en-US';
}

export function makeTools(locale: Locale, setLocale: (locale: Locale) => void): LocaleTools {
  const dictionary = dictionaries[locale];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    setLocale,
    t: (key, values) => interpolate(dictionary[key], values),
    date: (iso) => dateFormat.format(new Date(iso)),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
  };
}

const LocaleContext = createContext<LocaleTools>(makeTools('en-US', () => {}));

export function LocaleProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const tools = useMemo(
    () =>
      makeTools(locale, (next) => {
        localStorage.setItem(LOCALE_KEY, next);
        document.documentElement.lang = next;
        setLocaleState(next);
      }),
    [locale],
  );
  document.documentElement.lang = locale;
  return <LocaleContext.Provider value={tools}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleTools {
  return useContext(LocaleContext);
}

/** A package type's name: the catalog is data, so a type the page does not know shows as is. */
export function packageLabel(t: Translate, type: string): string {
  const key = `package.${type}`;
  return key in en ? t(key as MessageKey) : type;
}
