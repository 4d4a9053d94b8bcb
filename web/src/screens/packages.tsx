// Packages: buy from the catalog (prices, terms, contents), cancel with refund while the
// refund window is open (R-PKG-2), renew after expiry inside the renewal window (R-PKG-5).
import { useState } from 'preact/hooks';
import { apiPath, send } from '../api/client';
import type { Catalog, Package, PackageWithBenefits } from '../api/types';
import { ActionButton, Refusal, useAction } from '../components/action';
import { DateTime, Status } from '../components/display';
import { Form, TextField } from '../components/fields';
import { TableHead } from '../components/table-head';
import { useCatalog, usePackages, usePartner } from '../data';
import { packageLabel, useLocale } from '../i18n/locale';
import { useSession } from '../session-context';

export function PackagesScreen() {
  const { t } = useLocale();
  const { partnerId } = useSession();
  const packages = usePackages(partnerId);
  const partner = usePartner(partnerId);
  const readOnly = partner.data?.membershipLocation === 'pmc';
  return (
    <section aria-labelledby="packages-heading">
      <h2 id="packages-heading">{t('navPackages')}</h2>
      <CatalogList readOnly={readOnly} onBought={packages.refresh} />
      <h3>{t('yourPackages')}</h3>
      <Refusal error={packages.error ?? null} />
      {packages.data?.length === 0 ? <p class="empty">{t('noPackages')}</p> : null}
      {packages.data?.length ? <PackageTable packages={packages.data} readOnly={readOnly} onChange={packages.refresh} /> : null}
    </section>
  );
}

function CatalogList({ readOnly, onBought }: { readOnly: boolean; onBought: () => void }) {
  const { t, locale } = useLocale();
  const { partnerId, can } = useSession();
  const catalog = useCatalog();
  const [bought, setBought] = useState<string | null>(null);
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' });
  const offers: Catalog['packages'] = catalog.data?.packages ?? [];
  return (
    <section aria-labelledby="catalog-heading">
      <h3 id="catalog-heading">{t('catalog')}</h3>
      <ul class="catalog">
        {offers.map((offer) => (
          <li key={offer.type} class="card">
            <h4>{packageLabel(t, offer.type)}</h4>
            <p>
              {t('price')}: <strong>{money.format(Number(offer.price))}</strong> · {t('term')}:{' '}
              {t('termDays', { days: offer.termDays })}
            </p>
            <ul class="contents">
              {offer.benefits.map((entry) => (
                <li key={`${entry.category}-${entry.product}-${entry.kind ?? ''}`}>
                  {entry.category === 'go-to-market' && entry.kind ? entry.kind : entry.product} × {entry.quantity}
                </li>
              ))}
            </ul>
            {!readOnly && can('buy') ? (
              <ActionButton
                label={`${t('buy')}: ${packageLabel(t, offer.type)}`}
                onRun={async () => {
                  await send<PackageWithBenefits>('POST', apiPath(['partners', partnerId!, 'packages']), {
                    type: offer.type,
                  });
                  setBought(t('bought', { name: packageLabel(t, offer.type) }));
                  onBought();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {bought ? (
        <p role="status" class="success">
          {bought}
        </p>
      ) : null}
    </section>
  );
}

function PackageTable(props: { packages: readonly Package[]; readOnly: boolean; onChange: () => void }) {
  const { t, locale } = useLocale();
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' });
  return (
    <table class="packages">
      <TableHead
        columns={[
          { label: t('packageType') },
          { label: t('status') },
          { label: t('purchasedAt') },
          { label: t('expires') },
          { label: t('refundableUntil') },
          { label: t('price'), numeric: true },
          { label: t('refund') },
          { label: t('details'), hidden: true },
        ]}
      />
      <tbody>
        {props.packages.map((pkg) => (
          <tr key={pkg.packageId} data-package-id={pkg.packageId}>
            <th scope="row">{packageLabel(t, pkg.type)}</th>
            <td>
              <Status status={pkg.status} />
            </td>
            <td>
              <DateTime iso={pkg.purchasedAt} dateOnly />
            </td>
            <td>
              <DateTime iso={pkg.expiresAt} dateOnly />
            </td>
            <td>
              <DateTime iso={pkg.refundableUntil} />
            </td>
            <td class="number">{money.format(Number(pkg.price))}</td>
            <td>{pkg.refund ? money.format(Number(pkg.refund.amount)) : '–'}</td>
            <td>{props.readOnly ? null : <PackageActions pkg={pkg} onChange={props.onChange} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PackageActions({ pkg, onChange }: { pkg: Package; onChange: () => void }) {
  const { t } = useLocale();
  const { can } = useSession();
  const [reason, setReason] = useState('');
  const cancel = useAction();
  return (
    <div class="package-actions">
      {pkg.status === 'active' && can('cancel') ? (
        <Form
          label={t('cancelWithRefund')}
          class="inline-form"
          onSubmit={() =>
            void cancel.run(async () => {
              await send('POST', apiPath(['packages', pkg.packageId, 'cancel']), { reason });
              onChange();
            })
          }
        >
          <TextField label={t('reason')} value={reason} onInput={setReason} required />
          <button type="submit" class="secondary" disabled={cancel.busy}>
            {t('cancelWithRefund')}
          </button>
          <Refusal error={cancel.error} />
        </Form>
      ) : null}
      {pkg.status === 'expired' && can('buy') ? (
        <>
          <p>
            {t('renewalWindowEndsAt')}: <DateTime iso={pkg.renewalWindowEndsAt} />
          </p>
          <ActionButton
            label={t('renew')}
            onRun={async () => {
              await send('POST', apiPath(['packages', pkg.packageId, 'renew']));
              onChange();
            }}
          />
        </>
      ) : null}
    </div>
  );
}
