'use strict';

const { test, describe, after } = require('node:test');
const assert = require('node:assert/strict');

const {
  LeadpoetClient,
  LeadpoetError,
  InvalidQueryError,
  RateLimitExceededError,
  CostLimitExceededError,
  UnauthorizedError,
  ForbiddenError,
  QueryThrottledError,
  ServiceUnavailableError,
  InternalError,
  LeadpoetConnectionError,
  toCamelCase,
  toSnakeCase,
} = require('..');
const { startStub, envelope } = require('./stub');

const EPOCH = 1767323045; // a fixed "now" for the retry tests, in seconds

const SPEC_LEAD = {
  lead_id: 'lead_12345',
  company_name: 'TechCorp Inc',
  domain: 'techcorp.com',
  industry: 'Technology',
  company_size: '51-200',
  location: 'San Francisco, CA',
  score: 0.92,
  confidence: 0.85,
  contact_info: { name: 'John Smith', title: 'CTO', email: 'john.smith@techcorp.com', phone: '+1-555-0123' },
  intent_signals: ['Recently posted job for CRM administrator'],
  evidence: [{ kind: 'job', source: 'demo', url: 'https://techcorp.com/j/1', title: 'CRM admin', snippet: '…', observed_at: '' }],
};
const SPEC_RESPONSE = {
  leads: [SPEC_LEAD],
  metadata: {
    total_leads: 150,
    query_processed: 'Find companies looking for CRM software',
    processing_time_ms: 245,
    cost_usd: 0.0018,
    llm_calls: 3,
    cache_hit_rate: 0.75,
    query_id: 'q_1',
    interpretation: { product: 'crm software', terms: ['crm'], company_sizes: ['51-200'] },
    cost_breakdown: { compute_usd: 0.001, store_ops: 60, leads: 1 },
  },
};
const OK = { status: 200, body: SPEC_RESPONSE };
const QUERY = 'Find companies looking for CRM software';

const stubs = [];
after(() => Promise.all(stubs.map((s) => s.close())));
async function stub(...answers) {
  const s = await startStub(...answers);
  stubs.push(s);
  return s;
}

// A client whose waits are recorded instead of slept, at a fixed time.
function fakeTimeClient(url, opts = {}) {
  const c = new LeadpoetClient('sk_test', { baseUrl: url, backoffBaseMs: 100, backoffMaxMs: 60000, ...opts });
  const clock = { now: EPOCH * 1000, slept: [] };
  c._sleep = async (ms) => {
    clock.slept.push(Math.round(ms * 1000) / 1000);
    clock.now += ms;
  };
  c._now = () => clock.now;
  c._random = () => 0.5;
  return { c, clock };
}

describe('queryLeads', () => {
  test('sends the spec request in snake_case and answers in camelCase', async () => {
    const s = await stub({
      status: 200,
      body: SPEC_RESPONSE,
      headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '998', 'x-ratelimit-reset': '1767323045', 'x-request-id': 'req_ok' },
    });
    const client = new LeadpoetClient('sk_test', { baseUrl: s.url + '/', userAgent: 'ua-test/1' });
    const response = await client.queryLeads({
      query: QUERY,
      limit: 25,
      filters: { industries: ['technology'], companySize: ['51-200'], jobTitles: ['CTO'], location: undefined },
      maxCostUsd: 0.5,
    });
    assert.equal(s.requests.length, 1);
    const [req] = s.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/query');
    assert.equal(req.headers.authorization, 'Bearer sk_test');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['user-agent'], 'ua-test/1');
    assert.deepEqual(JSON.parse(req.body), {
      query: QUERY,
      limit: 25,
      filters: { industries: ['technology'], company_size: ['51-200'], job_titles: ['CTO'] },
      max_cost_usd: 0.5,
    });

    assert.deepEqual(response.leads, [
      {
        leadId: 'lead_12345',
        companyName: 'TechCorp Inc',
        domain: 'techcorp.com',
        industry: 'Technology',
        companySize: '51-200',
        location: 'San Francisco, CA',
        score: 0.92,
        confidence: 0.85,
        contactInfo: { name: 'John Smith', title: 'CTO', email: 'john.smith@techcorp.com', phone: '+1-555-0123' },
        intentSignals: ['Recently posted job for CRM administrator'],
        evidence: [{ kind: 'job', source: 'demo', url: 'https://techcorp.com/j/1', title: 'CRM admin', snippet: '…', observedAt: '' }],
      },
    ]);
    assert.deepEqual(response.metadata, {
      totalLeads: 150,
      queryProcessed: QUERY,
      processingTimeMs: 245,
      costUsd: 0.0018,
      llmCalls: 3,
      cacheHitRate: 0.75,
      queryId: 'q_1',
      interpretation: { product: 'crm software', terms: ['crm'], companySizes: ['51-200'] },
      costBreakdown: { computeUsd: 0.001, storeOps: 60, leads: 1 },
    });
    assert.deepEqual(response.rateLimit, { limit: 1000, remaining: 998, reset: 1767323045 });
    assert.equal(response.requestId, 'req_ok');
  });

  test('accepts snake_case filters as sent', async () => {
    const s = await stub(OK);
    await new LeadpoetClient('k', { baseUrl: s.url }).queryLeads({ query: QUERY, filters: { company_size: ['1-10'], job_titles: ['CTO'] } });
    assert.deepEqual(JSON.parse(s.requests[0].body), { query: QUERY, filters: { company_size: ['1-10'], job_titles: ['CTO'] } });
  });

  test('decodes a gzip answer', async () => {
    const s = await stub({ ...OK, gzip: true });
    const r = await new LeadpoetClient('k', { baseUrl: s.url }).queryLeads({ query: QUERY });
    assert.match(s.requests[0].headers['accept-encoding'], /gzip/);
    assert.equal(r.leads[0].companyName, 'TechCorp Inc');
  });

  test('rejects a non-object argument', async () => {
    await assert.rejects(new LeadpoetClient('k', { baseUrl: 'http://127.0.0.1:9' }).queryLeads(QUERY), TypeError);
  });
});

test('key conversion', () => {
  assert.equal(toSnakeCase('companySize'), 'company_size');
  assert.equal(toSnakeCase('jobTitles'), 'job_titles');
  assert.equal(toSnakeCase('query'), 'query');
  assert.equal(toCamelCase('company_name'), 'companyName');
  assert.equal(toCamelCase('contact_info'), 'contactInfo');
  assert.equal(toCamelCase('intent_signals'), 'intentSignals');
  assert.equal(toCamelCase('processing_time_ms'), 'processingTimeMs');
});

describe('errors', () => {
  const cases = [
    [400, envelope('INVALID_QUERY'), InvalidQueryError, 'INVALID_QUERY'],
    [429, envelope('RATE_LIMIT_EXCEEDED'), RateLimitExceededError, 'RATE_LIMIT_EXCEEDED'],
    [429, envelope('COST_LIMIT_EXCEEDED'), CostLimitExceededError, 'COST_LIMIT_EXCEEDED'],
    [401, envelope('UNAUTHORIZED'), UnauthorizedError, 'UNAUTHORIZED'],
    [403, envelope('FORBIDDEN'), ForbiddenError, 'FORBIDDEN'],
    [429, envelope('QUERY_THROTTLED'), QueryThrottledError, 'QUERY_THROTTLED'],
    [503, envelope('SERVICE_UNAVAILABLE'), ServiceUnavailableError, 'SERVICE_UNAVAILABLE'],
    [500, envelope('INTERNAL_ERROR'), InternalError, 'INTERNAL_ERROR'],
    [404, envelope('NOT_FOUND'), LeadpoetError, 'NOT_FOUND'],
    [503, '<html>down</html>', ServiceUnavailableError, 'SERVICE_UNAVAILABLE'],
    [502, '<html>bad gateway</html>', LeadpoetError, null],
  ];
  for (const [status, body, Cls, code] of cases) {
    test(`${status} ${code} throws ${Cls.name}`, async () => {
      const s = await stub({ status, body, headers: { 'x-request-id': 'req_hdr' } });
      const c = new LeadpoetClient('k', { baseUrl: s.url, maxRetries: 0 });
      const err = await c.queryLeads({ query: QUERY }).then(
        () => assert.fail('no error'),
        (e) => e,
      );
      assert.equal(err.constructor, Cls);
      assert.ok(err instanceof LeadpoetError && err instanceof Error);
      assert.equal(err.name, Cls.name);
      assert.equal(err.code, code);
      assert.equal(err.status, status);
      if (typeof body === 'object') {
        assert.deepEqual(err.details, { field: 'query' });
        assert.equal(err.requestId, 'req_env');
        assert.equal(err.message, 'm');
        assert.equal(err.timestamp, '2026-01-02T03:04:05Z');
      } else {
        assert.deepEqual(err.details, {});
        assert.equal(err.requestId, 'req_hdr');
        assert.match(err.message, new RegExp(String(status)));
      }
    });
  }

  test('details come in camelCase', async () => {
    const s = await stub({ status: 400, body: envelope('INVALID_QUERY', 'short', { field: 'query', min_length: 10, provided_length: 3 }) });
    await assert.rejects(new LeadpoetClient('k', { baseUrl: s.url }).queryLeads({ query: 'CRM' }), (e) => {
      assert.deepEqual(e.details, { field: 'query', minLength: 10, providedLength: 3 });
      return true;
    });
  });

  test('an unreachable API throws LeadpoetConnectionError', async () => {
    const s = await startStub(OK);
    await s.close();
    await assert.rejects(new LeadpoetClient('k', { baseUrl: s.url }).health(), (e) => e instanceof LeadpoetConnectionError && e.status === null);
  });

  test('a slow API throws LeadpoetConnectionError after timeoutMs', async () => {
    const http = require('node:http');
    const server = http.createServer(() => {}); // never answers
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = new LeadpoetClient('k', { baseUrl: `http://127.0.0.1:${server.address().port}`, timeoutMs: 100 });
      await assert.rejects(c.health(), (e) => e instanceof LeadpoetConnectionError && /100 ms/.test(e.message));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('an undecodable success throws LeadpoetError', async () => {
    const s = await stub({ status: 200, body: '<html>' });
    await assert.rejects(new LeadpoetClient('k', { baseUrl: s.url }).alerts(), (e) => e instanceof LeadpoetError && /decode/.test(e.message));
  });
});

describe('retries', () => {
  const rate = (headers = {}) => ({ status: 429, headers, body: envelope('RATE_LIMIT_EXCEEDED') });
  // [name, answers, maxRetries, requests, waits in ms with jitter 0.5 and base 100 ms, error class or null]
  const cases = [
    ['429 honours Retry-After', [rate({ 'retry-after': '2', 'x-ratelimit-reset': String(EPOCH + 50) }), OK], 3, 2, [2050], null],
    ['429 Retry-After as HTTP date', [rate({ 'retry-after': new Date((EPOCH + 3) * 1000).toUTCString() }), OK], 3, 2, [3050], null],
    ['429 waits for X-RateLimit-Reset', [rate({ 'x-ratelimit-reset': String(EPOCH + 4) }), OK], 3, 2, [4050], null],
    ['429 without hints backs off exponentially', [rate(), rate(), rate(), OK], 3, 4, [75, 150, 300], null],
    ['503 backs off', [{ status: 503, body: envelope('SERVICE_UNAVAILABLE') }, OK], 3, 2, [75], null],
    ['503 honours Retry-After', [{ status: 503, headers: { 'retry-after': '1' }, body: 'down' }, OK], 3, 2, [1050], null],
    ['throttled honours Retry-After', [{ status: 429, headers: { 'retry-after': '5' }, body: envelope('QUERY_THROTTLED') }, OK], 3, 2, [5050], null],
    ['gives up after maxRetries', [rate({ 'retry-after': '1' })], 2, 3, [1050, 1050], RateLimitExceededError],
    ['maxRetries 0', [rate({ 'retry-after': '1' }), OK], 0, 1, [], RateLimitExceededError],
    ['Retry-After beyond backoffMaxMs is not waited', [rate({ 'retry-after': '3600' }), OK], 3, 1, [], RateLimitExceededError],
    ['cost limit without Retry-After is not retried', [{ status: 429, headers: { 'x-ratelimit-reset': String(EPOCH + 4) }, body: envelope('COST_LIMIT_EXCEEDED') }, OK], 3, 1, [], CostLimitExceededError],
    ['cost limit with Retry-After is retried', [{ status: 429, headers: { 'retry-after': '1' }, body: envelope('COST_LIMIT_EXCEEDED') }, OK], 3, 2, [1050], null],
    ['400 is not retried', [{ status: 400, body: envelope('INVALID_QUERY') }, OK], 3, 1, [], InvalidQueryError],
    ['401 is not retried', [{ status: 401, body: envelope('UNAUTHORIZED') }, OK], 3, 1, [], UnauthorizedError],
    ['403 is not retried', [{ status: 403, body: envelope('FORBIDDEN') }, OK], 3, 1, [], ForbiddenError],
    ['500 is not retried', [{ status: 500, body: envelope('INTERNAL_ERROR') }, OK], 3, 1, [], InternalError],
  ];
  for (const [name, answers, maxRetries, nRequests, waits, Err] of cases) {
    test(name, async () => {
      const s = await stub(...answers);
      const { c, clock } = fakeTimeClient(s.url, { maxRetries });
      const p = c.queryLeads({ query: QUERY, limit: 5 });
      if (Err) await assert.rejects(p, Err);
      else assert.equal((await p).leads[0].companyName, 'TechCorp Inc');
      assert.equal(s.requests.length, nRequests);
      for (const r of s.requests) assert.equal(r.body, s.requests[0].body);
      assert.deepEqual(clock.slept, waits);
    });
  }

  test('giving up reports retryAfter', async () => {
    const s = await stub({ status: 429, headers: { 'retry-after': '540' }, body: envelope('QUERY_THROTTLED') });
    const { c } = fakeTimeClient(s.url);
    await assert.rejects(c.queryLeads({ query: QUERY }), (e) => e instanceof QueryThrottledError && e.retryAfter === 540);
  });

  test('real backoff jitter stays in bounds', async () => {
    const s = await stub(rate(), rate(), rate(), OK);
    const c = new LeadpoetClient('k', { baseUrl: s.url, backoffBaseMs: 10, backoffMaxMs: 1000 });
    const waits = [];
    c._sleep = async (ms) => waits.push(ms);
    await c.queryLeads({ query: QUERY });
    waits.forEach((w, i) => {
      const full = 10 * 2 ** i;
      assert.ok(w >= full / 2 && w <= full, `wait ${i}: ${w}`);
    });
  });

  test('an abort signal ends the wait before a retry', async () => {
    const s = await stub({ status: 503, headers: { 'retry-after': '10' }, body: envelope('SERVICE_UNAVAILABLE') });
    const c = new LeadpoetClient('k', { baseUrl: s.url });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const began = Date.now();
    await assert.rejects(c.queryLeads({ query: QUERY }, { signal: ctl.signal }), { name: 'AbortError' });
    assert.ok(Date.now() - began < 5000);
    assert.equal(s.requests.length, 1);
  });
});

describe('configuration', () => {
  test('base URL and key: argument, else environment, else default', () => {
    const saved = { url: process.env.LEADPOET_BASE_URL, key: process.env.LEADPOET_API_KEY };
    try {
      delete process.env.LEADPOET_BASE_URL;
      delete process.env.LEADPOET_API_KEY;
      assert.equal(new LeadpoetClient('k').baseUrl, 'https://api.leadpoet.com');
      process.env.LEADPOET_BASE_URL = 'http://env.example:8000/';
      process.env.LEADPOET_API_KEY = 'sk_env';
      assert.equal(new LeadpoetClient('k').baseUrl, 'http://env.example:8000');
      assert.equal(new LeadpoetClient().apiKey, 'sk_env');
      assert.equal(new LeadpoetClient('k', { baseUrl: 'http://arg.example' }).baseUrl, 'http://arg.example');
      assert.equal(new LeadpoetClient({ apiKey: 'k2', baseUrl: 'http://obj.example' }).apiKey, 'k2');
    } finally {
      for (const [k, v] of [['LEADPOET_BASE_URL', saved.url], ['LEADPOET_API_KEY', saved.key]]) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  test('package.json names the entry points and no dependencies', () => {
    const pkg = require('../package.json');
    assert.equal(pkg.name, '@leadpoet/client');
    assert.equal(require.resolve('..'), require.resolve('../' + pkg.main));
    assert.ok(require('node:fs').existsSync(require('node:path').join(__dirname, '..', pkg.types)));
    assert.equal(pkg.engines.node, '>=18');
    assert.equal(pkg.dependencies, undefined);
  });
});

describe('other endpoints', () => {
  test('reputation and alerts', async () => {
    const s = await stub(
      {
        status: 200,
        headers: { 'x-ratelimit-remaining': '7' },
        body: {
          api_key: 'sk_...', reputation_score: 0.85, total_queries: 1250, successful_queries: 1180, failed_queries: 70,
          average_response_time_ms: 245, cost_efficiency: 0.92, throttle_status: 'active', throttle_reason: 'High cost per lead',
          recommendations: ['Consider using more specific queries'],
        },
      },
      {
        status: 200,
        body: {
          alerts: [{ alert_id: 'alert_123', type: 'high_cost', severity: 'warning', message: 'Cost per lead exceeded threshold',
            threshold: 0.002, current_value: 0.0025, created_at: '2024-12-19T10:00:00Z', status: 'active' }],
          summary: { total_alerts: 1, critical_alerts: 0, warning_alerts: 1, info_alerts: 0 },
        },
      },
    );
    const c = new LeadpoetClient('k', { baseUrl: s.url });
    assert.deepEqual(await c.reputation(), {
      apiKey: 'sk_...', reputationScore: 0.85, totalQueries: 1250, successfulQueries: 1180, failedQueries: 70,
      averageResponseTimeMs: 245, costEfficiency: 0.92, throttleStatus: 'active', throttleReason: 'High cost per lead',
      recommendations: ['Consider using more specific queries'],
      rateLimit: { limit: null, remaining: 7, reset: null },
      requestId: '',
    });
    const a = await c.alerts();
    assert.deepEqual(a.alerts[0], {
      alertId: 'alert_123', type: 'high_cost', severity: 'warning', message: 'Cost per lead exceeded threshold',
      threshold: 0.002, currentValue: 0.0025, createdAt: '2024-12-19T10:00:00Z', status: 'active',
    });
    assert.deepEqual(a.summary, { totalAlerts: 1, criticalAlerts: 0, warningAlerts: 1, infoAlerts: 0 });
    assert.deepEqual(s.requests.map((r) => `${r.method} ${r.path}`), ['GET /query-quality/reputation', 'GET /query-quality/alerts']);
  });

  test('health', async () => {
    const s = await stub({ status: 200, body: { status: 'healthy', timestamp: '2024-12-19T10:30:00Z', version: '1.1.0', uptime_seconds: 86400, database: 'connected', redis: 'connected', llm_service: 'available' } });
    const h = await new LeadpoetClient('k', { baseUrl: s.url }).health();
    assert.deepEqual(
      { ...h, requestId: undefined },
      { status: 'healthy', timestamp: '2024-12-19T10:30:00Z', version: '1.1.0', uptimeSeconds: 86400, database: 'connected', redis: 'connected', llmService: 'available', requestId: undefined },
    );
  });

  test('unhealthy throws with the document and is not retried', async () => {
    const s = await stub({ status: 503, body: { status: 'unhealthy', redis: 'disconnected', llm_service: 'not_used' } });
    await assert.rejects(new LeadpoetClient('k', { baseUrl: s.url }).health(), (e) => {
      assert.ok(e instanceof ServiceUnavailableError);
      assert.deepEqual(e.health, { status: 'unhealthy', redis: 'disconnected', llmService: 'not_used' });
      return true;
    });
    assert.equal(s.requests.length, 1);
  });
});
