import { LOCALES, useLocale, type Locale } from '../i18n/locale';
import { SelectField } from './fields';

const NAMES: Record<Locale, string> = { 'en-US': 'English (US)', 'pl-PL': 'Polski' };

export function LanguageSwitch() {
  const { t, locale, setLocale } = useLocale();
  return (
    <div class="language-switch">
      <SelectField
        label={t('language')}
        value={locale}
        choices={LOCALES.map((value) => ({ value, label: NAMES[value] }))}
        onChange={(value) => setLocale(value as Locale)}
      />
    </div>
  );
}
