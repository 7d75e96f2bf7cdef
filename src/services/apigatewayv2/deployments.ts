// HTTP API deployments: a deployment freezes the API's routes, integrations, authorizers and CORS
// configuration; a stage serves the deployment it names. Stages with AutoDeploy get a new
// deployment after every change to the API (index.ts wraps the changing operations), with the
// description and status message AWS gives them.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import { paginate } from '../common/pagination.js';
import { newId } from '../apigateway/state.js';
import type { Handler, RequestContext } from '../types.js';
import {
  authorizers,
  badRequest,
  deployments,
  getHttpApi,
  httpApis,
  integrations,
  notFound,
  routes,
  stages,
  type DeploymentRecord,
  type DeploymentSnapshot,
  type StageRecord,
} from './state.js';

const NO_ROUTES = 'Unable to deploy API because no routes exist in this API';
const AUTO_DESCRIPTION = 'Automatic deployment triggered by changes to the Api configuration';
export const deployedMessage = (deploymentId: string) => `Successfully deployed stage with deployment ID '${deploymentId}'`;

export const deploymentView = (d: DeploymentRecord): AG2.Deployment => ({
  AutoDeployed: d.autoDeployed,
  CreatedDate: new Date(d.created),
  DeploymentId: d.deploymentId,
  DeploymentStatus: 'DEPLOYED',
  Description: d.description,
});

function snapshotOf(ctx: RequestContext, apiId: string): DeploymentSnapshot {
  const prefix = { prefix: `${apiId}/` };
  return {
    routes: routes(ctx).values(prefix),
    integrations: integrations(ctx).values(prefix),
    authorizers: authorizers(ctx).values(prefix),
    cors: httpApis(ctx).get(apiId)?.corsConfiguration,
  };
}

/** Freezes the API as it is now; undefined when it has no routes (AWS deploys nothing then). */
function freeze(ctx: RequestContext, apiId: string, description: string | undefined, autoDeployed: boolean): DeploymentRecord | undefined {
  const snapshot = snapshotOf(ctx, apiId);
  if (!snapshot.routes.length) return undefined;
  const record: DeploymentRecord = { deploymentId: newId(6), description, autoDeployed, created: ctx.clock.now(), snapshot };
  deployments(ctx).put(`${apiId}/${record.deploymentId}`, record);
  return record;
}

/** Deploys one auto-deploy stage: a new deployment, or the failure message when there is nothing to deploy. */
export function autoDeployStage(ctx: RequestContext, apiId: string, stage: StageRecord): StageRecord {
  const deployment = freeze(ctx, apiId, AUTO_DESCRIPTION, true);
  const updated: StageRecord = deployment
    ? { ...stage, deploymentId: deployment.deploymentId, lastDeploymentStatusMessage: deployedMessage(deployment.deploymentId), updated: ctx.clock.now() }
    : { ...stage, lastDeploymentStatusMessage: `Deployment attempt failed: ${NO_ROUTES}` };
  stages(ctx).put(`${apiId}/${stage.stageName}`, updated);
  return updated;
}

/** After a change to the API: every auto-deploy stage gets a new deployment. */
export function autoDeploy(ctx: RequestContext, apiId: string): void {
  if (!httpApis(ctx).has(apiId)) return;
  for (const stage of stages(ctx).values({ prefix: `${apiId}/` })) if (stage.autoDeploy) autoDeployStage(ctx, apiId, stage);
}

export function findDeployment(ctx: RequestContext, apiId: string, deploymentId: string): DeploymentRecord {
  getHttpApi(ctx, apiId);
  const deployment = deployments(ctx).get(`${apiId}/${deploymentId}`);
  if (!deployment) throw notFound(`Invalid Deployment identifier specified ${deploymentId}`);
  return deployment;
}

export const createDeployment: Handler<AG2.CreateDeploymentRequest, AG2.CreateDeploymentResponse> = (input, ctx) => {
  const apiId = getHttpApi(ctx, input.ApiId!).apiId;
  const stage = input.StageName === undefined ? undefined : stages(ctx).get(`${apiId}/${input.StageName}`);
  if (input.StageName !== undefined && !stage) throw notFound('Invalid stage identifier specified');
  const deployment = freeze(ctx, apiId, input.Description, false);
  if (!deployment) throw badRequest(NO_ROUTES);
  if (stage) stages(ctx).put(`${apiId}/${stage.stageName}`, { ...stage, deploymentId: deployment.deploymentId, updated: ctx.clock.now() });
  return deploymentView(deployment);
};

export const getDeployment: Handler<AG2.GetDeploymentRequest, AG2.GetDeploymentResponse> = (input, ctx) => deploymentView(findDeployment(ctx, input.ApiId!, input.DeploymentId!));

export const getDeployments: Handler<AG2.GetDeploymentsRequest, AG2.GetDeploymentsResponse> = (input, ctx) => {
  const apiId = getHttpApi(ctx, input.ApiId!).apiId;
  const all = deployments(ctx).values({ prefix: `${apiId}/` });
  const page = paginate(all, (d) => d.deploymentId, Number(input.MaxResults ?? 100), input.NextToken, () => badRequest('Invalid NextToken'));
  return { Items: page.items.map(deploymentView), NextToken: page.nextToken };
};

export const updateDeployment: Handler<AG2.UpdateDeploymentRequest, AG2.UpdateDeploymentResponse> = (input, ctx) => {
  const deployment = findDeployment(ctx, input.ApiId!, input.DeploymentId!);
  const updated = input.Description === undefined ? deployment : { ...deployment, description: input.Description };
  deployments(ctx).put(`${input.ApiId}/${deployment.deploymentId}`, updated);
  return deploymentView(updated);
};

export const deleteDeployment: Handler<AG2.DeleteDeploymentRequest, Record<string, never>> = (input, ctx) => {
  const deployment = findDeployment(ctx, input.ApiId!, input.DeploymentId!);
  // Unconfirmed for HTTP APIs: REST APIs' message for the same refusal.
  if (stages(ctx).values({ prefix: `${input.ApiId}/` }).some((s) => s.deploymentId === deployment.deploymentId)) {
    throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  }
  deployments(ctx).delete(`${input.ApiId}/${deployment.deploymentId}`);
  return {};
};
