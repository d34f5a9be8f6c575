/**
 * Registers deskflow's custom search attributes on a server that does not have them yet (the
 * time-skipping test server; docker-compose registers them with a one-shot step instead).
 */
import type { Connection } from '@temporalio/client';
import { searchAttributeDefinitions } from '../workflows/search-attributes';

/** temporal.api.enums.v1.IndexedValueType values. */
const TYPES = { Keyword: 2, Bool: 5, Datetime: 6 } as const;

export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  const searchAttributes = Object.fromEntries(searchAttributeDefinitions.map((d) => [d.name, TYPES[d.type]]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}
