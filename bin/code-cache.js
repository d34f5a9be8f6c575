// Loads the compiled CLI (dist/cli/deskflow.cjs, one CommonJS file) with V8's code cache, so a command
// does not compile the same 2.5 MB of JavaScript (the Temporal client, gRPC, protobuf) on every call.
// Node 20 has no module.enableCompileCache (Node 22.1+), so this does what it does, for one file: the
// bytecode V8 compiled during a run is kept beside the bundle and handed back to V8 on the next start.
//
// The cache file starts with one text line naming the bundle it belongs to (size and mtime: a cache
// left by a process of an older build is never used for a newer one; V8 itself only checks the source
// length) and whether it holds the Temporal client's code. It is written, atomically, after a command
// when there is none, V8 refused it (another Node version or flags), or it lacks the client's code that
// this run compiled. Any failure to read or write it only costs speed.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const FORMAT = 'deskflow-code-cache 1';

function readCache(cacheFile, stamp) {
  let data;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const eol = data.indexOf(10);
  if (eol < 0) return undefined;
  const [format, version, bundle, temporal] = data.subarray(0, eol).toString('latin1').split('\t');
  if (format !== FORMAT || version !== process.version || bundle !== stamp) return undefined;
  return { data: data.subarray(eol + 1), temporal: temporal === 'temporal' };
}

function writeCache(cacheFile, stamp, temporal, data) {
  const header = Buffer.from(
    `${[FORMAT, process.version, stamp, temporal ? 'temporal' : 'base'].join('\t')}\n`,
    'latin1',
  );
  const scratch = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(scratch, Buffer.concat([header, data]));
    fs.renameSync(scratch, cacheFile);
  } catch {
    fs.rmSync(scratch, { force: true });
  }
}

/**
 * Runs the CommonJS file `file` as Node would require() it and returns its exports, plus `save()` to
 * call once the command is done: it refreshes the cache when needed (see above).
 */
export function loadWithCodeCache(file) {
  const stat = fs.statSync(file);
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const cacheFile = `${file}.v8-cache`;
  const cached = readCache(cacheFile, stamp);
  const source = fs.readFileSync(file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: cached?.data,
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  const exports = module.exports;
  return {
    exports,
    save() {
      const temporal = Boolean(exports.temporalClientLoaded?.());
      if (cached && !script.cachedDataRejected && (cached.temporal || !temporal)) return;
      writeCache(cacheFile, stamp, temporal, script.createCachedData());
    },
  };
}
