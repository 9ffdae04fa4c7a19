/**
 * Keeps standard output for events: everything else written to it (the handlers' logs, the
 * SDK's warnings) goes to standard error. Returns a writer of lines to the real standard output.
 */
export function reserveStdoutForEvents(): (line: string) => void {
  const writeOut = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  return (line) => {
    writeOut(`${line}\n`);
  };
}

/** One event as the line `npm run local` prints. */
export function eventLine(event: {
  Source: string;
  DetailType: string;
  EventBusName: string;
  Detail: unknown;
}): string {
  return JSON.stringify({
    Source: event.Source,
    DetailType: event.DetailType,
    EventBusName: event.EventBusName,
    Detail: event.Detail,
  });
}
