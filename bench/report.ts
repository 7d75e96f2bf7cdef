// The results: one row per figure with Fogbank, moto, their ratio and the target, printed as a
// Markdown table (readable on a terminal, pasteable into docs/benchmarks.md) and kept as JSON.

import { writeFileSync } from 'node:fs';

export type Measured = { value: number; samples?: number[]; note?: string } | { unavailable: string };

export interface Figure {
  name: string;
  unit: 'ms' | 'MiB' | 'req/s';
  better: 'lower' | 'higher';
  fogbank: Measured;
  moto: Measured;
  /** The target for Fogbank, e.g. 150 ms for the first answer. */
  target?: number;
}

export interface Report {
  date: string;
  machine: Record<string, string | number>;
  settings: Record<string, unknown>;
  figures: Figure[];
  notes: string[];
  raw: Record<string, unknown>;
}

export const mib = (bytes: number): number => bytes / 2 ** 20;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function ratio(figure: Figure): number | undefined {
  if (!('value' in figure.fogbank) || !('value' in figure.moto) || figure.moto.value === 0) return undefined;
  return figure.fogbank.value / figure.moto.value;
}

function digits(value: number, unit: Figure['unit']): number {
  return unit === 'req/s' || value >= 100 ? 0 : value < 10 ? 2 : 1;
}

function formatNumber(value: number, unit: Figure['unit']): string {
  return `${value.toFixed(digits(value, unit))} ${unit}`;
}

/** The footnote's number, reusing the number of an identical note. */
function footnote(footnotes: string[], note: string): number {
  const known = footnotes.indexOf(note);
  return known >= 0 ? known + 1 : footnotes.push(note);
}

function cell(measured: Measured, unit: Figure['unit'], footnotes: string[]): string {
  if ('unavailable' in measured) return `not available [${footnote(footnotes, measured.unavailable)}]`;
  const d = digits(measured.value, unit);
  const spread = measured.samples && measured.samples.length > 1 ? ` (${Math.min(...measured.samples).toFixed(d)}-${Math.max(...measured.samples).toFixed(d)})` : '';
  const text = `${formatNumber(measured.value, unit)}${spread}`;
  return measured.note ? `${text} [${footnote(footnotes, measured.note)}]` : text;
}

function targetCell(figure: Figure): string {
  if (figure.target === undefined) return '';
  const limit = `${figure.better === 'lower' ? '<' : '>'} ${figure.target} ${figure.unit}`;
  if (!('value' in figure.fogbank)) return limit;
  const met = figure.better === 'lower' ? figure.fogbank.value < figure.target : figure.fogbank.value > figure.target;
  return `${limit}: ${met ? 'met' : 'MISSED'}`;
}

/** The figures as a Markdown table (medians with the range of runs), then numbered footnotes. */
export function formatTable(figures: readonly Figure[]): string {
  const footnotes: string[] = [];
  const header = ['Figure', 'Fogbank', 'moto', 'Fogbank/moto', 'Target (Fogbank)'];
  const rows = figures.map((figure) => {
    const r = ratio(figure);
    const ratioText = r === undefined ? '' : `${r.toFixed(2)}x (${figure.better} is better)`;
    return [figure.name, cell(figure.fogbank, figure.unit, footnotes), cell(figure.moto, figure.unit, footnotes), ratioText, targetCell(figure)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const notes = footnotes.map((note, i) => `[${i + 1}] ${note}`);
  return [...table, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export function writeJson(path: string, report: Report): void {
  const figures = report.figures.map((figure) => ({ ...figure, ratio: ratio(figure) ?? null }));
  writeFileSync(path, `${JSON.stringify({ ...report, figures }, null, 2)}\n`);
}
