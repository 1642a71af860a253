import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { viewRequest, type CoordinatorView } from '../../src/app/requests/view-request.ts';
import { localize } from '../../src/conversation/render.ts';
import type { TurnContext } from '../../src/conversation/turn-context.ts';
import { coordinatorCard } from '../../src/conversation/views/coordinator-card.view.ts';
import { personalTexts } from '../../src/domain/personal-data.ts';
import type { Request } from '../../src/domain/request.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { testCore } from '../support/core.ts';

/*
 * Coordinators on the demo dataset (Reg. 1024/2012 Art. 9): r6 (DE → AT, answered, not referred)
 * and r11 (PL → FR, referred to the coordinators).
 */
describe('need to know: what coordinators see of a request', () => {
  let core: Awaited<ReturnType<typeof testCore>>;
  let answered: Request; // r6: de-regob → at-ma63, services
  let referred: Request; // r11: pl-nipip → fr-oni-paris, referred

  beforeAll(async () => {
    core = await testCore();
    await loadDemo(core.deps, loadDemoData());
    const all = await core.deps.store.requests.list({});
    answered = all.find((r) => r.requesterAuthorityId === 'de-regob' && r.responderAuthorityId === 'at-ma63')!;
    referred = all.find((r) => r.referral !== null)!;
    expect(answered.status).toBe('answered');
    expect(referred.requesterAuthorityId).toBe('pl-nipip');
  });
  afterAll(async () => {
    await core?.close();
  });

  async function cardFor(userId: string, view: CoordinatorView, lang: string) {
    const user = (await core.deps.store.users.get(userId))!;
    const authority = (await core.deps.store.authorities.get(user.authorityId))!;
    const ctx: TurnContext = { deps: { app: core.deps, i18n: core.i18n }, turn: { channel: 'web', externalId: userId }, user, authority, lang };
    const parties = {
      requester: await core.deps.store.authorities.get(view.request.requesterAuthorityId),
      responder: await core.deps.store.authorities.get(view.request.responderAuthorityId!),
    };
    return JSON.stringify(localize(core.i18n, lang, { blocks: [coordinatorCard(ctx, view, parties)] }));
  }

  it('shows coordinators of either side the metadata of a request that is not referred, and nothing personal', async () => {
    for (const [coordinator, lang] of [['thomas.schneider', 'de'], ['stefan.gruber', 'de']] as const) {
      const view = await viewRequest(core.deps, coordinator, answered.id, { coordinators: true });
      if (!view.ok) throw new Error(view.error.code);
      expect(view.value).toMatchObject({ side: 'coordinator', redacted: true, erased: false });
      expect(view.value.request).toMatchObject({ status: 'answered', requesterAuthorityId: 'de-regob', responderAuthorityId: 'at-ma63', agreedDeadline: answered.agreedDeadline });
      const card = await cardFor(coordinator, view.value as CoordinatorView, lang);
      for (const t of personalTexts(answered)) expect(card).not.toContain(t.text);
      expect(card).toContain(core.i18n.t(lang, 'security.redacted'));
      expect(card).toContain(answered.id);
      expect(card).not.toMatch(/"action":"request\.(accept|answer|close|withdraw|refer)/);
    }
  });

  it('shows the whole exchange to the coordinators once it is referred to them', async () => {
    for (const coordinator of ['agnieszka.wozniak', 'isabelle.moreau']) {
      const view = await viewRequest(core.deps, coordinator, referred.id, { coordinators: true });
      if (!view.ok) throw new Error(view.error.code);
      expect(view.value).toMatchObject({ side: 'coordinator', redacted: false });
      const card = await cardFor(coordinator, view.value as CoordinatorView, 'en');
      expect(card).toContain(referred.subjectName);
      expect(card).toContain(referred.referral!.reason);
      expect(card).not.toContain(core.i18n.t('en', 'security.redacted'));
    }
  });

  it('shows nothing to coordinators of other countries, nor to coordinators who did not ask for the coordinator view', async () => {
    for (const [user, id] of [['eszter.nagy', answered.id], ['stefan.gruber', referred.id], ['thomas.schneider', referred.id]] as const) {
      const view = await viewRequest(core.deps, user, id, { coordinators: true });
      expect(view.ok || view.error.code, `${user} ${id}`).toBe('REQUEST.NOT_FOUND');
    }
    const partyView = await viewRequest(core.deps, 'thomas.schneider', answered.id);
    expect(partyView.ok || partyView.error.code).toBe('REQUEST.NOT_FOUND');
  });
});
