// A benefit's expanded row: its dates and state, then the actions of its category (the seed's
// sections). Controls the caller's roles may not use are not offered; a refusal of the server
// shows next to the control that caused it.
import { useState } from 'preact/hooks';
import { apiPath, send } from '../api/client';
import { refreshView } from '../api/live';
import type { Benefit, Catalog, SupportRequestOpened, SupportType, ProductFamily } from '../api/types';
import { ActionButton, Refusal, useAction } from '../components/action';
import { CopyButton, DateTime } from '../components/display';
import { Form, SelectField, TextField } from '../components/fields';
import { TableHead } from '../components/table-head';
import { PAGE_LIMIT, useCatalog, useClock, useUsers, userName } from '../data';
import { useLocale } from '../i18n/locale';
import { navigate } from '../routes';
import { useSession } from '../session-context';

/** Reads the partner's benefits again (the row shows the command's effect at once). */
function useRefreshBenefits(): () => void {
  const { partnerId } = useSession();
  return () => partnerId && refreshView(apiPath(['partners', partnerId, 'benefits'], { limit: PAGE_LIMIT }));
}

/** The benefit's command: POST /v1/benefits/{id}/{what}, then the list is read again. */
function useBenefitCommand(benefit: Benefit) {
  const refresh = useRefreshBenefits();
  return async <T,>(what: string[], body: unknown = {}): Promise<T> => {
    const answer = await send<T>('POST', apiPath(['benefits', benefit.benefitId, ...what]), body);
    refresh();
    return answer;
  };
}

export function BenefitDetails({ benefit, readOnly }: { benefit: Benefit; readOnly: boolean }) {
  const { t } = useLocale();
  return (
    <div class="details">
      <dl class="facts">
        <dt>{t('purchasedAt')}</dt>
        <dd>
          <DateTime iso={benefit.purchasedAt} />
        </dd>
        {benefit.activatedAt ? (
          <>
            <dt>{t('activatedAt')}</dt>
            <dd>
              <DateTime iso={benefit.activatedAt} />
            </dd>
          </>
        ) : null}
        <dt>{t('expires')}</dt>
        <dd>
          <DateTime iso={benefit.expiresAt} />
        </dd>
      </dl>
      {benefit.lastError ? <p class="warning">{t('lastError', { reason: benefit.lastError })}</p> : null}
      {(benefit.status === 'activation-requested' || benefit.status === 'pending') && <Pending benefit={benefit} />}
      <CategoryActions benefit={benefit} readOnly={readOnly} />
    </div>
  );
}

function CategoryActions({ benefit, readOnly }: { benefit: Benefit; readOnly: boolean }) {
  switch (benefit.category) {
    case 'software':
      return <Keys benefit={benefit} readOnly={readOnly} askLanguageAndOs />;
    case 'cloud':
      return benefit.kind === 'usage-based' ? (
        <AssignYourself benefit={benefit} readOnly={readOnly} />
      ) : (
        <Keys benefit={benefit} readOnly={readOnly} askLanguageAndOs={false} />
      );
    case 'visual-studio':
      return <Seats benefit={benefit} readOnly={readOnly} />;
    case 'technical':
      return <Technical benefit={benefit} readOnly={readOnly} />;
    case 'go-to-market':
      return <Activate benefit={benefit} readOnly={readOnly} capability="marketing" />;
  }
}

/** While fulfilment works: when it is expected and how many days it has been pending. */
function Pending({ benefit }: { benefit: Benefit }) {
  const { t } = useLocale();
  const clock = useClock();
  const since = benefit.pendingSince ?? benefit.activationRequestedAt;
  const days =
    clock.data && since ? Math.max(0, Math.floor((Date.parse(clock.data.now) - Date.parse(since)) / 86_400_000)) : null;
  return (
    <dl class="facts">
      <dt>{t('expectedBy')}</dt>
      <dd>
        <DateTime iso={benefit.expectedBy} />
      </dd>
      {days !== null ? (
        <>
          <dt>{t('daysPending')}</dt>
          <dd>{days}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** Activate: technical benefits and Go-To-Market offers (fulfilment takes days). */
function Activate(props: { benefit: Benefit; readOnly: boolean; capability: 'activate' | 'marketing' }) {
  const { t } = useLocale();
  const { can } = useSession();
  const command = useBenefitCommand(props.benefit);
  if (props.readOnly || !can(props.capability) || props.benefit.status !== 'purchased') return null;
  return <ActionButton label={t('activate')} onRun={() => command(['activate'])} />;
}

function catalogProduct(catalog: Catalog | undefined, benefit: Benefit) {
  for (const pkg of catalog?.packages ?? [])
    for (const entry of pkg.benefits)
      if (entry.category === benefit.category && entry.product === benefit.product) return entry;
  return undefined;
}

/** Get keys: software by language and OS (R-SW-1/2); license-based cloud without (R-CL-2). */
function Keys(props: { benefit: Benefit; readOnly: boolean; askLanguageAndOs: boolean }) {
  const { t } = useLocale();
  const { can } = useSession();
  const catalog = useCatalog();
  const command = useBenefitCommand(props.benefit);
  const product = catalogProduct(catalog.data, props.benefit);
  const [language, setLanguage] = useState('');
  const [os, setOs] = useState('');
  const action = useAction();
  if (!can('see-keys')) return <p class="notice">{t('keysHidden')}</p>;
  const keys = props.benefit.keys ?? [];
  const active = props.benefit.status === 'active';
  const offered = !props.readOnly && (props.benefit.status === 'purchased' || (active && props.askLanguageAndOs));
  const languages = product?.languages ?? [];
  const osTypes = product?.osTypes ?? [];
  const chosenLanguage = language || languages[0] || '';
  const chosenOs = os || osTypes[0] || '';
  const getKeys = () =>
    action.run(() => {
      const body = props.askLanguageAndOs ? { language: chosenLanguage, os: chosenOs } : {};
      return command(active ? ['keys'] : ['activate'], body);
    });
  return (
    <div class="keys">
      {keys.length ? (
        <table class="key-list">
          <caption>{t('productKey')}</caption>
          <TableHead
            columns={[
              props.askLanguageAndOs && { label: t('keyLanguage') },
              props.askLanguageAndOs && { label: t('keyOs') },
              { label: t('productKey') },
              { label: t('maxActivations') },
              { label: t('copy'), hidden: true },
            ]}
          />
          <tbody>
            {keys.map((key) => (
              <tr key={key.key}>
                {props.askLanguageAndOs ? (
                  <>
                    <td>{key.language}</td>
                    <td>{key.os}</td>
                  </>
                ) : null}
                <td>
                  <code class="product-key">{key.key}</code>
                </td>
                <td class="number">{key.maxActivations}</td>
                <td>
                  <CopyButton text={key.key} label={t('productKey')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {offered ? (
        <Form label={t('getKeys')} class="inline-form" onSubmit={() => void getKeys()}>
          {props.askLanguageAndOs ? (
            <>
              <SelectField
                label={t('keyLanguage')}
                value={chosenLanguage}
                choices={languages.map((value) => ({ value, label: value }))}
                onChange={setLanguage}
              />
              <SelectField
                label={t('keyOs')}
                value={chosenOs}
                choices={osTypes.map((value) => ({ value, label: value }))}
                onChange={setOs}
              />
            </>
          ) : null}
          <button type="submit" class="primary" disabled={action.busy}>
            {t('getKeys')}
          </button>
          <Refusal error={action.error} />
        </Form>
      ) : null}
    </div>
  );
}

/** Usage-based cloud (Azure): the caller becomes the subscription's user (R-CL-1). */
function AssignYourself({ benefit, readOnly }: { benefit: Benefit; readOnly: boolean }) {
  const { t } = useLocale();
  const { can, partnerId } = useSession();
  const users = useUsers(partnerId);
  const command = useBenefitCommand(benefit);
  return (
    <div>
      {benefit.assignedUserId ? (
        <p>
          {t('assignedTo')}: <strong>{userName(users.data, benefit.assignedUserId)}</strong>. {t('manageInAzure')}
        </p>
      ) : null}
      {!readOnly && can('activate') && benefit.status === 'purchased' ? (
        <ActionButton label={t('assignYourself')} onRun={() => command(['activate'])} />
      ) : null}
    </div>
  );
}

/** Visual Studio: seats, Assign user, reassignment after 90 days (R-VS). */
function Seats({ benefit, readOnly }: { benefit: Benefit; readOnly: boolean }) {
  const { t } = useLocale();
  const { can, partnerId } = useSession();
  const users = useUsers(partnerId);
  const command = useBenefitCommand(benefit);
  const seats = benefit.seats ?? [];
  const total = benefit.seatsTotal ?? benefit.quantity;
  const mayAssign = !readOnly && can('assign-seats') && (benefit.status === 'purchased' || benefit.status === 'active');
  const userChoices = (users.data ?? []).map((user) => ({ value: user.userId, label: `${user.displayName} <${user.email}>` }));
  const holders = new Set(seats.map((seat) => seat.userId));
  return (
    <div class="seats">
      <p>{t('seatsFree', { free: total - seats.length, total })}</p>
      {seats.length ? (
        <table>
          <caption>{t('seats')}</caption>
          <TableHead
            columns={[
              { label: t('seatUser') },
              { label: t('assignedOn') },
              { label: t('reassignableOn') },
              mayAssign && { label: t('reassign') },
            ]}
          />
          <tbody>
            {seats.map((seat) => (
              <tr key={seat.seatId}>
                <th scope="row">{userName(users.data, seat.userId)}</th>
                <td>
                  <DateTime iso={seat.assignedAt} dateOnly />
                </td>
                <td>
                  <DateTime iso={seat.reassignableAt} dateOnly />
                </td>
                {mayAssign ? (
                  <td>
                    <UserPickerForm
                      label={t('reassignTo')}
                      button={t('reassign')}
                      choices={userChoices.filter((choice) => !holders.has(choice.value))}
                      onSubmit={(userId) => command(['seats', seat.seatId, 'reassign'], { userId })}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {mayAssign && seats.length < total ? (
        <UserPickerForm
          label={t('chooseUser')}
          button={t('assignUser')}
          choices={userChoices.filter((choice) => !holders.has(choice.value))}
          onSubmit={(userId) =>
            benefit.status === 'purchased' ? command(['activate'], { userId }) : command(['seats'], { userId })
          }
        />
      ) : null}
      {mayAssign ? <UserMissingHint /> : null}
    </div>
  );
}

/** The seed: if the user is not in the list, add new users in Account settings first. */
export function UserMissingHint() {
  const { t } = useLocale();
  return (
    <p class="hint">
      {t('userMissing')}{' '}
      <a
        href="/users"
        onClick={(event) => {
          event.preventDefault();
          navigate('/users');
        }}
      >
        {t('navUsers')}
      </a>
      .
    </p>
  );
}

function UserPickerForm(props: {
  label: string;
  button: string;
  choices: readonly { value: string; label: string }[];
  onSubmit: (userId: string) => Promise<unknown>;
}) {
  const [userId, setUserId] = useState('');
  const action = useAction();
  const chosen = props.choices.some((choice) => choice.value === userId) ? userId : (props.choices[0]?.value ?? '');
  return (
    <Form label={props.button} class="inline-form" onSubmit={() => void action.run(() => props.onSubmit(chosen))}>
      <SelectField label={props.label} value={chosen} choices={props.choices} onChange={setUserId} />
      <button type="submit" class="primary" disabled={action.busy || !chosen}>
        {props.button}
      </button>
      <Refusal error={action.error} />
    </Form>
  );
}

const FAMILIES: readonly ProductFamily[] = ['on-premises', 'azure', 'dynamics', 'cloud', 'hybrid', 'other'];
/** R-TECH-4: these product families need the Access ID and Contract ID. */
const NEEDS_IDS: readonly ProductFamily[] = ['on-premises', 'azure', 'dynamics'];

/** Technical: Activate; then Access ID, Contract ID, balances and support requests (R-TECH). */
function Technical({ benefit, readOnly }: { benefit: Benefit; readOnly: boolean }) {
  const { t } = useLocale();
  const { can } = useSession();
  if (benefit.status !== 'active') return <Activate benefit={benefit} readOnly={readOnly} capability="activate" />;
  const balances = benefit.balances;
  return (
    <div class="technical">
      <dl class="facts">
        <dt>{t('accessId')}</dt>
        <dd>
          <code>{benefit.accessId ?? '–'}</code>
        </dd>
        <dt>{t('contractId')}</dt>
        <dd>
          <code>{benefit.contractId ?? '–'}</code>
        </dd>
      </dl>
      {balances ? (
        <dl class="facts balances" aria-label={t('balances')}>
          <dt>{t('productSupportIncidents')}</dt>
          <dd>{balances.productSupportIncidents}</dd>
          <dt>{t('signatureCloudIncidents')}</dt>
          <dd>{balances.signatureCloudIncidents}</dd>
          <dt>{t('advisoryHours')}</dt>
          <dd>{balances.advisoryHours}</dd>
        </dl>
      ) : null}
      {!readOnly && can('activate') ? <SupportRequestForm benefit={benefit} /> : null}
    </div>
  );
}

function SupportRequestForm({ benefit }: { benefit: Benefit }) {
  const { t } = useLocale();
  const catalog = useCatalog();
  const command = useBenefitCommand(benefit);
  const action = useAction();
  const types = catalogProduct(catalog.data, benefit)?.supportTypes ?? [
    'signature-cloud',
    'product-support',
    'presales-deployment',
  ];
  const [type, setType] = useState<SupportType | ''>('');
  const [family, setFamily] = useState<ProductFamily>('on-premises');
  const [summary, setSummary] = useState('');
  const [hours, setHours] = useState('1');
  const [accessId, setAccessId] = useState(benefit.accessId ?? '');
  const [contractId, setContractId] = useState(benefit.contractId ?? '');
  const [opened, setOpened] = useState<string | null>(null);
  const chosenType: SupportType = type || types[0]!;
  const needsIds = NEEDS_IDS.includes(family);
  const submit = async () => {
    setOpened(null);
    const result = await action.run(() =>
      command<SupportRequestOpened>(['support-requests'], {
        type: chosenType,
        productFamily: family,
        summary,
        ...(chosenType === 'presales-deployment' ? { hours: Number(hours) } : {}),
        ...(needsIds ? { accessId, contractId } : {}),
      }),
    );
    if (result) {
      setOpened(result.supportRequestId);
      setSummary('');
    }
  };
  return (
    <Form label={t('supportRequest')} onSubmit={() => void submit()}>
      <h4>{t('supportRequest')}</h4>
      <SelectField
        label={t('supportType')}
        value={chosenType}
        choices={types.map((value) => ({ value, label: t(`support.${value}`) }))}
        onChange={(value) => setType(value as SupportType)}
      />
      <SelectField
        label={t('productFamily')}
        value={family}
        choices={FAMILIES.map((value) => ({ value, label: t(`family.${value}`) }))}
        onChange={(value) => setFamily(value as ProductFamily)}
      />
      <TextField label={t('summary')} value={summary} onInput={setSummary} required />
      {chosenType === 'presales-deployment' ? (
        <TextField label={t('hours')} type="number" min={1} max={25} value={hours} onInput={setHours} required />
      ) : null}
      {needsIds ? (
        <>
          <p class="hint">{t('idsRequired')}</p>
          <TextField label={t('accessId')} value={accessId} onInput={setAccessId} required />
          <TextField label={t('contractId')} value={contractId} onInput={setContractId} required />
        </>
      ) : null}
      <button type="submit" class="primary" disabled={action.busy}>
        {t('openRequest')}
      </button>
      <Refusal error={action.error} />
      {opened ? (
        <p role="status" class="success">
          {t('requestOpened', { id: opened })}
        </p>
      ) : null}
    </Form>
  );
}
