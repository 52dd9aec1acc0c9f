import { defineConfig } from 'vite';

/**
 * The client scenario harness (test/harness/scenarioHarness.ts) as one script,
 * dist-harness/scenario-harness.js, which tests/Parley.Web.Tests loads into a page
 * of the test server. Separate from the app's build: dist/ never contains it.
 */
export default defineConfig({
  build: {
    outDir: 'dist-harness',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: 'test/harness/scenarioHarness.ts',
      name: 'ParleyScenarioHarness',
      formats: ['iife'],
      fileName: () => 'scenario-harness.js',
    },
  },
});
