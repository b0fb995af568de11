import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeQr } from '../../test/qr/decode-qr.js';
import { PNG_SIGNATURE, readPng } from '../../test/qr/read-png.js';
import { isAppError } from '../core/errors.js';
import { normaliseKeyword } from './flow-catalogue.js';
import { businessPhoneDigits, flowLink, qrPng, qrSvg, waMeUrl } from './links.js';

const URL_OF_LINK = 'https://wa.me/15550001111?text=Join%20News';
const MARGIN = 4;

/** Module count of the symbol, from the SVG's viewBox (modules + 2 × margin). */
function svgSize(svg: string): number {
  const box = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  return box - 2 * MARGIN;
}

/** Read the modules back from a PNG by sampling each module's centre. */
function pngModules(png: Buffer, size: number): boolean[] {
  const image = readPng(png);
  const scale = image.width / (size + 2 * MARGIN);
  const dark: boolean[] = [];
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size; col += 1) {
      const x = Math.floor((MARGIN + col + 0.5) * scale);
      const y = Math.floor((MARGIN + row + 0.5) * scale);
      dark.push(image.rgba[(y * image.width + x) * 4]! < 128);
    }
  }
  return dark;
}

/** Replay the dark path of a qrcode SVG (`M x y`, `m dx 0`, `h n`) into modules. */
function svgModules(svg: string, size: number): boolean[] {
  const d = /<path stroke="#000000" d="([^"]*)"\/>/.exec(svg)?.[1];
  if (d === undefined) throw new Error('no dark path');
  const dark = new Array<boolean>(size * size).fill(false);
  let x = 0;
  let row = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (cmd === 'M') {
      x = Number(a);
      row = Number(b) - 0.5 - MARGIN;
    } else if (cmd === 'm') x += Number(a);
    else for (let i = 0; i < Number(a); i += 1, x += 1) dark[row * size + (x - MARGIN)] = true;
  }
  return dark;
}

describe('wa.me links', () => {
  it('builds the exact link of a flow from its keyword and the business number', () => {
    const flow = { id: 'newsletter', entry: { keyword: ' Join News ', adIds: [] } };
    expect(flowLink(flow, '+1 555-000-1111')).toEqual({ flowId: 'newsletter', keyword: 'Join News', phone: '15550001111', url: URL_OF_LINK });
    expect(waMeUrl('4915112345678', 'Café & more?')).toBe('https://wa.me/4915112345678?text=Caf%C3%A9%20%26%20more%3F');
  });

  it('refuses a flow without a keyword with the fix, and a number that cannot exist', () => {
    const noKeyword = (): unknown => flowLink({ id: 'survey', entry: { adIds: [] } }, '15550001111');
    expect(noKeyword).toThrow(/Flow "survey" has no keyword.*Fix: add "keyword: <WORD>" to the flow "survey"/);
    try {
      noKeyword();
    } catch (err) {
      expect(isAppError(err, 'CONFLICT')).toBe(true);
    }
    for (const bad of ['', '12', '+1 555 abc', '+999 123456789012345']) {
      expect(() => businessPhoneDigits(bad)).toThrow(/Business phone number: .*international form/);
    }
    expect(businessPhoneDigits('+972 (98) 765-4321')).toBe('972987654321');
  });

  it('round-trips any keyword through the URL, and the text the user sends matches the keyword', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' }), (keyword) => {
        const url = new URL(waMeUrl('15550001111', keyword));
        expect(url.origin + url.pathname).toBe('https://wa.me/15550001111');
        expect(url.searchParams.get('text')).toBe(keyword);
        expect([...url.searchParams.keys()]).toEqual(['text']);
        expect(normaliseKeyword(url.searchParams.get('text')!)).toBe(normaliseKeyword(keyword));
      }),
    );
  });
});

describe('QR codes', () => {
  it('renders a PNG that decodes to the exact link', async () => {
    const png = await qrPng(URL_OF_LINK);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const image = readPng(png);
    expect([image.width, image.height]).toEqual([512, 512]);
    const size = svgSize(await qrSvg(URL_OF_LINK));
    expect(decodeQr(pngModules(png, size), size)).toBe(URL_OF_LINK);
  });

  it('renders a well-formed scalable SVG whose path decodes to the exact link', async () => {
    const svg = await qrSvg(URL_OF_LINK);
    const size = svgSize(svg);
    const box = size + 2 * MARGIN;
    expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box} ${box}" shape-rendering="crispEdges">`));
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/\/>/g)).toHaveLength(2);
    expect(decodeQr(svgModules(svg, size), size)).toBe(URL_OF_LINK);
    expect(await qrSvg(URL_OF_LINK, { width: 300 })).toContain('width="300" height="300"');
  });

  it('encodes any keyword so that both images decode to its link', async () => {
    await fc.assert(
      // Up to 6 code points of any plane: the link stays within QR version 6, what the test decoder reads.
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 6, unit: 'binary' }), async (keyword) => {
        const url = waMeUrl('15550001111', keyword);
        const svg = await qrSvg(url);
        const size = svgSize(svg);
        expect(decodeQr(svgModules(svg, size), size)).toBe(url);
        expect(decodeQr(pngModules(await qrPng(url, { width: 256 }), size), size)).toBe(url);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses widths out of range', async () => {
    await expect(qrPng(URL_OF_LINK, { width: 10 })).rejects.toThrow(/QR width 10 is out of range/);
    await expect(qrSvg(URL_OF_LINK, { width: 1.5 })).rejects.toThrow(/whole number/);
  });
});
