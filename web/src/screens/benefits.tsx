// Benefits: one tab per category, a package filter, one row per benefit (product, kind,
// quantity, Status, Expires) whose down arrow at the far right expands its details and the
// actions of its category.
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { Benefit, Category, Package } from '../api/types';
import { Refusal } from '../components/action';
import { DateTime, Status } from '../components/display';
import { SelectField } from '../components/fields';
import { TableHead } from '../components/table-head';
import { Tabs } from '../components/tabs';
import { useBenefits, usePackages, usePartner } from '../data';
import { packageLabel, useLocale } from '../i18n/locale';
import { CATEGORIES, navigate, routePath } from '../routes';
import { useSession } from '../session-context';
import { BenefitDetails } from './benefit-details';
import { MarketingContactCard } from './marketing-contact';
import { markBenefitsRendered } from '../timing';

export function BenefitsScreen({ category }: { category: Category }) {
  const { t, date } = useLocale();
  const { partnerId } = useSession();
  const benefits = useBenefits(partnerId);
  const packages = usePackages(partnerId, false);
  const partner = usePartner(partnerId);
  const [packageId, setPackageId] = useState('');
  const inPmc = partner.data?.membershipLocation === 'pmc';

  const packageChoices = (packages.data ?? []).map((pkg: Package) => ({
    value: pkg.packageId,
    label: `${packageLabel(t, pkg.type)} · ${date(pkg.purchasedAt)}`,
  }));
  const rows = useMemo(
    () =>
      (benefits.data ?? []).filter(
        (benefit) => benefit.category === category && (packageId === '' || benefit.packageId === packageId),
      ),
    [benefits.data, category, packageId],
  );

  return (
    <section aria-labelledby="benefits-heading">
      <h2 id="benefits-heading">{t('navBenefits')}</h2>
      <Tabs
        label={t('benefitCategories')}
        idPrefix="benefits"
        tabs={CATEGORIES.map((key) => ({ key, label: t(key) }))}
        selected={category}
        onSelect={(key) => navigate(routePath({ screen: 'benefits', category: key }))}
      >
        {category === 'go-to-market' ? <MarketingContactCard readOnly={inPmc} /> : null}
        <div class="toolbar">
          <SelectField
            label={t('packageFilter')}
            value={packageId}
            choices={packageChoices}
            placeholder={t('allPackages')}
            onChange={setPackageId}
          />
        </div>
        <Refusal error={benefits.error ?? null} />
        {benefits.data === undefined ? (
          <p class="loading">{t('loading')}</p>
        ) : (
          <BenefitTable rows={rows} readOnly={inPmc} />
        )}
      </Tabs>
    </section>
  );
}

function BenefitTable({ rows, readOnly }: { rows: readonly Benefit[]; readOnly: boolean }) {
  const { t } = useLocale();
  const [expanded, setExpanded] = useState<string | null>(null);
  useLayoutEffect(() => markBenefitsRendered(rows.length), [rows]);
  useEffect(() => {
    if (expanded && !rows.some((row) => row.benefitId === expanded)) setExpanded(null);
  }, [rows, expanded]);
  if (rows.length === 0) return <p class="empty">{t('noBenefits')}</p>;
  return (
    <table class="benefits">
      <TableHead
        columns={[
          { label: t('product') },
          { label: t('kind') },
          { label: t('quantity'), numeric: true },
          { label: t('status') },
          { label: t('expires') },
          { label: t('details'), hidden: true, class: 'expand-column' },
        ]}
      />
      {rows.map((benefit) => (
        <BenefitRow
          key={benefit.benefitId}
          benefit={benefit}
          open={expanded === benefit.benefitId}
          onToggle={() => setExpanded(expanded === benefit.benefitId ? null : benefit.benefitId)}
          readOnly={readOnly}
        />
      ))}
    </table>
  );
}

/** A Go-To-Market offer is named by its offer (Silver Core, ...), as the seed lists them. */
function benefitName(benefit: Benefit): string {
  return benefit.category === 'go-to-market' && benefit.kind ? benefit.kind : benefit.product;
}

function kindLabel(benefit: Benefit, t: ReturnType<typeof useLocale>['t']): string {
  if (!benefit.kind || benefit.category === 'go-to-market') return '–';
  if (benefit.kind === 'usage-based' || benefit.kind === 'license-based') return t(`kind.${benefit.kind}`);
  return benefit.kind;
}

function BenefitRow(props: { benefit: Benefit; open: boolean; onToggle: () => void; readOnly: boolean }) {
  const { t } = useLocale();
  const { benefit } = props;
  const detailsId = `details-${benefit.benefitId}`;
  return (
    <tbody class={props.open ? 'open' : undefined} data-benefit-id={benefit.benefitId}>
      <tr>
        <th scope="row">{benefitName(benefit)}</th>
        <td>{kindLabel(benefit, t)}</td>
        <td class="number">{benefit.quantity}</td>
        <td>
          <Status status={benefit.status} />
        </td>
        <td>
          <DateTime iso={benefit.expiresAt} dateOnly />
        </td>
        <td class="expand-column">
          <button
            type="button"
            class="expand"
            aria-expanded={props.open}
            aria-controls={props.open ? detailsId : undefined}
            aria-label={t('detailsOf', { name: benefitName(benefit) })}
            onClick={props.onToggle}
          >
            <span aria-hidden="true">{props.open ? '▴' : '▾'}</span>
          </button>
        </td>
      </tr>
      {props.open ? (
        <tr class="details-row">
          <td colSpan={6} id={detailsId}>
            <BenefitDetails benefit={benefit} readOnly={props.readOnly} />
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
