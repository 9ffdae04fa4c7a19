/** The integration test's committed snapshot still matches what the app synthesizes (offline: nothing deploys). */
import { rmSync } from 'node:fs';
import { INTEG_SNAPSHOT_DIR, normalizedTemplates, synthesizeIntegApp } from '../scripts/integ-snapshot';

test('GIVEN the integration test app THEN its templates match the committed snapshot (run `npm run integ:snapshot` after a deliberate change)', () => {
  const outdir = synthesizeIntegApp();
  try {
    const synthesized = normalizedTemplates(outdir);
    expect(Object.keys(synthesized)).toEqual([
      'NeptuneImportPollerInteg.template.json',
      'NeptuneImportPollerIntegTestDefaultTestDeployAssertEE86F7B7.template.json',
    ]);
    expect(synthesized).toEqual(normalizedTemplates(INTEG_SNAPSHOT_DIR));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}, 120_000);

test('GIVEN the snapshot THEN the assertions watch a task that does not exist and expect TASK_NOT_FOUND', () => {
  const assertions = JSON.stringify(
    normalizedTemplates(INTEG_SNAPSHOT_DIR)[
      'NeptuneImportPollerIntegTestDefaultTestDeployAssertEE86F7B7.template.json'
    ],
  );
  expect(assertions).toContain('t-nosuchtsk0');
  expect(assertions).toContain('TASK_NOT_FOUND');
  expect(assertions).toContain('describeExecution');
});
