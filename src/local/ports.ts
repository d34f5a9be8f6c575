/**
 * `npm start` needs its ports free: a leftover dev server on 7233 would otherwise be used silently,
 * with another data folder's database. Each port is tried before anything starts; a taken one is
 * reported with the process that holds it when Linux's /proc tells (pid and command line).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export interface PortNeed {
  port: number;
  /** What deskflow wants it for, e.g. "Temporal dev server (TEMPORAL_PORT)". */
  purpose: string;
  host?: string;
}

/** Resolves null when the port can be listened on, else the error code (EADDRINUSE, EACCES…). */
function tryListen(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** Socket inodes listening on `port` (IPv4 and IPv6), from /proc/net/tcp*. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; state 0A is LISTEN; inode is column 9.
      if (cols.length > 9 && cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9] as string);
    }
  }
  return inodes;
}

/** "pid 1234: temporal server start-dev …" for the process holding `port`, when /proc shows it. */
export function portHolder(port: number): string | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (!m || !inodes.has(m[1] as string)) continue;
      let command = '';
      try {
        command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      } catch {
        // exited meanwhile
      }
      const short = command.length > 160 ? `${command.slice(0, 157)}...` : command;
      return `pid ${pid}${short ? `: ${short}` : ''}`;
    }
  }
  return undefined;
}

/** Throws one message naming every port that is taken and what holds it. */
export async function requireFreePorts(needs: readonly PortNeed[]): Promise<void> {
  const problems: string[] = [];
  for (const need of needs) {
    if (!need.port) continue; // 0: any free port
    const code = await tryListen(need.port, need.host ?? '127.0.0.1');
    if (code === null) continue;
    if (code === 'EADDRINUSE') {
      const holder = portHolder(need.port);
      problems.push(
        `port ${need.port} for the ${need.purpose} is taken${holder ? ` by ${holder}` : ' (by a process this user cannot see)'}`,
      );
    } else {
      problems.push(`port ${need.port} for the ${need.purpose} cannot be used: ${code}`);
    }
  }
  if (problems.length) {
    throw new Error(`${problems.join('; ')}. Stop that process or choose another port, then start again.`);
  }
}
