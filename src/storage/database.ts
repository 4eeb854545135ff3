/** A row as drivers return it: column names to values. */
export type Row = Record<string, unknown>

export interface QueryResult<R extends Row> {
  rows: R[]
  rowCount: number
}

/** Something that runs one SQL statement with `$1`-style parameters. */
export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>
}

export interface PoolStats {
  total: number
  idle: number
  waiting: number
}

/**
 * The one storage interface of the service, implemented over a `pg` pool and over the embedded
 * PGlite; both speak the same PostgreSQL dialect, so repositories are written once.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'embedded'
  /** Runs `work` in one transaction on one session; it commits when `work` resolves. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  poolStats(): PoolStats
  close(): Promise<void>
}
