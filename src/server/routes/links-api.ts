/**
 * Links and QR codes of flows (issue 7), for the `/api` mount (behind the API
 * key, see `api-auth.ts`):
 *
 * - `GET /flows/:id/link` → `{ flowId, keyword, phone, url }`, the wa.me link
 *   whose pre-filled keyword answers with the flow;
 * - `GET /flows/:id/qr.svg` and `GET /flows/:id/qr.png[?width=512]`: its QR code.
 *
 * The business number is the configured one; `?phone=` overrides it (a
 * second number of the same account). Errors are JSON `{ error, message }`:
 * 404 `unknown_flow`, 409 `no_keyword` (the fix names the project file key),
 * 400 `bad_phone` / `no_phone` / `bad_width`.
 * @module
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isAppError } from '../../core/errors.js';
import type { FlowCatalogue } from '../../services/flow-catalogue.js';
import { flowLink, qrPng, qrSvg, QR_WIDTH_RANGE, type FlowLink } from '../../services/links.js';

/** Options of {@link linksApiRoutes}. */
export interface LinksApiOptions {
  readonly catalogue: Pick<FlowCatalogue, 'get'>;
  /** The WhatsApp Business number links open a chat with (international form). */
  readonly businessPhone?: string | undefined;
}

interface LinkRequest {
  Params: { id: string };
  Querystring: { phone?: unknown; width?: unknown };
}

/** QR images change only with the project file; let browsers and CDNs keep them briefly. */
const IMAGE_CACHE = 'private, max-age=300';

/** Rendered images kept per plugin (a 512 px PNG takes tens of milliseconds of CPU). */
const MAX_CACHED_IMAGES = 64;

function fail(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, message });
}

/** The route plugin, to list in `api.routes` of `buildApp`. */
export function linksApiRoutes(options: LinksApiOptions): FastifyPluginAsync {
  return (scope) => {
    /** The link, or undefined after answering with the error. */
    function resolve(id: string, phoneParam: unknown, reply: FastifyReply): FlowLink | undefined {
      // A repeated ?phone= arrives as an array: refuse it rather than guess.
      const phone = phoneParam === undefined ? undefined : typeof phoneParam === 'string' ? phoneParam : '?';
      const flow = options.catalogue.get(id);
      if (flow === undefined) {
        void fail(reply, 404, 'unknown_flow', `No flow "${id.slice(0, 80)}" in the project file. Fix: use the id of one of its flows.`);
        return undefined;
      }
      const number = phone ?? options.businessPhone;
      if (number === undefined || number === '') {
        void fail(reply, 400, 'no_phone', 'No business phone number is configured for links. Fix: pass ?phone=<number with country code> or configure the business number on the server.');
        return undefined;
      }
      try {
        return flowLink(flow, number);
      } catch (err) {
        if (isAppError(err, 'CONFLICT')) void fail(reply, 409, 'no_keyword', err.message);
        else if (isAppError(err, 'USAGE_INVALID')) void fail(reply, 400, 'bad_phone', err.message);
        else throw err;
        return undefined;
      }
    }

    function width(raw: unknown, reply: FastifyReply): number | null | undefined {
      if (raw === undefined) return undefined;
      const n = typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
      if (Number.isInteger(n) && n >= QR_WIDTH_RANGE.min && n <= QR_WIDTH_RANGE.max) return n;
      void fail(reply, 400, 'bad_width', `width must be a whole number of pixels from ${QR_WIDTH_RANGE.min} to ${QR_WIDTH_RANGE.max}.`);
      return null;
    }

    scope.get<LinkRequest>('/flows/:id/link', async (request, reply) => {
      const link = resolve(request.params.id, request.query.phone, reply);
      if (link === undefined) return reply;
      return reply.header('cache-control', 'no-store').send(link);
    });

    const rendered = new Map<string, Promise<string | Buffer>>();
    /** Render once per (format, link, width); the oldest entry goes first when full. */
    function render(format: string, draw: () => Promise<string | Buffer>, key: string): Promise<string | Buffer> {
      const id = `${format} ${key}`;
      let image = rendered.get(id);
      if (image === undefined) {
        if (rendered.size >= MAX_CACHED_IMAGES) rendered.delete(rendered.keys().next().value!);
        image = draw();
        image.catch(() => rendered.delete(id));
        rendered.set(id, image);
      }
      return image;
    }

    const images = [
      { path: '/flows/:id/qr.svg', type: 'image/svg+xml; charset=utf-8', render: qrSvg },
      { path: '/flows/:id/qr.png', type: 'image/png', render: qrPng },
    ] as const;
    for (const image of images) {
      scope.get<LinkRequest>(image.path, async (request, reply) => {
        const link = resolve(request.params.id, request.query.phone, reply);
        if (link === undefined) return reply;
        const w = width(request.query.width, reply);
        if (w === null) return reply;
        const body = await render(image.type, () => image.render(link.url, w === undefined ? {} : { width: w }), `${w ?? ''} ${link.url}`);
        return reply.type(image.type).header('cache-control', IMAGE_CACHE).send(body);
      });
    }
    return Promise.resolve();
  };
}
