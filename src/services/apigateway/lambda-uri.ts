// The Lambda URI form API Gateway integrations and authorizers name a function by.

const LAMBDA_URI = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^/]+)\/invocations$/;

/** The function ARN an AWS_PROXY integration invokes, or undefined when the URI names no function. */
export function lambdaTarget(uri: string | undefined): string | undefined {
  return uri ? LAMBDA_URI.exec(uri)?.[1] : undefined;
}

/** A URI with its ${stageVariables.name} references replaced by the stage's values. */
export function withStageVariables(uri: string | undefined, variables: Record<string, string> | undefined): string | undefined {
  return uri?.replace(/\$\{stageVariables\.([A-Za-z0-9_.-]+)\}/g, (_, name: string) => variables?.[name] ?? '');
}
