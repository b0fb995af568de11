/**
 * wa.me links and QR codes that open a chat with the business with a flow's
 * keyword pre-filled (issue 7, "Links and QR codes"; WhatsApp "click to
 * chat": `https://wa.me/<number>?text=<url-encoded text>`, the number in full
 * international form without `+`, `00`, spaces, dashes or brackets). The
 * user sends the keyword and `entry-points.ts` answers with the flow.
 * QR codes come from the `qrcode` package (PNG and SVG).
 * @module
 */
import { AppError } from '../core/errors.js';
import type { CatalogueFlow } from './flow-catalogue.js';
import { normaliseRecipient } from './recipient-phone.js';

/** A flow's wa.me link. */
export interface FlowLink {
  readonly flowId: string;
  /** The keyword as configured (what the user's message will say). */
  readonly keyword: string;
  /** Business number, digits only (international, no `+`). */
  readonly phone: string;
  readonly url: string;
}

/** QR rendering options. */
export interface QrOptions {
  /** Image width in pixels (PNG) or user units (SVG); default 512 PNG, none (scalable) SVG. */
  readonly width?: number;
  /** Quiet zone in modules (QR standard: 4). */
  readonly margin?: number;
}

/** Smallest / largest QR image width accepted. */
export const QR_WIDTH_RANGE = { min: 64, max: 4096 } as const;

/**
 * The business number as wa.me wants it: digits only, country code first
 * (`+1 555-000-1111`, `15550001111`); the same rules as recipient numbers.
 * @throws AppError USAGE_INVALID when it cannot be an international number.
 */
export function businessPhoneDigits(input: string): string {
  const result = normaliseRecipient(input);
  if (!result.ok) throw new AppError('USAGE_INVALID', `Business phone number: ${result.message}`);
  return result.waId;
}

/** `https://wa.me/<digits>?text=<keyword>` (the keyword percent-encoded as a URL component). */
export function waMeUrl(phoneDigits: string, text: string): string {
  return `https://wa.me/${phoneDigits}?text=${encodeURIComponent(text)}`;
}

/**
 * The wa.me link of a flow.
 * @throws AppError CONFLICT when the flow has no keyword (the fix names the project file key), USAGE_INVALID for a bad number.
 */
export function flowLink(flow: Pick<CatalogueFlow, 'id' | 'entry'>, businessPhone: string): FlowLink {
  const keyword = flow.entry.keyword?.trim();
  if (keyword === undefined || keyword === '') {
    throw new AppError(
      'CONFLICT',
      `Flow "${flow.id}" has no keyword, so a link cannot open it. Fix: add "keyword: <WORD>" to the flow "${flow.id}" in the project file (flowbridge.yaml) and restart.`,
    );
  }
  const phone = businessPhoneDigits(businessPhone);
  return { flowId: flow.id, keyword, phone, url: waMeUrl(phone, keyword) };
}

function checkWidth(width: number | undefined): void {
  if (width !== undefined && (!Number.isInteger(width) || width < QR_WIDTH_RANGE.min || width > QR_WIDTH_RANGE.max)) {
    throw new AppError('USAGE_INVALID', `QR width ${String(width)} is out of range. Fix: give a whole number of pixels from ${QR_WIDTH_RANGE.min} to ${QR_WIDTH_RANGE.max}.`);
  }
}

/** A PNG image of the QR code of `url` (error correction M). */
export async function qrPng(url: string, options: QrOptions = {}): Promise<Buffer> {
  checkWidth(options.width);
  const { default: QRCode } = await import('qrcode');
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: options.margin ?? 4, width: options.width ?? 512 });
}

/** An SVG document of the QR code of `url` (error correction M, scalable). */
export async function qrSvg(url: string, options: QrOptions = {}): Promise<string> {
  checkWidth(options.width);
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: options.margin ?? 4, ...(options.width === undefined ? {} : { width: options.width }) });
}
