// History (auditors, R-AUTH-7): the partner's events as a timeline (who, when, what), and a
// benefit as it was at a chosen moment (GET /v1/benefits/{id}?asOf=), rebuilt from the log.
import { useState } from 'preact/hooks';
import { apiPath, get } from '../api/client';
import { readAll, useLiveResource } from '../api/live';
import type { AuditEvent, Benefit, User } from '../api/types';
import { Refusal, useAction } from '../components/action';
import { DateTime, Status } from '../components/display';
import { Form, SelectField, TextField } from '../components/fields';
import { useBenefits, useUsers, userName } from '../data';
import { useLocale, type Translate } from '../i18n/locale';
import { useSession } from '../session-context';
import { BenefitDetails } from './benefit-details';

export function HistoryScreen() {
  const { t } = useLocale();
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('history')}</h2>
      <BenefitAsOf />
      <Timeline />
    </section>
  );
}

function actorName(event: AuditEvent, users: readonly User[] | undefined, t: Translate): string {
  if (event.actor.kind === 'operator') return t('operator');
  if (event.actor.kind === 'system') return t('system');
  return userName(users, event.actor.userId);
}

/** The event's plain members, in words a person can read ("status: active"). */
function summary(event: AuditEvent): string {
  return Object.entries(event.data ?? {})
    .filter(([, value]) => value !== null && ['string', 'number', 'boolean'].includes(typeof value))
    .slice(0, 6)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join(' · ');
}

function Timeline() {
  const { t } = useLocale();
  const { partnerId } = useSession();
  const users = useUsers(partnerId);
  const path = partnerId ? apiPath(['partners', partnerId, 'audit']) : null;
  const events = useLiveResource<AuditEvent[]>(path, (signal, noteEtag) => readAll<AuditEvent>(path!, signal, noteEtag));
  const newestFirst = [...(events.data ?? [])].reverse();
  return (
    <section aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">{t('timeline')}</h3>
      <Refusal error={events.error ?? null} />
      {events.data?.length === 0 ? <p class="empty">{t('noEvents')}</p> : null}
      <ol class="timeline">
        {newestFirst.map((event) => (
          <li key={event.position}>
            <DateTime iso={event.occurredAt} /> · <strong>{actorName(event, users.data, t)}</strong> ·{' '}
            <span class="event-type">{event.type}</span> <span class="stream">({event.streamId})</span>
            <div class="event-data">{summary(event)}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A local datetime-local value ("2026-01-05T10:00") as an RFC 3339 UTC time. */
export function localInputToUtc(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function BenefitAsOf() {
  const { t, date } = useLocale();
  const { partnerId } = useSession();
  const benefits = useBenefits(partnerId);
  const [benefitId, setBenefitId] = useState('');
  const [when, setWhen] = useState('');
  const [shown, setShown] = useState<Benefit | null>(null);
  const action = useAction();
  const choices = (benefits.data ?? []).map((benefit) => ({
    value: benefit.benefitId,
    label: `${benefit.product}${benefit.kind ? ` (${benefit.kind})` : ''} · ${date(benefit.purchasedAt)}`,
  }));
  const chosen = benefitId || choices[0]?.value || '';
  const show = async () => {
    const benefit = await action.run(() =>
      get<Benefit>(apiPath(['benefits', chosen], { asOf: when ? localInputToUtc(when) : undefined })),
    );
    if (benefit) setShown(benefit);
  };
  return (
    <section aria-labelledby="as-of-heading" class="card">
      <h3 id="as-of-heading">{t('benefitHistory')}</h3>
      <Form label={t('benefitHistory')} class="inline-form" onSubmit={() => void show()}>
        <SelectField label={t('benefit')} value={chosen} choices={choices} onChange={setBenefitId} />
        <TextField label={t('asOf')} type="datetime-local" value={when} onInput={setWhen} />
        <button type="submit" class="primary" disabled={action.busy || !chosen}>
          {t('show')}
        </button>
        <Refusal error={action.error} />
      </Form>
      {shown ? (
        <div class="as-of" role="region" aria-label={`${shown.product} ${t('asOf')}`}>
          <p>
            <strong>{shown.product}</strong> · {t('status')}: <Status status={shown.status} />
          </p>
          <BenefitDetails benefit={shown} readOnly />
        </div>
      ) : null}
    </section>
  );
}
