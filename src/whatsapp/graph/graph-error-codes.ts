/**
 * What each Graph API / Cloud API error code means for a caller: retry or
 * not, after how long, and a sentence a person can act on. Codes from spec
 * §7.6 (Meta, "Error codes" for the Cloud API and "Flows error codes"),
 * plus the generic Graph codes every client meets (1, 2, 4, 10, 100, 190,
 * 200, 368). The `error_subcode` is deprecated for Cloud API v16+, so the
 * table keys off `code` only.
 * @module
 */

/** How a caller should react to an error. */
export type GraphErrorKind =
  | 'rate-limit'
  | 'service-window'
  | 'undeliverable'
  | 'invalid-request'
  | 'auth'
  | 'permission'
  | 'template'
  | 'flow-state'
  | 'flow-management'
  | 'transient'
  | 'policy'
  | 'unknown';

/** One row of the table. */
export interface GraphErrorRule {
  /** Meta's short title for the code. */
  readonly title: string;
  readonly kind: GraphErrorKind;
  /** True when the same request may succeed later unchanged. */
  readonly retryable: boolean;
  /** Suggested first wait before retrying (ms); double it on each further failure. */
  readonly retryAfterMs?: number;
  /** What to tell the person running Flowbridge. */
  readonly userMessage: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Every code the client knows. Waits follow Meta's documented windows: the
 * pair rate limit allows one message per 6 s to the same user ("Throughput"),
 * a throttled flow counts the last hour ("Flows error codes"), a throughput
 * upgrade takes up to a minute.
 */
export const graphErrorTable: Readonly<Record<number, GraphErrorRule>> = {
  1: { title: 'API Unknown', kind: 'transient', retryable: true, retryAfterMs: 5 * SECOND, userMessage: 'Meta reported an unknown error; retry shortly, and check the Meta status page if it persists.' },
  2: { title: 'API Service', kind: 'transient', retryable: true, retryAfterMs: 5 * SECOND, userMessage: 'Meta\'s service is temporarily unavailable; retry shortly.' },
  4: { title: 'API Too Many Calls', kind: 'rate-limit', retryable: true, retryAfterMs: 5 * MINUTE, userMessage: 'The app hit its Graph API call limit; slow down and retry in a few minutes.' },
  10: { title: 'Permission Denied', kind: 'permission', retryable: false, userMessage: 'The access token lacks a permission for this call (whatsapp_business_messaging / whatsapp_business_management).' },
  100: { title: 'Invalid parameter', kind: 'invalid-request', retryable: false, userMessage: 'Meta refused a parameter (unknown id, duplicate name, bad version, bad URI or key format); see the details.' },
  190: { title: 'Access token has expired', kind: 'auth', retryable: false, userMessage: 'The access token is invalid or expired; create a new system user token and update FLOWBRIDGE_ACCESS_TOKEN.' },
  200: { title: 'Permission error', kind: 'permission', retryable: false, userMessage: 'The token\'s user or app has no access to this WhatsApp Business Account or phone number.' },
  368: { title: 'Temporarily blocked for policies violations', kind: 'policy', retryable: false, userMessage: 'The account is temporarily blocked for a policy violation; see WhatsApp Manager.' },
  80007: { title: 'Rate limit issues', kind: 'rate-limit', retryable: true, retryAfterMs: 1 * MINUTE, userMessage: 'The WhatsApp Business Account reached its rate limit; retry later at a lower rate.' },
  130429: { title: 'Rate limit hit', kind: 'rate-limit', retryable: true, retryAfterMs: 1 * SECOND, userMessage: 'The phone number\'s message throughput was reached; send more slowly (default 80 messages per second).' },
  131000: { title: 'Something went wrong', kind: 'transient', retryable: true, retryAfterMs: 5 * SECOND, userMessage: 'Meta failed for an unknown reason (after a key upload: signing the key failed); retry once, then upload again.' },
  131008: { title: 'Required parameter is missing', kind: 'invalid-request', retryable: false, userMessage: 'The request lacks a required parameter; see the details.' },
  131009: { title: 'Parameter value is not valid', kind: 'invalid-request', retryable: false, userMessage: 'A parameter value is not valid; see the details.' },
  131026: { title: 'Message Undeliverable', kind: 'undeliverable', retryable: false, userMessage: 'The message cannot be delivered to this user (not on WhatsApp, or a client too old for Flows).' },
  131047: { title: 'Re-engagement message', kind: 'service-window', retryable: false, userMessage: 'More than 24 hours passed since the user last wrote; send a template with a FLOW button instead.' },
  131048: { title: 'Spam rate limit hit', kind: 'policy', retryable: false, userMessage: 'Too many messages were blocked or reported as spam; check the quality rating before sending more.' },
  131049: { title: 'Meta chose not to deliver', kind: 'undeliverable', retryable: false, userMessage: 'Meta withheld this marketing message to keep engagement healthy; do not resend at once.' },
  131050: { title: 'User stopped marketing messages', kind: 'undeliverable', retryable: false, userMessage: 'The user opted out of marketing messages from this business.' },
  131056: { title: '(Business Account, Consumer Account) pair rate limit hit', kind: 'rate-limit', retryable: true, retryAfterMs: 6 * SECOND, userMessage: 'Too many messages to the same user; wait at least 6 seconds before messaging them again.' },
  131057: { title: 'Account in maintenance mode', kind: 'transient', retryable: true, retryAfterMs: 1 * MINUTE, userMessage: 'The account is being upgraded (throughput upgrade); retry in a minute.' },
  132000: { title: 'Template Param Count Mismatch', kind: 'template', retryable: false, userMessage: 'The template\'s parameters do not match its placeholders.' },
  132001: { title: 'Template does not exist', kind: 'template', retryable: false, userMessage: 'No approved template has this name and language; check the name, language and approval status.' },
  132012: { title: 'Template Parameter Format Mismatch', kind: 'template', retryable: false, userMessage: 'A template parameter has the wrong format.' },
  132015: { title: 'Template is Paused', kind: 'template', retryable: false, userMessage: 'The template is paused for low quality; edit it or use another.' },
  132016: { title: 'Template is Disabled', kind: 'template', retryable: false, userMessage: 'The template is disabled for low quality; create a new one.' },
  132068: { title: 'Flow is in blocked state', kind: 'flow-state', retryable: false, userMessage: 'The flow is blocked (endpoint health); fix the endpoint, then check the flow\'s health_status.' },
  132069: { title: 'Flow is in throttled state', kind: 'flow-state', retryable: true, retryAfterMs: 1 * HOUR, userMessage: 'The flow is throttled (10 messages per hour) until its endpoint is healthy again.' },
  139000: { title: 'Blocked by integrity', kind: 'policy', retryable: false, userMessage: 'Meta\'s integrity checks block this action for the account.' },
  139001: { title: 'Flow can\'t be updated', kind: 'flow-management', retryable: false, userMessage: 'The flow cannot be updated (published flows are immutable); create a new flow or clone it.' },
  139002: { title: 'Publishing error', kind: 'flow-management', retryable: false, userMessage: 'The flow cannot be published: fix its validation errors and the publishing requirements in the details.' },
  139003: { title: 'Deprecating error', kind: 'flow-management', retryable: false, userMessage: 'Only a published flow can be deprecated.' },
  139004: { title: 'Deleting error', kind: 'flow-management', retryable: false, userMessage: 'Only a draft flow can be deleted; deprecate a published one instead.' },
  139006: { title: 'Metric threshold not reached', kind: 'flow-management', retryable: true, retryAfterMs: 24 * HOUR, userMessage: 'Not enough data for this metric yet.' },
  4233041: { title: 'Flow migration failed', kind: 'flow-management', retryable: false, userMessage: 'A flow could not be migrated (a flow of that name may already exist in the destination).' },
};

/** On-Premises API codes that map to a Cloud API code (spec §7.6: 2064–2070). */
const onPremEquivalents: Readonly<Record<number, number>> = {
  2064: 100, 2065: 131009, 2066: 131009, 2067: 132068, 2068: 132068, 2069: 132069, 2070: 131026,
};

/** The rule for a code; unknown codes get a conservative default (no retry). */
export function graphErrorRule(code: number | undefined): GraphErrorRule | undefined {
  if (code === undefined) return undefined;
  return graphErrorTable[code] ?? graphErrorTable[onPremEquivalents[code] ?? -1];
}
