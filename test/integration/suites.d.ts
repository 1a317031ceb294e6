/**
 * Virtual module made by scripts/lib/integration-suites.mjs when the integration bundle is
 * built: every test/integration/suite/*.test.ts as [name, load], `name` without `.test.ts`.
 * `load()` evaluates the suite file (registering its mocha suites); call it only after
 * mocha's `pre-require` has set up the TDD globals.
 */
declare module 'integration-suites' {
  const suites: ReadonlyArray<readonly [name: string, load: () => unknown]>;
  export default suites;
}
