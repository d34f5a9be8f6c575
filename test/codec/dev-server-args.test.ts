/** `npm start` hands the dev server's Web UI the codec server, so operators read decrypted payloads. */
import { devServerArgs } from '../../src/local/dev-server';

const base = { dbFile: '/tmp/t.db', ip: '127.0.0.1', port: 7233, namespace: 'default', logLevel: 'warn' };

test('the codec endpoint is passed as --ui-codec-endpoint when the UI runs', () => {
  const args = devServerArgs({ ...base, uiPort: 8233, uiCodecEndpoint: 'http://127.0.0.1:8789' });
  expect(args[args.indexOf('--ui-codec-endpoint') + 1]).toBe('http://127.0.0.1:8789');
});

test('without a UI, or without an endpoint, there is no --ui-codec-endpoint', () => {
  expect(devServerArgs({ ...base, uiPort: false, uiCodecEndpoint: 'http://127.0.0.1:8789' })).not.toContain(
    '--ui-codec-endpoint',
  );
  expect(devServerArgs({ ...base, uiPort: 8233 })).not.toContain('--ui-codec-endpoint');
});
