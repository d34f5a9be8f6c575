/**
 * The pages people use, driven in a real browser (Debian's chromium through playwright-core; installed by
 * `node scripts/setup.mjs --with-chromium`, which `npm test` runs): under `npm start`, a ticket created on
 * the sandbox page reaches the supervisor board, whose link opens the ticket's run in the Temporal Web UI
 * showing its summary. Screenshots go to docs/screenshots/ (shown in the README).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const shots = join(repo, 'docs', 'screenshots');
const TOKEN = 'board-token-for-the-browser-test';

/** $CHROMIUM_PATH, else chromium on PATH (Debian's package installs /usr/bin/chromium). */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error('chromium is not installed: run `node scripts/setup.mjs --with-chromium` (or set CHROMIUM_PATH)');
}

let dir: string;
let deskflow: ChildProcess | undefined;
let output = '';
let browser: Browser | undefined;

/**
 * The address `npm start` printed for a component ("  board           http://127.0.0.1:41234/?token=…"):
 * every port is 0, so the stack binds free ones itself and no other suite can take them in between.
 */
function printed(component: string): URL {
  const line = output.split('\n').find((l) => l.startsWith(`  ${component.padEnd(16)}http`));
  if (!line) throw new Error(`npm start printed no address for the ${component}:\n${output}`);
  return new URL(line.trim().slice(component.length).trim().split(' ')[0] ?? '');
}

async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (deskflow && deskflow.exitCode !== null)
      throw new Error(`npm start exited while waiting for ${what}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; npm start said:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Reloads `page` until `selector` shows (the pages refresh on their own too). */
async function reloadUntil(page: Page, selector: string, timeoutMs: number): Promise<void> {
  await until(
    selector,
    async () => {
      try {
        if (await page.locator(selector).count()) return true;
        await page.reload();
      } catch {
        // The page reloaded itself meanwhile (the sandbox page does every 5 s): look again.
      }
      return false;
    },
    timeoutMs,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskflow-browser-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DESKFLOW_TOOLS_DIR: process.env.DESKFLOW_TOOLS_DIR,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    DESKFLOW_DATA_DIR: dir,
    DESKFLOW_BOARD_TOKEN: TOKEN,
    TEMPORAL_CONFIG_FILE: join(dir, 'no-such-temporal.toml'),
    ...Object.fromEntries(
      ['TEMPORAL_PORT', 'UI_PORT', 'RELAY_PORT', 'SANDBOX_PORT', 'CODEC_PORT', 'BOARD_PORT'].map((k) => [k, '0']),
    ),
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  deskflow = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  deskflow.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  deskflow.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  await until('"deskflow is up"', () => output.includes('deskflow is up'), 180_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (deskflow && deskflow.exitCode === null) {
    const exited = new Promise((r) => deskflow?.once('exit', r));
    deskflow.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (deskflow.exitCode === null) deskflow.kill('SIGKILL');
  }
  // The dev server never outlives its parent (watchdog); anything of this folder left is killed.
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

test('a ticket created on the sandbox page reaches the board, and the Temporal UI shows its summary', async () => {
  mkdirSync(shots, { recursive: true });
  const context = await browser!.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const sandbox = printed('sandbox').origin;

  // 1. A customer writes in, on the sandbox page.
  await page.goto(sandbox);
  const form = page.locator('#new-ticket');
  await form.locator('input[name=reporter]').fill('pat@brightleafsolar.com');
  await form.locator('input[name=summary]').fill('PDF export shows blank totals');
  await form
    .locator('textarea[name=description]')
    .fill('Since this morning every proposal PDF we export has empty totals. Error: "Totals unavailable".');
  await form.locator('button[type=submit]').click();
  await reloadUntil(page, '#SS-1', 30_000);
  // deskflow answered it (S-10): a public comment by staff appears on the ticket.
  await reloadUntil(page, '#SS-1 .c', 60_000);

  // The onboarding form, filled in by its button.
  await page.locator('#onboarding').click();
  expect(await form.locator('input[name=summary]').inputValue()).toBe('EverBright - New Partner Onboarding');
  expect(await form.locator('textarea[name=description]').inputValue()).toMatch(/^Installer name: /);
  await form.locator('button[type=submit]').click();
  await reloadUntil(page, '#SS-2', 30_000);

  // The onboarding opened a CS issue (E-08); the config team moves it on the page.
  await reloadUntil(page, 'div.issue[id^="CS-"] form[data-action=move]', 60_000);
  const cs = page.locator('div.issue[id^="CS-"]').first();
  const csKey = await cs.getAttribute('id');
  await cs.locator('select[name=to]').selectOption('In Progress');
  await cs.locator('button[type=submit]').click();
  await reloadUntil(page, `div.issue[id="${csKey}"] .status:text-is("In Progress")`, 30_000);

  // The customer answers on SS-1, as the customer.
  const comment = page.locator('#SS-1 form[data-action=comment]');
  await comment.locator('textarea[name=body]').fill('It happens on every proposal, also the old ones.');
  await comment.locator('select[name=by]').selectOption('pat@brightleafsolar.com');
  await comment.locator('button[type=submit]').click();
  await reloadUntil(page, '#SS-1 .c:has-text("also the old ones")', 30_000);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(shots, 'sandbox.png') });

  // 2. The supervisor board lists it, behind its token.
  const board = printed('board').origin;
  expect((await fetch(`${board}/`)).status).toBe(401);
  await page.goto(`${board}/?token=${TOKEN}`);
  expect(page.url()).toBe(`${board}/`); // the token went into a cookie, not the address bar
  await reloadUntil(page, 'tr[data-ticket="SS-1"]', 60_000);
  await reloadUntil(page, 'tr[data-ticket="SS-2"]', 60_000);
  await expect(page.locator('tr[data-ticket="SS-1"]').first().textContent()).resolves.toContain(
    'PDF export shows blank totals',
  );
  await page.screenshot({ path: join(shots, 'board.png') });

  // 3. Its link opens the run in the Temporal Web UI, which shows the ticket's summary.
  await page.locator('tr[data-ticket="SS-1"] a').first().click();
  await page.waitForURL(/\/namespaces\/default\/workflows\/ticket-SS-1\//, { timeout: 30_000 });
  // The run's fixed summary and details, its current details (stage, deadlines in the support time zone)
  // and the SOP step of each activity and timer, under "User Metadata".
  await page.getByText('User Metadata', { exact: true }).first().click();
  // The UI renders this markdown in frames of its own.
  const shown = async (text: string) => {
    for (const frame of page.frames()) if ((await frame.content().catch(() => '')).includes(text)) return true;
    return false;
  };
  await until('the run summary in the Web UI', () => shown('SS-1 · PDF export shows blank totals'), 60_000);
  await until('current details in the support time zone', () => shown('First response'), 30_000);
  await page
    .getByText(/^S-13 follow up regularly: wait for/)
    .first()
    .waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(shots, 'temporal-ticket.png') });

  // 4. The Web UI's list, filtered to what needs attention: open tickets that missed the first-response SLA
  // or whose next deadline falls within a week (the S-13 follow-up two business days on is four calendar
  // days away from a Thursday, and more across a holiday weekend: the test runs on any day).
  const soon = new Date(Date.now() + 7 * 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const query = `WorkflowType = "ticketWorkflow" AND ExecutionStatus = "Running" AND (SlaBreached = true OR NextDeadline < "${soon}")`;
  await page.goto(
    `${printed('Temporal Web UI').origin}/namespaces/default/workflows?query=${encodeURIComponent(query)}`,
  );
  await page.getByText('ticket-SS-1').first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: join(shots, 'temporal-attention.png') });
  await context.close();
}, 300_000);
