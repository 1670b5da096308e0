// What each part of the bench gets from the run: the throw-away cluster's databases and server processes.
import type { ServerProcess } from '../test/support/server-process';
import type { Figure } from './figures';

export interface BenchRun {
  /** The database every part starts from (master data, and for the history rows a year of history). */
  template: string;
  /** The start of the name of every database a part makes, so that two runs on two templates do not meet. */
  prefix: string;
  /** The ADMIN token every bench server starts with. */
  token: string;
  /** The embedded PostgreSQL's folder (its CPU time is read from there). */
  dataDir: string;
  /** Server processes (STEMLINE_WORKERS) for the parts that serve many clients. */
  workers: number;
  urlOf(database: string): string;
  /** A copy of `template` as `database`. */
  clone(database: string, template: string): Promise<unknown>;
  startServer(database: string, workers?: number): Promise<ServerProcess>;
  stopServer(server: ServerProcess): Promise<void>;
}

/** A table of the report: its title and its rows. */
export interface FigureTable {
  title: string;
  rows: Figure[];
}
