// A real benefitd for the browser suite: one per Playwright worker, on a temporary data dir,
// simulated clock from Monday 2026-01-05 09:00 UTC, a free port (it prints `listening on`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const OPERATOR_TOKEN = 'browser-suite-operator-token';
export const CLOCK_START = '2026-01-05T09:00:00Z';

export interface Server {
  baseURL: string;
  stop: () => Promise<void>;
}

/** `extra`: further flags, e.g. ['--fulfilment', 'external']. */
export async function startServer(extra: string[] = []): Promise<Server> {
  const binary = process.env.BENEFITD;
  if (!binary) throw new Error('BENEFITD must name the benefitd binary to test');
  const dataDir = mkdtempSync(join(tmpdir(), 'benefitd-browser-'));
  const child: ChildProcess = spawn(
    binary,
    ['--data-dir', join(dataDir, 'data'), '--listen', '127.0.0.1:0', '--clock', 'simulated', '--clock-start',
      CLOCK_START, '--durability', 'none', '--log-level', 'warn', ...extra],
    { env: { ...process.env, BENEFITD_OPERATOR_TOKEN: OPERATOR_TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const match = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
      if (match) resolve(match[1]!);
      else reject(new Error(`benefitd said: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`benefitd exited with ${code} before listening`)));
  });
  return {
    baseURL: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
