/**
 * Text from webhooks goes into both dialects' `text` columns, and
 * PostgreSQL refuses the NUL character in text (SQLite stores it). Webhook
 * JSON may decode `\u0000` into a string, so such values are cleaned before
 * storage rather than failing the event's processing forever.
 * @module
 */

/** `value` with every NUL character replaced by U+FFFD. */
export function dbText(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value;
}
