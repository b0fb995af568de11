/**
 * Error notifications: the WhatsApp client telling the endpoint it could not
 * use a previous reply (`payload-schema-error`, `invalid-screen-transition`,
 * `response-decryption-error`…; spec §2.4, §6.5; Meta, "Implementing
 * Endpoints for Flows", section "Error notification"). They are recorded
 * (they reveal bugs in a flow's handlers) and acknowledged.
 * @module
 */

/** One error notification, without the flow_token (a session credential). */
export interface ClientErrorReport {
  /** The request's action (`data_exchange`, `INIT`, or pywa's `navigate`). */
  readonly action: string;
  readonly screen: string | undefined;
  /** Meta's error code. */
  readonly error: string;
  /** The client's description, cut to {@link MAX_CLIENT_ERROR_MESSAGE} characters. */
  readonly errorMessage: string | undefined;
  /** Flow of the session, when the flow_token named a known session. */
  readonly flowId: string | undefined;
  readonly receivedAt: Date;
}

/** Where error notifications go; a store-backed implementation can replace the logging one. */
export interface ClientErrorRecorder {
  record(report: ClientErrorReport): Promise<void>;
}

/** Longest client error description kept. */
export const MAX_CLIENT_ERROR_MESSAGE = 500;

/** The minimal logger the services use (pino and Fastify's logger satisfy it). */
export interface LogSink {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Records each notification as one structured `warn` log line (`event: "flow_client_error"`). */
export function createLoggingErrorRecorder(logger: LogSink): ClientErrorRecorder {
  return {
    record(report) {
      logger.warn(
        {
          event: 'flow_client_error',
          action: report.action,
          screen: report.screen,
          error: report.error,
          errorMessage: report.errorMessage?.slice(0, MAX_CLIENT_ERROR_MESSAGE),
          flowId: report.flowId,
        },
        'WhatsApp client reported an error with a previous endpoint reply',
      );
      return Promise.resolve();
    },
  };
}

/** What {@link createDbErrorRecorder} needs from the store (the client error repo satisfies it). */
export interface ClientErrorStore {
  add(error: {
    readonly flowId: string | undefined; readonly screen: string | undefined; readonly action: string;
    readonly error: string; readonly message: string | undefined; readonly receivedAt: Date;
  }): Promise<unknown>;
}

/**
 * Stores each notification (`flow_client_errors`: flow, screen, action,
 * error, message, time; never the flow_token) and also writes the log line
 * of {@link createLoggingErrorRecorder}, so log-based alerting keeps working.
 * A store failure rejects; the endpoint logs it and still acknowledges.
 */
export function createDbErrorRecorder(store: ClientErrorStore, logger: LogSink): ClientErrorRecorder {
  const log = createLoggingErrorRecorder(logger);
  return {
    async record(report) {
      await log.record(report);
      await store.add({
        flowId: report.flowId, screen: report.screen, action: report.action, error: report.error,
        message: report.errorMessage?.slice(0, MAX_CLIENT_ERROR_MESSAGE), receivedAt: report.receivedAt,
      });
    },
  };
}
