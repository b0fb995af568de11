/**
 * Lenient readers for webhook JSON. Meta adds fields over time and sends
 * numbers as strings in places (`timestamp`), so the webhook parser reads
 * what it knows and never rejects a payload for an unexpected type.
 * @module
 */
import { isObject, type JsonObject } from '../../core/flow/json.js';

/** `obj[key]` when it is a non-empty string. */
export function text(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `obj[key]` as a finite number, also from a numeric string (Cloud API timestamps are strings). */
export function num(obj: JsonObject, key: string): number | undefined {
  const v = obj[key];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** `obj[key]` as a boolean, or undefined. */
export function bool(obj: JsonObject, key: string): boolean | undefined {
  const v = obj[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** The objects of array `obj[key]`, skipping anything else; empty when absent. */
export function objects(obj: JsonObject, key: string): JsonObject[] {
  const v = obj[key];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/**
 * Unix seconds (the Cloud API's `timestamp` / entry `time`) as a Date;
 * undefined when absent or outside the range a Date can hold.
 */
export function unixSeconds(obj: JsonObject, key: string): Date | undefined {
  const seconds = num(obj, key);
  if (seconds === undefined) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** One entry of a Cloud API `errors[]` array (messages, statuses, `unsupported`). */
export interface CloudApiError {
  readonly code: number | undefined;
  readonly title: string | undefined;
  readonly message: string | undefined;
  /** `error_data.details`: the most specific explanation Meta gives. */
  readonly details: string | undefined;
}

/** Read `obj.errors[]` (Meta: "Webhooks, messages: status"; spec §6.4). */
export function cloudApiErrors(obj: JsonObject): CloudApiError[] {
  return objects(obj, 'errors').map((e) => {
    const data = e['error_data'];
    return {
      code: num(e, 'code'),
      title: text(e, 'title'),
      message: text(e, 'message'),
      details: isObject(data) ? text(data, 'details') : undefined,
    };
  });
}
