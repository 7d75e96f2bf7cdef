// The rule AWS puts on a bus for each archive: Events-Archive-<archive name>, managed by
// EventBridge, matching the archive's pattern and never replayed events ("replay-name" absent),
// with one target that stands for the archive. ListRules and DescribeRule show it;
// DeleteRule and RemoveTargets refuse it without Force (ManagedRuleException). It is kept in step
// with the archive (UpdateArchive, DeleteArchive). Fogbank archives events by matching the archive
// records themselves (archives.ts), so PutEvents does not route through this rule.

import { ServiceError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import type { ArchiveRecord } from './archives.js';
import { ruleArn, ruleKey, rules, type RuleRecord } from './state.js';

/** The ManagedBy value of an archive's rule. */
export const ARCHIVE_RULE_MANAGER = 'prod.vhs.events.aws.internal';

const PREFIX = 'Events-Archive-';

export function isArchiveRule(rule: RuleRecord): boolean {
  return rule.managedBy === ARCHIVE_RULE_MANAGER && rule.name.startsWith(PREFIX);
}

/** AWS's refusal to change a managed rule without Force. */
export function refuseManaged(rule: RuleRecord, force: boolean | undefined): void {
  if (rule.managedBy && !force) throw new ServiceError('ManagedRuleException', `${rule.name} is a managed rule. Set 'force' parameter to true to override.`);
}

/** Creates or updates the archive's rule from the archive's current record. */
export function putArchiveRule(ctx: RequestContext, archive: ArchiveRecord): void {
  const name = `${PREFIX}${archive.name}`;
  const pattern = { ...(archive.eventPattern ? (JSON.parse(archive.eventPattern) as object) : {}), 'replay-name': [{ exists: false }] };
  const existing = rules(ctx).get(ruleKey(archive.bus, name));
  const rule: RuleRecord = {
    name,
    bus: archive.bus,
    arn: ruleArn(ctx, archive.bus, name),
    eventPattern: JSON.stringify(pattern),
    state: 'ENABLED',
    managedBy: ARCHIVE_RULE_MANAGER,
    tags: existing?.tags ?? [],
    targets: [
      {
        Id: name,
        Arn: `arn:aws:events:${ctx.region}:::`,
        InputTransformer: {
          InputPathsMap: {},
          InputTemplate: `{"archive-arn": "${archive.arn}", "event": <aws.events.event.json>, "ingestion-time": <aws.events.event.ingestion-time>}`,
        },
      },
    ],
  };
  rules(ctx).put(ruleKey(archive.bus, name), rule);
}

export function deleteArchiveRule(ctx: RequestContext, archive: ArchiveRecord): void {
  rules(ctx).delete(ruleKey(archive.bus, `${PREFIX}${archive.name}`));
}
