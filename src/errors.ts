// Errors that know their own AWS response. Handlers throw these; only the protocol serializers
// decide how they look on the wire.

export interface ServiceErrorOptions {
  /** HTTP status; AWS uses 400 for almost every client error. */
  status?: number;
  /** Whether the caller is at fault (query protocol's Sender/Receiver). Defaults to status < 500. */
  senderFault?: boolean;
  /** Extra members AWS puts beside the message (for example DynamoDB's Item on a failed condition). */
  fields?: Record<string, unknown>;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** The code the service's older query protocol uses, where it differs (SQS: AWS.SimpleQueueService.NonExistentQueue). */
  queryCode?: string;
}

export class ServiceError extends Error {
  readonly status: number;
  readonly senderFault: boolean;
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly queryCode?: string;

  constructor(
    readonly code: string,
    message: string,
    options: ServiceErrorOptions = {},
  ) {
    super(message);
    this.status = options.status ?? 400;
    this.senderFault = options.senderFault ?? this.status < 500;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
    this.queryCode = options.queryCode;
  }
}

/** The Coral-style validation error most JSON services answer for constraint failures. */
export function validationError(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

export function internalError(): ServiceError {
  return new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', { status: 500 });
}
