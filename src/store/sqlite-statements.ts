/**
 * Prepared statements kept per sqlite connection, for the reads knex sends.
 *
 * Why: node-sqlite3 runs `all(sql)` as prepare → run → finalize, each prepare and run a trip
 * through the libuv thread pool and back, and knex sends every query that way. The same few
 * selects make up every chat turn, so preparing each once per connection halves the trips of a
 * read and saves sqlite from compiling the same SQL over and over. Writes, pragmas and schema
 * changes go the usual way.
 */

type Callback = (this: unknown, err: Error | null, rows?: unknown[]) => void;

interface Statement {
  all(params: unknown[], callback: Callback): void;
  finalize(callback?: (err: Error | null) => void): void;
}

/** The parts of a node-sqlite3 Database this uses. */
export interface Sqlite3Connection {
  all(sql: string, ...rest: unknown[]): unknown;
  prepare(sql: string, callback: (err: Error | null) => void): Statement;
  close(callback?: (err: Error | null) => void): unknown;
}

const READ = /^\s*(select|with)\b/i;

/** Makes `conn.all` reuse a prepared statement per distinct SQL of a read, the `max` most recently used. */
export function cacheReadStatements(conn: Sqlite3Connection, max = 200): void {
  // Least recently used first: a Map keeps insertion order, and a use moves the entry to the end.
  const cache = new Map<string, Statement>();
  const plainAll = conn.all.bind(conn);
  const plainClose = conn.close.bind(conn);

  const forget = (sql: string, stmt: Statement) => {
    if (cache.get(sql) === stmt) cache.delete(sql);
    stmt.finalize();
  };

  const run = (sql: string, stmt: Statement, params: unknown[], callback: Callback, keep: boolean) => {
    stmt.all(params, function (err, rows) {
      // A statement that failed half-way may still hold its read transaction: never reuse it.
      if (err || !keep) forget(sql, stmt);
      callback.call(this, err, rows);
    });
  };

  conn.all = function all(sql: string, ...rest: unknown[]) {
    const [params, callback] = rest;
    if (!READ.test(sql) || !Array.isArray(params) || typeof callback !== 'function' || rest.length !== 2) return plainAll(sql, ...rest);
    const cached = cache.get(sql);
    if (cached) {
      cache.delete(sql);
      cache.set(sql, cached);
      run(sql, cached, params, callback as Callback, true);
      return conn;
    }
    const stmt = conn.prepare(sql, (err) => {
      // As Database#all: a statement that does not prepare answers with sqlite's error.
      if (err) return (callback as Callback).call(stmt, err);
      // Two first uses of one SQL at once: the second statement runs once and goes.
      const keep = !cache.has(sql);
      if (keep) {
        cache.set(sql, stmt);
        if (cache.size > max) {
          const [oldest, old] = cache.entries().next().value as [string, Statement];
          forget(oldest, old);
        }
      }
      run(sql, stmt, params, callback as Callback, keep);
    });
    return conn;
  };

  // sqlite refuses to close a connection with statements still prepared.
  conn.close = function close(callback?: (err: Error | null) => void) {
    for (const stmt of cache.values()) stmt.finalize();
    cache.clear();
    return plainClose(callback);
  };
}
