import { defineConfig } from 'vitest/config';

// The logic under test (socket client, typing, API wrapper) touches no DOM, so the
// plain node environment is enough; WebSocket and time are injected/faked.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
