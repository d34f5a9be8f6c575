/** The README asks for exactly the Slack scopes the sandbox grants by default (issue 14). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DESKFLOW_SLACK_SCOPES } from '../../src/sandbox/slack';

test('every scope deskflow needs is in the README, and the README asks for no other', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const line = /bot token scopes: (.*?)\. deskflow joins/.exec(readme.replace(/\s+/g, ' '))?.[1] ?? '';
  const listed = [...line.matchAll(/`([a-z.:]+)`/g)].map((m) => m[1]);
  expect([...listed].sort()).toEqual([...DESKFLOW_SLACK_SCOPES].sort());
});
