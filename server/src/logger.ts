import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout (or `destination`: tests read what was logged). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino({ level, base: { service: 'stemline' } }, destination) : pino({ level, base: { service: 'stemline' } });
}
