import { describe, expect, it } from 'vitest'

import { formatProblem } from '../../src/spec/problem.js'
import { BASE_SPECS, checkSpecs, syncErrors } from '../helpers/check-specs.js'

const braze = (extra = '', behavior = 'upsert') =>
  `  source: warehouse\n  model: { table: users }\n  destination: braze\n  object: user\n  behavior: ${behavior}\n  key: { column: user_id }\n${extra}`

const messages = (errors: string[]) => errors.map((e) => e.split('  ').slice(2).join('  '))

describe('unique-names', () => {
  it('reports a second document with the same kind and name, pointing at the first', () => {
    const sync = (n: number) => `apiVersion: outflow/v1\nkind: Sync\nmetadata: { name: dup }\nspec:\n${braze()}`.replace('users', `t${n}`)
    const result = checkSpecs({ 'base.yaml': BASE_SPECS, 'a.yaml': sync(1), 'b.yaml': sync(2) })
    expect(result.errors.map(formatProblem)).toEqual(['b.yaml:3:19  /metadata/name  Sync "dup" is already defined at a.yaml:1'])
  })

  it('allows the same name for documents of different kinds', () => {
    expect(syncErrors(braze(), 'braze')).toEqual([])
  })
})

describe('references-resolve', () => {
  it('suggests a close name for an unknown source', () => {
    expect(messages(syncErrors(braze().replace('source: warehouse', 'source: warehose')))).toEqual([
      'no Source named "warehose" (did you mean "warehouse"?)',
    ])
  })

  it('lists the defined destinations when nothing is close', () => {
    expect(messages(syncErrors(braze().replace('destination: braze', 'destination: hubspot')))).toEqual([
      'no Destination named "hubspot" (defined: loops, braze, clevertap, courier)',
    ])
  })
})

describe('object-and-behavior', () => {
  it('lists the objects of the destination', () => {
    expect(messages(syncErrors(braze().replace('object: user', 'object: users')))).toEqual([
      'Braze has no object "users" (did you mean "user"?); its objects are `user` or `event`',
    ])
  })

  it('lists the behaviors the object supports', () => {
    expect(messages(syncErrors(braze('', 'send')))).toEqual([
      'Braze user does not support behavior "send"; it supports `upsert`, `update` or `mirror`',
    ])
  })
})

describe('key-identifier', () => {
  it('defaults the field of a single-identifier object', () => {
    expect(syncErrors(braze())).toEqual([])
  })

  it('requires the field when the object has several identifiers', () => {
    const loops = `  source: warehouse\n  model: { table: users }\n  destination: loops\n  object: contact\n  behavior: upsert\n  key: { column: email }\n`
    expect(messages(syncErrors(loops))).toEqual(['missing `key.field`: Loops contact is identified by `email` or `userId`'])
  })

  it('refuses a field on an event object', () => {
    const event = `  source: warehouse\n  model: { table: events }\n  destination: clevertap\n  object: event\n  behavior: send\n  key: { column: event_id, field: identity }\n  mappings:\n    - { column: user_id, field: identity }\n    - { column: name, field: evtName }\n`
    expect(messages(syncErrors(event))).toEqual([
      'CleverTap event is keyed by an event id column only, so `key.field` does not apply: map the user identifier with a mapping instead',
    ])
  })
})

describe('required-fields', () => {
  const loops = (key: string, mappings = '') =>
    `  source: warehouse\n  model: { table: users }\n  destination: loops\n  object: contact\n  behavior: upsert\n  key: ${key}\n${mappings}`

  it('needs an email to create Loops contacts keyed by userId', () => {
    expect(messages(syncErrors(loops('{ column: id, field: userId }')))).toEqual([
      'Loops contact with behavior "upsert" needs a mapping to `email`: Loops creates a contact only with an email',
    ])
    expect(syncErrors(loops('{ column: id, field: userId }', '  mappings:\n    - { column: email }\n'))).toEqual([])
  })

  it('counts the key as a mapped field', () => {
    expect(syncErrors(loops('{ column: email, field: email }'))).toEqual([])
  })

  it('needs a user and a name for Braze events', () => {
    const event = `  source: warehouse\n  model: { table: events }\n  destination: braze\n  object: event\n  behavior: send\n  key: { column: event_id }\n`
    expect(messages(syncErrors(event))).toEqual([
      'Braze event with behavior "send" needs a mapping to `external_id` or `email`: each Braze event needs the user it belongs to',
      'Braze event with behavior "send" needs a mapping to `name`: each Braze event needs a name',
    ])
  })

  it('leaves required fields to the live check when all columns are mapped', () => {
    const event = `  source: warehouse\n  model: { table: events }\n  destination: braze\n  object: event\n  behavior: send\n  key: { column: event_id }\n  mappings:\n    - { allColumns: true }\n`
    expect(syncErrors(event)).toEqual([])
  })

  it('needs a list for Courier list syncs', () => {
    const list = `  source: warehouse\n  model: { table: users }\n  destination: courier\n  object: profileWithList\n  behavior: mirror\n  key: { column: user_id }\n`
    expect(messages(syncErrors(list))).toEqual(['Courier profileWithList needs `options.list`'])
  })
})

describe('mapped-fields', () => {
  it('refuses a type that contradicts the destination field', () => {
    expect(messages(syncErrors(braze('  mappings:\n    - { column: born, field: dob, type: number }\n')))).toEqual([
      '"dob" is a date field of Braze user, not number',
    ])
  })

  it('refuses a constant that does not fit the field', () => {
    const loops = `  source: warehouse\n  model: { table: users }\n  destination: loops\n  object: contact\n  behavior: upsert\n  key: { column: email, field: email }\n  mappings:\n    - { constant: "yes", field: subscribed }\n    - { constant: "not a date", field: renewsAt, type: date }\n`
    expect(messages(syncErrors(loops))).toEqual([
      '"yes" is not a valid boolean for field "subscribed"',
      '"not a date" is not a valid date for field "renewsAt"',
    ])
  })

  it('refuses two mappings to one field', () => {
    expect(messages(syncErrors(braze('  mappings:\n    - { column: a, field: email }\n    - { column: b, field: email }\n')))).toEqual([
      'field "email" is already written by mapping 1',
    ])
  })

  it('refuses a mapping that overwrites the key field from another column', () => {
    expect(messages(syncErrors(braze('  mappings:\n    - { column: other_id, field: external_id }\n')))).toEqual([
      'field "external_id" is already written by the key',
    ])
    expect(syncErrors(braze('  mappings:\n    - { column: user_id, field: external_id }\n'))).toEqual([])
  })
})

describe('object-options', () => {
  it('refuses an option of another object and lists the valid ones', () => {
    const errors = syncErrors(braze('  options:\n    list: { id: a.b }\n'))
    expect(messages(errors)).toEqual(['`list` is not an option of Braze user: it takes no options'])
  })
})

describe('behavior-settings', () => {
  it('refuses maxDeletes outside mirror and backfill outside send', () => {
    expect(messages(syncErrors(braze('  maxDeletes: 10\n  backfill: true\n')))).toEqual([
      '`maxDeletes` applies only to behavior "mirror", not "upsert"',
      '`backfill` applies only to behavior "send", not "upsert"',
    ])
  })
})

describe('schedule', () => {
  it('accepts cron, interval and manual schedules', () => {
    for (const schedule of [
      '{ cron: "*/5 * * * *" }',
      '{ cron: "0 6 * * 1-5", timezone: Europe/Berlin }',
      '{ interval: 15m }',
      '{ manual: true }',
    ]) {
      expect(syncErrors(braze(`  schedule: ${schedule}\n`))).toEqual([])
    }
  })

  it('explains a bad cron expression', () => {
    expect(messages(syncErrors(braze('  schedule: { cron: "61 * * * *" }\n')))).toEqual([
      'invalid cron expression "61 * * * *": Invalid value for minute: 61',
    ])
  })

  it('takes a cron expression of 5 fields, or 6 with seconds first, and no other count', () => {
    expect(syncErrors(braze('  schedule: { cron: "30 0 6 * * 1-5" }\n'))).toEqual([])
    expect(messages(syncErrors(braze('  schedule: { cron: "0 0 6 * * * 2030" }\n')))).toEqual([
      'invalid cron expression "0 0 6 * * * 2030": it has 7 fields, not 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)',
    ])
    expect(messages(syncErrors(braze('  schedule: { cron: "every day" }\n')))).toEqual([
      'invalid cron expression "every day": it has 2 fields, not 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)',
    ])
    expect(messages(syncErrors(braze('  schedule: { cron: "@daily" }\n')))[0]).toContain('it has 1 field,')
  })

  it('takes an interval from 1s to 366d', () => {
    for (const interval of ['1s', '366d', '8784h', '527040m', '31622400s']) {
      expect(syncErrors(braze(`  schedule: { interval: ${interval} }\n`))).toEqual([])
    }
    for (const interval of ['367d', '8785h', '99999999999d']) {
      expect(messages(syncErrors(braze(`  schedule: { interval: ${interval} }\n`)))).toEqual([
        `interval "${interval}" is out of range: from 1s to 366d (a sync that runs less than once a year is better run by hand: \`manual: true\`)`,
      ])
    }
  })

  it('refuses a cron expression that never fires', () => {
    expect(messages(syncErrors(braze('  schedule: { cron: "0 0 30 2 *" }\n')))).toEqual(['cron expression "0 0 30 2 *" never fires'])
  })

  it('refuses an unknown time zone', () => {
    expect(messages(syncErrors(braze('  schedule: { cron: "0 * * * *", timezone: Mars/Base }\n')))).toEqual([
      'unknown time zone "Mars/Base": use an IANA name such as `Europe/Berlin` or `UTC`',
    ])
  })

  it('refuses two kinds of schedule at once, and none', () => {
    expect(messages(syncErrors(braze('  schedule: { cron: "0 * * * *", interval: 1h }\n')))).toEqual([
      'a schedule takes only one of `cron` or `interval`',
    ])
    expect(messages(syncErrors(braze('  schedule: {}\n')))).toEqual(['a schedule needs one of `cron`, `interval` or `manual`'])
  })
})

describe('postgres-connection', () => {
  const source = (spec: string) => `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: pg }\nspec:\n  type: postgres\n${spec}`
  const errors = (spec: string) => messages(checkSpecs({ 'pg.yaml': source(spec) }).errors.map(formatProblem))

  it('accepts a url reference or host fields', () => {
    expect(errors('  url: { env: DATABASE_URL }\n')).toEqual([])
    expect(errors('  host: db\n  database: w\n  user: u\n  password: { secret: PG_PASSWORD }\n')).toEqual([])
  })

  it('refuses both, and neither', () => {
    expect(errors('  url: { env: DATABASE_URL }\n  host: db\n')).toEqual(['give either `url` or the connection fields (host), not both'])
    expect(errors('  user: u\n')).toEqual([
      'missing `database` (or give the connection as `url`)',
      'missing `host` (or give the connection as `url`)',
    ])
  })
})

describe('duckdb-state-schema', () => {
  it('refuses a DuckDB file named like the state schema', () => {
    const source = (spec: string) => `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: w }\nspec:\n  type: duckdb\n${spec}`
    const errors = (spec: string) => messages(checkSpecs({ 's.yaml': source(spec) }).errors.map(formatProblem))
    expect(errors('  path: data/outflow.duckdb\n')).toEqual([
      'the database file is named like the state schema "outflow", which DuckDB cannot tell apart: rename the file or set `stateSchema`',
    ])
    expect(errors('  path: data/outflow.duckdb\n  stateSchema: outflow_state\n')).toEqual([])
    expect(errors('  path: warehouse.duckdb\n')).toEqual([])
  })
})
