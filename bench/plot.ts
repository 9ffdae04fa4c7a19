/** An SVG scatter plot of p95 latency against calls per import, log scales, one point per strategy. */

/** One point of the plot. */
export interface PlotPoint {
  readonly name: string;
  /** `GetImportTask` and `ListImportTasks` calls per import. */
  readonly callsPerImport: number;
  readonly p95LatencySeconds: number;
  readonly highlight?: boolean;
}

const WIDTH = 720;
const HEIGHT = 460;
const MARGIN = { left: 80, right: 30, top: 40, bottom: 60 };

function logScale(min: number, max: number, from: number, to: number): (value: number) => number {
  const [a, b] = [Math.log10(min), Math.log10(max)];
  return (value) => from + ((Math.log10(value) - a) / (b - a)) * (to - from);
}

function decades(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++)
    ticks.push(10 ** exponent);
  return ticks;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Renders the plot. */
export function latencyVersusCallsSvg(points: readonly PlotPoint[], caption: string): string {
  const xs = points.map((p) => p.callsPerImport);
  const ys = points.map((p) => Math.max(1, p.p95LatencySeconds));
  const [xMin, xMax] = [10 ** Math.floor(Math.log10(Math.min(...xs))), 10 ** Math.ceil(Math.log10(Math.max(...xs)))];
  const [yMin, yMax] = [10 ** Math.floor(Math.log10(Math.min(...ys))), 10 ** Math.ceil(Math.log10(Math.max(...ys)))];
  const x = logScale(xMin, xMax, MARGIN.left, WIDTH - MARGIN.right);
  const y = logScale(yMin, yMax, HEIGHT - MARGIN.bottom, MARGIN.top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escape(caption)}</text>`,
  ];
  for (const tick of decades(xMin, xMax)) {
    const px = x(tick).toFixed(1);
    parts.push(`<line x1="${px}" y1="${MARGIN.top}" x2="${px}" y2="${HEIGHT - MARGIN.bottom}" stroke="#ddd"/>`);
    parts.push(`<text x="${px}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${tick}</text>`);
  }
  for (const tick of decades(yMin, yMax)) {
    const py = y(tick).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" y1="${py}" x2="${WIDTH - MARGIN.right}" y2="${py}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${tick}</text>`);
  }
  const [xMiddle, yMiddle] = [(MARGIN.left + WIDTH - MARGIN.right) / 2, (MARGIN.top + HEIGHT - MARGIN.bottom) / 2];
  parts.push(
    `<text x="${xMiddle}" y="${HEIGHT - 18}" text-anchor="middle">` +
      'GetImportTask and ListImportTasks calls per import (log)</text>',
    `<text transform="translate(20 ${yMiddle}) rotate(-90)" text-anchor="middle">` +
      'p95 latency over all ends, seconds (log)</text>',
  );
  for (const point of points) {
    const [px, py] = [x(point.callsPerImport), y(Math.max(1, point.p95LatencySeconds))];
    const color = point.highlight ? '#c0392b' : '#2c3e50';
    parts.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="6" fill="${color}"/>`);
    parts.push(
      `<text x="${(px + 9).toFixed(1)}" y="${(py - 8).toFixed(1)}" fill="${color}">${escape(point.name)}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
