/**
 * Every migration, listed explicitly in order: no directory scan or dynamic
 * import, so bundling and `dist/` builds cannot lose one. Names are sorted
 * by Kysely; never rename or edit an applied migration, add a new one.
 * @module
 */
import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as webhookRecords from './0002-webhook-records.js';
import * as delivery from './0003-delivery.js';
import * as alerts from './0004-alerts.js';
import * as messaging from './0005-messaging.js';
import * as broadcasts from './0006-broadcasts.js';
import * as entryPoints from './0007-entry-points.js';
import * as clientErrors from './0008-client-errors.js';

/** Migration name → module. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-webhook-records': webhookRecords,
  '0003-delivery': delivery,
  '0004-alerts': alerts,
  '0005-messaging': messaging,
  '0006-broadcasts': broadcasts,
  '0007-entry-points': entryPoints,
  '0008-client-errors': clientErrors,
};
