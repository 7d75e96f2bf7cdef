// Module resolution hooks for Fogbank's Node.js runtime: a bare import that the function's own
// node_modules cannot satisfy is looked up in its layers and then Fogbank's modules (NODE_PATH's
// folders, in order), for ES modules as for require(), as AWS's Node.js runtimes allow.

import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let folders: string[] = [];

export function initialize(data: { folders: string[] }): void {
  folders = data.folders;
}

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<unknown> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const bare = !/^(\.|\/|[a-z]+:)/i.test(specifier);
    if (!bare || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    for (const folder of folders) {
      // Resolving from a file beside the folder makes Node search exactly that node_modules first.
      const parentURL = pathToFileURL(join(dirname(folder), '__fogbank_resolve__.js')).href;
      try {
        return await next(specifier, { ...context, parentURL });
      } catch {
        // try the next folder
      }
    }
    throw error;
  }
}
