import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyExpression } from '../../../../src/core/cache';

test('volatility patterns: each kind from the expression as written', () => {
  const cases: Array<[string, string, string]> = [
    ['datetime.now()', '{datetime.now()}', 'time'],
    ['datetime.now()', '{datetime.now():%Y-%m-%d}', 'date'],
    ['datetime.now()', '{datetime.now():%Y-%m-%d %H:%M}', 'time'],
    ['date.today()', '{date.today()}', 'date'],
    ['time.time()', '{time.time()}', 'time'],
    ['Date.now()', '${Date.now()}', 'time'],
    ['new Date().toISOString()', '${new Date().toISOString()}', 'time'],
    ['new Date().toDateString()', '${new Date().toDateString()}', 'date'],
    ['uuid4()', '{uuid4()}', 'random'],
    ['nanoid()', '${nanoid()}', 'random'],
    ['request_id', '{request_id}', 'random'],
    ['user.name', '${user.name}', 'user'],
    ['user_id', '{user_id}', 'user'],
    ['email', '{email}', 'user'],
    ['session', '{session}', 'user'],
    ["', '.join(set(tags))", "{', '.join(set(tags))}", 'unordered'],
    ['list(set(items))', '{list(set(items))}', 'unordered'],
    ['{"a", "b"}', '{ {"a", "b"} }', 'unordered'],
    ['Object.keys(flags).join()', '${Object.keys(flags).join()}', 'unordered'],
    ['json.dumps(config)', '{json.dumps(config)}', 'json'],
    ['json.dumps(config, sort_keys=True)', '{json.dumps(config, sort_keys=True)}', 'dynamic'],
    ['JSON.stringify(config)', '${JSON.stringify(config)}', 'json'],
    ['open(path).read()', '{open(path).read()}', 'whitespace'],
    ['open(path).read().strip()', '{open(path).read().strip()}', 'dynamic'],
    ['question', '{question}', 'dynamic'],
    ['release.version', '${release.version}', 'dynamic'],
    ['"constant"', '{"constant"}', 'dynamic'],
  ];
  for (const [expression, placeholder, kind] of cases) assert.equal(classifyExpression(expression, placeholder).kind, kind, `${placeholder}`);
  assert.equal(classifyExpression('datetime.now()', '{datetime.now():%Y-%m-%d}').rate, 'daily');
  assert.equal(classifyExpression('question', '{question}').confident, false);
});
