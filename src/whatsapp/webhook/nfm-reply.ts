/**
 * The flow completion message (`interactive.type == "nfm_reply"`, spec
 * §6.3; Meta, "Flows: receiving the response"). Its `response_json` is a
 * JSON *string*: the `complete` action payload (or the endpoint's
 * `extension_message_response.params`) plus `flow_token`. Media answers
 * arrive as Cloud API media ids (spec §3.3) to download later.
 * @module
 */
import { isObject, type JsonObject } from '../../core/flow/json.js';
import { text } from './read.js';

/** A media file answered in a flow, downloadable through the Graph API (`GET /{media-id}`, spec §3.3). */
export interface FlowMediaRef {
  /** Cloud API media id. */
  readonly id: string;
  /** Dotted path of the answer in `response_json`, e.g. `photo_picker` (array indexes dropped). */
  readonly field: string;
  readonly fileName: string | undefined;
  readonly mimeType: string | undefined;
  /** Base64 SHA-256 of the file as Meta reports it. */
  readonly sha256: string | undefined;
}

/** A parsed `nfm_reply`. */
export interface NfmReply {
  /** `flow` for flows; `address_message` belongs to another feature (spec §6.3). */
  readonly name: string | undefined;
  readonly body: string | undefined;
  /** The `response_json` string exactly as received (what the submission stores). */
  readonly responseJson: string | undefined;
  /** `response_json` parsed, when it is a JSON object. */
  readonly response: JsonObject | undefined;
  /** The session token; iOS may omit it (spec §8, gotcha 4). */
  readonly flowToken: string | undefined;
  readonly media: readonly FlowMediaRef[];
}

/** Deepest nesting searched for media answers: `complete` payloads are flat or nearly so. */
const MAX_MEDIA_DEPTH = 4;

/** Parse `interactive.nfm_reply`; never throws, whatever the input. */
export function parseNfmReply(value: JsonObject): NfmReply {
  const raw = value['response_json'];
  // Some senders (and test tools) inline the object instead of the documented string.
  const responseJson = typeof raw === 'string' ? raw : isObject(raw) ? JSON.stringify(raw) : undefined;
  const response = isObject(raw) ? raw : parseObject(responseJson);
  return {
    name: text(value, 'name'),
    body: text(value, 'body'),
    responseJson,
    response,
    flowToken: response === undefined ? undefined : text(response, 'flow_token'),
    media: response === undefined ? [] : findMediaRefs(response),
  };
}

function parseObject(json: string | undefined): JsonObject | undefined {
  if (json === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every media descriptor (`{ id, file_name?, mime_type?, sha256? }`, spec
 * §3.3) in a completion payload. An object counts as one when it has a
 * string `id` and at least one of the three descriptor fields, so a plain
 * `{ "id": … }` option value is not mistaken for a file.
 */
export function findMediaRefs(response: JsonObject): FlowMediaRef[] {
  const found: FlowMediaRef[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > MAX_MEDIA_DEPTH) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}.${i}`, depth + 1));
      return;
    }
    if (!isObject(value)) return;
    const ref = mediaRef(value, path);
    if (ref !== undefined) {
      found.push(ref);
      return;
    }
    for (const [key, child] of Object.entries(value)) visit(child, path === '' ? key : `${path}.${key}`, depth + 1);
  };
  visit(response, '', 0);
  return found;
}

function mediaRef(value: JsonObject, path: string): FlowMediaRef | undefined {
  const id = text(value, 'id');
  const fileName = text(value, 'file_name');
  const mimeType = text(value, 'mime_type');
  const sha256 = text(value, 'sha256');
  if (id === undefined || (fileName === undefined && mimeType === undefined && sha256 === undefined)) return undefined;
  // An array item's path ends in its index; the field is what precedes it.
  return { id, field: path.replace(/\.\d+$/, ''), fileName, mimeType, sha256 };
}
