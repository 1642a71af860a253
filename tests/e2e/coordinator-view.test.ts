import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/knex-store.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { WebChatClient, allText } from '../support/web-chat-client.ts';

describe('web chat: coordinators see the exchanges of their authorities without personal data', () => {
  let server: TestServer;
  let store: Store;
  let eszter: WebChatClient; // national coordinator of HU
  let thomas: WebChatClient; // national coordinator of DE

  beforeAll(async () => {
    server = await startServer();
    store = openStore(server.databaseUrl);
    eszter = await new WebChatClient(server.url).signIn('eszter.nagy');
    thomas = await new WebChatClient(server.url).signIn('thomas.schneider');
    await eszter.say('help'); // the first reply carries the onboarding checklist
    await thomas.say('help');
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('shows a coordinator the metadata of a request of a coordinated authority, and no personal data', async () => {
    const sent = (await store.requests.list({ authorityId: 'hu-enkk' })).find((r) => r.status !== 'draft' && !r.referral && r.subjectName)!;
    const reply = await eszter.say(sent.id);
    const text = allText(reply);
    expect(text).toContain(sent.id);
    expect(text).not.toContain(sent.subjectName);
    if (sent.freeText) expect(text).not.toContain(sent.freeText);
    const buttons = reply.blocks.flatMap((b) => (b.kind === 'card' ? b.actions.map((a) => a.action) : []));
    expect(buttons).not.toContain('request.accept');
    expect(buttons).not.toContain('request.close');
  });

  it('refuses a coordinator of an uninvolved country as if the request did not exist', async () => {
    const huOnly = (await store.requests.list({ authorityId: 'hu-enkk' })).find(
      (r) => r.status !== 'draft' && !['de-lageso', 'de-regob', 'de-fks'].includes(r.responderAuthorityId ?? '') && !['de-lageso', 'de-regob', 'de-fks'].includes(r.requesterAuthorityId),
    );
    expect(huOnly, 'the demo data has a request between HU and a third country').toBeDefined();
    const reply = await thomas.say(huOnly!.id);
    expect(reply.blocks[0]).toMatchObject({ kind: 'text', tone: 'danger' });
    expect(allText(reply)).not.toContain(huOnly!.subjectName || '§§');
  });
});
