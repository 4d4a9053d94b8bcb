// The frame of every screen: who is signed in, the language, navigation, the PMC banner, and
// the screen the path names.
import type { ComponentChildren } from 'preact';
import { LanguageSwitch } from './components/language-switch';
import { useLocale } from './i18n/locale';
import { navigate, routePath, useRoute, type Screen } from './routes';
import { BenefitsScreen } from './screens/benefits';
import { HistoryScreen } from './screens/history';
import { OperatorScreen } from './screens/operator';
import { PackagesScreen } from './screens/packages';
import { UsersScreen } from './screens/users';
import { usePartner, useUsers } from './data';
import { useSession } from './session-context';
import type { Capability } from './permissions';
import type { MessageKey } from './i18n/en';

const NAV: readonly { screen: Screen; label: MessageKey; needs: Capability }[] = [
  { screen: 'benefits', label: 'navBenefits', needs: 'view' },
  { screen: 'packages', label: 'navPackages', needs: 'view' },
  { screen: 'users', label: 'navUsers', needs: 'view' },
  { screen: 'history', label: 'navHistory', needs: 'audit' },
  { screen: 'operator', label: 'navOperator', needs: 'operate' },
];

function WhoIsSignedIn() {
  const { t } = useLocale();
  const { identity, partnerId, can } = useSession();
  const partner = usePartner(can('view') ? partnerId : null);
  const users = useUsers(identity.kind === 'user' && can('view') ? partnerId : null);
  const me = identity.kind === 'user' ? users.data?.find((user) => user.userId === identity.userId) : undefined;
  const roles = identity.kind === 'user' ? identity.roles ?? [] : [];
  return (
    <p class="who" aria-label={t('signedInAs')}>
      <span>{t('signedInAs')}: </span>
      <strong>{identity.kind === 'operator' ? t('operator') : (me?.displayName ?? identity.userId)}</strong>
      {roles.length ? <span class="roles"> ({roles.map((role) => t(`role.${role}`)).join(', ')})</span> : null}
      {partner.data ? (
        <span class="partner">
          {' '}
          · {t('partner')}: <strong>{partner.data.name}</strong>
        </span>
      ) : null}
    </p>
  );
}

function PmcBanner() {
  const { t } = useLocale();
  const { partnerId, can } = useSession();
  const partner = usePartner(can('view') ? partnerId : null);
  if (partner.data?.membershipLocation !== 'pmc') return null;
  return (
    <div class="banner" role="note">
      {t('pmcBanner')}
    </div>
  );
}

function Nav({ current }: { current: Screen }) {
  const { t } = useLocale();
  const { can } = useSession();
  return (
    <nav aria-label={t('nav')}>
      <ul>
        {NAV.filter((item) => can(item.needs)).map((item) => {
          const path = routePath({ screen: item.screen });
          return (
            <li key={item.screen}>
              <a
                href={path}
                aria-current={item.screen === current ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(path);
                }}
              >
                {t(item.label)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function NeedsPartner({ children }: { children: ComponentChildren }) {
  const { t } = useLocale();
  const { partnerId } = useSession();
  if (!partnerId) return <p class="notice">{t('choosePartner')}</p>;
  return <>{children}</>;
}

export function Shell() {
  const { t } = useLocale();
  const { identity, signOut, can } = useSession();
  const route = useRoute();
  const screen: Screen = identity.kind === 'operator' || route.screen !== 'operator' ? route.screen : 'benefits';
  return (
    <div class="shell">
      <header class="top">
        <h1 class="app-name">{t('appName')}</h1>
        <WhoIsSignedIn />
        <LanguageSwitch />
        <button type="button" class="secondary" onClick={signOut}>
          {t('signOut')}
        </button>
      </header>
      <Nav current={screen} />
      <main id="main">
        {can('view') ? <PmcBanner /> : <p class="notice">{t('noRole')}</p>}
        {screen === 'operator' ? (
          <OperatorScreen />
        ) : can('view') ? (
          <NeedsPartner>
            {screen === 'benefits' ? <BenefitsScreen category={route.category} /> : null}
            {screen === 'packages' ? <PackagesScreen /> : null}
            {screen === 'users' ? <UsersScreen /> : null}
            {screen === 'history' ? <HistoryScreen /> : null}
          </NeedsPartner>
        ) : null}
      </main>
    </div>
  );
}
