// The validator fails what the document does not describe: exchanges made up here against the
// real document (BENEFITD_OPENAPI_DOCUMENT, as `contract selftest` sets it), each broken in one
// way, must fail, and their described originals pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OpenApi, check } from './validate-exchanges.mjs';

const api = new OpenApi(JSON.parse(readFileSync(process.env.BENEFITD_OPENAPI_DOCUMENT, 'utf8')));

const clock = () => ({
  method: 'GET',
  path: '/v1/clock?minPosition=3',
  requestHeaders: { authorization: 'Bearer <redacted>' },
  requestBody: '',
  status: 200,
  responseHeaders: { 'content-type': 'application/json', etag: '"d0123abc"', 'x-position': '3',
    'x-correlation-id': 'abc', server: 'benefitd', 'content-length': '50' },
  responseBody: JSON.stringify({ now: '2026-01-05T09:00:00Z', mode: 'simulated' }),
});
const problem = (status, code) => JSON.stringify({ type: `/problems/${code}`, title: 't', status, detail: 'd', code });
const failures = (exchange) => check(api, exchange).problems;

test('a described exchange passes', () => {
  assert.deepEqual(failures(clock()), []);
  assert.deepEqual(failures({ ...clock(), method: 'HEAD', responseBody: '' }), []);
});

test('an undocumented status fails', () => {
  const exchange = { ...clock(), status: 409, responseHeaders: { 'content-type': 'application/problem+json' },
    responseBody: problem(409, 'invalid-transition') };
  assert.match(failures(exchange).join(), /status 409 is not documented/);
});

test('a body member the schema does not name, or of the wrong type, fails', () => {
  const extra = { ...clock(), responseBody: JSON.stringify({ now: '2026-01-05T09:00:00Z', mode: 'simulated', x: 1 }) };
  assert.match(failures(extra).join(), /additional properties \(x\)/);
  const wrong = { ...clock(), responseBody: JSON.stringify({ now: 'yesterday', mode: 'simulated' }) };
  assert.match(failures(wrong).join(), /date-time/);
});

test('a problem code outside its status fails', () => {
  const exchange = { ...clock(), status: 401, responseHeaders: { 'content-type': 'application/problem+json',
    'www-authenticate': 'Bearer' }, responseBody: problem(401, 'forbidden') };
  assert.match(failures(exchange).join(), /code must be equal to one of the allowed values/);
});

test('a missing required header, an undocumented one and a wrong content type fail', () => {
  const missing = clock();
  delete missing.responseHeaders.etag;
  assert.match(failures(missing).join(), /required header ETag is missing/);
  const undocumented = clock();
  undocumented.responseHeaders['x-powered-by'] = 'hope';
  assert.match(failures(undocumented).join(), /header x-powered-by is not documented/);
  const badPosition = clock();
  badPosition.responseHeaders['x-position'] = 'soon';
  assert.match(failures(badPosition).join(), /header X-Position/);
  assert.match(failures({ ...clock(), responseHeaders: { ...clock().responseHeaders, 'content-type': 'text/html' } })
    .join(), /Content-Type text\/html/);
});

test('a path the document does not have is only ever a problem; a method it lacks is 405 with Allow', () => {
  const unknown = { ...clock(), path: '/v1/nothing-here', status: 404,
    responseHeaders: { 'content-type': 'application/problem+json' }, responseBody: problem(404, 'not-found') };
  assert.deepEqual(failures(unknown), []);
  assert.match(failures({ ...unknown, status: 200, responseBody: '{}' }).join(), /200 for a path/);
  const wrongMethod = { ...unknown, method: 'DELETE', path: '/v1/clock', status: 405,
    responseHeaders: { 'content-type': 'application/problem+json', allow: 'GET' },
    responseBody: problem(405, 'method-not-allowed') };
  assert.deepEqual(failures(wrongMethod), []);
  assert.match(failures({ ...wrongMethod, responseHeaders: { ...wrongMethod.responseHeaders, allow: 'GET, POST' } })
    .join(), /Allow/);
});

test('the web page outside the API is not checked', () => {
  const page = { method: 'GET', path: '/benefits/software', status: 200,
    responseHeaders: { 'content-type': 'text/html' }, responseBody: '<!doctype html>' };
  assert.equal(check(api, page).skipped, true);
});
