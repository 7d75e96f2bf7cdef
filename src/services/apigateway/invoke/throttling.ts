// Who may go on to the integration, after authorization: a method that requires an API key needs an
// enabled key in a usage plan covering the stage (else 403 Forbidden); the plan's per-client
// throttle (or its per-method override in apiStages[].throttle, keyed "/path/METHOD") and the
// stage's method settings (the method's own, else "*/*") are token buckets refilled at rateLimit
// per second up to burstLimit on Fogbank's clock (429 Too Many Requests); the plan's quota counts
// last (429 Limit Exceeded). Buckets live in memory; a stage without throttling settings and a
// method without an API key cost nothing here.

import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Store } from '../../../store/store.js';
import { planForKey } from '../api-keys.js';
import type { ApiLocation, StageRecord } from '../state.js';
import { consumeQuota } from '../usage.js';
import { gatewayError } from './gateway-responses.js';
import type { Route } from './routing.js';

interface Bucket {
  tokens: number;
  at: number;
  rate: number;
  burst: number;
}

const buckets = new WeakMap<Store, Map<string, Bucket>>();

/** Takes a token from the bucket named `key`, refilled since its last use; false when none is left. */
function take(store: Store, key: string, rate: number, burst: number, now: number): boolean {
  let all = buckets.get(store);
  if (!all) buckets.set(store, (all = new Map()));
  let bucket = all.get(key);
  if (!bucket || bucket.rate !== rate || bucket.burst !== burst) {
    // A new or changed limit starts full, as a freshly deployed setting does.
    if (all.size >= 10_000) all.clear();
    bucket = { tokens: burst, at: now, rate, burst };
    all.set(key, bucket);
  }
  bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rate);
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

const throttled = (requestId: string) => gatewayError('THROTTLED', 429, 'TooManyRequestsException', 'Too Many Requests', requestId);

interface Limits {
  rateLimit?: number;
  burstLimit?: number;
}

/** Whether a throttle with these limits lets one more request through the bucket `key`. */
export function allows(store: Store, key: string, limits: Limits | undefined, now: number): boolean {
  if (!limits || (limits.rateLimit === undefined && limits.burstLimit === undefined)) return true;
  // A limit left unset does not bind: AWS's account-level defaults are far above what a test sends.
  const rate = limits.rateLimit ?? 10_000;
  const burst = limits.burstLimit ?? 5_000;
  return take(store, key, rate, burst, now);
}

/** The stage's throttle for a method: its own method settings over "*\/*", field by field. */
function stageLimits(stage: StageRecord, methodKey: string): Limits | undefined {
  const settings = stage.methodSettings;
  if (!settings) return undefined;
  const own = settings[methodKey];
  const all = settings['*/*'];
  const rateLimit = own?.throttlingRateLimit ?? all?.throttlingRateLimit;
  const burstLimit = own?.throttlingBurstLimit ?? all?.throttlingBurstLimit;
  return rateLimit === undefined && burstLimit === undefined ? undefined : { rateLimit, burstLimit };
}

export interface Admission {
  store: Store;
  location: ApiLocation;
  apiId: string;
  stage: StageRecord;
  route: Route;
  req: WireRequest;
  /** The API key the request presents (the x-api-key header, or what the authorizer named). */
  apiKey: string | undefined;
  now: number;
  requestId: string;
}

/** The gateway's refusal (403, 429), or undefined when the request may go on. */
export function admit(a: Admission): WireResponse | undefined {
  if (!a.route.method.apiKeyRequired && !a.stage.methodSettings) return undefined;
  const httpMethod = a.route.method.httpMethod ?? a.req.method;
  const path = a.route.resource.path;
  const scope = `${a.location.account}/${a.location.region}/${a.apiId}/${a.stage.stageName}`;
  let plan: ReturnType<typeof planForKey>;
  if (a.route.method.apiKeyRequired) {
    plan = planForKey(a.store, a.location, a.apiId, a.stage.stageName, a.apiKey);
    if (!plan) return gatewayError('INVALID_API_KEY', 403, 'ForbiddenException', 'Forbidden', a.requestId);
    const apiStage = plan.plan.apiStages.find((s) => s.apiId === a.apiId && s.stage === a.stage.stageName);
    const methodThrottle = apiStage?.throttle?.[`${path}/${httpMethod}`];
    const bucket = methodThrottle ? `${scope}/plan/${plan.plan.id}/${plan.key.id}${path}/${httpMethod}` : `${a.location.account}/${a.location.region}/plan/${plan.plan.id}/${plan.key.id}`;
    if (!allows(a.store, bucket, methodThrottle ?? plan.plan.throttle, a.now)) return throttled(a.requestId);
  }
  const methodKey = `${path.slice(1)}/${httpMethod}`;
  if (!allows(a.store, `${scope}/stage/${methodKey}`, stageLimits(a.stage, methodKey), a.now)) return throttled(a.requestId);
  if (plan && !consumeQuota(a.store, a.location, plan.plan, plan.key.id, a.now)) {
    return gatewayError('QUOTA_EXCEEDED', 429, 'LimitExceededException', 'Limit Exceeded', a.requestId);
  }
  return undefined;
}
