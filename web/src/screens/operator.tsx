// The operator console: partners (register, open, migrate from PMC), the fulfilment queue
// (accept, complete, reject), the simulated clock (advance) and log verification.
import { useState } from 'preact/hooks';
import { apiPath, send } from '../api/client';
import { readAll, refreshView, useLiveResource } from '../api/live';
import type { AuditEvent, ClockAdvanced, FulfilmentRequest, RegisteredPartner, VerifyReport } from '../api/types';
import { ActionButton, Refusal, useAction } from '../components/action';
import { DateTime, SecretOnce } from '../components/display';
import { Form, SelectField, TextField } from '../components/fields';
import { TableHead } from '../components/table-head';
import { useClock } from '../data';
import { useLocale } from '../i18n/locale';
import { useSession } from '../session-context';

export function OperatorScreen() {
  const { t } = useLocale();
  return (
    <section aria-labelledby="operator-heading">
      <h2 id="operator-heading">{t('navOperator')}</h2>
      <Partners />
      <FulfilmentQueue />
      <ClockPanel />
      <Verify />
    </section>
  );
}

interface PartnerRow {
  partnerId: string;
  name: string;
  membershipLocation: string;
}

/** The partners, from the log's PartnerRegistered and PartnerMigrated events. */
function partnersOf(events: readonly AuditEvent[]): PartnerRow[] {
  const rows = new Map<string, PartnerRow>();
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    const partnerId = String(data.partnerId ?? '');
    if (event.type === 'PartnerRegistered')
      rows.set(partnerId, {
        partnerId,
        name: String(data.name ?? partnerId),
        membershipLocation: String(data.membershipLocation ?? 'partner-center'),
      });
    if (event.type === 'PartnerMigrated') {
      const row = rows.get(partnerId);
      if (row) row.membershipLocation = 'partner-center';
    }
  }
  return [...rows.values()];
}

const EVENTS_PATH = apiPath(['events'], { limit: 500 });

function Partners() {
  const { t } = useLocale();
  const { partnerId, choosePartner } = useSession();
  const events = useLiveResource<AuditEvent[]>(EVENTS_PATH, (signal, noteEtag) => readAll<AuditEvent>(EVENTS_PATH, signal, noteEtag), false);
  const partners = partnersOf(events.data ?? []);
  return (
    <section aria-labelledby="partners-heading">
      <h3 id="partners-heading">{t('partners')}</h3>
      <Refusal error={events.error ?? null} />
      <table class="partners">
        <TableHead
          columns={[{ label: t('name') }, { label: t('partner') }, { label: t('membershipLocation') }, { label: t('details'), hidden: true }]}
        />
        <tbody>
          {partners.map((partner) => (
            <tr key={partner.partnerId} data-partner-id={partner.partnerId}>
              <th scope="row">{partner.name}</th>
              <td>
                <code>{partner.partnerId}</code>
              </td>
              <td>{t(partner.membershipLocation === 'pmc' ? 'location.pmc' : 'location.partner-center')}</td>
              <td class="buttons">
                {partner.partnerId === partnerId ? (
                  <span class="current">{t('opened')}</span>
                ) : (
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`${t('open')}: ${partner.name}`}
                    onClick={() => choosePartner(partner.partnerId)}
                  >
                    {t('open')}
                  </button>
                )}
                {partner.membershipLocation === 'pmc' ? (
                  <ActionButton
                    label={t('migrate')}
                    onRun={async () => {
                      await send('POST', apiPath(['partners', partner.partnerId, 'migrate']));
                      refreshView(EVENTS_PATH);
                      refreshView(apiPath(['partners', partner.partnerId]));
                    }}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RegisterPartner onRegistered={(id) => {
        refreshView(EVENTS_PATH);
        choosePartner(id);
      }} />
    </section>
  );
}

function RegisterPartner({ onRegistered }: { onRegistered: (partnerId: string) => void }) {
  const { t } = useLocale();
  const [name, setName] = useState('');
  const [accountEmail, setAccountEmail] = useState('');
  const [location, setLocation] = useState('partner-center');
  const [adminEmail, setAdminEmail] = useState('');
  const [adminName, setAdminName] = useState('');
  const [registered, setRegistered] = useState<RegisteredPartner | null>(null);
  const action = useAction();
  const submit = async () => {
    const partner = await action.run(() =>
      send<RegisteredPartner>('POST', '/v1/partners', {
        name,
        accountEmail,
        membershipLocation: location,
        globalAdmin: { email: adminEmail, displayName: adminName },
      }),
    );
    if (partner) {
      setRegistered(partner);
      onRegistered(partner.partnerId);
    }
  };
  return (
    <section class="card" aria-labelledby="register-heading">
      <h4 id="register-heading">{t('registerPartner')}</h4>
      <Form label={t('registerPartner')} onSubmit={() => void submit()}>
        <TextField label={t('name')} value={name} onInput={setName} required />
        <TextField label={t('accountEmail')} type="email" value={accountEmail} onInput={setAccountEmail} required />
        <SelectField
          label={t('membershipLocation')}
          value={location}
          choices={[
            { value: 'partner-center', label: t('location.partner-center') },
            { value: 'pmc', label: t('location.pmc') },
          ]}
          onChange={setLocation}
        />
        <TextField label={t('adminEmail')} type="email" value={adminEmail} onInput={setAdminEmail} required />
        <TextField label={t('adminName')} value={adminName} onInput={setAdminName} required />
        <button type="submit" class="primary" disabled={action.busy}>
          {t('register')}
        </button>
        <Refusal error={action.error} />
      </Form>
      {registered?.globalAdmin.token ? <SecretOnce title={t('copyThisToken')} secret={registered.globalAdmin.token} /> : null}
    </section>
  );
}

const QUEUE_PATH = apiPath(['fulfilment', 'requests'], { status: 'open', limit: 500 });

function FulfilmentQueue() {
  const { t } = useLocale();
  const queue = useLiveResource<FulfilmentRequest[]>(QUEUE_PATH, (signal, noteEtag) =>
    readAll<FulfilmentRequest>(QUEUE_PATH, signal, noteEtag),
  );
  return (
    <section aria-labelledby="queue-heading">
      <h3 id="queue-heading">{t('fulfilmentQueue')}</h3>
      <Refusal error={queue.error ?? null} />
      {queue.data?.length === 0 ? <p class="empty">{t('noRequests')}</p> : null}
      {queue.data?.length ? (
        <table class="queue">
          <TableHead
            columns={[
              { label: t('request') },
              { label: t('kind') },
              { label: t('requestedAt') },
              { label: t('expectedBy') },
              { label: t('details'), hidden: true },
            ]}
          />
          <tbody>
            {queue.data.map((request) => (
              <QueueRow key={request.requestId} request={request} onDone={queue.refresh} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function QueueRow({ request, onDone }: { request: FulfilmentRequest; onDone: () => void }) {
  const { t } = useLocale();
  const [reason, setReason] = useState('');
  const action = useAction();
  const answer = (what: 'accept' | 'complete' | 'reject', body: unknown = {}) =>
    action.run(async () => {
      await send('POST', apiPath(['fulfilment', 'requests', request.requestId, what]), body);
      onDone();
    });
  return (
    <tr data-request-id={request.requestId}>
      <th scope="row">
        <code>{request.requestId}</code>
      </th>
      <td>{request.kind}</td>
      <td>
        <DateTime iso={request.requestedAt} />
      </td>
      <td>
        <DateTime iso={request.expectedBy} />
      </td>
      <td>
        <div class="buttons">
          <button type="button" class="secondary" disabled={action.busy} onClick={() => void answer('accept')}>
            {t('accept')}
          </button>
          <button type="button" class="primary" disabled={action.busy} onClick={() => void answer('complete')}>
            {t('complete')}
          </button>
        </div>
        <Form label={t('reject')} class="inline-form" onSubmit={() => void answer('reject', { reason })}>
          <TextField label={t('reason')} value={reason} onInput={setReason} required />
          <button type="submit" class="secondary" disabled={action.busy}>
            {t('reject')}
          </button>
        </Form>
        <Refusal error={action.error} />
      </td>
    </tr>
  );
}

function ClockPanel() {
  const { t } = useLocale();
  const clock = useClock();
  const [days, setDays] = useState('1');
  const [hours, setHours] = useState('0');
  const [fired, setFired] = useState<number | null>(null);
  const action = useAction();
  const advance = async () => {
    const seconds = Math.round((Number(days) * 24 + Number(hours)) * 3600);
    const result = await action.run(() => send<ClockAdvanced>('POST', '/v1/clock/advance', { seconds }));
    if (result) {
      setFired(result.timersFired);
      clock.refresh();
    }
  };
  return (
    <section aria-labelledby="clock-heading" class="card">
      <h3 id="clock-heading">{t('clock')}</h3>
      <p>
        {t('now')}: <DateTime iso={clock.data?.now} /> ({clock.data?.mode})
      </p>
      <Form label={t('advance')} class="inline-form" onSubmit={() => void advance()}>
        <TextField label={t('advanceDays')} type="number" min={0} value={days} onInput={setDays} />
        <TextField label={t('advanceHours')} type="number" min={0} value={hours} onInput={setHours} />
        <button type="submit" class="primary" disabled={action.busy}>
          {t('advance')}
        </button>
        <Refusal error={action.error} />
      </Form>
      {fired !== null ? (
        <p role="status" class="success">
          {t('timersFired', { count: fired })}
        </p>
      ) : null}
    </section>
  );
}

function Verify() {
  const { t } = useLocale();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const action = useAction();
  return (
    <section aria-labelledby="verify-heading" class="card">
      <h3 id="verify-heading">{t('verify')}</h3>
      <button
        type="button"
        class="primary"
        disabled={action.busy}
        onClick={async () => {
          const result = await action.run(() => send<VerifyReport>('POST', '/v1/audit/verify', {}));
          if (result) setReport(result);
        }}
      >
        {t('verify')}
      </button>
      <Refusal error={action.error} />
      {report ? (
        <p role="status" class={report.ok ? 'success' : 'refusal'}>
          {report.ok
            ? t('verifyOk', { count: report.eventsChecked })
            : t('verifyBad', {
                count: report.eventsChecked,
                position: report.firstBadPosition ?? '?',
                stream: report.streamId ?? '?',
              })}
        </p>
      ) : null}
    </section>
  );
}
