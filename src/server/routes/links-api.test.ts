import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPng } from '../../../test/qr/read-png.js';
import { entryCatalogue } from '../../../test/webhooks/entry-point-kit.js';
import { Secret } from '../../config/secret.js';
import { registerApiRoutes } from '../api-auth.js';
import { linksApiRoutes } from './links-api.js';

const API_KEY = 'links-api-key-0123456789abcdef';
const auth = { authorization: `Bearer ${API_KEY}` };

async function app(businessPhone: string | undefined): Promise<FastifyInstance> {
  const server = Fastify();
  await registerApiRoutes(server, { apiKey: new Secret(API_KEY), routes: [linksApiRoutes({ catalogue: entryCatalogue(), businessPhone })] });
  await server.ready();
  return server;
}

describe('links API', () => {
  let server: FastifyInstance;
  let noPhone: FastifyInstance;
  beforeAll(async () => {
    server = await app('+1 555 000 1111');
    noPhone = await app(undefined);
  });
  afterAll(async () => {
    await server.close();
    await noPhone.close();
  });

  const get = (url: string, on = server) => on.inject({ method: 'GET', url, headers: auth });

  it('answers the link of a flow with its keyword', async () => {
    const res = await get('/api/flows/newsletter/link');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ flowId: 'newsletter', keyword: 'Join News', phone: '15550001111', url: 'https://wa.me/15550001111?text=Join%20News' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('serves the QR code as SVG and PNG (with a width)', async () => {
    const svg = await get('/api/flows/newsletter/qr.svg');
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"[^>]*><path [^>]*\/><path stroke="#000000" d="M[^"]+"\/><\/svg>\n$/);

    const png = await get('/api/flows/newsletter/qr.png?width=256');
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(readPng(png.rawPayload).width).toBe(256);
  });

  it('serves cached images keyed by link and width', async () => {
    const a = await get('/api/flows/newsletter/qr.png?width=256');
    const b = await get('/api/flows/newsletter/qr.png?width=256');
    expect(b.rawPayload.equals(a.rawPayload)).toBe(true);
    expect(readPng((await get('/api/flows/newsletter/qr.png?width=300')).rawPayload).width).toBe(300);
    const other = await get('/api/flows/newsletter/qr.png?width=256&phone=4915112345678');
    expect(other.rawPayload.equals(a.rawPayload)).toBe(false);
    expect((await get('/api/flows/newsletter/qr.svg?width=256')).headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  });

  it('uses ?phone= over the configured number, and when none is configured', async () => {
    expect((await get('/api/flows/newsletter/link?phone=%2B4915112345678')).json()).toMatchObject({ phone: '4915112345678', url: 'https://wa.me/4915112345678?text=Join%20News' });
    expect((await get('/api/flows/newsletter/link?phone=4915112345678', noPhone)).statusCode).toBe(200);
  });

  it('answers each bad request with its status, code and fix', async () => {
    const cases: Array<[string, FastifyInstance, number, string, RegExp]> = [
      ['/api/flows/nope/link', server, 404, 'unknown_flow', /No flow "nope"/],
      ['/api/flows/booking/qr.svg', server, 409, 'no_keyword', /Fix: add "keyword: <WORD>" to the flow "booking"/],
      ['/api/flows/newsletter/link?phone=12', server, 400, 'bad_phone', /international form/],
      ['/api/flows/newsletter/link?phone=1&phone=2', server, 400, 'bad_phone', /not a phone number/],
      ['/api/flows/newsletter/qr.png', noPhone, 400, 'no_phone', /pass \?phone=/],
      ['/api/flows/newsletter/qr.png?width=99999', server, 400, 'bad_width', /64 to 4096/],
      ['/api/flows/newsletter/qr.svg?width=abc', server, 400, 'bad_width', /whole number/],
    ];
    for (const [url, on, status, error, message] of cases) {
      const res = await get(url, on);
      expect({ url, status: res.statusCode }).toEqual({ url, status });
      const body = res.json<{ error: string; message: string }>();
      expect(body.error).toBe(error);
      expect(body.message).toMatch(message);
    }
  });

  it('is behind the API key', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/flows/newsletter/qr.png' });
    expect(res.statusCode).toBe(401);
  });
});
