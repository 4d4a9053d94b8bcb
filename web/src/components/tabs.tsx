// ARIA tabs (WAI-ARIA Authoring Practices): a tablist whose arrow keys, Home and End move
// between tabs, one tab in the Tab order, each tab controlling its panel.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface Tab<K extends string> {
  key: K;
  label: string;
}

export function Tabs<K extends string>(props: {
  label: string;
  tabs: readonly Tab<K>[];
  selected: K;
  onSelect: (key: K) => void;
  idPrefix: string;
  children: ComponentChildren;
}) {
  const list = useRef<HTMLDivElement>(null);
  const move = (index: number) => {
    const count = props.tabs.length;
    const tab = props.tabs[(index + count) % count]!;
    props.onSelect(tab.key);
    list.current?.querySelector<HTMLElement>(`#${props.idPrefix}-tab-${tab.key}`)?.focus();
  };
  const current = props.tabs.findIndex((tab) => tab.key === props.selected);
  return (
    <div class="tabs">
      <div
        role="tablist"
        aria-label={props.label}
        ref={list}
        onKeyDown={(event) => {
          const keys: Record<string, number> = {
            ArrowRight: current + 1,
            ArrowLeft: current - 1,
            Home: 0,
            End: props.tabs.length - 1,
          };
          const target = keys[event.key];
          if (target === undefined) return;
          event.preventDefault();
          move(target);
        }}
      >
        {props.tabs.map((tab) => (
          <button
            type="button"
            role="tab"
            key={tab.key}
            id={`${props.idPrefix}-tab-${tab.key}`}
            aria-selected={tab.key === props.selected}
            aria-controls={`${props.idPrefix}-panel`}
            tabIndex={tab.key === props.selected ? 0 : -1}
            onClick={() => props.onSelect(tab.key)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${props.idPrefix}-panel`} aria-labelledby={`${props.idPrefix}-tab-${props.selected}`}>
        {props.children}
      </div>
    </div>
  );
}
