/**
 * The image (Dockerfile, .dockerignore) and its entrypoint, checked without a container engine: the
 * Dockerfile's stages are read as text; the entrypoint is a POSIX shell script and runs here as it would
 * in the container.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readText, root } from './deploy-files';

const dockerfile = readText('Dockerfile');
/** Stage name → its lines, in order. */
const stages = new Map<string, string[]>();
{
  let current = '';
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)/i.exec(line);
    if (from) {
      current = from[2] as string;
      stages.set(current, [line]);
    } else if (current) stages.get(current)?.push(line);
  }
}
const stage = (name: string): string => (stages.get(name) ?? []).join('\n');
const finalStage = [...stages.keys()].at(-1) as string;

describe('Dockerfile', () => {
  test('builds on a supported Node LTS (22 or 24), as jira.js 6 requires', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    expect(image).toMatch(/^node:(22|24)[.-]/);
    for (const [name, lines] of stages) {
      const from = (lines[0] ?? '').split(/\s+/)[1];
      expect([name, from === '${NODE_IMAGE}' || stages.has(from ?? '')]).toEqual([name, true]);
    }
  });

  test('a build stage typechecks and prebuilds the workflow bundle; the runtime points DESKFLOW_WORKFLOW_BUNDLE at it', () => {
    const build = stage('build');
    expect(build).toMatch(/npx tsc -p deploy\/docker\/tsconfig\.build\.json/);
    expect(build).toMatch(/tsx scripts\/build-workflow-bundle\.ts \/app\/dist\/workflow-bundle\.js/);
    const runtime = stage(finalStage);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist\/workflow-bundle\.js \.\/dist\/workflow-bundle\.js/);
    expect(runtime).toMatch(/DESKFLOW_WORKFLOW_BUNDLE=\/app\/dist\/workflow-bundle\.js/);
    expect(runtime).toMatch(/npm ci --omit=dev|COPY --from=prod-deps/);
  });

  test('the runtime stage runs as a non-root user through the secrets entrypoint', () => {
    const runtime = stage(finalStage);
    const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(runtime).toMatch(/COPY --chmod=755 deploy\/docker\/entrypoint\.sh \/usr\/local\/bin\/deskflow-entrypoint/);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/deskflow-entrypoint"\]$/m);
  });

  test('.dockerignore sends only what the image needs: no .env, no secrets, no .git', () => {
    const rules = readText('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    const allowed = rules.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    expect(allowed.sort()).toEqual(
      [
        'package.json',
        'package-lock.json',
        'tsconfig.json',
        'src/',
        'scripts/build-workflow-bundle.ts',
        'deploy/docker/',
      ].sort(),
    );
    // Every file the Dockerfile copies from the context is allowed in.
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(/\s+/),
    );
    for (const path of copied) {
      expect([path, allowed.some((a) => path === a || path.startsWith(a) || `${path}/` === a)]).toEqual([path, true]);
    }
  });
});

describe('the container entrypoint (deploy/docker/entrypoint.sh)', () => {
  const entrypoint = `${root}deploy/docker/entrypoint.sh`;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'deskflow-entrypoint-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the entrypoint with `env` and a command printing the variables it was given. */
  const run = (env: Record<string, string>) =>
    spawnSync('sh', [entrypoint, 'node', '-e', 'process.stdout.write(JSON.stringify(process.env))'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });
  const secretFile = (name: string, content: string): string => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  test('exports NAME from NAME_FILE (trailing newline dropped) and removes NAME_FILE', () => {
    const result = run({
      JIRA_API_TOKEN_FILE: secretFile('jira', 'token-1\n'),
      WEBHOOK_SECRET_FILE: secretFile('hook', 's3cret'),
    });
    expect(result.status).toBe(0);
    const env = JSON.parse(result.stdout) as Record<string, string>;
    expect(env).toMatchObject({ JIRA_API_TOKEN: 'token-1', WEBHOOK_SECRET: 's3cret' });
    expect(env.JIRA_API_TOKEN_FILE).toBeUndefined();
    expect(env.WEBHOOK_SECRET_FILE).toBeUndefined();
  });

  test('stops with the variable named when a required variable is missing or its secret file is empty', () => {
    const missing = run({ DESKFLOW_REQUIRED_VARIABLES: 'WEBHOOK_SECRET' });
    expect(missing.status).toBe(64);
    expect(missing.stderr).toContain('required variables missing or empty: WEBHOOK_SECRET');
    expect(missing.stdout).toBe('');

    const empty = run({ DESKFLOW_REQUIRED_VARIABLES: 'WEBHOOK_SECRET', WEBHOOK_SECRET_FILE: secretFile('empty', '') });
    expect(empty.status).toBe(64);
    expect(empty.stderr).toContain('WEBHOOK_SECRET');

    const present = run({ DESKFLOW_REQUIRED_VARIABLES: 'WEBHOOK_SECRET', WEBHOOK_SECRET: 'given directly' });
    expect(present.status).toBe(0);
    expect((JSON.parse(present.stdout) as Record<string, string>).DESKFLOW_REQUIRED_VARIABLES).toBeUndefined();
  });

  test('stops, naming the file, when a secret file cannot be read; refuses a required name that is not a variable', () => {
    const unreadable = run({ SLACK_BOT_TOKEN_FILE: join(dir, 'does-not-exist') });
    expect(unreadable.status).toBe(64);
    expect(unreadable.stderr).toContain(`SLACK_BOT_TOKEN_FILE points at ${join(dir, 'does-not-exist')}`);

    const injected = run({ DESKFLOW_REQUIRED_VARIABLES: 'X;touch' });
    expect(injected.status).toBe(64);
    expect(injected.stderr).toContain("'X;touch' is not a variable name");
  });
});
