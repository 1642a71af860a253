import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework's OpenID metadata (the keys Teams signs its tokens
 * with), and a signer for tokens as the channel issues them, so that authentication can be
 * tested on 127.0.0.1 without ever reaching Microsoft.
 */

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface FakeBotTokens {
  /** Value for ToBotFromChannelOpenIdMetadataUrl. */
  metadataUrl: string;
  /** A token signed with the published key, claims overridable. */
  sign(claims: Record<string, unknown>, options?: { key?: 'published' | 'unpublished'; kid?: string }): string;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startFakeBotTokens(): Promise<FakeBotTokens> {
  const published = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unpublished = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = published.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  let base = '';
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/keys') {
      res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: 'published-key', n: jwk.n, e: jwk.e, endorsements: ['msteams', 'emulator'] }] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/.well-known/openidconfiguration`,
    sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'published-key' };
      const payload = { iss: CHANNEL_ISSUER, nbf: now - 60, exp: now + 3600, ...claims };
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
      const key = options.key === 'unpublished' ? unpublished.privateKey : published.privateKey;
      return `${input}.${b64url(crypto.sign('RSA-SHA256', Buffer.from(input), key))}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
