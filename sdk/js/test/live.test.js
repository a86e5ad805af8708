'use strict';

// Tests against a running Leadpoet API, named by LEADPOET_BASE_URL and
// LEADPOET_API_KEY (the key needs the query and quality:read scopes, as the key
// `leadpoet dev` prints has). Skipped when either is unset.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { LeadpoetClient, InvalidQueryError, UnauthorizedError } = require('..');

const BASE_URL = process.env.LEADPOET_BASE_URL;
const API_KEY = process.env.LEADPOET_API_KEY;
const skip = !(BASE_URL && API_KEY) && 'LEADPOET_BASE_URL and LEADPOET_API_KEY name no live API';

describe('live API', { skip }, () => {
  const client = () => new LeadpoetClient(API_KEY, { baseUrl: BASE_URL });

  test('health', async () => {
    const h = await client().health();
    assert.ok(['healthy', 'degraded'].includes(h.status), h.status);
    assert.ok(h.version);
    assert.equal(h.redis, 'connected');
    assert.equal(typeof h.uptimeSeconds, 'number');
    assert.ok(h.llmService);
  });

  test('queryLeads with camelCase filters', async () => {
    const r = await client().queryLeads({
      query: 'Find companies looking for CRM software',
      limit: 10,
      filters: { industries: ['technology'], companySize: ['51-200'] },
    });
    assert.ok(r.leads.length > 0 && r.leads.length <= 10, `${r.leads.length} leads`);
    let prev = 1;
    for (const lead of r.leads) {
      assert.ok(lead.leadId && lead.companyName && lead.domain, JSON.stringify(lead));
      assert.equal(lead.companySize, '51-200');
      assert.ok(lead.score > 0 && lead.score <= prev);
      prev = lead.score;
      assert.ok(lead.confidence >= 0 && lead.confidence <= 1);
      assert.ok(lead.contactInfo.name && lead.contactInfo.title);
      assert.ok(lead.intentSignals.length > 0);
      assert.equal(lead.company_name, undefined);
    }
    assert.equal(r.metadata.queryProcessed, 'Find companies looking for CRM software');
    assert.ok(r.metadata.totalLeads >= r.leads.length);
    assert.ok(r.metadata.costUsd > 0);
    assert.equal(typeof r.metadata.processingTimeMs, 'number');
    assert.ok(r.rateLimit.limit > 0);
    assert.match(r.requestId, /^req_/);
  });

  test('invalid query', async () => {
    await assert.rejects(client().queryLeads({ query: 'CRM' }), (e) => {
      assert.ok(e instanceof InvalidQueryError);
      assert.equal(e.status, 400);
      assert.equal(e.code, 'INVALID_QUERY');
      assert.equal(e.details.field, 'query');
      assert.equal(e.details.minLength, 10);
      assert.ok(e.requestId);
      return true;
    });
  });

  test('unknown key', async () => {
    const c = new LeadpoetClient('lp_not_a_key', { baseUrl: BASE_URL });
    await assert.rejects(c.queryLeads({ query: 'Find companies looking for CRM software' }), (e) => e instanceof UnauthorizedError && e.status === 401);
  });

  test('reputation and alerts', async () => {
    const c = client();
    await c.queryLeads({ query: 'Find SaaS companies looking for customer support software', limit: 5 });
    const rep = await c.reputation();
    assert.ok(rep.totalQueries >= 1);
    assert.ok(rep.reputationScore >= 0 && rep.reputationScore <= 1);
    assert.ok(rep.throttleStatus);
    const a = await c.alerts();
    assert.equal(a.summary.totalAlerts, a.alerts.length);
  });
});
