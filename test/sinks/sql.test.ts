import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSink } from '../../src/sinks/registry.js';
import fc from 'fast-check';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import { createSqlSink, sqlSink, type SqlSinkSettings } from '../../src/sinks/sql/sql-sink.js';
import { createDatabase, type StoreDialect } from '../../src/store/create-database.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { formModel, makeContext, makeSubmission } from '../fakes/google-forms-sink/sink-test-kit.js';

const form = formModel({
  id: 'newsletter',
  title: 'Newsletter',
  pages: [{ id: 'p', fields: [{ id: 'email', key: 'email', type: 'email', label: 'Email', required: true }, { id: 'topics', key: 'topics', type: 'multiple_choice', label: 'Topics', options: [{ id: 'a', value: 'A', label: 'A' }] }] }],
});

interface Row { submission_id: string; answers_json: string; contact_phone: string; entry_point: string | null }

for (const dialect of ['sqlite', 'postgres'] as StoreDialect[]) {
  describe(`SQL sink on ${dialect}`, () => {
    let test: TestDatabase;
    const sink = createSqlSink(() => test.store);
    const settings = (table = 'form_submissions'): SqlSinkSettings => sink.settingsSchema.parse({ databaseUrl: dialect === 'sqlite' ? 'sqlite::memory:' : 'postgres://x', table });
    const rows = async (table = 'form_submissions'): Promise<Row[]> => {
      const db = test.store.db as unknown as import('kysely').Kysely<Record<string, Row>>;
      return db.selectFrom(table).select(['submission_id', 'answers_json', 'contact_phone', 'entry_point']).orderBy('submission_id').execute();
    };
    beforeAll(async () => {
      test = await openTestDatabase(dialect);
    });
    afterAll(async () => {
      await test.cleanup();
    });

    it('creates the table and stores one row with the answers as JSON', async () => {
      const answers = { email: 'a@b.co', topics: ['A'] };
      const out = await sink.deliver(makeContext(settings()), makeSubmission(form, answers, { id: 's-1', entryPoint: 'ad-7' }));
      expect(out).toEqual({ kind: 'delivered', externalId: 's-1' });
      const [row] = await rows();
      expect(row).toMatchObject({ submission_id: 's-1', contact_phone: '34600123456', entry_point: 'ad-7' });
      expect(JSON.parse(row?.answers_json ?? '')).toEqual(answers);
    });

    it('is idempotent on the submission id: retries and concurrent attempts leave one row', async () => {
      const sub = makeSubmission(form, { email: 'c@d.co' }, { id: 's-2' });
      const outs = await Promise.all([1, 2, 3].map(() => sink.deliver(makeContext(settings()), sub)));
      expect(outs).toEqual([1, 2, 3].map(() => ({ kind: 'delivered', externalId: 's-2' })));
      expect((await rows()).filter((r) => r.submission_id === 's-2')).toHaveLength(1);
    });

    it('a replay after a mapping fix rewrites the same row', async () => {
      await sink.deliver(makeContext(settings()), makeSubmission(form, { email: 'old@d.co' }, { id: 's-3' }));
      await sink.deliver(makeContext(settings()), makeSubmission(form, { email: 'new@d.co', topics: ['A'] }, { id: 's-3' }));
      const mine = (await rows()).filter((r) => r.submission_id === 's-3');
      expect(mine).toHaveLength(1);
      expect(JSON.parse(mine[0]?.answers_json ?? '')).toEqual({ email: 'new@d.co', topics: ['A'] });
    });

    it('an existing table with other columns is a permanent failure with the database\'s message', async () => {
      await (test.store.db as unknown as import('kysely').Kysely<Record<string, { id: string }>>).schema.createTable('odd_table').addColumn('id', 'text').execute();
      const out = await sink.deliver(makeContext(settings('odd_table')), makeSubmission(form, { email: 'x@y.z' }));
      expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/submission_id|column/i) });
    });

    it('random answers are stored and read back unchanged', async () => {
      const value: fc.Arbitrary<SourceValue> = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }));
      let n = 0;
      await fc.assert(fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value), async (answers) => {
        const id = `p-${n++}`;
        expect((await sink.deliver(makeContext(settings('prop_rows')), makeSubmission(form, answers, { id }))).kind).toBe('delivered');
        const row = (await rows('prop_rows')).find((r) => r.submission_id === id);
        expect(JSON.parse(row?.answers_json ?? 'null')).toEqual(answers);
      }), { numRuns: 25 });
    });
  });
}

describe('SQL sink failures', () => {
  it('is registered under its folder name', () => {
    expect(findSink('sql')).toBe(sqlSink);
  });

  it('without a database opener it refuses permanently and says how to wire it', async () => {
    const sink = createSqlSink();
    const out = await sink.deliver(makeContext(sink.settingsSchema.parse({ databaseUrl: 'sqlite::memory:' })), makeSubmission(form, {}));
    expect(out).toMatchObject({ kind: 'permanent', reason: expect.stringMatching(/useDatabaseOpener/) });
  });


  it('an unreachable PostgreSQL is retried, and its password never shows', async () => {
    const sink = createSqlSink((u) => createDatabase(u));
    const url = 'postgres://flow:s3cretpw@127.0.0.1:1/none';
    const out = await sink.deliver(makeContext(sink.settingsSchema.parse({ databaseUrl: url })), makeSubmission(form, { email: 'a@b.co' }));
    await sink.close();
    expect(out).toMatchObject({ kind: 'retry' });
    expect(JSON.stringify(out)).not.toContain('s3cretpw');
  });

  it('refuses table names that are not plain identifiers at configuration time', () => {
    const sink = createSqlSink();
    expect(sink.settingsSchema.safeParse({ databaseUrl: 'sqlite::memory:', table: 'x; drop table y' }).success).toBe(false);
    expect(sink.settingsSchema.safeParse({ databaseUrl: 'mysql://x' }).success).toBe(false);
    expect(sink.settingsSchema.safeParse({ databaseUrl: 'sqlite::memory:', table: 'public.answers' }).success).toBe(true);
  });
});
