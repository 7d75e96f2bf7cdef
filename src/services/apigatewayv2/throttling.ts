// Stage throttling for HTTP APIs: the route's own RouteSettings over the stage's
// DefaultRouteSettings, field by field, as a token bucket per stage and route key refilled at
// ThrottlingRateLimit per second up to ThrottlingBurstLimit on Fogbank's clock (the REST side's
// buckets, apigateway/invoke/throttling.ts). A refused request is answered 429 Too Many Requests.
// A stage without throttling settings costs two property reads.

import type { WireResponse } from '../../protocols/wire.js';
import type { Store } from '../../store/store.js';
import { allows } from '../apigateway/invoke/throttling.js';
import type { StageRecord } from './state.js';

/** The gateway's refusal when the route's bucket is empty, else undefined. */
export function throttleRoute(store: Store, location: { account: string; region: string }, apiId: string, stage: StageRecord, routeKey: string, now: number): WireResponse | undefined {
  const own = stage.routeSettings?.[routeKey];
  const all = stage.defaultRouteSettings;
  if (!own && !all) return undefined;
  const rateLimit = own?.ThrottlingRateLimit ?? all?.ThrottlingRateLimit;
  const burstLimit = own?.ThrottlingBurstLimit ?? all?.ThrottlingBurstLimit;
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  if (allows(store, `${location.account}/${location.region}/${apiId}/${stage.stageName}/http/${routeKey}`, { rateLimit, burstLimit }, now)) return undefined;
  return { status: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Too Many Requests' }) };
}
