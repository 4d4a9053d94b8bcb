// The Go-To-Market page's marketing contact (R-PART-3, R-GTM-1): shown at the top with Add
// (none yet), Update (the same user's details) or Change (another user); the form picks a user,
// an email that differs from the company account's, a phone and a preferred language, and
// ends with Assign user, as the seed says.
import { useState } from 'preact/hooks';
import { apiPath, send } from '../api/client';
import type { Partner } from '../api/types';
import { Refusal, useAction } from '../components/action';
import { Form, SelectField, TextField } from '../components/fields';
import { usePartner, useUsers, userName } from '../data';
import { useLocale } from '../i18n/locale';
import { useSession } from '../session-context';
import { UserMissingHint } from './benefit-details';

const LANGUAGES = ['en-US', 'pl-PL', 'de-DE', 'fr-FR', 'ja-JP'];

type Mode = 'add' | 'update' | 'change';

export function MarketingContactCard({ readOnly }: { readOnly: boolean }) {
  const { t } = useLocale();
  const { partnerId, can } = useSession();
  const partner = usePartner(partnerId);
  const users = useUsers(partnerId);
  const [mode, setMode] = useState<Mode | null>(null);
  const contact = partner.data?.marketingContact ?? null;
  const mayEdit = !readOnly && can('marketing');
  return (
    <section class="card" aria-labelledby="marketing-contact-heading">
      <h3 id="marketing-contact-heading">{t('marketingContact')}</h3>
      {contact ? (
        <dl class="facts">
          <dt>{t('seatUser')}</dt>
          <dd>{userName(users.data, contact.userId)}</dd>
          <dt>{t('email')}</dt>
          <dd>{contact.email}</dd>
          <dt>{t('phone')}</dt>
          <dd>{contact.phone}</dd>
          <dt>{t('preferredLanguage')}</dt>
          <dd>{contact.preferredLanguage}</dd>
        </dl>
      ) : (
        <p>{t('noMarketingContact')}</p>
      )}
      {mayEdit && mode === null ? (
        <div class="buttons">
          {contact ? (
            <>
              <button type="button" class="primary" onClick={() => setMode('update')}>
                {t('update')}
              </button>
              <button type="button" class="secondary" onClick={() => setMode('change')}>
                {t('change')}
              </button>
            </>
          ) : (
            <button type="button" class="primary" onClick={() => setMode('add')}>
              {t('add')}
            </button>
          )}
        </div>
      ) : null}
      {mayEdit && mode !== null && partner.data ? (
        <ContactForm partner={partner.data} mode={mode} onDone={() => setMode(null)} />
      ) : null}
    </section>
  );
}

function ContactForm({ partner, mode, onDone }: { partner: Partner; mode: Mode; onDone: () => void }) {
  const { t } = useLocale();
  const users = useUsers(partner.partnerId);
  const partnerView = usePartner(partner.partnerId);
  const action = useAction();
  const current = mode === 'update' ? partner.marketingContact : null;
  const [userId, setUserId] = useState(current?.userId ?? '');
  const [email, setEmail] = useState(current?.email ?? '');
  const [phone, setPhone] = useState(current?.phone ?? '');
  const [language, setLanguage] = useState(current?.preferredLanguage ?? 'en-US');
  const choices = (users.data ?? []).map((user) => ({ value: user.userId, label: `${user.displayName} <${user.email}>` }));
  const chosen = userId || choices[0]?.value || '';
  const submit = async () => {
    const done = await action.run(() =>
      send<Partner>('PUT', apiPath(['partners', partner.partnerId, 'marketing-contact']), {
        userId: chosen,
        email,
        phone,
        preferredLanguage: language,
      }),
    );
    if (done) {
      partnerView.refresh();
      onDone();
    }
  };
  return (
    <Form label={t('marketingContact')} onSubmit={() => void submit()}>
      <SelectField label={t('chooseUser')} value={chosen} choices={choices} onChange={setUserId} />
      <UserMissingHint />
      <TextField
        label={t('email')}
        type="email"
        value={email}
        onInput={setEmail}
        required
        hint={t('emailDiffers', { email: partner.accountEmail })}
      />
      <TextField label={t('phone')} type="tel" value={phone} onInput={setPhone} required />
      <SelectField
        label={t('preferredLanguage')}
        value={language}
        choices={LANGUAGES.map((value) => ({ value, label: value }))}
        onChange={setLanguage}
      />
      <div class="buttons">
        <button type="submit" class="primary" disabled={action.busy || !chosen}>
          {t('assignUser')}
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
      <Refusal error={action.error} />
    </Form>
  );
}
