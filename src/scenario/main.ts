/**
 * `npm run scenario -- FILE.json [FILE.json ...]`: runs each scenario and prints PASS or FAIL with
 * every failed expectation. Exits non-zero if any failed. `--verbose` shows each step as it runs;
 * `--save-histories DIR` writes the ticket workflows' histories for the replay tests, never over an
 * existing file; `--record-histories ROOT` writes them into a new version folder under ROOT (the replay
 * corpus only grows: histories of an earlier version stay, because tickets that version started still run).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { parseScenario } from './format';
import { runScenario } from './runner';

async function main(argv: string[]): Promise<number> {
  // Retries during a simulated outage are expected: only errors are worth a line here.
  const level = argv.includes('--verbose') ? 'WARN' : 'ERROR';
  Runtime.install({
    logger: new DefaultLogger(level),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: level }), forward: {} } },
  });
  const files: string[] = [];
  let verbose = false;
  let historiesDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--save-histories') historiesDir = argv[++i];
    else if (a === '--record-histories') historiesDir = newVersionFolder(argv[++i] as string);
    else if (a.startsWith('-')) {
      console.error(
        `unknown option ${a}\nusage: npm run scenario -- [--verbose] [--save-histories DIR | --record-histories ROOT] FILE.json ...`,
      );
      return 2;
    } else files.push(a);
  }
  if (!files.length) {
    console.error(
      'usage: npm run scenario -- [--verbose] [--save-histories DIR | --record-histories ROOT] FILE.json ...',
    );
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const started = Date.now();
    let scenario;
    try {
      scenario = parseScenario(JSON.parse(readFileSync(file, 'utf8')), file);
    } catch (err) {
      console.log(`FAIL ${file}\n    ${(err as Error).message}`);
      failed++;
      continue;
    }
    if (verbose) console.error(`running ${scenario.name}`);
    const result = await runScenario(scenario, {
      keepHistories: !!historiesDir,
      progress: verbose ? (line) => console.error(line) : undefined,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${result.passed ? 'PASS' : 'FAIL'} ${result.name} (${seconds} s)`);
    for (const f of result.failures) console.log(`    ${f}`);
    if (!result.passed) failed++;
    if (historiesDir) {
      mkdirSync(historiesDir, { recursive: true });
      for (const h of result.histories) {
        const name = `${basename(dirname(file))}--${basename(file, '.json')}--${h.workflowId}.json`;
        // flag 'wx': a recorded history is never overwritten.
        writeFileSync(join(historiesDir, name), historyToJSON(h.history), { flag: 'wx' });
      }
    }
  }
  if (files.length > 1) console.log(`${files.length - failed} of ${files.length} scenarios passed`);
  return failed ? 1 : 0;
}

/** ROOT/<today>-<n>: a folder no earlier recording used. */
function newVersionFolder(root: string): string {
  const today = new Date().toISOString().slice(0, 10);
  const taken = existsSync(root) ? readdirSync(root).filter((d) => d.startsWith(today)).length : 0;
  let n = taken + 1;
  while (existsSync(join(root, `${today}-${n}`))) n++;
  const dir = join(root, `${today}-${n}`);
  console.error(`recording histories into ${dir}`);
  return dir;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
