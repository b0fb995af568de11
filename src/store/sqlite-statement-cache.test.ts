import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheStatements } from './sqlite-statement-cache.js';

describe('cacheStatements', () => {
  let database: BetterSqlite3.Database | undefined;
  afterEach(() => database?.close());

  const open = (limit?: number): BetterSqlite3.Database => {
    database = cacheStatements(new BetterSqlite3(':memory:'), limit);
    database.exec('create table t (id integer primary key, v text)');
    return database;
  };

  it('hands out one prepared statement per SQL text', () => {
    const db = open();
    const insert = db.prepare('insert into t (v) values (?)');
    expect(db.prepare('insert into t (v) values (?)')).toBe(insert);
    insert.run('a');
    db.prepare('insert into t (v) values (?)').run('b');
    expect(db.prepare('select v from t order by id').all()).toEqual([{ v: 'a' }, { v: 'b' }]);
  });

  it('prepares a fresh statement while the cached one is being iterated', () => {
    const db = open();
    for (const v of ['a', 'b', 'c']) db.prepare('insert into t (v) values (?)').run(v);
    const seen: string[] = [];
    for (const row of db.prepare('select v from t order by id').iterate() as Iterable<{ v: string }>) {
      // The same text again inside the loop: the cached statement is busy, so another one runs.
      const count = db.prepare('select v from t order by id').all().length;
      seen.push(`${row.v}${count}`);
    }
    expect(seen).toEqual(['a3', 'b3', 'c3']);
  });

  it('keeps at most `limit` texts, dropping the oldest first', () => {
    const db = open(2);
    const first = db.prepare('select 1');
    const second = db.prepare('select 2');
    db.prepare('select 3');
    expect(db.prepare('select 2')).toBe(second);
    expect(db.prepare('select 1')).not.toBe(first);
  });

  it('sees schema changes made after a statement was cached', () => {
    const db = open();
    expect(db.prepare('select * from t').all()).toEqual([]);
    db.exec("alter table t add column w text default 'x'");
    db.prepare('insert into t (v) values (?)').run('a');
    expect(db.prepare('select * from t').all()).toEqual([{ id: 1, v: 'a', w: 'x' }]);
  });
});
