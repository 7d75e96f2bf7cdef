// The generated constraint data and the validator's rules, checked without a server: realistic
// valid values must pass every pattern, and each rule prints what AWS prints.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ServiceError } from '../../src/errors.js';
import { loadModel } from '../../src/protocols/model.js';
import { validateInput } from '../../src/protocols/validate.js';
import { SERVICES } from '../../src/services/registry.js';

const DATA = new URL('../../../src/protocols/constraints/', import.meta.url);

/** The validation message for an operation's input, or undefined when it passes. */
function problems(uid: string, operation: string, input: Record<string, unknown>, code = 'ValidationException'): string | undefined {
  const model = loadModel(uid);
  const op = model.operations[operation];
  assert.ok(op, `${uid} has no ${operation}`);
  try {
    validateInput(input, model.input(op), model, code);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, code);
    return error.message;
  }
}

function passes(uid: string, operation: string, input: Record<string, unknown>): void {
  assert.equal(problems(uid, operation, input), undefined, `${operation} ${JSON.stringify(input)}`);
}

describe('the generated constraint files', () => {
  const files = readdirSync(DATA).filter((f) => f.endsWith('.json'));

  it('exist for every registry service but S3, and record the botocore version they came from', () => {
    const expected = SERVICES.filter((s) => s.name !== 's3').map((s) => `${s.modelUid}.json`).sort();
    assert.deepEqual(files.sort(), expected);
    for (const file of files) {
      const data = JSON.parse(readFileSync(new URL(file, DATA), 'utf8'));
      assert.match(data.botocore, /^\d+\.\d+\.\d+$/, file);
      assert.match(data.source, /^botocore \d+\.\d+\.\d+ data\/.+service-2\.json/, file);
      assert.equal(data.patternsVerifiedAgainstJava, true, file);
    }
  });

  it('name only operations the minified model has, and only shapes they define', () => {
    for (const file of files) {
      const data = JSON.parse(readFileSync(new URL(file, DATA), 'utf8'));
      const model = loadModel(data.uid);
      for (const [op, shape] of Object.entries(data.operations)) {
        assert.ok(model.operations[op], `${file}: ${op}`);
        assert.ok(data.shapes[shape as string], `${file}: ${op} -> ${shape}`);
      }
    }
  });

  it('hold patterns that compile with the u flag, and skip none without saying why', () => {
    let enforced = 0;
    for (const file of files) {
      const data = JSON.parse(readFileSync(new URL(file, DATA), 'utf8'));
      for (const [name, shape] of Object.entries<Record<string, unknown>>(data.shapes)) {
        if (shape.pattern === undefined) continue;
        if (shape.js === false) {
          assert.ok(data.skippedPatterns[shape.pattern as string], `${file}: ${name} skipped without a reason`);
          continue;
        }
        const source = (shape.js as string | undefined) ?? (shape.pattern as string);
        assert.doesNotThrow(() => new RegExp(`^(?:${source})$`, `u${(shape.flags as string | undefined) ?? ''}`), `${file}: ${name}`);
        enforced++;
      }
    }
    assert.ok(enforced > 200, `only ${enforced} patterns enforced`);
  });
});

describe('realistic valid values pass every pattern they meet', () => {
  it('SSM parameter names and values, with slashes, dots, dashes and unicode', () => {
    for (const name of ['/app/prod/db/url', 'plain', '/a-b_c.d/e', 'x'.repeat(2048), '/Ünïcode/名前']) {
      passes('ssm-2014-11-06', 'PutParameter', { Name: name, Value: 'jdbc:postgresql://h:5432/db?ssl=true', Type: 'SecureString', Tags: [{ Key: 'team:owner', Value: 'a@b.c / +=-_.: Ü' }] });
    }
    passes('ssm-2014-11-06', 'GetParametersByPath', { Path: '/app/prod/', Recursive: true, MaxResults: 10, ParameterFilters: [{ Key: 'tag:Name', Option: 'Equals', Values: ['x'] }] });
  });

  it('secret names with / + = . @ - and ARNs', () => {
    for (const name of ['prod/db/password', 'a+b=c.d@e-f_g', 'MySecret', 'x'.repeat(512)]) passes('secretsmanager-2017-10-17', 'CreateSecret', { Name: name, SecretString: '{"password":"p@ss"}', ClientRequestToken: '123e4567-e89b-12d3-a456-426614174000' });
    passes('secretsmanager-2017-10-17', 'GetSecretValue', { SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf', VersionStage: 'AWSCURRENT' });
    passes('secretsmanager-2017-10-17', 'ListSecrets', { Filters: [{ Key: 'name', Values: ['prod/', '!test'] }], SortOrder: 'asc', MaxResults: 100 });
  });

  it('log group and stream names, with / # . - _', () => {
    for (const group of ['/aws/lambda/my-function', '/ecs/service#1', 'API-Gateway-Execution-Logs_abc123/prod', 'a.b_c-d']) {
      passes('logs-2014-03-28', 'CreateLogGroup', { logGroupName: group, tags: { Environment: 'prod', 'aws:cloudformation:stack-name': 'x' } });
      passes('logs-2014-03-28', 'CreateLogStream', { logGroupName: group, logStreamName: '2026/01/01/[$LATEST]0123456789abcdef' });
    }
    passes('logs-2014-03-28', 'PutRetentionPolicy', { logGroupName: '/aws/lambda/f', retentionInDays: 14 });
  });

  it('IAM role, user, policy names and paths, tags', () => {
    for (const role of ['MyRole', 'service-role-x', 'a+b=c,d.e@f_g-h', 'r'.repeat(64)]) {
      passes('iam-2010-05-08', 'CreateRole', { RoleName: role, Path: '/service-role/', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', Description: 'Role for Lambda: «ünicode» ½ & <xml>', MaxSessionDuration: 3600, Tags: [{ Key: 'Name', Value: '' }] });
    }
    passes('iam-2010-05-08', 'CreatePolicy', { PolicyName: 'read-only', Path: '/team/a/', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' });
    passes('iam-2010-05-08', 'ListRoles', { PathPrefix: '/aws-service-role/', MaxItems: 1000 });
    passes('iam-2010-05-08', 'GetPolicyVersion', { PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', VersionId: 'v12' });
  });

  it('STS session names, ARNs in other partitions, serial numbers', () => {
    for (const arn of ['arn:aws:iam::123456789012:role/r', 'arn:aws-cn:iam::123456789012:role/a/b/c', 'arn:aws-us-gov:iam::123456789012:role/x+y=z,w.v@u-t_s']) {
      passes('sts-2011-06-15', 'AssumeRole', { RoleArn: arn, RoleSessionName: 'user@example.com', DurationSeconds: 43200, SerialNumber: 'arn:aws:iam::123456789012:mfa/user', TokenCode: '123456', ExternalId: 'ext:id/1=2' });
    }
  });

  it('Lambda function names, ARNs with qualifiers, and aliases', () => {
    for (const name of ['my-function', 'arn:aws:lambda:us-east-1:123456789012:function:my-function', 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST', '123456789012:function:f:prod', 'f:7']) {
      passes('lambda-2015-03-31', 'GetFunction', { FunctionName: name });
    }
    passes('lambda-2015-03-31', 'CreateAlias', { FunctionName: 'f', Name: 'prod', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } } });
    passes('lambda-2015-03-31', 'CreateFunction', {
      FunctionName: 'f_1-a', Role: 'arn:aws:iam::123456789012:role/service-role/lambda-exec', Runtime: 'nodejs20.x', Handler: 'index.handler',
      Code: { ZipFile: Buffer.from('zip') }, Timeout: 900, MemorySize: 10240, Architectures: ['arm64'], Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', A_B: 'x y' } },
    });
  });

  it('DynamoDB table and index names, EventBridge buses and rules, Step Functions names', () => {
    passes('dynamodb-2012-08-10', 'Query', { TableName: 'my-table.v2_x', IndexName: 'gsi-1', KeyConditionExpression: '#k = :v', ExpressionAttributeNames: { '#k': 'pk' }, ExpressionAttributeValues: { ':v': { S: 'x' } }, Limit: 10, Select: 'ALL_ATTRIBUTES' });
    passes('events-2015-10-07', 'PutRule', { Name: 'my.rule-1_x', EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/custom-bus', EventPattern: '{"source":["a"]}', State: 'ENABLED' });
    passes('events-2015-10-07', 'PutEvents', { Entries: [{ Source: 'my.app', DetailType: 'Order Placed', Detail: '{"id":1}', EventBusName: 'default' }] });
    passes('states-2016-11-23', 'StartExecution', { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Flow', name: 'run-2026-01-01T00-00-00', input: '{}' });
    passes('scheduler-2021-06-30', 'GetSchedule', { Name: 'nightly.job-1', GroupName: 'default' });
  });
});

describe('the rules and their messages', () => {
  it('counts a string in Unicode scalar values, as AWS does', () => {
    // U+1D49C is a letter (so the tag pattern allows it) written as two UTF-16 units.
    const letter = '\u{1D49C}';
    assert.equal(problems('sts-2011-06-15', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ab', Tags: [{ Key: letter.repeat(128), Value: '' }] }), undefined);
    assert.equal(
      problems('sts-2011-06-15', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ab', Tags: [{ Key: letter.repeat(129), Value: '' }] }),
      `1 validation error detected: Value '${letter.repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    // An emoji is not a letter, number or space: the tag pattern refuses it, as AWS does.
    assert.match(problems('sts-2011-06-15', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ab', Tags: [{ Key: 'a😀', Value: '' }] })!, /regular expression pattern/);
  });

  it('hides a sensitive blob, prints a double with its decimal point, and map values with their keys', () => {
    assert.equal(
      problems('secretsmanager-2017-10-17', 'PutSecretValue', { SecretId: 's', SecretBinary: Buffer.alloc(0) }),
      "1 validation error detected: Value at 'secretBinary' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    assert.equal(
      problems('lambda-2015-03-31', 'UpdateAlias', { FunctionName: 'f', Name: 'prod', RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } }),
      "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: " +
        'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]',
    );
    assert.equal(
      problems('lambda-2015-03-31', 'UpdateFunctionCode', { FunctionName: 'f', ZipFile: Buffer.from('zip'), Architectures: ['sparc'] }),
      "1 validation error detected: Value '[sparc]' at 'architectures' failed to satisfy constraint: " +
        'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]',
    );
  });

  it('prints a list of structures as Coral does, and a too-long one before its items', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    tags[50] = { Key: '', Value: 'v' };
    const message = problems('sts-2011-06-15', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ab', Tags: tags }, 'ValidationError')!;
    assert.ok(message.startsWith("3 validation errors detected: Value '[Tag(key=k0, value=v), Tag(key=k1, value=v), "), message);
    assert.ok(
      message.endsWith(
        "Tag(key=, value=v)]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50; " +
          "Value '' at 'tags.51.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+; " +
          "Value '' at 'tags.51.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
      message,
    );
  });

  it('uses map paths with .member and reports required members inside map values', () => {
    assert.equal(
      problems('dynamodb-2012-08-10', 'Scan', { TableName: 't', ScanFilter: { a: {}, b: { ComparisonOperator: 'SOME' } } }),
      "2 validation errors detected: Value null at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null; " +
        "Value 'SOME' at 'scanFilter.b.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [EQ, NE, IN, LE, LT, GE, GT, BETWEEN, NOT_NULL, NULL, CONTAINS, NOT_CONTAINS, BEGINS_WITH]",
    );
  });

  it('lists at most ten problems, as AWS does', () => {
    const message = problems('dynamodb-2012-08-10', 'CreateTable', {
      TableName: 't', AttributeDefinitions: [], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      LocalSecondaryIndexes: Array.from({ length: 9 }, () => ({})),
    })!;
    assert.match(message, /^10 validation errors detected: /);
    assert.equal(message.split('; ').length, 10);
  });

  it('prints no values at all for IAM, which redacts them', () => {
    assert.equal(
      problems('iam-2010-05-08', 'CreateRole', { RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: '{}', MaxSessionDuration: 60 }, 'ValidationError'),
      "2 validation errors detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64; " +
        "Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
  });

  it("lists an IAM list item's rules with \"Member must not be null\", as IAM does", () => {
    assert.equal(
      problems('iam-2010-05-08', 'UntagRole', { RoleName: 'r', TagKeys: ['ok', ''] }, 'ValidationError'),
      "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, " +
        'Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]',
    );
  });

  it('leaves IAM name patterns to the IAM service, which answers them in its own words', () => {
    assert.equal(problems('iam-2010-05-08', 'CreateRole', { RoleName: 'bad/name', AssumeRolePolicyDocument: '{}' }, 'ValidationError'), undefined);
  });

  it('starts API Gateway paths with the input structure, as API Gateway does', () => {
    assert.equal(
      problems('apigateway-2015-07-09', 'CreateRestApi', { name: 'api', apiKeySource: 'BODY' }),
      "1 validation error detected: Value 'BODY' at 'createRestApiInput.apiKeySource' failed to satisfy constraint: Member must satisfy enum value set: [HEADER, AUTHORIZER]",
    );
    assert.equal(
      problems('apigateway-2015-07-09', 'CreateRestApi', {}),
      "1 validation error detected: Value null at 'createRestApiInput.name' failed to satisfy constraint: Member must not be null",
    );
  });

  it('does not match a pattern on a string already too long for its shape', () => {
    const max = maxOf('logs-2014-03-28', 'LogGroupName');
    const long = `${'a'.repeat(max)}!`;
    assert.equal(
      problems('logs-2014-03-28', 'CreateLogGroup', { logGroupName: long }),
      `1 validation error detected: Value '${long}' at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  });

  it('keeps the required-member check and its message', () => {
    assert.equal(
      problems('secretsmanager-2017-10-17', 'GetSecretValue', {}),
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    );
  });
});

function maxOf(uid: string, shape: string): number {
  return JSON.parse(readFileSync(new URL(`${uid}.json`, DATA), 'utf8')).shapes[shape].max;
}
