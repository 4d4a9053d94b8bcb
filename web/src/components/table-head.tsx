// Column headers of the page's tables, in one place: every header is a column header for
// assistive technology, numbers align right, and a column of row controls still has a heading
// that screen readers announce though it is not shown.
export interface Column {
  label: string;
  /** Right-aligned, as the column's figures are. */
  numeric?: boolean;
  /** Announced but not shown: the heading of a column of buttons or disclosure toggles. */
  hidden?: boolean;
  class?: string;
}

/** The table's head; `false` and `null` entries stand for columns not shown to this user. */
export function TableHead({ columns }: { columns: readonly (Column | false | null)[] }) {
  const shown = columns.filter((column): column is Column => Boolean(column));
  return (
    <thead>
      <tr>
        {shown.map((column) => (
          <th
            key={column.label}
            scope="col"
            class={[column.numeric ? 'number' : '', column.class ?? ''].filter(Boolean).join(' ') || undefined}
          >
            {column.hidden ? <span class="visually-hidden">{column.label}</span> : column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
