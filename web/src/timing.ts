// How long the Benefits tab takes to show its rows, for the browser run's measurement
// (docs/ui.md): from the moment the benefit list arrived to the rows being in the document.
let listArrivedAt: number | null = null;

export function markBenefitsArrived(): void {
  listArrivedAt = performance.now();
}

export function markBenefitsRendered(rows: number): void {
  if (listArrivedAt === null) return;
  performance.measure('benefits-render', { start: listArrivedAt, end: performance.now(), detail: { rows } });
  listArrivedAt = null;
}
