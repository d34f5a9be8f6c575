/**
 * Ports the dev server picks for itself can be taken by another process before the server binds them
 * (suites start servers in parallel): a start-up that fails then is retried on new ports. Ports given
 * by the caller are not changed: a failure there is reported as it is.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporalCliPath } from '../../src/local/tools';
import { startDevServer, type DevServer } from '../../src/local/dev-server';

let dir: string;
let server: DevServer | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskflow-dev-server-ports-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** A `temporal` that fails its first start, as a server finding its port taken does, then runs the real one. */
function failingOnce(name: string): { cli: string; marker: string } {
  const marker = join(dir, `${name}.failed-once`);
  const cli = join(dir, `${name}.sh`);
  writeFileSync(
    cli,
    `#!/bin/sh\nif [ ! -e '${marker}' ]; then : > '${marker}'; echo 'bind: address already in use' >&2; exit 1; fi\nexec '${temporalCliPath()}' "$@"\n`,
  );
  chmodSync(cli, 0o755);
  return { cli, marker };
}

test('picked ports: a start-up that fails is retried on new ports', async () => {
  const { cli, marker } = failingOnce('picked');
  server = await startDevServer({ dbFile: join(dir, 'picked.db'), uiPort: false, output: 'ignore', cliPath: cli });
  expect(existsSync(marker)).toBe(true);
  expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
  await server.stop();
  server = undefined;
}, 90_000);

test('ports given by the caller: the failure is reported, not retried elsewhere', async () => {
  const { cli } = failingOnce('given');
  await expect(
    startDevServer({ dbFile: join(dir, 'given.db'), port: 1, uiPort: false, output: 'ignore', cliPath: cli }),
  ).rejects.toThrow(/exited during start-up \(exit code 1\)/);
}, 30_000);
