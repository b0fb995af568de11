/**
 * Phone-number routes (spec §4, §3, §7.7): the business public key
 * (`whatsapp_business_encryption`, RSA-2048 PEM checked with node:crypto,
 * read back with its signature status), media URLs and authenticated
 * downloads (URLs expire after 5 minutes, like Meta's), and the number's
 * fields including `throughput`.
 * @module
 */
import { createPublicKey } from 'node:crypto';
import type { EmulatorContext, RouteReply } from './emulator-context.js';
import type { EmulatedMedia } from './emulator-state.js';
import { textField, type EmulatorRequest } from './emulator-request.js';
import { GraphFault, fault } from './graph-fault.js';
import { splitFields } from './flow-fields.js';

/** Media download links stay valid this long. */
export const MEDIA_URL_TTL_MS = 5 * 60 * 1000;

/** `POST /{PHONE_NUMBER_ID}/whatsapp_business_encryption`. */
export function uploadKeyRoute(ctx: EmulatorContext, req: EmulatorRequest): RouteReply {
  const pem = textField(req, 'business_public_key');
  if (pem === undefined) throw fault.invalid('The parameter business_public_key is required.');
  let bits: number | undefined;
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    bits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
  } catch {
    bits = undefined;
  }
  if (!/-----BEGIN PUBLIC KEY-----/.test(pem) || bits !== 2048) throw fault.invalid('Please provide a valid 2048-bit RSA public key in PEM format.');
  ctx.state.businessKey = { pem, signatureStatus: 'VALID' };
  return { body: { success: true } };
}

/** `GET /{PHONE_NUMBER_ID}/whatsapp_business_encryption`. */
export function readKeyRoute(ctx: EmulatorContext): RouteReply {
  const key = ctx.state.businessKey;
  return { body: { data: key ? [{ business_public_key: key.pem, business_public_key_signature_status: key.signatureStatus }] : [] } };
}

/** `GET /{PHONE_NUMBER_ID}[?fields=…]`. */
export function phoneNumberRoute(ctx: EmulatorContext, req: EmulatorRequest): RouteReply {
  const o = ctx.options;
  const all: Record<string, unknown> = {
    id: o.phoneNumberId,
    display_phone_number: o.displayPhoneNumber,
    verified_name: 'Flowbridge Emulator',
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
    platform_type: 'CLOUD_API',
    throughput: { level: o.mps >= 1000 ? 'HIGH' : 'STANDARD' },
  };
  const fields = splitFields(req.query.get('fields') ?? 'id,display_phone_number,verified_name,quality_rating');
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!(f in all)) throw new GraphFault({ code: 100, title: `Tried accessing nonexisting field (${f}) on node type (WhatsAppBusinessPhoneNumber)` });
    out[f] = all[f];
  }
  out.id = o.phoneNumberId;
  return { body: out };
}

function mediaToken(media: EmulatedMedia, expires: number): string {
  return Buffer.from(`${media.id}:${expires}`).toString('base64url');
}

/** `GET /{MEDIA_ID}`: a short-lived URL on the emulator. */
export function mediaInfoRoute(ctx: EmulatorContext, media: EmulatedMedia): RouteReply {
  const expires = ctx.now() + MEDIA_URL_TTL_MS;
  return {
    body: {
      messaging_product: 'whatsapp',
      url: `${ctx.baseUrl()}/_emulator/media/${media.id}?ext=${expires}&token=${mediaToken(media, expires)}`,
      mime_type: media.mimeType,
      sha256: media.sha256,
      file_size: media.bytes.length,
      id: media.id,
    },
  };
}

/** The bytes behind a media URL, if the link is genuine and not expired. */
export function mediaDownload(ctx: EmulatorContext, req: EmulatorRequest, media: EmulatedMedia): RouteReply {
  const expires = Number(req.query.get('ext'));
  if (req.query.get('token') !== mediaToken(media, expires) || !(expires > ctx.now())) {
    throw new GraphFault({ httpStatus: 404, code: 100, title: 'The media URL is invalid or has expired; request a new one with GET /{MEDIA_ID}.' });
  }
  return { body: media.bytes, contentType: media.mimeType };
}
