// Labelled form controls: every control has a visible label bound to it.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/** A control with its label and optional hint; `children` gets the id to take and the hint's id. */
function Field(props: {
  label: string;
  hint?: ComponentChildren;
  children: (id: string, describedBy: string | undefined) => ComponentChildren;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id, props.hint ? hintId : undefined)}
      {props.hint ? (
        <small id={hintId} class="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'email' | 'tel' | 'password' | 'number' | 'datetime-local';
  required?: boolean;
  hint?: string;
  min?: number;
  max?: number;
  autoComplete?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, describedBy) => (
        <input
          id={id}
          type={props.type ?? 'text'}
          value={props.value}
          required={props.required}
          min={props.min}
          max={props.max}
          autoComplete={props.autoComplete ?? 'off'}
          aria-describedby={describedBy}
          onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField(props: {
  label: string;
  value: string;
  choices: readonly Choice[];
  onChange: (value: string) => void;
  placeholder?: string;
  hint?: ComponentChildren;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, describedBy) => (
        <select
          id={id}
          value={props.value}
          aria-describedby={describedBy}
          onChange={(event) => props.onChange((event.target as HTMLSelectElement).value)}
        >
          {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
          {props.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckboxGroup(props: {
  legend: string;
  choices: readonly (Choice & { disabled?: boolean })[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
}) {
  return (
    <fieldset class="checkboxes">
      <legend>{props.legend}</legend>
      {props.choices.map((choice) => (
        <label key={choice.value}>
          <input
            type="checkbox"
            checked={props.selected.includes(choice.value)}
            disabled={choice.disabled}
            onChange={(event) => {
              const on = (event.target as HTMLInputElement).checked;
              props.onChange(on ? [...props.selected, choice.value] : props.selected.filter((v) => v !== choice.value));
            }}
          />{' '}
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A form whose submit runs `onSubmit` (Enter submits; the page never reloads). */
export function Form(props: { label: string; onSubmit: () => void; children: ComponentChildren; class?: string }) {
  return (
    <form
      class={props.class ?? 'form'}
      aria-label={props.label}
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}
