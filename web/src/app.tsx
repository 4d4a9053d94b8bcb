// The page: sign-in, then the shell (who is signed in, language, navigation) around the screen
// the path names.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, whenUnauthenticated } from './api/client';
import { forgetViews } from './api/live';
import { clearSession, storedToken, storeToken } from './api/session';
import type { Identity } from './api/types';
import { LocaleProvider, useLocale } from './i18n/locale';
import { SessionContext, type SessionState } from './session-context';
import { SignIn } from './screens/sign-in';
import { Shell } from './shell';

const PARTNER_KEY = 'benefitd.partner';

export function App() {
  return (
    <LocaleProvider>
      <SignedIn />
    </LocaleProvider>
  );
}

function SignedIn() {
  const { t } = useLocale();
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [checking, setChecking] = useState(() => storedToken() !== null);
  const [error, setError] = useState<ApiError | null>(null);
  const [partnerId, setPartnerId] = useState<string | null>(() => sessionStorage.getItem(PARTNER_KEY));

  const signOut = () => {
    clearSession();
    forgetViews();
    setIdentity(null);
    setPartnerId(null);
  };
  useEffect(() => whenUnauthenticated(signOut), []);

  const signIn = async (token: string) => {
    setError(null);
    setChecking(true);
    try {
      const me = await get<Identity>('/v1/me', { token });
      storeToken(token);
      setIdentity(me);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, null, String(caught)));
    } finally {
      setChecking(false);
    }
  };

  useEffect(() => {
    const token = storedToken();
    if (token) void signIn(token);
  }, []);

  if (!identity) {
    if (checking) return <p class="loading">{t('loading')}</p>;
    return <SignIn onSignIn={signIn} error={error} />;
  }
  const session: SessionState = {
    identity,
    partnerId: identity.kind === 'user' ? (identity.partnerId ?? null) : partnerId,
    choosePartner: (id) => {
      sessionStorage.setItem(PARTNER_KEY, id);
      setPartnerId(id);
    },
    signOut,
  };
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
