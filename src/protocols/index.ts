// One codec per AWS protocol family; a service's model names which one it speaks.

import { jsonCodec } from './json.js';
import { queryCodec } from './query.js';
import { restJsonCodec, restXmlCodec } from './rest.js';
import type { ProtocolCodec } from './wire.js';

export type ProtocolName = 'json' | 'rest-json' | 'rest-xml' | 'query';

export const CODECS: Record<ProtocolName, ProtocolCodec> = {
  json: jsonCodec,
  'rest-json': restJsonCodec,
  'rest-xml': restXmlCodec,
  query: queryCodec,
};
