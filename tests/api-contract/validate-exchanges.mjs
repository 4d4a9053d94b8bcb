#!/usr/bin/env node
// Holds benefitd's OpenAPI document to the server: checks recorded HTTP exchanges (JSON lines,
// format in docs/http.md "Holding the OpenAPI document to the server") against it. Every
// answer must be one the document describes: the operation found by method and path, the
// status listed, the content type and body matching the schema, the headers documented (and
// the required ones present). Exits 1 on any mismatch, or when there was nothing to check.
//
//   node validate-exchanges.mjs --document openapi.json LOG_OR_DIR...
//
// A directory stands for every *.jsonl file under it.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

// Headers of HTTP itself, which the document does not describe.
const TRANSPORT_HEADERS = new Set(['content-type', 'content-length', 'connection', 'server', 'date', 'keep-alive',
  'transfer-encoding']);
// Paths of the API; anything else is the web page's (GET /, its assets, client-side routes).
const isApiPath = (path) => path.startsWith('/v1/') || ['/healthz', '/metrics', '/openapi.json'].includes(path);
// Statuses the server may answer a request for a path the document does not have, and why.
const UNROUTED_STATUSES = { 400: 'malformed request', 404: 'no such path', 413: 'body too large',
  431: 'header too large', 503: 'too many connections' };

function usage(message) {
  console.error(`${message}\nusage: validate-exchanges.mjs --document OPENAPI.json LOG_OR_DIR...`);
  process.exit(2);
}

function parseArguments(argv) {
  let document;
  const logs = [];
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--document') document = argv[++i];
    else if (argv[i].startsWith('--')) usage(`unknown option ${argv[i]}`);
    else logs.push(argv[i]);
  }
  if (!document) usage('--document is required');
  if (logs.length === 0) usage('name at least one exchange log or directory');
  return { document, logs };
}

function logFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true })
    .map((name) => join(path, name))
    .filter((name) => name.endsWith('.jsonl') && statSync(name).isFile())
    .sort();
}

function* exchanges(files) {
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; ++i) {
      if (lines[i].trim() === '') continue;
      let exchange;
      try {
        exchange = JSON.parse(lines[i]);
      } catch (error) {
        throw new Error(`${file}:${i + 1}: not a JSON line: ${error.message}`);
      }
      yield { where: `${file}:${i + 1}`, exchange };
    }
  }
}

const unescapePointer = (token) => token.replaceAll('~1', '/').replaceAll('~0', '~');
const escapePointer = (token) => String(token).replaceAll('~', '~0').replaceAll('/', '~1');

/// The document, with a resolver of its local $refs that also tells where the target lies.
export class OpenApi {
  constructor(document) {
    this.document = document;
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
    this.validators = new Map();
    this.paths = Object.keys(document.paths).map((template) => ({
      template,
      segments: template.split('/').slice(1),
      literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
    }));
  }

  /// {value, pointer} of the object at `pointer`, following $refs.
  at(pointer) {
    let value = this.document;
    for (const token of pointer.split('/').slice(1)) value = value?.[unescapePointer(token)];
    if (value && typeof value.$ref === 'string') return this.at(value.$ref.replace(/^#/, ''));
    return { value, pointer };
  }

  /// The document's path template for a concrete path, preferring literal segments.
  matchPath(path) {
    const segments = path.split('/').slice(1);
    const candidates = this.paths.filter(({ segments: template }) => template.length === segments.length &&
      template.every((part, i) => (part.startsWith('{') ? segments[i] !== '' : part === segments[i])));
    candidates.sort((a, b) => b.literals - a.literals);
    return candidates[0]?.template;
  }

  validate(pointer, value) {
    let validator = this.validators.get(pointer);
    if (!validator) {
      validator = this.ajv.compile({ $ref: `openapi.json#${pointer}` });
      this.validators.set(pointer, validator);
    }
    if (validator(value)) return [];
    return validator.errors.map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params?.additionalProperty
      ? ` (${e.params.additionalProperty})` : ''}${e.params?.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}`
      : ''}`);
  }
}

const mediaType = (contentType) => (contentType ?? '').split(';')[0].trim().toLowerCase();

function lowerKeys(object) {
  return Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/// A header's text as the value its schema describes.
function headerValue(text, schema) {
  if ((schema?.type === 'integer' || schema?.type === 'number') && /^-?[0-9]+$/.test(text.trim())) {
    return Number(text.trim());
  }
  return text;
}

function checkBody(api, responsePointer, response, exchange, headers, problems) {
  const isHead = exchange.method.toUpperCase() === 'HEAD';
  const content = response.content;
  const body = exchange.responseBody ?? '';
  if (!content) {
    if (body !== '') problems.push('a body where the document describes none');
    return;
  }
  const media = mediaType(headers['content-type']);
  if (!(media in content)) {
    problems.push(`Content-Type ${headers['content-type'] ?? '(none)'} is not one of ${Object.keys(content).join(', ')}`);
    return;
  }
  if (isHead) return;  // HEAD answers the GET's header alone
  const schemaPointer = `${responsePointer}/content/${escapePointer(media)}/schema`;
  let value = body;
  if (media.endsWith('json')) {
    try {
      value = JSON.parse(body);
    } catch {
      problems.push(`the ${media} body is not JSON`);
      return;
    }
  }
  for (const error of api.validate(schemaPointer, value)) problems.push(`body: ${error}`);
}

function checkHeaders(api, responsePointer, response, headers, problems) {
  const documented = response.headers ?? {};
  const names = new Map(Object.keys(documented).map((name) => [name.toLowerCase(), name]));
  for (const [name, spelled] of names) {
    const header = api.at(`${responsePointer}/headers/${escapePointer(spelled)}`);
    if (!(name in headers)) {
      if (header.value?.required) problems.push(`the required header ${spelled} is missing`);
      continue;
    }
    const schema = header.value?.schema;
    for (const error of api.validate(`${header.pointer}/schema`, headerValue(headers[name], schema))) {
      problems.push(`header ${spelled}: ${error.replace('(body) ', '')}`);
    }
  }
  for (const name of Object.keys(headers)) {
    if (!TRANSPORT_HEADERS.has(name) && !names.has(name)) problems.push(`the header ${name} is not documented`);
  }
}

function isProblem(api, status, headers, body, problems) {
  if (mediaType(headers['content-type']) !== 'application/problem+json') {
    problems.push(`a ${status} that is not application/problem+json`);
    return;
  }
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    problems.push('the problem is not JSON');
    return;
  }
  for (const error of api.validate('/components/schemas/Problem', value)) problems.push(`problem: ${error}`);
  if (value.status !== status) problems.push(`the problem's status ${value.status} is not the answer's ${status}`);
}

/// The mismatches of one exchange with the document (empty: described), and what it was.
export function check(api, exchange) {
  const problems = [];
  const method = String(exchange.method ?? '').toUpperCase();
  const path = String(exchange.path ?? '').split('?')[0];
  const status = Number(exchange.status);
  const headers = lowerKeys(exchange.responseHeaders);
  const body = exchange.responseBody ?? '';
  if (!isApiPath(path) && mediaType(headers['content-type']) !== 'application/problem+json') {
    return { key: 'the web page (not the API)', problems, skipped: true };
  }
  const template = api.matchPath(path);
  if (!template) {
    if (!(status in UNROUTED_STATUSES)) problems.push(`${status} for a path the document does not have`);
    else isProblem(api, status, headers, body, problems);
    return { key: `${method} (no such path) ${status}`, problems };
  }
  const operations = api.document.paths[template];
  const lookup = method === 'HEAD' ? 'get' : method.toLowerCase();
  const operation = operations[lookup];
  if (!operation) {
    const allowed = Object.keys(operations).filter((m) => m !== 'parameters').map((m) => m.toUpperCase());
    const key = `${method} ${template} (not an operation) ${status}`;
    if (status === 405) {
      isProblem(api, status, headers, body, problems);
      const allow = (headers.allow ?? '').split(',').map((m) => m.trim()).filter(Boolean);
      if (allow.sort().join() !== [...allowed].sort().join()) {
        problems.push(`Allow "${headers.allow}" is not the document's methods ${allowed.join(', ')}`);
      }
    } else if (status in UNROUTED_STATUSES && status !== 404) {
      isProblem(api, status, headers, body, problems);
    } else {
      problems.push(`${status} to a method the path does not have (expected 405)`);
    }
    return { key, problems };
  }
  const key = `${operation.operationId} ${status}`;
  const operationPointer = `/paths/${escapePointer(template)}/${lookup}`;
  const documented = String(status) in operation.responses ? String(status)
    : `${String(status)[0]}XX` in operation.responses ? `${String(status)[0]}XX`
      : 'default' in operation.responses ? 'default' : undefined;
  if (!documented) {
    problems.push(`status ${status} is not documented (${Object.keys(operation.responses).join(', ')})`);
    return { key, problems };
  }
  const response = api.at(`${operationPointer}/responses/${documented}`);
  checkBody(api, response.pointer, response.value, exchange, headers, problems);
  checkHeaders(api, response.pointer, response.value, headers, problems);
  return { key, problems };
}

function main() {
  const { document, logs } = parseArguments(process.argv.slice(2));
  const api = new OpenApi(JSON.parse(readFileSync(document, 'utf8')));
  const files = logs.flatMap(logFiles);
  const seen = new Map();   // key -> count
  const failed = new Map(); // key + problem -> {count, example}
  let total = 0, skipped = 0, failures = 0;
  for (const { where, exchange } of exchanges(files)) {
    ++total;
    const { key, problems, skipped: isSkipped } = check(api, exchange);
    if (isSkipped) ++skipped;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (problems.length === 0) continue;
    ++failures;
    const entry = `${key}: ${problems.join('; ')}`;
    const known = failed.get(entry);
    if (known) ++known.count;
    else failed.set(entry, { count: 1, example: where, exchange });
  }
  const operations = Object.values(api.document.paths).flatMap((p) => Object.values(p))
    .map((o) => o.operationId).filter(Boolean);
  const exercised = new Set([...seen.keys()].map((k) => k.split(' ')[0]).filter((id) => operations.includes(id)));
  console.log(`${files.length} log file(s), ${total} exchange(s); ${skipped} of the web page not checked`);
  console.log(`operations exercised: ${exercised.size} of ${operations.length}` +
    (exercised.size < operations.length
      ? ` (not: ${operations.filter((id) => !exercised.has(id)).join(', ')})` : ''));
  for (const [entry, { count, example, exchange }] of failed) {
    console.log(`\nFAIL ${entry}\n  ${count} exchange(s), e.g. ${example}: ${exchange.method} ${exchange.path} -> ` +
      `${exchange.status} ${String(exchange.responseBody ?? '').slice(0, 400)}`);
  }
  console.log(`\n${total - failures} passed, ${failures} failed`);
  if (total === 0) {
    console.error('no exchanges to check: were the tests run with BENEFITD_EXCHANGE_LOG set?');
    process.exit(1);
  }
  process.exit(failures === 0 ? 0 : 1);
}

// Run as a program, not when imported (validator.test.mjs).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
