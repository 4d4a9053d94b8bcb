// Small read-only pieces: times (viewer's zone, UTC on hover), statuses, copy buttons.
import { useState } from 'preact/hooks';
import type { BenefitStatus, PackageStatus } from '../api/types';
import { useLocale } from '../i18n/locale';

export function DateTime({ iso, dateOnly }: { iso: string | null | undefined; dateOnly?: boolean }) {
  const { date, dateTime } = useLocale();
  if (!iso) return <span class="none">–</span>;
  return (
    <time dateTime={iso} title={`${iso.replace('T', ' ').replace('Z', '')} UTC`}>
      {dateOnly ? date(iso) : dateTime(iso)}
    </time>
  );
}

export function Status({ status }: { status: BenefitStatus | PackageStatus }) {
  const { t } = useLocale();
  return <span class={`status status-${status}`}>{t(`status.${status}`)}</span>;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useLocale();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      aria-label={`${t('copy')}: ${label}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? t('copied') : t('copy')}
    </button>
  );
}

/** A secret shown once (a new token), with a copy button. */
export function SecretOnce({ title, secret }: { title: string; secret: string }) {
  const { t } = useLocale();
  return (
    <div class="secret" role="status">
      <p>{title}</p>
      <code class="secret-value">{secret}</code> <CopyButton text={secret} label={t('token')} />
    </div>
  );
}
