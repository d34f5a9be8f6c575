/** Placeholder: the webhook relay (Jira webhooks → signalWithStart / signal). */
import type { Client } from '@temporalio/client';
import type { DeskflowConfig } from '../../config';

export interface RelayOptions {
  client: Client;
  taskQueue: string;
  config: DeskflowConfig;
  port: number;
  host?: string;
  /** HMAC secret (X-Hub-Signature) or shared-secret header value; every request is refused without it when set. */
  webhookSecret?: string;
}

export interface Relay {
  url: string;
  close(): Promise<void>;
}

export async function startRelay(_options: RelayOptions): Promise<Relay> {
  throw new Error('the relay is not built yet');
}
