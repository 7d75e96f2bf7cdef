import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { InvokeCommand, ListFunctionsCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { createFunction, decode, lambdaClient, useLambdaFogbank, zip } from './support.js';

const env = useLambdaFogbank();

// AWS's custom runtime tutorial, shipped as a layer: /opt/bootstrap sources the handler's script
// from the task root and loops on the Runtime API with curl.
const LAYER_BOOTSTRAP = `#!/bin/bash
set -euo pipefail
source "$LAMBDA_TASK_ROOT/$(echo "$_HANDLER" | cut -d. -f1).sh"
while true; do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")
  curl -sS "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE" > /dev/null
  rm -f "$HEADERS"
done
`;
const FUNCTION_SH = `function handler () {
  EVENT_DATA=$1
  echo "{\\"from\\":\\"layer bootstrap\\",\\"event\\":$EVENT_DATA}"
}
`;
// A package's own bootstrap, which wins over the layer's.
const OWN_BOOTSTRAP = `#!/bin/sh
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
while true; do
  ID=$(curl -sS -D - -o /dev/null "$API/next" | grep -Fi Lambda-Runtime-Aws-Request-Id | tr -d '[:space:]' | cut -d: -f2)
  curl -sS "$API/$ID/response" -d '{"from":"own bootstrap"}' > /dev/null
done
`;
const hasCurlAndBash = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    execFileSync('bash', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('Custom runtimes shipped as layers (/opt/bootstrap)', () => {
  it("runs a provided.al2 function through its layer's bootstrap when the package has none; the package's own wins", { skip: !hasCurlAndBash && 'needs curl and bash' }, async () => {
    const client = lambdaClient(env.endpoint);
    const layer = await client.send(
      new PublishLayerVersionCommand({ LayerName: 'bash-runtime', Content: { ZipFile: zip({ bootstrap: LAYER_BOOTSTRAP }, { bootstrap: 0o755 }) }, CompatibleRuntimes: ['provided.al2', 'provided.al2023'] }),
    );
    for (const runtime of ['provided.al2', 'provided.al2023']) {
      const fn = await createFunction(client, { Runtime: runtime as 'provided.al2', Handler: 'function.handler', Layers: [layer.LayerVersionArn!], files: { 'function.sh': FUNCTION_SH } });
      const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{"n":1}') }));
      assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
      assert.deepEqual(decode(out.Payload), { from: 'layer bootstrap', event: { n: 1 } });
    }
    const own = await createFunction(client, { Runtime: 'provided.al2023', Handler: 'function.handler', Layers: [layer.LayerVersionArn!], files: { bootstrap: OWN_BOOTSTRAP }, modes: { bootstrap: 0o755 } });
    const out = await client.send(new InvokeCommand({ FunctionName: own.FunctionName }));
    assert.deepEqual(decode(out.Payload), { from: 'own bootstrap' });
  });

  it("answers AWS's Runtime.InvalidEntrypoint when neither the package nor its layers hold a bootstrap", async () => {
    const client = lambdaClient(env.endpoint);
    const layer = await client.send(new PublishLayerVersionCommand({ LayerName: 'no-bootstrap', Content: { ZipFile: zip({ 'bin/tool': 'echo' }) } }));
    const withLayer = await createFunction(client, { Runtime: 'provided.al2023', Handler: 'function.handler', Layers: [layer.LayerVersionArn!], files: { 'function.sh': FUNCTION_SH } });
    const without = await createFunction(client, { Runtime: 'provided.al2', Handler: 'function.handler', files: { 'function.sh': FUNCTION_SH } });
    for (const fn of [withLayer, without]) {
      const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }));
      assert.equal(out.StatusCode, 200);
      assert.equal(out.FunctionError, 'Unhandled');
      const body = decode(out.Payload) as { errorType: string; errorMessage: string };
      assert.equal(body.errorType, 'Runtime.InvalidEntrypoint');
      assert.match(body.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Couldn't find valid bootstrap\(s\): \[\/var\/task\/bootstrap \/opt\/bootstrap\]$/);
    }
    // The server still answers.
    const listed = await client.send(new ListFunctionsCommand({}));
    assert.ok(listed.Functions!.some((f) => f.FunctionName === without.FunctionName));
  });
});
