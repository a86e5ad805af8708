'use strict';

/**
 * JavaScript client of the Leadpoet B2B intent API, for Node.js 18 and later.
 * It has no dependencies: HTTP goes through the built-in fetch.
 *
 * Requests are written in camelCase and sent in the API's snake_case
 * (companySize → company_size); answers come back in camelCase
 * (company_name → companyName, contact_info → contactInfo).
 */

const VERSION = '1.1.0';
const DEFAULT_BASE_URL = 'https://api.leadpoet.com';
const ENV_BASE_URL = 'LEADPOET_BASE_URL';
const ENV_API_KEY = 'LEADPOET_API_KEY';

/** An error answer of the API (or, for LeadpoetConnectionError, no answer). */
class LeadpoetError extends Error {
  constructor(message, { code = null, status = null, details = {}, requestId = null, retryAfter = null, timestamp = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    /** The envelope's error code, e.g. "INVALID_QUERY"; null without an answer. */
    this.code = code;
    /** The HTTP status; null without an answer. */
    this.status = status;
    /** The envelope's details, with camelCase keys. */
    this.details = details || {};
    /** Quote it when reporting a problem. */
    this.requestId = requestId;
    /** Seconds the server asked to wait before retrying, or null. */
    this.retryAfter = retryAfter;
    /** When the server answered (RFC 3339), or null. */
    this.timestamp = timestamp;
  }
}

/** 400 INVALID_QUERY: the request failed validation; details name the field. */
class InvalidQueryError extends LeadpoetError {}
/** 429 RATE_LIMIT_EXCEEDED: too many requests; see retryAfter. */
class RateLimitExceededError extends LeadpoetError {}
/** 429 COST_LIMIT_EXCEEDED: the query costs more than the key's plan allows. */
class CostLimitExceededError extends LeadpoetError {}
/** 401 UNAUTHORIZED: the API key is missing or invalid. */
class UnauthorizedError extends LeadpoetError {}
/** 403 FORBIDDEN: the API key lacks the scope the endpoint needs. */
class ForbiddenError extends LeadpoetError {}
/** 429 QUERY_THROTTLED: the key's query-quality reputation is too low. */
class QueryThrottledError extends LeadpoetError {}
/** 503 SERVICE_UNAVAILABLE: retry later. From health(), `health` holds the health document. */
class ServiceUnavailableError extends LeadpoetError {}
/** 500 INTERNAL_ERROR: quote requestId when reporting it. */
class InternalError extends LeadpoetError {}
/** The API could not be reached or did not answer in time. */
class LeadpoetConnectionError extends LeadpoetError {}

const ERRORS_BY_CODE = {
  INVALID_QUERY: InvalidQueryError,
  RATE_LIMIT_EXCEEDED: RateLimitExceededError,
  COST_LIMIT_EXCEEDED: CostLimitExceededError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  QUERY_THROTTLED: QueryThrottledError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
  INTERNAL_ERROR: InternalError,
};

// The documented code of a status, for answers without an error envelope.
const CODE_BY_STATUS = {
  400: 'INVALID_QUERY',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

const MAX_ERROR_TEXT = 200;

/** "companySize" → "company_size". */
function toSnakeCase(key) {
  return key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** "company_name" → "companyName". */
function toCamelCase(key) {
  return key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

/** Renames the keys of plain objects, at every depth; values are left alone. */
function convertKeys(value, rename) {
  if (Array.isArray(value)) return value.map((v) => convertKeys(v, rename));
  if (!isPlainObject(value)) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[rename(k)] = convertKeys(v, rename);
  }
  return out;
}

function rateLimitFrom(headers) {
  const num = (name) => {
    const v = headers.get(name);
    if (v === null || v.trim() === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  return { limit: num('x-ratelimit-limit'), remaining: num('x-ratelimit-remaining'), reset: num('x-ratelimit-reset') };
}

function retryable(status, code, hasRetryAfter) {
  if (status === 503) return true;
  if (status === 429) return code !== 'COST_LIMIT_EXCEEDED' || hasRetryAfter;
  return false;
}

function abortError(signal) {
  return signal.reason !== undefined ? signal.reason : Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}

function defaultSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Client of the Leadpoet API.
 *
 * Retries: a 429 is retried after the server's Retry-After, else until its
 * X-RateLimit-Reset, else after an exponential backoff with jitter; a 503 after
 * Retry-After or the backoff; at most maxRetries times. A server asking for a
 * longer wait than backoffMaxMs, a COST_LIMIT_EXCEEDED without Retry-After (a
 * query refused for its own cost) and every other error are thrown at once.
 */
class LeadpoetClient {
  /**
   * @param {string} [apiKey] the API key; LEADPOET_API_KEY when omitted.
   * @param {object} [options]
   * @param {string} [options.baseUrl] LEADPOET_BASE_URL when omitted, else https://api.leadpoet.com.
   * @param {number} [options.maxRetries=3] retries of a request answered 429 or 503; 0 turns them off.
   * @param {number} [options.timeoutMs=30000] per HTTP attempt.
   * @param {string} [options.userAgent]
   * @param {number} [options.backoffBaseMs=500] the first backoff; it doubles with each retry.
   * @param {number} [options.backoffMaxMs=30000] the longest wait before one retry.
   * @param {typeof fetch} [options.fetch] the fetch implementation; the global one by default.
   */
  constructor(apiKey, options = {}) {
    if (apiKey !== null && typeof apiKey === 'object') {
      options = apiKey;
      apiKey = options.apiKey;
    }
    const env = typeof process !== 'undefined' && process.env ? process.env : {};
    this.apiKey = apiKey || env[ENV_API_KEY] || '';
    this.baseUrl = String(options.baseUrl || env[ENV_BASE_URL] || DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 3));
    this.timeoutMs = options.timeoutMs ?? 30000;
    this.userAgent = options.userAgent || `leadpoet-js/${VERSION}`;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 30000;
    this._fetch = options.fetch || globalThis.fetch;
    if (typeof this._fetch !== 'function') {
      throw new Error('@leadpoet/client needs a fetch implementation: Node.js 18 or later, or options.fetch');
    }
    // Seams for tests.
    this._sleep = defaultSleep;
    this._now = Date.now;
    this._random = Math.random;
  }

  /**
   * POST /query: the leads most likely to buy what `query` describes.
   * @param {{query: string, limit?: number, filters?: object, maxCostUsd?: number}} params
   * @param {{signal?: AbortSignal}} [options]
   */
  async queryLeads(params, options = {}) {
    if (!params || typeof params !== 'object') throw new TypeError('queryLeads takes an object: { query, limit, filters }');
    const body = convertKeys(params, toSnakeCase);
    const ans = await this._call('POST', '/query', body, true, options.signal);
    return this._result(ans);
  }

  /** GET /query-quality/reputation; the key needs the quality:read scope. */
  async reputation(options = {}) {
    return this._result(await this._call('GET', '/query-quality/reputation', undefined, true, options.signal));
  }

  /** GET /query-quality/alerts; the key needs the quality:read scope. */
  async alerts(options = {}) {
    return this._result(await this._call('GET', '/query-quality/alerts', undefined, true, options.signal));
  }

  /**
   * GET /healthz, once (a probe is not retried). An unhealthy API answers 503
   * with its health document: that throws a ServiceUnavailableError whose
   * `health` holds the document.
   */
  async health(options = {}) {
    let ans;
    try {
      ans = await this._call('GET', '/healthz', undefined, false, options.signal);
    } catch (err) {
      if (err instanceof ServiceUnavailableError && isPlainObject(err._body) && err._body.status) {
        err.health = convertKeys(err._body, toCamelCase);
        err.message = `the API is ${err._body.status}`;
      }
      throw err;
    }
    const out = this._decode(ans);
    out.requestId = ans.headers.get('x-request-id') || '';
    return out;
  }

  _result(ans) {
    const out = this._decode(ans);
    out.rateLimit = rateLimitFrom(ans.headers);
    out.requestId = ans.headers.get('x-request-id') || '';
    return out;
  }

  _decode(ans) {
    try {
      return convertKeys(JSON.parse(ans.text), toCamelCase);
    } catch (e) {
      throw new LeadpoetError(`could not decode the ${ans.status} answer: ${e.message}`, {
        status: ans.status,
        requestId: ans.headers.get('x-request-id'),
        cause: e,
      });
    }
  }

  async _call(method, path, body, retry, signal) {
    const data = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      const ans = await this._roundTrip(method, path, data, signal);
      if (ans.status >= 200 && ans.status < 300) return ans;
      const err = this._error(ans);
      const { hint, fromRetryAfter } = this._retryHint(ans, err.code);
      if (!retry || attempt > this.maxRetries || !retryable(ans.status, err.code, fromRetryAfter)) throw err;
      let waitMs;
      if (hint !== null) {
        if (hint * 1000 > this.backoffMaxMs) throw err;
        waitMs = hint * 1000 + this._random() * this.backoffBaseMs;
      } else {
        const d = Math.min(this.backoffBaseMs * 2 ** (attempt - 1), this.backoffMaxMs);
        waitMs = d / 2 + (this._random() * d) / 2;
      }
      await this._sleep(waitMs, signal);
    }
  }

  async _roundTrip(method, path, data, signal) {
    if (signal && signal.aborted) throw abortError(signal);
    const headers = { Accept: 'application/json', 'User-Agent': this.userAgent };
    if (data !== undefined) headers['Content-Type'] = 'application/json';
    if (this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, this.timeoutMs);
    const onAbort = () => ctl.abort();
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    try {
      // fetch asks for gzip and decompresses the answer itself.
      const res = await this._fetch(this.baseUrl + path, { method, headers, body: data, signal: ctl.signal });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (signal && signal.aborted) throw abortError(signal);
      const why = timedOut ? `no answer within ${this.timeoutMs} ms` : (e.cause && e.cause.message) || e.message;
      throw new LeadpoetConnectionError(`${method} ${this.baseUrl}${path}: ${why}`, { cause: e });
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    }
  }

  _error(ans) {
    let requestId = ans.headers.get('x-request-id');
    let doc = null;
    try {
      doc = JSON.parse(ans.text);
    } catch (_) {
      // not JSON: a proxy's page, for instance
    }
    const env = isPlainObject(doc) && isPlainObject(doc.error) ? doc.error : null;
    let code;
    let message;
    let details = {};
    let timestamp = null;
    if (env && env.code) {
      code = String(env.code);
      message = String(env.message || code);
      details = isPlainObject(env.details) ? convertKeys(env.details, toCamelCase) : {};
      requestId = doc.request_id || requestId;
      timestamp = doc.timestamp || null;
    } else {
      code = CODE_BY_STATUS[ans.status] || null;
      const text = ans.text.trim();
      message = `HTTP ${ans.status}` + (text ? `: ${text.slice(0, MAX_ERROR_TEXT)}` : '');
    }
    const { hint } = this._retryHint(ans, code);
    const Cls = ERRORS_BY_CODE[code] || LeadpoetError;
    const err = new Cls(message, { code, status: ans.status, details, requestId, retryAfter: hint, timestamp });
    Object.defineProperty(err, '_body', { value: doc, enumerable: false });
    return err;
  }

  // Seconds the answer asks to wait (or null), and whether Retry-After said so.
  _retryHint(ans, code) {
    const ra = (ans.headers.get('retry-after') || '').trim();
    if (ra) {
      if (/^\d+$/.test(ra)) return { hint: Number(ra), fromRetryAfter: true };
      const when = Date.parse(ra);
      if (!Number.isNaN(when)) return { hint: Math.max((when - this._now()) / 1000, 0), fromRetryAfter: true };
    }
    if (ans.status === 429 && code !== 'COST_LIMIT_EXCEEDED') {
      const reset = (ans.headers.get('x-ratelimit-reset') || '').trim();
      if (/^\d+$/.test(reset)) return { hint: Math.max(Number(reset) - this._now() / 1000, 0), fromRetryAfter: false };
    }
    return { hint: null, fromRetryAfter: false };
  }
}

module.exports = {
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
  DEFAULT_BASE_URL,
  VERSION,
  toCamelCase,
  toSnakeCase,
};
