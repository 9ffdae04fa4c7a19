/**
 * Reading Markdown as the docs checks and the package test need it: the lines outside fenced code
 * blocks, and the relative links of a page, resolved against the page's folder.
 */
import * as path from 'node:path';

export interface MarkdownLine {
  readonly number: number;
  readonly text: string;
}

/** The lines outside fenced code blocks, numbered from 1. */
export function linesOutsideCode(markdown: string): MarkdownLine[] {
  const lines: MarkdownLine[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
    } else if (fence !== undefined) {
      // A fence closes with the same character, at least as many times, and nothing after it.
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) {
        fence = undefined;
      }
    } else {
      lines.push({ number: index + 1, text });
    }
  });
  return lines;
}

export interface RelativeLink {
  /** The line it is on, from 1. */
  readonly line: number;
  /** As written. */
  readonly target: string;
  /** The file it points to, from the root, with `/` between folders (the page itself for `#anchor`). */
  readonly file: string;
  readonly anchor?: string;
}

/** The relative links of `file` (a path from the root), outside code; links with a scheme are left out. */
export function relativeLinks(file: string, markdown: string): RelativeLink[] {
  const links: RelativeLink[] = [];
  for (const { number, text } of linesOutsideCode(markdown)) {
    const withoutCode = text.replace(/`[^`]*`/g, '');
    for (const [, target] of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z\d+.-]*:/i.test(target)) continue;
      const [targetPath, anchor] = target.split('#', 2);
      const resolved = targetPath === '' ? file : path.posix.join(path.posix.dirname(file), targetPath);
      links.push({ line: number, target, file: resolved, ...(anchor === undefined ? {} : { anchor }) });
    }
  }
  return links;
}
