/** Writes the fault matrix of docs/faults.md from the test's own cases (test/faults/fault-cases.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderFaultMatrix } from '../test/faults/fault-cases';

const file = path.join(__dirname, '..', 'docs', 'faults.md');
const doc = fs.readFileSync(file, 'utf8');
const start = doc.indexOf('| edge');
if (start < 0) throw new Error(`${file} has no fault matrix table (a line starting "| edge") to replace`);
const end = doc.indexOf('\n\n', start);
fs.writeFileSync(file, `${doc.slice(0, start)}${renderFaultMatrix()}${end < 0 ? '\n' : doc.slice(end)}`);
process.stdout.write(`wrote the fault matrix to ${path.relative(process.cwd(), file)}\n`);
