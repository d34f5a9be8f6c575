// The failure converter of deskflow's worker (workflow bundle and activities): a failure's message and
// stack trace travel as an encoded payload, so the payload codec encrypts them like any other payload.
// Plain CommonJS because the SDK loads it with require() by path, outside any TypeScript loader.
/* global require, exports */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
