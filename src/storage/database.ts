/** A row as drivers return it: column names to values. */
export type Row = Record<string, unknown>

export interface QueryResult<R extends Row> {
  rows: R[]
  rowCount: number
}

/** Options of one SQL statement. */
export interface QueryOptions {
  /**
   * Name under which PostgreSQL keeps the statement parsed and planned on each connection, for
   * statements of the request path. One name belongs to one SQL text. The embedded database
   * ignores it.
   */
  statementName?: string
}

/** Something that runs one SQL statement with `$1`-style parameters. */
export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>
}

export interface PoolStats {
  total: number
  idle: number
  waiting: number
}

/** Callbacks of a LISTEN subscription. */
export interface NotificationHandlers {
  /** Receives the payload of each notification on the channel. */
  notify(payload: string): void
  /**
   * Runs when notifications may have been missed: the listening connection was lost or has just
   * been opened again. `listening` is true in the second case.
   */
  reset(listening: boolean): void
  /** Receives a failure of the listening connection; it is opened again after a pause. */
  error?(error: Error): void
}

/** A running LISTEN on one channel. */
export interface Subscription {
  /** True while notifications arrive; false between a lost connection and its replacement. */
  readonly listening: boolean
  close(): Promise<void>
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
  /** Listens on a NOTIFY channel, also across replicas, until the subscription is closed. */
  listen(channel: string, handlers: NotificationHandlers): Promise<Subscription>
  close(): Promise<void>
}
