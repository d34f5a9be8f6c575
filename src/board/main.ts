/**
 * `npm run board`: the supervisor board on its own (BOARD_PORT, default 8791), for a deployment where
 * `npm start` does not run: DESKFLOW_BOARD_TOKEN (16+ characters) is required, TEMPORAL_UI_URL makes each
 * ticket a link to its run in the Web UI. Listens on 127.0.0.1 unless BOARD_HOST says otherwise.
 */
import { loadConfig, loadEnv } from '../config';
import { connectClient, temporalSettings } from '../client/connection';
import { startBoard } from './server';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadConfig({ file: env.DESKFLOW_CONFIG });
  if (!env.DESKFLOW_BOARD_TOKEN) throw new Error('DESKFLOW_BOARD_TOKEN is required (16 or more characters)');
  const client = await connectClient(process.env);
  const board = await startBoard({
    client,
    config,
    namespace: temporalSettings(process.env).namespace,
    token: env.DESKFLOW_BOARD_TOKEN,
    temporalUiUrl: env.TEMPORAL_UI_URL,
    port: env.BOARD_PORT,
    host: process.env.BOARD_HOST ?? '127.0.0.1',
  });
  process.stdout.write(`deskflow supervisor board on ${board.url}/ (token: DESKFLOW_BOARD_TOKEN)\n`);
  const stop = (): void => {
    void board
      .close()
      .then(() => client.connection.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`deskflow board: ${(err as Error).message}\n`);
  process.exit(1);
});
