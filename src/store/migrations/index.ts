/**
 * Every migration, listed explicitly in order: no directory scan or dynamic
 * import, so bundling and `dist/` builds cannot lose one. Names are sorted
 * by Kysely; never rename or edit an applied migration, add a new one.
 * @module
 */
import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as webhookRecords from './0002-webhook-records.js';

/** Migration name → module. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-webhook-records': webhookRecords,
};
