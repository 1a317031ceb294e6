/**
 * Every handler runs inside a guard: an exception in a feature is logged to the client's
 * output and answered with an empty result, so one bad document never takes the server down.
 */
import { ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Logs an unexpected error with the feature it came from. */
export function logError(connection: Connection, feature: string, error: unknown): void {
  try {
    connection.console.error(`postfix-tls ${feature} failed: ${describe(error)}`);
  } catch {
    // The connection itself is gone; nothing left to tell.
  }
}

/**
 * Wraps a request handler. Protocol errors (ResponseError, e.g. a cancellation the client
 * should see) pass through; anything else is logged and becomes `fallback()`.
 */
export function guardRequest<P, R>(
  connection: Connection,
  feature: string,
  fallback: () => R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      logError(connection, feature, error);
      return fallback();
    }
  };
}

/** Wraps a notification/event handler: errors are logged, never thrown. */
export function guardEvent<P>(connection: Connection, feature: string, handler: (params: P) => void | Promise<void>): (params: P) => void {
  return (params) => {
    try {
      const r = handler(params);
      if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((e) => logError(connection, feature, e));
    } catch (error) {
      logError(connection, feature, error);
    }
  };
}
