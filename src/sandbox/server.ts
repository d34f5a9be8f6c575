/** Placeholder: the sandbox (Jira Service Management, Slack and Aha! stand-in) is being built. */
export interface SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where Jira webhooks are delivered (the relay's /webhooks/jira). */
  webhookUrl?: string;
  /** HMAC-SHA256 secret for X-Hub-Signature; unsigned when absent. */
  webhookSecret?: string;
  /** JSON file the state is saved to and loaded from (npm start); in memory only when absent. */
  dataFile?: string;
  /** E-mail domains whose users are staff (agents); everyone else is a customer. */
  internalDomains?: string[];
  /** The clock used for timestamps (the scenario runner passes virtual time). */
  now?: () => Date;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:8788 — Jira at the root, Slack under /slack/api/, Aha! under /aha/api/v1/. */
  url: string;
  /** Resolves when every queued webhook has been acknowledged. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandbox(_options: SandboxOptions): Promise<Sandbox> {
  throw new Error('the sandbox is not built yet');
}
