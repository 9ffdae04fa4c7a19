/**
 * The README and the pages in docs/ read well as plain text and hold together: no prose line wider
 * than 120 characters, every relative link pointing at a file (and heading) that exists, and a
 * README table of contents that lists its sections.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { linesOutsideCode, relativeLinks } from '../support/markdown-links';

const ROOT = path.join(__dirname, '..', '..');
const MAX_PROSE_WIDTH = 120;
const TOC_HEADING = 'Contents';

/** The files checked, relative to the repository's root: the README and every page in docs/. */
function markdownFiles(): string[] {
  const pages = readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages];
}

function read(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

const isTableRow = (text: string): boolean => text.trimStart().startsWith('|');

/** Prose lines (outside code blocks and tables) wider than 120 characters, as `line: text`. */
function wideProseLines(markdown: string): string[] {
  return linesOutsideCode(markdown)
    .filter(({ text }) => !isTableRow(text) && [...text].length > MAX_PROSE_WIDTH)
    .map(({ number, text }) => `${number}: ${[...text].length} characters: ${text}`);
}

interface Heading {
  readonly level: number;
  readonly text: string;
}

function headings(markdown: string): Heading[] {
  return linesOutsideCode(markdown).flatMap(({ text }) => {
    const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(text);
    return match ? [{ level: match[1].length, text: match[2] }] : [];
  });
}

/**
 * The anchor GitHub gives a heading: link markup reduced to its text, lower case, punctuation
 * (backticks, colons, commas, …) removed, each space turned into `-`.
 */
function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a page; a repeated heading gets `-1`, `-2`, … as on GitHub. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { text } of headings(markdown)) {
    const slug = githubSlug(text);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Relative links of `file` (a path from the root) whose file or heading does not exist, as `line: target`. */
function brokenLinks(file: string, markdown: string): string[] {
  const broken: string[] = [];
  for (const link of relativeLinks(file, markdown)) {
    if (!existsSync(path.join(ROOT, link.file))) {
      broken.push(`${link.line}: ${link.target} (no file ${link.file})`);
    } else if (link.anchor !== undefined && link.file.endsWith('.md')) {
      const targetText = link.file === file ? markdown : read(link.file);
      if (!anchors(targetText).has(link.anchor))
        broken.push(`${link.line}: ${link.target} (no heading #${link.anchor} in ${link.file})`);
    }
  }
  return broken;
}

interface TocEntry {
  readonly text: string;
  readonly anchor: string;
}

/** The top-level entries of the list under the `## Contents` heading. */
function tableOfContents(markdown: string): TocEntry[] {
  const lines = linesOutsideCode(markdown).map(({ text }) => text);
  const start = lines.indexOf(`## ${TOC_HEADING}`);
  if (start < 0) return [];
  const entries: TocEntry[] = [];
  for (const text of lines.slice(start + 1)) {
    if (text.startsWith('#')) break;
    const match = /^[-*] \[(.+)\]\(#([^)]+)\)$/.exec(text);
    if (match) entries.push({ text: match[1], anchor: match[2] });
  }
  return entries;
}

/** What the table of contents should hold: every `##` heading but its own, in order. */
function expectedTableOfContents(markdown: string): TocEntry[] {
  return headings(markdown)
    .filter(({ level, text }) => level === 2 && text !== TOC_HEADING)
    .map(({ text }) => ({ text, anchor: githubSlug(text) }));
}

describe('the README and docs/*.md', () => {
  const files = markdownFiles();

  test('cover the README and at least one page in docs/', () => {
    expect(files).toContain('README.md');
    expect(files.length).toBeGreaterThan(1);
  });

  // docs/benchmarks.md too: `npm run bench -- --write-docs` wraps its prose at the same width.
  test.each(files)('%s has no prose line wider than 120 characters', (file) => {
    expect(wideProseLines(read(file))).toEqual([]);
  });

  test.each(files)('every relative link in %s points to a file, and a heading, that exists', (file) => {
    expect(brokenLinks(file, read(file))).toEqual([]);
  });

  test("the README's table of contents lists its ## sections, in order, with their anchors", () => {
    const readme = read('README.md');
    expect(tableOfContents(readme)).not.toEqual([]);
    expect(tableOfContents(readme)).toEqual(expectedTableOfContents(readme));
  });
});

describe('the Markdown checks', () => {
  test('fails when a prose line is wider than 120 characters, and not for code blocks or tables', () => {
    const wide = 'word '.repeat(30).trim();
    const markdown = ['# Title', wide, '```sh', wide, '```', `| ${wide} |`, 'short'].join('\n');
    expect(wideProseLines(markdown)).toEqual([`2: 149 characters: ${wide}`]);
  });

  test('counts characters, not bytes', () => {
    expect(wideProseLines('—'.repeat(MAX_PROSE_WIDTH))).toEqual([]);
  });

  test('fails when a link points to a missing file, or to a heading its page does not have', () => {
    const markdown = [
      '# Title',
      '## A section',
      'See [sweep](docs/sweep.md), [off](docs/sweep.md#turning-it-off), [here](#a-section).',
      'Not [there](docs/missing.md), nor [that](docs/sweep.md#no-such-heading), nor [this](#nowhere).',
      'Not a link: `[x](nowhere.md)`; [web](https://example.com) is not checked.',
    ].join('\n');
    expect(brokenLinks('README.md', markdown)).toEqual([
      '4: docs/missing.md (no file docs/missing.md)',
      '4: docs/sweep.md#no-such-heading (no heading #no-such-heading in docs/sweep.md)',
      '4: #nowhere (no heading #nowhere in README.md)',
    ]);
  });

  test('resolves links from a page in docs/ against docs/', () => {
    expect(brokenLinks('docs/x.md', '[up](../README.md#license) [side](sweep.md) [no](README.md)')).toEqual([
      '1: README.md (no file docs/README.md)',
    ]);
  });

  test("makes anchors as GitHub does: lower case, punctuation gone, spaces to '-', repeats numbered", () => {
    expect(githubSlug('Faults, and what each gets')).toBe('faults-and-what-each-gets');
    expect(githubSlug('`Neptune Analytics Import Task Status Change`')).toBe(
      'neptune-analytics-import-task-status-change',
    );
    expect(githubSlug('When the poller looks: progress-aware polling')).toBe(
      'when-the-poller-looks-progress-aware-polling',
    );
    expect(githubSlug('Set-up')).toBe('set-up');
    expect(githubSlug('Calling `GetImportTask`')).toBe('calling-getimporttask');
    expect([...anchors('## Notes\n## Notes\n## Notes')]).toEqual(['notes', 'notes-1', 'notes-2']);
  });

  test('ignores headings inside code blocks', () => {
    expect(headings('# Real\n```sh\n# a shell comment\n```')).toEqual([{ level: 1, text: 'Real' }]);
  });

  test('fails when the table of contents leaves out a section or names one wrongly', () => {
    const readme = [
      '# Title',
      '## Contents',
      '- [Set-up](#set-up)',
      '- [Quick Start](#quick-start)',
      '## Set-up',
      '## Quick start',
      '### Install',
      '## License',
    ].join('\n');
    expect(tableOfContents(readme)).not.toEqual(expectedTableOfContents(readme));
    expect(expectedTableOfContents(readme)).toEqual([
      { text: 'Set-up', anchor: 'set-up' },
      { text: 'Quick start', anchor: 'quick-start' },
      { text: 'License', anchor: 'license' },
    ]);
  });
});
