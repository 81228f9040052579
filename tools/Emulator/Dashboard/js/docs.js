// The API docs: one function's /openapi.json (OpenAPI 3.1) rendered as operations, parameters, schemas and examples.
import { call, loadConfig } from './api.js';
import { el, fill } from './dom.js';
import { setUpThemeToggle } from './theme.js';

const methods = ['get', 'post', 'put', 'patch', 'delete'];
const services = { invoices: 'Invoices', stats: 'Stats' };
const $ = (id) => document.getElementById(id);

setUpThemeToggle($('theme-toggle'));
const service = services[new URLSearchParams(location.search).get('fn')] ? new URLSearchParams(location.search).get('fn') : 'invoices';
$(`nav-${service}`).setAttribute('aria-current', 'page');
render().catch((failure) => {
  $('status').textContent = `Could not load ${services[service]}'s /openapi.json: ${failure.message}. Is the emulator running?`;
  $('status').classList.add('error');
});

async function render() {
  const { body: spec } = await call(service, '/openapi.json', { auth: false });
  const resolver = new Resolver(spec);
  document.title = `${spec.info.title} · API docs`;
  const operations = Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    methods.filter((method) => item[method]).map((method) => ({ path, method, item, operation: item[method] })));

  fill($('toc'),
    el('h2', {}, services[service]),
    el('ul', {}, operations.map((entry) => el('li', {}, el('a', { href: `#${anchor(entry)}` },
      el('span', { class: `method ${entry.method}` }, entry.method.toUpperCase()), ' ', el('span', { class: 'path' }, entry.path))))),
    el('h2', {}, 'Schemas'),
    el('ul', {}, Object.keys(spec.components?.schemas ?? {}).map((name) => el('li', {}, el('a', { href: `#schema-${name}` }, name)))));

  fill($('docs'),
    el('section', { class: 'panel' },
      el('h2', {}, spec.info.title, ' ', el('span', { class: 'muted' }, `v${spec.info.version} · OpenAPI ${spec.openapi}`)),
      paragraphs(spec.info.description),
      el('p', {}, 'Base URL (this emulator): ', el('code', { id: 'base-url' }, (await loadConfig())[service])),
      securityBlock(spec)),
    operations.map((entry) => operationBlock(entry, resolver)),
    el('section', { class: 'panel' }, el('h2', {}, 'Schemas'),
      Object.entries(spec.components?.schemas ?? {}).map(([name, schema]) =>
        el('div', { id: `schema-${name}`, class: 'schema' }, el('h3', {}, name), paragraphs(schema.description), schemaView(schema, resolver, 0)))));
  document.body.dataset.ready = 'true';
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

function anchor({ method, path }) {
  return `${method}-${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root'}`;
}

function securityBlock(spec) {
  const schemes = Object.entries(spec.components?.securitySchemes ?? {});
  if (schemes.length === 0) return null;
  return el('div', {}, el('h3', {}, 'Authentication'),
    schemes.map(([name, scheme]) => el('p', {}, el('code', {}, name), ': ', `${scheme.type} ${scheme.scheme ?? ''} ${scheme.bearerFormat ? `(${scheme.bearerFormat})` : ''}`,
      scheme.description ? ` — ${scheme.description}` : '')));
}

function operationBlock(entry, resolver) {
  const { path, method, item, operation } = entry;
  const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) => resolver.resolve(parameter));
  const secured = (operation.security ?? resolver.spec.security ?? []).length > 0;
  return el('section', { class: 'panel operation', id: anchor(entry), 'data-operation': `${method.toUpperCase()} ${path}` },
    el('h3', {}, el('span', { class: `method ${method}` }, method.toUpperCase()), el('span', { class: 'path' }, path),
      operation.operationId ? el('span', { class: 'muted' }, operation.operationId) : null),
    el('p', {}, el('strong', {}, operation.summary ?? '')),
    paragraphs(operation.description),
    el('p', { class: 'muted' }, secured ? 'Needs Authorization: Bearer <token>.' : 'Open: no token needed.'),
    parameters.length ? [el('h4', {}, 'Parameters'), parameterTable(parameters, resolver)] : null,
    operation.requestBody ? requestBodyBlock(resolver.resolve(operation.requestBody), resolver) : null,
    el('h4', {}, 'Responses'),
    Object.entries(operation.responses ?? {}).map(([status, response]) => responseBlock(status, resolver.resolve(response), resolver)));
}

function parameterTable(parameters, resolver) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data schema-table' },
    el('thead', {}, el('tr', {}, ['Name', 'In', 'Type', 'Description'].map((heading) => el('th', { scope: 'col' }, heading)))),
    el('tbody', {}, parameters.map((parameter) => {
      const schema = resolver.resolve(parameter.schema ?? {});
      return el('tr', {},
        el('td', {}, parameter.name, parameter.required ? el('span', { class: 'required-flag' }, 'required') : null),
        el('td', {}, parameter.in),
        el('td', {}, el('span', { class: 'type' }, typeName(schema, resolver))),
        el('td', {}, paragraphs(parameter.description), constraints(schema)));
    }))));
}

function requestBodyBlock(body, resolver) {
  return [el('h4', {}, `Request body${body.required ? ' (required)' : ''}`), paragraphs(body.description),
    Object.entries(body.content ?? {}).map(([type, media]) => mediaBlock(type, media, resolver, true))];
}

function responseBlock(status, response, resolver) {
  return el('div', { class: 'response', 'data-status': status },
    el('p', {}, el('strong', {}, status), ' ', response.description ?? ''),
    response.headers ? el('ul', {}, Object.entries(response.headers).map(([name, header]) =>
      el('li', {}, el('code', {}, name), ' ', resolver.resolve(header).description ?? ''))) : null,
    Object.entries(response.content ?? {}).map(([type, media]) => mediaBlock(type, media, resolver, false)));
}

function mediaBlock(type, media, resolver, showExample) {
  const schema = media.schema ? resolver.resolve(media.schema) : null;
  const given = media.example ?? Object.values(media.examples ?? {})[0]?.value;
  const example = given ?? (schema && showExample ? exampleOf(media.schema, resolver, 0) : undefined);
  return el('div', { class: 'nested' },
    el('p', {}, el('code', {}, type), media.schema?.$ref ? [' — ', schemaLink(media.schema.$ref)] : null),
    schema && !media.schema.$ref ? schemaView(schema, resolver, 0) : null,
    example !== undefined
      ? [el('p', { class: 'muted' }, given === undefined ? 'Example (the required fields, built from the schema)' : 'Example'),
        el('pre', {}, el('code', {}, JSON.stringify(example, null, 2)))]
      : null);
}

/** A schema's properties as a table, nested objects indented; $refs are links to the Schemas section. */
function schemaView(schema, resolver, depth) {
  if (schema.$ref) return el('p', {}, schemaLink(schema.$ref));
  if (schema.type === 'array' || schema.items) {
    return el('div', {}, el('p', {}, 'Array of ', schema.items?.$ref ? schemaLink(schema.items.$ref) : el('span', { class: 'type' }, typeName(schema.items ?? {}, resolver))),
      schema.items && !schema.items.$ref && depth < 4 ? schemaView(schema.items, resolver, depth + 1) : null);
  }
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return el('p', {}, el('span', { class: 'type' }, typeName(schema, resolver)), ' ', constraints(schema));
  const required = new Set(schema.required ?? []);
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data schema-table' },
    el('thead', {}, el('tr', {}, ['Field', 'Type', 'Description'].map((heading) => el('th', { scope: 'col' }, heading)))),
    el('tbody', {}, properties.map(([name, property]) => {
      const resolved = resolver.resolve(property);
      const nested = !property.$ref && depth < 4 && (resolved.properties || resolved.items?.properties);
      return el('tr', {},
        el('td', {}, name, required.has(name) ? el('span', { class: 'required-flag' }, 'required') : null),
        el('td', {}, property.$ref ? schemaLink(property.$ref)
          : property.items?.$ref ? ['array of ', schemaLink(property.items.$ref)]
            : el('span', { class: 'type' }, typeName(resolved, resolver))),
        el('td', {}, paragraphs(resolved.description), constraints(resolved),
          nested ? el('div', { class: 'nested' }, schemaView(resolved.items?.properties ? resolved.items : resolved, resolver, depth + 1)) : null));
    }))),
    schema.additionalProperties === false ? el('p', { class: 'muted' }, 'No other fields are accepted.') : null);
}

function typeName(schema, resolver) {
  if (schema.$ref) return schema.$ref.split('/').at(-1);
  const types = [schema.type ?? (schema.properties ? 'object' : 'any')].flat();
  const shown = types.map((type) => (type === 'array' ? `array of ${typeName(resolver.resolve(schema.items ?? {}), resolver)}` : type));
  return `${shown.join(' | ')}${schema.format ? ` (${schema.format})` : ''}`;
}

function constraints(schema) {
  const notes = [];
  if (schema.enum) notes.push(['one of ', schema.enum.map((value) => el('code', {}, JSON.stringify(value))).flatMap((code, index) => (index ? [', ', code] : [code]))]);
  if (schema.default !== undefined) notes.push(['default ', el('code', {}, JSON.stringify(schema.default))]);
  if (schema.minimum !== undefined || schema.maximum !== undefined) notes.push([`${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`]);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) notes.push([`${schema.minLength ?? 0} to ${schema.maxLength ?? '…'} characters`]);
  if (schema.pattern) notes.push(['pattern ', el('code', {}, schema.pattern)]);
  const examples = schema.examples ?? (schema.example !== undefined ? [schema.example] : []);
  if (examples.length) notes.push(['e.g. ', examples.map((value) => el('code', {}, typeof value === 'string' ? value : JSON.stringify(value)))]);
  return notes.length ? el('div', { class: 'muted' }, notes.flatMap((note, index) => (index ? ['; ', ...note] : note))) : null;
}

function schemaLink(ref) {
  const name = ref.split('/').at(-1);
  return el('a', { href: `#schema-${name}` }, name);
}

function paragraphs(text) {
  if (!text) return null;
  // Backticks become code; nothing else of Markdown is needed by these documents.
  return el('div', { class: 'description' }, text.split(/\n{2,}/).map((paragraph) =>
    el('p', {}, paragraph.split(/(`[^`]+`)/).map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? el('code', {}, part.slice(1, -1)) : part)))));
}

/** A sample value built from the schema: its examples, enum, default or format, else a placeholder of its type. */
function exampleOf(schema, resolver, depth) {
  const resolved = resolver.resolve(schema);
  if (depth > 4) return null;
  if (resolved.examples?.length) return resolved.examples[0];
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.default !== undefined) return resolved.default;
  if (resolved.enum?.length) return resolved.enum.find((value) => value !== null) ?? null;
  const type = [resolved.type].flat().find((candidate) => candidate && candidate !== 'null') ?? (resolved.properties ? 'object' : 'string');
  switch (type) {
    case 'object': {
      const required = resolved.required ?? Object.keys(resolved.properties ?? {});
      return Object.fromEntries(required.filter((name) => resolved.properties?.[name]).map((name) => [name, exampleOf(resolved.properties[name], resolver, depth + 1)]));
    }
    case 'array': return [exampleOf(resolved.items ?? {}, resolver, depth + 1)];
    case 'integer': return resolved.minimum ?? 1;
    case 'number': return resolved.minimum ?? 1.5;
    case 'boolean': return true;
    default: return resolved.format === 'date' ? '2026-01-31' : resolved.format === 'date-time' ? '2026-01-31T12:00:00Z' : 'string';
  }
}

class Resolver {
  constructor(spec) { this.spec = spec; }

  /** Follows local $refs (#/components/...) until a plain object is reached. */
  resolve(node) {
    let current = node;
    for (let hops = 0; current?.$ref && hops < 10; hops++) {
      current = current.$ref.replace(/^#\//, '').split('/').reduce((value, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec);
    }
    return current ?? {};
  }
}
