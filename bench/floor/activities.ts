/** The floor's activities: one comment through the floor sandbox's Jira REST API, and nothing. */
export interface FloorActivities {
  writeComment(key: string): Promise<void>;
  noop(): Promise<void>;
}

export function floorActivities(sandboxUrl: string): FloorActivities {
  const auth = `Basic ${Buffer.from('floor@sighten.io:token').toString('base64')}`;
  return {
    async writeComment(key) {
      const res = await fetch(`${sandboxUrl}/rest/api/2/issue/${encodeURIComponent(key)}/comment`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: 'We have your request.' }),
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`comment on ${key}: HTTP ${res.status}`);
    },
    async noop() {},
  };
}
