/**
 * Loader for the shared crypto known-answer vectors
 * (/work/shared/fixtures/crypto, see its README): endpoint requests and
 * replies (spec §2.3), picker media (spec §3.2) and the test-only RSA keys.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the shared, read-only vectors live. */
export const CRYPTO_FIXTURE_DIR = process.env.FLOWBRIDGE_CRYPTO_FIXTURES ?? '/work/shared/fixtures/crypto';

/** One endpoint vector: a request as WhatsApp sends it and a reply made with the flipped IV. */
export interface EndpointVector {
  name: string;
  request_body: { encrypted_flow_data: string; encrypted_aes_key: string; initial_vector: string };
  aes_key_b64: string;
  iv_b64: string;
  flipped_iv_b64: string;
  request_plaintext: string;
  response_plaintext: string;
  response_body: string;
}

/** One media vector: CDN bytes, their metadata and the expected outcome (`ok` or `reject:<what>`). */
export interface MediaVector {
  name: string;
  expect: string;
  media_item: { media_id: string; cdn_url: string; file_name: string; encryption_metadata: Record<string, string> };
  cdn_bytes_b64: string;
  plaintext_b64: string;
}

function read(name: string): string {
  return readFileSync(join(CRYPTO_FIXTURE_DIR, name), 'utf8');
}

const endpointFile = JSON.parse(read('endpoint-vectors.json')) as {
  endpoint: EndpointVector[];
  encrypted_private_key_passphrase: string;
};

/** The endpoint vectors. */
export const endpointVectors: readonly EndpointVector[] = endpointFile.endpoint;
/** The media vectors. */
export const mediaVectors: readonly MediaVector[] = (JSON.parse(read('media-vectors.json')) as { media: MediaVector[] }).media;
/** Test-only key pair (RSA-2048), PEM text. */
export const testKeys = {
  privatePem: read('test-private-key.pem'),
  encryptedPrivatePem: read('test-private-key-encrypted.pem'),
  passphrase: endpointFile.encrypted_private_key_passphrase,
  publicPem: read('test-public-key.pem'),
} as const;
