// Types of @leadpoet/client. Requests and answers are camelCase; the client
// converts them to and from the API's snake_case.

export declare const VERSION: string;
export declare const DEFAULT_BASE_URL: string;

export interface ClientOptions {
  /** The API's base URL; LEADPOET_BASE_URL when omitted, else https://api.leadpoet.com. */
  baseUrl?: string;
  /** Retries of a request answered 429 or 503 (default 3); 0 turns them off. */
  maxRetries?: number;
  /** Timeout of each HTTP attempt in milliseconds (default 30000). */
  timeoutMs?: number;
  userAgent?: string;
  /** The first backoff in milliseconds (default 500); it doubles with each retry. */
  backoffBaseMs?: number;
  /** The longest wait before one retry, in milliseconds (default 30000). */
  backoffMaxMs?: number;
  /** The fetch implementation; the global one by default. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** Aborts the request, and any wait before a retry. */
  signal?: AbortSignal;
}

export interface Filters {
  /** e.g. "technology", "saas" */
  industries?: string[];
  /** "1-10", "11-50", "51-200", "201-1000", "1000+" */
  companySize?: string[];
  location?: string;
  /** Domains to leave out. */
  exclude?: string[];
  technologies?: string[];
  jobTitles?: string[];
}

export interface QueryLeadsParams {
  /** The target companies in plain words, 10 to 1000 characters. */
  query: string;
  /** How many leads to return, 1 to 2000 (the API's default: 25). */
  limit?: number;
  filters?: Filters;
  /** Lowers the plan's per-query cost ceiling for this query (an extension of the spec). */
  maxCostUsd?: number;
}

export interface ContactInfo {
  name: string;
  title: string;
  email: string;
  phone: string;
}

export interface Evidence {
  kind: string;
  source: string;
  url: string;
  title: string;
  snippet: string;
  /** RFC 3339; "" when unknown. */
  observedAt: string;
}

export interface Lead {
  leadId: string;
  companyName: string;
  domain: string;
  industry: string;
  /** "" when unknown. */
  companySize: string;
  location: string;
  /** In [0, 1]; leads come best first. */
  score: number;
  /** In [0, 1]. */
  confidence: number;
  contactInfo: ContactInfo;
  intentSignals: string[];
  /** The structured evidence behind intentSignals (an extension of the spec). */
  evidence?: Evidence[];
}

export interface Interpretation {
  product: string;
  terms: string[];
  industries?: string[];
  companySizes?: string[];
  location?: string;
  technologies?: string[];
  excludedTechnologies?: string[];
}

export interface CostBreakdown {
  computeUsd: number;
  storeUsd: number;
  dataUsd: number;
  llmUsd: number;
  computeMs: number;
  storeOps: number;
  leads: number;
  llmTokens: number;
}

export interface QueryMetadata {
  totalLeads: number;
  queryProcessed: string;
  processingTimeMs: number;
  costUsd: number;
  llmCalls: number;
  cacheHitRate: number;
  queryId?: string;
  interpretation?: Interpretation;
  costBreakdown?: CostBreakdown;
}

/** The rate-limit headers of an answer; null where a header was absent. */
export interface RateLimit {
  limit: number | null;
  remaining: number | null;
  /** Unix time in seconds. */
  reset: number | null;
}

export interface ResponseInfo {
  rateLimit: RateLimit;
  /** The answer's X-Request-ID. */
  requestId: string;
}

export interface QueryLeadsResponse extends ResponseInfo {
  leads: Lead[];
  metadata: QueryMetadata;
}

export interface Reputation extends ResponseInfo {
  /** Masked key id, never the secret. */
  apiKey: string;
  reputationScore: number;
  totalQueries: number;
  successfulQueries: number;
  failedQueries: number;
  averageResponseTimeMs: number;
  costEfficiency: number;
  /** e.g. "none", "warning", "active" */
  throttleStatus: string;
  throttleReason: string;
  recommendations: string[];
}

export interface Alert {
  alertId: string;
  type: string;
  severity: 'info' | 'warning' | 'critical' | string;
  message: string;
  threshold: number;
  currentValue: number;
  /** RFC 3339. */
  createdAt: string;
  status: string;
}

export interface AlertsResponse extends ResponseInfo {
  alerts: Alert[];
  summary: {
    totalAlerts: number;
    criticalAlerts: number;
    warningAlerts: number;
    infoAlerts: number;
  };
}

export interface Health {
  status: 'healthy' | 'degraded' | 'unhealthy' | string;
  /** RFC 3339. */
  timestamp: string;
  version: string;
  uptimeSeconds: number;
  database: string;
  redis: string;
  llmService: string;
  /** An extension of the spec. */
  kafka?: string;
  requestId: string;
}

export type ErrorCode =
  | 'INVALID_QUERY'
  | 'RATE_LIMIT_EXCEEDED'
  | 'COST_LIMIT_EXCEEDED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'QUERY_THROTTLED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export declare class LeadpoetError extends Error {
  /** The envelope's code; servers may send codes beyond ErrorCode. null without an answer. */
  code: ErrorCode | string | null;
  /** The HTTP status; null without an answer. */
  status: number | null;
  /** The envelope's details, with camelCase keys. */
  details: Record<string, unknown>;
  requestId: string | null;
  /** Seconds the server asked to wait before retrying, or null. */
  retryAfter: number | null;
  /** When the server answered (RFC 3339), or null. */
  timestamp: string | null;
}
export declare class InvalidQueryError extends LeadpoetError {}
export declare class RateLimitExceededError extends LeadpoetError {}
export declare class CostLimitExceededError extends LeadpoetError {}
export declare class UnauthorizedError extends LeadpoetError {}
export declare class ForbiddenError extends LeadpoetError {}
export declare class QueryThrottledError extends LeadpoetError {}
export declare class ServiceUnavailableError extends LeadpoetError {
  /** From health(): the API's health document. */
  health?: Omit<Health, 'requestId'>;
}
export declare class InternalError extends LeadpoetError {}
export declare class LeadpoetConnectionError extends LeadpoetError {}

export declare class LeadpoetClient {
  constructor(apiKey?: string, options?: ClientOptions);
  constructor(options: ClientOptions & { apiKey?: string });
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  queryLeads(params: QueryLeadsParams, options?: RequestOptions): Promise<QueryLeadsResponse>;
  reputation(options?: RequestOptions): Promise<Reputation>;
  alerts(options?: RequestOptions): Promise<AlertsResponse>;
  health(options?: RequestOptions): Promise<Health>;
}

export declare function toCamelCase(key: string): string;
export declare function toSnakeCase(key: string): string;
