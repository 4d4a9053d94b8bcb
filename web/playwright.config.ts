// The browser suite: the page in Debian's Chromium against a real benefitd (the build's
// binary, BENEFITD) on a temporary data dir with the simulated clock. ctest runs it
// (web/tests/CMakeLists.txt); PLAYWRIGHT_OUTPUT_DIR keeps traces and screenshots of failures.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  testMatch: '*.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results',
  use: {
    browserName: 'chromium',
    locale: 'en-US',
    timezoneId: 'Europe/Warsaw',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      // No background traffic: the machines running this have no network but the server's.
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
