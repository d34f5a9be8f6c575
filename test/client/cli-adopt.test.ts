/** `deskflow adopt` mistakes are refused before any server is contacted (issue 9). */
import type { Client } from '@temporalio/client';
import { runCli } from '../../src/client/cli/main';
import { defaultConfig } from '../../src/config/defaults';

const touched: string[] = [];
const untouchable = new Proxy(
  {},
  {
    get(_target, property) {
      touched.push(String(property));
      throw new Error(`the client was used (${String(property)})`);
    },
  },
) as Client;

afterEach(() => expect(touched).toEqual([]));

test.each([
  [['adopt'], /give one ticket key or --jql/],
  [['adopt', 'SS-1', '--jql', 'project = SS'], /give one ticket key or --jql/],
  [['adopt', 'CS-4'], /CS-4 is not a SS ticket/],
])('deskflow %j exits 2 with the reason', async (argv, reason) => {
  const err: string[] = [];
  const code = await runCli(argv, {
    client: untouchable,
    config: defaultConfig,
    env: { DESKFLOW_AGENT: defaultConfig.roles.onDutyAgents[0] },
    stdout: () => undefined,
    stderr: (l) => err.push(l),
  });
  expect(code).toBe(2);
  expect(err[0]).toMatch(reason);
});

test('adopt names its actor like every command that changes tickets', async () => {
  const err: string[] = [];
  const code = await runCli(['adopt', 'SS-1'], {
    client: untouchable,
    config: defaultConfig,
    env: {},
    stdout: () => undefined,
    stderr: (l) => err.push(l),
  });
  expect(code).toBe(2);
  expect(err[0]).toMatch(/who is acting/);
});
