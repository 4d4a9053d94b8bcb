// Running a command from a control: the control is busy while it runs, and a refusal is shown
// next to it in the server's words (the problem's detail), announced to screen readers.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useLocale } from '../i18n/locale';

export interface Action {
  busy: boolean;
  error: ApiError | null;
  /** Runs `work`; resolves to its result, or undefined when it was refused. */
  run: <T>(work: () => Promise<T>) => Promise<T | undefined>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  return {
    busy,
    error,
    run: async (work) => {
      setBusy(true);
      setError(null);
      try {
        return await work();
      } catch (caught) {
        setError(caught instanceof ApiError ? caught : new ApiError(0, null, String(caught)));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
  };
}

/** A refusal, in words, beside the control that caused it. */
export function Refusal({ error, id }: { error: ApiError | null; id?: string }) {
  const { dateTime } = useLocale();
  if (!error) return null;
  const reassignableAt = error.problem && 'reassignableAt' in error.problem ? error.problem.reassignableAt : undefined;
  return (
    <p class="refusal" role="alert" id={id}>
      {error.message}
      {typeof reassignableAt === 'string' ? ` (${dateTime(reassignableAt)})` : null}
    </p>
  );
}

/** A button that runs a command and shows its refusal beside it. */
export function ActionButton(props: { label: string; onRun: () => Promise<unknown> }) {
  const action = useAction();
  return (
    <span class="action">
      <button
        type="button"
        class="primary"
        disabled={action.busy}
        aria-busy={action.busy}
        onClick={() => void action.run(props.onRun)}
      >
        {props.label}
      </button>
      <Refusal error={action.error} />
    </span>
  );
}
