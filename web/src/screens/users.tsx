// Account settings: the partner's users; add a user with roles (the token is shown once, with
// copy) and change roles (R-AUTH-2: only a global admin grants or removes global-admin).
import { useState } from 'preact/hooks';
import { apiPath, send } from '../api/client';
import type { NewUser, Role, User } from '../api/types';
import { Refusal, useAction } from '../components/action';
import { SecretOnce } from '../components/display';
import { CheckboxGroup, Form, TextField } from '../components/fields';
import { TableHead } from '../components/table-head';
import { useUsers } from '../data';
import { useLocale } from '../i18n/locale';
import { useSession } from '../session-context';

const ROLES: readonly Role[] = ['global-admin', 'user-admin', 'admin-agent', 'mpn-partner-admin'];

function useRoleChoices() {
  const { t } = useLocale();
  const { can } = useSession();
  return ROLES.map((role) => ({
    value: role,
    label: t(`role.${role}`),
    disabled: role === 'global-admin' && !can('grant-global-admin'),
  }));
}

export function UsersScreen() {
  const { t } = useLocale();
  const { partnerId, can } = useSession();
  const users = useUsers(partnerId);
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">{t('navUsers')}</h2>
      <Refusal error={users.error ?? null} />
      <table class="users">
        <caption>{t('users')}</caption>
        <TableHead
          columns={[
            { label: t('displayName') },
            { label: t('email') },
            { label: t('roles') },
            can('manage-users') && { label: t('saveRoles') },
          ]}
        />
        <tbody>
          {(users.data ?? []).map((user) => (
            <tr key={user.userId} data-user-id={user.userId}>
              <th scope="row">{user.displayName}</th>
              <td>{user.email}</td>
              <td>{user.roles.length ? user.roles.map((role) => t(`role.${role}`)).join(', ') : t('noRoles')}</td>
              {can('manage-users') ? (
                <td>
                  <RolesForm user={user} onSaved={users.refresh} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {can('manage-users') ? <AddUserForm onAdded={users.refresh} /> : null}
    </section>
  );
}

function RolesForm({ user, onSaved }: { user: User; onSaved: () => void }) {
  const { t } = useLocale();
  const { partnerId } = useSession();
  const choices = useRoleChoices();
  const [roles, setRoles] = useState<string[]>(user.roles);
  const action = useAction();
  return (
    <Form
      label={t('changeRoles', { name: user.displayName })}
      class="inline-form"
      onSubmit={() =>
        void action.run(async () => {
          await send('PUT', apiPath(['partners', partnerId!, 'users', user.userId, 'roles']), { roles });
          onSaved();
        })
      }
    >
      <CheckboxGroup legend={t('changeRoles', { name: user.displayName })} choices={choices} selected={roles} onChange={setRoles} />
      <button type="submit" class="secondary" disabled={action.busy}>
        {t('saveRoles')}
      </button>
      <Refusal error={action.error} />
    </Form>
  );
}

function AddUserForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useLocale();
  const { partnerId } = useSession();
  const choices = useRoleChoices();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [created, setCreated] = useState<NewUser | null>(null);
  const action = useAction();
  const submit = async () => {
    setCreated(null);
    const user = await action.run(() =>
      send<NewUser>('POST', apiPath(['partners', partnerId!, 'users']), { email, displayName, roles }),
    );
    if (user) {
      setCreated(user);
      setEmail('');
      setDisplayName('');
      setRoles([]);
      onAdded();
    }
  };
  return (
    <section aria-labelledby="add-user-heading" class="card">
      <h3 id="add-user-heading">{t('addUser')}</h3>
      <Form label={t('addUser')} onSubmit={() => void submit()}>
        <TextField label={t('email')} type="email" value={email} onInput={setEmail} required />
        <TextField label={t('displayName')} value={displayName} onInput={setDisplayName} required />
        <CheckboxGroup legend={t('roles')} choices={choices} selected={roles} onChange={setRoles} />
        <button type="submit" class="primary" disabled={action.busy}>
          {t('addUser')}
        </button>
        <Refusal error={action.error} />
      </Form>
      {created?.token ? <SecretOnce title={t('newToken', { name: created.displayName })} secret={created.token} /> : null}
    </section>
  );
}
