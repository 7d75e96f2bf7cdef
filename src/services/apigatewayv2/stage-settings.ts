// A stage's access log settings and route settings (default and per route key): checked and merged
// by CreateStage and UpdateStage, shown by the stage views, removed by DeleteAccessLogSettings and
// DeleteRouteSettings. The invoke path applies them in throttling.ts and access-log.ts.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import { checkAccessLogSettings } from '../apigateway/invoke/access-log.js';
import type { Handler, RequestContext } from '../types.js';
import { badRequest, getHttpApi, notFound, stages, type StageRecord } from './state.js';

type Settings = Pick<StageRecord, 'accessLogSettings' | 'defaultRouteSettings' | 'routeSettings'>;
type Input = { AccessLogSettings?: AG2.AccessLogSettings; DefaultRouteSettings?: AG2.RouteSettings; RouteSettings?: Record<string, AG2.RouteSettings> };

const LEVELS = ['ERROR', 'INFO', 'OFF'];

function checkRouteSettings(settings: AG2.RouteSettings): AG2.RouteSettings {
  // Unconfirmed wording for the checks below.
  if (settings.ThrottlingBurstLimit !== undefined && settings.ThrottlingBurstLimit < 0) throw badRequest('ThrottlingBurstLimit must be non-negative');
  if (settings.ThrottlingRateLimit !== undefined && settings.ThrottlingRateLimit < 0) throw badRequest('ThrottlingRateLimit must be non-negative');
  if (settings.LoggingLevel !== undefined && !LEVELS.includes(settings.LoggingLevel)) throw badRequest(`Invalid LoggingLevel: ${settings.LoggingLevel}`);
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as AG2.RouteSettings;
}

/** The stage's settings after a CreateStage or UpdateStage input: given members replace or merge into what was. */
export function mergeStageSettings(ctx: RequestContext, input: Input, current: Settings = {}): Settings {
  const out: Settings = { accessLogSettings: current.accessLogSettings, defaultRouteSettings: current.defaultRouteSettings, routeSettings: current.routeSettings };
  if (input.AccessLogSettings) {
    const { DestinationArn, Format } = input.AccessLogSettings;
    checkAccessLogSettings('HTTP', ctx, DestinationArn, Format);
    out.accessLogSettings = { DestinationArn, Format };
  }
  if (input.DefaultRouteSettings) out.defaultRouteSettings = { ...current.defaultRouteSettings, ...checkRouteSettings(input.DefaultRouteSettings) };
  if (input.RouteSettings) {
    const routeSettings = { ...current.routeSettings };
    for (const [key, settings] of Object.entries(input.RouteSettings)) routeSettings[key] = { ...routeSettings[key], ...checkRouteSettings(settings) };
    out.routeSettings = routeSettings;
  }
  return out;
}

/** The stage members Get/Create/UpdateStage show for these settings. */
export function settingsView(s: Settings): Pick<AG2.Stage, 'AccessLogSettings' | 'DefaultRouteSettings' | 'RouteSettings'> {
  return {
    AccessLogSettings: s.accessLogSettings,
    DefaultRouteSettings: { DetailedMetricsEnabled: false, ...s.defaultRouteSettings },
    RouteSettings: Object.fromEntries(Object.entries(s.routeSettings ?? {}).map(([k, v]) => [k, { DetailedMetricsEnabled: false, ...v }])),
  };
}

function stageOf(ctx: RequestContext, apiId: string, stageName: string): StageRecord {
  getHttpApi(ctx, apiId);
  const stage = stages(ctx).get(`${apiId}/${stageName}`);
  if (!stage) throw notFound('Invalid stage identifier specified');
  return stage;
}

export const deleteAccessLogSettings: Handler<AG2.DeleteAccessLogSettingsRequest, Record<string, never>> = (input, ctx) => {
  const stage = stageOf(ctx, input.ApiId!, input.StageName!);
  const { accessLogSettings: _, ...rest } = stage;
  stages(ctx).put(`${input.ApiId}/${stage.stageName}`, { ...rest, updated: ctx.clock.now() });
  return {};
};

export const deleteRouteSettings: Handler<AG2.DeleteRouteSettingsRequest, Record<string, never>> = (input, ctx) => {
  const stage = stageOf(ctx, input.ApiId!, input.StageName!);
  // Unconfirmed: AWS's answer for a route key without settings.
  if (!stage.routeSettings?.[input.RouteKey!]) throw notFound(`Unable to find RouteSettings for RouteKey: ${input.RouteKey}`);
  const routeSettings = { ...stage.routeSettings };
  delete routeSettings[input.RouteKey!];
  stages(ctx).put(`${input.ApiId}/${stage.stageName}`, { ...stage, routeSettings, updated: ctx.clock.now() });
  return {};
};
