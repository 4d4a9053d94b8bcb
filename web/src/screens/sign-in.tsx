import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { Refusal } from '../components/action';
import { Form, TextField } from '../components/fields';
import { LanguageSwitch } from '../components/language-switch';
import { useLocale } from '../i18n/locale';

export function SignIn({ onSignIn, error }: { onSignIn: (token: string) => void; error: ApiError | null }) {
  const { t } = useLocale();
  const [token, setToken] = useState('');
  return (
    <main class="sign-in" id="main">
      <header class="sign-in-header">
        <h1>{t('appName')}</h1>
        <LanguageSwitch />
      </header>
      <Form label={t('signIn')} onSubmit={() => token.trim() && onSignIn(token.trim())}>
        <TextField
          label={t('token')}
          type="password"
          value={token}
          onInput={setToken}
          required
          hint={t('tokenHelp')}
          autoComplete="current-password"
        />
        <button type="submit" class="primary">
          {t('signIn')}
        </button>
        <Refusal error={error} />
      </Form>
    </main>
  );
}
