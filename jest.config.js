/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // The suites run beside the linter on two cores; a busy machine makes them slower, and that must not fail them.
  testTimeout: 120000,
  // Most suites wait on loopback HTTP and child processes as much as on the CPU: three workers on two cores
  // finished the suite in 135 s where two took 152 s (Jest alone, fresh clone, no caches).
  maxWorkers: 3,
};
